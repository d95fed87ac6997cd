"""The effect of exchange rates on one edition's figures: its own lines re-priced at an earlier edition's rates.

A donor must never be told that a gap closed when only the dollar moved. So,
for two editions, each money change is split in two:

- rate effect  = now - (the new edition's lines converted at the old rates),
- money effect = (the new edition's lines at the old rates) - then,

and rate effect + money effect = now - then exactly, because both are
differences of the same three Decimals.

Everything here reads catalogue.json documents (never the inputs), so any two
editions compare, even ones built by an older version of the program. The
rules re-applied to the re-priced lines are the model's own functions (costing.item_cents,
work.capped_own): one conversion per line, rounded half-even to the cent; secured = confirmed
capped at the item's own requirement; gap = required - secured; an in-kind line
with no source, or one naming the implementer, is the implementer's own
co-funding, on the capped basis of secured; a line that is part of a match offer is
not a pledge. Groupings sum their open items' figures (their `figures` are open work)
and all their items' co-funding, as the model does. A line whose currency has the same rate in both editions (or no
rate in the old one) keeps its published amount, so when no rate moved every
rate effect is exactly zero whatever the rounding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from catalogue.model.costing import item_cents
from catalogue.model.work import capped_own
from catalogue.money import from_cents, to_cents

ZERO = Decimal("0")
CENT = Decimal("0.01")
SECRETARIAT = "CMS Secretariat"  # the implementer the model names for a task's in-kind lines without a source

# The money measures whose rate effect is computed for an activity or task (catalogue.json field names).
WORK_MEASURES = ("required", "secured", "pledged", "gap", "gap_if_pledged", "cofunding_cash", "cofunding_in_kind")
SOURCE_MEASURES = ("confirmed", "pledged", "requested")
DONOR_MEASURES = ("committed", "paid", "pledged", "requested")

Effects = dict[str, Decimal]
Document = Mapping[str, Any]


def rates_of(document: Document) -> dict[str, Decimal]:
    """The edition's FX table: currency -> units of the reporting currency per unit."""
    return {row["currency"]: Decimal(row["rate"]) for row in document.get("fx_rates", [])}


def rates_moved_without_a_date(then: Document, now: Document) -> list[str]:
    """Currencies whose rate changed while its date did not: a typing slip, or a rate not re-dated (a warning)."""
    dates = [{row["currency"]: str(row.get("date", "")) for row in d.get("fx_rates", [])} for d in (then, now)]
    return [c for c in sorted(changed_currencies(then, now)) if dates[0].get(c) and dates[0].get(c) == dates[1].get(c)]


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
    required = confirmed = pledged = requested = own_cash = own_in_kind = 0
    for line in item.get("budget_lines", []):
        cents = to_cents(_at_old_rate(line, old_rates, moved))
        required += cents
        if line.get("in_kind") == "confirmed":
            confirmed += cents
            source = line.get("in_kind_source")
            if source is None or source.strip().lower() in own_names:
                own_in_kind += cents
        elif line.get("in_kind") == "pledged":
            pledged += cents
    for line in item.get("funding_lines", []):
        if line.get("part_of_offer"):
            continue  # the match offer's own money, not a pledge
        cents = to_cents(_at_old_rate(line, old_rates, moved))
        if line["status"] == "confirmed":
            confirmed += cents
            if line["source_type"] == "partner_own_funds":
                own_cash += cents
        elif line["status"] == "pledged":
            pledged += cents
        else:
            requested += cents
    c = item_cents(required, confirmed, pledged, requested)
    cash, in_kind, _ = capped_own(c, own_cash, own_in_kind)
    return {"required": from_cents(c.required), "secured": from_cents(c.secured), "pledged": from_cents(c.pledged),
            "gap": from_cents(c.gap), "gap_if_pledged": from_cents(c.gap_if_pledged),
            "cofunding_cash": from_cents(cash), "cofunding_in_kind": from_cents(in_kind)}


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
            if line["currency"] in moved and not line.get("part_of_offer"):
                delta = Decimal(line["amount"]) - _at_old_rate(line, old_rates, moved)
                out[f"{line['source_type']}|{line['source']}"][line["status"]] += delta
        for line in item.get("budget_lines", []):
            if line.get("in_kind") in ("confirmed", "pledged") and line["currency"] in moved:
                delta = Decimal(line["amount"]) - _at_old_rate(line, old_rates, moved)
                out[f"in_kind|{line.get('in_kind_source') or implementer}"][line["in_kind"]] += delta
    return dict(out)


def donor_key(donor: Mapping[str, Any]) -> str:
    """A donor's identity across editions: its register id, or its name when no register entry names it."""
    return str(donor.get("id") or f"~{donor['name']}")


def _stage(line: Mapping[str, Any]) -> str:
    return str(line.get("stage") or {"confirmed": "committed"}.get(line["status"], line["status"]))


def _add_line_effect(effects: Effects, line: Mapping[str, Any], delta: Decimal, old_rates: Mapping[str, Decimal],
                     moved: frozenset[str]) -> None:
    """A funding line's rate effect into its donor's measures, by stage (committed counts paid money too); a
    committed line's partial payment is re-priced from the amount paid as typed."""
    stage = _stage(line)
    if stage in ("committed", "paid"):
        effects["committed"] += delta
    if stage == "paid":
        effects["paid"] += delta
    elif stage in ("pledged", "requested"):
        effects[stage] += delta
    elif line.get("paid") is not None and line.get("original_paid") is not None:
        paid = {"amount": line["paid"], "original_amount": line["original_paid"], "currency": line["currency"]}
        effects["paid"] += Decimal(line["paid"]) - _at_old_rate(paid, old_rates, moved)


def _donor_effects(now: Document, old_rates: Mapping[str, Decimal], moved: frozenset[str]) -> dict[str, Effects]:
    """Rate effect per donor (its own lines), by stage as the model sums donors (model/contribution_totals.py).

    """
    out: dict[str, Effects] = defaultdict(lambda: {m: ZERO for m in DONOR_MEASURES})
    for kind, implementer in (("activities", None), ("secretariat_tasks", SECRETARIAT)):
        for item in now.get(kind, []):
            for line in item.get("funding_lines", []):
                if line["currency"] in moved and not line.get("part_of_offer"):
                    delta = Decimal(line["amount"]) - _at_old_rate(line, old_rates, moved)
                    _add_line_effect(out[line.get("donor_id") or f"~{line['source']}"], line, delta, old_rates, moved)
            for line in item.get("budget_lines", []):
                if line.get("in_kind") in ("confirmed", "pledged") and line["currency"] in moved:
                    delta = Decimal(line["amount"]) - _at_old_rate(line, old_rates, moved)
                    who = line.get("in_kind_source") or implementer or item.get("partner_name", "")
                    out[line.get("donor_id") or f"~{who}"]["committed" if line["in_kind"] == "confirmed" else "pledged"] += delta
    return dict(out)


def source_key(source: Mapping[str, Any]) -> str:
    """A funding source's identity across editions: its type and its name."""
    return f"{source['source_type']}|{source['source']}"


FIGURE_MEASURES = ("required", "secured", "pledged", "gap", "gap_if_pledged")  # a grouping's: open work only
COFUNDING_MEASURES = ("cofunding_cash", "cofunding_in_kind")  # a grouping's: all its work


def _group_effects(members: list[tuple[Mapping[str, Any], Effects]]) -> Effects:
    """A grouping's effects as the model sums its figures: open members' figures, every member's co-funding."""
    effects = _sum_effects((e for item, e in members if item.get("timing", "open") == "open"), FIGURE_MEASURES)
    effects.update(_sum_effects((e for _, e in members), COFUNDING_MEASURES))
    return effects


def members(ids: Iterable[str], items: Mapping[str, Any], effects: Mapping[str, Effects]) -> list[tuple[Any, Effects]]:
    """A grouping's members (their catalogue.json item and their effects), by id."""
    return [(items[i], effects[i]) for i in ids if i in effects]


def rate_effects(then: Document, now: Document) -> dict[str, dict[str, Effects]]:
    """Rate effects of the new edition against the old rates, for every kind of item, keyed by kind then id.

    Kinds: activity, task, priority, partner, funding_source and programme (id "programme").
    Groupings sum their members' effects, exactly as the model sums their figures.
    """
    old_rates = rates_of(then)
    moved = changed_currencies(then, now)
    names = _partner_names(now)
    activity_items = {a["id"]: a for a in now.get("activities", [])}
    task_items = {t["id"]: t for t in now.get("secretariat_tasks", [])}
    activities = {i: _work_effects(a, old_rates, moved, names.get(a["partner_id"], frozenset()))
                  for i, a in activity_items.items()}
    tasks = {i: _work_effects(t, old_rates, moved, frozenset()) for i, t in task_items.items()}
    priorities = {p["id"]: _group_effects(members(p.get("activity_ids", []), activity_items, activities)
                                          + members(p.get("task_ids", []), task_items, tasks))
                  for p in now.get("priorities", [])}
    partners = {p["id"]: _group_effects(members(p.get("activity_ids", []), activity_items, activities))
                for p in now.get("partners", [])}
    for effects in partners.values():
        effects["cofunding_total"] = effects["cofunding_cash"] + effects["cofunding_in_kind"]
    programme = _group_effects(members(activities, activity_items, activities) + members(tasks, task_items, tasks))
    return {"activity": activities, "task": tasks, "priority": priorities, "partner": partners,
            "funding_source": _source_effects(now, old_rates, moved), "donor": _donor_effects(now, old_rates, moved),
            "programme": {"programme": programme}}
