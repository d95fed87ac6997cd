"""The quick check of one uploaded workbook, without Prefect: seconds, located, in the order a person fixes them.

The upload is checked as the CLI's `validate --partner` checks a workbook: the library's door
(catalogue.api.check_partner_workbook) reads the upload's bytes as the partner's workplan beside the real
shared lists; nothing is copied or written.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalogue.api import check_partner_workbook, warm_partner_check


@dataclass(frozen=True)
class CheckResult:
    """What the check of one upload found: counts, and every finding as a row for the report pages."""

    errors: int
    warnings: int
    issues: list[dict[str, Any]]  # DataIssue.to_dict(), in the order a person fixes them


def check_upload(inputs: Path, upload: Path, partner_id: str, suffix: str) -> CheckResult:
    """Check the stored upload as `partner_id`'s workplan (a file of type `suffix`) against the lists in `inputs`."""
    report = check_partner_workbook(inputs, partner_id, suffix, upload.read_bytes())
    issues = [found.to_dict() for found in report.sorted()]  # places are worded when shown, in the reader's language
    return CheckResult(len(report.errors), len(report.warnings), issues)


def warm_up(inputs: Path) -> threading.Thread:
    """Check one workbook of the real inputs in the background at start: the first partner's check then takes
    a second or two instead of five (Great Expectations and the schemas load once, on first use)."""
    thread = threading.Thread(target=warm_partner_check, args=(inputs,), name="check-warm-up", daemon=True)
    thread.start()
    return thread
