"""The partner's own workbook, annotated: every problem cell marked and commented, nothing else changed.

For every corpus case whose partner workbook the checks could open, the workbook is annotated in French, as
the portal and `validate --partner ID --annotate --lang fr` do. Each finding with a cell has a comment on
that cell saying what was found and what to do; a first sheet lists every problem with a link to its cell;
every other cell keeps its value, formula and style, and every sheet its validations, merged ranges, widths
and visibility.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from catalogue.checks.gate import run_gate
from catalogue.inputs.files import MARKED_COPY_SHEETS
from catalogue.inputs.load import load_inputs
from catalogue.issues import Location, issue
from catalogue.render.words.i18n import translations
from catalogue.render.words.issue_text import finding_hint, finding_text
from catalogue.render.xlsx.annotated_workbook import FILLS, annotatable, annotate_workbook
from tests.fixtures.small import write_small_inputs
from tests.test_corpus import CASES, overlay

FRENCH = translations("fr").gettext
CHECK = Path("/work/shared/tools/xlsx-recalc-check")


def _cases_with_a_workbook() -> list[str]:
    return [case for case in CASES if any((Path(__file__).parents[2] / "corpus" / case / "workplans").glob("P-*.xlsx"))]


@pytest.fixture(scope="module")
def fixture_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_inputs(tmp_path_factory.mktemp("fixture") / "inputs")


def _style(cell: Any) -> tuple[Any, ...]:
    # An unset flag and a flag set to False read the same in every spreadsheet program; openpyxl writes the
    # first for the second (LibreOffice-saved workbooks spell wrapText="false" out).
    return tuple(repr(part).replace("=False", "=None") if not isinstance(part, str | int | float | type(None)) else part
                 for part in (cell.value, cell.number_format, cell.font, cell.fill, cell.border, cell.alignment,
                              cell.protection))


def _sheet_shape(sheet: Worksheet) -> tuple[Any, ...]:
    validations = sorted((str(v.sqref), v.type, v.formula1) for v in sheet.data_validations.dataValidation)
    widths = sorted((k, v.width, v.hidden) for k, v in sheet.column_dimensions.items())
    return (sheet.sheet_state, sorted(map(str, sheet.merged_cells.ranges)), validations, widths,
            sheet.max_row, sheet.max_column)


def _marked_cell(sheet: Worksheet, ref: str) -> Any:
    cell = sheet[ref]
    if isinstance(cell, MergedCell):
        (merged,) = [r for r in sheet.merged_cells.ranges if ref in r]
        return sheet.cell(merged.min_row, merged.min_col)
    return cell


@pytest.mark.parametrize("case", _cases_with_a_workbook())
def test_every_problem_cell_is_marked_and_nothing_else_changes(case: str, fixture_inputs: Path, tmp_path: Path) -> None:
    root = overlay(case, fixture_inputs, tmp_path / "inputs")
    report = run_gate(load_inputs(root)).report
    for source in sorted((root / "workplans").glob("P-*.xlsx")):
        file = f"workplans/{source.name}"
        findings = [i.to_dict() for i in report.sorted() if i.location.file == file]
        if not annotatable(source, findings):
            continue
        target = tmp_path / f"{source.stem}-annotated.xlsx"
        annotate_workbook(source, findings, FRENCH, target)
        before, after = load_workbook(source, rich_text=True), load_workbook(target, rich_text=True)

        problems = after.worksheets[0]
        assert after.sheetnames == [FRENCH("Problems"), *before.sheetnames], case
        assert after.active.title == problems.title
        assert problems.max_row == len(findings) + 1, case
        assert all(c.data_type != "f" for row in problems.iter_rows() for c in row), "the list holds text only"

        marked: set[tuple[str, str]] = set()
        for finding in findings:
            location = finding["location"]
            if location.get("sheet") in before.sheetnames and location.get("row") is not None:
                ref = f"{location.get('column') or 'A'}{location['row']}"
                cell = _marked_cell(after[location["sheet"]], ref)
                assert cell.comment is not None, (case, ref)
                assert finding_text(finding, FRENCH) in cell.comment.text, (case, ref)
                assert not finding_hint(finding, FRENCH) or finding_hint(finding, FRENCH) in cell.comment.text
                colour = cell.fill.start_color.rgb[-6:]
                assert colour == FILLS["error"] if finding["severity"] == "error" else colour in FILLS.values()
                assert cell.value == _marked_cell(before[location["sheet"]], ref).value, "the value is kept"
                marked.add((location["sheet"], cell.coordinate))
        for name in before.sheetnames:
            assert _sheet_shape(after[name]) == _sheet_shape(before[name]), (case, name)
            for row in before[name].iter_rows():
                for cell in row:
                    if (name, cell.coordinate) not in marked:
                        assert _style(after[name][cell.coordinate]) == _style(cell), (case, name, cell.coordinate)
                        assert after[name][cell.coordinate].comment == cell.comment


def test_a_finding_quoting_a_formula_stays_text(tmp_path: Path) -> None:
    """A value the partner typed as `=HYPERLINK(...)` is quoted in the list and the comment as text."""
    source = write_small_inputs(tmp_path / "inputs") / "workplans" / "P-ALPHA.xlsx"
    hostile = '=HYPERLINK("http://example.org","x")'
    found = issue("value-not-a-number", Location("workplans/P-ALPHA.xlsx", "Budget", 2, "F", "amount"),
                  "%(label)s must be a number; found '%(value)s'.", params={"label": "Amount", "value": hostile},
                  value=hostile)
    target = tmp_path / "annotated.xlsx"
    annotate_workbook(source, [found.to_dict()], FRENCH, target)
    book = load_workbook(target)
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value]
    assert all(c.data_type == "s" for c in cells) and any(hostile in str(c.value) for c in cells)
    assert hostile in book["Budget"]["F2"].comment.text
    assert book.worksheets[0]["B2"].hyperlink.location == "'Budget'!F2"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or not CHECK.exists(), reason="LibreOffice or the check is missing")
def test_the_annotated_workbook_opens_in_libreoffice_without_error(fixture_inputs: Path, tmp_path: Path) -> None:
    root = overlay("value-not-a-date", fixture_inputs, tmp_path / "inputs")
    report = run_gate(load_inputs(root)).report
    findings = [i.to_dict() for i in report.sorted() if i.location.file == "workplans/P-ALPHA.xlsx"]
    target = tmp_path / "annotated.xlsx"
    assert annotate_workbook(root / "workplans" / "P-ALPHA.xlsx", findings, translations("es").gettext, target) == 1
    result = subprocess.run([str(CHECK), str(target)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_marked_copy_sent_back_reads_as_the_workbook_itself(fixture_inputs: Path, tmp_path: Path) -> None:
    """A partner who fixes the marked copy and sends it back is not told about the list of problems."""
    root = overlay("value-not-a-date", fixture_inputs, tmp_path / "inputs")
    source = root / "workplans" / "P-ALPHA.xlsx"
    findings = [i.to_dict() for i in run_gate(load_inputs(root)).report.sorted() if i.location.file == "workplans/P-ALPHA.xlsx"]
    for lang in ("en", "fr", "es"):
        assert translations(lang).gettext("Problems").lower() in MARKED_COPY_SHEETS
        annotate_workbook(source, findings, translations(lang).gettext, tmp_path / "marked.xlsx")
        shutil.copyfile(tmp_path / "marked.xlsx", source)
        codes = {i.code for i in run_gate(load_inputs(root)).report.issues if i.location.file == "workplans/P-ALPHA.xlsx"}
        assert codes == {"value-not-a-date"}, (lang, codes)
