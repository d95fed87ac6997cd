"""The input corpus (tests/corpus/<case>/): real-world-shaped files, each the small fixture with one thing changed.

Each case folder holds only the files that differ from tests/fixtures/small.py
and an expected.json (see tests/corpus/make_corpus.py, which wrote them). A
case is copied over the fixture, loaded and gated exactly as `catalogue
validate` does; its expected findings must be there, at their places, and the
run must pass or fail as expected, never raise. Clean realities (merged
headers, serial dates, Windows-1252...) must load with no error at all.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from catalogue.checks.gate import run_gate
from catalogue.inputs.load import LoadedInputs, load_inputs
from catalogue.issues import CODES, Report, Severity, spoken_place
from catalogue.pipeline import build_model
from catalogue.render.words.i18n import translations
from tests.conftest import run_catalogue
from tests.fixtures.small import write_small_inputs

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.json").is_file())

# Realities the loader should read but does not yet: case -> why (the test is xfail(strict=True) until fixed).
KNOWN_LOADER_GAPS: dict[str, str] = {}


def expected_of(case: str) -> dict[str, Any]:
    return json.loads((CORPUS / case / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fixture_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture, written once; each case copies it."""
    return write_small_inputs(tmp_path_factory.mktemp("fixture") / "inputs")


def overlay(case: str, fixture: Path, target: Path) -> Path:
    """The fixture with the case's files on top and its removals applied."""
    shutil.copytree(fixture, target)
    folder = CORPUS / case
    for source in sorted(folder.rglob("*")):
        if source.is_file() and source.name != "expected.json":
            destination = target / source.relative_to(folder)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    for name in expected_of(case).get("remove", []):
        (target / name).unlink()
    return target


def spoken_location(where: str) -> dict[str, Any]:
    """An expected place (`Funding!F3`, `Activities row 4`, `row 2, column 'id'`, `/as_at`, a sheet) as a location."""
    if cell := re.fullmatch(r"(?P<sheet>.+)!(?P<column>[A-Z]+)(?P<row>\d+)", where):
        return {**cell.groupdict(), "row": int(cell["row"])}
    if row := re.fullmatch(r"(?P<sheet>.+) row (?P<row>\d+)", where):
        return {"sheet": row["sheet"], "row": int(row["row"])}
    if table := re.fullmatch(r"row (?P<row>\d+)(, column '(?P<header>[^']+)')?", where):
        return {k: v for k, v in {"row": int(table["row"]), "header": table["header"]}.items() if v is not None}
    return {"path": where} if where.startswith("/") else {"sheet": where}


def place_shown(where: str, text: str, gettext: Callable[[str], str]) -> bool:
    """Whether a page (or a line) names an expected place as people say it, in its language: the place itself,
    or, for one cause over many cells, the sheet with the cell among the group's places."""
    location = spoken_location(where)
    if spoken_place(location, gettext, with_file=False) in text:
        return True
    grouped_sheet = spoken_place({"sheet": location.get("sheet")}, gettext, with_file=False) + ", "
    cell = f"{location.get('column', '')}{location.get('row', '')}"
    return bool(location.get("sheet")) and grouped_sheet in text and bool(re.search(rf"\b{cell}\b", text))


def _found(report: Report) -> list[tuple[str, str, str]]:
    return sorted((i.severity.value, i.code, i.location.describe()) for i in report.issues)


def _value_at(data: Any, path: list[Any]) -> Any:
    for step in path:
        data = data[step]
    return data


def _check_values(loaded: LoadedInputs, wanted: list[dict[str, Any]]) -> None:
    for item in wanted:
        records = [r for r in loaded.records[item["kind"]] if r.id == item["id"]]
        assert len(records) == 1, f"{item['kind']} {item['id']} loaded {len(records)} times"
        record = records[0]
        got = _value_at(record.data, item["path"])
        shown = format(got, "f") if isinstance(got, Decimal) else str(got)
        assert shown == item["equals"], f"{item['id']} {item['path']}: {got!r}, expected {item['equals']!r}"
        if "cell" in item:
            assert record.locate(tuple(item["path"])).cell() == item["cell"], f"{item['id']} {item['path']}"


def _params() -> list[Any]:
    return [pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=KNOWN_LOADER_GAPS[case]))
            if case in KNOWN_LOADER_GAPS else case for case in CASES]


def test_corpus_is_complete() -> None:
    """At least 30 broken cases, every check's code covered, and the corpus small enough to keep in the repository."""
    expected = {case: expected_of(case) for case in CASES}
    broken = [case for case, e in expected.items() if not e["passes"] or e["warnings"]]
    assert len(broken) >= 30
    covered = {f["code"] for e in expected.values() for f in e["errors"] + e["warnings"]}
    # file-missing: tests/test_broken_inputs.py; schema-other: a fallback; the rest are what a run was asked for
    # (an unknown --partner or --donor, no donor profiles), tested with the packs and statements commands.
    not_from_inputs = {"file-missing", "schema-other", "unknown-partner", "unknown-donor", "donors-none",
                       "donor-currency-unknown"}
    assert set(CODES) - not_from_inputs <= covered, sorted(set(CODES) - not_from_inputs - covered)
    for case, e in expected.items():
        for finding in e["errors"]:
            assert CODES[finding["code"]][0] is Severity.ERROR, (case, finding)
        for finding in e["warnings"]:
            assert CODES[finding["code"]][0] is Severity.WARNING, (case, finding)
        assert e["passes"] is (not e["errors"]), case
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert size < 2_000_000, f"the corpus is {size:,} bytes"


@pytest.mark.parametrize("case", _params())
def test_corpus_case(case: str, fixture_inputs: Path, tmp_path: Path) -> None:
    expected = expected_of(case)
    root = overlay(case, fixture_inputs, tmp_path / "inputs")

    if expected.get("stage") == "build":
        result = build_model(root, build_time="2025-01-01T00:00:00Z")
        loaded, report, passed = result.loaded, result.report, result.gate.passed
    else:
        loaded = load_inputs(root)
        gate = run_gate(loaded)
        report, passed = gate.report, gate.passed

    found = _found(report)
    for severity, key in (("error", "errors"), ("warning", "warnings")):
        for finding in expected[key]:
            wanted = (severity, finding["code"], finding["where"])
            assert wanted in found, f"{expected['description']}\nmissing {wanted} in:\n" + "\n".join(map(str, found))
    if expected["passes"]:
        assert not report.errors, f"{expected['description']}\nunexpected errors:\n" + "\n".join(
            f"{i.code} {i.location.describe()}: {i.message}" for i in report.errors)
    assert passed is expected["passes"], "\n".join(map(str, found))
    for i in report.issues:
        assert i.message, (i.code, i.location.describe())
    _check_values(loaded, expected.get("values", []))


CLI_SAMPLE = (("id-duplicate-activity", "en"), ("file-encoding", "fr"), ("reality-libreoffice-saved", "en"),
              ("value-not-a-date", "es"))


@pytest.mark.slow
@pytest.mark.parametrize(("case", "lang"), CLI_SAMPLE)
def test_corpus_case_through_the_command(case: str, lang: str, fixture_inputs: Path, tmp_path: Path,
                                         prefect_api: str) -> None:
    """The real command, in the partner's language: each finding on a line naming its place as people say it."""
    expected = expected_of(case)
    root = overlay(case, fixture_inputs, tmp_path / "inputs")

    result = run_catalogue(["validate", "--inputs", str(root), "--outputs", str(tmp_path / "outputs"),
                            "--lang", lang], prefect_api)

    shown = result.stdout + result.stderr
    assert "Traceback" not in shown, shown
    assert result.returncode == (0 if expected["passes"] else 1), shown
    report = json.loads((tmp_path / "outputs" / "validation" / "issues.json").read_text(encoding="utf-8"))
    found = {(i["code"], i["where"]) for i in report["issues"]}
    gettext = translations(lang).gettext
    for finding in expected["errors"] + expected["warnings"]:
        assert (finding["code"], finding["where"]) in found, sorted(found)
        lines = [line for line in shown.splitlines() if f"[{finding['code']}]" in line]
        assert any(line.startswith(gettext("ERROR") if finding in expected["errors"] else gettext("WARNING"))
                   for line in lines), shown
        file, _, place = finding["where"].rpartition(": ")
        assert any(place_shown(place, line, gettext) if file else place in line for line in lines), (place, shown)
    page = (tmp_path / "outputs" / "validation" / "report.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page and gettext("Data-quality report") in page


@pytest.mark.slow
def test_partner_check_writes_the_workbook_marked_in_its_language(fixture_inputs: Path, tmp_path: Path,
                                                                  prefect_api: str) -> None:
    """`validate --partner ID --annotate --lang fr`: the partner's workbook, its problem cell commented in French."""
    from openpyxl import load_workbook

    root = overlay("value-not-a-date", fixture_inputs, tmp_path / "inputs")
    outputs = tmp_path / "outputs"
    result = run_catalogue(["validate", "--inputs", str(root), "--outputs", str(outputs), "--partner", "P-ALPHA",
                            "--annotate", "--lang", "fr"], prefect_api)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    marked = outputs / "validation" / "P-ALPHA-annotated.xlsx"
    assert f"Votre classeur avec ses problèmes signalés : {marked}" in result.stdout
    book = load_workbook(marked)
    assert book.sheetnames[0] == "Problèmes"
    assert "Début doit être une date" in book["Activities"]["G3"].comment.text
    refused = run_catalogue(["validate", "--inputs", str(root), "--outputs", str(outputs), "--annotate"], prefect_api)
    assert refused.returncode == 2 and "--partner" in refused.stdout + refused.stderr
