"""The data-quality gate: schema checks per record, then rules across records, into one Report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalogue.checks.donors import donor_issues
from catalogue.checks.ids import check_all_unique_ids
from catalogue.checks.plausibility import line_issues, settings_issues
from catalogue.checks.rules import run_expectation_suites, run_rules_quickly
from catalogue.checks.schema import Checked, gather_checks, validate_record, validate_records
from catalogue.inputs.files import is_partner_file
from catalogue.inputs.load import LoadedInputs
from catalogue.inputs.records import Record
from catalogue.inputs.settings import CatalogueSettings
from catalogue.issues import DataIssue, Report, Severity
from catalogue.memo import Memo, content_key


@dataclass
class GateResult:
    report: Report
    settings: CatalogueSettings | None
    valid_records: dict[str, list[Record]]
    data_docs: Path | None = None  # where the GX Data Docs were written, if asked for

    @property
    def passed(self) -> bool:
        """True when no finding is an error and the settings are valid: the catalogue can be built."""
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
    found += donor_issues(checkable)
    if partner_id is not None:
        found = [i for i in found if i.code != "priority-no-activity"]
    return found


SAME_RECORD = "same"  # in a remembered check: the checkable part is the record itself


def _checked_file(records: list[Record]) -> list[tuple[bool, list[DataIssue], Record | str | None]]:
    """validate_record on each of one file's records, in a form that can be remembered without the records."""
    outcome: list[tuple[bool, list[DataIssue], Record | str | None]] = []
    for record in records:
        fits, problems, part = validate_record(record)
        outcome.append((fits, problems, SAME_RECORD if part is record else part))
    return outcome


def validate_by_file(records: list[Record], read_keys: dict[str, str],
                     memo: Memo | None) -> tuple[list[Record], list[DataIssue], list[Record]]:
    """validate_records, one file at a time, each file's checks remembered under the key its records were read by.

    The records of a file are a function of its read key, and the checks of the records (and the code, which
    the memo's store salts every key with): an unchanged workbook is not checked again. The result is in the
    records' order, as validate_records gives it.
    """
    if memo is None:
        return validate_records(records)
    positions: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        positions.setdefault(record.origin.file, []).append(i)
    checks: list[Checked] = [(False, [], None)] * len(records)
    for name, where in positions.items():
        group = [records[i] for i in where]
        key = content_key("checked", read_keys[name]) if name in read_keys else None
        outcome = memo.get(key) if key else None
        if outcome is None or len(outcome) != len(group):
            outcome = _checked_file(group)
            if key:
                memo.put(key, outcome)
        for i, (fits, problems, part) in zip(where, outcome, strict=True):
            checks[i] = (fits, problems, records[i] if isinstance(part, str) else part)
    return gather_checks(records, checks)


def _said_once(found: list[DataIssue]) -> list[DataIssue]:
    """A cell whose formula has no saved result is not also reported as empty: one cause, said once, as it is."""
    def cell(i: DataIssue) -> tuple[object, ...]:
        return (i.location.file, i.location.sheet, i.location.row, i.location.column)

    formulas = {cell(i) for i in found if i.code == "formula-no-result"}
    return [i for i in found if not (formulas and i.code == "required-missing" and cell(i) in formulas)]


def run_gate(loaded: LoadedInputs, docs_dir: Path | None = None, partner_id: str | None = None,
             memo: Memo | None = None) -> GateResult:
    """Every problem in the inputs, found in one pass; nothing raised for bad data.

    With `docs_dir`, the Great Expectations suites also write their Data Docs
    there. With `partner_id` (only that partner's workbook was loaded), rules
    that need the whole programme (priorities nobody works on) are left out and
    the report keeps that partner's findings, plus any error that blocks it.
    With `memo`, each file's records are checked against the schema once per content; the rules across
    records always run on everything.
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
        valid[kind], problems, checkable[kind] = validate_by_file(records, loaded.read_keys, memo)
        report.extend(problems)
    if settings is not None:
        report.extend(_cross_record_issues(loaded, settings, checkable, docs_dir, partner_id))
    if partner_id is not None:
        report = Report([i for i in report.issues if i.severity is Severity.ERROR or is_partner_file(i.location.file, partner_id)])
    return GateResult(Report(_said_once(report.issues)), settings, valid, docs_dir if docs_dir is not None and settings is not None else None)
