"""Money by year: each line in the year it names, or spread over its work's days; figures per year, exact.

Rules (also in the catalogue's methodology):
- a budget or funding line that names its `year` counts in that year (a year outside its work's dates counts
  in the nearest year of them, with a warning);
- a line that names none is spread over the calendar years of its work's dates in proportion to the days in
  each (years before the catalogue period count in its first year, after it in its last), the cents shared
  by the largest remainder, so the years add up to the line exactly;
- in each year, confirmed money first covers that year's requirement; money left over in one year then covers
  what other years still need, earliest need first, and what is still left is that year's surplus; pledged
  money covers the remaining gaps the same way (that is the gap "if pledges are honoured").
So, for every item and every grouping, the years add up to its figures to the cent: required, secured,
pledged, requested, surplus, gap and gap if pledged alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from catalogue.issues import N_, DataIssue, issue
from catalogue.model.costing import Cents
from catalogue.model.merge import Work
from catalogue.money import allocate_cents

YearCents = dict[int, int]


def days_per_year(start: date, end: date, years: tuple[int, int] | None = None) -> dict[int, int]:
    """How many days of [start, end] fall in each calendar year (both ends included).

    With `years` (first, last), days before the first year count in the first
    and days after the last in the last, so the result has at most last - first + 1 entries.
    """
    first_year, last_year = years if years else (start.year, end.year)
    out: dict[int, int] = {}
    if start.year < first_year:
        out[first_year] = (min(end, date(first_year - 1, 12, 31)) - start).days + 1
    for year in range(max(start.year, first_year), min(end.year, last_year) + 1):
        first = max(start, date(year, 1, 1))
        last = min(end, date(year, 12, 31))
        out[year] = out.get(year, 0) + (last - first).days + 1
    if end.year > last_year:
        after = (end - max(start, date(last_year + 1, 1, 1))).days + 1
        out[last_year] = out.get(last_year, 0) + after
    return out


def nearest_year(year: int, days: Mapping[int, int]) -> int:
    """`year` if the work has days in it, else the nearest year it has (the earlier one on a tie)."""
    if year in days:
        return year
    return min(days, key=lambda y: (abs(y - year), y))


class YearLedger:
    """One item's lines by year, in cents: required, confirmed, pledged, requested."""

    __slots__ = ("confirmed", "days", "pledged", "requested", "required")

    def __init__(self, days: Mapping[int, int]) -> None:
        self.days = dict(days)
        self.required: YearCents = {}
        self.confirmed: YearCents = {}
        self.pledged: YearCents = {}
        self.requested: YearCents = {}

    def add(self, column: YearCents, cents: int, year: int | None) -> None:
        """A line's cents into `column`: in its year (the nearest year of the work's), or spread over the days."""
        if not cents:
            return
        if year is not None:
            key = nearest_year(year, self.days)
            column[key] = column.get(key, 0) + cents
            return
        if len(self.days) == 1:
            key = next(iter(self.days))
            column[key] = column.get(key, 0) + cents
            return
        for key, part in zip(self.days, allocate_cents(cents, list(self.days.values())), strict=True):
            column[key] = column.get(key, 0) + part

    def cents_by_year(self) -> dict[int, Cents]:
        """Figures per year (see the module's rules); the years add up to the item's figures."""
        years = sorted(set(self.days) | set(self.required) | set(self.confirmed) | set(self.pledged)
                       | set(self.requested))
        required = [self.required.get(y, 0) for y in years]
        confirmed = [self.confirmed.get(y, 0) for y in years]
        secured = [min(c, r) for c, r in zip(confirmed, required, strict=True)]
        spare = [c - s for c, s in zip(confirmed, secured, strict=True)]
        need = [r - s for r, s in zip(required, secured, strict=True)]
        moved = _cover(need, spare)
        secured = [s + m for s, m in zip(secured, moved, strict=True)]
        gap = [r - s for r, s in zip(required, secured, strict=True)]
        pledged = [self.pledged.get(y, 0) for y in years]
        pledge_left = list(pledged)
        own_cover = [min(g, p) for g, p in zip(gap, pledge_left, strict=True)]
        pledge_left = [p - c for p, c in zip(pledge_left, own_cover, strict=True)]
        still = [g - c for g, c in zip(gap, own_cover, strict=True)]
        other_cover = _cover(still, pledge_left)
        gap_if_pledged = [s - c for s, c in zip(still, other_cover, strict=True)]
        return {y: Cents(required[i], secured[i], pledged[i], self.requested.get(y, 0), spare[i], gap[i],
                         gap_if_pledged[i]) for i, y in enumerate(years)}


def _cover(need: list[int], spare: list[int]) -> list[int]:
    """Spare money (per year, reduced in place) covers needs, earliest need first from the earliest spare;
    returns how much of each year's need was covered."""
    covered = [0] * len(need)
    source = 0
    for i, wanted in enumerate(need):
        while wanted and source < len(spare):
            if not spare[source]:
                source += 1
                continue
            take = min(wanted, spare[source])
            spare[source] -= take
            covered[i] += take
            wanted -= take
    return covered


def add_years(into: dict[int, list[int]], by_year: Mapping[int, Cents]) -> None:
    """Running sums per year, field by field (a grouping's years are the sums of its members')."""
    for year, cents in by_year.items():
        total = into.get(year)
        if total is None:
            into[year] = list(cents)
        else:
            for index, value in enumerate(cents):
                total[index] += value


def sum_years(members: Iterable[Mapping[int, Cents]]) -> dict[int, Cents]:
    """The years of a grouping: its members' years summed field by field."""
    into: dict[int, list[int]] = {}
    for by_year in members:
        add_years(into, by_year)
    return {year: Cents(*into[year]) for year in sorted(into)}


def line_year_warnings(works: Iterable[Work], period_years: tuple[int, int]) -> list[DataIssue]:
    """A budget or funding line naming a year its work has no days in: counted in the nearest year it has."""
    found: list[DataIssue] = []
    for work in works:
        start, end = date.fromisoformat(work.data["start"]), date.fromisoformat(work.data["end"])
        days = days_per_year(start, end, period_years)
        for lines in ("budget_lines", "funding_lines"):
            for index, line in enumerate(work.data.get(lines) or ()):
                year = line.get("year")
                if year is None or year in days:
                    continue
                counted = nearest_year(year, days)
                found.append(issue(
                    "line-year-outside-dates", work.locate(lines, index, "year"),
                    (N_("%(id)s budget line %(line)s names %(year)s, but the work runs %(start)s to %(end)s; "
                        "it is counted in %(counted)s.") if lines == "budget_lines" else
                     N_("%(id)s funding line %(line)s names %(year)s, but the work runs %(start)s to %(end)s; "
                        "it is counted in %(counted)s.")),
                    N_("Type a year in which the work runs, or leave the year empty to spread the line over its dates."),
                    params={"id": work.id, "line": line.get("line"), "year": year, "start": start, "end": end,
                            "counted": counted},
                    value=str(year), field=f"{lines}/{index}/year", record_id=work.id))
    return found
