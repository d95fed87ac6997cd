"""End to end: the real `catalogue` command on the sample and on the hand-checked fixture; JSON, XLSX and PDF agree."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from pypdf import PdfReader

from catalogue.inputs.schemas import load_schema_documents, schema_registry
from tests.conftest import REPO, run_catalogue

pytestmark = pytest.mark.slow


def _schema_errors(data: dict) -> list[str]:
    validator = Draft202012Validator(load_schema_documents()["catalogue.schema.json"], registry=schema_registry())
    return [e.message for e in validator.iter_errors(data)]


def _summary_values(xlsx: Path) -> dict[str, object]:
    sheet = load_workbook(xlsx, read_only=True)["Summary"]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def _pdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)


@pytest.fixture(scope="module")
def sample_build(published_sample: dict[str, Any]) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The session's `catalogue build` of the sample (--inputs defaults to inputs/: tests/conftest.py), read only."""
    return published_sample["outputs"], published_sample["results"]["build"]


def test_sample_build_publishes_three_files(sample_build) -> None:
    outputs, result = sample_build
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("catalogue.json", "catalogue.xlsx", "catalogue.pdf", "validation/report.html", "validation/issues.json"):
        assert (outputs / name).is_file(), name
    assert "Wrote" in result.stdout and "gap" in result.stdout


def test_sample_catalogue_json_is_valid_and_complete(sample_build) -> None:
    outputs, _ = sample_build
    data = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))
    assert _schema_errors(data) == []
    assert len(data["partners"]) >= 19
    assert len(data["priorities"]) >= 30
    assert len(data["activities"]) >= 120
    assert data["languishing_priorities"], "the sample has priorities nobody works on"
    assert {f["name"] for f in data["provenance"]["inputs"]} >= {"partners.csv", "priorities.csv", "workplans/P-WWF.xlsx"}
    for kind in ("activities", "secretariat_tasks", "priorities", "partners"):
        for item in data[kind]:
            gap = Decimal(item["gap"])
            assert gap == max(Decimal(item["required"]) - Decimal(item["secured"]), Decimal(0)), item["id"]
    # every grouping adds up to the totals, to the cent: the open work, and with the delivered work all of it
    totals = data["totals"]
    work = data["activities"] + data["secretariat_tasks"]
    for field in ("required", "secured", "pledged", "gap"):
        from_priorities = sum(Decimal(p[field]) for p in data["priorities"])
        from_open_work = sum(Decimal(a[field]) for a in work if a["timing"] == "open")
        assert from_priorities == from_open_work == Decimal(totals[field]), field
        from_all_work = sum(Decimal(a[field]) for a in work)
        parts = sum(Decimal(totals[part][field]) for part in ("past", "suspended")) + Decimal(totals[field])
        assert from_all_work == parts == Decimal(totals["all"][field]), field


def test_sample_pdf_and_workbook_have_substance(sample_build) -> None:
    outputs, _ = sample_build
    reader = PdfReader(str(outputs / "catalogue.pdf"))
    assert len(reader.pages) >= 10
    workbook = load_workbook(outputs / "catalogue.xlsx", read_only=True)
    assert len(workbook.sheetnames) >= 4
    assert {"Summary", "Priorities", "Activities", "Partners"} <= set(workbook.sheetnames)


def test_sample_workbook_opens_in_libreoffice(sample_build, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by .ci/install; without it this check cannot run"
    outputs, _ = sample_build
    result = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(outputs / "catalogue.xlsx")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "catalogue.pdf").stat().st_size > 10_000


def test_small_fixture_totals_agree_across_json_xlsx_and_pdf(small_inputs: Path, tmp_path: Path, prefect_api: str) -> None:
    from catalogue.render.words.formatting import money

    outputs = tmp_path / "outputs"
    result = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))
    # Worked out by hand in tests/model/test_budget.py: the open work, and all of it.
    assert (data["totals"]["required"], data["totals"]["secured"], data["totals"]["gap"]) == ("74140.16", "26500.00", "47640.16")
    assert (data["totals"]["all"]["required"], data["totals"]["all"]["gap"]) == ("101220.40", "58220.40")
    summary = _summary_values(outputs / "catalogue.xlsx")
    assert Decimal(str(summary["Required (USD)"])) == Decimal("74140.16")
    assert Decimal(str(summary["Secured (USD)"])) == Decimal("26500.00")
    assert Decimal(str(summary["Gap (USD)"])) == Decimal("47640.16")
    assert Decimal(str(summary["All work, required (USD)"])) == Decimal("101220.40")
    text = _pdf_text(outputs / "catalogue.pdf")
    assert money(Decimal("47640.16"), "USD", "en") in text  # the headline, for reading
    for exact in ("47,640.16", "58,220.40", "101,220.40"):  # Annex A, to the cent
        assert exact in text


def test_an_amount_in_words_stops_the_sample_build(tmp_path: Path, prefect_api: str) -> None:
    """The foundation's 'done when': a copy of the sample with one amount in words."""
    from openpyxl import load_workbook as open_book

    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    book = open_book(inputs / "workplans" / "P-WWF.xlsx")
    funding = book["Funding"]
    header = [c.value for c in funding[1]]
    amount_col = header.index("amount") + 1
    funding.cell(row=2, column=amount_col).value = "about ten thousand"
    book.save(inputs / "workplans" / "P-WWF.xlsx")
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    (outputs / "catalogue.json").write_text("earlier", encoding="utf-8")

    result = run_catalogue(["build", "--inputs", str(inputs), "--outputs", str(outputs)], prefect_api)

    shown = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in shown
    assert "about ten thousand" in shown and "sheet Funding, cell G2 (amount)" in shown
    assert (outputs / "catalogue.json").read_text(encoding="utf-8") == "earlier"
    assert not (outputs / "catalogue.pdf").exists()


def test_usage_errors_exit_2(tmp_path: Path, prefect_api: str) -> None:
    assert run_catalogue(["build", "--inputs", str(tmp_path / "nope")], prefect_api).returncode == 2
    assert run_catalogue(["frobnicate"], prefect_api).returncode == 2
    assert run_catalogue(["build", "--lang", "de", "--outputs", str(tmp_path / "o")], prefect_api).returncode == 2


def test_an_unexpected_failure_is_one_plain_sentence_and_publishes_nothing(small_inputs: Path, tmp_path: Path,
                                                                           prefect_api: str) -> None:
    import os

    outputs = tmp_path / "outputs"
    first = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert first.returncode == 0, first.stderr
    before = (outputs / "catalogue.json").read_bytes()
    # A program fault, not a data fault: someone broke the catalogue's template.
    home = tmp_path / "home"
    shutil.copytree(REPO / "schemas", home / "schemas")
    shutil.copytree(REPO / "templates", home / "templates")
    (home / "templates" / "catalogue.html.j2").write_text("{% if %}", encoding="utf-8")
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "CATALOGUE_HOME": str(home), "COLUMNS": "200"}
    from tests.conftest import catalogue_command

    broken = subprocess.run(catalogue_command() + ["build", "--force", "--inputs", str(small_inputs), "--outputs",
                                                   str(outputs)], env=env, capture_output=True, text=True, timeout=600)
    assert broken.returncode == 1
    assert "catalogue stopped on an unexpected error" in broken.stderr and "CATALOGUE_DEBUG=1" in broken.stderr
    assert "Traceback" not in broken.stderr + broken.stdout
    assert (outputs / "catalogue.json").read_bytes() == before
