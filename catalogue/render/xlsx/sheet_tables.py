"""Excel tables for catalogue.xlsx: one table per sheet, live formulas cached with the model's figures.

Partner text is written with write_string only (and the workbook is a
render/xlsx.safe_workbook), so a title such as =HYPERLINK(...) stays text.
Gap, coverage and funding status are live formulas carrying the model's value
as their cached result: correct on open in any viewer, and still correct when
someone edits a secured amount. Coverage rounds half-even in the formula, as
the model does, with integer arithmetic on the cents, so that a workbook
recalculated by LibreOffice or Excel shows exactly catalogue.json's coverage,
ties included (ROUND alone rounds half away from zero).

Total rows use SUBTOTAL(109, ...) over plain ranges (LibreOffice answers
Err:507 to a structured reference without its table name) so that they
follow the filters, and carry the model's total as their cached value.

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

from catalogue.issues import N_
from catalogue.model.catalogue import STATUSES, Figures
from catalogue.render.words.i18n import Formatter
from catalogue.render.xlsx.workbook import EXCEL_CELL_LIMIT, fit_cell_text, safe_workbook, sheet_name

log = logging.getLogger(__name__)

STATUS_COLOURS = {"unfunded": ("#F8CBAD", "#833C0B"), "partly_funded": ("#FFE699", "#7F6000"),
                  "fully_funded": ("#C6E0B4", "#375623"), "over_committed": ("#BDD7EE", "#1F4E78")}

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
_CLASSIC_FUNCTIONS = frozenset({"MAX", "IF", "ROUND", "AND", "SUBTOTAL", "QUOTIENT", "MOD"})
_FUNCTION_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


class _Sheet(Worksheet):  # type: ignore[misc]  # xlsxwriter has no type hints
    """A worksheet that skips xlsxwriter's future-function rewriting for formulas that cannot need it.

    xlsxwriter runs ~30 regular expressions over every formula to add _xlfn.
    prefixes; with three formulas a row that was half the time of a
    20,000-activity workbook. Formulas made only of classic functions come
    out of that rewriting unchanged, so the result is identical.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if formula.startswith("=") and set(_FUNCTION_NAME.findall(formula)) <= _CLASSIC_FUNCTIONS:
            return formula[1:]
        return str(super()._prepare_formula(formula, expand_future_functions))


class _Book(xlsxwriter.Workbook):  # type: ignore[misc]
    worksheet_class = _Sheet


def join(values: Any) -> str:
    """Several values in one cell, separated by "; "."""
    return "; ".join(str(v) for v in values)


def coverage_formula(secured: str, required: str) -> str:
    """secured / required to four decimals, rounded half-even as the model rounds it, "" when nothing is required.

    Exact on the cents: with s and r the amounts in whole cents, n = QUOTIENT(s*10^4, r) and
    m = MOD(s*10^4, r), the result is (n + 1 above half, + n's parity at exactly half) / 10^4.
    Secured never exceeds required (surplus is apart), so n stays at most 10^4: far below the 2^27
    quotient where Excel's MOD gives up; s*10^4 is exact in a double for up to 9 billion secured.
    """
    s, r = f"ROUND({secured}*100,0)", f"ROUND({required}*100,0)"
    n, m = f"QUOTIENT({s}*10000,{r})", f"MOD({s}*10000,{r})"
    return f'=IF({required}=0,"",({n}+IF(2*{m}>{r},1,IF(2*{m}={r},MOD({n},2),0)))/10000)'


@dataclass
class TableWriter:
    """catalogue.xlsx as it is written: formats, table names, and the labels of one language."""

    path: Path
    fmt_text: Formatter
    book: Any = None
    fmt: dict[str, Any] = field(default_factory=dict)
    table_names: set[str] = field(default_factory=set)
    cut_cells: list[str] = field(default_factory=list)
    status_labels: dict[str, str] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        """The reporting currency."""
        return self.fmt_text.currency

    def label(self, msgid: str) -> str:
        """A fixed label in the workbook's language; %(cur)s becomes the reporting currency."""
        return self.fmt_text.gettext(msgid).replace("%(cur)s", self.currency)

    def __post_init__(self) -> None:
        self.book = safe_workbook(self.path, _Book)
        # Status words as the formulas write them: the model's words, capitalised ("Partly funded").
        for status in STATUSES:
            word = self.fmt_text.status(status)
            self.status_labels[status] = word[:1].upper() + word[1:]
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
        self.status_fmt = {self.status_labels[status]: add({"bg_color": bg, "font_color": fg})
                           for status, (bg, fg) in STATUS_COLOURS.items()}

    # ------------------------------------------------------------------ cells

    def sheet(self, name: str) -> Any:
        """A worksheet set up to print legibly: landscape, one page wide, header row on every page."""
        title = sheet_name(self.label(name))
        ws = self.book.add_worksheet(title)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        page = self.label("page %(page)s of %(pages)s").replace("%(page)s", "&P").replace("%(pages)s", "&N")
        ws.set_footer(f"&L{title.replace('&', '&&')}&R{page}")
        return ws

    def text(self, ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
        """Write `value` as text, never a formula; text too long for an Excel cell is cut and its cell noted."""
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

    def table(self, name: str, columns: list[Column], items: Sequence[Any], totals: Figures | None = None,
              note: str | None = None, ws: Any = None, first_row: int = 0) -> Any:
        """One Excel table on its own sheet (or at `first_row` of `ws`): header frozen, filters, widths, formats.

        `name` and `note` are English msgids (the table keeps the English name in every language).
        `totals`, when given, adds a total row of SUBTOTAL(109, ...) formulas cached with the model's figures.
        """
        if ws is None:
            ws = self.sheet(name)
        if note:
            ws.write_string(first_row, 0, self.label(note), self.fmt["note"])
            first_row += 1
        headers = [self.label(c.header) for c in columns]
        by_kind = {c.kind: i for i, c in enumerate(columns)}
        header_row = first_row
        last_data = header_row + max(len(items), 1)
        options: dict[str, Any] = {"name": self.table_name(name), "style": "Table Style Medium 2",
                                   "columns": [{"header": h, "format": self.fmt[c.kind]} for h, c in zip(headers, columns, strict=True)]}
        if totals is not None:
            options["total_row"] = True
            for i, column in enumerate(columns):
                options["columns"][i].update(self._total_cell(i, column, by_kind, totals, header_row + 1, last_data))
            options["columns"][0].setdefault("total_string", self.label(N_("Total (visible rows)")))
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

    def table_name(self, name: str) -> str:
        """A workbook-unique table name from an English name: ASCII letters, digits and underscores."""
        base = "T_" + "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in name)
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
                ws.write_formula(row, col, f"=ROUND(MAX({req}{r}-{sec}{r},0),2)", fmt, get(item))
        elif kind == "coverage":
            req, sec = letter["required"], letter["secured"]

            def write(row: int, col: int, item: Any) -> None:
                r, value = row + 1, get(item)
                ws.write_formula(row, col, coverage_formula(f"{sec}{r}", f"{req}{r}"), fmt,
                                 "" if value is None else value)
        elif kind == "status":
            def write(row: int, col: int, item: Any) -> None:
                ws.write_formula(row, col, self.status_formula({k: f"{v}{row + 1}" for k, v in letter.items()}), fmt,
                                 self.status_labels[get(item)])
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
            req, sec = (f"SUBTOTAL(109,{_column_range(by_kind[k], first, last)})" for k in ("required", "secured"))
            return {"total_function": coverage_formula(sec, req), "total_value": "" if cached is None else cached}
        if column.kind == "status":
            refs = {k: f"{xl_col_to_name(by_kind[k])}{last + 2}" for k in ("required", "secured", "surplus", "gap")}
            return {"total_function": self.status_formula(refs), "total_value": self.status_labels[cached]}
        # A plain range: LibreOffice cannot resolve xlsxwriter's "sum" (a structured reference without the table name).
        return {"total_function": f"=SUBTOTAL(109,{_column_range(col, first, last)})", "total_value": cached}

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
        """Save the workbook, warning of any cell whose text was cut to fit Excel."""
        self.book.close()
        if self.cut_cells:
            # Validation caps long text well below Excel's limit, so this should never fire; say so loudly if it does.
            log.warning("catalogue.xlsx: %d cell(s) longer than Excel's 32,767 characters were cut: %s",
                        len(self.cut_cells), ", ".join(self.cut_cells[:10]))


    def status_formula(self, r: dict[str, str]) -> str:
        """The model's funding-status rule (budget.funding_status / sum_figures) as a formula over one row's cells.

        Over-committed: surplus and no gap; unfunded: nothing secured; fully: secured covers required; else partly.
        """
        word = {k: v.replace('"', '""') for k, v in self.status_labels.items()}
        return (f'=IF(AND({r["surplus"]}>0,{r["gap"]}=0),"{word["over_committed"]}",IF({r["secured"]}=0,'
                f'"{word["unfunded"]}",IF({r["secured"]}>={r["required"]},"{word["fully_funded"]}",'
                f'"{word["partly_funded"]}")))')


def _column_range(col: int, first: int, last: int) -> str:
    """Rows first..last (0-based) of one column as an A1 range: "H5:H120"."""
    letter = xl_col_to_name(col)
    return f"{letter}{first + 1}:{letter}{last + 1}"


