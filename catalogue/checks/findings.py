"""How the unexpected rows of each cross-record rule become located issues, in plain words with a hint.

Each handler takes the failures of one rule (rows Great Expectations
reported, turned back into their records and paths) and returns DataIssues.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from catalogue.checks.frames import money_text, normalise_title
from catalogue.config import PLAUSIBLE_DAY_RATE_MAX, PLAUSIBLE_DAY_RATE_MIN
from catalogue.inputs.records import Path_, Record
from catalogue.inputs.settings import CatalogueSettings
from catalogue.issues import N_, DataIssue, figure, issue, shorten


@dataclass(frozen=True)
class Failure:
    """One unexpected row: where it came from, and the column values GX reported."""

    ref: int
    record: Record
    path: Path_
    values: dict[str, Any]


Handler = Callable[[list[Failure]], list[DataIssue]]


def known_currencies(records: dict[str, list[Record]], settings: CatalogueSettings) -> set[str]:
    """The currencies an amount may be in: every one with an exchange rate, and the reporting currency."""
    return {r.data["currency"] for r in records.get("fx_rate", [])} | {settings.reporting_currency}


def fx_reporting_currency(reporting: str) -> Handler:
    """Handler for a reporting-currency rate that is not 1: an error at the rate's cell."""
    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        return [issue("fx-reporting-currency", f.record.locate(("rate",)),
                      N_("The rate for the reporting currency %(currency)s must be 1; found %(rate)s."),
                      N_("Rates are units of the reporting currency per unit of each currency."),
                      params={"currency": reporting, "rate": f.record.data["rate"]}, record_id=reporting)
                for f in failures]
    return to_issues


def priority_dangling(failures: list[Failure]) -> list[DataIssue]:
    """An error at each priority id an activity or task names that is not in the priorities list."""
    found = []
    for f in failures:
        pid = f.record.data["priority_ids"][f.path[1]]
        found.append(issue("ref-dangling", f.record.locate(f.path),
                           N_("%(id)s points at priority '%(priority)s', which is not in the priorities list."),
                           N_("Use an id from priorities.csv (e.g. RES-12.21), or ask the Secretariat to add the priority."),
                           params={"id": f.record.id, "priority": pid},
                           value=pid, field="priority_ids", record_id=f.record.id))
    return found


def partner_dangling(failures: list[Failure]) -> list[DataIssue]:
    """An error at each activity whose partner id is not in the partners list."""
    found = []
    for f in failures:
        partner_id = f.record.data["partner_id"]
        found.append(issue("ref-dangling", f.record.locate(("partner_id",)),
                           N_("%(id)s names partner '%(partner)s', which is not in the partners list."),
                           N_("Use the partner id from partners.csv, e.g. P-WWF."), params={"id": f.record.id, "partner": partner_id},
                           value=partner_id, field="partner_id", record_id=f.record.id))
    return found


def line_duplicate(prop: str) -> Handler:
    """Handler for line numbers repeated within one record's `prop` lines: an error at each later one."""
    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        # GX names every row of a repeated (activity, line); the first use is fine, the later ones are the problem.
        groups: dict[tuple[int, int], list[Failure]] = defaultdict(list)
        for f in failures:
            groups[(id(f.record), f.record.data[prop][f.path[1]]["line"])].append(f)
        found = []
        for group in groups.values():
            for f in sorted(group, key=lambda f: f.path[1])[1:]:
                index = f.path[1]
                number = f.record.data[prop][index]["line"]
                found.append(issue("line-duplicate", f.record.locate((prop, index, "line")),
                                   (N_("%(id)s has two budget lines numbered %(line)s.") if prop == "budget_lines" else
                                    N_("%(id)s has two funding lines numbered %(line)s.")),
                                   N_("Number the lines of each activity or task 1, 2, 3... without repeats."),
                                   params={"id": f.record.id, "line": number},
                                   value=str(number), field=f"{prop}/{index}/line", record_id=f.record.id))
        return found
    return to_issues


def currency_unknown(known: set[str], suffix: Path_) -> Handler:
    """Handler for a currency with no exchange rate, at the row's path plus `suffix`; the hint names `known`."""
    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        found = []
        for f in failures:
            path = f.path + suffix
            currency = value_at(f.record.data, path)
            found.append(issue("currency-unknown", f.record.locate(path),
                               N_("There is no exchange rate for %(currency)s, so this amount cannot be converted."),
                               N_("Use one of %(known)s, or add a %(currency)s rate to fx_rates.csv."),
                               params={"currency": currency, "known": ", ".join(sorted(known))},
                               value=currency, field="/".join(map(str, path)), record_id=f.record.id))
        return found
    return to_issues


def value_at(data: Any, path: Path_) -> Any:
    """The value at `path` inside a record's data."""
    for step in path:
        data = data[step]
    return data


def dates_reversed(failures: list[Failure]) -> list[DataIssue]:
    """An error at the end date of each record that ends before it starts."""
    found = []
    for f in failures:
        start, end = f.record.data["start"], f.record.data["end"]
        found.append(issue("dates-reversed", f.record.locate(("end",)),
                           N_("%(id)s ends (%(end)s) before it starts (%(start)s)."), N_("Swap the dates, or correct the year."),
                           params={"id": f.record.id, "start": start, "end": end},
                           value=str(end), field="end", record_id=f.record.id))
    return found


def dates_outside_period(settings: CatalogueSettings) -> Handler:
    """Handler for the pooled start-too-early and end-too-late rows: see outside_period."""
    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        return outside_period(settings, failures)
    return to_issues


def outside_period(settings: CatalogueSettings, failures: list[Failure]) -> list[DataIssue]:
    """One warning per record, at its start when that is too early, else at its end; none when the dates are reversed."""
    found = []
    seen: set[int] = set()
    for f in failures:
        record = f.record
        start, end = date.fromisoformat(record.data["start"]), date.fromisoformat(record.data["end"])
        if id(record) in seen or end < start:
            continue
        seen.add(id(record))
        where = "start" if start < settings.period_start else "end"
        found.append(issue("dates-outside-period", record.locate((where,)),
                           N_("%(id)s runs %(start)s to %(end)s, beyond the catalogue period %(first)s to %(last)s."),
                           N_("Its whole budget is counted in this catalogue; split the work by period if only part belongs here."),
                           params={"id": record.id, "start": start, "end": end, "first": settings.period_start,
                                   "last": settings.period_end},
                           value=str(record.data[where]), field=where, record_id=record.id))
    return found


def priority_no_activity(failures: list[Failure]) -> list[DataIssue]:
    """A warning for each priority that no activity or Secretariat task addresses."""
    return [issue("priority-no-activity", f.record.locate(("id",)),
                  N_("No activity or Secretariat task addresses %(id)s (%(title)s)."),
                  N_("Shown as languishing in the catalogue; partners may want to plan work against it."),
                  params={"id": f.record.data["id"], "title": shorten(f.record.data["title"], 60)},
                  record_id=f.record.data["id"])
            for f in failures]


def partner_file_mismatch(failures: list[Failure]) -> list[DataIssue]:
    """A warning at each activity that names a partner other than the one whose workbook holds it."""
    found = []
    for f in failures:
        partner_id = f.record.data["partner_id"]
        found.append(issue("partner-file-mismatch", f.record.locate(("partner_id",)),
                           N_("%(id)s is in %(file)s but names partner %(partner)s."),
                           N_("Check the partner id; each partner sends its own workbook."),
                           params={"id": f.record.id, "file": f.record.origin.file, "partner": partner_id},
                           value=partner_id, field="partner_id", record_id=f.record.id))
    return found


def day_rate_implausible(settings: CatalogueSettings) -> Handler:
    """Handler for budget-line day rates outside the plausible band (in the reporting currency)."""
    reporting = settings.reporting_currency

    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        found = []
        for f in failures:
            index = f.path[1]
            line = f.record.data["budget_lines"][index]
            day_rate = money_text(line["day_rate"])
            converted = f.values["day_rate_reporting"]
            in_reporting: Any = "" if line["currency"] == reporting else {
                "template": " (%(amount)s)", "amount": figure(Decimal(str(converted)).quantize(Decimal("0.01")), reporting)}
            found.append(issue("day-rate-implausible", f.record.locate(("budget_lines", index, "day_rate")),
                               N_("%(id)s budget line %(line)s costs a day at %(rate)s%(converted)s, outside the usual "
                                  "%(low)s to %(high)s %(reporting)s per person-day."),
                               N_("Type the rate for one person for one day (not a month or a year), in the line's currency."),
                               params={"id": f.record.id, "line": line["line"], "rate": figure(day_rate, line["currency"]),
                                       "converted": in_reporting, "low": figure(PLAUSIBLE_DAY_RATE_MIN),
                                       "high": figure(PLAUSIBLE_DAY_RATE_MAX), "reporting": reporting},
                               value=day_rate, field=f"budget_lines/{index}/day_rate", record_id=f.record.id))
        return found
    return to_issues


def activity_repeated(failures: list[Failure]) -> list[DataIssue]:
    """Later copies of an activity (same partner, title and dates) named against the first one."""
    groups: dict[tuple[Any, ...], list[Failure]] = defaultdict(list)
    for f in failures:
        data = f.record.data
        groups[(data["partner_id"], normalise_title(data["title"]), data["start"], data["end"])].append(f)
    found = []
    for group in groups.values():
        first = group[0].record  # failures arrive in row order, which is reading order
        first_place = first.locate(("title",))
        for f in group[1:]:
            if f.record.id == first.id:
                continue  # the same id twice is already an id-duplicate error naming both rows
            found.append(issue("activity-repeated", f.record.locate(("title",)),
                               N_("%(id)s repeats %(first)s (%(place)s): same partner, title '%(title)s' and dates "
                                  "%(start)s to %(end)s."),
                               N_("If it is the same work, delete one of them; if not, give each a title that tells them apart."),
                               params={"id": f.record.id, "first": first.id, "place": first_place,
                                       "title": shorten(f.record.data["title"], 60), "start": f.record.data["start"],
                                       "end": f.record.data["end"]},
                               value=f.record.data["title"], field="title", record_id=f.record.id, related=(first_place,)))
    return found
