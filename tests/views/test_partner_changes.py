"""A partner's co-funding then and now: its entry of catalogue.json's `changes`, worked out by hand on a pair of editions."""

from __future__ import annotations

from decimal import Decimal

from catalogue.model.editions.changes_json import changes_to_json
from catalogue.model.editions.compare import compare_editions
from catalogue.views.partner_changes import (
    COMPARED,
    CURRENCY_CHANGED,
    NOTHING_TO_COMPARE,
    OTHER_EDITION,
    UNCHANGED,
    partner_changes,
)
from tests.model.edition_docs import activity, cash, document, funding

D = Decimal
PRIORITIES = ["PR-1"]

# Then: EUR at 1.10. Alpha gives EUR 200 of its own cash (USD 220.00) and 400 USD of its own staff time (in kind);
# Donor X has pledged USD 300.
THEN = document([activity("A-1", "P-A", "PR-1", [cash(1, "EUR", "1000"), cash(2, "USD", "400", in_kind="confirmed")],
                          [funding(1, "Alpha", "confirmed", "EUR", "200", "partner_own_funds"),
                           funding(2, "Donor X", "pledged", "USD", "300")])],
                {"USD": "1", "EUR": "1.10"}, PRIORITIES, [], edition="first edition")
# Now: EUR at 1.20; Alpha's own cash is EUR 250 (USD 300.00) and it adds USD 100 more staff time.
NOW = document([activity("A-1", "P-A", "PR-1", [cash(1, "EUR", "1000"), cash(2, "USD", "400", in_kind="confirmed"),
                                                cash(3, "USD", "100", in_kind="confirmed")],
                         [funding(1, "Alpha", "confirmed", "EUR", "250", "partner_own_funds"),
                          funding(2, "Donor X", "pledged", "USD", "300")])],
               {"USD": "1", "EUR": "1.20"}, PRIORITIES, [], edition="second edition", as_at="2025-12-31")
CHANGES = changes_to_json(compare_editions(THEN, NOW, then_id="aaaa1111bbbb"))


def _rows(changes: dict) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal, Decimal]]:  # type: ignore[type-arg]
    found = partner_changes(changes, "P-A", edition="second edition", as_at="2025-12-31")
    assert found.code == COMPARED and not found.added
    return [(f.measure, f.then, f.now, f.change, f.rate_effect, f.money_effect) for f in found.figures]


def test_alphas_cofunding_then_and_now_split_into_rates_and_money() -> None:
    assert _rows(CHANGES) == [
        # cash: EUR 200 x 1.10 = 220.00 then; EUR 250 x 1.20 = 300.00 now. At the old rate 250 x 1.10 = 275.00:
        # money 275.00 - 220.00 = 55.00, rates 300.00 - 275.00 = 25.00.
        ("cofunding_cash", D("220.00"), D("300.00"), D("80.00"), D("25.00"), D("55.00")),
        # in kind, all in USD: 400.00 then; 400.00 + 100.00 = 500.00 now; no rate effect.
        ("cofunding_in_kind", D("400.00"), D("500.00"), D("100.00"), D("0.00"), D("100.00")),
        # total: 620.00 -> 800.00, of which 25.00 from the euro's rise.
        ("cofunding_total", D("620.00"), D("800.00"), D("180.00"), D("25.00"), D("155.00")),
        # pledged to its activities: Donor X's USD 300, unchanged (listed: the partner changed).
        ("pledged", D("300.00"), D("300.00"), D("0.00"), D("0.00"), D("0.00")),
    ]


def test_the_statement_names_the_edition_it_compares_with() -> None:
    found = partner_changes(CHANGES, "P-A", edition="second edition", as_at="2025-12-31",
                            confirmed_now=(D("300.00"), D("500.00")))
    assert (found.code, found.then_edition, found.then_as_at, found.has_rate_effect) == (
        COMPARED, "first edition", "2025-06-30", True)
    assert found.message == "Compared with the edition %(edition)s (figures as at %(date)s)."


def test_a_partner_without_change_a_first_edition_and_no_catalogue_say_so_plainly() -> None:
    beta = partner_changes(CHANGES, "P-B", edition="second edition", as_at="2025-12-31")
    assert (beta.code, beta.then_edition, beta.figures) == (UNCHANGED, "first edition", ())
    first = changes_to_json(compare_editions(None, NOW))
    assert partner_changes(first, "P-A", edition="second edition", as_at="2025-12-31").code == NOTHING_TO_COMPARE
    assert partner_changes(None, "P-A", edition="second edition", as_at="2025-12-31").code == NOTHING_TO_COMPARE
    assert "first edition" in partner_changes(None, "P-A", edition="", as_at="").message


def test_changes_of_another_edition_or_currency_are_not_shown() -> None:
    # The published catalogue is older than the statement's inputs: its edition or its figures differ.
    assert partner_changes(CHANGES, "P-A", edition="third edition", as_at="2026-06-30").code == OTHER_EDITION
    stale = partner_changes(CHANGES, "P-A", edition="second edition", as_at="2025-12-31",
                            confirmed_now=(D("300.00"), D("600.00")))
    assert stale.code == OTHER_EDITION and stale.figures == ()
    euros = {**NOW, "reporting_currency": "EUR"}
    moved = changes_to_json(compare_editions(THEN, euros))
    assert partner_changes(moved, "P-A", edition="second edition", as_at="2025-12-31").code == CURRENCY_CHANGED
