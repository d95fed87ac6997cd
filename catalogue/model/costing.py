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
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from catalogue.config import CENT, COVERAGE_QUANTUM
from catalogue.model.catalogue import CostLine, Figures, FundingLine, MatchOffer

ZERO = Decimal("0")


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


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """Into the reporting currency: the one place an amount is rounded (half-even, to the cent)."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def funding_status(required: Decimal, confirmed: Decimal) -> str:
    # Nothing confirmed is "unfunded" even when nothing is costed: a priority with no work
    # behind it must never read as fully funded.
    if confirmed == ZERO:
        return "unfunded"
    if confirmed > required:
        return "over_committed"
    if confirmed == required:
        return "fully_funded"
    return "partly_funded"


def coverage(secured: Decimal, required: Decimal) -> Decimal | None:
    if required == ZERO:
        return None
    return (secured / required).quantize(COVERAGE_QUANTUM, rounding=ROUND_HALF_EVEN)


def item_figures(required: Decimal, confirmed: Decimal, pledged: Decimal, requested: Decimal) -> Figures:
    """Figures of one activity or task from its converted line totals."""
    secured = min(confirmed, required)
    surplus = confirmed - secured
    gap = required - secured
    return Figures(
        required=required,
        secured=secured,
        pledged=pledged,
        requested=requested,
        surplus=surplus,
        gap=gap,
        gap_if_pledged=max(gap - pledged, ZERO),
        coverage=coverage(secured, required),
        status=funding_status(required, confirmed),
    )


def sum_figures(members: Iterable[Figures]) -> Figures:
    """A grouping's figures: sums of its members' (so surplus never fills another member's gap)."""
    required = secured = pledged = requested = surplus = gap = gap_if_pledged = ZERO
    for f in members:
        required += f.required
        secured += f.secured
        pledged += f.pledged
        requested += f.requested
        surplus += f.surplus
        gap += f.gap
        gap_if_pledged += f.gap_if_pledged
    if surplus > ZERO and gap == ZERO:
        status = "over_committed"
    else:
        status = funding_status(required, secured)
    return Figures(required, secured, pledged, requested, surplus, gap, gap_if_pledged,
                   coverage(secured, required), status)


@dataclass(frozen=True)
class BudgetedWork:
    """One activity's or task's lines and figures."""

    figures: Figures
    budget_lines: tuple[CostLine, ...]
    funding_lines: tuple[FundingLine, ...]
    match_offer: MatchOffer | None
    own_cash: Decimal  # confirmed partner_own_funds lines
    own_in_kind: Decimal  # confirmed in-kind lines given by the implementer itself


def implementer_names(name: str, short_name: str) -> frozenset[str]:
    """The names (lower case) under which an implementer's in-kind lines count as its own co-funding."""
    return frozenset({name.strip().lower(), short_name.strip().lower()})


def is_own_in_kind(source: str | None, own_names: frozenset[str]) -> bool:
    """An in-kind line with no source, or one naming the implementer itself, is the implementer's own contribution."""
    return source is None or source.strip().lower() in own_names


def budget_work(data: Mapping[str, Any], rates: Mapping[str, Decimal], own_names: frozenset[str] = frozenset()) -> BudgetedWork:
    """Cost and fund one activity or task (a schema-valid record) at the given rates.

    `own_names` are the implementer's names (lower case): in-kind lines with no
    source or one of these count as the implementer's own co-funding.
    """
    cost_lines: list[CostLine] = []
    required = confirmed = pledged = requested = own_cash = own_in_kind = ZERO
    for line in sorted(data["budget_lines"], key=lambda l: l["line"]):
        original, formula = line_cost(line)
        rate = rates[line["currency"]]
        amount = convert(original, rate)
        in_kind = line.get("in_kind")
        source = line.get("in_kind_source")
        cost_lines.append(CostLine(line["line"], line["kind"], line.get("description", ""), line["currency"],
                                   original, formula, rate, amount, in_kind, source))
        required += amount
        if in_kind == "confirmed":
            confirmed += amount
            if is_own_in_kind(source, own_names):
                own_in_kind += amount
        elif in_kind == "pledged":
            pledged += amount
    funding_lines: list[FundingLine] = []
    for line in sorted(data.get("funding_lines", []), key=lambda l: l["line"]):
        original = _num(line["amount"])
        rate = rates[line["currency"]]
        amount = convert(original, rate)
        funding_lines.append(FundingLine(line["line"], line["source"], line["source_type"], line["status"],
                                         line["currency"], original, rate, amount, line.get("grant_ref")))
        if line["status"] == "confirmed":
            confirmed += amount
            if line["source_type"] == "partner_own_funds":
                own_cash += amount
        elif line["status"] == "pledged":
            pledged += amount
        else:
            requested += amount
    offer = data.get("match_offer")
    match_offer = None
    if offer:
        up_to = _num(offer["up_to"])
        ratio = _num(offer["ratio"])
        up_to_reporting = convert(up_to, rates[offer["currency"]])
        match_offer = MatchOffer(offer["currency"], up_to, up_to_reporting, ratio,
                                 (up_to_reporting / ratio).quantize(CENT, rounding=ROUND_HALF_EVEN), offer.get("note", ""))
    return BudgetedWork(item_figures(required, confirmed, pledged, requested), tuple(cost_lines),
                        tuple(funding_lines), match_offer, own_cash, own_in_kind)

