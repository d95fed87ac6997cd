"""The library's one door: what the CLI, the Prefect flows and the web application may call.

Each use case a shell serves has one named entry here (build, validate, check
one partner's workbook, is it up to date, the partner directory, a partner's
template, packs, statements, editions, changes), with what it guarantees. The
shells import from this module only (and the model's read-only types); a house
test holds them to it (tests/house/test_doors.py). Where a use case is a
Prefect flow, its steps are listed here so that the flow can make each one a
task; the flow adds no rule of its own.

Importing this module is cheap: the names below are loaded on first use
(WeasyPrint, pandas and Great Expectations take seconds to import, and
`catalogue build` on unchanged inputs answers in well under one).
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalogue import __version__, config, durable
from catalogue.config import LANGUAGES, PROJECT_ROOT
from catalogue.inputs.files import DONORS_DIR, NOT_READABLE, READABLE, WORKPLANS_DIR, is_partner_file, partner_of
from catalogue.issues import N_, DataIssue, Location, Report, issue
from catalogue.publishing import layout

if TYPE_CHECKING:
    from catalogue.checks.gate import GateResult
    from catalogue.inputs.logo import logo_type
    from catalogue.model.catalogue import Catalogue
    from catalogue.outcomes import RunResult, refused, result_of, unknown_id
    from catalogue.pipeline import ModelResult, StageRunner, build_time_now
    from catalogue.publishing.catalogue_release import (
        iati_documents,
        publish_catalogue,
        publish_iati,
        publish_validation_report,
    )
    from catalogue.publishing.donor_packs import pack_jobs, publish_packs
    from catalogue.publishing.edition_store import (
        RETENTION_RULE,
        UnknownEdition,
        changes_between,
        edition_id_of,
        list_editions,
        published_changes,
        set_pinned,
    )
    from catalogue.publishing.pack_cache import (
        PackJob,
        RenderedPack,
        cached_pack,
        keep_pack,
        packs_fingerprint,
        prune_cache,
        render_pack_files,
    )
    from catalogue.publishing.releases import outputs_lock
    from catalogue.publishing.statement_release import (
        publish_statements,
        published_statement_paths,
        render_statement,
        statements_of,
    )
    from catalogue.render.api_queries import QueryError, activity_rows, donor_rows, flows, priority_rows
    from catalogue.render.data_package import DATA_TABLES, as_text
    from catalogue.render.pdf.dask_cluster import ClusterProblem, check_cluster
    from catalogue.render.pdf.layout_pool import warm_layout_pool
    from catalogue.render.words.changes_lines import changes_lines
    from catalogue.render.words.changes_view import ChangesView, changes_view
    from catalogue.render.words.formatting import amount, money, percent_pattern
    from catalogue.render.words.i18n import Formatter, default_language, translations
    from catalogue.render.words.report_entries import report_entries, todo_entries
    from catalogue.render.words.validation_report import format_issue_line, report_lines
    from catalogue.render.xlsx.annotated_workbook import annotatable, annotate_workbook, openable
    from catalogue.views.partner_statement import PartnerStatement
    from catalogue.views.pledges import known_donors, pledges_to_chase
    from catalogue.views.workbook_comparison import ActivityChange, WorkbookComparison

# Where each name loaded on first use lives. A shell never imports these modules itself.
_HOMES = {
    "GateResult": "catalogue.checks.gate",
    "Catalogue": "catalogue.model.catalogue",
    **dict.fromkeys(("ModelResult", "StageRunner", "build_time_now"), "catalogue.pipeline"),
    **dict.fromkeys(("RunResult", "refused", "result_of", "unknown_id"), "catalogue.outcomes"),
    "warm_layout_pool": "catalogue.render.pdf.layout_pool",
    **dict.fromkeys(("ClusterProblem", "check_cluster"), "catalogue.render.pdf.dask_cluster"),
    **dict.fromkeys(("iati_documents", "publish_catalogue", "publish_iati", "publish_validation_report"),
                    "catalogue.publishing.catalogue_release"),
    **dict.fromkeys(("pack_jobs", "publish_packs"), "catalogue.publishing.donor_packs"),
    **dict.fromkeys(("RETENTION_RULE", "UnknownEdition", "changes_between", "edition_id_of", "list_editions",
                     "published_changes", "set_pinned"), "catalogue.publishing.edition_store"),
    **dict.fromkeys(("PackJob", "RenderedPack", "cached_pack", "keep_pack", "packs_fingerprint", "prune_cache",
                     "render_pack_files"),
                    "catalogue.publishing.pack_cache"),
    "outputs_lock": "catalogue.publishing.releases",
    **dict.fromkeys(("publish_statements", "published_statement_paths", "render_statement", "statements_of"),
                    "catalogue.publishing.statement_release"),
    **dict.fromkeys(("annotatable", "annotate_workbook", "openable"), "catalogue.render.xlsx.annotated_workbook"),
    "changes_lines": "catalogue.render.words.changes_lines",
    **dict.fromkeys(("DATA_TABLES", "as_text"), "catalogue.render.data_package"),
    **dict.fromkeys(("QueryError", "activity_rows", "donor_rows", "flows", "priority_rows"),
                    "catalogue.render.api_queries"),
    **dict.fromkeys(("ChangesView", "changes_view"), "catalogue.render.words.changes_view"),
    **dict.fromkeys(("amount", "money", "percent_pattern"), "catalogue.render.words.formatting"),
    **dict.fromkeys(("Formatter", "default_language", "translations"), "catalogue.render.words.i18n"),
    **dict.fromkeys(("report_entries", "todo_entries"), "catalogue.render.words.report_entries"),
    **dict.fromkeys(("format_issue_line", "report_lines"), "catalogue.render.words.validation_report"),
    "PartnerStatement": "catalogue.views.partner_statement",
    **dict.fromkeys(("known_donors", "pledges_to_chase"), "catalogue.views.pledges"),
    **dict.fromkeys(("ActivityChange", "WorkbookComparison"), "catalogue.views.workbook_comparison"),
    "logo_type": "catalogue.inputs.logo",
}

__all__ = [  # spelled out: type checkers read a literal list (a house test keeps it whole)
    "ActivityChange", "Catalogue", "ChangesView", "ClusterProblem", "DATA_TABLES", "DONORS_DIR", "DataIssue", "Formatter", "GateResult", "LANGUAGES",
    "Location", "ModelResult", "NOT_READABLE", "N_", "PROJECT_ROOT", "PackJob", "PartnerStatement", "QueryError",
    "READABLE", "RETENTION_RULE", "RenderedPack", "Report", "RunResult", "StageRunner", "UnknownEdition",
    "UnknownPartner", "WORKPLANS_DIR", "__version__", "activity_rows", "amount", "annotatable", "annotate_workbook",
    "as_text", "build_time_now", "catalogue_fingerprint", "catalogue_up_to_date", "changes_between", "changes_lines",
    "changes_view", "cached_pack", "check_cluster", "check_partner_workbook", "compare_partner_workbook", "config", "edition_id_of", "default_language", "donor_rows", "donors_to_pack",
    "durable", "edition_of", "flows", "format_issue_line", "iati_documents", "is_partner_file", "issue",
    "keep_pack", "known_donors", "layout", "list_editions", "logo_type", "model_of", "money", "openable", "outputs_lock", "pack_jobs",
    "packs_fingerprint", "packs_up_to_date", "partner_directory", "partner_of", "percent_pattern",
    "pledges_to_chase", "priority_rows", "prune_cache", "publish_catalogue", "publish_iati", "publish_packs",
    "publish_statements", "publish_validation_report", "published_changes", "published_statement_paths", "refused",
    "render_pack_files", "render_statement", "report_entries", "report_lines", "result_of", "set_pinned",
    "statements_of", "todo_entries", "translations", "unknown_id", "warm_layout_pool", "warm_partner_check",
    "write_partner_template", "WorkbookComparison",
]


if not TYPE_CHECKING:  # type checkers read the imports above; at run time each name is loaded on first use
    def __getattr__(name: str) -> Any:
        """Load a name of the door from its home on first use (PEP 562)."""
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value
        return value


# --- build and validate ------------------------------------------------------------------------------------

def catalogue_fingerprint(inputs: Path, lang: str) -> str:
    """What a catalogue build is made of: every input byte, the code, the language and a fixed build time if any
    (SOURCE_DATE_EPOCH). Equal fingerprints mean an identical catalogue."""
    import os

    from catalogue.publishing.fingerprint import build_fingerprint

    return build_fingerprint(inputs, lang=lang, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"))


def catalogue_up_to_date(inputs: Path, outputs: Path, lang: str) -> RunResult | None:
    """The published catalogue's result when it was built from exactly these inputs, code and options, else None.

    Reads no input beyond hashing it and starts nothing: the CLI asks before Prefect starts, the flow asks again.
    """
    from catalogue.outcomes import published_result
    from catalogue.publishing.fingerprint import published_fingerprint

    if published_fingerprint(outputs) == catalogue_fingerprint(inputs, lang):
        return published_result(outputs)
    return None


def model_of(inputs: Path, outputs: Path, run_stage: StageRunner | None = None, **options: Any) -> ModelResult:
    """load -> validate -> merge -> budget -> model (catalogue.pipeline.build_model), remembering each input file's
    reading and checks in OUTPUTS' cache by content: the next run reads and checks only the files that changed.

    `run_stage` runs each stage (the flows make each a Prefect task); `options` are build_model's.
    """
    from catalogue.cache_folders import FolderMemo
    from catalogue.pipeline import build_model, call_directly

    memo = FolderMemo(outputs / layout.INPUTS_MEMO_CACHE)
    model = build_model(inputs, run_stage=run_stage or call_directly, memo=memo, **options)
    memo.prune()
    return model


def edition_of(catalogue: Catalogue) -> str:
    """The id of the edition this catalogue is (its content's digest): packs and statements name it."""
    from catalogue.model.catalogue_json import catalogue_to_json
    from catalogue.publishing.edition_store import edition_id_of

    return edition_id_of(catalogue_to_json(catalogue))


# --- one partner's workbook ----------------------------------------------------------------------------------

# Great Expectations' suites keep process-wide state and are not known to be thread-safe: one check at a time.
# A check takes a second or two, so partners uploading together wait that long in turn.
_check_lock = threading.Lock()


def check_partner_workbook(inputs: Path, partner_id: str, suffix: str, data: bytes) -> Report:
    """Check `data` (a file of type `suffix`, e.g. ".xlsx") as partner `partner_id`'s workplan against the shared
    lists in `inputs`, exactly as `catalogue validate --partner` checks the file in the folder.

    Nothing is written; the workbook in `inputs` is not read. Safe to call from several threads.
    """
    from catalogue.inputs.load import Upload
    from catalogue.pipeline import build_model

    with _check_lock:
        return build_model(inputs, partner_id=partner_id, upload=Upload(suffix, data)).report


def compare_partner_workbook(inputs: Path, partner_id: str, suffix: str, data: bytes) -> WorkbookComparison | None:
    """What `data`, as partner `partner_id`'s workplan, changes against the workbook in `inputs`: activities
    added, removed and changed, each with its money before and after in the reporting currency, as the next
    build would figure it. None when the sent workbook has errors (there are no figures to compare). A
    workbook in `inputs` that is missing or does not pass counts as no activities. Nothing is written."""
    from catalogue.inputs.load import Upload
    from catalogue.pipeline import build_model
    from catalogue.views.workbook_comparison import compare_activities

    with _check_lock:
        sent = build_model(inputs, partner_id=partner_id, upload=Upload(suffix, data))
        if sent.partner_activities is None:
            return None
        current = build_model(inputs, partner_id=partner_id)
    return compare_activities(current.partner_activities or (), sent.partner_activities, sent.reporting_currency)


def warm_partner_check(inputs: Path) -> None:
    """Check one partner's workbook of `inputs` and forget the result: the schemas and Great Expectations load
    once, so the first partner's real check takes a second or two instead of five."""
    from catalogue.pipeline import build_model

    workplans = inputs / WORKPLANS_DIR
    names = sorted(p.name for p in workplans.glob("*.xlsx")) if workplans.is_dir() else []
    owners = [owner for owner in (partner_of(f"{WORKPLANS_DIR}/{name}") for name in names) if owner]
    if owners:
        with _check_lock:
            build_model(inputs, partner_id=owners[0])


def partner_directory(inputs: Path) -> list[dict[str, Any]]:
    """The partners file's records (id, name, languages, ...) sorted by id, read from the shared lists alone."""
    from catalogue.inputs.load import load_shared_lists

    loaded = load_shared_lists(inputs)
    return sorted((dict(r.data) for r in loaded.records["partner"] if isinstance(r.data.get("id"), str)),
                  key=lambda r: str(r["id"]))


class UnknownPartner(ValueError):
    """The partner id is not in the partners file; the message lists the valid ones."""


def write_partner_template(partner_id: str, inputs: Path, path: Path) -> None:
    """Write to `path` the workbook partner `partner_id` fills in, with its current rows, the priorities, the
    currencies and the donor register as lists. Reads the shared lists and that partner's workbook only.

    Raises UnknownPartner for an id not in the partners file.
    """
    from catalogue.inputs.load import load_inputs
    from catalogue.render.xlsx.partner_template import partner_template_of, write_template

    loaded = load_inputs(inputs, partner_id=partner_id)
    template = partner_template_of(loaded, partner_id)
    if template is None:
        known = sorted(str(r.data["id"]) for r in loaded.records["partner"] if isinstance(r.data.get("id"), str))
        raise UnknownPartner(f"Unknown partner id '{partner_id}'. Valid ids: {', '.join(known) or 'none (no partners file)'}.")
    write_template(template, path)


# --- packs ---------------------------------------------------------------------------------------------------

def packs_up_to_date(inputs: Path, outputs: Path, donor: str | None) -> RunResult | None:
    """The packs already published for exactly these inputs, code and donor (or all), else None."""
    from catalogue.outcomes import RunResult
    from catalogue.publishing.pack_cache import packs_fingerprint, published_pack_files

    files = published_pack_files(outputs, packs_fingerprint(inputs, donor))
    if files is None:
        return None
    return RunResult(report=Report(), outputs=tuple(str(p) for p in files),
                     validation_dir=str(outputs / layout.VALIDATION_DIR), up_to_date=True)


def donors_to_pack(model: ModelResult, donor: str | None, inputs: Path) -> tuple[list[dict[str, Any]], DataIssue | None]:
    """The donor profiles to make packs for (all, or only `donor`), or why none can be made."""
    from catalogue.outcomes import unknown_id
    from catalogue.publishing.donor_packs import no_pack_for

    donors = [record.data for record in model.gate.valid_records["donor"]]
    if donor is not None and not any(d["id"] == donor for d in donors):
        return [], unknown_id("--donor", donor, sorted(d["id"] for d in donors), str(inputs / DONORS_DIR))
    if (problem := no_pack_for(donors, inputs)) is not None:
        return [], problem
    return [d for d in donors if donor is None or d["id"] == donor], None
