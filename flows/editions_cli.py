"""`catalogue editions` and `catalogue changes`: the published editions, and what changed between two of them.

Both read only OUTPUTS/.releases/ (never the inputs, never Prefect), so they
answer in a moment. Registered on the main command by flows/cli.py: register(app).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from catalogue.publishing.editions import (
    RETENTION_RULE,
    UnknownEdition,
    changes_between,
    list_editions,
    set_pinned,
)
from catalogue.publishing.releases import outputs_lock
from catalogue.render.changes_view import (
    CHANGE_TEXT,
    KIND_TEXT,
    MEASURE_TEXT,
    Wording,
    compared_with,
    headline_lines,
    item_rows,
    languished_text,
)

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

OutputsOption = typer.Option(Path("outputs"), "--outputs", help="The outputs folder whose editions to read.",
                             file_okay=False, dir_okay=True)


def editions(outputs: Path = OutputsOption,
             pin: str | None = typer.Option(None, "--pin", help="Keep this edition (id, name or date) whatever the retention rule."),
             unpin: str | None = typer.Option(None, "--unpin", help="Let the retention rule decide for this edition again.")) -> None:
    """List the published editions, oldest first; pin one so that it is never deleted."""
    try:
        for wanted, pinned in ((pin, True), (unpin, False)):
            if wanted:
                with outputs_lock(outputs):
                    edition = set_pinned(outputs, wanted, pinned)
                out.print(f"{'Pinned' if pinned else 'Unpinned'} edition {edition.id}.", markup=False)
    except UnknownEdition as unknown:
        err.print(f"No edition matches '{unknown.args[0]}'; `catalogue editions` lists them.", style="bold red", markup=False)
        raise typer.Exit(2) from None
    found = list_editions(outputs)
    if not found:
        out.print(f"No edition has been published in {outputs} yet.", markup=False)
        raise typer.Exit(0)
    out.print("id            published             as at       build time            inputs        pinned  edition",
              markup=False, soft_wrap=True)
    for e in found:
        out.print(f"{e.id}  {e.published_at}  {e.as_at:<10}  {e.build_time:<20}  {e.inputs_fingerprint[:12]}  "
                  f"{'yes' if e.pinned else 'no ':<6}  {e.name}", markup=False, soft_wrap=True)
    out.print(f"Kept: {RETENTION_RULE}.", markup=False, soft_wrap=True)


def _figure_text(measure: str, f: dict[str, str], wording: Wording) -> str:
    return (f"{wording.words(MEASURE_TEXT, measure).lower()} {wording.money(f['then'])} -> {wording.money(f['now'])} "
            f"({wording.money(f['change'], signed=True)}: money {wording.money(f['money_effect'], signed=True)}, "
            f"rates {wording.money(f['rate_effect'], signed=True)})")


def _moved_by_money(item: dict[str, Any]) -> bool:
    return item["change"] != "changed" or item["status_then"] != item["status_now"] or any(
        f["money_effect"] != "0.00" for f in item["figures"].values())


def _item_line(kind: str, item: dict[str, Any], wording: Wording) -> str:
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


def print_changes(changes: dict[str, Any], wording: Wording, everything: bool = False) -> None:
    """The summary, then one line per item whose money moved (every changed item with `everything`)."""
    rows = item_rows(changes)
    shown = [(kind, item) for kind, item in rows if everything or kind == "programme" or _moved_by_money(item)]
    lines = [compared_with(changes, wording), *headline_lines(changes, wording),
             *(_item_line(kind, item, wording) for kind, item in shown)]
    if len(shown) < len(rows):
        lines.append(f"... and {len(rows) - len(shown)} more item(s) whose figures moved only with the exchange rates "
                     "(--all lists them).")
    for line in [*lines, *_detail_lines(changes, wording)]:
        if line:
            out.print(line, markup=False, soft_wrap=True)


def changes(outputs: Path = OutputsOption,
            since: str | None = typer.Option(None, "--since", help="Compare with this edition (id, name) or the one current on this date (YYYY-MM-DD); default: the one before the latest."),
            as_json: bool = typer.Option(False, "--json", help="Print the changes object as JSON (as in catalogue.json)."),
            everything: bool = typer.Option(False, "--all", help="List every changed item, also those moved only by exchange rates.")) -> None:
    """What changed in the latest edition: figures then and now, with the effect of exchange rates set apart."""
    if not list_editions(outputs):
        err.print(f"No edition has been published in {outputs} yet: run `catalogue build` first.", style="bold red",
                  markup=False)
        raise typer.Exit(1)
    try:
        _, now, found = changes_between(outputs, since)
    except UnknownEdition as unknown:
        err.print(f"No edition matches '{unknown.args[0]}'; `catalogue editions` lists them.", style="bold red",
                  markup=False)
        raise typer.Exit(2) from None
    if as_json:
        out.print(json.dumps(found, ensure_ascii=False, indent=2), markup=False, soft_wrap=True)
        return
    document = json.loads(now.catalogue_path(outputs).read_text(encoding="utf-8"))
    print_changes(found, Wording(document.get("locale", "en"), document.get("reporting_currency", "USD")), everything)


def register(app: typer.Typer) -> None:
    """Add `editions` and `changes` to the main `catalogue` command."""
    app.command(name="editions")(editions)
    app.command(name="changes")(changes)
