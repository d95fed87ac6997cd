"""The read-only API's answers: the published catalogue.json's tables, filtered and grouped (as OCHA FTS's flows).

Every answer is rows of the data package's tables (render/data_package.py), so the API, the CSVs and the
JSON say the same figures. Flows are the funding lines that moved money or promised it (pledged, committed,
paid; never a request, never a match offer's own money). Filters: priority, partner, donor, country, taxon,
region, year, status (a flow's status is its stage; a priority's or an activity's is its funding status).
Grouping a flow by a field it has several values of (an activity in three countries) shares its money equally
among them, to the cent (money.allocate_cents), so the groups add up to the total.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from catalogue.money import CENT, allocate_cents
from catalogue.render.data_package import TABLES

FILTERS = ("priority", "partner", "donor", "country", "taxon", "region", "year", "status")
FLOW_STAGES = ("pledged", "committed", "paid")
FLOW_FIELDS = ("donor_id", "donor_name", "implementer_id", "implementer_name", "item_kind", "item_id", "priority",
               "partner", "country", "taxon", "region", "year", "status", "amount", "committed", "paid", "pledged")
GROUP_MONEY = ("committed", "paid", "pledged")
_MULTI = {"country", "taxon", "region"}


class QueryError(ValueError):
    """A parameter the API cannot answer: its `code` (for scripts) and a sentence saying what would work."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _table_rows(name: str, document: Mapping[str, Any]) -> list[dict[str, Any]]:
    table = next(t for t in TABLES if t.name == name)
    return list(table.rows(document))


def _year(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or len(value) != 4:
        raise QueryError("bad-year", f"year must be four digits, e.g. 2025; got {value!r}.")
    return int(value)


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in str(value or "").split("; ") if v]


def priority_rows(document: Mapping[str, Any], filters: Mapping[str, str]) -> list[dict[str, Any]]:
    """The priorities (open work's money) that match `filters` (priority, taxon, region, status)."""
    rows = _table_rows("priorities", document)
    return [r for r in rows if _matches(r, filters, {"priority": [r["id"]], "taxon": _split(r["taxa"]),
                                                     "region": _split(r["regions"]), "status": [r["status"]]})]


def activity_rows(document: Mapping[str, Any], filters: Mapping[str, str]) -> list[dict[str, Any]]:
    """The partner activities that match `filters` (priority, partner, country, taxon, region, year, status)."""
    priorities = {p["id"]: p for p in document["priorities"]}
    years = {a["id"]: [str(y["year"]) for y in a["years"]] for a in document["activities"]}
    out = []
    for row in _table_rows("activities", document):
        lead = priorities.get(row["lead_priority_id"]) or {}
        if _matches(row, filters, {"priority": _split(row["priority_ids"]), "partner": [row["partner_id"]],
                                   "country": _split(row["countries"]), "taxon": _split(lead.get("taxa")),
                                   "region": _split(lead.get("regions")), "year": years.get(row["id"], []),
                                   "status": [row["status"]]}):
            out.append(row)
    return out


def donor_rows(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The donors of the register with what each committed, paid and pledged."""
    return _table_rows("donors", document)


def _matches(row: Mapping[str, Any], filters: Mapping[str, str], values: Mapping[str, Sequence[str]]) -> bool:
    for name, wanted in filters.items():
        if wanted == "":
            continue
        if name not in values:
            raise QueryError("filter-not-offered", f"This list cannot be filtered by {name}; it can by: "
                                                   f"{', '.join(values)}.")
        if name == "year":
            _year(wanted)
        if wanted not in values[name]:
            return False
    return True


def _flow_year(line: Mapping[str, Any], work: Mapping[str, Any]) -> int:
    """A flow's year: the one its line names, else the year of its latest date, else the year its work starts."""
    if line.get("year"):
        return int(line["year"])
    for name in ("paid_on", "signed_on", "pledged_on"):
        if line.get(name):
            return int(str(line[name])[:4])
    return int(str(work["start"])[:4])


def _flow(kind: str, work: Mapping[str, Any], line: Mapping[str, Any], lead: Mapping[str, Any],
          donor: Mapping[str, Any], secretariat: str) -> dict[str, Any]:
    amount = Decimal(str(line["amount"]))
    stage = line["stage"]
    return {"donor_id": line.get("donor_id") or "", "donor_name": donor.get("name") or line["source"],
            "implementer_id": work.get("partner_id", ""), "implementer_name": work.get("partner_name") or secretariat,
            "item_kind": kind, "item_id": work["id"], "priority": work["lead_priority_id"],
            "partner": work.get("partner_id", ""), "country": list(work.get("countries") or []),
            "taxon": list(lead.get("taxa") or []), "region": list(lead.get("regions") or []),
            "year": _flow_year(line, work), "status": stage, "amount": amount,
            "committed": amount if stage in ("committed", "paid") else Decimal(0),
            "paid": Decimal(str(line.get("paid") or "0")), "pledged": amount if stage == "pledged" else Decimal(0)}


def flow_rows(document: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every flow of the catalogue: donor -> implementer -> priority, with where, what for, when and its stage."""
    priorities = {p["id"]: p for p in document["priorities"]}
    donors = {d["id"]: d for d in document["contributions"]["donors"] if d.get("id")}
    organisation = document.get("organisation") or {}
    secretariat = organisation.get(document.get("locale", "en")) or next(iter(organisation.values()), "Secretariat")
    for kind, items in (("activity", document["activities"]), ("task", document["secretariat_tasks"])):
        for work in items:
            lead = priorities.get(work["lead_priority_id"]) or {}
            for line in work["funding_lines"]:
                if line.get("stage") in FLOW_STAGES and not line.get("part_of_offer"):
                    yield _flow(kind, work, line, lead, donors.get(line.get("donor_id") or "") or {}, secretariat)


def _flow_values(flow: Mapping[str, Any], name: str) -> list[str]:
    value = flow[name if name != "donor" else "donor_id"]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def flows(document: Mapping[str, Any], filters: Mapping[str, str],
          group_by: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The flows that match `filters`, one row each, or summed per group of `group_by` (any filter's name)."""
    wrong = [name for name in [*filters, *group_by] if name not in FILTERS]
    if wrong:
        raise QueryError("unknown-parameter", f"Unknown filter or group {', '.join(wrong)}; use: {', '.join(FILTERS)}.")
    if filters.get("year"):
        _year(filters["year"])
    chosen = [f for f in flow_rows(document)
              if all(not wanted or wanted in _flow_values(f, name) for name, wanted in filters.items())]
    if not group_by:
        return [{**f, **{name: "; ".join(f[name]) for name in _MULTI}} for f in chosen]
    return _grouped(chosen, list(group_by))


def _grouped(chosen: list[dict[str, Any]], group_by: list[str]) -> list[dict[str, Any]]:
    sums: dict[tuple[str, ...], dict[str, int]] = {}
    for flow in chosen:
        for key, share in _shares(flow, group_by):
            total = sums.setdefault(key, {**dict.fromkeys(GROUP_MONEY, 0), "flows": 0})
            for money_field in GROUP_MONEY:
                total[money_field] += share[money_field]
            total["flows"] += 1
    return [{**dict(zip(group_by, key, strict=True)),
             **{m: str((Decimal(cents[m]) * CENT).quantize(CENT)) for m in GROUP_MONEY}, "flows": cents["flows"]}
            for key, cents in sorted(sums.items())]


def _shares(flow: Mapping[str, Any], group_by: list[str]) -> Iterator[tuple[tuple[str, ...], dict[str, int]]]:
    """The flow's money per combination of its group values, shared equally and exactly where it has several."""
    keys: list[tuple[str, ...]] = [()]
    for name in group_by:
        values = _flow_values(flow, name) or ["(none)"]
        keys = [(*key, value) for key in keys for value in values]
    cents = {m: int((flow[m] / CENT).to_integral_value()) for m in GROUP_MONEY}
    parts = {m: allocate_cents(cents[m], [1] * len(keys)) for m in GROUP_MONEY}
    for index, key in enumerate(keys):
        yield key, {m: parts[m][index] for m in GROUP_MONEY}
