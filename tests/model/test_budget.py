"""Golden figures worked out by hand from tests/fixtures/small.py, and the budget's invariants.

The conversion rule itself (half-even, once) is tested in tests/test_money.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.model.costing import item_figures, line_cost, sum_figures
from catalogue.money import convert
from catalogue.pipeline import build_model

D = Decimal


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory):
    from tests.fixtures.small import write_small_inputs

    result = build_model(write_small_inputs(tmp_path_factory.mktemp("small") / "inputs"), build_time="2025-07-01T00:00:00Z")
    assert result.catalogue is not None, [i.message for i in result.report.errors]
    return result.catalogue


def test_report_example_meetings_is_35040_not_8760() -> None:
    # The review prints USD 8,760 for 4 staff x 4 meetings x 6 days x USD 365; the product is 35,040.
    amount, formula = line_cost({"kind": "meetings", "staff": 4, "meetings": 4, "days": D("6"),
                                 "day_rate": D("365"), "currency": "USD"})
    assert amount == D("35040")
    assert formula == "4 staff x 4 meetings x 6 days x USD 365"


def test_staff_time_is_days_times_day_rate() -> None:
    amount, formula = line_cost({"kind": "staff_time", "days": D("2.5"), "day_rate": D("300"), "currency": "USD"})
    assert amount == D("750.0")
    assert formula == "2.5 days x USD 300"


def test_activity_figures(small_catalogue) -> None:
    by_id = {a.id: a.figures for a in small_catalogue.activities}
    # ALPHA-001: USD 10,000 cash + 20 days x USD 300 in kind (confirmed) = 16,000 required;
    # secured = 4,000 confirmed grant + 6,000 in kind = 10,000; gap 6,000; coverage 0.625.
    assert (by_id["ALPHA-001"].required, by_id["ALPHA-001"].secured, by_id["ALPHA-001"].gap) == (D("16000.00"), D("10000.00"), D("6000.00"))
    assert by_id["ALPHA-001"].coverage == D("0.6250")
    # ALPHA-002: EUR 5,000 x 1.10 = 5,500 required; EUR 6,000 confirmed = 6,600 -> secured 5,500, surplus 1,100.
    assert (by_id["ALPHA-002"].secured, by_id["ALPHA-002"].surplus, by_id["ALPHA-002"].gap) == (D("5500.00"), D("1100.00"), D("0.00"))
    assert by_id["ALPHA-002"].status == "over_committed"
    # ALPHA-003: 4 x 4 x 6 x 365 = 35,040 pledged in kind: nothing secured, gap 35,040, gap if pledged 0.
    assert (by_id["ALPHA-003"].required, by_id["ALPHA-003"].pledged, by_id["ALPHA-003"].gap, by_id["ALPHA-003"].gap_if_pledged) == (D("35040.00"), D("35040.00"), D("35040.00"), D("0.00"))
    assert by_id["ALPHA-003"].status == "unfunded"
    # BETA-001: EUR 12,345.67 x 1.10 = 13,580.237 -> 13,580.24; USD 3,000 confirmed; EUR 2,000 pledged = 2,200.
    assert (by_id["BETA-001"].required, by_id["BETA-001"].secured, by_id["BETA-001"].gap, by_id["BETA-001"].gap_if_pledged) == (D("13580.24"), D("3000.00"), D("10580.24"), D("8380.24"))
    assert by_id["BETA-002"].status == "fully_funded"
    # BETA-003: EUR 1,000.15 x 1.10 = 1,100.165 -> 1,100.16 (half-even); USD 500 only requested.
    assert (by_id["BETA-003"].required, by_id["BETA-003"].requested, by_id["BETA-003"].gap) == (D("1100.16"), D("500.00"), D("1100.16"))


def test_totals(small_catalogue) -> None:
    a = small_catalogue.totals.all
    # All work, every timing: the figures before open work was told apart.
    # required: 16,000 + 5,500 + 35,040 + 13,580.24 + 8,000 + 1,100.16 (activities) + 22,000 (ST-001: EUR 20,000) = 101,220.40
    assert a.required == D("101220.40")
    # secured: 10,000 + 5,500 + 0 + 3,000 + 8,000 + 0 + 16,500 (ST-001: EUR 15,000 core) = 43,000
    assert a.secured == D("43000.00")
    assert a.gap == D("58220.40") == a.required - a.secured
    assert a.pledged == D("37240.00")  # 35,040 in kind + 2,200
    assert a.surplus == D("1100.00")  # ALPHA-002's excess, shown but not netted
    assert a.gap_if_pledged == D("20980.40")  # 6,000 + 8,380.24 + 1,100.16 + 5,500
    assert a.coverage == D("0.4248")  # 43,000 / 101,220.40
    # Open work (as at 2025-06-30): ALPHA-002 and BETA-002 are completed, BETA-001 ended 2025-05-31: past.
    t = small_catalogue.totals.figures
    assert t.required == D("74140.16")  # 101,220.40 - 5,500 - 8,000 - 13,580.24
    assert t.secured == D("26500.00")  # 43,000 - 5,500 - 8,000 - 3,000
    assert t.gap == D("47640.16") == t.required - t.secured
    assert (t.pledged, t.surplus) == (D("35040.00"), D("0.00"))  # BETA-001's 2,200 pledge and ALPHA-002's surplus are past
    assert t.gap_if_pledged == D("12600.16")  # 6,000 + 0 + 1,100.16 + 5,500
    assert t.coverage == D("0.3574")  # 26,500 / 74,140.16
    past = small_catalogue.totals.past
    assert (past.required, past.secured, past.gap, past.surplus) == (D("27080.24"), D("16500.00"), D("10580.24"), D("1100.00"))
    assert small_catalogue.totals.suspended.required == D("0.00")
    for name in ("required", "secured", "pledged", "requested", "surplus", "gap", "gap_if_pledged"):
        parts = getattr(t, name) + getattr(past, name) + getattr(small_catalogue.totals.suspended, name)
        assert parts == getattr(a, name), name
    assert small_catalogue.totals.cofunding_in_kind == D("6000.00")  # ALPHA-001's confirmed staff time
    assert small_catalogue.totals.cofunding_cash == D("3000.00")  # Beta own funds


def test_priorities_ordered_by_gap_and_summed_from_lead_work(small_catalogue) -> None:
    assert [p.id for p in small_catalogue.priorities] == ["CA-13.3", "RES-12.21", "DEC-13.99"]
    ca, res, dec = small_catalogue.priorities
    # CA-13.3 leads ALPHA-002, ALPHA-003, BETA-002: 5,500 + 35,040 + 8,000 = 48,540; only ALPHA-003 is open.
    assert (ca.figures.required, ca.figures.gap, ca.figures.surplus) == (D("35040.00"), D("35040.00"), D("0.00"))
    assert (ca.past.required, ca.past.gap, ca.past.surplus) == (D("13500.00"), D("0.00"), D("1100.00"))
    # RES-12.21 leads ALPHA-001, BETA-001 (past), BETA-003 and ST-001; ALPHA-003 only contributes.
    assert (res.figures.required, res.figures.gap) == (D("39100.16"), D("12600.16"))  # 16,000 + 1,100.16 + 22,000
    assert (res.past.required, res.past.gap) == (D("13580.24"), D("10580.24"))  # BETA-001
    assert res.contributing_activity_ids == ("ALPHA-003",)
    assert dec.figures.status == "unfunded"
    # CA-13.3's open work (ALPHA-003) has only pledged money: its funded work is all delivered.
    assert [p.id for p in small_catalogue.languishing_priorities] == ["CA-13.3", "DEC-13.99"]
    assert [lp.reasons[0].text for lp in small_catalogue.languishing_priorities] == [
        "no confirmed funding", "no activity or Secretariat task addresses it"]


def test_partner_figures_and_cofunding(small_catalogue) -> None:
    alpha, beta = small_catalogue.partners
    # Open work: Alpha's ALPHA-001 and ALPHA-003 (16,000 + 35,040); Beta's BETA-003 alone.
    assert (alpha.figures.required, alpha.figures.secured, alpha.figures.gap) == (D("51040.00"), D("10000.00"), D("41040.00"))
    assert (beta.figures.required, beta.figures.secured, beta.figures.gap) == (D("1100.16"), D("0.00"), D("1100.16"))
    # All work, as before open work was told apart: 56,540 and 22,680.40 required.
    assert alpha.figures.required + alpha.past.required == D("56540.00")
    assert beta.figures.required + beta.past.required == D("22680.40")
    assert (alpha.cofunding_in_kind, beta.cofunding_cash) == (D("6000.00"), D("3000.00"))


# --------------------------------------------------------------------------- invariants

money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)


@given(required=money, confirmed=money, pledged=money, requested=money)
def test_item_gap_is_never_negative_and_secured_never_above_required(required, confirmed, pledged, requested) -> None:
    f = item_figures(required, confirmed, pledged, requested)
    assert f.gap == max(required - f.secured, 0) >= 0
    assert f.secured <= f.required
    assert f.secured + f.surplus == confirmed
    assert (f.status == "over_committed") == (confirmed > required)


@settings(max_examples=200)
@given(st.lists(st.tuples(money, money, money), min_size=1, max_size=30), st.randoms())
def test_groupings_sum_to_the_total_in_any_order(items, rnd) -> None:
    members = [item_figures(r, c, p, D(0)) for r, c, p in items]
    total = sum_figures(members)
    shuffled = members[:]
    rnd.shuffle(shuffled)
    half = len(shuffled) // 2
    parts = [sum_figures(shuffled[:half]), sum_figures(shuffled[half:])]
    regrouped = sum_figures(parts)
    for name in ("required", "secured", "pledged", "surplus", "gap", "gap_if_pledged"):
        assert getattr(regrouped, name) == getattr(total, name)
    assert total.gap == max(total.required - total.secured, 0)


@given(st.lists(st.tuples(money, st.sampled_from([D("1"), D("1.10"), D("0.0067"), D("1.2719")])), max_size=30), st.randoms())
def test_conversion_order_does_not_change_sums(lines, rnd) -> None:
    converted = [convert(amount, rate) for amount, rate in lines]
    shuffled = converted[:]
    rnd.shuffle(shuffled)
    assert sum(converted, D(0)) == sum(shuffled, D(0))
    assert all(c == c.quantize(D("0.01")) for c in converted)
