"""The tables the cross-record rules run on: one DataFrame per table, each row traceable to its cell.

The schema-valid records become small tables (partners, priorities, activities,
tasks, activity-priority links, budget lines, funding lines, FX rates). Every
row carries `_ref`, an index into a side list of (record, path), so a row that
Great Expectations reports as unexpected turns back into `record.locate(path)`.

pandas takes about 0.25 s to import, so it is imported inside the functions that use it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from catalogue import collector
from catalogue.inputs.files import partner_of
from catalogue.inputs.records import Path_, Record
from catalogue.inputs.settings import CatalogueSettings

if TYPE_CHECKING:
    import pandas as pd



@dataclass
class Frames:
    """One DataFrame per table, and the (record, path) behind each row's `_ref`."""

    tables: dict[str, pd.DataFrame]
    refs: list[tuple[Record, Path_]]


class _TableBuilder:
    """Rows for one table, appended positionally in _SHAPES order (20k activities are ~110k rows) and turned into
    columns once, at the end (a row is one tuple append; the transpose is zip's, in C)."""

    def __init__(self, columns: tuple[str, ...], refs: list[tuple[Record, Path_]]) -> None:
        self.names = ("_ref", *columns)
        self.appended: list[tuple[Any, ...]] = []
        self.refs = refs

    def add(self, record: Record, path: Path_, *values: Any) -> None:
        self.refs.append((record, path))
        self.appended.append((len(self.refs) - 1, *values))

    @property
    def rows(self) -> dict[str, list[Any]]:
        columns = zip(*self.appended, strict=True) if self.appended else ([] for _ in self.names)
        return {name: list(column) for name, column in zip(self.names, columns, strict=True)}


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


def money_text(value: Any) -> str | None:
    """Money as exact text (never a float); empty stays empty."""
    return None if value is None else format(value if isinstance(value, Decimal) else Decimal(str(value)), "f")


def _to_frame(builder: _TableBuilder) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(builder.rows)
    frame["_ref"] = frame["_ref"].astype("int64")
    for name in _DATES:
        if name in frame.columns:
            # Seconds, not pandas' default nanoseconds: those end in April 2262, and a partner may type 9999-12-31.
            frame[name] = frame[name].astype("datetime64[s]")
    return frame


def build_frames(records: dict[str, list[Record]]) -> Frames:
    """The tables GX checks, with the side list that turns a row back into a located cell."""
    with collector.paused():  # a tuple per row, none in a cycle: the collector's rescans were 60 % of the time
        return _build_frames(records)


def _build_frames(records: dict[str, list[Record]]) -> Frames:
    refs: list[tuple[Record, Path_]] = []
    tables = {name: _TableBuilder(columns, refs) for name, columns in _SHAPES.items()}
    links, budget, funding = tables["activity_priority"], tables["budget_lines"], tables["funding_lines"]

    for record in records.get("partner", []):
        tables["partners"].add(record, (), record.data["id"])
    for record in records.get("priority", []):
        tables["priorities"].add(record, (), record.data["id"])
    for record in records.get("fx_rate", []):
        tables["fx_rates"].add(record, (), record.data["currency"], normal_rate(record.data["rate"]))

    file_partner: dict[str, str | None] = {}  # a workbook's name -> the partner it implies; ~100 activities share a file
    work = [("task", r) for r in records.get("secretariat_task", [])] + [("activity", r) for r in records.get("workplan_activity", [])]
    for work_no, (work_kind, record) in enumerate(work):
        data = record.data
        work_id = data["id"]
        match_currency = (data.get("match_offer") or {}).get("currency")
        if work_kind == "activity":
            file = record.origin.file
            if file not in file_partner:
                file_partner[file] = partner_of(file)
            tables["activities"].add(record, (), work_id, data["partner_id"], file_partner[file],
                                     normalise_title(data["title"]), data["start"], data["end"], match_currency)
        else:
            tables["tasks"].add(record, (), work_id, data["start"], data["end"], match_currency)
        for index, pid in enumerate(data["priority_ids"]):
            links.add(record, ("priority_ids", index), work_kind, work_no, work_id, index, pid)
        for index, line in enumerate(data.get("budget_lines", ())):
            budget.add(record, ("budget_lines", index), work_kind, work_no, work_id, line["line"], line["kind"],
                       line["currency"], money_text(line.get("day_rate")))
        for index, line in enumerate(data.get("funding_lines", ())):
            funding.add(record, ("funding_lines", index), work_kind, work_no, work_id, line["line"], line["currency"],
                        money_text(line["amount"]))
    return Frames({name: _to_frame(builder) for name, builder in tables.items()}, refs)


def frames_from_records(records: dict[str, list[Record]]) -> dict[str, pd.DataFrame]:
    """One DataFrame per table (see TABLES), each row with `_ref`; build_frames also gives the refs.

    activity_priority, budget_lines and funding_lines hold the rows of tasks
    too (work_kind "task"), keyed by work_no, the item's position in reading order.
    """
    return build_frames(records).tables


def normal_rate(value: Any) -> str:
    """A rate as exact text without trailing zeros: 1.0000 -> '1', 1.1720 -> '1.172'."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(number.normalize(), "f")


def day_rates_in_reporting_currency(frames: Frames, settings: CatalogueSettings) -> pd.Series:
    """Each staff-time or meeting line's day rate in the reporting currency (Decimal), empty when it cannot be converted."""
    import pandas as pd

    from catalogue.money import convert  # the one place amounts are rounded

    rates: dict[str, Decimal] = {}
    for record in (record for record, _ in frames.refs if record.kind == "fx_rate"):
        rates.setdefault(record.data["currency"], Decimal(str(record.data["rate"])))
    rates[settings.reporting_currency] = Decimal(1)
    lines = frames.tables["budget_lines"]
    converted: list[Decimal | None] = []
    for day_rate, currency in zip(lines["day_rate"], lines["currency"], strict=True):
        rate = rates.get(currency)
        converted.append(convert(Decimal(day_rate), rate) if isinstance(day_rate, str) and rate is not None else None)
    return pd.Series(converted, index=lines.index, dtype=object)
