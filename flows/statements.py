"""The partner_statements flow: one co-funding statement (PDF and XLSX) per Partner NGO, from the catalogue model.

load -> validate -> merge -> budget is the build's own (model_in_flow), so
a statement shows exactly the catalogue's figures. Each partner's statement is
one task, submitted to the flow's task runner (threads by default) and written
into a private staging folder; OUTPUTS/statements/ is then published in one
atomic switch (catalogue/publishing/releases.py), so a reader never sees a half-written set.

A full run replaces the whole folder. `--partner ID` rewrites only that
partner's two files and keeps the others' from the published folder.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from catalogue.api import (
    PartnerStatement,
    RunResult,
    default_language,
    edition_of,
    publish_statements,
    published_changes,
    published_statement_paths,
    refused,
    render_statement,
    result_of,
    statements_of,
    unknown_id,
)

from .build import model_in_flow, report_failure
from .progress import step


@task(name="write-partner-statement", cache_policy=NO_CACHE, task_run_name="statement-{statement.partner.id}")
def write_statement_task(statement: PartnerStatement, folder: Path, lang: str) -> list[str]:
    """Render one partner's PDF and workbook into `folder`; returns the file names written."""
    return render_statement(statement, folder, lang)


@task(name="publish-statements", cache_policy=NO_CACHE)
def publish_statements_task(staging: Path, outputs: Path, keep_others: bool, edition_id: str) -> str:
    """Switch OUTPUTS/statements/ to the staged folder; a message instead of a traceback if the disk refuses."""
    step("Publishing the statements")
    return publish_statements(staging, outputs, keep_others, edition_id,
                              on_wait=lambda: step("Another run is writing to this outputs folder; waiting"))


def _write_all(statements: list[PartnerStatement], staging: Path, outputs: Path, lang: str,
               keep_others: bool) -> tuple[list[str], str]:
    """Render every statement into `staging`, then publish it; the file names written, or why nothing was."""
    futures = [write_statement_task.submit(statement, staging, lang) for statement in statements]
    try:
        names = [name for future in futures for name in future.result()]
    except OSError as err:  # a full disk while staging: nothing is published
        return [], (f"Could not write the statements under {outputs}: {err.strerror or err}. "
                    "Nothing was published; the earlier statements are unchanged.")
    edition_id = statements[0].edition_id if statements else ""
    return names, publish_statements_task(staging, outputs, keep_others, edition_id)


@flow(name="partner-statements", log_prints=False)
def partner_statements(inputs: str = "inputs", outputs: str = "outputs", partner: str | None = None,
                       lang: str | None = None) -> RunResult:
    """Write OUTPUTS/statements/<partner id>.pdf and .xlsx for every partner (or only `partner`).

    `lang` (en, fr or es) defaults to the language of the catalogue's locale.
    Publishes nothing if the inputs have errors (the data-quality report is
    written instead) or if `partner` is not a partner id (usage error).
    """
    inputs_path, outputs_path = Path(inputs), Path(outputs)
    model = model_in_flow(inputs_path, outputs_path)
    if model.catalogue is None:
        return report_failure(model, outputs_path, inputs_path)
    catalogue = model.catalogue
    known = [p.id for p in catalogue.partners]
    if partner is not None and partner not in known:
        return refused(outputs_path, unknown_id("--partner", partner, known, "partners.csv"), usage=True)
    wanted = [partner] if partner is not None else known

    step(f"Writing {len(wanted)} partner statement(s)")
    outputs_path.mkdir(parents=True, exist_ok=True)
    changes = published_changes(outputs_path)  # each statement shows its partner's entry: then and now
    staging = Path(tempfile.mkdtemp(prefix=".statements-", dir=outputs_path))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; statements are for sharing
        statements = statements_of(catalogue, wanted, changes, edition_of(catalogue))
        names, problem = _write_all(statements, staging, outputs_path,
                                    lang or default_language(catalogue.locale), partner is not None)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already once published
    published = [] if problem else published_statement_paths(outputs_path, names)
    return result_of(model.report, outputs_path, published, catalogue, problem)
