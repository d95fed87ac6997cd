"""Figures regrouped the ways donors ask: by Strategic Plan target, taxon group, region, instrument, rank and year.

Every grouping adds up to the programme total to the cent. Work that belongs to
several groups (a priority listed under two regions, an activity spanning three
years) is split among them by weight, and the cents are shared out by the
largest-remainder rule, so nothing is counted twice and nothing is lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from catalogue.model.catalogue import Figures, Group
from catalogue.model.costing import coverage, funding_status, sum_figures

ZERO = Decimal("0")
ZERO_CENTS = Decimal("0.00")


def allocate(amount: Decimal, weights: Sequence[int]) -> list[Decimal]:
    """Split `amount` (a whole number of cents) in proportion to integer weights, exactly.

    Each share is rounded down to the cent; the cents left over go to the
    largest remainders, ties to the earlier share.
    """
    total_weight = sum(weights)
    if total_weight <= 0:
        raise ValueError("weights must add up to more than zero")
    cents = int(amount.scaleb(2))
    if cents == 0:
        return [ZERO_CENTS] * len(weights)
    floors = [cents * w // total_weight for w in weights]
    left = cents - sum(floors)
    if left:
        remainders = [cents * w % total_weight for w in weights]
        for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
            floors[index] += 1
    return [Decimal(c).scaleb(-2) for c in floors]


def split_figures(figures: Figures, weights: Sequence[int]) -> list[Figures]:
    """One item's figures shared among several groups; the parts add up to the whole, field by field.

    Secured and gap are split, and required is their sum, so each part keeps
    gap = required - secured exactly.
    """
    if len(weights) == 1:
        return [figures]
    secured = allocate(figures.secured, weights)
    gap = allocate(figures.gap, weights)
    pledged = allocate(figures.pledged, weights)
    requested = allocate(figures.requested, weights)
    surplus = allocate(figures.surplus, weights)
    gap_if_pledged = allocate(figures.gap_if_pledged, weights)
    parts = []
    for i in range(len(weights)):
        required = secured[i] + gap[i]
        parts.append(Figures(required, secured[i], pledged[i], requested[i], surplus[i], gap[i], gap_if_pledged[i],
                             coverage(secured[i], required), funding_status(required, secured[i] + surplus[i])))
    return parts


def days_per_year(start: date, end: date) -> dict[int, int]:
    """How many days of [start, end] fall in each calendar year (both ends included)."""
    out: dict[int, int] = {}
    for year in range(start.year, end.year + 1):
        first = max(start, date(year, 1, 1))
        last = min(end, date(year, 12, 31))
        out[year] = (last - first).days + 1
    return out


def group(shares: Iterable[tuple[str, Figures]], order: Sequence[str] | None = None) -> tuple[Group, ...]:
    """Sum (key, figures) shares into groups, in the given key order (then alphabetical); count the shares."""
    by_key: dict[str, list[Figures]] = defaultdict(list)
    for key, figures in shares:
        by_key[key].append(figures)
    rank = {k: i for i, k in enumerate(order or ())}
    keys = sorted(by_key, key=lambda k: (rank.get(k, len(rank)), k))
    return tuple(Group(k, sum_figures(by_key[k]), len(by_key[k])) for k in keys)


def equal_shares(keys: Sequence[str], figures: Figures, fallback: str) -> list[tuple[str, Figures]]:
    """An item's figures shared equally among its keys (or all under `fallback` when it has none)."""
    keys = list(dict.fromkeys(keys)) or [fallback]
    return list(zip(keys, split_figures(figures, [1] * len(keys))))


def year_shares(start: date, end: date, figures: Figures) -> list[tuple[str, Figures]]:
    """An item's figures split over the calendar years of its period, pro rata to days."""
    days = days_per_year(start, end)
    return list(zip((str(y) for y in days), split_figures(figures, list(days.values()))))
