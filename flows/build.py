"""The build-catalogue and validate-inputs flows: the library's pipeline, each stage a Prefect task.

Thin on purpose: `catalogue.pipeline.build_model` is the pipeline; this module
names the runs, turns stages into tasks (flows/stages.py) and publishes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote  # the model is large: Prefect need not walk it (see stages.py)

from catalogue import config as paths
from catalogue.checks.gate import GateResult
from catalogue.model.catalogue import Catalogue
from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.pipeline import ModelResult, RunResult, build_model, build_time_now, published_result, result_of
from catalogue.publishing.catalogue_pdf import PARTS_CACHE_DIR, warm_layout_pool
from catalogue.publishing.catalogue_release import PUBLISHED, catalogue_writers, report_writer
from catalogue.publishing.content_cache import INPUTS_MEMO_DIR, FolderMemo
from catalogue.publishing.editions import changes_since_published
from catalogue.publishing.fingerprint import build_fingerprint, published_fingerprint
from catalogue.publishing.releases import publish_or_explain

from .progress import step
from .stages import as_prefect_task


def _waiting() -> None:
    step("Another build is writing to this outputs folder; waiting for it to finish")


def context_of(inputs: Path, partner: str | None = None, lang: str = "en") -> dict[str, Any]:
    """What the data-quality report says about the run it belongs to, and the language it is written in."""
    return {"inputs": str(inputs), "checked_at": build_time_now(), "partner": partner, "lang": lang}


@task(name="write-validation-report", cache_policy=NO_CACHE)
def write_validation_report_task(gate: GateResult, outputs: Path, context: dict[str, Any]) -> tuple[list[Path], str]:
    """Only the report: an earlier catalogue in OUTPUTS stays published, byte for byte."""
    step("Writing the data-quality report")
    return publish_or_explain(outputs, {paths.VALIDATION_DIR: report_writer(gate, context)}, PUBLISHED,
                              on_wait=_waiting)


@task(name="publish-catalogue", cache_policy=NO_CACHE)
def publish_catalogue_task(catalogue: Catalogue, gate: GateResult, outputs: Path, lang: str,
                           context: dict[str, Any], fingerprint: str) -> tuple[list[Path], str]:
    step("Rendering catalogue.json, catalogue.xlsx and catalogue.pdf")
    data = catalogue_to_json(catalogue)
    changes = changes_since_published(outputs, data)  # issue 16: since the last edition
    for headline in changes.get("headlines", []):
        if headline.get("code") == "rate-not-redated":
            step(f"Warning: the rate of {headline['params']['currencies']} changed but its date did not: "
                 "check fx_rates.csv and date the new rate")
    writers = catalogue_writers(catalogue, gate, lang, context, fingerprint, changes,
                                cache_dir=outputs / PARTS_CACHE_DIR, progress=step, json_data=data, outputs=outputs)
    return publish_or_explain(outputs, writers, PUBLISHED, on_wait=_waiting)


def model_in_flow(inputs: Path, outputs: Path, **options: Any) -> ModelResult:
    """The pipeline with each stage a task of the calling flow (build, packs and statements all start here).

    Each input file's reading and checks are remembered in OUTPUTS/.cache/inputs/, by content: the next run
    reads and checks only the files that changed.
    """
    memo = FolderMemo(outputs / INPUTS_MEMO_DIR)
    model = build_model(inputs, run_stage=as_prefect_task, memo=memo, **options)
    memo.prune()
    return model


def report_failure(model: ModelResult, outputs: Path, inputs: Path, partner: str | None = None,
                   lang: str = "en") -> RunResult:
    """The inputs have errors: publish the data-quality report only, and say so."""
    _, problem = write_validation_report_task(quote(model.gate), outputs, context_of(inputs, partner, lang))
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
        context["annotate"] = {"source": str(inputs_path / "workplans" / f"{partner}.xlsx"),
                               "file": f"workplans/{partner}.xlsx", "name": annotated_name(partner)}
    with tempfile.TemporaryDirectory(prefix="gx-docs-") as docs:
        model = model_in_flow(inputs_path, outputs_path, partner_id=partner, docs_dir=Path(docs) if data_docs else None)
        _, problem = write_validation_report_task(quote(model.gate), outputs_path, context)
        return result_of(model.report, outputs_path, problem=problem)


def annotated_name(partner: str) -> str:
    """The marked copy of a partner's workbook, in OUTPUTS/validation/."""
    return f"{partner}-annotated.xlsx"


def catalogue_fingerprint(inputs: Path, lang: str) -> str:
    """What a catalogue build is made of: every input byte, the code, the language and a fixed build time if any."""
    return build_fingerprint(inputs, lang=lang, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"))


def unchanged_build(inputs: Path, outputs: Path, lang: str) -> RunResult | None:
    """The published catalogue, if it was made from exactly these inputs, code and options."""
    if published_fingerprint(outputs) == catalogue_fingerprint(inputs, lang):
        return published_result(outputs)
    return None


@flow(name="build-catalogue", log_prints=False)
def build_catalogue(inputs: str = "inputs", outputs: str = "outputs", lang: str = "en", force: bool = False) -> RunResult:
    """Build catalogue.json, catalogue.xlsx and catalogue.pdf from the inputs; publish nothing if they have errors.

    When the published catalogue was built from exactly these inputs, code and
    options (same fingerprint), nothing is redone unless `force` is set.
    """
    inputs_path, outputs_path = Path(inputs), Path(outputs)
    if not force and (unchanged := unchanged_build(inputs_path, outputs_path, lang)) is not None:
        step("Already up to date")
        return unchanged
    fingerprint = catalogue_fingerprint(inputs_path, lang)
    with warm_layout_pool():  # the PDF's layout processes start while the inputs are read and checked
        model = model_in_flow(inputs_path, outputs_path)
        if model.catalogue is None:
            return report_failure(model, outputs_path, inputs_path, lang=lang)
        published, problem = publish_catalogue_task(quote(model.catalogue), quote(model.gate), outputs_path, lang,
                                                    context_of(inputs_path, lang=lang), fingerprint)
    files = [p for p in published if p.name != paths.VALIDATION_DIR]
    return result_of(model.report, outputs_path, files, model.catalogue, problem)
