"""catalogue.pdf laid out in parts, in parallel, from a cache: it must read exactly as the whole document does.

The whole document in one WeasyPrint run (render/pdf/catalogue_document.render_pdf) is
the reference; the build's path (render/pdf/layout_pool.render_catalogue_pdf)
must give the same pages, words, bookmarks, links and destinations, a valid
structure tree and "page x of y"; the same bytes with one worker or two and from
a warm cache; and after one activity changes, the bytes of a cold render.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from catalogue.model.catalogue import Catalogue
from catalogue.pipeline import build_model
from catalogue.render.pdf.catalogue_document import render_pdf
from catalogue.render.pdf.layout_pool import render_catalogue_pdf
from tests.fixtures.small import write_small_inputs

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow  # the sample and the small fixture laid out again and again, in parts and whole


def words(page: Any) -> str:
    # The stamped page number is a separate drawing, so text extractors put a line break where the whole
    # document has a space; the words and their order are what must be the same.
    return " ".join((page.extract_text() or "").replace("\x00", "").split())


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    entries: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return entries


def links(reader: PdfReader) -> list[tuple[int, str]]:
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            target = annotation.get("/Dest") or annotation["/A"].get("/URI")
            found.append((number, str(target)))
    return found


def destinations(reader: PdfReader) -> dict[str, int]:
    return {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}


def test_parallel_parts_read_exactly_as_the_whole_document(sample_catalogue: Catalogue, sample_parts_pdf: tuple[Path, Any],
                                                            tmp_path: Path) -> None:
    sample = sample_catalogue
    render_pdf(sample, tmp_path / "whole.pdf")  # the reference: the whole document in one WeasyPrint run
    parts, stats = _assert_read_as_the_whole_document(tmp_path / "whole.pdf", *sample_parts_pdf)
    assert stats.parts > 40
    assert len(outline(parts)) == 2 + 9 + len(sample.priorities) + len(sample.partners) + 5  # every bookmark kept (9: the delivered work's section too; 5: annex I too)


def test_long_tables_and_the_page_counter_cut_into_slices_still_read_as_the_whole_document(
        small: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At scale the partner directory and two annexes are laid out a slice at a time; every rendering starts each
    slice on a new page under the section's running head, so the parts still break where the whole document does."""
    from catalogue.render.pdf import layout_pool as catalogue_pdf
    from catalogue.render.pdf import parts as pdf_parts

    sizes = {"delivered": 2, "partners": 1, "annex-sources": 3, "annex-warnings": 1, "annex-flows": 2}
    monkeypatch.setattr(pdf_parts, "ROWS_PER_PART", sizes)
    monkeypatch.setattr(catalogue_pdf, "COUNTER_PAGES_PER_PART", 4)  # "page x of y" in slices too
    parts, _ = _assert_parts_read_as_the_whole_document(small, tmp_path)
    for title, count, size in (("Delivered work and its unfunded part", len(small.delivered_work()), sizes["delivered"]),
                               ("Partner directory", len(small.partners), sizes["partners"]),
                               ("Annex C: Money by source", len(small.funding_sources), sizes["annex-sources"]),
                               ("Annex G: Data-quality warnings", len(small.warnings), sizes["annex-warnings"])):
        assert count > size  # the fixture has more than one slice of each
        under_its_head = [n for n, page in enumerate(parts.pages) if n > 2 and title in words(page)]
        assert len(under_its_head) >= -(-count // size)  # each slice on its own page(s), the section's running head


def _assert_parts_read_as_the_whole_document(catalogue: Catalogue, tmp_path: Path) -> tuple[PdfReader, Any]:
    render_pdf(catalogue, tmp_path / "whole.pdf")
    stats = render_catalogue_pdf(catalogue, tmp_path / "parts.pdf", workers=2)
    return _assert_read_as_the_whole_document(tmp_path / "whole.pdf", tmp_path / "parts.pdf", stats)


def _assert_read_as_the_whole_document(whole_pdf: Path, parts_pdf: Path, stats: Any) -> tuple[PdfReader, Any]:
    whole, parts = PdfReader(whole_pdf), PdfReader(parts_pdf)

    assert stats.rendered == stats.parts  # no cache: every part laid out
    assert len(parts.pages) == len(whole.pages) == stats.pages
    assert [words(p) for p in parts.pages] == [words(p) for p in whole.pages]
    assert outline(parts) == outline(whole)
    assert destinations(parts) == destinations(whole)
    assert links(parts) == links(whole)  # every link between parts points at a named destination, none is lost
    assert parts.metadata == whole.metadata
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        assert parts.trailer["/Root"][key] == whole.trailer["/Root"][key]
    total = len(parts.pages)
    assert all(f"page {n} of {total}" in words(p) for n, p in enumerate(parts.pages, start=1) if n > 1)
    assert "page 1 of" not in words(parts.pages[0])  # the cover has no number, as in the whole document
    return parts, stats


def test_the_joined_structure_tree_is_whole(sample_parts_pdf: tuple[Path, Any]) -> None:
    with pikepdf.open(sample_parts_pdf[0]) as pdf:
        pages = {page.obj.objgen for page in pdf.pages}
        root = pdf.Root.StructTreeRoot
        document = root.K[0]
        assert document.S == pikepdf.Name.Document and len(document.K) >= len(pdf.pages)  # each page adds its elements
        nums = root.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert keys == sorted(set(keys)) and int(root.ParentTreeNextKey) == keys[-1] + 1
        # Each page's and each link's key is its own, and leads to structure elements on that page.
        page_keys = [int(page.obj.StructParents) for page in pdf.pages]
        annotation_keys = [int(a.StructParent) for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert len(set(page_keys + annotation_keys)) == len(page_keys) + len(annotation_keys)
        assert set(page_keys + annotation_keys) <= set(keys)
        elements = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                    and obj.get("/Type") == pikepdf.Name.StructElem and "/Pg" in obj]
        assert elements and all(e.Pg.objgen in pages for e in elements)  # no element points at a lost page


@pytest.fixture
def small(tmp_path: Path) -> Catalogue:
    result = build_model(write_small_inputs(tmp_path / "inputs"), build_time="2025-07-01T00:00:00Z")
    assert result.catalogue is not None
    return result.catalogue


def test_one_worker_two_workers_and_a_warm_cache_give_the_same_bytes(small: Catalogue, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    one = render_catalogue_pdf(small, tmp_path / "one.pdf", workers=1)
    two = render_catalogue_pdf(small, tmp_path / "two.pdf", workers=2, cache_dir=cache)
    warm = render_catalogue_pdf(small, tmp_path / "warm.pdf", workers=2, cache_dir=cache)
    assert one.rendered == two.rendered == one.parts and warm.rendered == 0 and warm.reused == warm.parts
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes() == (tmp_path / "warm.pdf").read_bytes()


def test_a_rendering_begun_in_the_warm_pool_gives_the_same_bytes(small: Catalogue, tmp_path: Path) -> None:
    """A build begins the PDF in its layout processes, writes the other files, then finishes it."""
    from catalogue.render.pdf.layout_pool import CatalogueRendering, warm_layout_pool

    render_catalogue_pdf(small, tmp_path / "alone.pdf", workers=1)
    with warm_layout_pool(workers=2):
        rendering = CatalogueRendering(small, "en", None)
        rendering.begin()
        assert rendering.started is not None  # handed to the pool: begin() returns before the layout is done
        (tmp_path / "meanwhile.txt").write_text("the workbook and catalogue.json are written here")
        stats = rendering.write(tmp_path / "begun.pdf")
    assert stats.rendered == stats.parts
    assert (tmp_path / "begun.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_a_rebuild_lends_its_idle_layout_processes_to_the_workbook(small: Catalogue, tmp_path: Path) -> None:
    """When the cache holds most parts (a rebuild after a small change), a layout process makes the workbook
    while this one finishes the PDF: the same workbook as made here. A cold build keeps them for the layout."""
    from catalogue.publishing.catalogue_release import _write_xlsx
    from catalogue.render.pdf.layout_pool import CatalogueRendering, warm_layout_pool
    from catalogue.render.xlsx.catalogue_workbook import write_catalogue_xlsx

    cache = tmp_path / "cache"
    with warm_layout_pool(workers=2):
        cold = CatalogueRendering(small, "en", None, cache_dir=cache)
        cold.begin()
        assert cold.spare_pool() is None  # every part to lay out: the processes are not spare
        cold.write(tmp_path / "cold.pdf")
        warm = CatalogueRendering(small, "en", None, cache_dir=cache)
        warm.begin()
        pool = warm.spare_pool()
        assert pool is not None and warm.stats.rendered == 0
        _write_xlsx(small, "en", None, pool)(tmp_path / "lent.xlsx")
        warm.write(tmp_path / "warm.pdf")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    write_catalogue_xlsx(small, tmp_path / "here.xlsx")
    assert _cells(tmp_path / "lent.xlsx") == _cells(tmp_path / "here.xlsx")


def test_one_changed_workplan_re_renders_only_what_shows_it(tmp_path: Path) -> None:
    inputs = write_small_inputs(tmp_path / "inputs")
    before = build_model(inputs, build_time="2025-07-01T00:00:00Z").catalogue
    assert before is not None
    cache = tmp_path / "cache"
    render_catalogue_pdf(before, tmp_path / "before.pdf", cache_dir=cache)
    # Beta's leaflet costs more: its priority, Beta's directory entry and every total move; Alpha's bustards do not.
    _set_budget_amount(inputs / "workplans" / "P-BETA.xlsx", "BETA-003", "2000.15")
    after = build_model(inputs, build_time="2025-07-01T00:00:00Z").catalogue
    assert after is not None and after.totals.figures.required != before.totals.figures.required
    incremental = render_catalogue_pdf(after, tmp_path / "incremental.pdf", cache_dir=cache)
    cold = render_catalogue_pdf(after, tmp_path / "cold.pdf")
    assert cold.rendered == cold.parts
    assert 0 < incremental.rendered < incremental.parts
    assert incremental.reused >= 2  # at least the unchanged priority and a section with no money in it
    assert (tmp_path / "incremental.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    text = " ".join(words(p) for p in PdfReader(BytesIO((tmp_path / "incremental.pdf").read_bytes())).pages)
    assert "2,000" in text


def _set_budget_amount(workbook: Path, activity: str, amount: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    sheet = book["Budget"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == activity:
            row[5].value = amount
    book.save(workbook)


def test_page_numbers_follow_the_language(small: Catalogue, tmp_path: Path) -> None:
    render_catalogue_pdf(small, tmp_path / "fr.pdf", lang="fr", cache_dir=tmp_path / "cache")
    reader = PdfReader(tmp_path / "fr.pdf")
    total = len(reader.pages)
    assert re.search(rf"page 2 sur {total}", words(reader.pages[1]))


def test_a_later_build_of_the_same_figures_reuses_the_body(tmp_path: Path) -> None:
    inputs = write_small_inputs(tmp_path / "inputs")
    first = build_model(inputs, build_time="2025-07-01T00:00:00Z").catalogue
    later = build_model(inputs, build_time="2025-07-02T09:30:00Z").catalogue
    assert first is not None and later is not None
    render_catalogue_pdf(first, tmp_path / "first.pdf", cache_dir=tmp_path / "cache")
    stats = render_catalogue_pdf(later, tmp_path / "later.pdf", cache_dir=tmp_path / "cache")
    # Only what prints the build time is laid out again: the front (its creation date; once with stand-in page
    # numbers to measure the contents, once with the real ones) and the provenance annex.
    assert stats.rendered == 3, stats
    assert PdfReader(tmp_path / "later.pdf").metadata["/CreationDate"].startswith("D:20250702")
