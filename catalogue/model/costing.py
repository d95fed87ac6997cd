"""Required, secured, pledged and gap, in exact decimals, for every line, activity, task and grouping.

Rules (also stated in the catalogue's methodology annex):
- a cost line is an amount (cash) or the product of its factors (staff time,
  meetings); in-kind values are never typed, always computed;
- each amount is converted once to the reporting currency at the stated rate
  and rounded there, half-even, to the cent; every total is a sum of rounded
  amounts, so totals reconcile to the cent across all outputs;
- secured = confirmed money (cash lines plus confirmed in-kind lines), capped at
  the item's own requirement; the excess is surplus and is never netted
  against another item's gap; gap = max(required - secured, 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from catalogue.model.catalogue import Figures
from catalogue.money import coverage, from_cents, to_cents


def _num(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _fmt(value: Decimal) -> str:
    """A factor as people write it: 6, 2.5, 1,200 (no trailing zeros, no exponent)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"  # the common case, and three times faster than formatting a Decimal
    return f"{value.normalize():,f}"


def line_cost(line: Mapping[str, Any]) -> tuple[Decimal, str]:
    """A budget line's cost in its own currency, and the formula that produced it."""
    currency = line["currency"]
    kind = line["kind"]
    if kind == "cash":
        amount = _num(line["amount"])
        return amount, f"{currency} {_fmt(amount)}"
    days = _num(line["days"])
    rate = _num(line["day_rate"])
    if kind == "staff_time":
        return days * rate, f"{_fmt(days)} days x {currency} {_fmt(rate)}"
    staff = _num(line["staff"])
    meetings = _num(line["meetings"])
    return (staff * meetings * days * rate,
            f"{_fmt(staff)} staff x {_fmt(meetings)} meetings x {_fmt(days)} days x {currency} {_fmt(rate)}")


def funding_status(required: int | Decimal, confirmed: int | Decimal) -> str:
    """unfunded, partly_funded, fully_funded or over_committed, from cents or Decimals alike."""
    # Nothing confirmed is "unfunded" even when nothing is costed: a priority with no work
    # behind it must never read as fully funded.
    if confirmed == 0:
        return "unfunded"
    if confirmed > required:
        return "over_committed"
    if confirmed == required:
        return "fully_funded"
    return "partly_funded"


class Cents(NamedTuple):
    """The money of an item or a grouping in whole cents of the reporting currency (the stage's working form)."""

    required: int
    secured: int
    pledged: int
    requested: int
    surplus: int
    gap: int
    gap_if_pledged: int


NO_CENTS = Cents(0, 0, 0, 0, 0, 0, 0)


def item_cents(required: int, confirmed: int, pledged: int, requested: int) -> Cents:
    """One activity's or task's figures from its converted line totals: secured capped at the requirement."""
    secured = min(confirmed, required)
    gap = required - secured
    return Cents(required, secured, pledged, requested, confirmed - secured, gap, max(gap - pledged, 0))


def sum_cents(members: Iterable[Cents]) -> Cents:
    """A grouping's cents: field by field sums of its members' (so surplus never fills another member's gap)."""
    columns = list(zip(*members, strict=True))
    if not columns:
        return NO_CENTS
    return Cents(*map(sum, columns))


def figures_from_cents(cents: Cents, status: str) -> Figures:
    """The model's Decimal figures, made once from the cents."""
    required, secured = from_cents(cents.required), from_cents(cents.secured)
    return Figures(required, secured, from_cents(cents.pledged), from_cents(cents.requested),
                   from_cents(cents.surplus), from_cents(cents.gap), from_cents(cents.gap_if_pledged),
                   coverage(secured, required), status)


def item_status(cents: Cents) -> str:
    """An item's status compares everything confirmed (secured and surplus) with its requirement."""
    return funding_status(cents.required, cents.secured + cents.surplus)


def group_status(cents: Cents) -> str:
    """A grouping is over-committed only when its members' surplus leaves no gap anywhere in it."""
    if cents.surplus > 0 and cents.gap == 0:
        return "over_committed"
    return funding_status(cents.required, cents.secured)


def group_figures(cents: Cents) -> Figures:
    """A grouping's Decimal figures from its summed cents, with the grouping's funding status."""
    return figures_from_cents(cents, group_status(cents))


def _cents_of(figures: Figures) -> Cents:
    f = figures
    return Cents(to_cents(f.required), to_cents(f.secured), to_cents(f.pledged), to_cents(f.requested),
                 to_cents(f.surplus), to_cents(f.gap), to_cents(f.gap_if_pledged))


def item_figures(required: Decimal, confirmed: Decimal, pledged: Decimal, requested: Decimal) -> Figures:
    """Figures of one activity or task from its converted line totals (reporting amounts, whole cents)."""
    cents = item_cents(to_cents(required), to_cents(confirmed), to_cents(pledged), to_cents(requested))
    return figures_from_cents(cents, item_status(cents))


def sum_figures(members: Iterable[Figures]) -> Figures:
    """A grouping's figures: sums of its members' (so surplus never fills another member's gap)."""
    return group_figures(sum_cents(_cents_of(f) for f in members))
