"""catalogue.xlsx: tables, frozen headers, formulas cached with the model's figures, partner text kept as text."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalogue.model.catalogue import Catalogue
from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.pipeline import build_model
from catalogue.render.xlsx.catalogue_workbook import write_catalogue_xlsx
from catalogue.render.xlsx.workbook import CUT_MARKER, EXCEL_CELL_LIMIT, excel_length, fit_cell_text
from tests.conftest import REPO

CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    result = build_model(REPO / "inputs", build_time="2025-06-30T00:00:00Z")
    assert result.catalogue is not None
    return result.catalogue


@pytest.fixture(scope="module")
def workbook_path(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "catalogue.xlsx"
    write_catalogue_xlsx(catalogue, path)
    return path


def _header_index(ws, header_row: int) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[header_row] if cell.value}


def _find_header_row(ws, first_header: str) -> int:
    for row in range(1, 5):
        if ws.cell(row, 1).value == first_header:
            return row
    raise AssertionError(f"{ws.title}: no header row starting with {first_header!r}")


def test_sheets_tables_and_frozen_headers(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    assert book.sheetnames[:4] == ["About", "Summary", "Priorities", "Activities"]
    for name in ("Secretariat tasks", "Funding lines", "Partners", "Gaps", "Match offers", "Groupings", "Issues", "FX rates"):
        assert name in book.sheetnames
    tables = [t for ws in book.worksheets for t in ws.tables.values()]
    assert len(tables) >= 4
    frozen = [ws.title for ws in book.worksheets if ws.freeze_panes]
    assert len(frozen) >= 4
    for name in ("Priorities", "Activities", "Gaps", "Funding lines"):
        ws = book[name]
        (table,) = ws.tables.values()
        header_row = int("".join(ch for ch in table.ref.split(":")[0] if ch.isdigit()))
        assert ws.freeze_panes == f"A{header_row + 1}", name  # the header row stays in view
        assert table.autoFilter is not None, name


def test_formula_cells_cache_the_json_figures_to_the_cent(catalogue: Catalogue, workbook_path: Path) -> None:
    data = json.loads(json.dumps(catalogue_to_json(catalogue)))
    values = load_workbook(workbook_path, data_only=True)
    formulas = load_workbook(workbook_path, data_only=False)
    checked = 0
    for sheet, first_header, items in (("Priorities", "Priority", data["priorities"]),
                                       ("Activities", "Activity", data["activities"]),
                                       ("Secretariat tasks", "Task", data["secretariat_tasks"])):
        ws_v, ws_f = values[sheet], formulas[sheet]
        header_row = _find_header_row(ws_v, first_header)
        cols = _header_index(ws_v, header_row)
        gap_col, cov_col, status_col = cols["Gap (USD)"], cols["Coverage"], cols["Funding status"]
        for offset, item in enumerate(items, start=1):
            row = header_row + offset
            assert ws_v.cell(row, 1).value == item["id"]
            assert str(ws_f.cell(row, gap_col).value).startswith("=ROUND(MAX(")
            assert str(ws_f.cell(row, cov_col).value).startswith("=IF(")
            assert Decimal(str(ws_v.cell(row, gap_col).value)).quantize(CENT) == Decimal(item["gap"]), item["id"]
            assert Decimal(str(ws_v.cell(row, cols["Required (USD)"]).value)).quantize(CENT) == Decimal(item["required"])
            cached_cov = ws_v.cell(row, cov_col).value
            if item["coverage"] is None:
                assert cached_cov in (None, "")
            else:
                assert Decimal(str(cached_cov)) == Decimal(item["coverage"]), item["id"]
            assert ws_v.cell(row, status_col).value == {"unfunded": "Unfunded", "partly_funded": "Partly funded",
                                                        "fully_funded": "Fully funded",
                                                        "over_committed": "Over-committed"}[item["status"]]
            checked += 3
    assert checked >= 100


def test_priorities_total_row_is_a_subtotal_cached_with_the_model_totals(catalogue: Catalogue, workbook_path: Path) -> None:
    totals = catalogue_to_json(catalogue)["totals"]
    values = load_workbook(workbook_path, data_only=True)["Priorities"]
    formulas = load_workbook(workbook_path)["Priorities"]
    header_row = _find_header_row(values, "Priority")
    total_row = header_row + len(catalogue.priorities) + 1
    cols = _header_index(values, header_row)
    for field in ("required", "secured", "pledged", "gap"):
        col = cols[f"{field.capitalize()} (USD)"]
        assert "SUBTOTAL(109," in str(formulas.cell(total_row, col).value)
        assert Decimal(str(values.cell(total_row, col).value)).quantize(CENT) == Decimal(totals[field]), field


def test_summary_keeps_headline_figures_and_has_three_charts(catalogue: Catalogue, workbook_path: Path) -> None:
    book = load_workbook(workbook_path, data_only=True)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert Decimal(str(summary["Gap (USD)"])).quantize(CENT) == catalogue.totals.figures.gap
    assert len(book["Summary"]._charts) == 3
    about = "\n".join(str(c.value) for row in book["About"].iter_rows() for c in row if c.value)
    assert catalogue.provenance.inputs[0].sha256 in about


def test_formula_like_partner_title_stays_text(catalogue: Catalogue, tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://x","y")'
    first = replace(catalogue.activities[0], title=evil, description="+cmd|' /C calc'!A0")
    path = tmp_path / "evil.xlsx"
    write_catalogue_xlsx(replace(catalogue, activities=(first, *catalogue.activities[1:])), path)
    ws = load_workbook(path)["Activities"]
    header_row = _find_header_row(ws, "Activity")
    cols = _header_index(ws, header_row)
    cell = ws.cell(header_row + 1, cols["Title"])
    assert cell.value == evil and cell.data_type == "s"
    assert ws.cell(header_row + 1, cols["Description"]).data_type == "s"
    assert not ws._hyperlinks


def test_text_longer_than_a_cell_is_cut_with_a_visible_marker(catalogue: Catalogue, tmp_path: Path) -> None:
    text, cut = fit_cell_text("a" * 40_000)
    assert cut and text.endswith(CUT_MARKER) and excel_length(text) == EXCEL_CELL_LIMIT
    astral, cut = fit_cell_text("🐢" * 20_000)  # each counts twice in Excel
    assert cut and excel_length(astral) <= EXCEL_CELL_LIMIT
    assert fit_cell_text("short") == ("short", False)
    first = replace(catalogue.activities[0], description="x" * 50_000)
    path = tmp_path / "long.xlsx"
    write_catalogue_xlsx(replace(catalogue, activities=(first, *catalogue.activities[1:])), path)
    ws = load_workbook(path)["Activities"]
    header_row = _find_header_row(ws, "Activity")
    value = ws.cell(header_row + 1, _header_index(ws, header_row)["Description"]).value
    assert value.endswith(CUT_MARKER) and len(value) == EXCEL_CELL_LIMIT


@pytest.mark.slow
def test_libreoffice_converts_the_workbook_to_pdf(workbook_path: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by .ci/install; without it this check cannot run"
    result = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(workbook_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "catalogue.pdf").stat().st_size > 10_000
