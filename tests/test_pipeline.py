"""The pipeline (catalogue/pipeline.py): load -> check -> merge -> budget -> model, the one path every shell runs.

A whole build assembles a catalogue; a partner's check stops after the budget with that partner's findings
only; an upload is checked in place of the partner's file; a runner sees every stage, by name, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalogue.inputs.load import Upload
from catalogue.pipeline import build_model, call_directly
from tests.fixtures.small import write_small_inputs
from tests.test_corpus import overlay


def test_a_build_runs_every_stage_in_order_and_assembles_the_catalogue(tmp_path: Path) -> None:
    seen: list[str] = []

    def recording(name: str, stage: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(name)
        return call_directly(name, stage, *args, **kwargs)

    model = build_model(write_small_inputs(tmp_path / "inputs"), build_time="2025-07-01T00:00:00Z",
                        run_stage=recording)
    assert seen == ["load-inputs", "validate-inputs", "merge-programme", "compute-budget"]
    assert model.catalogue is not None and not model.report.errors
    assert model.catalogue.provenance.build_time == "2025-07-01T00:00:00Z"
    assert {a.partner_id for a in model.catalogue.activities} == {"P-ALPHA", "P-BETA"}


def test_inputs_with_errors_stop_before_the_model(tmp_path: Path) -> None:
    inputs = overlay("required-missing-title", write_small_inputs(tmp_path / "fixture"), tmp_path / "inputs")
    model = build_model(inputs)
    assert model.catalogue is None and model.report.errors


def test_a_partners_check_reports_only_that_partner_and_makes_no_catalogue(tmp_path: Path) -> None:
    inputs = overlay("over-committed", write_small_inputs(tmp_path / "fixture"), tmp_path / "inputs")
    whole = build_model(inputs)
    beta = build_model(inputs, partner_id="P-BETA")
    alpha = build_model(inputs, partner_id="P-ALPHA")
    assert beta.catalogue is None and alpha.catalogue is None
    def over(report: Any, file: str) -> set[tuple[str, str]]:
        return {(i.location.describe(), i.message) for i in report.issues if i.code == "over-committed" and file in i.location.file}

    assert over(beta.report, "P-BETA") and over(beta.report, "") == over(whole.report, "P-BETA")
    assert not [i for i in alpha.report.issues if "P-BETA" in i.location.file]


def test_an_upload_is_checked_in_place_of_the_partners_file(tmp_path: Path) -> None:
    clean = write_small_inputs(tmp_path / "inputs")
    broken = overlay("over-committed", write_small_inputs(tmp_path / "fixture"), tmp_path / "broken")
    data = (broken / "workplans" / "P-BETA.xlsx").read_bytes()
    from_upload = build_model(clean, partner_id="P-BETA", upload=Upload(".xlsx", data))
    from_folder = build_model(broken, partner_id="P-BETA")
    assert [i.to_dict() for i in from_upload.report.sorted()] == [i.to_dict() for i in from_folder.report.sorted()]
    assert "over-committed" in {i.code for i in from_upload.report.issues}
    assert "over-committed" not in {i.code for i in build_model(clean, partner_id="P-BETA").report.issues}
