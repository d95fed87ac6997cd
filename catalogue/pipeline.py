"""The stages composed without Prefect: for tests, benchmarks and anyone embedding the library.

The Prefect flow in flows/build.py calls the same stage functions as tasks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from catalogue import __version__
from catalogue.checks.gate import GateResult, run_gate
from catalogue.inputs.load import LoadedInputs, Record, load_inputs
from catalogue.issues import DataIssue, Report, issue
from catalogue.model.assemble import assemble_catalogue
from catalogue.model.budget import BudgetedProgramme, budget_programme
from catalogue.model.catalogue import Catalogue
from catalogue.model.merge import merge_programme


def build_time_now() -> str:
    """UTC build time; SOURCE_DATE_EPOCH fixes it so that two builds are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class ModelResult:
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
    for item in (*budgeted.activities, *budgeted.tasks):
        if item.figures.status == "over_committed":
            found.append(issue("over-committed", by_id[item.id].origin,
                               f"{item.id} has more confirmed money than its budget: surplus {item.figures.surplus} in the reporting currency.",
                               "Check the amounts; if right, the surplus is shown and not counted against other gaps.",
                               record_id=item.id))
    for double in budgeted.double_counting:
        first_id = double.places[0].split(" ", 1)[0]
        found.append(issue("double-counted", by_id[first_id].origin,
                           f"Possible double counting: {double.reason}" + (f" ({double.grant_ref})" if double.grant_ref else "")
                           + f": {'; '.join(double.places)}.",
                           "Keep the money on one line only, or split the grant and give each part its own reference.",
                           record_id=first_id))
    return found


def build_model(inputs: Path, build_time: str | None = None) -> ModelResult:
    """load -> validate -> merge -> budget -> model; the catalogue is None when the inputs have errors."""
    loaded = load_inputs(inputs)
    gate = run_gate(loaded)
    if not gate.passed:
        return ModelResult(loaded, gate, None)
    assert gate.settings is not None
    programme = merge_programme(gate.valid_records, gate.settings)
    budgeted = budget_programme(programme)
    gate.report.extend(budget_warnings(budgeted, gate.valid_records))
    catalogue = assemble_catalogue(programme, budgeted, gate.report, loaded.files,
                                   build_time or build_time_now(), __version__)
    return ModelResult(loaded, gate, catalogue)
