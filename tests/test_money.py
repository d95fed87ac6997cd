"""The money rules: conversion rounded once half-even, ratios, allocation, and the integer path against Decimal."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.model.costing import line_cost
from catalogue.model.work import budget_work
from catalogue.money import (
    CENT,
    allocate,
    allocate_cents,
    convert,
    convert_cents,
    coverage,
    divide_half_even,
    from_cents,
    ratio,
)

D = Decimal


def decimal_convert(amount: Decimal, rate: Decimal) -> Decimal:
    """The Decimal reference: the exact product quantized half-even to the cent (the rule before integer cents)."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def test_conversion_rounds_half_even_once() -> None:
    assert convert(D("1000.15"), D("1.10")) == D("1100.16")  # 1100.165 -> even cent (half-up would give .17)
    assert convert(D("1000.25"), D("1.10")) == D("1100.28")  # 1100.275 -> 1100.28
    assert convert(D("12345.67"), D("1.10")) == D("13580.24")  # 13580.237
    assert str(convert(D("0"), D("1.172"))) == "0.00" and str(convert(D("5"), D("1"))) == "5.00"


def test_integer_rounding_ties_go_to_the_even_cent_either_sign() -> None:
    assert [divide_half_even(n, 10) for n in (5, 15, 25, -5, -15, 14, 16)] == [0, 2, 2, 0, -2, 1, 2]


def test_ratios_of_nothing_are_none_not_zero() -> None:
    assert coverage(D("0"), D("0")) is None
    assert coverage(D("1"), D("3")) == D("0.3333")
    assert ratio(D("3"), D("2"), D("0.01")) == D("1.50")


def test_allocate_shares_cents_by_largest_remainder_ties_to_the_earlier() -> None:
    assert allocate(D("100.00"), [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]
    assert allocate_cents(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate_cents(5, [1, 3, 1, 3]) == [1, 2, 0, 2]  # floors 0, 1, 0, 1; remainders 5, 7, 5, 7: both 7s, then the first 5



def scaled(digits: int, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals with up to `digits` digits and up to `places` of them after the point (small enough that the
    Decimal reference's 28-digit context computes the product exactly)."""
    return st.tuples(st.integers(-(10**digits), 10**digits), st.integers(0, places)).map(lambda t: Decimal(t[0]).scaleb(-t[1]))


rates = st.sampled_from([D("1"), D("1.10"), D("0.0067"), D("1.2719"), D("0.6555"), D("1.3715"), D("0.000123456")])


@settings(max_examples=500)
@given(scaled(14, 6), st.one_of(rates, scaled(8, 6).filter(lambda r: r > 0)))  # negative amounts too: ties either side
def test_integer_conversion_equals_the_decimal_reference(amount: Decimal, rate: Decimal) -> None:
    assert convert_cents(amount, rate) == int(decimal_convert(amount, rate).scaleb(2))
    assert convert(amount, rate) == decimal_convert(amount, rate)


money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
factor = st.decimals(min_value=0, max_value=400, places=1, allow_nan=False, allow_infinity=False)
currencies = st.sampled_from(["USD", "EUR", "GBP"])
RATES = {"USD": D("1"), "EUR": D("1.1720"), "GBP": D("1.3715")}


@st.composite
def budget_lines(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(["cash", "staff_time", "meetings"]))
    line: dict[str, Any] = {"kind": kind, "currency": draw(currencies),
                            "in_kind": draw(st.sampled_from([None, "confirmed", "pledged"]))}
    if kind == "cash":
        line["amount"] = draw(money)
    else:
        line.update(days=draw(factor), day_rate=draw(money))
        if kind == "meetings":
            line.update(staff=draw(st.integers(1, 20)), meetings=draw(st.integers(1, 10)))
    return line


funding_lines = st.fixed_dictionaries({
    "amount": money, "currency": currencies, "status": st.sampled_from(["confirmed", "pledged", "requested"]),
    "source": st.just("Donor"), "source_type": st.sampled_from(["voluntary_contribution", "partner_own_funds"])})


def decimal_reference(record: dict[str, Any]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """required, confirmed, pledged and requested the Decimal way: each line quantized, then Decimal sums."""
    required = confirmed = pledged = requested = D(0)
    for line in record["budget_lines"]:
        amount = decimal_convert(line_cost(line)[0], RATES[line["currency"]])
        required += amount
        confirmed += amount if line["in_kind"] == "confirmed" else 0
        pledged += amount if line["in_kind"] == "pledged" else 0
    for line in record["funding_lines"]:
        amount = decimal_convert(line["amount"], RATES[line["currency"]])
        confirmed += amount if line["status"] == "confirmed" else 0
        pledged += amount if line["status"] == "pledged" else 0
        requested += amount if line["status"] == "requested" else 0
    return required, confirmed, pledged, requested


@settings(max_examples=300)
@given(st.lists(budget_lines(), max_size=8), st.lists(funding_lines, max_size=8))
def test_integer_budget_path_equals_a_decimal_reference(costs: list[dict[str, Any]], funds: list[dict[str, Any]]) -> None:
    record = {"start": "2025-01-01", "end": "2026-12-31",
              "budget_lines": [{**line, "line": i + 1} for i, line in enumerate(costs)],
              "funding_lines": [{**line, "line": i + 1} for i, line in enumerate(funds)]}
    required, confirmed, pledged, requested = decimal_reference(record)
    work = budget_work(record, RATES)
    f = work.figures
    assert (f.required, f.secured + f.surplus, f.pledged, f.requested) == (required, confirmed, pledged, requested)
    assert f.secured == min(confirmed, required) and f.gap == required - f.secured
    assert [c.amount for c in work.budget_lines] == [decimal_convert(line_cost(c)[0], RATES[c["currency"]]) for c in record["budget_lines"]]
    assert all(from_cents(c) == D(c) / 100 for c in work.cents)
