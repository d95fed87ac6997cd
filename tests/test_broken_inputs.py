"""The broken-input corpus: each case is the small fixture with one thing wrong, run through the real command.

Every case must exit 1, name the file and the place (sheet and cell, or row and
column) and the problem, show no traceback, and leave earlier outputs exactly
as they were.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_catalogue
from tests.fixtures.small import PRIORITIES, WORKPLANS, write_csv, write_workbook

Mutation = Callable[[Path], None]


def _workplan(partner: str, change: Callable[[dict], None]) -> Mutation:
    def mutate(root: Path) -> None:
        sheets = copy.deepcopy(WORKPLANS[partner])
        change(sheets)
        write_workbook(root / "workplans" / f"{partner}.xlsx", sheets)
    return mutate


def _set(sheet: str, row: int, col: int, value) -> Callable[[dict], None]:
    def change(sheets: dict) -> None:
        sheets[sheet][row][col] = value
    return change


def _drop_column(sheet: str, header: str) -> Callable[[dict], None]:
    def change(sheets: dict) -> None:
        index = sheets[sheet][0].index(header)
        for row in sheets[sheet]:
            del row[index]
    return change


def _rename_sheet(old: str, new: str) -> Callable[[dict], None]:
    def change(sheets: dict) -> None:
        sheets[new] = sheets.pop(old)
    return change


def _priorities(change: Callable[[list], None], encoding: str = "utf-8") -> Mutation:
    def mutate(root: Path) -> None:
        rows = copy.deepcopy(PRIORITIES)
        change(rows)
        write_csv(root / "priorities.csv", rows, encoding=encoding)
    return mutate


def _append_row(sheet: str, row: list) -> Callable[[dict], None]:
    def change(sheets: dict) -> None:
        sheets[sheet].append(row)
    return change


def _write(name: str, content: bytes) -> Mutation:
    def mutate(root: Path) -> None:
        (root / name).write_bytes(content)
    return mutate


def _remove(name: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / name).unlink()
    return mutate


# case -> (mutation, expected code, text the located message must contain)
CASES: dict[str, tuple[Mutation, str, str]] = {
    "text-in-amount": (_workplan("P-BETA", _set("Funding", 2, 5, "about ten thousand")), "value-not-a-number", "sheet Funding, cell F3"),
    "negative-amount": (_workplan("P-ALPHA", _set("Budget", 1, 5, -10000)), "value-negative", "sheet Budget, cell F2"),
    "bad-date": (_workplan("P-ALPHA", _set("Activities", 2, 6, "31/02/2024")), "value-not-a-date", "sheet Activities, cell G3"),
    "wrong-type": (_priorities(lambda rows: rows[1].__setitem__(3, "twelve")), "value-not-a-number", "priorities.csv, row 2, column 'cop': CoP must be a number; found 'twelve'"),
    "missing-column": (_workplan("P-ALPHA", _drop_column("Budget", "currency")), "column-missing", "P-ALPHA.xlsx, sheet Budget, row 1"),
    "unknown-currency": (_workplan("P-BETA", _set("Funding", 1, 6, "XYZ")), "currency-unknown", "sheet Funding, cell G2"),
    "unknown-partner": (_workplan("P-BETA", _set("Activities", 1, 1, "P-GAMMA")), "ref-dangling", "sheet Activities, cell B2"),
    "dangling-priority": (_workplan("P-BETA", _set("Activities", 2, 2, "DEC-99.999")), "ref-dangling", "sheet Activities, cell C3"),
    "empty-file": (_write("partners.csv", b""), "file-empty", "partners.csv"),
    "wrong-sheet-name": (_workplan("P-ALPHA", _rename_sheet("Funding", "Funds")), "sheet-missing", "P-ALPHA.xlsx, sheet Funding: The workbook has no sheet called 'Funding'"),
    # Bytes no single-byte Windows code page defines: neither UTF-8 nor Windows-1252 (which is read, with a warning).
    "non-utf8-csv": (_write("priorities.csv", ",".join(PRIORITIES[0]).encode() + b"\nRES-12.21,resolution,Clim\x81\x8d,12\n"),
                     "file-encoding", "priorities.csv, row 2"),
    "duplicate-id": (_workplan("P-BETA", _set("Activities", 2, 0, "BETA-001")), "id-duplicate", "sheet Activities, cell A3"),
    "orphan-budget-row": (_workplan("P-ALPHA", _append_row("Budget", ["ALPHA-999", 1, "cash", "Lost", "USD", 100])), "row-orphan", "sheet Budget, cell A6"),
    "end-before-start": (_workplan("P-BETA", _set("Activities", 1, 7, "01/01/2020")), "dates-reversed", "sheet Activities, cell H2"),
    "not-allowed-status": (_workplan("P-BETA", _set("Funding", 1, 4, "maybe")), "value-not-allowed", "sheet Funding, cell E2"),
    "corrupt-workbook": (_write("workplans/P-BETA.xlsx", b"this is not a workbook"), "file-unreadable", "workplans/P-BETA.xlsx"),
    "xls-workbook": (_write("workplans/P-DELTA.xls", b"\xd0\xcf\x11\xe0 old excel"), "file-type-unsupported", "workplans/P-DELTA.xls"),
    "settings-missing": (_remove("settings.json"), "file-missing", "settings.json"),
    "required-empty": (_workplan("P-ALPHA", _set("Activities", 1, 3, None)), "required-missing", "sheet Activities, cell D2"),
}


@pytest.fixture(scope="module")
def previous_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Stand-ins for an earlier successful build, which a failed run must not touch."""
    return {"catalogue.json": b'{"earlier": true}\n', "catalogue.xlsx": b"earlier workbook", "catalogue.pdf": b"%PDF earlier"}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_input_is_located_and_publishes_nothing(case: str, small_inputs: Path, tmp_path: Path,
                                                       prefect_api: str, previous_outputs: dict[str, bytes]) -> None:
    mutate, code, where = CASES[case]
    mutate(small_inputs)
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    for name, content in previous_outputs.items():
        (outputs / name).write_bytes(content)

    result = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)

    shown = result.stdout + result.stderr
    assert result.returncode == 1, shown
    assert "Traceback" not in shown
    lines = [line for line in shown.splitlines() if f"[{code}]" in line]
    assert lines, f"no [{code}] line in:\n{shown}"
    assert any(where in line for line in lines), f"no line naming {where!r}:\n" + "\n".join(lines)
    for name, content in previous_outputs.items():
        assert (outputs / name).read_bytes() == content, f"{name} was touched"
    report = json.loads((outputs / "validation" / "issues.json").read_text(encoding="utf-8"))
    assert report["valid"] is False
    assert any(i["code"] == code for i in report["issues"])
    assert (outputs / "validation" / "report.html").exists()
