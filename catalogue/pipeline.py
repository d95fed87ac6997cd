"""THE pipeline: load -> check -> merge -> budget -> model, and the one result every shell reads.

Every shell runs `build_model`: the CLI's flows, the web application, the tests
and the benchmarks. A Prefect flow passes `run_stage` to wrap each stage in a
task (flows/stages.py); everyone else calls the stages directly. So the path
the tests exercise is the path production runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from catalogue import __version__
from catalogue import config as paths
from catalogue.checks.gate import GateResult, run_gate
from catalogue.inputs.files import is_partner_file
from catalogue.inputs.load import LoadedInputs, Record, Upload, load_inputs
from catalogue.issues import N_, DataIssue, Location, Report, figure, issue
from catalogue.memo import Memo
from catalogue.model.assemble import assemble_catalogue
from catalogue.model.budget import BudgetedProgramme, budget_programme
from catalogue.model.catalogue import Catalogue
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

    @property
    def report(self) -> Report:
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
        return ModelResult(loaded, gate, None)
    gate.report.extend(found)
    catalogue = assemble_catalogue(programme, budgeted, gate.report, loaded.files,
                                   build_time or build_time_now(), __version__)
    return ModelResult(loaded, gate, catalogue)


@dataclass(frozen=True)
class Totals:
    """The programme's headline figures as exact decimal strings in the reporting currency."""

    currency: str
    required: str
    secured: str
    pledged: str
    gap: str
    coverage: str  # "" when nothing is required


@dataclass(frozen=True)
class RunResult:
    """The end of any run (build, validate, packs, statements), as the CLI, the flows and the web read it.

    `ok` is the one pass rule: no error in the report, and the outputs could be written.
    """

    report: Report
    outputs: tuple[str, ...] = ()
    validation_dir: str = ""
    problem: str = ""  # the outputs could not be written (disk full, read-only folder)
    up_to_date: bool = False  # nothing changed since the published run, so nothing was redone
    usage_error: bool = False  # the run was asked for something that does not exist (exit 2)
    totals: Totals | None = None
    warnings_published: int | None = None  # an up-to-date run counts the published warnings
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report.valid and not self.problem and not self.usage_error

    @property
    def errors(self) -> int:
        return len(self.report.errors)

    @property
    def warnings(self) -> int:
        return self.warnings_published if self.warnings_published is not None else len(self.report.warnings)


def totals_of(catalogue: Catalogue) -> Totals:
    f = catalogue.totals.figures
    return Totals(catalogue.reporting_currency, str(f.required), str(f.secured), str(f.pledged), str(f.gap),
                  "" if f.coverage is None else str(f.coverage))


def result_of(report: Report, outputs: Path, published: list[Path] | tuple[Path, ...] = (),
              catalogue: Catalogue | None = None, problem: str = "") -> RunResult:
    """A run that went through the gate: what it found, what it published, the totals if there is a model."""
    return RunResult(report=report, outputs=tuple(str(p) for p in published),
                     validation_dir=str(outputs / paths.VALIDATION_DIR), problem=problem,
                     totals=None if catalogue is None else totals_of(catalogue))


def refused(outputs: Path, found: DataIssue, *, usage: bool, report: Report | None = None) -> RunResult:
    """A run that cannot do what was asked (an unknown donor or partner, no donor profiles): nothing published."""
    combined = Report([found, *(report.issues if report else [])])
    return RunResult(report=combined, validation_dir=str(outputs / paths.VALIDATION_DIR), usage_error=usage)


def unknown_id(option: str, wanted: str, known: list[str], where: str) -> DataIssue:
    """`--partner X` or `--donor X` named nothing that exists: say what does."""
    code = "unknown-partner" if option == "--partner" else "unknown-donor"
    return issue(code, Location(file=where), N_("%(option)s %(wanted)s: no such id in %(where)s."),
                 N_("Choose one of: %(known)s."),
                 params={"option": option, "wanted": wanted, "where": where, "known": ", ".join(known) or "—"})


def published_result(outputs: Path) -> RunResult:
    """What is published already matches the inputs and the code: report it without redoing anything."""
    published = json.loads((outputs / paths.CATALOGUE_JSON).read_text(encoding="utf-8"))
    t = published["totals"]
    return RunResult(
        report=Report(), up_to_date=True, warnings_published=len(published["warnings"]),
        outputs=tuple(str(outputs / name) for name in (paths.CATALOGUE_JSON, paths.CATALOGUE_XLSX, paths.CATALOGUE_PDF)),
        validation_dir=str(outputs / paths.VALIDATION_DIR),
        totals=Totals(published["reporting_currency"], t["required"], t["secured"], t["pledged"], t["gap"],
                      t["coverage"] or ""),
    )
