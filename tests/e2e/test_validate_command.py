"""`catalogue validate`: the gate a secretariat officer runs before a build, and a partner on its own sheet."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import REPO, run_catalogue

pytestmark = pytest.mark.slow


def test_clean_sample_validates(tmp_path: Path, prefect_api: str) -> None:
    result = run_catalogue(["validate", "--outputs", str(tmp_path / "out")], prefect_api)
    assert result.returncode == 0, result.stdout + result.stderr
    report = tmp_path / "out" / "validation"
    assert json.loads((report / "issues.json").read_text())["errors"] == 0
    assert (report / "data_docs" / "index.html").is_file()
    assert not (tmp_path / "out" / "catalogue.pdf").exists()  # validate publishes no catalogue


def test_duplicate_id_and_unknown_priority_are_named_with_their_rows(tmp_path: Path, prefect_api: str) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    book = load_workbook(inputs / "workplans" / "P-WWF.xlsx")
    sheet = book["Activities"]
    header = [c.value for c in sheet[1]]
    id_col, priority_col = header.index("id") + 1, header.index("priority_ids") + 1
    duplicated = sheet.cell(row=2, column=id_col).value
    sheet.cell(row=3, column=id_col).value = duplicated
    sheet.cell(row=4, column=priority_col).value = "DEC-99.999"
    book.save(inputs / "workplans" / "P-WWF.xlsx")

    result = run_catalogue(["validate", "--inputs", str(inputs), "--outputs", str(tmp_path / "out")], prefect_api)

    shown = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in shown
    page = html.unescape((tmp_path / "out" / "validation" / "report.html").read_text(encoding="utf-8"))
    assert f"The activity id '{duplicated}' is used twice" in page
    assert "sheet Activities, cell A3" in page  # the duplicate's row
    assert "DEC-99.999" in page and "sheet Activities, cell C4" in page
    assert 'href="data_docs/index.html"' in page
    assert (tmp_path / "out" / "validation" / "data_docs" / "index.html").is_file()


def test_partner_checks_only_its_own_workbook(tmp_path: Path, prefect_api: str) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    # Another partner's broken workbook must not bother WWF.
    (inputs / "workplans" / "P-IFAW.xlsx").write_bytes(b"not a workbook")
    result = run_catalogue(["validate", "--inputs", str(inputs), "--outputs", str(tmp_path / "out"), "--partner", "P-WWF"], prefect_api)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "out" / "validation" / "report.html").read_text(encoding="utf-8")
    assert "This report is for P-WWF:" in page
    assert "P-IFAW" not in page
    missing = run_catalogue(["validate", "--inputs", str(inputs), "--outputs", str(tmp_path / "o2"), "--partner", "P-NOPE"], prefect_api)
    assert missing.returncode == 1 and "No workplan was found for partner P-NOPE" in missing.stdout + missing.stderr
