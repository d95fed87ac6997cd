"""The data-quality gate: schema checks per record, then rules across records, into one Report."""

from __future__ import annotations

from dataclasses import dataclass

from .checks import check_all_unique_ids, check_programme
from .issues import Report
from .load import LoadedInputs, Record
from .settings import CatalogueSettings
from .validate import validate_record, validate_records


@dataclass
class GateResult:
    report: Report
    settings: CatalogueSettings | None
    valid_records: dict[str, list[Record]]

    @property
    def passed(self) -> bool:
        return self.report.valid and self.settings is not None


def run_gate(loaded: LoadedInputs) -> GateResult:
    """Every problem in the inputs, found in one pass; nothing raised for bad data."""
    report = Report(list(loaded.issues))
    settings: CatalogueSettings | None = None
    if loaded.settings is not None:
        fits, problems = validate_record(loaded.settings)
        report.extend(problems)
        if fits:
            settings = CatalogueSettings.from_record(loaded.settings.data)
    report.extend(check_all_unique_ids(loaded.records))
    valid: dict[str, list[Record]] = {}
    for kind, records in loaded.records.items():
        valid[kind], problems = validate_records(records)
        report.extend(problems)
    if settings is not None:
        report.extend(check_programme(valid, settings))
    return GateResult(report, settings, valid)
