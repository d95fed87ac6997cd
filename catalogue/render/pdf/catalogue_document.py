"""catalogue.pdf: the catalogue model as HTML (Jinja2) laid out for print by CSS (WeasyPrint).

The renderer formats and places what the model holds; it never computes a
figure. All print layout (pages, running headers, page numbers, contents,
bookmarks) lives in templates/catalogue.css; the plumbing (environment, safe
fetcher) is render/pdf/document.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalogue.model.catalogue import Catalogue
from catalogue.render.pdf.charts import coverage_chart, donor_chart, gap_chart
from catalogue.render.pdf.document import render_document, write_pdf_from_html
from catalogue.render.pdf.parts import Part, whole_document
from catalogue.render.words.changes_view import changes_view
from catalogue.render.words.i18n import Formatter

TEMPLATE_NAME = "catalogue.html.j2"


def render_html(catalogue: Catalogue, lang: str = "en", changes: dict[str, Any] | None = None,
                part: Part | None = None) -> str:
    """The catalogue (or one `part` of it, see pdf_parts) as HTML, ready for WeasyPrint (links the template CSS)."""
    return part_renderer(catalogue, lang, changes)(part)


def part_renderer(catalogue: Catalogue, lang: str = "en",
                  changes: dict[str, Any] | None = None) -> Callable[[Part | None], str]:
    """render_html for any number of parts of one catalogue: the charts and lookups are made once, not per part
    (a 20,000-activity catalogue has over 200 parts)."""
    fmt = Formatter.for_language(catalogue.locale, catalogue.reporting_currency, lang)
    charts = {
        "gap": gap_chart(catalogue.priorities, fmt),
        "coverage": coverage_chart(catalogue.groupings.strategic_plan_target, fmt),
        "sources": donor_chart(catalogue.contributions.donors, fmt),
    }
    # Anchors are hashes of the ids: any characters in a partner's id stay harmless in href/id, and a priority keeps
    # its anchor when the order by gap changes, so its cached PDF part stays valid (render/pdf/layout_pool.py).
    context = {
        "c": catalogue,
        "title": fmt.title(catalogue.titles, catalogue.title),
        "charts": charts,
        "activities_by_id": {a.id: a for a in catalogue.activities},
        "priority_anchor": {p.id: _anchor("priority", p.id) for p in catalogue.priorities},
        "partner_anchor": {p.id: _anchor("partner", p.id) for p in catalogue.partners},
        "changes": changes_view(changes, fmt.locale, fmt.currency, fmt.gettext) if changes else None,
    }

    def render(part: Part | None = None) -> str:
        return render_document(TEMPLATE_NAME, lang, fmt, catalogue.as_at, fmt.organisation(catalogue.organisation),
                               part=part or whole_document(catalogue), **context)
    return render


def _anchor(kind: str, record_id: str) -> str:
    return f"{kind}-{hashlib.sha256(record_id.encode('utf-8')).hexdigest()[:16]}"


def render_pdf(catalogue: Catalogue, path: Path, lang: str = "en", changes: dict[str, Any] | None = None) -> None:
    """Write the catalogue as a tagged, bookmarked PDF to `path`, its fixed labels in `lang` (en, fr or es)."""
    write_pdf_from_html(render_html(catalogue, lang, changes), Path(path))
