"""A donor pack's "Since we last met" page: the gaps matched to the donor, then (the edition as at the last meeting) and now.

The comparison itself is the model's (catalogue/model/editions/compare.py, run by
catalogue/publishing/editions.changes_as_at on the two catalogue.json files):
this module keeps only the priorities, activities and tasks the pack shows, and
copies their gap then, now, change and rate effect. Nothing is recomputed.

What the page can say (SinceWeMet.code):
- "no-date": the donor profile has no `last_met` date;
- "no-edition": no edition kept in the outputs folder was published on or before that date;
- "currency-changed": the reporting currency changed, so amounts do not compare;
- "compared": the matched gaps that moved (none: "unchanged").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from catalogue.issues import N_


class _Gap(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def kind(self) -> str: ...


class _PriorityGaps(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def items(self) -> Sequence[_Gap]: ...


class MatchedGaps(Protocol):
    """What this page reads of a donor pack: the priorities and items matched to the donor. (A protocol, not
    DonorPack itself: the pack holds a SinceWeMet, so naming its class here would make a circle.)"""

    @property
    def priorities(self) -> Sequence[_PriorityGaps]:
        """The priorities matched to the donor, each with its matched activities and tasks."""
        ...

NO_DATE = "no-date"
NO_EDITION = "no-edition"
CURRENCY_CHANGED = "currency-changed"
COMPARED = "compared"
UNCHANGED = "unchanged"
_KINDS = (("priorities", "priority"), ("activities", "activity"), ("secretariat_tasks", "task"))

SINCE_TEXT = {
    NO_DATE: N_("The donor profile gives no date of the last meeting, so there is nothing to compare with."),
    NO_EDITION: N_("No edition of the catalogue published on or before %(date)s is kept, so there is nothing to compare with."),
    CURRENCY_CHANGED: N_("The reporting currency changed since %(date)s, so amounts cannot be compared."),
    UNCHANGED: N_("Since we last met on %(date)s (edition %(edition)s), no gap matched to you has changed."),
    COMPARED: N_("Since we last met on %(date)s, compared with the edition %(edition)s (figures as at %(then_as_at)s)."),
}


@dataclass(frozen=True)
class GapThenNow:
    """One matched priority, activity or task whose gap moved (figures copied from `changes`)."""

    kind: str  # priority | activity | task
    id: str
    title: str
    change: str  # added | removed | changed
    then: Decimal
    now: Decimal
    difference: Decimal
    rate_effect: Decimal


@dataclass(frozen=True)
class SinceWeMet:
    code: str
    last_met: date | None = None
    then_edition: str = ""
    then_as_at: date | None = None
    gaps: tuple[GapThenNow, ...] = ()

    @property
    def message(self) -> str:
        """The page's sentence for its code, untranslated (N_-marked; the renderer translates and fills it in)."""
        return SINCE_TEXT[self.code]


def last_met_of(donor: Mapping[str, Any]) -> date | None:
    """The donor profile's `last_met` (a date, or an ISO date string as JSON gives it), or None."""
    value = donor.get("last_met")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None  # the schema checks the format; a bad value is reported there


def _matched_ids(pack: MatchedGaps) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {"priority": set(), "activity": set(), "task": set()}
    for priority in pack.priorities:
        ids["priority"].add(priority.id)
        for item in priority.items:
            ids[item.kind].add(item.id)
    return ids


def since_we_met(pack: MatchedGaps, last_met: date | None, changes: Mapping[str, Any] | None) -> SinceWeMet:
    """The pack's matched gaps since `last_met`; `changes` compares the edition as at that date with now (None: none)."""
    if last_met is None:
        return SinceWeMet(NO_DATE)
    if not changes or changes.get("code") == "first-edition":
        return SinceWeMet(NO_EDITION, last_met)
    if changes.get("code") != "compared":
        return SinceWeMet(CURRENCY_CHANGED, last_met)
    then = changes.get("then") or {}
    then_as_at = date.fromisoformat(then["as_at"]) if then.get("as_at") else None
    wanted = _matched_ids(pack)
    gaps = [GapThenNow(kind, item["id"], item["title"], item["change"], Decimal(item["figures"]["gap"]["then"]),
                       Decimal(item["figures"]["gap"]["now"]), Decimal(item["figures"]["gap"]["change"]),
                       Decimal(item["figures"]["gap"]["rate_effect"]))
            for key, kind in _KINDS for item in changes.get("items", {}).get(key, [])
            if item["id"] in wanted[kind] and Decimal(item["figures"]["gap"]["change"])]
    return SinceWeMet(COMPARED if gaps else UNCHANGED, last_met, str(then.get("edition", "")), then_as_at, tuple(gaps))
