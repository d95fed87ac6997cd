"""Rules across records as Great Expectations suites over one DataFrame per table.

The schema-valid records become small tables (partners, priorities, activities,
tasks, activity-priority links, budget lines, funding lines, FX rates). Every
row carries `_ref`, an index into a side list of (record, path), so a row that
GX reports as unexpected turns back into `record.locate(path)`: the same cell,
code, message and hint as the plain-Python rules in checks.py.

Id uniqueness is not here: it is checked over every record, valid or not, by
checks.check_all_unique_ids before schema validation drops any.

Great Expectations takes about 2.5 s to import and pandas about 0.25 s, so both
are imported inside the functions that use them and this module imports fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalogue.config import PLAUSIBLE_DAY_RATE_MAX, PLAUSIBLE_DAY_RATE_MIN, CatalogueSettings
from catalogue.inputs.records import Path_, Record
from catalogue.issues import DataIssue, issue, shorten

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.expectations.expectation import Expectation

DATA_DOCS_SITE = "catalogue_gate"  # not "local_site": the ephemeral context owns that one, in a temp folder
DATASOURCE = "catalogue"
RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["_ref"]}
TABLES = ("partners", "priorities", "fx_rates", "activities", "tasks", "activity_priority", "budget_lines", "funding_lines")
_LINE_PROPS = ("budget_lines", "funding_lines")


# --------------------------------------------------------------------------- frames


@dataclass
class Frames:
    """One DataFrame per table, and the (record, path) behind each row's `_ref`."""

    tables: dict[str, pd.DataFrame]
    refs: list[tuple[Record, Path_]]


class _TableBuilder:
    """Column lists for one table; rows are appended positionally, in _SHAPES order (20k activities are ~110k rows)."""

    def __init__(self, columns: tuple[str, ...], refs: list[tuple[Record, Path_]]) -> None:
        self.names = ("_ref", *columns)
        self.columns: list[list[Any]] = [[] for _ in self.names]
        self.refs = refs

    def add(self, record: Record, path: Path_, *values: Any) -> None:
        self.refs.append((record, path))
        self.columns[0].append(len(self.refs) - 1)
        for column, value in zip(self.columns[1:], values, strict=True):
            column.append(value)

    @property
    def rows(self) -> dict[str, list[Any]]:
        return dict(zip(self.names, self.columns))


_DATES = ("start", "end")
_SHAPES: dict[str, tuple[str, ...]] = {
    "partners": ("id",),
    "priorities": ("id",),
    "fx_rates": ("currency", "rate"),
    # file_partner: the partner id a workbook's name implies (P-WWF.xlsx -> P-WWF), else empty
    "activities": ("id", "partner_id", "file_partner", "title_key", "start", "end", "match_currency"),
    "tasks": ("id", "start", "end", "match_currency"),
    "activity_priority": ("work_kind", "work_no", "work_id", "index", "priority_id"),
    "budget_lines": ("work_kind", "work_no", "work_id", "line", "kind", "currency", "day_rate"),
    "funding_lines": ("work_kind", "work_no", "work_id", "line", "currency", "amount"),
}


def normalise_title(title: str) -> str:
    """A title as compared for repeats: case, accents' composed forms, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _file_partner(record: Record) -> str | None:
    stem = record.origin.file.rsplit("/", 1)[-1].split(".", 1)[0].upper()
    return stem if stem.startswith("P-") else None


def _money_text(value: Any) -> str | None:
    """Money as exact text (never a float); empty stays empty."""
    return None if value is None else format(value if isinstance(value, Decimal) else Decimal(str(value)), "f")


def _to_frame(builder: _TableBuilder) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(builder.rows)
    frame["_ref"] = frame["_ref"].astype("int64")
    for name in _DATES:
        if name in frame.columns:
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame


def build_frames(records: dict[str, list[Record]]) -> Frames:
    """The tables GX checks, with the side list that turns a row back into a located cell."""
    refs: list[tuple[Record, Path_]] = []
    tables = {name: _TableBuilder(columns, refs) for name, columns in _SHAPES.items()}
    links, budget, funding = tables["activity_priority"], tables["budget_lines"], tables["funding_lines"]

    for record in records.get("partner", []):
        tables["partners"].add(record, (), record.data["id"])
    for record in records.get("priority", []):
        tables["priorities"].add(record, (), record.data["id"])
    for record in records.get("fx_rate", []):
        tables["fx_rates"].add(record, (), record.data["currency"], _normal_rate(record.data["rate"]))

    work = [("task", r) for r in records.get("secretariat_task", [])] + [("activity", r) for r in records.get("workplan_activity", [])]
    for work_no, (work_kind, record) in enumerate(work):
        data = record.data
        work_id = data["id"]
        match_currency = (data.get("match_offer") or {}).get("currency")
        if work_kind == "activity":
            tables["activities"].add(record, (), work_id, data["partner_id"], _file_partner(record),
                                     normalise_title(data["title"]), data["start"], data["end"], match_currency)
        else:
            tables["tasks"].add(record, (), work_id, data["start"], data["end"], match_currency)
        for index, pid in enumerate(data["priority_ids"]):
            links.add(record, ("priority_ids", index), work_kind, work_no, work_id, index, pid)
        for index, line in enumerate(data.get("budget_lines", ())):
            budget.add(record, ("budget_lines", index), work_kind, work_no, work_id, line["line"], line["kind"],
                       line["currency"], _money_text(line.get("day_rate")))
        for index, line in enumerate(data.get("funding_lines", ())):
            funding.add(record, ("funding_lines", index), work_kind, work_no, work_id, line["line"], line["currency"],
                        _money_text(line["amount"]))
    return Frames({name: _to_frame(builder) for name, builder in tables.items()}, refs)


def frames_from_records(records: dict[str, list[Record]]) -> dict[str, pd.DataFrame]:
    """One DataFrame per table (see TABLES), each row with `_ref`; build_frames also gives the refs.

    activity_priority, budget_lines and funding_lines hold the rows of tasks
    too (work_kind "task"), keyed by work_no, the item's position in reading order.
    """
    return build_frames(records).tables


def _normal_rate(value: Any) -> str:
    """A rate as exact text without trailing zeros: 1.0000 -> '1', 1.1720 -> '1.172'."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(number.normalize(), "f")


def _day_rates_in_reporting_currency(frames: Frames, settings: CatalogueSettings) -> pd.Series:
    """Each staff-time or meeting line's day rate in the reporting currency (Decimal), empty when it cannot be converted."""
    import pandas as pd

    from catalogue.model.costing import convert  # the one place amounts are rounded

    rates: dict[str, Decimal] = {}
    for record in (record for record, _ in frames.refs if record.kind == "fx_rate"):
        rates.setdefault(record.data["currency"], Decimal(str(record.data["rate"])))
    rates[settings.reporting_currency] = Decimal(1)
    lines = frames.tables["budget_lines"]
    converted: list[Decimal | None] = []
    for day_rate, currency in zip(lines["day_rate"], lines["currency"]):
        rate = rates.get(currency)
        converted.append(convert(Decimal(day_rate), rate) if isinstance(day_rate, str) and rate is not None else None)
    return pd.Series(converted, index=lines.index, dtype=object)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Failure:
    """One unexpected row: where it came from, and the column values GX reported."""

    ref: int
    record: Record
    path: Path_
    values: dict[str, Any]


Handler = Callable[[list[Failure]], list[DataIssue]]


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
        return self.group or self.name


def _known_currencies(records: dict[str, list[Record]], settings: CatalogueSettings) -> set[str]:
    return {r.data["currency"] for r in records.get("fx_rate", [])} | {settings.reporting_currency}


def _fx_reporting_currency(reporting: str) -> Handler:
    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        return [issue("fx-reporting-currency", f.record.locate(("rate",)),
                      f"The rate for the reporting currency {reporting} must be 1; found {f.record.data['rate']}.",
                      "Rates are units of the reporting currency per unit of each currency.", record_id=reporting)
                for f in failures]
    return to_issues


def _priority_dangling(failures: list[Failure]) -> list[DataIssue]:
    found = []
    for f in failures:
        pid = f.record.data["priority_ids"][f.path[1]]
        found.append(issue("ref-dangling", f.record.locate(f.path),
                           f"{f.record.id} points at priority '{pid}', which is not in the priorities list.",
                           "Use an id from priorities.csv (e.g. RES-12.21), or ask the Secretariat to add the priority.",
                           value=pid, field="priority_ids", record_id=f.record.id))
    return found


def _partner_dangling(failures: list[Failure]) -> list[DataIssue]:
    found = []
    for f in failures:
        partner_id = f.record.data["partner_id"]
        found.append(issue("ref-dangling", f.record.locate(("partner_id",)),
                           f"{f.record.id} names partner '{partner_id}', which is not in the partners list.",
                           "Use the partner id from partners.csv, e.g. P-WWF.",
                           value=partner_id, field="partner_id", record_id=f.record.id))
    return found


def _line_duplicate(prop: str) -> Handler:
    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        # GX names every row of a repeated (activity, line); the first use is fine, the later ones are the problem.
        groups: dict[tuple[int, int], list[Failure]] = defaultdict(list)
        for f in failures:
            groups[(id(f.record), f.record.data[prop][f.path[1]]["line"])].append(f)
        found = []
        for group in groups.values():
            for f in sorted(group, key=lambda f: f.path[1])[1:]:
                index = f.path[1]
                number = f.record.data[prop][index]["line"]
                found.append(issue("line-duplicate", f.record.locate((prop, index, "line")),
                                   f"{f.record.id} has two {prop.replace('_', ' ')} numbered {number}.",
                                   "Number the lines of each activity or task 1, 2, 3... without repeats.",
                                   value=str(number), field=f"{prop}/{index}/line", record_id=f.record.id))
        return found
    return to_issues


def _currency_unknown(known: set[str], suffix: Path_) -> Handler:
    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        found = []
        for f in failures:
            path = f.path + suffix
            currency = _value_at(f.record.data, path)
            found.append(issue("currency-unknown", f.record.locate(path),
                               f"There is no exchange rate for {currency}, so this amount cannot be converted.",
                               f"Use one of {', '.join(sorted(known))}, or add a {currency} rate to fx_rates.csv.",
                               value=currency, field="/".join(map(str, path)), record_id=f.record.id))
        return found
    return to_issues


def _value_at(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data


def _dates_reversed(failures: list[Failure]) -> list[DataIssue]:
    found = []
    for f in failures:
        start, end = f.record.data["start"], f.record.data["end"]
        found.append(issue("dates-reversed", f.record.locate(("end",)),
                           f"{f.record.id} ends ({end}) before it starts ({start}).",
                           "Swap the dates, or correct the year.", value=str(end), field="end", record_id=f.record.id))
    return found


def _dates_outside_period(settings: CatalogueSettings) -> Handler:
    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        return _outside_period(settings, failures)
    return to_issues


def _outside_period(settings: CatalogueSettings, failures: list[Failure]) -> list[DataIssue]:
    """One warning per record, at its start when that is too early, else at its end; none when the dates are reversed."""
    found = []
    seen: set[int] = set()
    for f in failures:
        record = f.record
        start, end = date.fromisoformat(record.data["start"]), date.fromisoformat(record.data["end"])
        if id(record) in seen or end < start:
            continue
        seen.add(id(record))
        where = "start" if start < settings.period_start else "end"
        found.append(issue("dates-outside-period", record.locate((where,)),
                           f"{record.id} runs {start} to {end}, beyond the catalogue period {settings.period_start} to {settings.period_end}.",
                           "Its whole budget is counted in this catalogue; split the work by period if only part belongs here.",
                           value=str(record.data[where]), field=where, record_id=record.id))
    return found


def _priority_no_activity(failures: list[Failure]) -> list[DataIssue]:
    return [issue("priority-no-activity", f.record.locate(("id",)),
                  f"No activity or Secretariat task addresses {f.record.data['id']} ({shorten(f.record.data['title'], 60)}).",
                  "Shown as languishing in the catalogue; partners may want to plan work against it.",
                  record_id=f.record.data["id"])
            for f in failures]


def _partner_file_mismatch(failures: list[Failure]) -> list[DataIssue]:
    found = []
    for f in failures:
        partner_id = f.record.data["partner_id"]
        found.append(issue("partner-file-mismatch", f.record.locate(("partner_id",)),
                           f"{f.record.id} is in {f.record.origin.file} but names partner {partner_id}.",
                           "Check the partner id; each partner sends its own workbook.",
                           value=partner_id, field="partner_id", record_id=f.record.id))
    return found


def _day_rate_implausible(settings: CatalogueSettings) -> Handler:
    reporting = settings.reporting_currency

    def to_issues(failures: list[Failure]) -> list[DataIssue]:
        found = []
        for f in failures:
            index = f.path[1]
            line = f.record.data["budget_lines"][index]
            day_rate = _money_text(line["day_rate"])
            converted = f.values["day_rate_reporting"]
            in_reporting = "" if line["currency"] == reporting else f" ({reporting} {converted:,.2f})"
            found.append(issue("day-rate-implausible", f.record.locate(("budget_lines", index, "day_rate")),
                               f"{f.record.id} budget line {line['line']} costs a day at {line['currency']} {day_rate}{in_reporting}, "
                               f"outside the usual {PLAUSIBLE_DAY_RATE_MIN} to {PLAUSIBLE_DAY_RATE_MAX} {reporting} per person-day.",
                               "Type the rate for one person for one day (not a month or a year), in the line's currency.",
                               value=day_rate, field=f"budget_lines/{index}/day_rate", record_id=f.record.id))
        return found
    return to_issues


def _activity_repeated(failures: list[Failure]) -> list[DataIssue]:
    """Later copies of an activity (same partner, title and dates) named against the first one."""
    groups: dict[tuple[Any, ...], list[Failure]] = defaultdict(list)
    for f in failures:
        data = f.record.data
        groups[(data["partner_id"], normalise_title(data["title"]), data["start"], data["end"])].append(f)
    found = []
    for group in groups.values():
        first = group[0].record  # failures arrive in row order, which is reading order
        first_place = first.locate(("title",))
        for f in group[1:]:
            if f.record.id == first.id:
                continue  # the same id twice is already an id-duplicate error naming both rows
            found.append(issue("activity-repeated", f.record.locate(("title",)),
                               f"{f.record.id} repeats {first.id} ({first_place.describe()}): same partner, title "
                               f"'{shorten(f.record.data['title'], 60)}' and dates {f.record.data['start']} to {f.record.data['end']}.",
                               "If it is the same work, delete one of them; if not, give each a title that tells them apart.",
                               value=f.record.data["title"], field="title", record_id=f.record.id, related=(first_place,)))
    return found


def build_rules(records: dict[str, list[Record]], frames: Frames, settings: CatalogueSettings) -> list[Rule]:
    """Every cross-record rule as an expectation on one table. Sets come from the records (GX has no cross-table joins)."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    priority_ids = sorted(frames.tables["priorities"]["id"])
    partner_ids = sorted(frames.tables["partners"]["id"])
    used_priorities = sorted(set(frames.tables["activity_priority"]["priority_id"]))
    known = _known_currencies(records, settings)
    currencies = sorted(known)
    outside = _dates_outside_period(settings)

    def meta(name: str, code: str) -> dict[str, str]:
        return {"rule": name, "code": code}

    rules = [
        Rule("fx_reporting_rate_is_one", "fx_rates", gxe.ExpectColumnValuesToBeInSet(
            column="rate", value_set=["1"], row_condition=Column("currency") == settings.reporting_currency,
            meta=meta("fx_reporting_rate_is_one", "fx-reporting-currency")), _fx_reporting_currency(settings.reporting_currency)),
        Rule("priority_exists", "activity_priority", gxe.ExpectColumnValuesToBeInSet(
            column="priority_id", value_set=priority_ids, meta=meta("priority_exists", "ref-dangling")), _priority_dangling),
        Rule("partner_exists", "activities", gxe.ExpectColumnValuesToBeInSet(
            column="partner_id", value_set=partner_ids, meta=meta("partner_exists", "ref-dangling")), _partner_dangling),
    ]
    for prop in _LINE_PROPS:
        rules.append(Rule(f"{prop}_numbers_unique", prop, gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["work_no", "line"], meta=meta(f"{prop}_numbers_unique", "line-duplicate")), _line_duplicate(prop)))
        rules.append(Rule(f"{prop}_currency_known", prop, gxe.ExpectColumnValuesToBeInSet(
            column="currency", value_set=currencies, meta=meta(f"{prop}_currency_known", "currency-unknown")),
            _currency_unknown(known, ("currency",))))
    for table in ("activities", "tasks"):
        rules += [
            Rule(f"{table}_match_currency_known", table, gxe.ExpectColumnValuesToBeInSet(
                column="match_currency", value_set=currencies, meta=meta(f"{table}_match_currency_known", "currency-unknown")),
                _currency_unknown(known, ("match_offer", "currency"))),
            Rule(f"{table}_start_not_after_end", table, gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="end", column_B="start", or_equal=True, meta=meta(f"{table}_start_not_after_end", "dates-reversed")),
                _dates_reversed),
            Rule(f"{table}_start_in_period", table, gxe.ExpectColumnValuesToBeBetween(
                column="start", min_value=datetime.combine(settings.period_start, datetime.min.time()),
                meta=meta(f"{table}_start_in_period", "dates-outside-period")), outside, group="dates_outside_period"),
            Rule(f"{table}_end_in_period", table, gxe.ExpectColumnValuesToBeBetween(
                column="end", max_value=datetime.combine(settings.period_end, datetime.min.time()),
                meta=meta(f"{table}_end_in_period", "dates-outside-period")), outside, group="dates_outside_period"),
        ]
    rules += [
        Rule("priority_has_work", "priorities", gxe.ExpectColumnValuesToBeInSet(
            column="id", value_set=used_priorities, meta=meta("priority_has_work", "priority-no-activity")), _priority_no_activity),
        Rule("partner_matches_workbook", "activities", gxe.ExpectColumnPairValuesToBeEqual(
            column_A="partner_id", column_B="file_partner", ignore_row_if="either_value_is_missing",
            meta=meta("partner_matches_workbook", "partner-file-mismatch")), _partner_file_mismatch),
        Rule("day_rate_plausible", "budget_lines", gxe.ExpectColumnValuesToBeBetween(
            column="day_rate_reporting", min_value=PLAUSIBLE_DAY_RATE_MIN, max_value=PLAUSIBLE_DAY_RATE_MAX,
            meta=meta("day_rate_plausible", "day-rate-implausible")), _day_rate_implausible(settings)),
        Rule("activity_not_repeated", "activities", gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["partner_id", "title_key", "start", "end"], meta=meta("activity_not_repeated", "activity-repeated")),
            _activity_repeated),
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


def run_expectation_suites(records: dict[str, list[Record]], settings: CatalogueSettings,
                           docs_dir: Path | None = None) -> list[DataIssue]:
    """Every cross-record rule (except id uniqueness) over schema-valid records, as GX suites, one per table.

    With `docs_dir`, each table's suite runs through a Checkpoint whose
    UpdateDataDocsAction writes GX Data Docs there (see data_docs_index).
    """
    import logging

    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

    # Its INFO chatter is not for partners; one module pins its own logger at INFO, so quiet that one too.
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from great_expectations.data_context.types.base import ProgressBarsConfig

    frames = build_frames(records)
    frames.tables["budget_lines"]["day_rate_reporting"] = _day_rates_in_reporting_currency(frames, settings)
    rules = build_rules(records, frames, settings)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # no tqdm bars on stderr
    actions = []
    if docs_dir is not None:
        docs_dir = Path(docs_dir).resolve()
        docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(site_name=DATA_DOCS_SITE, site_config={
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
        actions = [UpdateDataDocsAction(name="update_data_docs", site_names=[DATA_DOCS_SITE])]
    source = context.data_sources.add_pandas(DATASOURCE)

    failures: dict[str, list[Failure]] = {rule.key: [] for rule in rules}
    keys = {rule.name: rule.key for rule in rules}
    for table in TABLES:
        table_rules = [rule for rule in rules if rule.table == table]
        if not table_rules:
            continue
        batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)
        suite = context.suites.add(gx.ExpectationSuite(name=f"catalogue_{table}"))
        for rule in table_rules:
            suite.add_expectation(rule.expectation)
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=f"catalogue_{table}", data=batch, suite=suite))
        # A Checkpoint passes one set of batch parameters to all its definitions, and each table is
        # its own DataFrame, so there is one Checkpoint per table.
        checkpoint = context.checkpoints.add(gx.Checkpoint(name=f"catalogue_{table}", validation_definitions=[definition],
                                                           actions=actions, result_format=RESULT_FORMAT))
        outcome = checkpoint.run(batch_parameters={"dataframe": frames.tables[table]})
        for suite_result in outcome.run_results.values():
            for result in suite_result.results:
                key = keys[result.expectation_config.meta["rule"]]
                for row in _unexpected_refs(result):
                    ref = int(row["_ref"])  # GX hands back numpy integers
                    record, path = frames.refs[ref]
                    values = {k: _plain(v) for k, v in row.items() if k != "_ref"}
                    failures[key].append(Failure(ref, record, path, values))

    found: list[DataIssue] = []
    reported: set[str] = set()
    for rule in rules:  # rule order, and within a rule reading order, so the output is deterministic
        if rule.key in reported:
            continue
        reported.add(rule.key)
        found.extend(rule.to_issues(sorted(failures[rule.key], key=lambda f: f.ref)))
    return found
