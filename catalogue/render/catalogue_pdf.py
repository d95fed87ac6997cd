"""catalogue.pdf: the catalogue model as HTML (Jinja2) laid out for print by CSS (WeasyPrint).

The renderer formats and places what the model holds; it never computes a
figure. All print layout (pages, running headers, page numbers, contents,
bookmarks) lives in templates/catalogue.css; the plumbing (environment, safe
fetcher) is render/pdf.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from catalogue.model.catalogue import Catalogue
from catalogue.render.changes_view import changes_view
from catalogue.render.charts import coverage_chart, gap_chart, source_chart
from catalogue.render.i18n import Formatter
from catalogue.render.pdf import render_document, write_pdf_from_html

TEMPLATE_NAME = "catalogue.html.j2"


def render_html(catalogue: Catalogue, lang: str = "en", changes: dict[str, Any] | None = None) -> str:
    """The catalogue as one HTML document, ready for WeasyPrint (links the CSS in the template folder)."""
    fmt = Formatter.for_language(catalogue.locale, catalogue.reporting_currency, lang)
    charts = {
        "gap": gap_chart(catalogue.priorities, fmt),
        "coverage": coverage_chart(catalogue.groupings.strategic_plan_target, fmt),
        "sources": source_chart(catalogue.funding_sources, fmt),
    }
    # Anchors are positional so that any characters in a partner's id stay harmless in href/id.
    return render_document(
        TEMPLATE_NAME, lang, fmt, catalogue.as_at,
        c=catalogue,
        charts=charts,
        activities_by_id={a.id: a for a in catalogue.activities},
        priority_anchor={p.id: f"priority-{i}" for i, p in enumerate(catalogue.priorities, start=1)},
        partner_anchor={p.id: f"partner-{i}" for i, p in enumerate(catalogue.partners, start=1)},
        changes=changes_view(changes, fmt.locale, fmt.currency, fmt.gettext) if changes else None,
    )


def render_pdf(catalogue: Catalogue, path: Path, lang: str = "en", changes: dict[str, Any] | None = None) -> None:
    """Write the catalogue as a tagged, bookmarked PDF to `path`, its fixed labels in `lang` (en, fr or es)."""
    write_pdf_from_html(render_html(catalogue, lang, changes), Path(path))
