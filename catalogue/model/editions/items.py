"""How an edition comparison finds and names each kind of item in a catalogue.json document."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from catalogue.model.editions.rate_effects import donor_key, source_key

Document = Mapping[str, Any]
LISTS = {"priority": "priorities", "activity": "activities", "task": "secretariat_tasks", "partner": "partners",
         "funding_source": "funding_sources", "donor": "donors"}


def coverage_of(item: Mapping[str, Any] | None) -> Decimal | None:
    """An item's published coverage as an exact Decimal; None when there is no item or it has no coverage."""
    value = item.get("coverage") if item else None
    return None if value is None else Decimal(value)


def identity(kind: str, item: Mapping[str, Any]) -> str:
    """An item's identity across editions: its id, a funding source's type and name, a donor's register id."""
    if kind == "funding_source":
        return source_key(item)
    if kind == "donor":
        return donor_key(item)
    return str(item["id"])


def items_of(kind: str, document: Document) -> list[Mapping[str, Any]]:
    """A document's list of one kind of item (donors live under `contributions`; older documents have none)."""
    if kind == "donor":
        return list((document.get("contributions") or {}).get("donors", []))
    return list(document.get(LISTS[kind], []))


def title_of(kind: str, item: Mapping[str, Any]) -> str:
    """The name a change is shown under: a source's or donor's name, else the first of title, short name, name, id."""
    if kind == "funding_source":
        return str(item["source"])
    if kind == "donor":
        return str(item["name"])
    return str(item.get("title") or item.get("short_name") or item.get("name") or item["id"])


def params_of(kind: str, item: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """What a change carries beside its figures: an activity's partner and lead priority, a task's lead priority,
    a funding source's type; nothing for the other kinds."""
    if kind == "activity":
        return (("partner_id", item["partner_id"]), ("lead_priority_id", item.get("lead_priority_id", "")))
    if kind == "task":
        return (("lead_priority_id", item.get("lead_priority_id", "")),)
    if kind == "funding_source":
        return (("source_type", item["source_type"]),)
    return ()
