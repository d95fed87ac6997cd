"""Figures regrouped the ways donors ask: by Strategic Plan target, taxon group, region, instrument, rank and year.

Every grouping adds up to the programme total to the cent. Work that belongs to
several groups (a priority listed under two regions, an activity spanning three
years) is split among them by weight, and the cents are shared out by the
largest-remainder rule, so nothing is counted twice and nothing is lost.
Groupings are computed in whole cents (costing.Cents); only each group's
total becomes Decimal figures.

Years are the catalogue period's: days before its first year count in the
first year and days after its last year in the last, so a date typed far in
the future (9999) costs no more than one at the period's end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from catalogue.inputs.settings import CatalogueSettings
from catalogue.issues import N_, DataIssue, issue
from catalogue.model.catalogue import Figures, Group
from catalogue.model.costing import Cents, figures_from_cents, group_figures, item_status
from catalogue.model.merge import Work
from catalogue.money import allocate_cents, to_cents


def split_cents(cents: Cents, weights: Sequence[int]) -> list[Cents]:
    """One item's cents shared among several groups; the parts add up to the whole, field by field.

    Secured and gap are split, and required is their sum, so each part keeps
    gap = required - secured exactly.
    """
    if len(weights) == 1:
        return [cents]
    secured = allocate_cents(cents.secured, weights)
    gap = allocate_cents(cents.gap, weights)
    pledged = allocate_cents(cents.pledged, weights)
    requested = allocate_cents(cents.requested, weights)
    surplus = allocate_cents(cents.surplus, weights)
    gap_if_pledged = allocate_cents(cents.gap_if_pledged, weights)
    return [Cents(secured[i] + gap[i], secured[i], pledged[i], requested[i], surplus[i], gap[i], gap_if_pledged[i])
            for i in range(len(weights))]


def split_figures(figures: Figures, weights: Sequence[int]) -> list[Figures]:
    """split_cents on Decimal figures; each part with its own item status."""
    if len(weights) == 1:
        return [figures]
    whole = Cents(to_cents(figures.required), to_cents(figures.secured), to_cents(figures.pledged),
                  to_cents(figures.requested), to_cents(figures.surplus), to_cents(figures.gap),
                  to_cents(figures.gap_if_pledged))
    return [figures_from_cents(part, item_status(part)) for part in split_cents(whole, weights)]


class GroupTotals:
    """Running sums per group key, in cents, with the number of shares each received."""

    def __init__(self) -> None:
        self._sums: dict[str, list[int]] = {}

    def add(self, key: str, cents: Cents) -> None:
        """Add one share's cents to its group's sums, field by field (exact integers), and count the share."""
        total = self._sums.get(key)
        if total is None:
            self._sums[key] = [*cents, 1]
            return
        for index, value in enumerate(cents):
            total[index] += value
        total[7] += 1

    def add_all(self, shares: Iterable[tuple[str, Cents]]) -> GroupTotals:
        """Add every (key, cents) share; returns these same totals, to chain."""
        for key, cents in shares:
            self.add(key, cents)
        return self

    def groups(self, order: Sequence[str] | None = None) -> tuple[Group, ...]:
        """The groups in the given key order (then alphabetical)."""
        rank = {k: i for i, k in enumerate(order or ())}
        keys = sorted(self._sums, key=lambda k: (rank.get(k, len(rank)), k))
        return tuple(Group(k, group_figures(Cents(*self._sums[k][:7])), self._sums[k][7]) for k in keys)


def group(shares: Iterable[tuple[str, Cents]], order: Sequence[str] | None = None) -> tuple[Group, ...]:
    """Sum (key, cents) shares into groups, in the given key order (then alphabetical); count the shares."""
    return GroupTotals().add_all(shares).groups(order)


def equal_shares(keys: Sequence[str], cents: Cents, fallback: str) -> list[tuple[str, Cents]]:
    """An item's cents shared equally among its keys (or all under `fallback` when it has none)."""
    keys = list(dict.fromkeys(keys)) or [fallback]
    return list(zip(keys, split_cents(cents, [1] * len(keys)), strict=True))


def year_clip_warnings(works: Iterable[Work], settings: CatalogueSettings) -> list[DataIssue]:
    """One warning per activity or task whose dates run into years outside the catalogue period."""
    first, last = settings.period_start.year, settings.period_end.year
    found: list[DataIssue] = []
    for work in works:
        start, end = date.fromisoformat(work.data["start"]), date.fromisoformat(work.data["end"])
        if start.year >= first and end.year <= last:
            continue
        field = "start" if start.year < first else "end"
        found.append(issue(
            "year-clipped-to-period", work.locate(field),
            N_("%(id)s runs %(start)s to %(end)s; in the figures by year, days before %(first)s count in %(first)s "
               "and days after %(last)s in %(last)s."),
            N_("Check the year; if the dates are right, split the work by period so each catalogue counts its own years."),
            params={"id": work.id, "start": start, "end": end, "first": first, "last": last},
            value=str(work.data[field]), field=field, record_id=work.id))
    return found
