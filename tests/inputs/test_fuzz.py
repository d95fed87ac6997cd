"""Property-based fuzzing of the reading and checking stages: whatever the bytes, a clean read or located issues.

Hypothesis mutates a real workbook's bytes and XML parts, the cells of a
sheet and the text of the JSON files; the loader (and, for a sample of the
cases, the whole gate) must never raise, and every issue must carry a
registered code, a message and the file it is about. CI runs a few hundred
examples; set CATALOGUE_FUZZ_EXAMPLES to run more (e.g. 5000) on demand.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from catalogue.checks.gate import run_gate
from catalogue.inputs.load import LoadedInputs, load_inputs
from catalogue.issues import CODES
from tests.fixtures.small import write_small_inputs

SCALE = int(os.environ.get("CATALOGUE_FUZZ_EXAMPLES", "0"))
WORKPLAN = "workplans/P-ALPHA.xlsx"


def fuzz(default: int) -> settings:
    """Settings for one fuzz test: reproducible in CI (derandomized), `default` examples unless asked for more."""
    return settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
                    derandomize=SCALE == 0, database=None, max_examples=max(default, SCALE))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_inputs(tmp_path_factory.mktemp("fuzz") / "pristine")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory, pristine: Path) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "inputs"
    shutil.copytree(pristine, root)
    return root


def _assert_located(loaded: LoadedInputs) -> None:
    for found in loaded.issues:
        assert found.code in CODES
        assert found.message and found.location.file
        assert "Error" not in found.message and "Exception" not in found.message, found.message


def _load_with(scratch: Path, pristine: Path, name: str, raw: bytes) -> LoadedInputs:
    (scratch / name).write_bytes(raw)
    try:
        loaded = load_inputs(scratch)
        _assert_located(loaded)
        return loaded
    finally:
        shutil.copyfile(pristine / name, scratch / name)


mutations = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8)


@fuzz(120)
@given(changes=mutations, cut=st.one_of(st.none(), st.integers(min_value=0)))
def test_workbook_bytes(scratch: Path, pristine: Path, changes: list[tuple[int, int]], cut: int | None) -> None:
    raw = bytearray((pristine / WORKPLAN).read_bytes())
    for position, byte in changes:
        raw[position % len(raw)] = byte
    if cut is not None:
        raw = raw[: cut % len(raw)]
    _load_with(scratch, pristine, WORKPLAN, bytes(raw))


HOSTILE_XML = [b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", b"&a;", b"&undefined;", b"<c r=\"XFD1048576\"><v>1</v></c>",
               b"<c r=\"A200001\"><v>1</v></c>", b"<c><v>2</v></c>", b"\x00", b"\xff\xfe", b"<", b"]]>", b"<row r=\"0\">",
               b"<c r=\"B2\" t=\"e\"><v>#N/A</v></c>", b"<c r=\"C3\" t=\"s\"><v>99999</v></c>", b"<sheet name=\"x\" r:id=\"rId99\"/>"]


def _rezip(raw: bytes, member: str, change: Any) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == member else data)
    return out.getvalue()


@fuzz(120)
@given(part=st.integers(min_value=0), at=st.integers(min_value=0),
       insert=st.one_of(st.sampled_from(HOSTILE_XML), st.binary(max_size=40)), delete=st.integers(min_value=0, max_value=50))
def test_workbook_xml_parts(scratch: Path, pristine: Path, part: int, at: int, insert: bytes, delete: int) -> None:
    raw = (pristine / WORKPLAN).read_bytes()
    names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    member = names[part % len(names)]

    def change(data: bytes) -> bytes:
        where = at % (len(data) + 1)
        return data[:where] + insert + data[where + delete:]
    _load_with(scratch, pristine, WORKPLAN, _rezip(raw, member, change))


cell_values = st.one_of(
    st.none(), st.text(max_size=30), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(["1 200,50", "15/03/2025", "31/02/2024", "=1+1", "\x00title", "about ten", "P-ALPHA2", "#N/A", "€"]),
)


def _safe_cell(value: Any) -> Any:
    """openpyxl refuses control characters in cells; a partner's Excel cannot type them either."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    return value


@fuzz(60)
@given(edits=st.lists(st.tuples(st.sampled_from(["Activities", "Budget", "Funding"]), st.integers(1, 8),
                                st.integers(1, 14), cell_values), min_size=1, max_size=6))
def test_sheet_cells(scratch: Path, pristine: Path, edits: list[tuple[str, int, int, Any]]) -> None:
    workbook = load_workbook(pristine / WORKPLAN)
    for sheet, row, column, value in edits:
        workbook[sheet].cell(row=row, column=column, value=_safe_cell(value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    _load_with(scratch, pristine, WORKPLAN, buffer.getvalue())


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12),
              st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=20,
)


@fuzz(80)
@given(document=json_values, keep=st.booleans(), noise=st.text(max_size=20), at=st.integers(min_value=0))
def test_json_text(scratch: Path, pristine: Path, document: Any, keep: bool, noise: str, at: int) -> None:
    base = json.loads((pristine / "settings.json").read_text(encoding="utf-8"))
    if keep and isinstance(document, dict):
        base.update(document)
        text = json.dumps(base)
    else:
        text = json.dumps(document)
    where = at % (len(text) + 1)
    _load_with(scratch, pristine, "settings.json", (text[:where] + noise + text[where:]).encode("utf-8", "surrogatepass"))


@given(edits=st.lists(st.tuples(st.sampled_from(["Activities", "Budget", "Funding"]), st.integers(2, 5),
                                st.integers(1, 14), cell_values), min_size=1, max_size=4),
       settings_patch=st.dictionaries(st.sampled_from(["reporting_currency", "as_at", "title", "locale"]),
                                      st.one_of(st.text(max_size=8), st.sampled_from(["EUR", "XXX", "2099-01-01", "usd"])),
                                      max_size=2))
@fuzz(12)
def test_the_gate_on_mutated_cells(scratch: Path, pristine: Path, edits: list[tuple[str, int, int, Any]],
                                   settings_patch: dict[str, str]) -> None:
    """The whole gate (schema, ids, GX rules) on mutated cells and settings: issues, never an exception."""
    workbook = load_workbook(pristine / WORKPLAN)
    for sheet, row, column, value in edits:
        workbook[sheet].cell(row=row, column=column, value=_safe_cell(value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    base = json.loads((pristine / "settings.json").read_text(encoding="utf-8"))
    base.update(settings_patch)
    (scratch / "settings.json").write_text(json.dumps(base), encoding="utf-8")
    try:
        loaded = _load_with(scratch, pristine, WORKPLAN, buffer.getvalue())
        report = run_gate(loaded).report
        assert all(i.code in CODES and i.message for i in report.issues)
    finally:
        shutil.copyfile(pristine / "settings.json", scratch / "settings.json")


def test_values_survive_a_round_trip(pristine: Path) -> None:
    """The unmutated fixture reads with no error (the baseline every mutation starts from)."""
    loaded = load_inputs(pristine)
    assert not [i for i in loaded.issues if i.severity.value == "error"]
    assert isinstance(loaded.records["workplan_activity"][0].data["start"], str)
    assert not any(isinstance(v, float) for r in loaded.records["workplan_activity"] for line in r.data.get("budget_lines", [])
                   for v in line.values()), "money must never be a float"
    assert isinstance(next(iter(loaded.records["fx_rate"])).data["rate"], Decimal | str | int)
