"""The data-quality gate: schema checks per record, then rules across records, into one Report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalogue.checks.ids import check_all_unique_ids
from catalogue.checks.plausibility import line_issues, settings_issues
from catalogue.checks.rules import run_expectation_suites, run_rules_quickly
from catalogue.checks.schema import validate_record, validate_records
from catalogue.inputs.files import is_partner_file
from catalogue.inputs.load import LoadedInputs
from catalogue.inputs.records import Record
from catalogue.inputs.settings import CatalogueSettings
from catalogue.issues import DataIssue, Report, Severity


@dataclass
class GateResult:
    report: Report
    settings: CatalogueSettings | None
    valid_records: dict[str, list[Record]]
    data_docs: Path | None = None  # where the GX Data Docs were written, if asked for

    @property
    def passed(self) -> bool:
        return self.report.valid and self.settings is not None


def _cross_record_issues(loaded: LoadedInputs, settings: CatalogueSettings, checkable: dict[str, list[Record]],
                         docs_dir: Path | None, partner_id: str | None) -> list[DataIssue]:
    """The rules across records, the settings' checks and the lines' plausibility, over every checkable record.

    Partly broken records are checked too (without their broken parts), so every problem shows in one run.
    The rules are Great Expectations suites (checks/rules.py). GX itself evaluates them where its Data Docs are
    written (`docs_dir`: the full `validate`, or --data-docs); every other run (a build, a partner's check)
    evaluates the same suites with checks/quick.py and skips GX's 2.5 s import. A test holds both engines to the
    same findings on every corpus case, the fixture and the sample.
    """
    quick = docs_dir is None
    found = run_rules_quickly(checkable, settings) if quick else run_expectation_suites(checkable, settings, docs_dir=docs_dir)
    if loaded.settings is not None:
        found += settings_issues(loaded.settings, settings, checkable)
    found += line_issues(checkable, settings)
    if partner_id is not None:
        found = [i for i in found if i.code != "priority-no-activity"]
    return found


def run_gate(loaded: LoadedInputs, docs_dir: Path | None = None, partner_id: str | None = None) -> GateResult:
    """Every problem in the inputs, found in one pass; nothing raised for bad data.

    With `docs_dir`, the Great Expectations suites also write their Data Docs
    there. With `partner_id` (only that partner's workbook was loaded), rules
    that need the whole programme (priorities nobody works on) are left out and
    the report keeps that partner's findings, plus any error that blocks it.
    """
    report = Report(list(loaded.issues))
    settings: CatalogueSettings | None = None
    if loaded.settings is not None:
        fits, problems, _ = validate_record(loaded.settings)
        report.extend(problems)
        if fits:
            settings = CatalogueSettings.from_record(loaded.settings.data)
    report.extend(check_all_unique_ids(loaded.records))
    valid: dict[str, list[Record]] = {}
    checkable: dict[str, list[Record]] = {}
    for kind, records in loaded.records.items():
        valid[kind], problems, checkable[kind] = validate_records(records)
        report.extend(problems)
    if settings is not None:
        report.extend(_cross_record_issues(loaded, settings, checkable, docs_dir, partner_id))
    if partner_id is not None:
        report = Report([i for i in report.issues if i.severity is Severity.ERROR or is_partner_file(i.location.file, partner_id)])
    return GateResult(report, settings, valid, docs_dir if docs_dir is not None and settings is not None else None)
