"""The build-catalogue and validate-inputs flows: the library's pipeline, each stage a Prefect task.

Thin on purpose: the library's door (catalogue/api.py) has the pipeline and the publishing; this module
names the runs and turns their steps into tasks (flows/stages.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from catalogue.api import (
    WORKPLANS_DIR,
    GateResult,
    ModelResult,
    RunResult,
    build_time_now,
    catalogue_fingerprint,
    catalogue_up_to_date,
    layout,
    model_of,
    publish_catalogue,
    publish_validation_report,
    result_of,
    warm_layout_pool,
)
from catalogue.model.catalogue import Catalogue

from .progress import step
from .stages import as_prefect_task, unwalked


def _waiting() -> None:
    step("Another build is writing to this outputs folder; waiting for it to finish")


def context_of(inputs: Path, partner: str | None = None, lang: str = "en") -> dict[str, Any]:
    """What the data-quality report says about the run it belongs to, and the language it is written in."""
    return {"inputs": str(inputs), "checked_at": build_time_now(), "partner": partner, "lang": lang}


@task(name="write-validation-report", cache_policy=NO_CACHE)
def write_validation_report_task(gate: GateResult, outputs: Path, context: dict[str, Any]) -> tuple[list[Path], str]:
    """Only the report: an earlier catalogue in OUTPUTS stays published, byte for byte."""
    step("Writing the data-quality report")
    return publish_validation_report(gate, outputs, context, on_wait=_waiting)


@task(name="publish-catalogue", cache_policy=NO_CACHE)
def publish_catalogue_task(catalogue: Catalogue, gate: GateResult, outputs: Path, lang: str,
                           context: dict[str, Any], fingerprint: str) -> tuple[list[Path], str]:
    """Render catalogue.json, catalogue.xlsx and catalogue.pdf and publish them with the report."""
    step("Rendering catalogue.json, catalogue.xlsx and catalogue.pdf")
    return publish_catalogue(catalogue, gate, outputs, lang, context, fingerprint, progress=step, on_wait=_waiting)


def model_in_flow(inputs: Path, outputs: Path, **options: Any) -> ModelResult:
    """The pipeline with each stage a task of the calling flow (build, packs and statements all start here)."""
    return model_of(inputs, outputs, run_stage=as_prefect_task, **options)


def report_failure(model: ModelResult, outputs: Path, inputs: Path, partner: str | None = None,
                   lang: str = "en") -> RunResult:
    """The inputs have errors: publish the data-quality report only, and say so."""
    _, problem = write_validation_report_task(unwalked(model.gate), outputs, context_of(inputs, partner, lang))
    return result_of(model.report, outputs, problem=problem)


@flow(name="validate-inputs", log_prints=False)
def validate_inputs(inputs: str = "inputs", outputs: str = "outputs", partner: str | None = None,
                    data_docs: bool = True, lang: str = "en", annotate: bool = False) -> RunResult:
    """Check the inputs (or one partner's workbook) and write OUTPUTS/validation/; publish nothing else.

    Great Expectations' Data Docs are written only when `data_docs` is set; with `annotate` and a partner,
    the partner's workbook with its problems marked is written beside the report (annotated_name()).
    """
    inputs_path, outputs_path = Path(inputs), Path(outputs)
    context = context_of(inputs_path, partner, lang)
    if annotate and partner:
        context["annotate"] = {"source": str(inputs_path / WORKPLANS_DIR / f"{partner}.xlsx"),
                               "file": f"{WORKPLANS_DIR}/{partner}.xlsx", "name": annotated_name(partner)}
    with tempfile.TemporaryDirectory(prefix="gx-docs-") as docs:
        model = model_in_flow(inputs_path, outputs_path, partner_id=partner, docs_dir=Path(docs) if data_docs else None)
        _, problem = write_validation_report_task(unwalked(model.gate), outputs_path, context)
        return result_of(model.report, outputs_path, problem=problem)


def annotated_name(partner: str) -> str:
    """The marked copy of a partner's workbook, in OUTPUTS/validation/."""
    return f"{partner}-annotated.xlsx"


@flow(name="build-catalogue", log_prints=False)
def build_catalogue(inputs: str = "inputs", outputs: str = "outputs", lang: str = "en", force: bool = False,
                    dask_address: str | None = None) -> RunResult:
    """Build catalogue.json, catalogue.xlsx and catalogue.pdf from the inputs; publish nothing if they have errors.

    When the published catalogue was built from exactly these inputs, code and
    options (same fingerprint), nothing is redone unless `force` is set. With
    `dask_address`, the PDF's parts are laid out on that Dask cluster (the same bytes as a local build).
    """
    inputs_path, outputs_path = Path(inputs), Path(outputs)
    if not force and (unchanged := catalogue_up_to_date(inputs_path, outputs_path, lang)) is not None:
        step("Already up to date")
        return unchanged
    fingerprint = catalogue_fingerprint(inputs_path, lang)
    with warm_layout_pool(dask_address=dask_address):  # layout processes start while the inputs are read
        model = model_in_flow(inputs_path, outputs_path)
        if model.catalogue is None:
            return report_failure(model, outputs_path, inputs_path, lang=lang)
        published, problem = publish_catalogue_task(unwalked(model.catalogue), unwalked(model.gate), outputs_path, lang,
                                                    context_of(inputs_path, lang=lang), fingerprint)
    files = [p for p in published if p.name != layout.VALIDATION_DIR]
    return result_of(model.report, outputs_path, files, model.catalogue, problem)
