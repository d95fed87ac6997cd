"""Open, past and suspended work; money by year; honest leverage; co-funding on the secured basis.

Hand-worked cases first, then properties over random programmes (hypothesis): open + past + suspended = all at
every level, the years add up to every item and grouping to the cent, no match offer unlocks more than its
activity's open gap, and co-funding never passes the secured money it is part of.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.inputs.settings import CatalogueSettings
from catalogue.model.budget import budget_programme
from catalogue.model.catalogue import Figures, FxRate
from catalogue.model.costing import Cents
from catalogue.model.leverage import COUNTED, EXPIRED, NOT_OPEN, match_for_gift, unlocked
from catalogue.model.merge import Programme, Work
from catalogue.model.timing import OPEN, PAST, SUSPENDED, timing_of
from catalogue.model.years import YearLedger, days_per_year

FIELDS = ("required", "secured", "pledged", "requested", "surplus", "gap", "gap_if_pledged")
AS_AT = date(2025, 6, 30)


# --------------------------------------------------------------------------- hand-worked


def test_timing_follows_status_and_the_as_at_date() -> None:
    assert timing_of("ongoing", date(2025, 7, 1), AS_AT) == OPEN
    assert timing_of("planned", date(2025, 6, 30), AS_AT) == PAST  # ended on the as-at date: history
    assert timing_of("completed", date(2026, 12, 31), AS_AT) == PAST  # completed early
    assert timing_of("suspended", date(2026, 12, 31), AS_AT) == SUSPENDED
    assert timing_of(None, date(2026, 1, 1), AS_AT) == OPEN  # a Secretariat task: open until it ends


def test_money_follows_its_year_then_fills_other_years_needs() -> None:
    # An activity over 2024-2025 (366 + 365 days): 1,000.00 needed in 2024 and 3,000.00 spread over both years:
    # 300,000 cents x 366 / 731 = 150,205.19 and x 365 / 731 = 149,794.80; the cent left over goes to the larger
    # remainder (2025): 1,502.05 and 1,497.95.
    ledger = YearLedger(days_per_year(date(2024, 1, 1), date(2025, 12, 31)))
    ledger.add(ledger.required, 100000, 2024)
    ledger.add(ledger.required, 300000, None)
    assert ledger.required == {2024: 100000 + 150205, 2025: 149795}
    # A grant of 3,000.00 signed for 2024 covers 2024's 2,502.05, and its 497.95 left over goes to 2025; a pledge of
    # 500.00 for 2025 would leave 500.00 of 2025's 1,000.00 gap.
    ledger.add(ledger.confirmed, 300000, 2024)
    ledger.add(ledger.pledged, 50000, 2025)
    years = ledger.cents_by_year()
    assert years[2024] == Cents(250205, 250205, 0, 0, 0, 0, 0)
    assert years[2025] == Cents(149795, 49795, 50000, 0, 0, 100000, 50000)
    assert sum(c.secured for c in years.values()) == min(300000, 400000)


def test_surplus_stays_in_the_year_it_arose() -> None:
    ledger = YearLedger({2025: 365})
    ledger.add(ledger.required, 1000, None)
    ledger.add(ledger.confirmed, 1500, None)
    assert ledger.cents_by_year()[2025] == Cents(1000, 1000, 0, 0, 500, 0, 0)


def test_an_offer_never_unlocks_more_than_the_open_gap() -> None:
    # WI-006 in the issue: 1:2 (ratio 0.5) up to 76,180 against a gap of 122,356.80.
    offer = unlocked(D("76180.00"), D("0.5"), D("122356.80"))
    assert offer.standing == COUNTED
    assert offer.donor == D("81571.20") and offer.match == D("40785.60")  # 122,356.80 / 1.5, and half of it
    assert offer.donor + offer.match == D("122356.80")
    # A small offer fits whole: donor 10,000 unlocks 10,000.
    assert unlocked(D("10000.00"), D("1"), D("35040.00")) == unlocked(D("10000.00"), D("1"), D("35040.00"))
    assert unlocked(D("10000.00"), D("1"), D("35040.00")).match == D("10000.00")
    assert unlocked(D("5000"), D("1"), D("6700"), expires=AS_AT, as_at=AS_AT).standing == EXPIRED
    assert unlocked(D("5000"), D("1"), D("6700"), is_open=False).standing == NOT_OPEN
    # A gift that closes the gap alone leaves nothing for the match to add.
    assert match_for_gift(D("35040.00"), D("10000.00"), D("1"), D("35040.00")) == D("0.00")
    assert match_for_gift(D("22000.00"), D("10000.00"), D("1"), D("35040.00")) == D("10000.00")


# --------------------------------------------------------------------------- random programmes

_dates = st.dates(min_value=date(2023, 6, 1), max_value=date(2027, 6, 30))
_money = st.integers(min_value=0, max_value=5_000_000).map(lambda c: f"{c // 100}.{c % 100:02d}")
_year = st.one_of(st.none(), st.integers(min_value=2022, max_value=2028))


@st.composite
def _work(draw: st.DrawFn, index: int, kind: str) -> dict[str, Any]:
    start, end = sorted((draw(_dates), draw(_dates)))
    budget = [{"line": i + 1, "kind": "cash", "currency": draw(st.sampled_from(["USD", "EUR"])), "amount": draw(_money),
               "year": draw(_year), "in_kind": draw(st.sampled_from([None, None, "confirmed", "pledged"]))}
              for i in range(draw(st.integers(min_value=1, max_value=4)))]
    funding = [{"line": i + 1, "source": "Donor", "currency": draw(st.sampled_from(["USD", "EUR"])), "amount": draw(_money),
                "source_type": draw(st.sampled_from(["voluntary_contribution", "partner_own_funds", "match", "other"])),
                "status": draw(st.sampled_from(["confirmed", "pledged", "requested"])), "year": draw(_year)}
               for i in range(draw(st.integers(min_value=0, max_value=4)))]
    data: dict[str, Any] = {"id": f"{kind}-{index}", "priority_ids": [draw(st.sampled_from(["PR-1", "PR-2"]))],
                            "title": "Work", "start": start.isoformat(), "end": end.isoformat(),
                            "budget_lines": budget, "funding_lines": funding}
    if kind == "A":
        data["partner_id"] = draw(st.sampled_from(["P-A", "P-B"]))
        data["status"] = draw(st.sampled_from(["planned", "ongoing", "completed", "suspended"]))
        if draw(st.booleans()):
            data["match_offer"] = {"up_to": draw(_money), "currency": "USD",
                                   "ratio": draw(st.sampled_from(["0.5", "1", "2"])),
                                   "expires": draw(st.one_of(st.none(), _dates.map(date.isoformat)))}
    return data


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    activities = [draw(_work(i, "A")) for i in range(draw(st.integers(min_value=0, max_value=6)))]
    tasks = [draw(_work(i, "T")) for i in range(draw(st.integers(min_value=0, max_value=3)))]
    settings_ = CatalogueSettings("USD", date(2024, 1, 1), date(2026, 12, 31), AS_AT)
    rates = {"USD": FxRate("USD", D(1), AS_AT, "r"), "EUR": FxRate("EUR", D("1.0837"), AS_AT, "r")}
    partners = {pid: {"id": pid, "name": f"{pid} Trust", "short_name": pid} for pid in ("P-A", "P-B")}
    priorities = {pid: {"id": pid, "kind": "decision", "title": pid, "cop": 14} for pid in ("PR-1", "PR-2")}
    return Programme(settings_, rates, priorities, partners, tuple(Work(a, "test") for a in activities),
                     tuple(Work(t, "test") for t in tasks))


def _sum(figures: list[Figures], name: str) -> D:
    return sum((getattr(f, name) for f in figures), D(0))


@settings(max_examples=150, deadline=None)
@given(programmes())
def test_open_past_and_suspended_reconcile_and_years_add_up(programme: Programme) -> None:
    budgeted = budget_programme(programme)
    items = [*budgeted.activities, *budgeted.tasks]
    t = budgeted.totals
    for name in FIELDS:
        # open + past + suspended = all, at the programme, every priority and every partner
        assert getattr(t.figures, name) + getattr(t.past, name) + getattr(t.suspended, name) == getattr(t.all, name)
        assert getattr(t.all, name) == _sum([i.figures for i in items], name)
        for timing, figures in ((OPEN, t.figures), (PAST, t.past), (SUSPENDED, t.suspended)):
            assert getattr(figures, name) == _sum([i.figures for i in items if i.timing == timing], name)
        for p in budgeted.priorities:
            lead = [i for i in items if i.lead_priority_id == p.id]
            assert getattr(p.figures, name) + getattr(p.past, name) + getattr(p.suspended, name) == \
                _sum([i.figures for i in lead], name)
        for partner in budgeted.partners:
            assert getattr(partner.all, name) == _sum([a.figures for a in budgeted.activities
                                                       if a.partner_id == partner.id], name)
        # the years of every item, and of the open programme, add up to the figures to the cent
        for item in items:
            assert _sum([y.figures for y in item.years], name) == getattr(item.figures, name), (item.id, name)
        assert _sum([g.figures for g in budgeted.groupings.year], name) == getattr(t.figures, name)
        for p in budgeted.priorities:
            assert _sum([y.figures for y in p.years], name) == getattr(p.figures, name)
    for item in items:
        assert all(y.figures.gap >= 0 and y.figures.surplus >= 0 for y in item.years)
        assert [y.year for y in item.years] == sorted({y.year for y in item.years})
        assert all(2024 <= y.year <= 2026 for y in item.years)


@settings(max_examples=150, deadline=None)
@given(programmes())
def test_offers_never_pass_the_open_gap_and_cofunding_never_passes_secured(programme: Programme) -> None:
    budgeted = budget_programme(programme)
    for a in budgeted.activities:
        offer = a.match_offer
        if offer is None:
            continue
        assert offer.donor_to_unlock + offer.match <= a.figures.gap
        assert offer.match <= offer.up_to
        if offer.standing == COUNTED:
            assert a.timing == OPEN and (offer.expires is None or offer.expires > AS_AT)
        else:
            assert offer.donor_to_unlock == offer.match == 0
        assert a.cofunding_cash + a.cofunding_in_kind <= a.figures.secured
    for p in budgeted.priorities:
        assert p.match.match_available + p.match.donor_to_unlock <= p.figures.gap
    t = budgeted.totals
    assert t.cofunding_cash + t.cofunding_in_kind <= t.all.secured  # a share of secured money is at most 100 %
    for partner in budgeted.partners:
        assert partner.cofunding_total <= partner.all.secured
