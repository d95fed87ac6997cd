"""THE pipeline: load -> check -> merge -> budget -> model (what a run ends with: outcomes.py).

Every shell runs `build_model`: the CLI's flows, the web application, the tests
and the benchmarks. A Prefect flow passes `run_stage` to wrap each stage in a
task (flows/stages.py); everyone else calls the stages directly. So the path
the tests exercise is the path production runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from catalogue import __version__
from catalogue.checks.gate import GateResult, run_gate
from catalogue.inputs.files import is_partner_file
from catalogue.inputs.load import LoadedInputs, Upload, load_inputs
from catalogue.inputs.records import Record
from catalogue.issues import N_, DataIssue, Report, figure, issue
from catalogue.memo import Memo
from catalogue.model.assemble import assemble_catalogue
from catalogue.model.budget import BudgetedProgramme, budget_programme
from catalogue.model.catalogue import Activity, Catalogue
from catalogue.model.double_counting import FUNDING_LINE_AT, place_parts
from catalogue.model.merge import merge_programme

T = TypeVar("T")
StageRunner = Callable[..., Any]


def call_directly(name: str, stage: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a stage as a plain function call (tests, benchmarks, the web's quick check)."""
    return stage(*args, **kwargs)


def build_time_now() -> str:
    """UTC build time; SOURCE_DATE_EPOCH fixes it so that two builds are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class ModelResult:
    """What the pipeline made of the inputs; `catalogue` is None when the gate did not pass."""

    loaded: LoadedInputs
    gate: GateResult
    catalogue: Catalogue | None
    # A partner's check (`partner_id`) that passed the gate: that partner's activities as the budget figured
    # them, in the reporting currency (what the desk compares an upload with the workbook in the inputs by).
    partner_activities: tuple[Activity, ...] | None = None
    reporting_currency: str = ""

    @property
    def report(self) -> Report:
        """The gate's report, with the budget's warnings added when the gate passed."""
        return self.gate.report


def budget_warnings(budgeted: BudgetedProgramme, records: dict[str, list[Record]]) -> list[DataIssue]:
    """Warnings only the budget can see: over-committed items and money claimed twice (shown, not errors)."""
    found: list[DataIssue] = []
    by_id = {r.data["id"]: r for kind in ("workplan_activity", "secretariat_task") for r in records[kind]}
    over = [(item.id, item.figures) for item in budgeted.activities] + [(item.id, item.figures) for item in budgeted.tasks]
    for item_id, figures in over:
        if figures.status == "over_committed":
            found.append(issue("over-committed", by_id[item_id].origin,
                               N_("%(id)s has more confirmed money than its budget: surplus %(surplus)s in the reporting currency."),
                               N_("Check the amounts; if right, the surplus is shown and not counted against other gaps."),
                               params={"id": item_id, "surplus": figure(figures.surplus)},
                               record_id=item_id))
    for double in budgeted.double_counting:
        first_id = double.places[0].split(" ", 1)[0]
        message = (N_("Possible double counting: %(partner)s's money is counted by the Secretariat and by the partner "
                      "itself on the same priority: %(places)s.") if double.reason.code == "partner-counted-twice" else
                   N_("Possible double counting: the same grant reference (%(ref)s) is claimed by more than one activity "
                      "or task: %(places)s."))
        found.append(issue("double-counted", by_id[first_id].origin, message,
                           N_("Keep the money on one line only, or split the grant and give each part its own reference."),
                           params={"partner": dict(double.reason.params).get("partner_id", ""),
                                   "ref": double.grant_ref or "—",
                                   "places": [{"template": FUNDING_LINE_AT, **place_parts(p)} for p in double.places]},
                           record_id=first_id))
    found.extend(budgeted.warnings)  # what the model itself found (years clipped to the period)
    return found


def build_model(inputs: Path, build_time: str | None = None, *, partner_id: str | None = None,
                docs_dir: Path | None = None, memo: Memo | None = None, upload: Upload | None = None,
                run_stage: StageRunner = call_directly) -> ModelResult:
    """load -> validate -> merge -> budget -> model; the catalogue is None when the inputs have errors.

    `partner_id` reads only that partner's workbook (with the shared lists) and
    stops after the budget: the partner is told what the budget sees of its own activities (over-committed,
    money claimed twice, years clipped to the period), and no catalogue is assembled. `docs_dir` asks
    Great Expectations for Data Docs there. `upload` (with `partner_id`) checks those bytes as the partner's
    workplan instead of the file in `inputs` (a partner's upload on the web: nothing is written). `memo`
    remembers each input file's reading and schema checks by content (catalogue/memo.py), so a rebuild after
    one workbook changed reads and checks that one alone.
    """
    loaded = run_stage("load-inputs", load_inputs, inputs, partner_id=partner_id, memo=memo, upload=upload)
    gate = run_stage("validate-inputs", run_gate, loaded, docs_dir=docs_dir, partner_id=partner_id, memo=memo)
    if not gate.passed:
        return ModelResult(loaded, gate, None)
    assert gate.settings is not None  # gate.passed says so
    programme = run_stage("merge-programme", merge_programme, gate.valid_records, gate.settings)
    budgeted = run_stage("compute-budget", budget_programme, programme)
    found = budget_warnings(budgeted, gate.valid_records)
    if partner_id is not None:
        gate.report.extend(i for i in found if is_partner_file(i.location.file, partner_id))
        own = tuple(a for a in budgeted.activities if a.partner_id == partner_id)
        return ModelResult(loaded, gate, None, own, gate.settings.reporting_currency)
    gate.report.extend(found)
    catalogue = assemble_catalogue(programme, budgeted, gate.report, loaded.files,
                                   build_time or build_time_now(), __version__)
    return ModelResult(loaded, gate, catalogue)
