"""The stages composed without Prefect: for tests, benchmarks and anyone embedding the library.

The Prefect flow in flows/build.py calls the same stage functions as tasks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from .assemble import assemble_catalogue
from .budget import budget_programme
from .gate import GateResult, run_gate
from .issues import Report, issue
from .load import LoadedInputs, load_inputs
from .merge import merge_programme
from .model import Catalogue


def build_time_now() -> str:
    """UTC build time; SOURCE_DATE_EPOCH fixes it so that two builds are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class ModelResult:
    loaded: LoadedInputs
    gate: GateResult
    catalogue: Catalogue | None

    @property
    def report(self) -> Report:
        return self.gate.report


def over_commitment_warnings(catalogue_activities, records) -> list:
    """A warning for every activity or task whose confirmed money exceeds its budget (shown, not an error)."""
    found = []
    by_id = {r.data["id"]: r for kind in ("workplan_activity", "secretariat_task") for r in records[kind]}
    for item in catalogue_activities:
        if item.figures.status == "over_committed":
            record = by_id[item.id]
            found.append(issue("over-committed", record.origin,
                               f"{item.id} has more confirmed money than its budget: surplus {item.figures.surplus} in the reporting currency.",
                               "Check the amounts; if right, the surplus is shown and not counted against other gaps.",
                               record_id=item.id))
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
    gate.report.extend(over_commitment_warnings(budgeted.activities + budgeted.tasks, gate.valid_records))
    catalogue = assemble_catalogue(programme, budgeted, gate.report, loaded.files,
                                   build_time or build_time_now(), __version__)
    return ModelResult(loaded, gate, catalogue)
