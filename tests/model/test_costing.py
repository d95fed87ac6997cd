"""Costing (model/costing.py): line costs with their formula, and the figures of items and groupings in whole
cents, hand-worked here and checked as properties (surplus never fills another item's gap)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.model.costing import (
    Cents,
    funding_status,
    group_figures,
    item_cents,
    item_figures,
    line_cost,
    sum_cents,
    sum_figures,
)


def test_each_kind_of_line_costs_what_its_formula_says() -> None:
    assert line_cost({"kind": "cash", "currency": "EUR", "amount": "1250.50"}) == (D("1250.50"), "EUR 1,250.5")
    assert line_cost({"kind": "staff_time", "currency": "USD", "days": "12", "day_rate": "350"}) == (
        D("4200"), "12 days x USD 350")
    cost, formula = line_cost({"kind": "meeting", "currency": "CHF", "staff": "3", "meetings": "2", "days": "1.5",
                               "day_rate": "400"})
    assert cost == D("3600") and formula == "3 staff x 2 meetings x 1.5 days x CHF 400"


def test_an_items_secured_money_is_capped_at_its_requirement_and_the_rest_is_surplus() -> None:
    figures = item_figures(required=D("1000.00"), confirmed=D("1200.00"), pledged=D("50.00"), requested=D("0"))
    assert (figures.required, figures.secured, figures.surplus, figures.gap) == (
        D("1000.00"), D("1000.00"), D("200.00"), D("0.00"))
    assert figures.status == "over_committed" and figures.coverage == D("1.0000")
    partly = item_figures(D("1000.00"), D("250.00"), D("500.00"), D("100.00"))
    assert (partly.gap, partly.gap_if_pledged, partly.coverage, partly.status) == (
        D("750.00"), D("250.00"), D("0.2500"), "partly_funded")


def test_a_groupings_surplus_never_fills_another_members_gap() -> None:
    over = item_figures(D("100.00"), D("300.00"), D("0"), D("0"))
    short = item_figures(D("100.00"), D("0"), D("0"), D("0"))
    group = sum_figures([over, short])
    assert (group.required, group.secured, group.surplus, group.gap) == (D("200.00"), D("100.00"), D("200.00"),
                                                                         D("100.00"))
    assert group.status == "partly_funded"  # a gap remains: not over-committed however large the surplus


def test_nothing_confirmed_is_unfunded_even_when_nothing_is_costed() -> None:
    assert funding_status(0, 0) == "unfunded"
    assert funding_status(D("10"), D("10")) == "fully_funded"


cents = st.integers(min_value=0, max_value=10**12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cents, cents, cents, cents), min_size=0, max_size=12))
def test_a_grouping_is_the_sum_of_its_members_and_gap_is_required_less_secured(lines: list[tuple[int, ...]]) -> None:
    members = [item_cents(*line) for line in lines]
    total = sum_cents(members)
    for field in Cents._fields:
        assert getattr(total, field) == sum(getattr(m, field) for m in members)
    assert total.gap == total.required - total.secured >= 0
    assert all(m.secured <= m.required for m in members)
    figures = group_figures(total)
    assert figures.gap == figures.required - figures.secured
