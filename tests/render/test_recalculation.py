"""Issue 17 item 6: the workbooks recalculated by LibreOffice show no error cell, and coverage rounds as the model does."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalogue.model.catalogue import Catalogue
from catalogue.money import coverage
from catalogue.pipeline import build_model
from catalogue.render.xlsx.catalogue_workbook import write_catalogue_xlsx
from catalogue.render.xlsx.pack_workbook import write_pack_xlsx
from catalogue.render.xlsx.statement_workbook import write_statement_xlsx
from catalogue.views.donor_pack import match_gaps
from catalogue.views.partner_statement import partner_statement
from tests.conftest import REPO

CHECK = Path("/work/shared/tools/xlsx-recalc-check")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")]
DONOR = {"id": "D-T", "name": "Test", "kind": "government", "currency": "USD", "language": "en", "taxa": ["birds"],
         "ticket_max": "100000", "match_funding": True}


@pytest.fixture(scope="module")
def sample() -> Catalogue:
    result = build_model(REPO / "inputs", build_time="2025-06-30T00:00:00Z")
    assert result.catalogue is not None
    return result.catalogue


def _recalc_check(path: Path) -> subprocess.CompletedProcess[str]:
    if not CHECK.exists():
        pytest.skip("xlsx-recalc-check is not on this machine")
    return subprocess.run([str(CHECK), str(path)], capture_output=True, text=True, timeout=300)


def test_sample_workbooks_recalculate_without_error_cells(sample: Catalogue, tmp_path: Path) -> None:
    write_catalogue_xlsx(sample, tmp_path / "catalogue.xlsx")
    write_pack_xlsx(match_gaps(sample, DONOR), tmp_path / "pack.xlsx")
    write_statement_xlsx(partner_statement(sample, sample.partners[0].id), tmp_path / "statement.xlsx", "fr")
    for name in ("catalogue.xlsx", "pack.xlsx", "statement.xlsx"):
        result = _recalc_check(tmp_path / name)
        assert result.returncode == 0, f"{name}: {result.stdout}"


def _recalculated(path: Path, out: Path) -> Path:
    """The workbook as LibreOffice saves it after recalculating every formula."""
    home = out / "home"
    home.mkdir()
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{home}", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=300, env={"HOME": str(home), "PATH": "/usr/bin:/bin"})
    return out / path.name


def test_recalculated_coverage_rounds_half_even_at_a_tie(sample: Catalogue, tmp_path: Path) -> None:
    # 2,469.00 / 20,000.00 = 0.12345 exactly: half-even gives 0.1234, ROUND (half away from zero) 0.1235.
    # 2,471.00 / 20,000.00 = 0.12355: half-even gives 0.1236, like ROUND.
    first, second = sample.activities[0], sample.activities[1]
    items = []
    for activity, secured in ((first, Decimal("2469.00")), (second, Decimal("2471.00"))):
        required = Decimal("20000.00")
        figures = dataclasses.replace(activity.figures, required=required, secured=secured, gap=required - secured,
                                      surplus=Decimal("0.00"), coverage=coverage(secured, required),
                                      status="partly_funded")
        items.append(dataclasses.replace(activity, figures=figures))
    assert [a.figures.coverage for a in items] == [Decimal("0.1234"), Decimal("0.1236")]
    catalogue = dataclasses.replace(sample, activities=(*items, *sample.activities[2:]))
    path = tmp_path / "in" / "catalogue.xlsx"
    path.parent.mkdir()
    write_catalogue_xlsx(catalogue, path)
    out = tmp_path / "out"
    out.mkdir()
    ws = load_workbook(_recalculated(path, out), data_only=True)["Activities"]
    header_row = next(r for r in range(1, 5) if ws.cell(r, 1).value == "Activity")
    col = next(c.column for c in ws[header_row] if c.value == "Coverage")
    shown = [Decimal(str(ws.cell(header_row + i, col).value)) for i in (1, 2)]
    assert shown == [Decimal("0.1234"), Decimal("0.1236")]
