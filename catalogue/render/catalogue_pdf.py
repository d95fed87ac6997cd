"""catalogue.pdf: the catalogue model as HTML (Jinja2) laid out for print by CSS (WeasyPrint).

The renderer formats and places what the model holds; it never computes a
figure. All print layout (pages, running headers, page numbers, contents,
bookmarks) lives in templates/catalogue.css.

Partner-supplied text is data: Jinja2 escapes it, and WeasyPrint can only
fetch files from the template folder (SafeFetcher), so a title such as
`<img src="http://...">` is printed as text and never requested.
"""

from __future__ import annotations

import gettext as gettext_module
import mimetypes
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_percent
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from catalogue.config import TEMPLATES_DIR
from catalogue.model.catalogue import Activity, Catalogue, Group, Priority, SourceTotal
from catalogue.render import formatting
from catalogue.render.formatting import N_

TEMPLATE_NAME = "catalogue.html.j2"
AUTHOR = "CMS Secretariat"

# Fixed labels are English msgids; French and Spanish live in templates/i18n/<lang>/LC_MESSAGES/catalogue.po.
I18N_DIR = TEMPLATES_DIR / "i18n"
I18N_DOMAIN = "catalogue"
LANGUAGES = ("en", "fr", "es")


class SafeFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files inside the template folder.

    Everything else (http, https, data, ftp, file paths outside the folder,
    symlinks leading out of it) is refused with ValueError, which WeasyPrint
    logs and skips: the document still renders, without the resource.
    """

    def __init__(self, root: Path = TEMPLATES_DIR, **kwargs: Any) -> None:
        # No network handlers are ever used: fetch() below never calls the parent's fetch.
        super().__init__(allowed_protocols=("file",), **kwargs)
        self._root = Path(root).resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Refused to fetch {url!r}: only files in the template folder are served")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            raise ValueError(f"Refused to fetch {url!r}: not a file in the template folder")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})


# --------------------------------------------------------------------------- translations


def po_path(lang: str) -> Path:
    """Where the message catalogue for `lang` lives."""
    return I18N_DIR / lang / "LC_MESSAGES" / f"{I18N_DOMAIN}.po"


@cache
def translations(lang: str) -> gettext_module.NullTranslations:
    """The fixed labels in `lang`, compiled in memory from its .po file (no build step, no .mo on disk).

    English is the msgid language and needs no file. Fuzzy entries are left out,
    so an unreviewed translation shows the English label rather than a guess.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"No catalogue language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    path = po_path(lang)
    if lang == "en" and not path.exists():
        return gettext_module.NullTranslations()
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang, domain=I18N_DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=I18N_DOMAIN)


def css_string(value: Any) -> Markup:
    """Text as a quoted CSS string, safe inside a <style> element (labels for page margins and running heads).

    Markup from the template (a translated label with escaped values) is unescaped first,
    because <style> is raw text where HTML entities are not decoded.
    """
    text = value.unescape() if isinstance(value, Markup) else str(value)
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;()–—-" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def css_page_counter(label: Any) -> Markup:
    """A translated "page %(page)s of %(pages)s" as CSS content: strings around counter(page) and counter(pages)."""
    text = label.unescape() if isinstance(label, Markup) else str(label)
    parts: list[str] = []
    for i, piece in enumerate(text.split("%(pages)s")):
        if i:
            parts.append("counter(pages)")
        for j, bit in enumerate(piece.split("%(page)s")):
            if j:
                parts.append("counter(page)")
            if bit:
                parts.append(str(css_string(bit)))
    return Markup(" ".join(parts))


# --------------------------------------------------------------------------- formatting bound to a locale

# The one languishing reason the model words with figures in it (catalogue/model/budget.py); the others are fixed text.
_COVERAGE_REASON = re.compile(r"coverage (\d+(?:\.\d+)?)% is below the (\d+(?:\.\d+)?)% threshold")


@dataclass(frozen=True)
class Formatter:
    """The formatting helpers bound to one locale, currency and language, for use in the template as `fmt`."""

    locale: str
    currency: str
    gettext: Callable[[str], str] = gettext_module.NullTranslations().gettext

    def money(self, amount: Decimal) -> str:
        return formatting.money(amount, self.currency, self.locale)

    def money_cents(self, amount: Decimal) -> str:
        # Only the headline totals block shows cents (see formatting's module docstring).
        return formatting.money(amount, self.currency, self.locale, cents=True)

    def amount(self, value: Decimal) -> str:
        return formatting.amount(value, self.locale)

    def percent(self, coverage: Decimal | None) -> str:
        return formatting.percent(coverage, self.locale)

    def bar_width(self, coverage: Decimal | None) -> str:
        return formatting.bar_width(coverage)

    def date(self, d: Any) -> str:
        return formatting.date_text(d, self.locale)

    def period(self, start: Any, end: Any) -> str:
        return formatting.period_text(start, end, self.locale)

    def number(self, value: Decimal | int) -> str:
        return formatting.number(value, self.locale)

    def multiple(self, value: Decimal | None) -> str:
        return formatting.multiple(value, self.locale)

    def status(self, status: str) -> str:
        return self.gettext(formatting.status_text(status))

    def kind(self, code: str | None) -> str:
        return self._vocabulary(code, formatting.KIND_TEXT)

    def rank(self, code: str | None) -> str:
        return self._vocabulary(code, formatting.RANK_TEXT)

    def source_type(self, code: str | None) -> str:
        return self._vocabulary(code, formatting.SOURCE_TYPE_TEXT)

    def term(self, key: str) -> str:
        """A methodology key as its heading ("in_kind" -> "In kind"), translated."""
        if key in formatting.METHODOLOGY_TERMS:
            return self.gettext(formatting.METHODOLOGY_TERMS[key])
        return formatting.words(key).capitalize()

    def reason(self, text: str) -> str:
        """A languishing reason from the model in the catalogue's language, its percentages in the locale's style."""
        found = _COVERAGE_REASON.fullmatch(text)
        if not found:
            return self.gettext(text)
        shown = {name: format_percent(Decimal(value) / 100, format=formatting.percent_pattern(self.locale, len(value.partition(".")[2])),
                                      locale=self.locale)
                 for name, value in zip(("coverage", "threshold"), found.groups())}
        return self.gettext(N_("coverage %(coverage)s is below the %(threshold)s threshold")) % shown

    def words(self, code: str | None) -> str:
        return formatting.words(code)

    def listing(self, items: Any) -> str:
        return formatting.listing(items)

    def _vocabulary(self, code: str | None, vocabulary: dict[str, str]) -> str:
        text = formatting.code_text(code, vocabulary)
        return self.gettext(text) if code in vocabulary else text


# --------------------------------------------------------------------------- charts
#
# Charts are inline SVG drawn by the template from the geometry below, so WeasyPrint
# never fetches them and every label is autoescaped like any other text. Geometry is
# layout, not a figure: bar lengths are the model's amounts scaled to the plot width,
# and the numbers printed beside the bars are the model's own, formatted.

CHART_WIDTH = 504.0  # points: the A4 text width (178 mm)
ROW_PITCH = 12.0
BAR_HEIGHT = 8.5
FONT_SIZE = 7.0
TOP = 2.0
CHAR_WIDTH = FONT_SIZE * 0.58  # DejaVu Sans, average; used only to shorten labels that would not fit


@dataclass(frozen=True)
class Segment:
    x: str
    width: str
    css: str


@dataclass(frozen=True)
class ChartRow:
    label_strong: str  # e.g. a priority id, drawn bold
    label: str
    bar_y: str
    text_y: str
    segments: tuple[Segment, ...]
    value_x: str
    value_text: str
    track: Segment | None  # the full-scale background of a ratio bar


@dataclass(frozen=True)
class LegendItem:
    x: str
    text_x: str
    css: str
    text: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: str
    height: str
    plot_x: str
    rows: tuple[ChartRow, ...]
    legend: tuple[LegendItem, ...]
    legend_bar_y: str
    legend_text_y: str
    bar_height: str


def _pt(value: float) -> str:
    return f"{value:.1f}"


def _shorten(text: str, room: float) -> str:
    """Text cut with an ellipsis to about the characters that fit in `room` points; full text is in the tables."""
    fits = max(int(room / CHAR_WIDTH), 4)
    return text if len(text) <= fits else text[: fits - 1].rstrip() + "…"


def _chart(chart_id: str, title: str, description: str, label_width: float,
           rows: Sequence[tuple[str, str, Sequence[tuple[Decimal, str]], str]],
           *, ratio: bool = False, legend: Sequence[tuple[str, str]] = ()) -> BarChart:
    """Horizontal bars: each row is (bold label, label, [(amount, css class), ...] stacked, value text).

    The value text sits after the bar; room for the longest one is kept at the right,
    so a longer language (French, Spanish) shortens the bars rather than overflowing.
    """
    value_width = max((len(value) * CHAR_WIDTH for *_, value in rows), default=0.0) + 10.0
    plot_x = label_width + 6.0
    plot_width = CHART_WIDTH - plot_x - value_width
    top = TOP + (ROW_PITCH if legend else 0.0)
    scale_max = Decimal(1) if ratio else max((sum((a for a, _ in segs), Decimal(0)) for _, _, segs, _ in rows),
                                             default=Decimal(0))
    chart_rows: list[ChartRow] = []
    for i, (strong, label, segments, value_text) in enumerate(rows):
        bar_y = top + i * ROW_PITCH
        x = plot_x
        drawn: list[Segment] = []
        for amount, css in segments:
            share = min(max(amount / scale_max, Decimal(0)), Decimal(1)) if scale_max else Decimal(0)
            width = float(share) * plot_width
            if width > 0:
                drawn.append(Segment(_pt(x), _pt(width), css))
            x += width
        label_room = label_width - (len(strong) + 1) * CHAR_WIDTH * 1.08 if strong else label_width
        chart_rows.append(ChartRow(
            label_strong=strong, label=_shorten(label, label_room) if label else "",
            bar_y=_pt(bar_y), text_y=_pt(bar_y + BAR_HEIGHT - 2.0),
            segments=tuple(drawn), value_x=_pt((plot_x + plot_width if ratio else x) + 4.0), value_text=value_text,
            track=Segment(_pt(plot_x), _pt(plot_width), "track") if ratio else None))
    legend_items: list[LegendItem] = []
    x = plot_x
    for css, text in legend:
        legend_items.append(LegendItem(_pt(x), _pt(x + 13.0), css, text))
        x += 24.0 + len(text) * CHAR_WIDTH
    height = top + len(rows) * ROW_PITCH + 2.0
    return BarChart(chart_id, title, description, _pt(CHART_WIDTH), _pt(height), _pt(plot_x), tuple(chart_rows),
                    tuple(legend_items), _pt(TOP), _pt(TOP + BAR_HEIGHT - 2.0), _pt(BAR_HEIGHT))


def gap_chart(priorities: Sequence[Priority], fmt: Formatter, count: int = 15) -> BarChart:
    """The `count` largest gaps (the model orders priorities by gap), one bar each."""
    _ = fmt.gettext
    rows = [(p.id, p.title, [(p.figures.gap, "gap")], fmt.amount(p.figures.gap))
            for p in priorities[:count] if p.figures.gap > 0]
    return _chart("chart-gap", _("Gap by priority"),
                  _("The largest funding gaps, one bar per priority, in whole units of the reporting currency."),
                  230.0, rows)


def coverage_chart(groups: Sequence[Group], fmt: Formatter) -> BarChart:
    """Coverage (secured / required) of each Strategic Plan target, against a full-scale track."""
    _ = fmt.gettext
    rows = [("", _("Target %(target)s") % {"target": g.key}, [(g.figures.coverage or Decimal(0), g.figures.status)],
             _("%(coverage)s · gap %(gap)s") % {"coverage": fmt.percent(g.figures.coverage),
                                                "gap": fmt.amount(g.figures.gap)})
            for g in groups]
    return _chart("chart-coverage", _("Coverage by Strategic Plan target"),
                  _("Share of each target's requirement that is secured; the rest of the bar is the gap."),
                  62.0, rows, ratio=True)


def source_chart(sources: Sequence[SourceTotal], fmt: Formatter, count: int = 10) -> BarChart:
    """The `count` largest sources of confirmed money (the model's order), confirmed and pledged stacked."""
    _ = fmt.gettext
    rows = []
    for s in sources[:count]:
        value = fmt.amount(s.confirmed)
        if s.pledged:
            value = _("%(confirmed)s + %(pledged)s pledged") % {"confirmed": value, "pledged": fmt.amount(s.pledged)}
        rows.append(("", s.source, [(s.confirmed, "confirmed"), (s.pledged, "pledged")], value))
    return _chart("chart-sources", _("Money by source"),
                  _("Confirmed and pledged money from the largest sources, in whole units of the reporting currency."),
                  200.0, rows, legend=[("confirmed", _("confirmed")), ("pledged", _("pledged"))])


# --------------------------------------------------------------------------- rendering


@cache
def _environment(lang: str) -> Environment:
    """One Jinja2 environment per language, with that language's gettext installed (templates compile once)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks are wrapped like prose; msgids are one line
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["css_string"] = css_string
    env.filters["css_page_counter"] = css_page_counter
    return env


def _locale_for(catalogue: Catalogue, lang: str) -> str:
    """The catalogue's own locale (e.g. en_GB) when it is in `lang`, otherwise `lang` itself."""
    return catalogue.locale if catalogue.locale.split("_")[0].split("-")[0] == lang else lang


def render_html(catalogue: Catalogue, lang: str = "en") -> str:
    """The catalogue as one HTML document, ready for WeasyPrint (links the CSS in the template folder)."""
    env = _environment(lang)
    fmt = Formatter(_locale_for(catalogue, lang), catalogue.reporting_currency, translations(lang).gettext)
    activities_by_id: dict[str, Activity] = {a.id: a for a in catalogue.activities}
    # Anchors are positional so that any characters in a partner's id stay harmless in href/id.
    priority_anchor = {p.id: f"priority-{i}" for i, p in enumerate(catalogue.priorities, start=1)}
    charts = {
        "gap": gap_chart(catalogue.priorities, fmt),
        "coverage": coverage_chart(catalogue.groupings.strategic_plan_target, fmt),
        "sources": source_chart(catalogue.funding_sources, fmt),
    }
    page_counter = css_page_counter(fmt.gettext("page %(page)s of %(pages)s"))
    return env.get_template(TEMPLATE_NAME).render(
        c=catalogue,
        lang=lang,
        author=AUTHOR,
        fmt=fmt,
        charts=charts,
        page_counter=page_counter,
        activities_by_id=activities_by_id,
        priority_anchor=priority_anchor,
        partner_anchor={p.id: f"partner-{i}" for i, p in enumerate(catalogue.partners, start=1)},
    )


def write_pdf_from_html(html: str, path: Path) -> None:
    """Lay out `html` with the safe fetcher and write a tagged PDF to `path`."""
    document = HTML(string=html, base_url=str(TEMPLATES_DIR) + "/", url_fetcher=SafeFetcher())
    document.write_pdf(path, pdf_tags=True)


def render_pdf(catalogue: Catalogue, path: Path, lang: str = "en") -> None:
    """Write the catalogue as a tagged, bookmarked PDF to `path`, its fixed labels in `lang` (en, fr or es)."""
    write_pdf_from_html(render_html(catalogue, lang), Path(path))
