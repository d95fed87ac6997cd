"""The quick check of one uploaded workbook, without Prefect: seconds, located, in the order a person fixes them.

The upload is checked as the CLI's `validate --partner` checks a workbook: the library's door
(catalogue.api.check_partner_workbook) reads the upload's bytes as the partner's workplan beside the real
shared lists; nothing is copied or written.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalogue.api import WorkbookComparison, check_partner_workbook, compare_partner_workbook, warm_partner_check

from .partners import workplan_in_inputs


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


_comparisons: OrderedDict[tuple[Any, ...], WorkbookComparison | None] = OrderedDict()
_comparisons_lock = threading.Lock()
COMPARISONS_KEPT = 64


def _inputs_state(inputs: Path, partner_id: str) -> tuple[Any, ...]:
    """What a comparison depends on besides the upload: the partner's workbook in the inputs (its bytes) and
    the shared lists (names, sizes and times of the top-level files: a new exchange rate moves the money)."""
    current = workplan_in_inputs(inputs, partner_id)
    digest = hashlib.sha256(current.read_bytes()).hexdigest() if current is not None else ""
    shared = tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in inputs.iterdir() if p.is_file()))
    return digest, shared


def compare_upload(inputs: Path, upload: Path, sha256: str, partner_id: str, suffix: str) -> WorkbookComparison | None:
    """What the stored upload changes against the partner's workbook in `inputs` (None: it has errors).
    Kept while neither side changes, so the desk's page costs the comparison once."""
    key = (sha256, partner_id, suffix, _inputs_state(inputs, partner_id))
    with _comparisons_lock:
        if key in _comparisons:
            _comparisons.move_to_end(key)
            return _comparisons[key]
    comparison = compare_partner_workbook(inputs, partner_id, suffix, upload.read_bytes())
    with _comparisons_lock:
        _comparisons[key] = comparison
        while len(_comparisons) > COMPARISONS_KEPT:
            _comparisons.popitem(last=False)
    return comparison


def warm_up(inputs: Path) -> threading.Thread:
    """Check one workbook of the real inputs in the background at start: the first partner's check then takes
    a second or two instead of five (Great Expectations and the schemas load once, on first use)."""
    thread = threading.Thread(target=warm_partner_check, args=(inputs,), name="check-warm-up", daemon=True)
    thread.start()
    return thread
