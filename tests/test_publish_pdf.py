"""catalogue.pdf: the sample catalogue rendered and read back with pypdf; hostile partner text stays text."""

from __future__ import annotations

import dataclasses
import http.server
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from flows.core import formatting
from flows.core.model import Catalogue
from flows.core.pipeline import build_model
from flows.core.publish_pdf import SafeFetcher, render_html, render_pdf, write_pdf_from_html
from flows.core.settings import TEMPLATES_DIR
from tests.fixtures.small import write_small_inputs

REPO = Path(__file__).resolve().parents[1]
SAMPLE_INPUTS = REPO / "inputs"
BUILD_TIME = "2025-07-01T00:00:00Z"


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

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The sample inputs built into a catalogue and rendered once for every test in this module."""
    if not list((SAMPLE_INPUTS / "workplans").glob("*.xlsx")):
        pytest.skip(f"no sample workplans in {SAMPLE_INPUTS / 'workplans'}: run benchmarks/make_sample_inputs.py")
    result = build_model(SAMPLE_INPUTS, build_time=BUILD_TIME)
    if result.catalogue is None:
        problems = "; ".join(f"{i.to_dict()['where']}: {i.message}" for i in result.report.errors[:5])
        pytest.skip(f"the sample inputs do not build a catalogue ({len(result.report.errors)} errors): {problems}")
    path = tmp_path_factory.mktemp("pdf") / "catalogue.pdf"
    render_pdf(result.catalogue, path)
    reader = PdfReader(path)
    return Rendered(result.catalogue, reader, [page_text(p) for p in reader.pages])


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    result = build_model(write_small_inputs(tmp_path_factory.mktemp("small") / "inputs"), build_time=BUILD_TIME)
    assert result.catalogue is not None, [i.message for i in result.report.errors]
    return result.catalogue


# --------------------------------------------------------------------------- the sample catalogue

def test_every_priority_has_a_bookmark(sample: Rendered) -> None:
    titles = outline_titles(sample.reader.outline)
    for section in ("Contents", "At a glance", "Priorities", "Languishing priorities", "Partner directory",
                    "Annex A: Methodology", "Annex D: Provenance"):
        assert section in titles
    for priority in sample.catalogue.priorities:
        assert any(t.startswith(f"{priority.id} — ") for t in titles), priority.id


def test_every_priority_id_is_printed(sample: Rendered) -> None:
    missing = [p.id for p in sample.catalogue.priorities if p.id not in sample.text]
    assert not missing


def test_headline_gap_is_the_models_gap_to_the_cent(sample: Rendered) -> None:
    c = sample.catalogue
    glance = next(t for t in sample.pages if "At a glance" in t and "Total required" in t)
    assert formatting.money(c.totals.figures.gap, c.reporting_currency, c.locale, cents=True) in glance
    assert formatting.money(c.totals.figures.required, c.reporting_currency, c.locale, cents=True) in glance
    assert formatting.money(c.totals.figures.secured, c.reporting_currency, c.locale, cents=True) in glance


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


# --------------------------------------------------------------------------- the small catalogue

def test_priority_with_no_work_says_so(small_catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "small.pdf"
    render_pdf(small_catalogue, path)
    text = " ".join(" ".join(page_text(p) for p in PdfReader(path).pages).split())
    assert "DEC-13.99" in text
    assert "No partner activity or Secretariat task has been planned against this priority yet" in text


def test_html_formats_but_never_computes(small_catalogue: Catalogue) -> None:
    html = render_html(small_catalogue)
    # Totals from tests/test_budget.py: required 101,220.40, gap 58,220.40, coverage 0.4248.
    assert "USD\u00a0101,220.40" in html
    assert "USD\u00a058,220.40" in html
    assert "42.48%" in html
    assert 'style="width: 42.48%"' in html
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
    catalogue = dataclasses.replace(c, activities=activities, priorities=priorities, partners=partners,
                                    title=hostile)

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
