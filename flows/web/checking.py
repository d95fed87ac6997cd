"""The quick check of one uploaded workbook, without Prefect: seconds, located, in the order a person fixes them.

The upload is checked as the CLI's `validate --partner` checks it: the library's pipeline (build_model with the
partner's id: read, checks, budget warnings of its own activities) over a temporary inputs folder holding the
real shared lists and the upload as the partner's workplan.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalogue.checks.gate import run_gate
from catalogue.inputs.files import partner_of
from catalogue.inputs.load import load_inputs
from catalogue.issues import DataIssue
from catalogue.pipeline import build_model

from .storage import make_check_folder

# One check at a time: the Great Expectations suites the gate runs keep process-wide state and are not known
# to be thread-safe; a check takes a second or two, so partners uploading together wait that long in turn.
_gate_lock = threading.Lock()


@dataclass(frozen=True)
class CheckResult:
    errors: int
    warnings: int
    issues: list[dict[str, Any]]  # DataIssue.to_dict(), in the order a person fixes them


def check_upload(inputs: Path, upload: Path, partner_id: str, suffix: str, scratch: Path) -> CheckResult:
    """Check `upload` as `partner_id`'s workplan against the shared lists in `inputs`."""
    scratch.mkdir(parents=True, exist_ok=True)
    folder = make_check_folder(inputs, upload, partner_id, suffix, scratch)
    try:
        with _gate_lock:
            report = build_model(folder, partner_id=partner_id).report
        issues = [_as_row(found) for found in report.sorted()]
        return CheckResult(len(report.errors), len(report.warnings), issues)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _as_row(found: DataIssue) -> dict[str, Any]:
    row = found.to_dict()
    row["cell"] = found.location.cell()
    return row


def warm_up(inputs: Path) -> threading.Thread:
    """Check one workbook of the real inputs in the background at start: the first partner's check then takes
    a second or two instead of five (Great Expectations and the schemas load once, on first use)."""

    def run() -> None:
        workplans = sorted((inputs / "workplans").glob("*.xlsx")) if (inputs / "workplans").is_dir() else []
        owners = [owner for owner in (partner_of(f"workplans/{p.name}") for p in workplans) if owner]
        if owners:
            with _gate_lock:
                run_gate(load_inputs(inputs, partner_id=owners[0]), partner_id=owners[0])

    thread = threading.Thread(target=run, name="check-warm-up", daemon=True)
    thread.start()
    return thread
