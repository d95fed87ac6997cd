"""Schema validation: the fast compiled check and jsonschema always agree on what is valid."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from fastjsonschema import JsonSchemaValueException
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.checks.schema import validate_record
from catalogue.inputs.load import load_inputs
from catalogue.inputs.schemas import fast_check, validator_for

REPO = Path(__file__).resolve().parents[2]


def _fast_ok(kind: str, data: dict) -> bool:
    try:
        fast_check(kind)(data)
        return True
    except JsonSchemaValueException:
        return False


def _slow_ok(kind: str, data: dict) -> bool:
    return validator_for(kind).is_valid(data)


@pytest.fixture(scope="module")
def sample_records():
    loaded = load_inputs(REPO / "inputs")
    return [r for records in loaded.records.values() for r in records] + [loaded.settings]


def test_both_accept_the_whole_sample(sample_records) -> None:
    for record in sample_records:
        assert _fast_ok(record.kind, record.data) and _slow_ok(record.kind, record.data), record.id


JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**6), st.decimals(-100, 10**6, places=2),
                 st.text(max_size=12), st.sampled_from(["", "2025-02-31", "2025-13-01", "15/03/2025", "USD", "usd",
                                                         "P-WWF", "DEC-99.999", "confirmed", "cash", "staff_time",
                                                         "x@y", "-5", "1e3", "NaN"]),
                 st.lists(st.text(max_size=4), max_size=3))


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_fast_and_full_agree_on_mutated_records(sample_records, data) -> None:
    record = data.draw(st.sampled_from([r for r in sample_records if r.kind in ("workplan_activity", "secretariat_task", "partner", "priority")]))
    mutated = copy.deepcopy(record.data)
    # Replace or delete one field, possibly inside a budget or funding line.
    target = mutated
    lines = [k for k in ("budget_lines", "funding_lines") if mutated.get(k)]
    if lines and data.draw(st.booleans()):
        prop = data.draw(st.sampled_from(lines))
        target = data.draw(st.sampled_from(mutated[prop]))
    key = data.draw(st.sampled_from(sorted(target) + ["unexpected"]))
    if data.draw(st.booleans()):
        target.pop(key, None)
    else:
        target[key] = data.draw(JUNK)
    assert _fast_ok(record.kind, mutated) == _slow_ok(record.kind, mutated), (key, target.get(key))


def test_invalid_record_still_gets_full_located_errors(sample_records) -> None:
    record = copy.deepcopy(next(r for r in sample_records if r.kind == "workplan_activity"))
    record.data["budget_lines"][0]["currency"] = "dollars"
    fits, issues, _ = validate_record(record)
    assert not fits
    assert [i.code for i in issues] == ["value-format"]
    assert issues[0].location.sheet == "Budget"


def test_every_problem_shows_in_one_run_even_in_a_partly_broken_record(small_inputs) -> None:
    """A bad amount must not hide an unknown currency on the same activity until the next run."""
    import copy as _copy

    from catalogue.checks.gate import run_gate
    from tests.fixtures.small import WORKPLANS, write_workbook

    sheets = _copy.deepcopy(WORKPLANS["P-BETA"])
    sheets["Funding"][1][5] = "about two thousand"  # BETA-001 funding line 1: not a number
    sheets["Funding"][2][6] = "XYZ"  # BETA-001 funding line 2: no rate for XYZ
    sheets["Activities"][1][2] = "DEC-99.999"  # BETA-001 points at an unknown priority
    write_workbook(small_inputs / "workplans" / "P-BETA.xlsx", sheets)
    report = run_gate(load_inputs(small_inputs)).report
    found = {(i.code, i.location.cell()) for i in report.errors}
    assert ("value-not-a-number", "Funding!F2") in found
    assert ("currency-unknown", "Funding!G3") in found  # located in the original sheet despite the dropped line
    assert ("ref-dangling", "Activities!C2") in found
