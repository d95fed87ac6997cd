"""A partner's co-funding statement as PDF (templates/statement.html.j2, extending base.html.j2).

Its XLSX extract is xlsx/statement_workbook.py. Both render the same PartnerStatement and compute nothing: the figures are the
catalogue model's, or the few the statement adds (catalogue/views/partner_statement.py).
Both are in the statement's language: labels translated, codes (implementation
status, line kind and status, priority kind) as the reader's words.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.render.pdf.document import render_document, write_pdf_from_html
from catalogue.render.words.i18n import Formatter
from catalogue.views.partner_statement import PartnerStatement

TEMPLATE_NAME = "statement.html.j2"


def render_statement_html(statement: PartnerStatement, lang: str = "en") -> str:
    """The statement as one HTML document in `lang`, linking the catalogue's CSS."""
    fmt = Formatter.for_document(statement, lang)
    return render_document(TEMPLATE_NAME, lang, fmt, statement.as_at, fmt.organisation(statement.organisation),
                           s=statement, title=fmt.title(statement.titles, statement.catalogue_title))


def render_statement_pdf(statement: PartnerStatement, path: Path, lang: str = "en") -> None:
    """Write the statement as a tagged PDF to `path`, its fixed labels in `lang` (en, fr or es)."""
    write_pdf_from_html(render_statement_html(statement, lang), Path(path))
