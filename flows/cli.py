"""The `catalogue` command: parses, calls a flow, prints, exits 0 (published), 1 (input errors) or 2 (usage)."""

from __future__ import annotations

import os
import sys
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from catalogue.api import (
    LANGUAGES,
    N_,
    RunResult,
    UnknownPartner,
    catalogue_up_to_date,
    durable,
    layout,
    packs_up_to_date,
    write_partner_template,
)

# Prefect reads its settings at import: keep its own chatter off the user's terminal unless asked for.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
if not os.environ.get("CATALOGUE_DEBUG"):
    # Run logs still go to the Prefect server (the UI shows a failed task's traceback); the terminal shows only
    # what this command prints, so a program fault is one plain sentence here (see main()).
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Build the CMS donor programme catalogue from CoP priorities, Secretariat tasks and Partner workplans.")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

InputsOption = typer.Option(Path("inputs"), "--inputs", help="Folder with settings.json, partners, priorities, secretariat_tasks, fx_rates and workplans/.",
                            exists=True, file_okay=False, dir_okay=True, readable=True)
OutputsOption = typer.Option(Path("outputs"), "--outputs", help="Folder the catalogue and the validation report are written to.",
                             file_okay=False, dir_okay=True)
DaskOption = typer.Option(None, "--dask", "--dask-address", envvar="CATALOGUE_DASK_ADDRESS",
                          help="A running Dask scheduler (tcp://host:8786) whose workers do the layout "
                               "(README: Past one machine); default: processes on this machine.")
MAX_ISSUE_LINES = 40


def _run(flow_name: str, module: str = "build", **params: object) -> RunResult:
    """Run a flow (against the project's Prefect server, started if need be) with a progress line on stderr."""
    import importlib

    from catalogue.api import ClusterProblem

    from . import progress
    from .server import choose_api

    with err.status("Starting Prefect…", spinner="dots") as status:
        progress.set_listener(lambda message: status.update(message + "…"))
        try:
            choose_api(announce=lambda message: status.update(message + "…"))
            flows_module = importlib.import_module(f".{module}", __package__)  # imported here so `--help` stays fast
            with _foreground_run_settings():
                result: RunResult = getattr(flows_module, flow_name)(**params)
            return result
        except ClusterProblem as problem:  # --dask: the cluster cannot be used; nothing was published
            status.stop()
            err.print(f"{problem} Nothing was published; earlier outputs are unchanged.", style="bold red", markup=False)
            raise typer.Exit(1) from None
        finally:
            progress.set_listener(None)


def _foreground_run_settings() -> Any:
    """Prefect settings for a run this command waits for: no flow-run heartbeat, unless the user set one.

    Heartbeats let a server notice that a run nobody watches has died; this command watches its own run and
    says how it ended. Prefect joins its heartbeat thread when the flow ends, and that thread sleeps in
    one-second steps: up to a second added to every command (measured: 1.0 s of a 2.0 s trivial flow).
    """
    from prefect.settings import temporary_settings

    if "PREFECT_FLOWS_HEARTBEAT_FREQUENCY" in os.environ or "PREFECT_RUNNER_HEARTBEAT_FREQUENCY" in os.environ:
        return temporary_settings()
    return temporary_settings(updates={"flows.heartbeat_frequency": None})


def _lang_option(default: str | None = "en") -> Any:
    return typer.Option(default, "--lang", help="Language of the fixed labels: en, fr or es.")


def _check_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter("choose en, fr or es", param_hint="--lang")


def _print_issues(summary: RunResult, lang: str | None = "en") -> None:
    """The findings, grouped (one cause over many cells is one line), in the reader's language."""
    from catalogue.api import report_lines, translations

    lines = report_lines(summary.report, translations(lang or "en").gettext)
    for severity, line in lines[:MAX_ISSUE_LINES]:
        err.print(line, style="red" if severity == "error" else "yellow", markup=False, soft_wrap=True)
    if len(lines) > MAX_ISSUE_LINES:
        err.print(f"… and {len(lines) - MAX_ISSUE_LINES} more: see {summary.validation_dir}/report.html", markup=False)


STOPPED = {
    "build": N_("The build stopped: fix the errors above. Nothing was published; earlier outputs are unchanged."),
    "validate": N_("Validation stopped: fix the errors above. Nothing was published; earlier outputs are unchanged."),
    "packs": N_("The packs stopped: fix the errors above. Nothing was published; earlier outputs are unchanged."),
    "statements": N_("The statements stopped: fix the errors above. Nothing was published; earlier outputs are "
                     "unchanged."),
}
UP_TO_DATE = N_("Up to date: what is published was made from these same inputs and code; nothing was redone "
                "(use --force to redo it anyway).")
OPEN_WORK = N_("Open work: required %(cur)s %(required)s  secured %(secured)s  pledged %(pledged)s  gap %(gap)s  "
               "coverage %(coverage)s")
SUMMARY = N_("%(errors)s error(s), %(warnings)s warning(s).")
REPORT_AT = N_("Report: %(path)s")
WROTE, UNCHANGED = N_("Wrote %(path)s"), N_("Unchanged %(path)s")


ANNOTATED = N_("Your workbook with its problems marked: %(path)s")
NOT_ANNOTATED = N_("No marked copy of the workbook: it could not be opened (see the problems above).")


def _print_annotated(outputs: Path, partner: str, lang: str) -> None:
    from catalogue.api import translations
    from flows.build import annotated_name

    _ = translations(lang).gettext
    path = outputs / layout.VALIDATION_DIR / annotated_name(partner)
    if path.is_file():
        out.print(_(ANNOTATED) % {"path": path}, markup=False, soft_wrap=True)
    else:
        err.print(_(NOT_ANNOTATED), style="yellow", markup=False)


def _print_closing(summary: RunResult, what: str, lang: str | None = "en") -> None:
    """How the run ended, in the reader's language: the open-work figures, the counts, what was written."""
    from catalogue.api import translations

    _ = translations(lang or "en").gettext
    if summary.up_to_date:
        out.print(_(UP_TO_DATE), markup=False)
    if summary.totals:
        t = summary.totals
        cov = f"{(Decimal(t.coverage) * 100).quantize(Decimal('0.1'), ROUND_HALF_EVEN)}%" if t.coverage else "n/a"
        out.print(_(OPEN_WORK) % {"cur": t.currency, "required": t.required, "secured": t.secured, "pledged": t.pledged,
                                  "gap": t.gap, "coverage": cov}, markup=False, soft_wrap=True)  # one line, any width
    report = Path(summary.validation_dir) / "report.html"
    where = " " + _(REPORT_AT) % {"path": report} if report.exists() else ""
    out.print(_(SUMMARY) % {"errors": summary.errors, "warnings": summary.warnings} + where, markup=False)
    for path in summary.outputs:
        out.print(_(UNCHANGED if summary.up_to_date else WROTE) % {"path": path}, markup=False)
    if summary.problem:
        err.print(summary.problem, style="bold red", markup=False)
    elif not summary.ok:
        err.print(_(STOPPED[what]), style="bold red", markup=False)


@app.command()
def build(inputs: Path = InputsOption, outputs: Path = OutputsOption,
          lang: str = typer.Option("en", "--lang", help="Language of the catalogue's fixed labels: en, fr or es."),
          force: bool = typer.Option(False, "--force", help="Rebuild even if nothing changed since the published build."),
          dask: str | None = DaskOption) -> None:
    """Check the inputs and, if they have no errors, write catalogue.pdf, catalogue.xlsx and catalogue.json."""
    if lang not in LANGUAGES:
        raise typer.BadParameter("choose en, fr or es", param_hint="--lang")
    summary = None
    if not force:
        # The same check the flow makes, done before starting Prefect: an unchanged rebuild takes a second.
        summary = catalogue_up_to_date(inputs, outputs, lang)
    if summary is None:
        summary = _run("build_catalogue", inputs=str(inputs), outputs=str(outputs), lang=lang, force=force,
                       dask_address=dask or None)
    _print_issues(summary, lang)
    _print_closing(summary, "build", lang)
    raise typer.Exit(0 if summary.ok else 1)


@app.command()
def validate(inputs: Path = InputsOption, outputs: Path = OutputsOption,
             partner: str | None = typer.Option(None, "--partner", help="Check only this partner's workbook (e.g. P-WWF) and report to that partner."),
             data_docs: bool | None = typer.Option(None, "--data-docs/--no-data-docs", help="Also write Great Expectations' Data Docs (default: yes for the whole inputs, no for --partner)."),
             lang: str = _lang_option(),
             annotate: bool = typer.Option(False, "--annotate", help="With --partner: also write the partner's workbook with every problem cell marked and commented, in --lang, to OUTPUTS/validation/<ID>-annotated.xlsx.")) -> None:
    """Check the inputs only and write the data-quality report to OUTPUTS/validation/, in --lang."""
    _check_lang(lang)
    if annotate and not partner:
        raise typer.BadParameter("--annotate marks one partner's workbook: give --partner too", param_hint="--annotate")
    docs = data_docs if data_docs is not None else partner is None
    summary = _run("validate_inputs", inputs=str(inputs), outputs=str(outputs), partner=partner, data_docs=docs,
                   lang=lang, annotate=annotate)
    _print_issues(summary, lang)
    if annotate and partner:
        _print_annotated(outputs, partner, lang)
    _print_closing(summary, "validate", lang)
    raise typer.Exit(0 if summary.ok else 1)


@app.command()
def template(partner: str = typer.Option(..., "--partner", help="The partner's id as in partners.csv, e.g. P-WWF."),
             inputs: Path = InputsOption, outputs: Path = OutputsOption) -> None:
    """Write OUTPUTS/templates/<ID>.xlsx: the workplan workbook a partner fills in, with their current rows."""

    name = f"{partner}.xlsx"
    if Path(name).name != name or name.startswith("."):
        err.print(f"'{partner}' is not a partner id.", style="bold red", markup=False)
        raise typer.Exit(2)
    path = outputs / layout.TEMPLATES_OUT_DIR / name
    try:
        with durable.replacing(path, suffix=".xlsx") as temporary:  # never a half-written template under its name
            write_partner_template(partner, inputs, temporary)
    except UnknownPartner as problem:
        err.print(str(problem), style="bold red", markup=False)
        raise typer.Exit(2) from None
    out.print(f"Wrote {path}", markup=False)


@app.command()
def packs(inputs: Path = InputsOption, outputs: Path = OutputsOption,
          donor: str | None = typer.Option(None, "--donor", help="Only this donor's pack (its id in inputs/donors/)."),
          runner: str = typer.Option("process", "--runner", help="How packs are rendered side by side: process, thread or dask (with --dask: that cluster; else a local one)."),
          dask: str | None = DaskOption,
          force: bool = typer.Option(False, "--force", help="Redo the packs even if nothing changed since the last run.")) -> None:
    """Write a tailored pack (PDF and XLSX extract) for every donor profile into OUTPUTS/packs/."""
    if runner not in ("process", "thread", "dask"):
        raise typer.BadParameter("choose process, thread or dask", param_hint="--runner")
    if dask:
        runner = "dask"  # the cluster the build used lays the packs out too
    summary = None
    if not force:
        summary = packs_up_to_date(inputs, outputs, donor)  # as for build: recognised before Prefect starts
    if summary is None:
        summary = _run("donor_packs", module="packs", inputs=str(inputs), outputs=str(outputs), donor=donor,
                       runner=runner, dask_address=dask or None, force=force)
    _print_issues(summary)
    _print_closing(summary, "packs")
    raise typer.Exit(0 if summary.ok else (2 if summary.usage_error else 1))


@app.command()
def statements(inputs: Path = InputsOption, outputs: Path = OutputsOption,
               partner: str | None = typer.Option(None, "--partner", help="Only this partner's statement, e.g. P-WWF."),
               lang: str | None = _lang_option(None)) -> None:
    """Write each Partner NGO's co-funding statement (PDF and XLSX) into OUTPUTS/statements/."""
    _check_lang(lang)
    summary = _run("partner_statements", module="statements", inputs=str(inputs), outputs=str(outputs),
                   partner=partner, lang=lang)
    _print_issues(summary, lang)
    _print_closing(summary, "statements", lang)
    raise typer.Exit(0 if summary.ok else (2 if summary.usage_error else 1))


@app.command()
def pledges(outputs: Path = OutputsOption,
            donor: str | None = typer.Option(None, "--donor", help="Only this donor and its ministries and agencies (its id in donors.csv, e.g. DE)."),
            overdue: bool = typer.Option(False, "--overdue", help="Only the pledges whose expected date has passed.")) -> None:
    """List the pledges to chase in the published catalogue: pledged and requested money, overdue first."""
    import json

    from catalogue.api import known_donors, pledges_to_chase

    path = outputs / layout.CATALOGUE_JSON
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        err.print(f"No published catalogue in {outputs}: run `catalogue build` first.", markup=False)
        raise typer.Exit(1) from None
    if donor is not None and donor not in known_donors(document):
        err.print(f"--donor {donor}: no such donor in the register. Choose one of: {', '.join(known_donors(document))}.",
                  markup=False)
        raise typer.Exit(2)
    found = pledges_to_chase(document, donor, overdue)
    currency = document.get("reporting_currency", "")
    for p in found:
        flag = "OVERDUE " if p["overdue"] else ""
        out.print(f"{flag}{p.get('expected_by') or 'no date':<10}  {p['donor_name']} ({p['donor_id'] or 'not registered'})"
                  f"  {p['stage']}  {p['item_id']} line {p['line']}  {currency} {p['amount']}"
                  f"  ({p['currency']} {p['original_amount']})", markup=False, soft_wrap=True)
    total = sum((Decimal(p["amount"]) for p in found), Decimal(0))
    late = sum(1 for p in found if p["overdue"])
    out.print(f"{len(found)} pledge(s) to chase, {late} overdue, {currency} {total} in all, as at "
              f"{document.get('as_at')}.", markup=False)


server_app = typer.Typer(add_completion=False, no_args_is_help=True,
                          help="The project's own Prefect server, which every run uses (started on first use).")
app.add_typer(server_app, name="server")


@server_app.command("start")
def server_start() -> None:
    """Start the project's Prefect server in the background (nothing happens if it is running)."""
    from . import server

    try:
        with err.status("Starting the Prefect server…", spinner="dots"):
            state = server.start()
    except RuntimeError as problem:
        err.print(str(problem), style="bold red", markup=False)
        raise typer.Exit(1) from None
    out.print(f"Prefect server running (pid {state.pid}): UI {state.ui_url}, API {state.api_url}", markup=False)


@server_app.command("stop")
def server_stop() -> None:
    """Stop the project's Prefect server."""
    from . import server

    out.print("Stopped the Prefect server." if server.stop() else "The Prefect server was not running.", markup=False)


@server_app.command("status")
def server_status() -> None:
    """Say whether the project's Prefect server is running, and where. Exit 0 if it is, 1 if not."""
    from . import server

    state = server.status()
    if state is None:
        out.print(f"Not running (it starts with the next run). Home: {server.prefect_home()}", markup=False)
        raise typer.Exit(1)
    out.print(f"Running (pid {state.pid}): UI {state.ui_url}, API {state.api_url}. Home: {server.prefect_home()}",
              markup=False)


from .editions_cli import register as register_editions  # noqa: E402  (catalogue editions, catalogue changes)

register_editions(app)
from .export_cli import register as register_export  # noqa: E402  (catalogue export iati)

register_export(app)
from .web.commands import register as register_web  # noqa: E402

register_web(app)  # catalogue serve, catalogue users: the web application


def main(argv: list[str] | None = None) -> None:
    """Run the `catalogue` command; an unexpected error ends it with one plain message and exit 1.

    With CATALOGUE_DEBUG set, the error is raised instead, traceback and all.
    """
    try:
        app(args=argv, prog_name="catalogue")
    except Exception as error:  # the program or the machine failed, not the data (bad data is a report, exit 1)
        if os.environ.get("CATALOGUE_DEBUG"):
            raise
        err.print(f"catalogue stopped on an unexpected error ({type(error).__name__}: {error}). Nothing half-made was "
                  "published: the outputs are as they were. Run again with CATALOGUE_DEBUG=1 for the details.",
                  markup=False)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main(sys.argv[1:])
