"""What changed between two editions of the catalogue, computed from their catalogue.json documents alone.

For the programme and each priority, activity, Secretariat task, partner and
funding source: every money figure then and now, its change, and that change
split into the effect of exchange rates and the effect of real money (see
edition_rates). Then + change = now to the cent, and rate effect + money
effect = change, because each is a difference of the same exact Decimals.
Also: items added and removed, funding-status moves, priorities that became
or stopped being languishing (with how many editions in a row), pledges that
became confirmed and match offers taken up.

The result carries codes and parameters, never sentences: renderers translate.
Lists are in a stated order (kind, then id) so equal editions give equal bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalogue.model.editions.items import coverage_of, identity, items_of, params_of, title_of
from catalogue.model.editions.rate_effects import (
    ZERO,
    Effects,
    rate_effects,
    rates_moved_without_a_date,
    rates_of,
)

Document = Mapping[str, Any]

# Which money measures each kind of item carries (catalogue.json field names).
FIGURES = ("required", "secured", "pledged", "gap")
MEASURES: dict[str, tuple[str, ...]] = {
    "programme": (*FIGURES, "gap_if_pledged", "cofunding_cash", "cofunding_in_kind"),
    "priority": FIGURES,
    "activity": (*FIGURES, "cofunding_cash", "cofunding_in_kind"),
    "task": FIGURES,
    "partner": (*FIGURES, "cofunding_cash", "cofunding_in_kind", "cofunding_total"),
    "funding_source": ("confirmed", "pledged", "requested"),
    "donor": ("committed", "paid", "pledged", "requested"),
}
KINDS = ("priority", "activity", "task", "partner", "funding_source", "donor")
LARGEST_GAPS = 10  # priorities shown then and now in the "largest gaps" chart, whether or not they changed

# Result codes (catalogue.json `changes.code`).
COMPARED = "compared"
FIRST_EDITION = "first-edition"
CURRENCY_CHANGED = "reporting-currency-changed"


@dataclass(frozen=True)
class MoneyChange:
    """One figure then and now; the change is split into rate effect and money effect (new figures at old rates)."""

    then: Decimal
    now: Decimal
    rate_effect: Decimal

    @property
    def change(self) -> Decimal:
        """Now minus then, exact."""
        return self.now - self.then

    @property
    def money_effect(self) -> Decimal:
        """The part of the change that is real money: the change less the rate effect."""
        return self.change - self.rate_effect

    @property
    def at_old_rates(self) -> Decimal:
        """The new figure as the old edition's rates would price it: now less the rate effect."""
        return self.now - self.rate_effect


@dataclass(frozen=True)
class ItemChange:
    """One priority, activity, task, partner, funding source or the programme, then and now."""

    kind: str
    id: str
    title: str
    change: str  # added | removed | changed (| unchanged, for the programme only)
    money: tuple[tuple[str, MoneyChange], ...]
    status_then: str | None = None
    status_now: str | None = None
    coverage_then: Decimal | None = None
    coverage_now: Decimal | None = None
    params: tuple[tuple[str, str], ...] = ()  # e.g. partner_id of an activity, source_type of a source

    def figure(self, measure: str) -> MoneyChange:
        """This item's change in one money measure (KeyError if its kind does not carry it)."""
        return dict(self.money)[measure]


@dataclass(frozen=True)
class EditionRef:
    """Which edition: its id (from the publishing layer, if known), name, "as at" date and build time."""

    id: str | None
    edition: str
    as_at: str
    build_time: str


@dataclass(frozen=True)
class RateChange:
    currency: str
    then: Decimal | None  # None: the currency is new in this edition
    now: Decimal | None  # None: no longer used


@dataclass(frozen=True)
class Languishing:
    """A priority entering or leaving the languishing list; `editions` in a row it has languished (up to now, or then)."""

    id: str
    title: str
    editions: int
    complete: bool  # False when the run reaches the oldest edition kept: it may be longer


@dataclass(frozen=True)
class PledgeConfirmed:
    item_kind: str  # activity | task
    item_id: str
    line_kind: str  # funding | in_kind
    line: int
    source: str
    then: Decimal
    now: Decimal


@dataclass(frozen=True)
class MatchTakenUp:
    activity_id: str
    partner_id: str
    confirmed_then: Decimal
    confirmed_now: Decimal
    up_to: Decimal


@dataclass(frozen=True)
class Headline:
    code: str
    params: tuple[tuple[str, str | int], ...] = ()


@dataclass(frozen=True)
class EditionChanges:
    code: str
    now: EditionRef
    then: EditionRef | None = None
    reporting_currency: str = ""
    rates: tuple[RateChange, ...] = ()
    programme: ItemChange | None = None
    items: tuple[ItemChange, ...] = ()
    unchanged: tuple[tuple[str, int], ...] = ()
    became_languishing: tuple[Languishing, ...] = ()
    stopped_languishing: tuple[Languishing, ...] = ()
    pledges_confirmed: tuple[PledgeConfirmed, ...] = ()
    match_taken_up: tuple[MatchTakenUp, ...] = ()
    largest_gaps: tuple[ItemChange, ...] = ()  # the priorities with the largest gaps now, largest first
    rates_not_redated: tuple[str, ...] = ()  # currencies whose rate changed while its date did not (a warning)
    headlines: tuple[Headline, ...] = field(default=())

    def of_kind(self, kind: str) -> tuple[ItemChange, ...]:
        """The added, removed and changed items of one kind, in the comparison's order (by identity)."""
        return tuple(i for i in self.items if i.kind == kind)


def edition_ref(document: Document, edition_id: str | None = None) -> EditionRef:
    """Which edition a catalogue.json document is; a missing field reads as an empty string."""
    return EditionRef(edition_id, document.get("edition", ""), document.get("as_at", ""),
                      document.get("provenance", {}).get("build_time", ""))


def _money(kind: str, then: Mapping[str, Any] | None, now: Mapping[str, Any] | None,
           effects: Effects | None) -> tuple[tuple[str, MoneyChange], ...]:
    """Each measure then and now; a removed item has no rate effect (nothing of it is priced at the new rates)."""
    before = then or {}
    after = now or {}
    rate = effects if (effects and now is not None) else {}
    return tuple((m, MoneyChange(Decimal(before.get(m, "0")), Decimal(after.get(m, "0")), rate.get(m, ZERO)))
                 for m in MEASURES[kind])


def item_change(kind: str, then: Mapping[str, Any] | None, now: Mapping[str, Any] | None,
                effects: Effects | None, *, always: bool = False) -> ItemChange | None:
    """One item then and now, or None when nothing about it changed (unless `always`: then change is "unchanged")."""
    present = now if now is not None else then
    assert present is not None
    money = _money(kind, then, now, effects)
    status_then = then.get("status") if then else None
    status_now = now.get("status") if now else None
    change = "added" if then is None else "removed" if now is None else "changed"
    if change == "changed" and status_then == status_now and all(c.then == c.now for _, c in money):
        if not always:
            return None
        change = "unchanged"
    return ItemChange(kind, identity(kind, present), title_of(kind, present), change, money, status_then, status_now,
                      coverage_of(then), coverage_of(now), params_of(kind, present))


def _compare_kind(kind: str, then: Document, now: Document, effects: Mapping[str, Effects]) -> tuple[list[ItemChange], int]:
    old = {identity(kind, i): i for i in items_of(kind, then)}
    new = {identity(kind, i): i for i in items_of(kind, now)}
    changes: list[ItemChange] = []
    unchanged = 0
    for key in sorted(old.keys() | new.keys()):
        found = item_change(kind, old.get(key), new.get(key), effects.get(key))
        if found is None:
            unchanged += 1
        else:
            changes.append(found)
    return changes, unchanged


def languishing_ids(document: Document) -> frozenset[str]:
    """The ids of the priorities a catalogue.json document lists as languishing."""
    return frozenset(p["id"] for p in document.get("languishing_priorities", []))


def _streak(priority_id: str, history: Sequence[frozenset[str]]) -> tuple[int, bool]:
    """Editions in a row, ending with the last of `history`, in which the priority languished."""
    count = 0
    for ids in reversed(history):
        if priority_id not in ids:
            return count, True
        count += 1
    return count, False


def _languishing(then: Document, now: Document, earlier: Sequence[frozenset[str]]) -> tuple[list[Languishing], list[Languishing]]:
    old, new = languishing_ids(then), languishing_ids(now)
    titles = {p["id"]: p["title"] for d in (then, now) for p in d.get("languishing_priorities", [])}
    became = [Languishing(pid, titles[pid], *_streak(pid, [*earlier, old, new])) for pid in sorted(new - old)]
    stopped = [Languishing(pid, titles[pid], *_streak(pid, [*earlier, old])) for pid in sorted(old - new)]
    return became, stopped


def _work(document: Document) -> Iterable[tuple[str, Mapping[str, Any]]]:
    yield from (("activity", a) for a in document.get("activities", []))
    yield from (("task", t) for t in document.get("secretariat_tasks", []))


def _pledge_lines(document: Document) -> dict[tuple[str, str, str, int], tuple[str, str, Decimal]]:
    """(item kind, item id, line kind, line) -> (source, status, amount) for funding lines and in-kind cost lines."""
    out: dict[tuple[str, str, str, int], tuple[str, str, Decimal]] = {}
    for kind, item in _work(document):
        for line in item.get("funding_lines", []):
            out[(kind, item["id"], "funding", line["line"])] = (line["source"], line["status"], Decimal(line["amount"]))
        for line in item.get("budget_lines", []):
            if line.get("in_kind"):
                out[(kind, item["id"], "in_kind", line["line"])] = (line.get("in_kind_source") or "", line["in_kind"],
                                                                    Decimal(line["amount"]))
    return out


def _pledges_confirmed(then: Document, now: Document) -> list[PledgeConfirmed]:
    old, new = _pledge_lines(then), _pledge_lines(now)
    found = []
    for key in sorted(old.keys() & new.keys()):
        (source, status_then, amount_then), (source_now, status_now, amount_now) = old[key], new[key]
        if status_then == "pledged" and status_now == "confirmed" and source == source_now:
            found.append(PledgeConfirmed(key[0], key[1], key[2], key[3], source, amount_then, amount_now))
    return found


def _confirmed_match(activity: Mapping[str, Any] | None) -> Decimal:
    lines = activity.get("funding_lines", []) if activity else []
    return sum((Decimal(f["amount"]) for f in lines if f["source_type"] == "match" and f["status"] == "confirmed"), ZERO)


def _match_taken_up(then: Document, now: Document) -> list[MatchTakenUp]:
    """Activities with a match offer whose confirmed match money grew: a donor's money unlocked the partner's."""
    old = {a["id"]: a for a in then.get("activities", [])}
    found = []
    for activity in sorted(now.get("activities", []), key=lambda a: str(a["id"])):
        before = old.get(activity["id"])
        offer = activity.get("match_offer") or (before or {}).get("match_offer")
        confirmed_then, confirmed_now = _confirmed_match(before), _confirmed_match(activity)
        if offer and confirmed_now > confirmed_then:
            found.append(MatchTakenUp(activity["id"], activity["partner_id"], confirmed_then, confirmed_now,
                                      Decimal(offer["up_to"])))
    return found


def _largest_gaps(then: Document, now: Document, effects: Mapping[str, Effects]) -> list[ItemChange]:
    old = {p["id"]: p for p in then.get("priorities", [])}
    ordered = sorted(now.get("priorities", []), key=lambda p: (-Decimal(p["gap"]), str(p["id"])))
    found = [item_change("priority", old.get(p["id"]), p, effects.get(p["id"]), always=True)
             for p in ordered[:LARGEST_GAPS] if Decimal(p["gap"]) > 0]
    return [f for f in found if f is not None]


def _rate_changes(then: Document, now: Document) -> list[RateChange]:
    old, new = rates_of(then), rates_of(now)
    return [RateChange(c, old.get(c), new.get(c)) for c in sorted(old.keys() | new.keys()) if old.get(c) != new.get(c)]


def compare_editions(then: Document | None, now: Document, *, earlier_languishing: Sequence[frozenset[str]] = (),
                     then_id: str | None = None, now_id: str | None = None) -> EditionChanges:
    """Everything that changed from `then` to `now` (catalogue.json documents); `then` None: a first edition.

    `earlier_languishing`: the languishing priority ids of the editions before
    `then`, oldest first (languishing_ids of each), to count how long each has languished.
    """
    now_ref = edition_ref(now, now_id)
    if then is None:
        return EditionChanges(FIRST_EDITION, now_ref, headlines=(Headline(FIRST_EDITION),))
    then_ref = edition_ref(then, then_id)
    if then.get("reporting_currency") != now.get("reporting_currency"):
        return EditionChanges(CURRENCY_CHANGED, now_ref, then_ref, now.get("reporting_currency", ""),
                              headlines=(Headline(CURRENCY_CHANGED, (("then", then.get("reporting_currency", "")),
                                                                     ("now", now.get("reporting_currency", "")))),))
    effects = rate_effects(then, now)
    programme = item_change("programme", {"id": "programme", **then["totals"]}, {"id": "programme", **now["totals"]},
                            effects["programme"]["programme"], always=True)
    items: list[ItemChange] = []
    unchanged: list[tuple[str, int]] = []
    for kind in KINDS:
        found, same = _compare_kind(kind, then, now, effects[kind])
        items += found
        unchanged.append((kind, same))
    became, stopped = _languishing(then, now, earlier_languishing)
    changes = EditionChanges(COMPARED, now_ref, then_ref, now["reporting_currency"], tuple(_rate_changes(then, now)),
                             programme, tuple(items), tuple(unchanged), tuple(became), tuple(stopped),
                             tuple(_pledges_confirmed(then, now)), tuple(_match_taken_up(then, now)),
                             tuple(_largest_gaps(then, now, effects["priority"])),
                             tuple(rates_moved_without_a_date(then, now)))
    return EditionChanges(**{**changes.__dict__, "headlines": headlines(changes)})


def _money_params(change: MoneyChange) -> tuple[tuple[str, str | int], ...]:
    return (("then", str(change.then)), ("now", str(change.now)), ("change", str(change.change)),
            ("money_effect", str(change.money_effect)), ("rate_effect", str(change.rate_effect)))


def _money_headlines(programme: ItemChange | None) -> list[Headline]:
    if programme is None:
        return []
    figures = [(m, programme.figure(m)) for m in ("gap", "secured", "required", "pledged")]
    return [Headline(f"{m}-changed", _money_params(f)) for m, f in figures if f.change]


def _item_headlines(changes: EditionChanges) -> list[Headline]:
    found: list[Headline] = []
    for change in ("added", "removed"):
        counts = [(kind, sum(1 for i in changes.of_kind(kind) if i.change == change)) for kind in KINDS]
        found += [Headline(f"items-{change}", (("kind", kind), ("count", n))) for kind, n in counts if n]
    moves = sum(1 for i in changes.items if i.change == "changed" and i.status_then != i.status_now
                and i.kind in ("priority", "activity", "task"))
    return found + ([Headline("status-moves", (("count", moves),))] if moves else [])


def _event_headlines(changes: EditionChanges) -> list[Headline]:
    found: list[Headline] = []
    if changes.pledges_confirmed:
        amount = sum((p.now for p in changes.pledges_confirmed), ZERO)
        found.append(Headline("pledges-confirmed", (("count", len(changes.pledges_confirmed)), ("amount", str(amount)))))
    if changes.match_taken_up:
        amount = sum((m.confirmed_now - m.confirmed_then for m in changes.match_taken_up), ZERO)
        found.append(Headline("match-taken-up", (("count", len(changes.match_taken_up)), ("amount", str(amount)))))
    for code, entries in (("languishing-became", changes.became_languishing),
                          ("languishing-stopped", changes.stopped_languishing)):
        if entries:
            found.append(Headline(code, (("count", len(entries)),)))
    return found


def headlines(changes: EditionChanges) -> tuple[Headline, ...]:
    """The summary a reader sees first, as codes in a fixed order; "no-change" when nothing moved."""
    rates = [Headline("rates-changed", (("count", len(changes.rates)),
                                        ("currencies", ", ".join(r.currency for r in changes.rates))))] if changes.rates else []
    if changes.rates_not_redated:
        rates.append(Headline("rate-not-redated", (("currencies", ", ".join(changes.rates_not_redated)),)))
    found = [*_money_headlines(changes.programme), *rates, *_item_headlines(changes), *_event_headlines(changes)]
    return tuple(found) or (Headline("no-change"),)
