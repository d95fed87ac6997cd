"""The partner template: generated from the schema, prefilled, and read back by the normal loader."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalogue.api import write_partner_template
from catalogue.inputs.load import load_inputs
from catalogue.inputs.schemas import kind_spec
from catalogue.pipeline import build_model
from tests.conftest import REPO

SAMPLE = REPO / "inputs"


@pytest.fixture
def inputs_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE, tmp_path / "inputs"))


def test_template_has_schema_headers_help_and_validations(tmp_path: Path) -> None:
    path = tmp_path / "P-WWF.xlsx"
    write_partner_template("P-WWF", SAMPLE, path)
    book = load_workbook(path)
    spec = kind_spec("workplan_activity")
    assert [c.value for c in book["Activities"][1]] == list(spec.main.fields)
    assert [c.value for c in book["Budget"][1]] == ["activity_id", *spec.children["budget_lines"].fields]
    assert [c.value for c in book["Funding"][1]] == ["activity_id", *spec.children["funding_lines"].fields]
    assert "Activity id" in book["Activities"]["A1"].comment.text
    validations = sum(len(book[name].data_validations.dataValidation) for name in ("Activities", "Budget", "Funding"))
    assert validations >= 3
    kinds = {v.type for name in ("Activities", "Budget", "Funding") for v in book[name].data_validations.dataValidation}
    assert {"list", "whole", "date"} <= kinds
    assert book["Priorities"].protection.sheet
    assert "How to fill in" in book.sheetnames


def test_prefilled_template_loads_back_unchanged(inputs_copy: Path) -> None:
    before = build_model(inputs_copy, build_time="x").catalogue
    write_partner_template("P-WWF", SAMPLE, inputs_copy / "workplans" / "P-WWF.xlsx")
    loaded = load_inputs(inputs_copy)
    assert loaded.issues == []
    after = build_model(inputs_copy, build_time="x")
    assert after.report.errors == []
    assert after.catalogue is not None and before is not None
    wwf = lambda c: [a for a in c.activities if a.partner_id == "P-WWF"]  # noqa: E731
    assert wwf(after.catalogue) == wwf(before)
    assert after.catalogue.totals == before.totals


def test_unknown_partner_is_a_value_error_naming_valid_ids(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="P-WWF"):
        write_partner_template("P-NOBODY", SAMPLE, tmp_path / "x.xlsx")


def test_a_new_partner_fills_in_the_template_and_the_catalogue_builds(inputs_copy: Path) -> None:
    with (inputs_copy / "partners.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    new = dict(zip(header, rows[1], strict=True))
    new.update({"id": "P-NEWCO", "name": "New Conservation Org", "short_name": "NewCo",
                "contact/email": "cms@newco.example.org", "countries": "KE"})
    with (inputs_copy / "partners.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([new[h] for h in header])
    path = inputs_copy / "workplans" / "P-NEWCO.xlsx"
    write_partner_template("P-NEWCO", inputs_copy, path)

    book = load_workbook(path)
    assert book["Activities"].max_row == 1  # nothing prefilled for a new partner
    priority = book["Priorities"]["A2"].value

    def fill(sheet: str, values: dict[str, object]) -> None:
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        for column, value in values.items():
            ws.cell(2, header.index(column) + 1).value = value

    fill("Activities", {"id": "NEWCO-001", "partner_id": "P-NEWCO", "priority_ids": priority,
                        "title": "Vulture poison response teams", "countries": "KE",
                        "start": date(2025, 1, 1), "end": date(2025, 12, 31), "status": "planned"})
    fill("Budget", {"activity_id": "NEWCO-001", "line": 1, "kind": "cash", "description": "Training",
                    "currency": "USD", "amount": 25000})
    fill("Funding", {"activity_id": "NEWCO-001", "line": 1, "source": "NewCo own funds",
                     "source_type": "partner_own_funds", "status": "confirmed", "amount": 5000, "currency": "USD"})
    book.save(path)

    result = build_model(inputs_copy, build_time="x")
    assert result.report.errors == []
    assert result.catalogue is not None
    (activity,) = [a for a in result.catalogue.activities if a.id == "NEWCO-001"]
    # 25,000 required - 5,000 confirmed = 20,000 gap
    assert (activity.figures.required, activity.figures.secured, activity.figures.gap) == (25000, 5000, 20000)


def test_template_command_writes_the_workbook_and_exits_2_for_an_unknown_partner(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["template", "--partner", "P-WWF", "--inputs", str(SAMPLE), "--outputs", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "templates" / "P-WWF.xlsx"
    assert str(path) in result.output.replace("\n", "")
    assert sum(len(load_workbook(path)[s].data_validations.dataValidation) for s in ("Activities", "Budget", "Funding")) >= 3
    unknown = runner.invoke(app, ["template", "--partner", "P-NOBODY", "--inputs", str(SAMPLE), "--outputs", str(tmp_path)])
    assert unknown.exit_code == 2
    assert not (tmp_path / "templates" / "P-NOBODY.xlsx").exists()
