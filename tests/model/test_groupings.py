"""Groupings, year splits, match offers and double counting: hand-worked cases and invariants."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.model.costing import item_figures
from catalogue.model.groupings import split_figures
from catalogue.model.years import days_per_year
from catalogue.money import allocate
from catalogue.pipeline import build_model
from tests.fixtures.small import TASKS, WORKPLANS, write_small_inputs, write_workbook

D = Decimal
FIELDS = ("required", "secured", "pledged", "requested", "surplus", "gap", "gap_if_pledged")


def test_allocate_shares_cents_by_largest_remainder() -> None:
    assert allocate(D("100.00"), [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]
    assert allocate(D("0.01"), [1, 1]) == [D("0.01"), D("0.00")]
    # 2024-07-01..2026-06-30 has 184 + 365 + 181 = 730 days; 730.00 split pro rata is 184 / 365 / 181.
    assert allocate(D("730.00"), [184, 365, 181]) == [D("184.00"), D("365.00"), D("181.00")]


def test_days_per_year_counts_both_ends() -> None:
    assert days_per_year(date(2024, 7, 1), date(2026, 6, 30)) == {2024: 184, 2025: 365, 2026: 181}
    assert days_per_year(date(2025, 1, 1), date(2025, 1, 1)) == {2025: 1}


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=8))
def test_allocate_is_exact(amount, weights) -> None:
    parts = allocate(amount, weights)
    assert sum(parts, D(0)) == amount
    assert all(p >= 0 and p == p.quantize(D("0.01")) for p in parts)


money = st.decimals(min_value=0, max_value=10**7, places=2)


@given(money, money, money, st.lists(st.integers(min_value=1, max_value=366), min_size=1, max_size=4))
def test_split_parts_add_up_and_keep_gap_rule(required, confirmed, pledged, weights) -> None:
    whole = item_figures(required, confirmed, pledged, D(0))
    parts = split_figures(whole, weights)
    for name in FIELDS:
        assert sum((getattr(p, name) for p in parts), D(0)) == getattr(whole, name), name
    for p in parts:
        assert p.gap == max(p.required - p.secured, 0)


@pytest.fixture(scope="module")
def sample():
    result = build_model(Path(__file__).resolve().parents[2] / "inputs", build_time="2025-07-01T00:00:00Z")
    assert result.catalogue is not None
    return result.catalogue


@pytest.mark.parametrize("grouping", ["strategic_plan_target", "taxon_group", "region", "instrument", "rank", "year"])
def test_every_sample_grouping_sums_to_the_totals(sample, grouping) -> None:
    groups = getattr(sample.groupings, grouping)
    for name in FIELDS:
        assert sum((getattr(g.figures, name) for g in groups), D(0)) == getattr(sample.totals.figures, name), (grouping, name)
    for g in groups:
        assert g.figures.gap == max(g.figures.required - g.figures.secured, 0)


def test_sample_partner_and_priority_figures_sum_to_totals(sample) -> None:
    for name in FIELDS:
        total = getattr(sample.totals.figures, name)
        assert sum((getattr(p.figures, name) for p in sample.priorities), D(0)) == total
    open_total = sum((a.figures.required for a in sample.activities if a.timing == "open"), D(0))
    assert sum((p.figures.required for p in sample.partners), D(0)) == open_total
    activities_total = sum((a.figures.required for a in sample.activities), D(0))
    assert sum((p.figures.required + p.past.required + p.suspended.required for p in sample.partners), D(0)) == activities_total


def _small(tmp_path: Path):
    result = build_model(write_small_inputs(tmp_path / "inputs"), build_time="2025-07-01T00:00:00Z")
    assert result.catalogue is not None, [i.message for i in result.report.errors]
    return result


def test_small_years_split_pro_rata(tmp_path: Path) -> None:
    catalogue = _small(tmp_path).catalogue
    years = {g.key: g.figures.required for g in catalogue.groupings.year}
    assert set(years) == {"2024", "2025", "2026"}
    # Open work only (74,140.16 of 101,220.40; ALPHA-002, BETA-001 and BETA-002 are past).
    assert sum(years.values(), D(0)) == catalogue.totals.figures.required == D("74140.16")
    # ST-001 (22,000 over 2024-2026: 366 / 365 / 365 days of 1,096) puts 7,346.72 in 2024
    # (22,000 x 366 / 1,096 = 7,346.715... -> 7,346.71 + the leftover cent by largest remainder).
    st_2024 = allocate(D("22000.00"), [366, 365, 365])[0]
    assert st_2024 == D("7346.72")


def test_small_match_offer_and_leverage(tmp_path: Path) -> None:
    catalogue = _small(tmp_path).catalogue
    alpha3 = next(a for a in catalogue.activities if a.id == "ALPHA-003")
    # Alpha matches donor money 1:1 up to USD 10,000: a donor's 10,000 unlocks 10,000 more, leverage 2.00.
    assert (alpha3.match_offer.up_to, alpha3.match_offer.donor_to_unlock) == (D("10000.00"), D("10000.00"))
    ca = catalogue.priority("CA-13.3")
    assert (ca.match.offers, ca.match.match_available, ca.match.leverage) == (1, D("10000.00"), D("2.00"))
    assert catalogue.priority("RES-12.21").match.leverage is None


def test_same_grant_claimed_twice_is_flagged_with_both_places(tmp_path: Path) -> None:
    root = write_small_inputs(tmp_path / "inputs")
    sheets = copy.deepcopy(WORKPLANS["P-BETA"])
    sheets["Funding"][2][7] = "TL-1"  # BETA-001 line 2 now claims ALPHA-001's grant TL-1
    write_workbook(root / "workplans" / "P-BETA.xlsx", sheets)
    result = build_model(root)
    assert result.catalogue is not None
    (double,) = result.catalogue.double_counting
    assert double.grant_ref == "TL-1"
    assert double.reason.code == "grant-ref-shared"
    assert set(double.places) == {"ALPHA-001 funding line 1", "BETA-001 funding line 2"}
    warnings = [i for i in result.report.warnings if i.code == "double-counted"]
    assert len(warnings) == 1 and "ALPHA-001 funding line 1" in warnings[0].message


def test_partner_money_claimed_by_the_secretariat_is_flagged(tmp_path: Path) -> None:
    root = write_small_inputs(tmp_path / "inputs")
    tasks = copy.deepcopy(TASKS)
    tasks["Funding"].append(["ST-001", 2, "Beta Ocean Alliance contribution", "voluntary_contribution", "confirmed", 1000, "USD", None])
    write_workbook(root / "secretariat_tasks.xlsx", tasks)
    catalogue = build_model(root).catalogue
    assert catalogue is not None
    (double,) = catalogue.double_counting
    # ST-001 serves RES-12.21, where Beta reports USD 3,000 of its own funds on BETA-001.
    assert double.places == ("ST-001 funding line 2", "BETA-001 funding line 2")
    assert (double.reason.code, double.reason.params) == ("partner-counted-twice", (("partner_id", "P-BETA"),))


def test_languishing_reasons(tmp_path: Path) -> None:
    catalogue = _small(tmp_path).catalogue
    assert {p.id: tuple(r.code for r in p.reasons) for p in catalogue.languishing_priorities} == {
        "CA-13.3": ("no-confirmed-funding",), "DEC-13.99": ("no-work",)}
    assert catalogue.languishing_priorities[1].reasons[0].text == "no activity or Secretariat task addresses it"


def test_days_beyond_the_period_count_in_its_first_or_last_year() -> None:
    period = (2024, 2026)
    assert days_per_year(date(2026, 12, 1), date(9999, 12, 31), period) == {2026: (date(9999, 12, 31) - date(2026, 12, 1)).days + 1}
    assert days_per_year(date(2023, 12, 1), date(2024, 1, 31), period) == {2024: 62}
    assert days_per_year(date(1, 1, 1), date(9999, 12, 31), period) == {
        2024: (date(2024, 12, 31) - date(1, 1, 1)).days + 1, 2025: 365, 2026: (date(9999, 12, 31) - date(2026, 1, 1)).days + 1}
    assert days_per_year(date(2024, 7, 1), date(2026, 6, 30), period) == {2024: 184, 2025: 365, 2026: 181}


def test_a_far_future_date_makes_no_more_year_groups_than_the_period(tmp_path: Path) -> None:
    from catalogue.checks.gate import run_gate
    from catalogue.inputs.load import load_inputs
    from catalogue.model.budget import budget_programme
    from catalogue.model.merge import merge_programme

    root = write_small_inputs(tmp_path / "inputs")
    sheets = copy.deepcopy(WORKPLANS["P-BETA"])
    sheets["Activities"][1][7] = date(9999, 12, 31)  # BETA-001 "ends" on the last day a spreadsheet knows
    write_workbook(root / "workplans" / "P-BETA.xlsx", sheets)
    gate = run_gate(load_inputs(root))
    assert gate.passed and gate.settings is not None, [i.message for i in gate.report.errors]
    budgeted = budget_programme(merge_programme(gate.valid_records, gate.settings))
    years = budgeted.groupings.year
    assert [g.key for g in years] == ["2024", "2025", "2026"]
    for name in FIELDS:
        assert sum((getattr(g.figures, name) for g in years), D(0)) == getattr(budgeted.totals.figures, name)
    (warning,) = [w for w in budgeted.warnings if w.code != "status-contradicts-dates"]  # completed, "ending" in 9999
    assert (warning.code, warning.record_id, warning.field) == ("year-clipped-to-period", "BETA-001", "end")
    assert warning.location.file.endswith("P-BETA.xlsx") and warning.location.sheet == "Activities"
