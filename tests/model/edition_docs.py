"""Small catalogue.json documents for the editions tests, made by the model's own costing rules.

`document(...)` takes activities as input records (the workplan schema's shape)
and costs them with catalogue.model.work.budget_work at the given rates, so
every figure in the document is what the real budget stage would publish.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalogue.model.catalogue_json import _plain
from catalogue.model.costing import sum_figures
from catalogue.model.work import budget_work, implementer_names

PARTNERS = {"P-A": ("Alpha Trust", "ALPHA"), "P-B": ("Beta Alliance", "BETA")}


def cash(line: int, currency: str, amount: str, in_kind: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"line": line, "kind": "cash", "currency": currency, "amount": amount}
    if in_kind:
        out["in_kind"] = in_kind
    return out


def funding(line: int, source: str, status: str, currency: str, amount: str,
            source_type: str = "voluntary_contribution") -> dict[str, Any]:
    return {"line": line, "source": source, "source_type": source_type, "status": status, "currency": currency,
            "amount": amount}


def activity(activity_id: str, partner_id: str, priority_id: str, budget: list[dict[str, Any]],
             funding_lines: list[dict[str, Any]] | None = None, match_up_to: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {"id": activity_id, "partner_id": partner_id, "priority_ids": [priority_id],
                              "start": "2025-01-01", "end": "2026-12-31", "status": "ongoing",
                              "budget_lines": budget, "funding_lines": funding_lines or []}
    if match_up_to:
        record["match_offer"] = {"up_to": match_up_to, "currency": "USD", "ratio": "1"}
    return record


def _figures(figures: Any) -> dict[str, Any]:
    return _plain(figures)  # type: ignore[no-any-return]


def _activity_json(record: dict[str, Any], rates: dict[str, Decimal]) -> tuple[dict[str, Any], Any]:
    name, short = PARTNERS[record["partner_id"]]
    work = budget_work(record, rates, implementer_names(name, short))
    data = {"id": record["id"], "partner_id": record["partner_id"], "partner_name": short,
            "priority_ids": record["priority_ids"], "lead_priority_id": record["priority_ids"][0],
            "title": f"Activity {record['id']}", **_figures(work.figures),
            "cofunding_cash": str(work.own_cash), "cofunding_in_kind": str(work.own_in_kind),
            "budget_lines": _plain(list(work.budget_lines)), "funding_lines": _plain(list(work.funding_lines)),
            "match_offer": _plain(work.match_offer)}
    return data, work


def _sources(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    totals: dict[tuple[str, str], list[Decimal]] = {}
    for a in activities:
        for line in a["funding_lines"]:
            entry = totals.setdefault((line["source"], line["source_type"]), [Decimal(0)] * 3)
            entry[("confirmed", "pledged", "requested").index(line["status"])] += Decimal(line["amount"])
        for line in a["budget_lines"]:
            if line["in_kind"]:
                entry = totals.setdefault((line["in_kind_source"] or a["partner_name"], "in_kind"), [Decimal(0)] * 3)
                entry[("confirmed", "pledged").index(line["in_kind"])] += Decimal(line["amount"])
    return [{"source": s, "source_type": t, "confirmed": str(v[0]), "pledged": str(v[1]), "requested": str(v[2])}
            for (s, t), v in sorted(totals.items())]


def document(records: list[dict[str, Any]], rates: dict[str, str], priorities: list[str],
             languishing: list[str], *, edition: str = "test edition", as_at: str = "2025-06-30") -> dict[str, Any]:
    """A catalogue.json-shaped document with the model's figures for `records` at `rates`."""
    rate_values = {c: Decimal(r) for c, r in rates.items()}
    built = [_activity_json(r, rate_values) for r in records]
    activities = [a for a, _ in built]
    works = {a["id"]: w for a, w in built}
    priority_list = []
    for pid in priorities:
        own = [a["id"] for a in activities if a["lead_priority_id"] == pid]
        priority_list.append({"id": pid, "title": f"Priority {pid}", "activity_ids": own, "task_ids": [],
                              **_figures(sum_figures(works[i].figures for i in own))})
    partner_list = []
    for pid, (name, short) in PARTNERS.items():
        own = [a for a in activities if a["partner_id"] == pid]
        cash_total = sum((Decimal(a["cofunding_cash"]) for a in own), Decimal(0))
        in_kind_total = sum((Decimal(a["cofunding_in_kind"]) for a in own), Decimal(0))
        partner_list.append({"id": pid, "name": name, "short_name": short, "activity_ids": [a["id"] for a in own],
                             **_figures(sum_figures(works[a["id"]].figures for a in own)),
                             "cofunding_cash": str(cash_total), "cofunding_in_kind": str(in_kind_total),
                             "cofunding_total": str(cash_total + in_kind_total)})
    totals = {**_figures(sum_figures(w.figures for w in works.values())),
              "cofunding_cash": str(sum((Decimal(a["cofunding_cash"]) for a in activities), Decimal(0))),
              "cofunding_in_kind": str(sum((Decimal(a["cofunding_in_kind"]) for a in activities), Decimal(0)))}
    return {"edition": edition, "as_at": as_at, "reporting_currency": "USD", "totals": totals,
            "priorities": priority_list, "partners": partner_list, "activities": activities, "secretariat_tasks": [],
            "languishing_priorities": [{"id": p, "title": f"Priority {p}", "reasons": []} for p in languishing],
            "funding_sources": _sources(activities),
            "fx_rates": [{"currency": c, "rate": r} for c, r in sorted(rates.items())],
            "provenance": {"build_time": f"{as_at}T00:00:00Z", "inputs": []}}
