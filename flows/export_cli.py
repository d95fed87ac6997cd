"""`catalogue export iati`: the published catalogue as IATI 2.03 XML, written again without a build.

Reads only OUTPUTS/catalogue.json (never the inputs, never Prefect), so it answers in a moment. A build
writes the same files; this command is for a catalogue published before, or an identifier added since.
Registered on the main command by flows/cli.py: register(app).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from catalogue.api import publish_iati

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

export_app = typer.Typer(no_args_is_help=True, help="Write the published catalogue in open data formats.")
OutputsOption = typer.Option(Path("outputs"), "--outputs", file_okay=False, dir_okay=True,
                             help="The outputs folder holding the published catalogue.json.")


@export_app.command("iati")
def export_iati(outputs: Path = OutputsOption) -> None:
    """Write OUTPUTS/iati/activities.xml and organisation.xml (IATI 2.03) from the published catalogue."""
    written, problem = publish_iati(outputs)
    if problem:
        err.print(problem, style="bold red", markup=False, soft_wrap=True)
        raise typer.Exit(1)
    for path in written:
        out.print(f"Wrote {path}", markup=False)


def register(app: typer.Typer) -> None:
    """Add `export` (with `iati`) to the main `catalogue` command."""
    app.add_typer(export_app, name="export")
