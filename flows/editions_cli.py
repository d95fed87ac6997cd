"""`catalogue editions` and `catalogue changes`: the published editions, and what changed between two of them.

Both read only OUTPUTS/.releases/ (never the inputs, never Prefect), so they
answer in a moment. Registered on the main command by flows/cli.py: register(app).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from catalogue.api import (
    RETENTION_RULE,
    UnknownEdition,
    changes_between,
    changes_lines,
    list_editions,
    outputs_lock,
    set_pinned,
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
    lines = changes_lines(found, document.get("locale", "en"), document.get("reporting_currency", "USD"), everything)
    for line in lines:
        out.print(line, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add `editions` and `changes` to the main `catalogue` command."""
    app.command(name="editions")(editions)
    app.command(name="changes")(changes)
