"""What a run ends with (catalogue/outcomes.py): one pass rule, the totals, refusals that say what exists, and
an up-to-date run reporting exactly what is published."""

from __future__ import annotations

import json
from pathlib import Path

from catalogue.issues import Location, Report, issue
from catalogue.outcomes import published_result, refused, result_of, unknown_id
from catalogue.pipeline import build_model
from catalogue.publishing import layout
from tests.fixtures.small import write_small_inputs


def test_a_run_passes_only_without_errors_and_with_its_outputs_written(tmp_path: Path) -> None:
    model = build_model(write_small_inputs(tmp_path / "inputs"))
    assert model.catalogue is not None
    done = result_of(model.report, tmp_path / "out", [tmp_path / "out" / layout.CATALOGUE_JSON], model.catalogue)
    figures = model.catalogue.totals.figures
    assert done.ok and done.errors == 0
    assert done.totals is not None and (done.totals.required, done.totals.gap) == (str(figures.required), str(figures.gap))
    assert done.validation_dir == str(tmp_path / "out" / layout.VALIDATION_DIR)
    assert not result_of(model.report, tmp_path / "out", problem="No space left on device").ok
    broken = Report([issue("required-missing", Location("workplans/P-X.xlsx", "Activities", 2, "B"), "x")])
    assert not result_of(broken, tmp_path / "out").ok


def test_an_unknown_id_is_a_usage_error_naming_the_ids_that_exist(tmp_path: Path) -> None:
    found = unknown_id("--donor", "D-NOPE", ["D-A", "D-B"], "inputs/donors")
    assert found.code == "unknown-donor" and "D-A, D-B" in found.hint and "D-NOPE" in found.message
    run = refused(tmp_path, found, usage=True)
    assert run.usage_error and not run.ok and run.report.errors == [found] and run.outputs == ()


def test_an_up_to_date_run_reports_what_is_published(published_sample: dict[str, object]) -> None:
    outputs = Path(str(published_sample["outputs"]))
    published = json.loads((outputs / layout.CATALOGUE_JSON).read_text(encoding="utf-8"))
    run = published_result(outputs)
    assert run.up_to_date and run.ok and run.warnings_published == len(published["warnings"])
    assert run.totals is not None
    assert (run.totals.currency, run.totals.required, run.totals.secured, run.totals.gap) == (
        published["reporting_currency"], published["totals"]["required"], published["totals"]["secured"],
        published["totals"]["gap"])
    assert [Path(p).name for p in run.outputs] == [layout.CATALOGUE_JSON, layout.CATALOGUE_XLSX, layout.CATALOGUE_PDF]
