"""The gate (checks/gate.py): every problem of the inputs found in one pass, and what passes it.

It reads loaded records and never raises for bad data; with a partner's id it keeps that partner's findings
(and any error that blocks them); the records it hands on are exactly those that fit their schema.
"""

from __future__ import annotations

import json
from pathlib import Path

from catalogue.checks.gate import run_gate
from catalogue.inputs.load import load_inputs
from catalogue.issues import Severity
from tests.fixtures.small import write_small_inputs
from tests.test_corpus import overlay


def test_clean_inputs_pass_with_settings_and_every_record(tmp_path: Path) -> None:
    loaded = load_inputs(write_small_inputs(tmp_path / "inputs"))
    gate = run_gate(loaded)
    assert gate.passed and not gate.report.errors
    assert gate.settings is not None and gate.settings.reporting_currency == "USD"
    for kind, records in loaded.records.items():
        assert len(gate.valid_records[kind]) == len(records), kind  # nothing valid is dropped


def test_a_record_that_breaks_its_schema_is_reported_and_not_handed_on(tmp_path: Path) -> None:
    inputs = overlay("required-missing-title", write_small_inputs(tmp_path / "fixture"), tmp_path / "inputs")
    loaded = load_inputs(inputs)
    gate = run_gate(loaded)
    assert not gate.passed
    missing = [i for i in gate.report.errors if i.code == "required-missing"]
    assert missing and missing[0].location.file == "workplans/P-ALPHA.xlsx" and missing[0].location.row is not None
    handed_on = {r.data.get("id") for r in gate.valid_records["workplan_activity"]}
    read = [r.data.get("id") for r in loaded.records["workplan_activity"]]
    assert len(handed_on) < len(read)


def test_a_partners_check_keeps_its_own_findings(tmp_path: Path) -> None:
    inputs = overlay("required-missing-title", write_small_inputs(tmp_path / "fixture"), tmp_path / "inputs")
    for partner, expect_errors in (("P-ALPHA", True), ("P-BETA", False)):
        gate = run_gate(load_inputs(inputs, partner_id=partner), partner_id=partner)
        assert bool(gate.report.errors) is expect_errors, partner
        assert all(i.severity is Severity.ERROR or partner in i.location.file for i in gate.report.issues)


def test_unreadable_settings_are_a_finding_not_a_crash(tmp_path: Path) -> None:
    inputs = write_small_inputs(tmp_path / "inputs")
    (inputs / "settings.json").write_text(json.dumps({"reporting_currency": 5}), encoding="utf-8")
    gate = run_gate(load_inputs(inputs))
    assert not gate.passed and gate.settings is None
    assert any(i.location.file == "settings.json" for i in gate.report.errors)
