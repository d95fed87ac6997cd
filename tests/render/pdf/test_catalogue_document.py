"""catalogue.pdf: the sample catalogue rendered and read back with pypdf; hostile partner text stays text."""

from __future__ import annotations

import dataclasses
import html
import http.server
import re
import subprocess
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from pypdf import PdfReader

from catalogue.config import LANGUAGES, TEMPLATES_DIR
from catalogue.model.assemble import METHODOLOGY
from catalogue.model.catalogue import Catalogue, DoubleCount
from catalogue.model.reasons import Reason
from catalogue.pipeline import build_model
from catalogue.render.pdf.catalogue_document import render_html
from catalogue.render.pdf.document import css_page_counter, css_string, write_pdf_from_html
from catalogue.render.pdf.layout_pool import PartStats
from catalogue.render.pdf.layout_pool import render_catalogue_pdf as render_pdf  # the path builds take: parts, joined
from catalogue.render.pdf.safe_fetcher import SafeFetcher
from catalogue.render.words import formatting
from catalogue.render.words.i18n import po_path, translations
from tests.fixtures.small import write_small_inputs

REPO = Path(__file__).resolve().parents[3]
BUILD_TIME = "2025-07-01T00:00:00Z"


def spaces(text: str) -> str:
    """Every kind of space as one plain space: babel's French groups digits with U+202F, PDFs vary in how they keep it."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def page_text(page) -> str:
    # When a glyph is missing from every installed font (the sample has a contact name in Chinese and
    # the test machine has no CJK font), WeasyPrint gives that font a custom two-byte CMap; pypdf 7
    # decodes it one byte at a time and puts a NUL before each character. The text is otherwise intact.
    return (page.extract_text() or "").replace("\x00", "")


def outline_titles(outline) -> list[str]:
    titles: list[str] = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(outline_titles(item))
        else:
            titles.append(item.title)
    return titles


@dataclasses.dataclass
class Rendered:
    catalogue: Catalogue
    reader: PdfReader
    pages: list[str]
    path: Path

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@pytest.fixture(scope="module")
def sample(sample_catalogue: Catalogue, sample_parts_pdf: tuple[Path, PartStats]) -> Rendered:
    """The sample inputs built into a catalogue and rendered once as builds do (tests/render/pdf/conftest.py)."""
    path = sample_parts_pdf[0]
    reader = PdfReader(path)
    return Rendered(sample_catalogue, reader, [page_text(p) for p in reader.pages], path)


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    result = build_model(write_small_inputs(tmp_path_factory.mktemp("small") / "inputs"), build_time=BUILD_TIME)
    assert result.catalogue is not None, [i.message for i in result.report.errors]
    return result.catalogue


# --------------------------------------------------------------------------- the sample catalogue

def test_every_priority_has_a_bookmark(sample: Rendered) -> None:
    titles = outline_titles(sample.reader.outline)
    for section in ("Contents", "At a glance", "Where the gaps are", "Priorities", "Languishing priorities",
                    "Partner directory", "Annex A: Gap table", "Annex B: Funding by grouping", "Annex C: Money by source",
                    "Annex D: Double counting", "Annex E: Methodology", "Annex F: Exchange rates",
                    "Annex G: Data-quality warnings", "Annex H: Provenance"):
        assert section in titles
    for priority in sample.catalogue.priorities:
        assert any(t.startswith(f"{priority.id} — ") for t in titles), priority.id


def test_every_priority_id_is_printed(sample: Rendered) -> None:
    missing = [p.id for p in sample.catalogue.priorities if p.id not in sample.text]
    assert not missing


def test_headline_gap_is_the_models_gap_for_reading_and_to_the_cent_in_annex_a(sample: Rendered) -> None:
    """The headline is the open work in whole units (figures for reading); Annex A has the same figures to the
    cent, with the delivered and suspended work that add up to all the work."""
    c = sample.catalogue
    glance = next(t for t in sample.pages if "At a glance" in t and "Total required" in t)
    for figure in (c.totals.figures.gap, c.totals.figures.required, c.totals.figures.secured):
        assert formatting.money(figure, c.reporting_currency, c.locale) in glance
    annex = next(t for t in sample.pages if "Annex A: Gap table" in t and "All work" in t)
    for f in (c.totals.figures, c.totals.past, c.totals.all):
        for figure in (f.required, f.secured, f.gap):
            assert formatting.amount(figure, c.locale, cents=True) in annex
    assert c.totals.figures.required + c.totals.past.required + c.totals.suspended.required == c.totals.all.required


def test_largest_gap_priority_figures_are_printed_in_whole_units(sample: Rendered) -> None:
    c = sample.catalogue
    first = c.priorities[0]
    assert formatting.money(first.figures.gap, c.reporting_currency, c.locale) in sample.text


def test_metadata_tagging_and_length(sample: Rendered) -> None:
    meta = sample.reader.metadata
    assert meta is not None and meta.title and meta.title.startswith(sample.catalogue.title)
    assert meta.author == "CMS Secretariat"
    root = sample.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "the PDF should be tagged"
    assert root.get("/Lang") == "en"
    assert len(sample.reader.pages) >= 10


def test_languishing_priorities_and_partners_are_listed(sample: Rendered) -> None:
    for item in sample.catalogue.languishing_priorities:
        assert item.id in sample.text
    for partner in sample.catalogue.partners:
        assert partner.contact_email in sample.text.replace("\n", "")


def test_charts_are_inline_svg_drawn_from_the_model(sample: Rendered) -> None:
    c = sample.catalogue
    html = render_html(c)
    for chart_id in ("chart-gap", "chart-coverage", "chart-sources"):
        assert re.search(rf'<figure class="chart" id="{chart_id}">\s*<h2[^>]*>[^<]+</h2>\s*<svg ', html), chart_id
    page = next(t for t in sample.pages if "Gap by priority" in t)
    for title in ("Coverage by Strategic Plan target", "Money by donor"):
        assert title in page  # all three charts on the page after "At a glance"
    # The bars' labels are the model's own figures, formatted: the largest gaps and the first source.
    for p in c.priorities[:15]:
        assert p.id in page and formatting.amount(p.figures.gap, c.locale) in page
    # The largest donor family (a government with its ministries and agencies), from the register.
    first = next(d for d in c.contributions.donors if d.parent is None)
    assert formatting.amount(first.family_committed, c.locale) in page
    assert "Target " + c.groupings.strategic_plan_target[0].key in page


def test_every_page_but_the_cover_says_as_at_when(sample: Rendered) -> None:
    as_at = "Figures as at " + formatting.date_text(sample.catalogue.as_at, sample.catalogue.locale)
    assert as_at not in sample.pages[0]
    missing = [i + 1 for i, text in enumerate(sample.pages[1:], start=1) if as_at not in spaces(text)]
    assert not missing
    assert all(f"of {len(sample.pages)}" in text for text in sample.pages[1:])


# --------------------------------------------------------------------------- typesetting

MARGIN_PT = 20 / 25.4 * 72  # catalogue.css @page: 20 mm above and below


def _page_layout(path: Path) -> list[tuple[float, str, list[str]]]:
    """Each page as poppler lays it out: how full it is (0-1, the lowest line of the body over the body's height),
    its running head (the section it belongs to) and its lines of text, each as printed."""
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                            check=True).stdout
    pages = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', layout, re.S):
        bottom = float(height) - MARGIN_PT
        words = [(float(top), float(low), text) for top, low, text in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', body)]
        inside = [low for top, low, _ in words if top > MARGIN_PT and low < bottom]
        fill = (max(inside, default=MARGIN_PT) - MARGIN_PT) / (bottom - MARGIN_PT)
        head = " ".join(html.unescape(text) for _, low, text in words if low < MARGIN_PT)
        lines = [" ".join(html.unescape(w) for w in re.findall(r"<word[^>]*>([^<]*)</word>", line))
                 for line in re.findall(r"<line[^>]*>(.*?)</line>", body, re.S)]
        pages.append((fill, head, lines))
    return pages


def test_no_page_is_nearly_empty_but_a_sections_last(sample: Rendered) -> None:
    """A table or a heading never falls alone onto a page: a page under 15 % full ends its section (the next
    page's running head names another section, or there is none)."""
    pages = _page_layout(sample.path)
    lonely = [n + 1 for n, (fill, head, _) in enumerate(pages)
              if fill < 0.15 and n + 1 < len(pages) and pages[n + 1][1] == head and n > 0]
    assert not lonely, f"nearly empty pages inside a section: {lonely}"


def test_no_id_breaks_across_lines_and_no_markdown_is_printed(sample: Rendered) -> None:
    c = sample.catalogue
    ids = {p.id for p in c.priorities} | {a.id for a in c.activities} | {t.id for t in c.secretariat_tasks}
    lines = [line for _, _, page in _page_layout(sample.path) for line in page]
    split = [(a, b) for a, b in zip(lines, lines[1:], strict=False)
             for i in ids for k in range(1, len(i)) if a.endswith(i[:k]) and b.startswith(i[k:])
             and (k == len(i) - 1 or not b.startswith(i))]
    assert not split, split[:5]
    assert "`" not in sample.text and "**" not in sample.text
    # A sign stays with its number: no line ends with a bare sign whose figure opens the next line.
    assert not [(a, b) for a, b in zip(lines, lines[1:], strict=False)
                if re.search(r"(^|\s)[-−+]$", a) and re.match(r"[\d(]", b)]


def test_groupings_sources_and_leverage_are_printed(sample: Rendered) -> None:
    c = sample.catalogue
    text = spaces(sample.text)
    annex = spaces(" ".join(t for t in sample.pages if "Annex B: Funding by grouping" in t))
    for heading in ("By Strategic Plan target", "By taxon group", "By region"):
        assert heading in annex
    # Annex B is to the cent (figures for reading are in the body; the annexes keep the cents).
    for group in (*c.groupings.taxon_group, *c.groupings.region):
        assert f"{group.key} {formatting.number(group.members, c.locale)} {formatting.amount(group.figures.required, c.locale, cents=True)}" in text
    for group in (*c.groupings.instrument, *c.groupings.year):
        assert formatting.amount(group.figures.gap, c.locale, cents=True) in text
    for source in c.funding_sources:
        assert formatting.amount(source.confirmed, c.locale) in text
    for p in c.priorities:
        if p.match.offers:
            assert formatting.multiple(p.match.leverage, c.locale) in text
    assert "Gaps by rank" in text and "unranked" in text


# --------------------------------------------------------------------------- the small catalogue

def test_priority_with_no_work_says_so(small_catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "small.pdf"
    render_pdf(small_catalogue, path)
    text = " ".join(" ".join(page_text(p) for p in PdfReader(path).pages).split())
    assert "DEC-13.99" in text
    assert "No partner activity or Secretariat task has been planned against this priority yet" in text


def test_html_formats_but_never_computes(small_catalogue: Catalogue) -> None:
    html = render_html(small_catalogue)
    # Totals from tests/model/test_budget.py. The headline is the open work in whole units: required 74,140.16,
    # gap 47,640.16, coverage 0.3574; Annex A reconciles to the cent with all the work: 101,220.40, gap 58,220.40, 0.4248.
    assert "USD\u00a074,140" in html and "USD\u00a047,640" in html
    assert 'style="width: 35.74%"' in html
    assert "101,220.40" in html and "58,220.40" in html and "42.48%" in html
    assert "27,080.24" in html  # the delivered work: ALPHA-002, BETA-001, BETA-002
    assert "partly funded" in html


# --------------------------------------------------------------------------- hostile partner text

HOSTILE = '<img src="http://127.0.0.1:{port}/x.png"><script>alert(1)</script> file:///etc/passwd'


@pytest.fixture
def recording_server() -> Iterator[tuple[int, list[str]]]:
    """A tiny HTTP server on a free local port that records every path requested of it."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], requests
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_titles_are_printed_as_text_and_never_fetched(
        small_catalogue: Catalogue, recording_server: tuple[int, list[str]], tmp_path: Path) -> None:
    port, requests = recording_server
    hostile = HOSTILE.format(port=port)
    c = small_catalogue
    activities = tuple(dataclasses.replace(a, title=hostile) if i == 0 else a for i, a in enumerate(c.activities))
    priorities = tuple(dataclasses.replace(p, title=hostile) if i == 0 else p for i, p in enumerate(c.priorities))
    partners = tuple(dataclasses.replace(p, name=hostile, contact_email=hostile) for p in c.partners)
    sources = tuple(dataclasses.replace(s, source=hostile) for s in c.funding_sources)  # chart labels too
    catalogue = dataclasses.replace(c, activities=activities, priorities=priorities, partners=partners,
                                    funding_sources=sources, title=hostile)

    html = render_html(catalogue)
    assert "<script>" not in html and "&lt;script&gt;" in html

    path = tmp_path / "hostile.pdf"
    render_pdf(catalogue, path)
    text = "".join("".join(page_text(p) for p in PdfReader(path).pages).split())
    assert "<script>alert(1)</script>" in text
    assert requests == []


def test_safe_fetcher_serves_only_the_template_folder(recording_server: tuple[int, list[str]]) -> None:
    port, requests = recording_server
    fetcher = SafeFetcher()
    css = fetcher.fetch((TEMPLATES_DIR / "catalogue.css").resolve().as_uri())
    assert css.read().startswith(b"/*")
    for url in (f"http://127.0.0.1:{port}/x.png", f"https://127.0.0.1:{port}/x.png", "file:///etc/passwd",
                (TEMPLATES_DIR / ".." / "pyproject.toml").resolve().as_uri(),
                (TEMPLATES_DIR / "catalogue.css/../../pyproject.toml").as_uri(),
                "data:text/css,body{color:red}", f"ftp://127.0.0.1:{port}/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert requests == []


def test_raw_html_cannot_reach_the_network_or_the_disk(recording_server: tuple[int, list[str]], tmp_path: Path) -> None:
    # Defence in depth: even markup that escaped autoescaping could not make WeasyPrint fetch anything.
    port, requests = recording_server
    html = f"""<html><head>
      <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
      <link rel="stylesheet" href="file:///etc/passwd">
      <style>@import url("http://127.0.0.1:{port}/import.css");
             body {{ background: url("http://127.0.0.1:{port}/bg.png") }}</style></head>
      <body><img src="http://127.0.0.1:{port}/x.png"><img src="file:///etc/passwd">
      <object data="http://127.0.0.1:{port}/o.svg"></object><p>text</p></body></html>"""
    write_pdf_from_html(html, tmp_path / "raw.pdf")
    assert (tmp_path / "raw.pdf").stat().st_size > 0
    assert requests == []


# --------------------------------------------------------------------------- formatting the PDF relies on

def test_money_whole_units_round_half_even_and_headline_keeps_cents() -> None:
    assert formatting.money(Decimal("2.50"), "USD", "en") == "USD\u00a02"
    assert formatting.money(Decimal("3.50"), "USD", "en") == "USD\u00a04"
    assert formatting.money(Decimal("1234567.50"), "USD", "en") == "USD\u00a01,234,568"
    assert formatting.money(Decimal("1234567.50"), "USD", "en", cents=True) == "USD\u00a01,234,567.50"
    assert formatting.money(Decimal("1234567.50"), "EUR", "fr", cents=True) == "1\u202f234\u202f567,50\u00a0EUR"
    with pytest.raises(TypeError):
        formatting.money(1.5, "USD", "en")  # type: ignore[arg-type]


def test_percent_and_status_words() -> None:
    assert formatting.percent(Decimal("0.4248"), "en") == "42.48%"
    assert formatting.percent(None, "en") == "—"
    assert formatting.bar_width(Decimal("1.0000")) == "100.00%"
    assert [formatting.status_text(s) for s in ("unfunded", "partly_funded", "fully_funded", "over_committed")] == [
        "unfunded", "partly funded", "fully funded", "over-committed"]


# --------------------------------------------------------------------------- languages


@pytest.fixture(scope="module")
def small_pdfs(small_catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The small catalogue rendered in French and Spanish: the text of each PDF."""
    folder = tmp_path_factory.mktemp("langs")
    texts: dict[str, str] = {}
    for lang in ("fr", "es"):
        render_pdf(small_catalogue, folder / f"{lang}.pdf", lang)
        reader = PdfReader(folder / f"{lang}.pdf")
        assert reader.trailer["/Root"].get("/Lang") == lang
        texts[lang] = spaces("\n".join(page_text(p) for p in reader.pages))
    return texts


@pytest.mark.parametrize(("lang", "labels"), [
    ("fr", ("Vue d'ensemble", "Déficit", "Où sont les déficits", "Annexe B : Financement par regroupement",
            "Chiffres au 30 juin 2025", "partiellement financé", "Couverture par objectif du Plan stratégique")),
    ("es", ("De un vistazo", "Déficit", "Dónde están los déficits", "Anexo B: Financiación por agrupación",
            "Cifras al 30 de junio de 2025", "financiado en parte", "Cobertura por meta del Plan Estratégico")),
])
def test_french_and_spanish_labels_and_numbers(small_pdfs: dict[str, str], lang: str, labels: tuple[str, ...]) -> None:
    text = small_pdfs[lang]
    for label in labels:
        assert label in text, label
    # Totals from tests/model/test_budget.py, in the locale's own style: the open gap 47,640 in whole USD at a
    # glance; all the work's gap 58,220.40 and coverage 0.4248 in Annex A.
    assert spaces(formatting.money(Decimal("47640.16"), "USD", lang)) in text
    assert {"fr": "47 640 USD", "es": "47.640 USD"}[lang] in text
    assert {"fr": "58 220,40", "es": "58.220,40"}[lang] in text
    assert {"fr": "42,48 %", "es": "42,48 %"}[lang] in text
    assert "Total required" not in text and "At a glance" not in text


def test_page_footer_is_translated(small_catalogue: Catalogue) -> None:
    html = render_html(small_catalogue, "fr")
    assert '@bottom-center { content: "page " counter(page) " sur " counter(pages); }' in html
    assert 'string-set: section "Priorité " attr(data-id)' in html
    assert '@bottom-left { content: "Chiffres au 30 juin 2025"; }' in html


def test_who_publishes_and_the_title_come_from_the_settings_in_each_language(small_catalogue: Catalogue) -> None:
    # Named per language by the settings: each document takes its own; a language they leave out reads the
    # English name through the catalogue; with no name at all, the default is translated, never hard-coded.
    named = dataclasses.replace(small_catalogue, organisation={"en": "CMS Secretariat", "fr": "Secrétariat PNUE/CMS"},
                                titles={"en": small_catalogue.title, "fr": "Catalogue des programmes"})
    french, spanish = render_html(named, "fr"), render_html(named, "es")
    assert '<p class="cover-author">Secrétariat PNUE/CMS</p>' in french and 'content="Secrétariat PNUE/CMS"' in french
    assert '<h1 class="cover-title">Catalogue des programmes</h1>' in french
    assert '<p class="cover-author">Secretaría de la CMS</p>' in spanish  # "CMS Secretariat", translated
    assert f'<h1 class="cover-title">{small_catalogue.title}</h1>' in spanish
    unnamed = render_html(dataclasses.replace(small_catalogue, organisation={}), "fr")
    assert '<p class="cover-author">Secrétariat de la CMS</p>' in unnamed and "CMS Secretariat" not in unnamed


def test_unknown_language_is_refused(small_catalogue: Catalogue) -> None:
    with pytest.raises(ValueError):
        render_html(small_catalogue, "de")


# The documents that share the catalogue's translations: their templates, and the Python that words their labels
# (renderers, and the model text matching.py marks with N_(): pack methodology, reasons, exclusions).
# Every template and every module of the library and the shells: one gettext catalogue for all they show.
TRANSLATED_TEMPLATES = tuple(sorted(str(p.relative_to(TEMPLATES_DIR)) for p in TEMPLATES_DIR.rglob("*.j2")))
TRANSLATED_MODULES = tuple(sorted(str(p.relative_to(TEMPLATES_DIR.parent)) for folder in ("catalogue", "flows")
                                  for p in (TEMPLATES_DIR.parent / folder).rglob("*.py")))


def _template_and_code_msgids() -> set[str]:
    """Every msgid shown: _() and {% trans %} in every template (documents, reports, web), _() and N_() in the code."""
    found: set[str] = set()
    for template in TRANSLATED_TEMPLATES:
        found |= {m[1] for m in extract_from_file("jinja2.ext:babel_extract", TEMPLATES_DIR / template,
                                                   options={"extensions": "jinja2.ext.i18n", "trimmed": "true"})}
    root = TEMPLATES_DIR.parent
    for module in TRANSLATED_MODULES:
        found |= {m[1] for m in extract_from_file("python", root / module)}
    return {m for m in found if isinstance(m, str) and m}


def test_the_template_uses_gettext_for_its_labels() -> None:
    msgids = _template_and_code_msgids()
    assert len(msgids) > 150
    for label in ("Gap", "At a glance", "Where the gaps are", "Annex B: Funding by grouping", "page %(page)s of %(pages)s",
                  "partly funded", "Gap by priority"):
        assert label in msgids
    # The donor pack, its reasons and methodology (matching.py), and the partner statement are scanned too.
    from catalogue.views.donor_pack import METHODOLOGY as PACK_METHODOLOGY
    for label in ("Funding opportunities", "fits ticket size", "taxon", "excluded keyword: %(values)s",
                  "Co-funding statement", "staff time", *PACK_METHODOLOGY):
        assert label in msgids, label


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_label_has_a_translation(lang: str) -> None:
    with po_path(lang).open("rb") as po_file:
        catalog = read_po(po_file, locale=lang)
    missing = [m for m in sorted(_template_and_code_msgids())
               if m not in catalog or not catalog[m].string or catalog[m].fuzzy]
    assert not missing, f"{lang}: no translation for {missing}"
    # Placeholders must survive translation, or formatting the label fails at build time.
    broken = [m.id for m in catalog if m.id and set(re.findall(r"%\(\w+\)s", m.id)) != set(re.findall(r"%\(\w+\)s", m.string))]
    assert not broken, f"{lang}: placeholders differ in {broken}"
    # The model's fixed methodology text is translated too (its headings are msgids above).
    untranslated = [text for text in METHODOLOGY.values() if translations(lang).gettext(text) == text]
    assert not untranslated, f"{lang}: methodology text without a translation: {untranslated}"


def test_languishing_reasons_are_translated_with_local_numbers(small_catalogue: Catalogue) -> None:
    from catalogue.render.words.i18n import Formatter
    fr = Formatter("fr", "USD", translations("fr").gettext)
    assert fr.reason(Reason("no-confirmed-funding")) == "aucun financement confirmé"
    below = Reason("coverage-below-threshold", (("coverage", "0.1770"), ("threshold", "0.25")))
    assert below.text == "coverage 17.7% is below the 25% threshold"
    assert fr.reason(below) == "couverture de 17,7\u00a0%, sous le seuil de 25\u00a0%"
    assert fr.reason(Reason("something-new")) == "something-new"  # a code newer than the renderer is shown as it is


def test_double_counting_is_listed(small_catalogue: Catalogue) -> None:
    double = DoubleCount(Reason("grant-ref-shared"), "GR-<b>1</b>", ("A-1 funding line 2", "B-7 funding line 1"))
    html = render_html(dataclasses.replace(small_catalogue, double_counting=(double,)))
    assert "the same grant reference is claimed by more than one activity or task" in html
    assert "GR-&lt;b&gt;1&lt;/b&gt;" in html
    french = render_html(dataclasses.replace(small_catalogue, double_counting=(double,)), "fr")
    assert "the same grant reference" not in french
    assert "A-1 funding line 2; B-7 funding line 1" in html
    assert "No money was found claimed twice" in render_html(dataclasses.replace(small_catalogue, double_counting=()))


def test_css_labels_cannot_break_out_of_the_style_element() -> None:
    assert css_string('a"b</style><script>') == '"a\\22 b\\3c \\2f style\\3e \\3c script\\3e "'
    assert css_page_counter("page %(page)s of %(pages)s") == '"page " counter(page) " of " counter(pages)'
    assert css_page_counter("%(page)s/%(pages)s") == 'counter(page) "\\2f " counter(pages)'


# --------------------------------------------------------------------------- the pack and the statement in French and Spanish

FRENCH_DONOR = {
    "id": "D-TEST-FR", "name": "Ministère d'essai", "kind": "government", "currency": "EUR", "language": "fr",
    "taxa": ["birds"], "regions": ["Asia"], "countries": ["IN"], "strategic_plan_targets": [8],
    "instruments": ["CMS"], "keywords": ["bustard"], "ticket_min": "5000", "ticket_max": "20000",
    "match_funding": True, "exclude_keywords": ["leaflet"],
}


def test_french_pack_and_spanish_statement_print_their_labels_translated(small_catalogue: Catalogue,
                                                                           tmp_path: Path) -> None:
    from catalogue.render.pdf.pack_pdf import render_pack_pdf
    from catalogue.render.pdf.statement_pdf import render_statement_pdf
    from catalogue.views.donor_pack import match_gaps
    from catalogue.views.partner_statement import partner_statement

    pack = match_gaps(small_catalogue, FRENCH_DONOR)
    assert pack.language == "fr" and pack.excluded  # BETA-003 is left out for its word "leaflet"
    render_pack_pdf(pack, tmp_path / "pack.pdf")
    reader = PdfReader(tmp_path / "pack.pdf")
    assert reader.trailer["/Root"].get("/Lang") == "fr"
    text = spaces("\n".join(page_text(p) for p in reader.pages))
    for label in ("Opportunités de financement", "Préparé pour Ministère d'essai", "Pourquoi celles-ci",
                  "Vos centres d'intérêt", "Les déficits correspondants", "Si vous le financez :", "taxon : birds",
                  "le partenaire complète les fonds des donateurs", "Partenaires concernés", "Méthodologie",
                  "Chaque priorité présentant un déficit est notée", "mot-clé exclu : leaflet", "Fonds de complément"):
        assert label in text, label
    # The pack's figures in French style: 35,040.00 + 12,600.16 = 47,640.16 (tests/views/test_donor_pack.py), whole USD.
    assert "47 640 USD" in text
    for english in ("Funding opportunities", "Why these", "If you fund this", "fits ticket size", "Methodology",
                    "excluded keyword"):
        assert english not in text, english

    statement = partner_statement(small_catalogue, "P-ALPHA")
    render_statement_pdf(statement, tmp_path / "statement.pdf", "es")
    reader = PdfReader(tmp_path / "statement.pdf")
    assert reader.trailer["/Root"].get("/Lang") == "es"
    text = spaces("\n".join(page_text(p) for p in reader.pages))
    for label in ("Informe de cofinanciación", "Cofinanciación confirmada del trabajo de la CMS", "En especie, prometido",
                  "Cofinanciación, línea por línea", "tiempo de personal", "prometido", "Lo que queda por financiar",
                  "Advertencias sobre la calidad de los datos del libro de este asociado"):
        assert label in text, label
    # Alpha's confirmed co-funding 6,000.00 and pledged 35,040.00 (tests/views/test_partner_statement.py), in Spanish style.
    assert "6000,00 USD" in text.replace(".", "") and "35.040,00 USD" in text
    for english in ("Co-funding statement", "Co-funding, line by line", "What remains to be funded", "staff time"):
        assert english not in text, english
