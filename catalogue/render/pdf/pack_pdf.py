"""A donor pack as PDF (templates/pack.html.j2, extending base.html.j2); its XLSX extract is xlsx/pack_workbook.py.

Renders a DonorPack (catalogue/views/donor_pack.py): every figure is already in the
pack; this module only formats and places it, in the pack's language. Match
reasons and exclusions are codes in the pack; the Formatter words them.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.render.pdf.document import render_document, write_pdf_from_html
from catalogue.render.words.i18n import Formatter
from catalogue.views.donor_pack import DonorPack

TEMPLATE_NAME = "pack.html.j2"



def render_pack_html(pack: DonorPack) -> str:
    """The pack as one HTML document, in the pack's language, linking the catalogue's CSS."""
    fmt = Formatter.for_document(pack, pack.language)
    return render_document(TEMPLATE_NAME, pack.language, fmt, pack.as_at, fmt.organisation(pack.organisation), p=pack,
                           anchor={m.id: f"gap-{i}" for i, m in enumerate(pack.priorities, start=1)})


def render_pack_pdf(pack: DonorPack, path: Path) -> None:
    """Write the pack as a tagged PDF to `path`."""
    write_pdf_from_html(render_pack_html(pack), Path(path))
