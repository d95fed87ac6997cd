"""catalogue.xlsx: the model as Excel tables fundraisers can filter, sort and paste from.

Partner text is written with write_string only, so a title such as
=HYPERLINK(...) stays text. Gap and coverage are live formulas carrying the
model's value as their cached result: correct on open in any viewer, and
still correct when someone edits a secured amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Sequence

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from .model import Catalogue, Figures

EXCEL_CELL_LIMIT = 32_767
STATUS_LABELS = {"unfunded": "Unfunded", "partly_funded": "Partly funded", "fully_funded": "Fully funded",
                 "over_committed": "Over-committed"}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # text | money | date | int | pct | gap | coverage
    width: float
    value: Callable[[Any], Any]


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    if len(text) > EXCEL_CELL_LIMIT:
        marker = " [... cut: longer than Excel allows]"
        text = text[: EXCEL_CELL_LIMIT - len(marker)] + marker
    return text


def _join(values: Sequence[Any]) -> str:
    return "; ".join(str(v) for v in values)


class _Writer:
    def __init__(self, path: Path, currency: str):
        # strings_to_formulas/urls off: partner text is never a formula or a link, whatever it looks like.
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                                    "strings_to_numbers": False})
        self.currency = currency
        self.fmt = {
            "text": self.book.add_format({"text_wrap": True, "valign": "top"}),
            "money": self.book.add_format({"num_format": "#,##0.00", "valign": "top"}),
            "date": self.book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"}),
            "int": self.book.add_format({"num_format": "0", "valign": "top"}),
            "pct": self.book.add_format({"num_format": "0.0%", "valign": "top"}),
            "title": self.book.add_format({"bold": True, "font_size": 16}),
            "label": self.book.add_format({"bold": True}),
        }
        # The gap and coverage formulas find their inputs by these kinds.
        for kind in ("gap", "money_required", "money_secured"):
            self.fmt[kind] = self.fmt["money"]
        self.fmt["coverage"] = self.fmt["pct"]
        self.table_count = 0

    def table(self, sheet_name: str, columns: list[Column], items: Sequence[Any]) -> None:
        ws = self.book.add_worksheet(sheet_name)
        headers = [c.header.format(cur=self.currency) for c in columns]
        index = {c.kind: i for i, c in enumerate(columns)}
        last_row = max(len(items), 1)
        self.table_count += 1
        ws.add_table(0, 0, last_row, len(columns) - 1, {
            "name": f"T{self.table_count}_{''.join(ch for ch in sheet_name if ch.isalnum())}",
            "columns": [{"header": h} for h in headers],
            "style": "Table Style Medium 2",
        })
        for col, column in enumerate(columns):
            ws.set_column(col, col, column.width)
        ws.freeze_panes(1, 0)
        for row, item in enumerate(items, start=1):
            for col, column in enumerate(columns):
                self._cell(ws, row, col, column, column.value(item), index)
        if "coverage" in index or "pct" in index:
            col = index.get("coverage", index.get("pct"))
            ws.conditional_format(1, col, last_row, col, {"type": "data_bar", "bar_color": "#5B9BD5",
                                                         "min_type": "num", "min_value": 0, "max_type": "num", "max_value": 1})

    def _cell(self, ws: Any, row: int, col: int, column: Column, value: Any, index: dict[str, int]) -> None:
        fmt = self.fmt[column.kind]
        excel_row = row + 1
        if column.kind == "gap":
            req, sec = xl_col_to_name(index["money_required"]), xl_col_to_name(index["money_secured"])
            ws.write_formula(row, col, f"=MAX({req}{excel_row}-{sec}{excel_row},0)", fmt, value)
        elif column.kind == "coverage":
            req, sec = xl_col_to_name(index["money_required"]), xl_col_to_name(index["money_secured"])
            ws.write_formula(row, col, f'=IF({req}{excel_row}=0,"",{sec}{excel_row}/{req}{excel_row})', fmt,
                             "" if value is None else value)
        elif value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif column.kind in ("money", "money_required", "money_secured", "int", "pct"):
            ws.write_number(row, col, value, fmt)
        elif column.kind == "date":
            ws.write_datetime(row, col, value, fmt) if isinstance(value, date) else ws.write_string(row, col, _text(value), fmt)
        else:
            ws.write_string(row, col, _text(value), fmt)

    def close(self) -> None:
        self.book.close()


def _figure_columns() -> list[Column]:
    """Required / secured / pledged / gap / coverage / status, in that order, for any budgeted object."""
    def f(item: Any) -> Figures:
        return item.figures

    return [
        Column("Required ({cur})", "money_required", 14, lambda i: f(i).required),
        Column("Secured ({cur})", "money_secured", 14, lambda i: f(i).secured),
        Column("Pledged ({cur})", "money", 14, lambda i: f(i).pledged),
        Column("Gap ({cur})", "gap", 14, lambda i: f(i).gap),
        Column("Gap if pledges honoured ({cur})", "money", 16, lambda i: f(i).gap_if_pledged),
        Column("Surplus ({cur})", "money", 13, lambda i: f(i).surplus),
        Column("Coverage", "coverage", 11, lambda i: f(i).coverage),
        Column("Funding status", "text", 15, lambda i: STATUS_LABELS[f(i).status]),
    ]


def write_catalogue_xlsx(catalogue: Catalogue, path: Path) -> None:
    """Write the workbook: Summary, Priorities, Activities, Secretariat tasks, Funding lines, Partners, Languishing, Issues, FX rates."""
    w = _Writer(path, catalogue.reporting_currency)
    _summary(w, catalogue)
    figures = _figure_columns()
    w.table("Priorities", [
        Column("Priority", "text", 14, lambda p: p.id),
        Column("Kind", "text", 16, lambda p: p.kind.replace("_", " ")),
        Column("Title", "text", 50, lambda p: p.title),
        Column("CoP", "int", 6, lambda p: p.cop),
        Column("Instrument", "text", 12, lambda p: p.instrument),
        Column("Rank", "text", 9, lambda p: p.rank or ""),
        Column("Strategic Plan targets", "text", 12, lambda p: _join(p.strategic_plan_targets)),
        Column("Taxa", "text", 18, lambda p: _join(p.taxa)),
        Column("Regions", "text", 18, lambda p: _join(p.regions)),
        *figures,
        Column("Activities", "int", 10, lambda p: len(p.activity_ids)),
        Column("Tasks", "int", 8, lambda p: len(p.task_ids)),
        Column("Partners", "text", 24, lambda p: _join(p.partner_ids)),
    ], catalogue.priorities)
    w.table("Activities", [
        Column("Activity", "text", 13, lambda a: a.id),
        Column("Partner", "text", 14, lambda a: a.partner_name),
        Column("Lead priority", "text", 13, lambda a: a.lead_priority_id),
        Column("All priorities", "text", 18, lambda a: _join(a.priority_ids)),
        Column("Title", "text", 45, lambda a: a.title),
        Column("Countries", "text", 14, lambda a: _join(a.countries)),
        Column("Start", "date", 11, lambda a: a.start),
        Column("End", "date", 11, lambda a: a.end),
        Column("Status", "text", 11, lambda a: a.implementation_status),
        *figures,
        Column("Partner co-funding, cash ({cur})", "money", 15, lambda a: a.cofunding_cash),
        Column("Partner co-funding, in kind ({cur})", "money", 15, lambda a: a.cofunding_in_kind),
        Column("Source", "text", 30, lambda a: a.source),
    ], catalogue.activities)
    w.table("Secretariat tasks", [
        Column("Task", "text", 9, lambda t: t.id),
        Column("Lead priority", "text", 13, lambda t: t.lead_priority_id),
        Column("All priorities", "text", 18, lambda t: _join(t.priority_ids)),
        Column("Title", "text", 45, lambda t: t.title),
        Column("Unit", "text", 16, lambda t: t.unit),
        Column("Start", "date", 11, lambda t: t.start),
        Column("End", "date", 11, lambda t: t.end),
        *figures,
        Column("Source", "text", 30, lambda t: t.source),
    ], catalogue.secretariat_tasks)
    funding_rows = [(owner, line) for owner in (*catalogue.activities, *catalogue.secretariat_tasks)
                    for line in owner.funding_lines]
    w.table("Funding lines", [
        Column("For", "text", 13, lambda r: r[0].id),
        Column("Line", "int", 6, lambda r: r[1].line),
        Column("Source", "text", 30, lambda r: r[1].source),
        Column("Source type", "text", 20, lambda r: r[1].source_type.replace("_", " ")),
        Column("Status", "text", 11, lambda r: r[1].status),
        Column("Currency", "text", 9, lambda r: r[1].currency),
        Column("Original amount", "money", 15, lambda r: r[1].original_amount),
        Column("Rate", "text", 10, lambda r: str(r[1].rate)),
        Column("Amount ({cur})", "money", 15, lambda r: r[1].amount),
        Column("Grant reference", "text", 16, lambda r: r[1].grant_ref or ""),
    ], funding_rows)
    w.table("Partners", [
        Column("Partner", "text", 14, lambda p: p.id),
        Column("Name", "text", 34, lambda p: p.name),
        Column("Short name", "text", 14, lambda p: p.short_name),
        Column("Contact", "text", 20, lambda p: p.contact_name),
        Column("Role", "text", 18, lambda p: p.contact_role),
        Column("E-mail", "text", 30, lambda p: p.contact_email),
        Column("Expertise", "text", 36, lambda p: _join(p.expertise)),
        Column("Taxa", "text", 18, lambda p: _join(p.taxa)),
        Column("Regions", "text", 18, lambda p: _join(p.regions)),
        Column("Languages", "text", 10, lambda p: _join(p.languages)),
        *figures,
        Column("Co-funding, cash ({cur})", "money", 15, lambda p: p.cofunding_cash),
        Column("Co-funding, in kind ({cur})", "money", 15, lambda p: p.cofunding_in_kind),
        Column("Co-funding, total ({cur})", "money", 15, lambda p: p.cofunding_total),
    ], catalogue.partners)
    w.table("Languishing", [
        Column("Priority", "text", 14, lambda l: l.id),
        Column("Title", "text", 60, lambda l: l.title),
        Column("Why", "text", 60, lambda l: _join(l.reasons)),
    ], catalogue.languishing_priorities)
    w.table("Issues", [
        Column("Severity", "text", 10, lambda i: i["severity"]),
        Column("Code", "text", 22, lambda i: i["code"]),
        Column("Where", "text", 40, lambda i: i["where"]),
        Column("Message", "text", 70, lambda i: i["message"]),
        Column("What to do", "text", 50, lambda i: i.get("hint", "")),
    ], catalogue.warnings)
    w.table("FX rates", [
        Column("Currency", "text", 10, lambda r: r.currency),
        Column("Rate ({cur} per unit)", "text", 18, lambda r: str(r.rate)),
        Column("Date", "date", 12, lambda r: r.date),
        Column("Source", "text", 50, lambda r: r.source),
    ], catalogue.fx_rates)
    w.close()


def _summary(w: _Writer, c: Catalogue) -> None:
    ws = w.book.add_worksheet("Summary")
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 22)
    ws.write_string(0, 0, _text(c.title), w.fmt["title"])
    ws.write_string(1, 0, _text(c.edition))
    rows: list[tuple[str, str, Any]] = [
        ("Figures as at", "date", c.as_at),
        ("Period", "text", f"{c.period_start.isoformat()} to {c.period_end.isoformat()}"),
        ("Reporting currency", "text", c.reporting_currency),
        ("", "text", ""),
        (f"Required ({c.reporting_currency})", "money", c.totals.figures.required),
        (f"Secured ({c.reporting_currency})", "money", c.totals.figures.secured),
        (f"Pledged ({c.reporting_currency})", "money", c.totals.figures.pledged),
        (f"Gap ({c.reporting_currency})", "money", c.totals.figures.gap),
        (f"Gap if pledges are honoured ({c.reporting_currency})", "money", c.totals.figures.gap_if_pledged),
        (f"Surplus, not netted against gaps ({c.reporting_currency})", "money", c.totals.figures.surplus),
        ("Coverage (secured / required)", "pct", c.totals.figures.coverage),
        (f"Partner co-funding, cash ({c.reporting_currency})", "money", c.totals.cofunding_cash),
        (f"Partner co-funding, in kind ({c.reporting_currency})", "money", c.totals.cofunding_in_kind),
        ("", "text", ""),
        ("Priorities", "int", c.totals.priority_count),
        ("Partners", "int", c.totals.partner_count),
        ("Partner activities", "int", c.totals.activity_count),
        ("Secretariat tasks", "int", c.totals.task_count),
        ("Languishing priorities", "int", len(c.languishing_priorities)),
        ("Data-quality warnings", "int", len(c.warnings)),
        ("", "text", ""),
        ("Built", "text", c.provenance.build_time),
        ("Tool version", "text", c.provenance.tool_version),
    ]
    for offset, (label, kind, value) in enumerate(rows, start=3):
        ws.write_string(offset, 0, label, w.fmt["label"])
        if value is None or value == "":
            continue
        if kind in ("money", "int", "pct"):
            ws.write_number(offset, 1, value, w.fmt[kind])
        elif kind == "date":
            ws.write_datetime(offset, 1, value, w.fmt["date"])
        else:
            ws.write_string(offset, 1, _text(value))
