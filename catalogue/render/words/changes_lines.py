"""What changed between two editions as plain lines for a terminal (`catalogue changes`).

The words and money come from changes_view.Wording, as on the PDF's and the
site's changes pages: one wording of a change everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalogue.render.words.changes_view import (
    CHANGE_TEXT,
    KIND_TEXT,
    MEASURE_TEXT,
    Wording,
    compared_with,
    headline_lines,
    item_rows,
    languished_text,
)


def _figure_text(measure: str, f: dict[str, str], wording: Wording) -> str:
    return (f"{wording.words(MEASURE_TEXT, measure).lower()} {wording.money(f['then'])} -> {wording.money(f['now'])} "
            f"({wording.money(f['change'], signed=True)}: money {wording.money(f['money_effect'], signed=True)}, "
            f"rates {wording.money(f['rate_effect'], signed=True)})")


def _moved_by_money(item: Mapping[str, Any]) -> bool:
    return item["change"] != "changed" or item["status_then"] != item["status_now"] or any(
        f["money_effect"] != "0.00" for f in item["figures"].values())


def _item_line(kind: str, item: Mapping[str, Any], wording: Wording) -> str:
    moved = [_figure_text(m, f, wording) for m, f in item["figures"].items() if f["change"] != "0.00"]
    status = f"; {item['status_then']} -> {item['status_now']}" if item["status_then"] != item["status_now"] else ""
    name = item["title"] if kind == "funding_sources" else item["id"]  # a source's id is "type|name"
    label = wording.words(KIND_TEXT, kind) + ("" if kind == "programme" else f" {name}")
    return f"{label} [{wording.words(CHANGE_TEXT, item['change'])}]{status}: {'; '.join(moved) or '-'}"


def _detail_lines(changes: dict[str, Any], wording: Wording) -> list[str]:
    lines = []
    for key, title in (("became", "Newly languishing"), ("stopped", "No longer languishing")):
        lines += [f"{title}: {e['id']} ({languished_text(e, wording)})" for e in changes.get("languishing", {}).get(key, [])]
    lines += [f"Pledge confirmed: {p['item_id']} line {p['line']}, {p['source']}, {wording.money(p['now'])}"
              for p in changes.get("pledges_confirmed", [])]
    return lines


def changes_lines(changes: dict[str, Any], locale: str, currency: str, everything: bool = False) -> list[str]:
    """The summary, then one line per item whose money moved (every changed item with `everything`)."""
    wording = Wording(locale, currency)
    rows = item_rows(changes)
    shown = [(kind, item) for kind, item in rows if everything or kind == "programme" or _moved_by_money(item)]
    lines = [compared_with(changes, wording), *headline_lines(changes, wording),
             *(_item_line(kind, item, wording) for kind, item in shown)]
    if len(shown) < len(rows):
        lines.append(f"... and {len(rows) - len(shown)} more item(s) whose figures moved only with the exchange rates "
                     "(--all lists them).")
    return [line for line in [*lines, *_detail_lines(changes, wording)] if line]
