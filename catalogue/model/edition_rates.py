"""The effect of exchange rates on one edition's figures: its own lines re-priced at an earlier edition's rates.

A donor must never be told that a gap closed when only the dollar moved. So,
for two editions, each money change is split in two:

- rate effect  = now - (the new edition's lines converted at the old rates),
- money effect = (the new edition's lines at the old rates) - then,

and rate effect + money effect = now - then exactly, because both are
differences of the same three Decimals.

Everything here reads catalogue.json documents (never the inputs), so any two
editions compare, even ones built by an older version of the program. The
rules re-applied to the re-priced lines are the model's (catalogue/model/costing.py):
one conversion per line, rounded half-even to the cent; secured = confirmed
capped at the item's own requirement; gap = required - secured; an in-kind line
with no source, or one naming the implementer, is the implementer's own
co-funding. A line whose currency has the same rate in both editions (or no
rate in the old one) keeps its published amount, so when no rate moved every
rate effect is exactly zero whatever the rounding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

ZERO = Decimal("0")
CENT = Decimal("0.01")
SECRETARIAT = "CMS Secretariat"  # the implementer the model names for a task's in-kind lines without a source

# The money measures whose rate effect is computed for an activity or task (catalogue.json field names).
WORK_MEASURES = ("required", "secured", "pledged", "gap", "gap_if_pledged", "cofunding_cash", "cofunding_in_kind")
SOURCE_MEASURES = ("confirmed", "pledged", "requested")

Effects = dict[str, Decimal]
Document = Mapping[str, Any]


def rates_of(document: Document) -> dict[str, Decimal]:
    """The edition's FX table: currency -> units of the reporting currency per unit."""
    return {row["currency"]: Decimal(row["rate"]) for row in document.get("fx_rates", [])}


def changed_currencies(then: Document, now: Document) -> frozenset[str]:
    """Currencies priced in both editions at different rates (the only ones with a rate effect)."""
    old, new = rates_of(then), rates_of(now)
    return frozenset(c for c in new if c in old and old[c] != new[c])


def _at_old_rate(line: Mapping[str, Any], old_rates: Mapping[str, Decimal], moved: frozenset[str]) -> Decimal:
    """A line's amount at the old rate: converted once and rounded half-even, or as published if its rate did not move."""
    if line["currency"] not in moved:
        return Decimal(line["amount"])
    return (Decimal(line["original_amount"]) * old_rates[line["currency"]]).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _touches(item: Mapping[str, Any], moved: frozenset[str]) -> bool:
    lines = [*item.get("budget_lines", []), *item.get("funding_lines", [])]
    return any(line["currency"] in moved for line in lines)


def work_at_rates(item: Mapping[str, Any], old_rates: Mapping[str, Decimal], moved: frozenset[str],
                  own_names: frozenset[str] = frozenset()) -> Effects:
    """One activity's or task's figures with every line at the old rates (the model's rules, re-applied)."""
    totals: Effects = defaultdict(lambda: ZERO)
    for line in item.get("budget_lines", []):
        amount = _at_old_rate(line, old_rates, moved)
        totals["required"] += amount
        if line.get("in_kind") == "confirmed":
            totals["confirmed"] += amount
            source = line.get("in_kind_source")
            if source is None or source.strip().lower() in own_names:
                totals["cofunding_in_kind"] += amount
        elif line.get("in_kind") == "pledged":
            totals["pledged"] += amount
    for line in item.get("funding_lines", []):
        amount = _at_old_rate(line, old_rates, moved)
        if line["status"] == "confirmed":
            totals["confirmed"] += amount
            if line["source_type"] == "partner_own_funds":
                totals["cofunding_cash"] += amount
        elif line["status"] == "pledged":
            totals["pledged"] += amount
    secured = min(totals["confirmed"], totals["required"])
    gap = totals["required"] - secured
    return {"required": totals["required"], "secured": secured, "pledged": totals["pledged"], "gap": gap,
            "gap_if_pledged": max(gap - totals["pledged"], ZERO),
            "cofunding_cash": totals["cofunding_cash"], "cofunding_in_kind": totals["cofunding_in_kind"]}


def _partner_names(document: Document) -> dict[str, frozenset[str]]:
    return {p["id"]: frozenset({p["name"].strip().lower(), p["short_name"].strip().lower()})
            for p in document.get("partners", [])}


def _work_effects(item: Mapping[str, Any], old_rates: Mapping[str, Decimal], moved: frozenset[str],
                  own_names: frozenset[str]) -> Effects:
    """now - (now at the old rates), per measure; all zero when none of the item's lines moved."""
    if not _touches(item, moved):
        return {m: ZERO for m in WORK_MEASURES}
    at_old = work_at_rates(item, old_rates, moved, own_names)
    return {m: Decimal(item.get(m, "0")) - at_old[m] for m in WORK_MEASURES}


def _sum_effects(parts: Iterable[Effects], measures: Iterable[str]) -> Effects:
    names = tuple(measures)
    total = {m: ZERO for m in names}
    for part in parts:
        for m in names:
            total[m] += part.get(m, ZERO)
    return total


def _source_effects(now: Document, old_rates: Mapping[str, Decimal], moved: frozenset[str]) -> dict[str, Effects]:
    """Rate effect per funding source (keyed 'source_type|source'), as the model groups lines into sources."""
    out: dict[str, Effects] = defaultdict(lambda: {m: ZERO for m in SOURCE_MEASURES})
    work = [(a, a.get("partner_name", "")) for a in now.get("activities", [])]
    work += [(t, SECRETARIAT) for t in now.get("secretariat_tasks", [])]
    for item, implementer in work:
        for line in item.get("funding_lines", []):
            if line["currency"] in moved:
                delta = Decimal(line["amount"]) - _at_old_rate(line, old_rates, moved)
                out[f"{line['source_type']}|{line['source']}"][line["status"]] += delta
        for line in item.get("budget_lines", []):
            if line.get("in_kind") in ("confirmed", "pledged") and line["currency"] in moved:
                delta = Decimal(line["amount"]) - _at_old_rate(line, old_rates, moved)
                out[f"in_kind|{line.get('in_kind_source') or implementer}"][line["in_kind"]] += delta
    return dict(out)


def source_key(source: Mapping[str, Any]) -> str:
    """A funding source's identity across editions: its type and its name."""
    return f"{source['source_type']}|{source['source']}"


def rate_effects(then: Document, now: Document) -> dict[str, dict[str, Effects]]:
    """Rate effects of the new edition against the old rates, for every kind of item, keyed by kind then id.

    Kinds: activity, task, priority, partner, funding_source and programme (id "programme").
    Groupings sum their members' effects, exactly as the model sums their figures.
    """
    old_rates = rates_of(then)
    moved = changed_currencies(then, now)
    names = _partner_names(now)
    activities = {a["id"]: _work_effects(a, old_rates, moved, names.get(a["partner_id"], frozenset()))
                  for a in now.get("activities", [])}
    tasks = {t["id"]: _work_effects(t, old_rates, moved, frozenset()) for t in now.get("secretariat_tasks", [])}
    priorities = {p["id"]: _sum_effects([*(activities[i] for i in p.get("activity_ids", []) if i in activities),
                                         *(tasks[i] for i in p.get("task_ids", []) if i in tasks)], WORK_MEASURES)
                  for p in now.get("priorities", [])}
    partners = {p["id"]: _sum_effects((activities[i] for i in p.get("activity_ids", []) if i in activities),
                                      WORK_MEASURES)
                for p in now.get("partners", [])}
    for effects in partners.values():
        effects["cofunding_total"] = effects["cofunding_cash"] + effects["cofunding_in_kind"]
    programme = _sum_effects([*activities.values(), *tasks.values()], WORK_MEASURES)
    return {"activity": activities, "task": tasks, "priority": priorities, "partner": partners,
            "funding_source": _source_effects(now, old_rates, moved), "programme": {"programme": programme}}
