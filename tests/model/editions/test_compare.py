"""Changes between two editions: a hand-worked pair, and properties that hold for any pair."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.model.editions.changes_json import changes_to_json
from catalogue.model.editions.compare import FIRST_EDITION, EditionChanges, compare_editions
from catalogue.model.work import budget_work, implementer_names
from tests.model.edition_docs import PARTNERS, activity, cash, document, funding

D = Decimal
PRIORITIES = ["PR-1", "PR-2", "PR-3"]

# Then: EUR at 1.10. A-1 costs EUR 1,000 (USD 1,100.00) with a pledge of EUR 500 (USD 550.00) from Donor X.
THEN = document([activity("A-1", "P-A", "PR-1", [cash(1, "EUR", "1000")], [funding(1, "Donor X", "pledged", "EUR", "500")])],
                {"USD": "1", "EUR": "1.10"}, PRIORITIES, ["PR-1", "PR-2"], edition="first edition")
# Now: EUR at 1.20 (1,000 -> 1,200.00); Donor X signed (500 -> 600.00 confirmed); A-2 added (USD 300, no money).
NOW = document([activity("A-1", "P-A", "PR-1", [cash(1, "EUR", "1000")], [funding(1, "Donor X", "confirmed", "EUR", "500")]),
                activity("A-2", "P-A", "PR-2", [cash(1, "USD", "300")])],
               {"USD": "1", "EUR": "1.20"}, PRIORITIES, ["PR-2"], edition="second edition", as_at="2025-12-31")


def _item(changes: EditionChanges, kind: str, item_id: str) -> Any:
    return next(i for i in changes.items if i.kind == kind and i.id == item_id)


def _split(change: Any) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
    return change.then, change.now, change.change, change.money_effect, change.rate_effect


def test_hand_worked_pair_activity_a1() -> None:
    changes = compare_editions(THEN, NOW, earlier_languishing=[frozenset({"PR-2"}), frozenset({"PR-1", "PR-2"})])
    a1 = _item(changes, "activity", "A-1")
    assert a1.change == "changed" and (a1.status_then, a1.status_now) == ("unfunded", "partly_funded")
    # required: 1,000 EUR x 1.10 = 1,100.00 then; x 1.20 = 1,200.00 now; at the old rate still 1,100.00: all rate.
    assert _split(a1.figure("required")) == (D("1100.00"), D("1200.00"), D("100.00"), D("0.00"), D("100.00"))
    # secured: 0 then; 500 EUR confirmed = 600.00 now; at the old rate 550.00: money 550.00 + rates 50.00.
    assert _split(a1.figure("secured")) == (D("0.00"), D("600.00"), D("600.00"), D("550.00"), D("50.00"))
    # pledged: 550.00 then, 0 now (the pledge became confirmed): all money.
    assert _split(a1.figure("pledged")) == (D("550.00"), D("0.00"), D("-550.00"), D("-550.00"), D("0.00"))
    # gap: 1,100.00 then; 1,200.00 - 600.00 = 600.00 now; at old rates 1,100.00 - 550.00 = 550.00.
    # money -550.00 (550.00 - 1,100.00) + rates 50.00 (600.00 - 550.00) = -500.00.
    assert _split(a1.figure("gap")) == (D("1100.00"), D("600.00"), D("-500.00"), D("-550.00"), D("50.00"))


def test_hand_worked_pair_added_activity_partner_and_programme() -> None:
    changes = compare_editions(THEN, NOW)
    a2 = _item(changes, "activity", "A-2")
    assert a2.change == "added" and a2.status_then is None and a2.status_now == "unfunded"
    assert _split(a2.figure("required")) == (D("0.00"), D("300.00"), D("300.00"), D("300.00"), D("0"))
    # Partner A = A-1 + A-2. required 1,100.00 -> 1,500.00: rates 100.00, money 300.00.
    partner = _item(changes, "partner", "P-A")
    assert _split(partner.figure("required")) == (D("1100.00"), D("1500.00"), D("400.00"), D("300.00"), D("100.00"))
    # gap 1,100.00 -> 900.00 (600.00 + 300.00): rates 50.00, money -250.00 (-550.00 on A-1, +300.00 on A-2).
    assert _split(partner.figure("gap")) == (D("1100.00"), D("900.00"), D("-200.00"), D("-250.00"), D("50.00"))
    assert changes.programme is not None
    assert changes.programme.figure("gap") == partner.figure("gap")
    # Partner B has no work in either edition: unchanged, so not listed.
    assert not [i for i in changes.items if i.id == "P-B"] and dict(changes.unchanged)["partner"] == 1
    source = _item(changes, "funding_source", "voluntary_contribution|Donor X")
    assert _split(source.figure("confirmed")) == (D("0.00"), D("600.00"), D("600.00"), D("550.00"), D("50.00"))
    assert _split(source.figure("pledged")) == (D("550.00"), D("0.00"), D("-550.00"), D("-550.00"), D("0"))


def test_hand_worked_pair_pledge_languishing_rates_and_headlines() -> None:
    changes = compare_editions(THEN, NOW, earlier_languishing=[frozenset({"PR-2"}), frozenset({"PR-1", "PR-2"})])
    [pledge] = changes.pledges_confirmed
    assert (pledge.item_id, pledge.line_kind, pledge.line, pledge.source, pledge.then, pledge.now) == (
        "A-1", "funding", 1, "Donor X", D("550.00"), D("600.00"))
    assert changes.became_languishing == ()
    [stopped] = changes.stopped_languishing
    # PR-1 languished in the edition before `then` and in `then`, not in the one before that: 2 editions, complete.
    assert (stopped.id, stopped.editions, stopped.complete) == ("PR-1", 2, True)
    assert [(r.currency, r.then, r.now) for r in changes.rates] == [("EUR", D("1.10"), D("1.20"))]
    codes = [h.code for h in changes.headlines]
    assert codes == ["gap-changed", "secured-changed", "required-changed", "pledged-changed", "rates-changed",
                     "items-added", "status-moves", "pledges-confirmed", "languishing-stopped"]
    gap = dict(changes.headlines[0].params)
    assert gap == {"then": "1100.00", "now": "900.00", "change": "-200.00", "money_effect": "-250.00", "rate_effect": "50.00"}
    assert dict(changes.headlines[6].params) == {"count": 2}  # A-1 and PR-1 moved from unfunded to partly funded
    assert dict(changes.headlines[7].params) == {"count": 1, "amount": "600.00"}


def test_match_offer_taken_up() -> None:
    offer = [cash(1, "USD", "10000")]
    before = document([activity("A-1", "P-A", "PR-1", offer, [funding(1, "Alpha match", "pledged", "USD", "2000", "match")],
                                match_up_to="5000")], {"USD": "1"}, PRIORITIES, [])
    after = document([activity("A-1", "P-A", "PR-1", offer, [funding(1, "Alpha match", "confirmed", "USD", "2000", "match")],
                               match_up_to="5000")], {"USD": "1"}, PRIORITIES, [])
    [taken] = compare_editions(before, after).match_taken_up
    assert (taken.activity_id, taken.confirmed_then, taken.confirmed_now, taken.up_to) == ("A-1", D("0"), D("2000.00"), D("5000.00"))


def test_first_edition_has_nothing_to_compare_with() -> None:
    changes = compare_editions(None, NOW, now_id="abc123")
    assert changes.code == FIRST_EDITION and changes.then is None and changes.items == ()
    as_json = changes_to_json(changes)
    assert as_json["code"] == "first-edition" and as_json["headlines"] == [{"code": "first-edition", "params": {}}]
    assert as_json["now"]["id"] == "abc123"


def test_an_edition_compared_with_itself_has_no_change() -> None:
    changes = compare_editions(NOW, NOW)
    assert changes.items == () and [h.code for h in changes.headlines] == ["no-change"]


# --------------------------------------------------------------------------- any pair of editions

money = st.decimals(min_value=D("0.01"), max_value=D("250000"), places=2, allow_nan=False, allow_infinity=False).map(str)
currency = st.sampled_from(["USD", "EUR", "GBP"])
rate = st.decimals(min_value=D("0.5"), max_value=D("2"), places=4).map(str)


@st.composite
def records(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for n in draw(st.lists(st.integers(1, 6), min_size=1, max_size=4, unique=True)):
        budget = [cash(i, draw(currency), draw(money), draw(st.sampled_from([None, "confirmed", "pledged"])))
                  for i in range(1, draw(st.integers(1, 3)) + 1)]
        lines = [funding(i, draw(st.sampled_from(["Donor X", "Donor Y"])), draw(st.sampled_from(["confirmed", "pledged", "requested"])),
                         draw(currency), draw(money), draw(st.sampled_from(["voluntary_contribution", "partner_own_funds", "match"])))
                 for i in range(1, draw(st.integers(0, 3)) + 1)]
        out.append(activity(f"A-{n}", draw(st.sampled_from(list(PARTNERS))), draw(st.sampled_from(PRIORITIES)), budget, lines))
    return out


@st.composite
def editions(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], dict[str, str]]:
    then_rates = {"USD": "1", "EUR": draw(rate), "GBP": draw(rate)}
    now_rates = {"USD": "1", "EUR": draw(rate), "GBP": draw(rate)}
    now_records = draw(records())
    then_records = now_records if draw(st.booleans()) else draw(records())
    then = document(then_records, then_rates, PRIORITIES, [])
    return then, document(now_records, now_rates, PRIORITIES, []), now_records, then_rates


@settings(max_examples=60, deadline=None)
@given(editions())
def test_every_change_reconciles_and_money_effect_is_the_new_work_at_old_rates(pair: Any) -> None:
    then, now, now_records, then_rates = pair
    changes = compare_editions(then, now)
    everything = [changes.programme, *changes.items]
    for item in everything:
        assert item is not None
        for _, figure in item.money:
            assert figure.then + figure.change == figure.now
            assert figure.rate_effect + figure.money_effect == figure.change
            assert figure.change == figure.change.quantize(D("0.01"))
    # The money effect is measured at the old rates: the new lines budgeted by the model at then's rates.
    old_rates = {c: D(r) for c, r in then_rates.items()}
    for record in now_records:
        at_old = budget_work(record, old_rates, implementer_names(*PARTNERS[record["partner_id"]])).figures
        found = [i for i in changes.items if i.kind == "activity" and i.id == record["id"]]
        for measure in ("required", "secured", "pledged", "gap"):
            if found:
                assert found[0].figure(measure).at_old_rates == getattr(at_old, measure)
            else:  # not listed: none of its figures moved (a rate effect and a money effect may cancel out)
                now_value = next(D(a[measure]) for a in now["activities"] if a["id"] == record["id"])
                then_value = next(D(a[measure]) for a in then["activities"] if a["id"] == record["id"])
                assert then_value == now_value
    # Every money figure of the JSON reconciles too, as text.
    as_json = changes_to_json(changes)
    for item in [as_json["programme"], *(i for items in as_json["items"].values() for i in items)]:
        for f in item["figures"].values():
            assert D(f["then"]) + D(f["change"]) == D(f["now"])
            assert D(f["rate_effect"]) + D(f["money_effect"]) == D(f["change"])


@settings(max_examples=30, deadline=None)
@given(records(), rate, rate)
def test_a_rate_change_alone_is_never_money(work: list[dict[str, Any]], eur: str, gbp: str) -> None:
    then = document(work, {"USD": "1", "EUR": "1.1000", "GBP": "1.3000"}, PRIORITIES, [])
    now = document(work, {"USD": "1", "EUR": eur, "GBP": gbp}, PRIORITIES, [])
    changes = compare_editions(then, now)
    for item in [changes.programme, *changes.items]:
        assert item is not None
        for _, figure in item.money:
            assert figure.money_effect == 0, (item.kind, item.id)
