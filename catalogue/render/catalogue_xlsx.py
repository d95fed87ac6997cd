"""catalogue.xlsx: the model as Excel tables fundraisers can filter, sort and paste from.

Partner text is written with write_string only (and the workbook has
strings_to_formulas/strings_to_urls off), so a title such as =HYPERLINK(...)
stays text. Gap, coverage and funding status are live formulas carrying the
model's value as their cached result: correct on open in any viewer, and
still correct when someone edits a secured amount.

Total rows use SUBTOTAL(109, ...) so that they follow the filters, and carry
the model's total as their cached value. LibreOffice does not recalculate an
.xlsx on load (it shows cached values), so a total is only written where the
model holds it: a formula without the model's figure would read 0 there.

Tables and constant_memory do not mix (xlsxwriter drops tables in that mode),
so every sheet is written in normal mode; see the report of issue 7 for the
speed and memory this costs at 20,000 activities.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from catalogue.model.catalogue import Catalogue, Figures, Group
from catalogue.render.xlsx import EXCEL_CELL_LIMIT, fit_cell_text, safe_workbook

log = logging.getLogger(__name__)

STATUS_LABELS = {"unfunded": "Unfunded", "partly_funded": "Partly funded", "fully_funded": "Fully funded",
                 "over_committed": "Over-committed"}
STATUS_COLOURS = {"Unfunded": ("#F8CBAD", "#833C0B"), "Partly funded": ("#FFE699", "#7F6000"),
                  "Fully funded": ("#C6E0B4", "#375623"), "Over-committed": ("#BDD7EE", "#1F4E78")}
GROUPING_LABELS = {"strategic_plan_target": "Strategic Plan target", "taxon_group": "Taxon group", "region": "Region",
                   "instrument": "Instrument", "rank": "Rank", "year": "Year"}
TOP_GAPS = 15
TOP_SOURCES = 10

# Kinds of column. Figure kinds name the Figures field they show; the formulas find their inputs by kind.
FIGURE_KINDS = {"required": "required", "secured": "secured", "pledged": "money", "gap": "gap",
                "gap_if_pledged": "money", "surplus": "surplus", "coverage": "coverage", "status": "status"}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # text | wrap | money | required | secured | surplus | gap | coverage | status | date | int | number | amount
    width: float
    value: Callable[[Any], Any]
    total: str | None = None  # the Figures field whose model total the total row shows


# Functions every Excel since 2007 knows without a _xlfn. prefix: the only ones our formulas use.
_CLASSIC_FUNCTIONS = frozenset({"MAX", "IF", "ROUND", "AND", "SUBTOTAL"})
_FUNCTION_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


class _Sheet(Worksheet):
    """A worksheet that skips xlsxwriter's future-function rewriting for formulas that cannot need it.

    xlsxwriter runs ~30 regular expressions over every formula to add _xlfn.
    prefixes; with three formulas a row that was half the time of a
    20,000-activity workbook. Formulas made only of classic functions come
    out of that rewriting unchanged, so the result is identical.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if formula.startswith("=") and set(_FUNCTION_NAME.findall(formula)) <= _CLASSIC_FUNCTIONS:
            return formula[1:]
        return super()._prepare_formula(formula, expand_future_functions)


class _Book(xlsxwriter.Workbook):
    worksheet_class = _Sheet


def _join(values: Sequence[Any]) -> str:
    return "; ".join(str(v) for v in values)


@dataclass
class _Writer:
    path: Path
    currency: str
    book: Any = None
    fmt: dict[str, Any] = field(default_factory=dict)
    table_names: set[str] = field(default_factory=set)
    cut_cells: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # strings_to_formulas/urls/numbers off: partner text is never a formula, a link or a number, whatever it looks like.
        self.book = safe_workbook(self.path, _Book)
        money = f'"{self.currency}" #,##0.00;-"{self.currency}" #,##0.00;"{self.currency}" 0.00'
        add = self.book.add_format
        top = {"valign": "top"}
        self.fmt = {
            "text": add(top),
            "wrap": add({**top, "text_wrap": True}),
            "money": add({**top, "num_format": money}),
            "amount": add({**top, "num_format": "#,##0.00"}),
            "number": add({**top, "num_format": "0.0000##"}),
            "date": add({**top, "num_format": "yyyy-mm-dd"}),
            "int": add({**top, "num_format": "0"}),
            "pct": add({**top, "num_format": "0.0%"}),
            "title": add({"bold": True, "font_size": 16}),
            "heading": add({"bold": True, "font_size": 12, "font_color": "#1F4E78"}),
            "label": add({"bold": True, "valign": "top"}),
            "note": add({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"}),
        }
        for kind in ("required", "secured", "surplus", "gap"):
            self.fmt[kind] = self.fmt["money"]
        self.fmt["coverage"] = self.fmt["pct"]
        self.fmt["status"] = self.fmt["text"]
        self.status_fmt = {label: add({"bg_color": bg, "font_color": fg}) for label, (bg, fg) in STATUS_COLOURS.items()}

    # ------------------------------------------------------------------ cells

    def sheet(self, name: str) -> Any:
        """A worksheet set up to print legibly: landscape, one page wide, header row on every page."""
        ws = self.book.add_worksheet(name)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.set_footer(f"&L{name}&RPage &P of &N")
        return ws

    def text(self, ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        if len(text) > EXCEL_CELL_LIMIT // 2:  # only then can it be too long for Excel, which counts UTF-16 units
            text, cut = fit_cell_text(text)
        else:
            cut = False
        if cut:
            self.cut_cells.append(f"{ws.name}!{xl_rowcol_to_cell(row, col)}")
        ws.write_string(row, col, text, fmt)

    def value(self, ws: Any, row: int, col: int, kind: str, value: Any) -> None:
        """A plain cell of the given kind: numbers as numbers, dates as dates, everything else as text."""
        fmt = self.fmt[kind]
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif kind in ("money", "required", "secured", "surplus", "amount", "number", "int", "pct"):
            ws.write_number(row, col, value, fmt)
        elif kind == "date" and isinstance(value, date):
            ws.write_datetime(row, col, value, fmt)
        else:
            self.text(ws, row, col, value, fmt)

    # ------------------------------------------------------------------ tables

    def table(self, sheet_name: str, columns: list[Column], items: Sequence[Any], totals: Figures | None = None,
              note: str | None = None, ws: Any = None, first_row: int = 0) -> Any:
        """One Excel table on its own sheet (or at `first_row` of `ws`): header frozen, filters, widths, formats.

        `totals`, when given, adds a total row of SUBTOTAL(109, ...) formulas cached with the model's figures.
        """
        if ws is None:
            ws = self.sheet(sheet_name)
        if note:
            ws.write_string(first_row, 0, note, self.fmt["note"])
            first_row += 1
        headers = [c.header.format(cur=self.currency) for c in columns]
        by_kind = {c.kind: i for i, c in enumerate(columns)}
        header_row = first_row
        last_data = header_row + max(len(items), 1)
        options: dict[str, Any] = {"name": self._table_name(sheet_name), "style": "Table Style Medium 2",
                                   "columns": [{"header": h, "format": self.fmt[c.kind]} for h, c in zip(headers, columns)]}
        if totals is not None:
            options["total_row"] = True
            for i, column in enumerate(columns):
                options["columns"][i].update(self._total_cell(i, column, by_kind, totals, header_row + 1, last_data))
            options["columns"][0].setdefault("total_string", "Total (visible rows)")
        last_row = last_data + (1 if totals is not None else 0)
        ws.add_table(header_row, 0, last_row, len(columns) - 1, options)
        for col, column in enumerate(columns):
            ws.set_column(col, col, column.width)
        ws.freeze_panes(header_row + 1, 0)
        ws.repeat_rows(header_row)
        writers = [self._column_writer(ws, col, column, by_kind) for col, column in enumerate(columns)]
        for row, item in enumerate(items, start=header_row + 1):
            for col, write in enumerate(writers):
                write(row, col, item)
        self._conditional_formats(ws, by_kind, header_row + 1, last_data)
        return ws

    def _table_name(self, sheet_name: str) -> str:
        base = "T_" + "".join(ch if ch.isalnum() else "_" for ch in sheet_name)
        name, n = base, 1
        while name.lower() in self.table_names:
            n += 1
            name = f"{base}_{n}"
        self.table_names.add(name.lower())
        return name

    def _column_writer(self, ws: Any, col: int, column: Column, by_kind: dict[str, int]) -> Callable[[int, int, Any], None]:
        """One column's cell writer, decided once per column: the hot loop of a 20,000-row sheet."""
        fmt, get, kind = self.fmt[column.kind], column.value, column.kind
        letter = {k: xl_col_to_name(i) for k, i in by_kind.items()}
        if kind == "gap":
            req, sec = letter["required"], letter["secured"]

            def write(row: int, col: int, item: Any) -> None:
                r = row + 1
                ws.write_formula(row, col, f"=MAX({req}{r}-{sec}{r},0)", fmt, get(item))
        elif kind == "coverage":
            req, sec = letter["required"], letter["secured"]

            def write(row: int, col: int, item: Any) -> None:
                r, value = row + 1, get(item)
                ws.write_formula(row, col, f'=IF({req}{r}=0,"",ROUND({sec}{r}/{req}{r},4))', fmt,
                                 "" if value is None else value)
        elif kind == "status":
            def write(row: int, col: int, item: Any) -> None:
                ws.write_formula(row, col, _status_formula({k: f"{v}{row + 1}" for k, v in letter.items()}), fmt,
                                 STATUS_LABELS[get(item)])
        elif kind in ("text", "wrap"):
            def write(row: int, col: int, item: Any) -> None:
                value = get(item)
                if value is None or value == "":
                    ws.write_blank(row, col, None, fmt)
                else:
                    self.text(ws, row, col, value, fmt)
        else:
            def write(row: int, col: int, item: Any) -> None:
                self.value(ws, row, col, kind, get(item))
        return write

    def _total_cell(self, col: int, column: Column, by_kind: dict[str, int], totals: Figures,
                    first: int, last: int) -> dict[str, Any]:
        if column.total is None:
            return {}
        cached = getattr(totals, column.total)
        if column.kind == "coverage":
            req, sec = (f"{xl_col_to_name(by_kind[k])}{first + 1}:{xl_col_to_name(by_kind[k])}{last + 1}"
                        for k in ("required", "secured"))
            formula = f'=IF(SUBTOTAL(109,{req})=0,"",ROUND(SUBTOTAL(109,{sec})/SUBTOTAL(109,{req}),4))'
            return {"total_function": formula, "total_value": "" if cached is None else cached}
        if column.kind == "status":
            refs = {k: f"{xl_col_to_name(by_kind[k])}{last + 2}" for k in ("required", "secured", "surplus", "gap")}
            return {"total_function": _status_formula(refs), "total_value": STATUS_LABELS[cached]}
        return {"total_function": "sum", "total_value": cached}

    def _conditional_formats(self, ws: Any, by_kind: dict[str, int], first: int, last: int) -> None:
        if "coverage" in by_kind or "pct" in by_kind:
            col = by_kind.get("coverage", by_kind.get("pct"))
            ws.conditional_format(first, col, last, col, {
                "type": "data_bar", "bar_color": "#5B9BD5", "bar_solid": True,
                "min_type": "num", "min_value": 0, "max_type": "num", "max_value": 1})
        if "status" in by_kind:
            col = by_kind["status"]
            for label, fmt in self.status_fmt.items():
                ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "==",
                                                              "value": f'"{label}"', "format": fmt})

    def close(self) -> None:
        self.book.close()
        if self.cut_cells:
            # Validation caps long text well below Excel's limit, so this should never fire; say so loudly if it does.
            log.warning("catalogue.xlsx: %d cell(s) longer than Excel's 32,767 characters were cut: %s",
                        len(self.cut_cells), ", ".join(self.cut_cells[:10]))


def _status_formula(r: dict[str, str]) -> str:
    """The model's funding-status rule (budget.funding_status / sum_figures) as a formula over one row's cells.

    Over-committed: surplus and no gap; unfunded: nothing secured; fully: secured covers required; else partly.
    """
    return (f'=IF(AND({r["surplus"]}>0,{r["gap"]}=0),"Over-committed",IF({r["secured"]}=0,"Unfunded",'
            f'IF({r["secured"]}>={r["required"]},"Fully funded","Partly funded")))')


def _figure_columns(figures_of: Callable[[Any], Figures] = lambda item: item.figures) -> list[Column]:
    """Required / secured / pledged / gap / gap if pledged / surplus / coverage / status for any budgeted object."""
    def col(header: str, name: str, width: float) -> Column:
        return Column(header, FIGURE_KINDS[name], width, lambda i, n=name: getattr(figures_of(i), n), total=name)

    return [
        col("Required ({cur})", "required", 16),
        col("Secured ({cur})", "secured", 16),
        col("Pledged ({cur})", "pledged", 16),
        col("Gap ({cur})", "gap", 16),
        col("Gap if pledges honoured ({cur})", "gap_if_pledged", 18),
        col("Surplus ({cur})", "surplus", 14),
        col("Coverage", "coverage", 11),
        col("Funding status", "status", 15),
    ]


def _model_total(catalogue: Catalogue, name: str) -> Figures:
    """A table's total as the model holds it (Totals.activities or Totals.tasks): never summed here."""
    return getattr(catalogue.totals, name)


# --------------------------------------------------------------------------- the workbook


def write_catalogue_xlsx(catalogue: Catalogue, path: Path) -> None:
    """Write the workbook: About, Summary, then one Excel table per sheet for every part of the model."""
    c = catalogue
    w = _Writer(path, c.reporting_currency)
    _about(w, c)
    summary = w.sheet("Summary")
    figures = _figure_columns()
    w.table("Priorities", [
        Column("Priority", "text", 16, lambda p: p.id),
        Column("Kind", "text", 16, lambda p: p.kind.replace("_", " ")),
        Column("Title", "wrap", 50, lambda p: p.title),
        Column("CoP", "int", 6, lambda p: p.cop),
        Column("Instrument", "text", 12, lambda p: p.instrument),
        Column("Rank", "text", 9, lambda p: p.rank or ""),
        Column("Strategic Plan targets", "text", 12, lambda p: _join(p.strategic_plan_targets)),
        Column("Taxa", "wrap", 20, lambda p: _join(p.taxa)),
        Column("Regions", "wrap", 18, lambda p: _join(p.regions)),
        *figures,
        Column("Activities", "int", 10, lambda p: len(p.activity_ids)),
        Column("Tasks", "int", 8, lambda p: len(p.task_ids)),
        Column("Also served by activities", "wrap", 20, lambda p: _join(p.contributing_activity_ids)),
        Column("Partners", "wrap", 24, lambda p: _join(p.partner_ids)),
        Column("Match offers", "int", 8, lambda p: p.match.offers),
        Column("Match available ({cur})", "money", 16, lambda p: p.match.match_available),
        Column("Donor money to unlock it ({cur})", "money", 18, lambda p: p.match.donor_to_unlock),
        Column("Leverage", "number", 10, lambda p: p.match.leverage),
    ], c.priorities, totals=c.totals.figures,
        note="Priorities by gap, largest first. Each activity's money counts under its lead priority only.")
    w.table("Activities", [
        Column("Activity", "text", 14, lambda a: a.id),
        Column("Partner", "text", 16, lambda a: a.partner_name),
        Column("Lead priority", "text", 14, lambda a: a.lead_priority_id),
        Column("All priorities", "wrap", 18, lambda a: _join(a.priority_ids)),
        Column("Title", "wrap", 45, lambda a: a.title),
        Column("Description", "wrap", 60, lambda a: a.description),
        Column("Countries", "wrap", 14, lambda a: _join(a.countries)),
        Column("Start", "date", 11, lambda a: a.start),
        Column("End", "date", 11, lambda a: a.end),
        Column("Status", "text", 11, lambda a: a.implementation_status),
        *figures,
        Column("Partner co-funding, cash ({cur})", "money", 17, lambda a: a.cofunding_cash),
        Column("Partner co-funding, in kind ({cur})", "money", 17, lambda a: a.cofunding_in_kind),
        Column("Source", "text", 30, lambda a: a.source),
    ], c.activities, totals=_model_total(c, "activities"))
    w.table("Secretariat tasks", [
        Column("Task", "text", 9, lambda t: t.id),
        Column("Lead priority", "text", 14, lambda t: t.lead_priority_id),
        Column("All priorities", "wrap", 18, lambda t: _join(t.priority_ids)),
        Column("Title", "wrap", 45, lambda t: t.title),
        Column("Description", "wrap", 60, lambda t: t.description),
        Column("Unit", "text", 18, lambda t: t.unit),
        Column("Start", "date", 11, lambda t: t.start),
        Column("End", "date", 11, lambda t: t.end),
        *figures,
        Column("Source", "text", 30, lambda t: t.source),
    ], c.secretariat_tasks, totals=_model_total(c, "tasks"))
    _gaps(w, c)
    _match_offers(w, c)
    owners = (*c.activities, *c.secretariat_tasks)
    w.table("Funding lines", [
        Column("For", "text", 14, lambda r: r[0].id),
        Column("Line", "int", 6, lambda r: r[1].line),
        Column("Source", "wrap", 32, lambda r: r[1].source),
        Column("Source type", "text", 22, lambda r: r[1].source_type.replace("_", " ")),
        Column("Status", "text", 11, lambda r: r[1].status),
        Column("Currency", "text", 9, lambda r: r[1].currency),
        Column("Original amount", "amount", 16, lambda r: r[1].original_amount),
        Column("Rate ({cur} per unit)", "number", 12, lambda r: r[1].rate),
        Column("Amount ({cur})", "money", 16, lambda r: r[1].amount),
        Column("Grant reference", "text", 16, lambda r: r[1].grant_ref or ""),
    ], [(owner, line) for owner in owners for line in owner.funding_lines],
        note="Every funding line as committed, before capping at each item's requirement.")
    w.table("Funding sources", [
        Column("Source", "wrap", 40, lambda s: s.source),
        Column("Source type", "text", 22, lambda s: s.source_type.replace("_", " ")),
        Column("Confirmed ({cur})", "money", 17, lambda s: s.confirmed),
        Column("Pledged ({cur})", "money", 17, lambda s: s.pledged),
        Column("Requested ({cur})", "money", 17, lambda s: s.requested),
        Column("Lines", "int", 8, lambda s: s.lines),
    ], _sources_by_confirmed(c), note="Money by source as committed (before capping at each item's requirement), "
                                      "largest confirmed first.")
    w.table("Partners", [
        Column("Partner", "text", 16, lambda p: p.id),
        Column("Name", "wrap", 34, lambda p: p.name),
        Column("Short name", "text", 14, lambda p: p.short_name),
        Column("Contact", "text", 20, lambda p: p.contact_name),
        Column("Role", "wrap", 18, lambda p: p.contact_role),
        Column("E-mail", "text", 30, lambda p: p.contact_email),
        Column("Expertise", "wrap", 36, lambda p: _join(p.expertise)),
        Column("Themes", "wrap", 24, lambda p: _join(p.themes)),
        Column("Taxa", "wrap", 20, lambda p: _join(p.taxa)),
        Column("Regions", "wrap", 18, lambda p: _join(p.regions)),
        Column("Countries", "wrap", 18, lambda p: _join(p.countries)),
        Column("Non-Party countries", "wrap", 12, lambda p: _join(p.non_party_countries)),
        Column("Languages", "text", 10, lambda p: _join(p.languages)),
        Column("Partner since", "date", 12, lambda p: p.agreement_date),
        Column("Activities", "int", 10, lambda p: len(p.activity_ids)),
        *figures,
        Column("Co-funding, cash ({cur})", "money", 17, lambda p: p.cofunding_cash),
        Column("Co-funding, in kind ({cur})", "money", 17, lambda p: p.cofunding_in_kind),
        Column("Co-funding, total ({cur})", "money", 17, lambda p: p.cofunding_total),
    ], c.partners)
    w.table("Groupings", [
        Column("Grouping", "text", 22, lambda r: r[0]),
        Column("Group", "text", 24, lambda r: r[1].key),
        Column("Members", "int", 8, lambda r: r[1].members),
        *_figure_columns(lambda r: r[1].figures),
    ], _group_rows(c),
        note="Each grouping shares every activity and task out over its groups; filter on Grouping to see one.")
    w.table("Languishing", [
        Column("Priority", "text", 16, lambda l: l.id),
        Column("Title", "wrap", 60, lambda l: l.title),
        Column("Why", "wrap", 60, lambda l: _join(r.text for r in l.reasons)),
    ], c.languishing_priorities)
    _issues(w, c)
    w.table("FX rates", [
        Column("Currency", "text", 10, lambda r: r.currency),
        Column("Rate ({cur} per unit)", "number", 18, lambda r: r.rate),
        Column("Date", "date", 12, lambda r: r.date),
        Column("Source", "wrap", 50, lambda r: r.source),
    ], c.fx_rates)
    _summary(w, summary, c)
    w.close()


def _sources_by_confirmed(c: Catalogue) -> list[Any]:
    return sorted(c.funding_sources, key=lambda s: (-s.confirmed, -s.pledged, s.source))


def _group_rows(c: Catalogue) -> list[tuple[str, Group]]:
    rows: list[tuple[str, Group]] = []
    for name, label in GROUPING_LABELS.items():
        rows.extend((label, g) for g in getattr(c.groupings, name))
    return rows


def _gaps(w: _Writer, c: Catalogue) -> None:
    open_work = [(a, "Activity", a.partner_name) for a in c.activities] + \
                [(t, "Secretariat task", t.unit) for t in c.secretariat_tasks]
    open_work = [r for r in open_work if r[0].figures.status in ("unfunded", "partly_funded")]
    open_work.sort(key=lambda r: (-r[0].figures.gap, r[0].id))
    w.table("Gaps", [
        Column("Id", "text", 14, lambda r: r[0].id),
        Column("Kind", "text", 16, lambda r: r[1]),
        Column("Partner or unit", "text", 20, lambda r: r[2]),
        Column("Lead priority", "text", 14, lambda r: r[0].lead_priority_id),
        Column("Title", "wrap", 45, lambda r: r[0].title),
        Column("Start", "date", 11, lambda r: r[0].start),
        Column("End", "date", 11, lambda r: r[0].end),
        *_figure_columns(lambda r: r[0].figures),
    ], open_work, note="Unfunded and partly funded activities and Secretariat tasks, largest gap first (ties by id).")


def _match_offers(w: _Writer, c: Catalogue) -> None:
    w.table("Match offers", [
        Column("Activity", "text", 14, lambda a: a.id),
        Column("Partner", "text", 16, lambda a: a.partner_name),
        Column("Lead priority", "text", 14, lambda a: a.lead_priority_id),
        Column("Title", "wrap", 45, lambda a: a.title),
        Column("Currency", "text", 9, lambda a: a.match_offer.currency),
        Column("Match up to (original)", "amount", 16, lambda a: a.match_offer.original_up_to),
        Column("Match up to ({cur})", "money", 16, lambda a: a.match_offer.up_to),
        Column("Partner money per unit of donor money", "number", 14, lambda a: a.match_offer.ratio),
        Column("Donor money to unlock it ({cur})", "money", 18, lambda a: a.match_offer.donor_to_unlock),
        Column("Activity gap ({cur})", "money", 16, lambda a: a.figures.gap),
        Column("Note", "wrap", 40, lambda a: a.match_offer.note),
    ], [a for a in c.activities if a.match_offer is not None],
        note="Partners who add their own money when a donor gives: donor money up to the amount shown unlocks the whole match.")


def _issues(w: _Writer, c: Catalogue) -> None:
    def loc(key: str) -> Callable[[dict[str, Any]], Any]:
        return lambda i: (i.get("location") or {}).get(key)

    w.table("Issues", [
        Column("Severity", "text", 10, lambda i: i.get("severity", "")),
        Column("Code", "text", 22, lambda i: i.get("code", "")),
        Column("Record", "text", 14, lambda i: i.get("record_id") or ""),
        Column("File", "text", 26, loc("file")),
        Column("Sheet", "text", 12, loc("sheet")),
        Column("Row", "int", 7, loc("row")),
        Column("Column", "text", 14, lambda i: (i.get("location") or {}).get("header") or (i.get("location") or {}).get("column")),
        Column("Message", "wrap", 70, lambda i: i.get("message", "")),
        Column("What to do", "wrap", 50, lambda i: i.get("hint", "")),
    ], c.warnings, note="Data-quality warnings: the catalogue was built, but these places deserve a look.")


def _about(w: _Writer, c: Catalogue) -> None:
    ws = w.sheet("About")
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 100)
    ws.set_column(2, 3, 14)
    ws.write_string(0, 0, c.title, w.fmt["title"])
    ws.write_string(1, 0, c.edition)
    facts: list[tuple[str, str, Any]] = [
        ("What this is", "wrap", "The CMS donor programme catalogue as tables: CoP priorities, the Partner activities and "
                                 "Secretariat tasks that address them, what they need, what is secured and what is still open."),
        ("Figures as at", "date", c.as_at),
        ("Period", "text", f"{c.period_start.isoformat()} to {c.period_end.isoformat()}"),
        ("Reporting currency", "text", f"{c.reporting_currency}: every amount with a ({c.reporting_currency}) heading is "
                                       "converted at the rates on the FX rates sheet."),
        ("How to read it", "wrap", "Each sheet is an Excel table: filter and sort from the header row. Gap, coverage and "
                                   "funding status are formulas, so they update if you change a secured amount. Total rows "
                                   "use SUBTOTAL and add up the visible rows only. Summary has the headline figures and "
                                   "charts; Gaps lists the work still to fund, largest gap first."),
        ("Sheets", "wrap", "Summary · Priorities · Activities · Secretariat tasks · Gaps · Match offers · Funding lines · "
                           "Funding sources · Partners · Groupings · Languishing · Issues · FX rates"),
        ("Same figures everywhere", "wrap", "This workbook, catalogue.pdf and catalogue.json are renderings of one model; "
                                            "their figures agree to the cent."),
    ]
    row = 3
    for label, kind, value in facts:
        ws.write_string(row, 0, label, w.fmt["label"])
        w.value(ws, row, 1, kind, value)
        row += 1
    row += 1
    ws.write_string(row, 0, "Method", w.fmt["heading"])
    row += 1
    for key, text in c.methodology.items():
        ws.write_string(row, 0, key.replace("_", " ").capitalize(), w.fmt["label"])
        w.text(ws, row, 1, text, w.fmt["wrap"])
        row += 1
    row += 1
    ws.write_string(row, 0, "Provenance", w.fmt["heading"])
    row += 1
    p = c.provenance
    for label, value in (("Built", p.build_time), ("Tool version", p.tool_version),
                         ("Schema versions", _join(f"{k} {v}" for k, v in sorted(p.schema_versions.items())))):
        ws.write_string(row, 0, label, w.fmt["label"])
        w.text(ws, row, 1, value, w.fmt["wrap"])
        row += 1
    row += 1
    # The input files as a table on this sheet (not frozen: the facts above come first).
    columns = [Column("Input file", "text", 30, lambda f: f.name), Column("SHA-256", "text", 100, lambda f: f.sha256),
               Column("Kind", "text", 14, lambda f: f.kind), Column("Bytes", "int", 14, lambda f: f.size)]
    headers = [col.header for col in columns]
    ws.add_table(row, 0, row + max(len(p.inputs), 1), 3, {
        "name": w._table_name("Provenance"), "style": "Table Style Light 9",
        "columns": [{"header": h} for h in headers]})
    for r, item in enumerate(p.inputs, start=row + 1):
        for col, column in enumerate(columns):
            w.value(ws, r, col, column.kind, column.value(item))


def _summary(w: _Writer, ws: Any, c: Catalogue) -> None:
    """Headline figures in columns A:B (label, value), the charts' data below them, the charts to the right."""
    ws.set_column(0, 0, 46)
    ws.set_column(1, 1, 20)
    ws.set_column(2, 3, 16)
    cur = c.reporting_currency
    t = c.totals
    ws.write_string(0, 0, c.title, w.fmt["title"])
    ws.write_string(1, 0, c.edition)
    rows: list[tuple[str, str, Any]] = [
        ("Figures as at", "date", c.as_at),
        ("Period", "text", f"{c.period_start.isoformat()} to {c.period_end.isoformat()}"),
        ("Reporting currency", "text", cur),
        ("", "text", ""),
        (f"Required ({cur})", "money", t.figures.required),
        (f"Secured ({cur})", "money", t.figures.secured),
        (f"Pledged ({cur})", "money", t.figures.pledged),
        (f"Gap ({cur})", "money", t.figures.gap),
        (f"Gap if pledges are honoured ({cur})", "money", t.figures.gap_if_pledged),
        (f"Surplus, not netted against gaps ({cur})", "money", t.figures.surplus),
        ("Coverage (secured / required)", "pct", t.figures.coverage),
        ("Funding status", "text", STATUS_LABELS[t.figures.status]),
        (f"Partner co-funding, cash ({cur})", "money", t.cofunding_cash),
        (f"Partner co-funding, in kind ({cur})", "money", t.cofunding_in_kind),
        ("", "text", ""),
        ("Priorities", "int", t.priority_count),
        ("Partners", "int", t.partner_count),
        ("Partner activities", "int", t.activity_count),
        ("Secretariat tasks", "int", t.task_count),
        ("Languishing priorities", "int", len(c.languishing_priorities)),
        ("Data-quality warnings", "int", len(c.warnings)),
        ("", "text", ""),
        ("Built", "text", c.provenance.build_time),
        ("Tool version", "text", c.provenance.tool_version),
    ]
    row = 3
    for label, kind, value in rows:
        if label:
            ws.write_string(row, 0, label, w.fmt["label"])
            w.value(ws, row, 1, kind, value)
        row += 1

    # Chart data, visible and plain, so each chart is self-explanatory and survives sorting elsewhere.
    row += 1
    gaps = [p for p in c.priorities if p.figures.gap > 0][:TOP_GAPS]
    gap_rows = _chart_block(w, ws, row, f"Largest gaps by priority (top {TOP_GAPS})",
                            ["Priority", f"Gap ({cur})", "Title"], ["text", "money", "text"],
                            [(p.id, p.figures.gap, p.title) for p in gaps])
    row = gap_rows[1] + 2
    targets = c.groupings.strategic_plan_target
    target_rows = _chart_block(w, ws, row, "Coverage by Strategic Plan target",
                               ["Target", "Coverage", f"Required ({cur})", f"Secured ({cur})"],
                               ["text", "pct", "money", "money"],
                               [(f"Target {g.key}", g.figures.coverage, g.figures.required, g.figures.secured)
                                for g in targets])
    row = target_rows[1] + 2
    sources = [s for s in _sources_by_confirmed(c) if s.confirmed > 0][:TOP_SOURCES]
    source_rows = _chart_block(w, ws, row, f"Confirmed money by source (top {TOP_SOURCES})",
                               ["Source", f"Confirmed ({cur})", "Source type"], ["text", "money", "text"],
                               [(s.source, s.confirmed, s.source_type.replace("_", " ")) for s in sources])

    def bar(kind: str, title: str, rows_: tuple[int, int], value_col: int, number_format: str, colour: str) -> Any:
        chart = w.book.add_chart({"type": kind})
        first, last = rows_
        if last >= first:
            chart.add_series({
                "name": title,
                "categories": ["Summary", first, 0, last, 0],
                "values": ["Summary", first, value_col, last, value_col],
                "fill": {"color": colour}, "gap": 60,
            })
        chart.set_title({"name": title, "name_font": {"size": 12}})
        chart.set_legend({"none": True})
        value_axis = {"num_format": number_format, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
        if kind == "bar":
            chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})  # largest at the top
            chart.set_x_axis(value_axis)
        else:
            chart.set_x_axis({"num_font": {"size": 8}})
            chart.set_y_axis({**value_axis, "min": 0, "max": 1})
        return chart

    money_axis = f'"{cur}" #,##0,"k"'
    ws.insert_chart(3, 5, bar("bar", f"Gap by priority ({cur}), top {TOP_GAPS}", gap_rows, 1, money_axis, "#C55A11"),
                    {"x_scale": 1.5, "y_scale": 1.4})
    ws.insert_chart(25, 5, bar("column", "Coverage by Strategic Plan target", target_rows, 1, "0%", "#2E75B6"),
                    {"x_scale": 1.5, "y_scale": 1.1})
    ws.insert_chart(43, 5, bar("bar", f"Confirmed money by source ({cur}), top {TOP_SOURCES}", source_rows, 1,
                               money_axis, "#548235"), {"x_scale": 1.5, "y_scale": 1.2})


def _chart_block(w: _Writer, ws: Any, row: int, title: str, headers: list[str], kinds: list[str],
                 data: list[tuple[Any, ...]]) -> tuple[int, int]:
    """A small titled block of chart data; returns its first and last data rows (0-based)."""
    ws.write_string(row, 0, title, w.fmt["heading"])
    for col, header in enumerate(headers):
        ws.write_string(row + 1, col, header, w.fmt["label"])
    first = row + 2
    for r, values in enumerate(data, start=first):
        for col, (kind, value) in enumerate(zip(kinds, values)):
            w.value(ws, r, col, kind, value)
    return first, first + len(data) - 1
