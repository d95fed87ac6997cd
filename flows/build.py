"""The build_catalogue flow: load -> validate -> merge -> budget -> publish, each step a Prefect task.

The tasks are thin: each calls one pure stage from catalogue. Only file
reading is retried; computation is not (a retry would give the same answer).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from catalogue import __version__
from catalogue import config as paths
from catalogue.checks.gate import GateResult, run_gate
from catalogue.inputs.load import LoadedInputs, load_inputs
from catalogue.model.assemble import assemble_catalogue
from catalogue.model.budget import BudgetedProgramme, budget_programme
from catalogue.model.catalogue import Catalogue
from catalogue.model.merge import Programme, merge_programme
from catalogue.pipeline import budget_warnings, build_time_now
from catalogue.publishing.fingerprint import FINGERPRINT_FILE, build_fingerprint, published_fingerprint
from catalogue.publishing.releases import publish_or_explain
from catalogue.render.catalogue_json import write_catalogue_json
from catalogue.render.catalogue_xlsx import write_catalogue_xlsx
from catalogue.render.validation_report import write_validation_report

from .progress import step


@dataclass
class BuildSummary:
    """What the CLI prints at the end of a run."""

    ok: bool
    errors: int
    warnings: int
    outputs: list[str] = field(default_factory=list)
    validation_dir: str = ""
    problem: str = ""  # the outputs could not be written (disk full, read-only folder)
    up_to_date: bool = False  # nothing changed since the published build, so nothing was redone
    usage_error: bool = False  # e.g. an unknown donor or partner id was asked for (exit 2)
    issue_lines: list[str] = field(default_factory=list)
    totals: dict[str, str] = field(default_factory=dict)


@task(name="load-inputs", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def load_inputs_task(inputs: Path, partner: str | None = None) -> LoadedInputs:
    step("Reading inputs")
    return load_inputs(inputs, partner_id=partner)


@task(name="validate-inputs", cache_policy=NO_CACHE)
def validate_inputs_task(loaded: LoadedInputs, docs_dir: Path | None = None, partner: str | None = None) -> GateResult:
    step("Checking every record")
    return run_gate(loaded, docs_dir=docs_dir, partner_id=partner)


@task(name="merge-programme", cache_policy=NO_CACHE)
def merge_programme_task(gate: GateResult) -> Programme:
    step("Joining priorities, tasks and workplans")
    assert gate.settings is not None
    return merge_programme(gate.valid_records, gate.settings)


@task(name="compute-budget", cache_policy=NO_CACHE)
def compute_budget_task(programme: Programme) -> BudgetedProgramme:
    step("Computing required, secured and gap")
    return budget_programme(programme)


DATA_DOCS = "data_docs"
PUBLISHED = (paths.CATALOGUE_JSON, paths.CATALOGUE_XLSX, paths.CATALOGUE_PDF, paths.VALIDATION_DIR)


def _report_writer(gate: GateResult, context: dict):
    def write(folder: Path) -> None:
        folder.mkdir()
        if gate.data_docs is not None and (gate.data_docs / "index.html").exists():
            shutil.copytree(gate.data_docs, folder / DATA_DOCS)
            (folder / DATA_DOCS).chmod(0o755)  # copied from a private temporary folder
            context["data_docs"] = f"{DATA_DOCS}/index.html"
        write_validation_report(gate.report, folder, context)
    return write


def _waiting() -> None:
    step("Another build is writing to this outputs folder; waiting for it to finish")


def _publish_safely(outputs: Path, writers: dict) -> tuple[list[Path], str]:
    return publish_or_explain(outputs, writers, PUBLISHED, on_wait=_waiting)


@task(name="write-validation-report", cache_policy=NO_CACHE)
def write_validation_report_task(gate: GateResult, outputs: Path, context: dict) -> tuple[list[Path], str]:
    """Only the report: an earlier catalogue in OUTPUTS stays published, byte for byte."""
    step("Writing the data-quality report")
    return _publish_safely(outputs, {paths.VALIDATION_DIR: _report_writer(gate, context)})


@task(name="publish-catalogue", cache_policy=NO_CACHE)
def publish_catalogue_task(catalogue: Catalogue, gate: GateResult, outputs: Path, lang: str,
                           context: dict, fingerprint: str) -> tuple[list[Path], str]:
    step("Rendering catalogue.json, catalogue.xlsx and catalogue.pdf")
    from catalogue.render.catalogue_pdf import render_pdf  # WeasyPrint is slow to import; only builds need it

    return _publish_safely(outputs, {
        FINGERPRINT_FILE: lambda p: p.write_text(fingerprint + "\n", encoding="utf-8"),
        paths.VALIDATION_DIR: _report_writer(gate, context),
        paths.CATALOGUE_JSON: lambda p: write_catalogue_json(catalogue, p),
        paths.CATALOGUE_XLSX: lambda p: write_catalogue_xlsx(catalogue, p),
        paths.CATALOGUE_PDF: lambda p: render_pdf(catalogue, p, lang=lang),
    })


def summary_of(gate: GateResult, outputs: Path, published: list[Path], catalogue: Catalogue | None,
             problem: str = "") -> BuildSummary:
    from catalogue.render.validation_report import format_issue_line

    report = gate.report
    totals = {}
    if catalogue is not None:
        f = catalogue.totals.figures
        totals = {"currency": catalogue.reporting_currency, "required": str(f.required), "secured": str(f.secured),
                  "pledged": str(f.pledged), "gap": str(f.gap),
                  "coverage": "" if f.coverage is None else str(f.coverage)}
    return BuildSummary(
        ok=report.valid and gate.settings is not None and not problem,
        problem=problem,
        errors=len(report.errors),
        warnings=len(report.warnings),
        outputs=[str(p) for p in published],
        validation_dir=str(outputs / paths.VALIDATION_DIR),
        issue_lines=[format_issue_line(i) for i in report.sorted()],
        totals=totals,
    )


def _context(inputs: Path, partner: str | None = None) -> dict:
    return {"inputs": str(inputs), "checked_at": build_time_now(), "partner": partner}


@flow(name="validate-inputs", log_prints=False)
def validate_inputs(inputs: str = "inputs", outputs: str = "outputs", partner: str | None = None) -> BuildSummary:
    """Check the inputs (or one partner's workbook) and write outputs/validation/ with GX Data Docs; publish nothing else."""
    inputs_path, outputs_path = Path(inputs), Path(outputs)
    loaded = load_inputs_task(inputs_path, partner)
    with tempfile.TemporaryDirectory(prefix="gx-docs-") as docs:
        gate = validate_inputs_task(loaded, Path(docs), partner)
        _, problem = write_validation_report_task(gate, outputs_path, _context(inputs_path, partner))
    return summary_of(gate, outputs_path, [], None, problem)


def catalogue_fingerprint(inputs: Path, lang: str) -> str:
    """What a catalogue build is made of: every input byte, the code, the language and a fixed build time if any."""
    return build_fingerprint(inputs, lang=lang, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"))


def up_to_date_summary(outputs: Path) -> BuildSummary:
    """What is published already matches the inputs and the code: report it without redoing anything."""
    published = json.loads((outputs / paths.CATALOGUE_JSON).read_text(encoding="utf-8"))
    t = published["totals"]
    return BuildSummary(
        ok=True, errors=0, warnings=len(published["warnings"]),
        outputs=[str(outputs / name) for name in (paths.CATALOGUE_JSON, paths.CATALOGUE_XLSX, paths.CATALOGUE_PDF)],
        validation_dir=str(outputs / paths.VALIDATION_DIR),
        totals={"currency": published["reporting_currency"], "required": t["required"], "secured": t["secured"],
                "pledged": t["pledged"], "gap": t["gap"], "coverage": t["coverage"] or ""},
        up_to_date=True,
    )


def model_from_inputs(inputs: Path) -> tuple[GateResult, Catalogue | None]:
    """load -> validate -> merge -> budget -> model, as tasks of the calling flow; no catalogue if the inputs have errors.

    Every flow that renders something (the catalogue, donor packs, partner
    statements) starts here, so they all show the same figures.
    """
    loaded = load_inputs_task(inputs)
    gate = validate_inputs_task(loaded)
    if not (gate.report.valid and gate.settings is not None):
        return gate, None
    programme = merge_programme_task(gate)
    budgeted = compute_budget_task(programme)
    gate.report.extend(budget_warnings(budgeted, gate.valid_records))
    return gate, assemble_catalogue(programme, budgeted, gate.report, loaded.files, build_time_now(), __version__)


def failed_summary(gate: GateResult, outputs: Path, inputs: Path) -> BuildSummary:
    """The inputs have errors: write the data-quality report (only) and say so."""
    _, problem = write_validation_report_task(gate, outputs, _context(inputs))
    return summary_of(gate, outputs, [], None, problem)


@flow(name="build-catalogue", log_prints=False)
def build_catalogue(inputs: str = "inputs", outputs: str = "outputs", lang: str = "en", force: bool = False) -> BuildSummary:
    """Build catalogue.json, catalogue.xlsx and catalogue.pdf from the inputs; publish nothing if they have errors.

    When the published catalogue was built from exactly these inputs, code and
    options (same fingerprint), nothing is redone unless `force` is set.
    """
    inputs_path, outputs_path = Path(inputs), Path(outputs)
    fingerprint = catalogue_fingerprint(inputs_path, lang)
    if not force and published_fingerprint(outputs_path) == fingerprint:
        step("Already up to date")
        return up_to_date_summary(outputs_path)
    gate, catalogue = model_from_inputs(inputs_path)
    if catalogue is None:
        return failed_summary(gate, outputs_path, inputs_path)
    published, problem = publish_catalogue_task(catalogue, gate, outputs_path, lang, _context(inputs_path), fingerprint)
    return summary_of(gate, outputs_path, [p for p in published if p.name != paths.VALIDATION_DIR], catalogue, problem)
