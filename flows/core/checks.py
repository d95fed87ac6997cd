"""Rules across records: ids unique, references resolve, currencies have rates, dates make sense.

These run on schema-valid records only, so every field they read has its
contracted type. (Issue 5 moves them onto Great Expectations suites; the codes
and messages here are the contract those suites must keep.)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterable

from .issues import DataIssue, issue, shorten
from .load import Record
from .settings import CatalogueSettings

_LABELS = {"partner": "partner", "priority": "priority", "secretariat_task": "task", "workplan_activity": "activity", "fx_rate": "exchange rate"}


def check_unique_ids(records: Iterable[Record], kind: str) -> list[DataIssue]:
    found: list[DataIssue] = []
    first: dict[str, Record] = {}
    key = "currency" if kind == "fx_rate" else "id"
    for record in records:
        value = record.data.get(key)
        if not isinstance(value, str):
            continue
        if value in first:
            earlier = first[value].locate((key,))
            found.append(issue("id-duplicate", record.locate((key,)),
                               f"The {_LABELS[kind]} id '{value}' is used twice; it was first used at {earlier.describe()}.",
                               f"Give each {_LABELS[kind]} its own id, or delete the repeated row.",
                               value=value, field=key, record_id=value, related=(earlier,)))
        else:
            first[value] = record
    return found


def check_line_numbers(record: Record) -> list[DataIssue]:
    found: list[DataIssue] = []
    for prop in ("budget_lines", "funding_lines"):
        seen: dict[int, int] = {}
        for index, line in enumerate(record.data.get(prop, [])):
            number = line["line"]
            if number in seen:
                found.append(issue("line-duplicate", record.locate((prop, index, "line")),
                                   f"{record.id} has two {prop.replace('_', ' ')} numbered {number}.",
                                   "Number the lines of each activity or task 1, 2, 3... without repeats.",
                                   value=str(number), field=f"{prop}/{index}/line", record_id=record.id))
            seen[number] = index
    return found


def check_references(record: Record, priority_ids: set[str], partner_ids: set[str]) -> list[DataIssue]:
    found: list[DataIssue] = []
    for index, pid in enumerate(record.data["priority_ids"]):
        if pid not in priority_ids:
            found.append(issue("ref-dangling", record.locate(("priority_ids", index)),
                               f"{record.id} points at priority '{pid}', which is not in the priorities list.",
                               "Use an id from priorities.csv (e.g. RES-12.21), or ask the Secretariat to add the priority.",
                               value=pid, field="priority_ids", record_id=record.id))
    partner_id = record.data.get("partner_id")
    if partner_id is not None and partner_id not in partner_ids:
        found.append(issue("ref-dangling", record.locate(("partner_id",)),
                           f"{record.id} names partner '{partner_id}', which is not in the partners list.",
                           "Use the partner id from partners.csv, e.g. P-WWF.",
                           value=partner_id, field="partner_id", record_id=record.id))
    return found


def check_partner_file(record: Record) -> list[DataIssue]:
    """An activity whose partner_id names another partner than its workbook (P-WWF.xlsx) is probably pasted in."""
    stem = record.origin.file.rsplit("/", 1)[-1].split(".", 1)[0]
    partner_id = record.data["partner_id"]
    if stem.upper().startswith("P-") and stem.upper() != partner_id:
        return [issue("partner-file-mismatch", record.locate(("partner_id",)),
                      f"{record.id} is in {record.origin.file} but names partner {partner_id}.",
                      "Check the partner id; each partner sends its own workbook.",
                      value=partner_id, field="partner_id", record_id=record.id)]
    return []


def _currencies(record: Record) -> Iterable[tuple[tuple, str]]:
    for prop in ("budget_lines", "funding_lines"):
        for index, line in enumerate(record.data.get(prop, [])):
            yield (prop, index, "currency"), line["currency"]
    offer = record.data.get("match_offer")
    if offer:
        yield ("match_offer", "currency"), offer["currency"]


def check_currencies(record: Record, known: set[str]) -> list[DataIssue]:
    found: list[DataIssue] = []
    for path, currency in _currencies(record):
        if currency not in known:
            found.append(issue("currency-unknown", record.locate(path),
                               f"There is no exchange rate for {currency}, so this amount cannot be converted.",
                               f"Use one of {', '.join(sorted(known))}, or add a {currency} rate to fx_rates.csv.",
                               value=currency, field="/".join(map(str, path)), record_id=record.id))
    return found


def check_dates(record: Record, settings: CatalogueSettings) -> list[DataIssue]:
    start = date.fromisoformat(record.data["start"])
    end = date.fromisoformat(record.data["end"])
    if end < start:
        return [issue("dates-reversed", record.locate(("end",)),
                      f"{record.id} ends ({end}) before it starts ({start}).",
                      "Swap the dates, or correct the year.", value=str(end), field="end", record_id=record.id)]
    if start < settings.period_start or end > settings.period_end:
        return [issue("dates-outside-period", record.locate(("start",) if start < settings.period_start else ("end",)),
                      f"{record.id} runs {start} to {end}, beyond the catalogue period {settings.period_start} to {settings.period_end}.",
                      "Its whole budget is counted in this catalogue; split the work by period if only part belongs here.",
                      field="start", record_id=record.id)]
    return []


def check_fx_rates(rates: list[Record], reporting_currency: str) -> list[DataIssue]:
    found: list[DataIssue] = []
    for record in rates:
        if record.data["currency"] == reporting_currency and Decimal(str(record.data["rate"])) != 1:
            found.append(issue("fx-reporting-currency", record.locate(("rate",)),
                               f"The rate for the reporting currency {reporting_currency} must be 1; found {record.data['rate']}.",
                               "Rates are units of the reporting currency per unit of each currency.", record_id=reporting_currency))
    return found


def check_priority_coverage(priorities: list[Record], work: list[Record]) -> list[DataIssue]:
    used = {pid for record in work for pid in record.data["priority_ids"]}
    return [issue("priority-no-activity", p.locate(("id",)),
                  f"No activity or Secretariat task addresses {p.data['id']} ({shorten(p.data['title'], 60)}).",
                  "Shown as languishing in the catalogue; partners may want to plan work against it.",
                  record_id=p.data["id"])
            for p in priorities if p.data["id"] not in used]


def check_all_unique_ids(records: dict[str, list[Record]]) -> list[DataIssue]:
    """Ids unique per kind, over every record read, valid or not: a duplicate often makes its twin invalid."""
    return [found for kind, kind_records in records.items() for found in check_unique_ids(kind_records, kind)]


def check_programme(records: dict[str, list[Record]], settings: CatalogueSettings) -> list[DataIssue]:
    """Every cross-record rule over the schema-valid records (ids are checked over all records first)."""
    found: list[DataIssue] = []
    priority_ids = {r.data["id"] for r in records["priority"]}
    partner_ids = {r.data["id"] for r in records["partner"]}
    known_currencies = {r.data["currency"] for r in records["fx_rate"]} | {settings.reporting_currency}
    found.extend(check_fx_rates(records["fx_rate"], settings.reporting_currency))
    work = records["secretariat_task"] + records["workplan_activity"]
    for record in work:
        found.extend(check_line_numbers(record))
        found.extend(check_references(record, priority_ids, partner_ids))
        found.extend(check_currencies(record, known_currencies))
        found.extend(check_dates(record, settings))
    for record in records["workplan_activity"]:
        found.extend(check_partner_file(record))
    found.extend(check_priority_coverage(records["priority"], work))
    return found
