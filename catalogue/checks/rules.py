"""Rules across records as Great Expectations suites over one DataFrame per table.

The tables are built in frames.py (each row traceable to its cell); how each
rule's unexpected rows become located issues is in findings.py. This module
states the rules and runs them.

Id uniqueness is not here: it is checked over every record, valid or not, by
checks.check_all_unique_ids before schema validation drops any.

Great Expectations takes about 2.5 s to import and pandas about 0.25 s, so both
are imported inside the functions that use them and this module imports fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalogue.checks.findings import (
    Failure,
    Handler,
    activity_repeated,
    currency_unknown,
    dates_outside_period,
    dates_reversed,
    day_rate_implausible,
    fx_reporting_currency,
    known_currencies,
    line_duplicate,
    partner_dangling,
    partner_file_mismatch,
    priority_dangling,
    priority_no_activity,
)
from catalogue.checks.frames import (
    Frames,
    build_frames,
    day_rates_in_reporting_currency,
)
from catalogue.config import PLAUSIBLE_DAY_RATE_MAX, PLAUSIBLE_DAY_RATE_MIN
from catalogue.inputs.records import Record
from catalogue.inputs.settings import CatalogueSettings
from catalogue.issues import DataIssue

if TYPE_CHECKING:
    from great_expectations.data_context.data_context.abstract_data_context import AbstractDataContext
    from great_expectations.expectations.expectation import Expectation


DATA_DOCS_SITE = "catalogue_gate"  # not "local_site": the ephemeral context owns that one, in a temp folder
DATASOURCE = "catalogue"
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["_ref"]}
TABLES = ("partners", "priorities", "fx_rates", "activities", "tasks", "activity_priority", "budget_lines", "funding_lines")
_LINE_PROPS = ("budget_lines", "funding_lines")


@dataclass(frozen=True)
class Rule:
    """One expectation on one table, and how its unexpected rows become issues."""

    name: str
    table: str
    expectation: Expectation
    to_issues: Handler
    group: str = ""  # rules of one group pool their rows and report once (e.g. start too early, end too late)

    @property
    def key(self) -> str:
        """What the rule's failures are pooled and reported under: its group, else its name."""
        return self.group or self.name


def _meta(name: str, code: str) -> dict[str, str]:
    return {"rule": name, "code": code}


def _work_rules(gxe: Any, table: str, currencies: list[str], known: set[str], settings: CatalogueSettings) -> list[Rule]:
    """The rules activities and tasks share: match currency known, dates in order and inside the period."""
    outside = dates_outside_period(settings)
    return [
        Rule(f"{table}_match_currency_known", table, gxe.ExpectColumnValuesToBeInSet(
            column="match_currency", value_set=currencies, meta=_meta(f"{table}_match_currency_known", "currency-unknown")),
            currency_unknown(known, ("match_offer", "currency"))),
        Rule(f"{table}_start_not_after_end", table, gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end", column_B="start", or_equal=True, meta=_meta(f"{table}_start_not_after_end", "dates-reversed")),
            dates_reversed),
        Rule(f"{table}_start_in_period", table, gxe.ExpectColumnValuesToBeBetween(
            column="start", min_value=datetime.combine(settings.period_start, datetime.min.time()),
            meta=_meta(f"{table}_start_in_period", "dates-outside-period")), outside, group="dates_outside_period"),
        Rule(f"{table}_end_in_period", table, gxe.ExpectColumnValuesToBeBetween(
            column="end", max_value=datetime.combine(settings.period_end, datetime.min.time()),
            meta=_meta(f"{table}_end_in_period", "dates-outside-period")), outside, group="dates_outside_period"),
    ]


def build_rules(records: dict[str, list[Record]], frames: Frames, settings: CatalogueSettings,
                expectations: Any = None, column: Any = None) -> list[Rule]:
    """Every cross-record rule as an expectation on one table. Sets come from the records (GX has no cross-table joins).

    `expectations` and `column` default to GX's expectation classes and row-condition Column;
    checks/quick.py passes its stand-ins to evaluate the same rules without importing GX.
    """
    import importlib

    # GX's package does not re-export its expectation classes for type checkers; the module is used as it documents.
    gxe: Any = expectations or importlib.import_module("great_expectations.expectations")
    Column: Any = column or importlib.import_module("great_expectations.expectations.row_conditions").Column  # noqa: N806

    priority_ids = sorted(frames.tables["priorities"]["id"])
    partner_ids = sorted(frames.tables["partners"]["id"])
    used_priorities = sorted(set(frames.tables["activity_priority"]["priority_id"]))
    known = known_currencies(records, settings)
    currencies = sorted(known)

    rules = [
        Rule("fx_reporting_rate_is_one", "fx_rates", gxe.ExpectColumnValuesToBeInSet(
            column="rate", value_set=["1"], row_condition=Column("currency") == settings.reporting_currency,
            meta=_meta("fx_reporting_rate_is_one", "fx-reporting-currency")), fx_reporting_currency(settings.reporting_currency)),
        Rule("priority_exists", "activity_priority", gxe.ExpectColumnValuesToBeInSet(
            column="priority_id", value_set=priority_ids, meta=_meta("priority_exists", "ref-dangling")), priority_dangling),
        Rule("partner_exists", "activities", gxe.ExpectColumnValuesToBeInSet(
            column="partner_id", value_set=partner_ids, meta=_meta("partner_exists", "ref-dangling")), partner_dangling),
    ]
    for prop in _LINE_PROPS:
        rules.append(Rule(f"{prop}_numbers_unique", prop, gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["work_no", "line"], meta=_meta(f"{prop}_numbers_unique", "line-duplicate")), line_duplicate(prop)))
        rules.append(Rule(f"{prop}_currency_known", prop, gxe.ExpectColumnValuesToBeInSet(
            column="currency", value_set=currencies, meta=_meta(f"{prop}_currency_known", "currency-unknown")),
            currency_unknown(known, ("currency",))))
    for table in ("activities", "tasks"):
        rules += _work_rules(gxe, table, currencies, known, settings)
    rules += [
        Rule("priority_has_work", "priorities", gxe.ExpectColumnValuesToBeInSet(
            column="id", value_set=used_priorities, meta=_meta("priority_has_work", "priority-no-activity")), priority_no_activity),
        Rule("partner_matches_workbook", "activities", gxe.ExpectColumnPairValuesToBeEqual(
            column_A="partner_id", column_B="file_partner", ignore_row_if="either_value_is_missing",
            meta=_meta("partner_matches_workbook", "partner-file-mismatch")), partner_file_mismatch),
        Rule("day_rate_plausible", "budget_lines", gxe.ExpectColumnValuesToBeBetween(
            column="day_rate_reporting", min_value=PLAUSIBLE_DAY_RATE_MIN, max_value=PLAUSIBLE_DAY_RATE_MAX,
            meta=_meta("day_rate_plausible", "day-rate-implausible")), day_rate_implausible(settings)),
        Rule("activity_not_repeated", "activities", gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["partner_id", "title_key", "start", "end"], meta=_meta("activity_not_repeated", "activity-repeated")),
            activity_repeated),
    ]
    return rules


# --------------------------------------------------------------------------- running


def _unexpected_refs(result: Any) -> list[dict[str, Any]]:
    """The unexpected rows of one expectation result; a GX exception is our bug, so it is raised."""
    info = result.exception_info or {}
    raised = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for one in raised:  # one dict per failed metric, keyed by metric id, when a metric (not the data) failed
        if one.get("raised_exception") or one.get("exception_message"):
            rule = result.expectation_config.meta.get("rule")
            raise RuntimeError(f"Great Expectations failed on rule {rule}: {one.get('exception_message')}")
    return list(result.result.get("unexpected_index_list") or [])


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as plain Python values."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes, Decimal)):
        return value.item()
    return value


def data_docs_index(docs_dir: Path) -> Path | None:
    """The Data Docs front page written into `docs_dir`, if a run wrote one."""
    index = Path(docs_dir) / "index.html"
    return index if index.is_file() else None


def _gx_context(docs_dir: Path | None) -> AbstractDataContext:
    """An ephemeral GX context, quiet, with a Data Docs site in `docs_dir` when asked."""
    import logging

    import great_expectations as gx

    # Its INFO chatter is not for partners; one module pins its own logger at INFO, so quiet that one too.
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # no tqdm bars on stderr
    if docs_dir is not None:
        docs_dir = Path(docs_dir).resolve()
        docs_dir.mkdir(parents=True, exist_ok=True)
        site_config: Any = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,  # a SiteBuilder option GX's TypedDict does not list
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        context.add_data_docs_site(site_name=DATA_DOCS_SITE, site_config=site_config)
    return context


def _write_data_docs(context: AbstractDataContext, documented: list[Any]) -> None:
    """Every table's validation result and suite into the Data Docs site, its index built once.

    GX's UpdateDataDocsAction on each table's Checkpoint would rebuild the site's index after every table (seven
    times); the pages are the same, built once here from the results the Checkpoints stored.
    """
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    identifiers: list[Any] = []
    for result_identifier, result in documented:
        identifiers += [result_identifier, ExpectationSuiteIdentifier(name=result.suite_name)]
    context.build_data_docs(site_names=[DATA_DOCS_SITE], resource_identifiers=identifiers)


def _run_table(context: AbstractDataContext, source: Any, table: str, table_rules: list[Rule], frames: Frames,
               documented: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """One table's suite through its own Checkpoint: (rule name, unexpected row) for every row a rule rejects.
    Its stored results are appended to `documented` (for the Data Docs)."""
    import great_expectations as gx

    batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)
    suite = context.suites.add(gx.ExpectationSuite(name=f"catalogue_{table}"))
    for rule in table_rules:
        suite.add_expectation(rule.expectation)
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=f"catalogue_{table}", data=batch, suite=suite))
    # A Checkpoint passes one set of batch parameters to all its definitions, and each table is
    # its own DataFrame, so there is one Checkpoint per table.
    checkpoint = context.checkpoints.add(gx.Checkpoint(name=f"catalogue_{table}", validation_definitions=[definition],
                                                       result_format=RESULT_FORMAT))
    outcome = checkpoint.run(batch_parameters={"dataframe": frames.tables[table]})
    documented.extend(outcome.run_results.items())
    return [(_rule_name(result), row)
            for suite_result in outcome.run_results.values() for result in suite_result.results
            for row in _unexpected_refs(result)]


def _rule_name(result: Any) -> str:
    """The rule an expectation result belongs to (set in its meta by build_rules)."""
    return str(result.expectation_config.meta["rule"])


def run_expectation_suites(records: dict[str, list[Record]], settings: CatalogueSettings,
                           docs_dir: Path | None = None) -> list[DataIssue]:
    """Every cross-record rule (except id uniqueness) over schema-valid records, as GX suites, one per table.

    Each table's suite runs through its own Checkpoint; with `docs_dir`, the GX Data Docs of every table are
    written there once all have run (see data_docs_index).
    """
    frames = build_frames(records)
    frames.tables["budget_lines"]["day_rate_reporting"] = day_rates_in_reporting_currency(frames, settings)
    rules = build_rules(records, frames, settings)
    context = _gx_context(docs_dir)
    source = context.data_sources.add_pandas(DATASOURCE)

    failures: dict[str, list[Failure]] = {rule.key: [] for rule in rules}
    keys = {rule.name: rule.key for rule in rules}
    documented: list[Any] = []
    for table in TABLES:
        table_rules = [rule for rule in rules if rule.table == table]
        for rule_name, row in (_run_table(context, source, table, table_rules, frames, documented) if table_rules else ()):
            ref = int(row["_ref"])  # GX hands back numpy integers
            record, path = frames.refs[ref]
            values = {k: _plain(v) for k, v in row.items() if k != "_ref"}
            failures[keys[rule_name]].append(Failure(ref, record, path, values))
    if docs_dir is not None:
        _write_data_docs(context, documented)
    return _issues_of(rules, failures)


def _issues_of(rules: list[Rule], failures: dict[str, list[Failure]]) -> list[DataIssue]:
    """Each rule's rejected rows as located issues: rule order, and within a rule reading order (deterministic)."""
    found: list[DataIssue] = []
    reported: set[str] = set()
    for rule in rules:
        if rule.key in reported:
            continue
        reported.add(rule.key)
        found.extend(rule.to_issues(sorted(failures[rule.key], key=lambda f: f.ref)))
    return found


def run_rules_quickly(records: dict[str, list[Record]], settings: CatalogueSettings) -> list[DataIssue]:
    """The same rules as run_expectation_suites, evaluated with pandas alone (checks/quick.py): no GX import."""
    from catalogue.checks import quick

    frames = build_frames(records)
    frames.tables["budget_lines"]["day_rate_reporting"] = day_rates_in_reporting_currency(frames, settings)
    rules = build_rules(records, frames, settings, expectations=quick, column=quick.Column)
    failures: dict[str, list[Failure]] = {rule.key: [] for rule in rules}
    for rule in rules:
        stand_in: Any = rule.expectation  # a quick.Expectation here, typed as GX's in Rule
        for row in stand_in.unexpected(frames.tables[rule.table]):
            ref = int(row["_ref"])
            record, path = frames.refs[ref]
            failures[rule.key].append(Failure(ref, record, path, {k: _plain(v) for k, v in row.items() if k != "_ref"}))
    return _issues_of(rules, failures)
