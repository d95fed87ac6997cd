"""EditionChanges as catalogue.json's `changes` object (schemas/catalogue.schema.json, property `changes`).

Money is written as exact decimal strings with two places, like every amount in
catalogue.json; each figure carries then, now, change, rate_effect and
money_effect, so a reader can check then + change = now and
rate_effect + money_effect = change from the file alone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalogue.model.editions.compare import (
    KINDS,
    EditionChanges,
    EditionRef,
    ItemChange,
    Languishing,
    MoneyChange,
)
from catalogue.model.editions.rate_effects import CENT

# The list in catalogue.json that holds each kind's changes (the same names as the catalogue's own lists).
KIND_LISTS = {"priority": "priorities", "activity": "activities", "task": "secretariat_tasks",
              "partner": "partners", "funding_source": "funding_sources", "donor": "donors"}


def money_text(value: Decimal) -> str:
    """Two places, never '-0.00' (the amounts are already whole cents, so this never rounds)."""
    return "0.00" if value == 0 else str(value.quantize(CENT))


def _ref(ref: EditionRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"id": ref.id, "edition": ref.edition, "as_at": ref.as_at, "build_time": ref.build_time}


def _figure(change: MoneyChange) -> dict[str, str]:
    return {"then": money_text(change.then), "now": money_text(change.now), "change": money_text(change.change),
            "rate_effect": money_text(change.rate_effect), "money_effect": money_text(change.money_effect)}


def item_json(item: ItemChange) -> dict[str, Any]:
    """One item's change as catalogue.json writes it: each figure's then, now and change as exact two-place strings."""
    return {
        "id": item.id,
        "title": item.title,
        "change": item.change,
        "status_then": item.status_then,
        "status_now": item.status_now,
        "coverage_then": None if item.coverage_then is None else str(item.coverage_then),
        "coverage_now": None if item.coverage_now is None else str(item.coverage_now),
        "params": dict(item.params),
        "figures": {measure: _figure(change) for measure, change in item.money},
    }


def _languishing(entries: tuple[Languishing, ...]) -> list[dict[str, Any]]:
    return [{"id": e.id, "title": e.title, "editions": e.editions, "complete": e.complete} for e in entries]


def changes_to_json(changes: EditionChanges) -> dict[str, Any]:
    """The `changes` object, in a fixed key and list order so that equal editions give equal bytes."""
    return {
        "code": changes.code,
        "then": _ref(changes.then),
        "now": _ref(changes.now),
        "reporting_currency": changes.reporting_currency,
        "headlines": [{"code": h.code, "params": dict(h.params)} for h in changes.headlines],
        "rates": [{"currency": r.currency, "then": None if r.then is None else str(r.then),
                   "now": None if r.now is None else str(r.now)} for r in changes.rates],
        "programme": None if changes.programme is None else item_json(changes.programme),
        "items": {KIND_LISTS[kind]: [item_json(i) for i in changes.of_kind(kind)] for kind in KINDS},
        "unchanged": {KIND_LISTS[kind]: count for kind, count in changes.unchanged},
        "languishing": {"became": _languishing(changes.became_languishing),
                        "stopped": _languishing(changes.stopped_languishing)},
        "pledges_confirmed": [{"item_kind": p.item_kind, "item_id": p.item_id, "line_kind": p.line_kind,
                               "line": p.line, "source": p.source, "then": money_text(p.then),
                               "now": money_text(p.now)} for p in changes.pledges_confirmed],
        "match_taken_up": [{"activity_id": m.activity_id, "partner_id": m.partner_id,
                            "confirmed_then": money_text(m.confirmed_then), "confirmed_now": money_text(m.confirmed_now),
                            "up_to": money_text(m.up_to)} for m in changes.match_taken_up],
        "largest_gaps": [item_json(i) for i in changes.largest_gaps],
    }
