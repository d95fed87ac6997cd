"""How an edition comparison finds and names each kind of item in a catalogue.json document."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from catalogue.model.edition_rates import donor_key, source_key

Document = Mapping[str, Any]
LISTS = {"priority": "priorities", "activity": "activities", "task": "secretariat_tasks", "partner": "partners",
         "funding_source": "funding_sources", "donor": "donors"}


def coverage_of(item: Mapping[str, Any] | None) -> Decimal | None:
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
    if kind == "funding_source":
        return str(item["source"])
    if kind == "donor":
        return str(item["name"])
    return str(item.get("title") or item.get("short_name") or item.get("name") or item["id"])


def params_of(kind: str, item: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    if kind == "activity":
        return (("partner_id", item["partner_id"]), ("lead_priority_id", item.get("lead_priority_id", "")))
    if kind == "task":
        return (("lead_priority_id", item.get("lead_priority_id", "")),)
    if kind == "funding_source":
        return (("source_type", item["source_type"]),)
    return ()
