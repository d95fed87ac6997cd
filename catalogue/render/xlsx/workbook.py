"""The one safe xlsx writer: every workbook the catalogue writes is opened here, with the safety options.

Partner and donor text is data. With strings_to_formulas, strings_to_urls and
strings_to_numbers off, a title such as `=HYPERLINK(...)`, `http://...` or
`1e5` is written as the text it is, never as a formula, a link or a number.
The catalogue workbook, the pack and statement extracts and the partner
template all use `safe_workbook`; the small sheets of the extracts use the
list and facts writers below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

SAFE_OPTIONS: dict[str, bool] = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
EXCEL_CELL_LIMIT = 32_767
SHEET_NAME_LIMIT = 31
CUT_MARKER = " [… cut here: the full text is longer than an Excel cell can hold; see catalogue.json]"


def safe_workbook(path: Path, workbook_class: type[xlsxwriter.Workbook] = xlsxwriter.Workbook,
                  **options: Any) -> xlsxwriter.Workbook:
    """A new workbook at `path` that writes text as text; `options` may add to the safety options, never undo them."""
    return workbook_class(str(path), {**options, **SAFE_OPTIONS})


def excel_length(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units (a character outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def fit_cell_text(text: str) -> tuple[str, bool]:
    """Text that fits one Excel cell, cut with a visible marker when it does not; True when cut."""
    if excel_length(text) <= EXCEL_CELL_LIMIT:
        return text, False
    budget = EXCEL_CELL_LIMIT - excel_length(CUT_MARKER)
    kept = text[:budget]
    while excel_length(kept) > budget:  # astral characters count twice
        kept = kept[:-1]
    return kept + CUT_MARKER, True


def sheet_name(text: str) -> str:
    """A translated label usable as a sheet name: no []:*?/\\ characters, at most 31 characters."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in text).strip("' ")
    return cleaned[:SHEET_NAME_LIMIT].rstrip()


def write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """One cell by the value's type: blank, text (as text, cut to fit), date, or number.

    Decimal becomes float only here, for the cell; the exact cents are in the model and in catalogue.json.
    """
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, fit_cell_text(value)[0], fmt)
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, fit_cell_text(str(value))[0], fmt)


@dataclass(frozen=True)
class ListColumn:
    """A column of a plain list sheet: its (translated) title, the style of its cells, its width."""

    title: str
    style: str
    width: float


def write_list_sheet(book: xlsxwriter.Workbook, name: str, columns: Sequence[ListColumn],
                     rows: Sequence[Sequence[Any]], styles: Mapping[str, Format | None], head: Format,
                     *, freeze_columns: int = 0) -> Worksheet:
    """A sheet with a header row, one row per item, frozen header and an autofilter."""
    ws = book.add_worksheet(sheet_name(name))
    for col, column in enumerate(columns):
        ws.write_string(0, col, column.title, head)
        ws.set_column(col, col, column.width)
    for r, values in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            write_value(ws, r, col, value, styles[column.style])
    ws.freeze_panes(1, freeze_columns)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    return ws


def write_facts(ws: Worksheet, facts: Sequence[tuple[str, Any, str]], label: Format,
                styles: Mapping[str, Format | None], first_row: int = 0) -> int:
    """(label, value, style) pairs down columns A:B; returns the row after the last."""
    row = first_row
    for text, value, style in facts:
        ws.write_string(row, 0, text, label)
        write_value(ws, row, 1, value, styles[style])
        row += 1
    return row


def extract_styles(book: xlsxwriter.Workbook, currency: str) -> tuple[dict[str, Format | None], Format, Format]:
    """The cell styles of a pack or statement extract, its header style and its bold label style."""
    add = book.add_format
    top = {"valign": "top"}
    styles: dict[str, Format | None] = {
        "text": add(top),
        "wrap": add({**top, "text_wrap": True}),
        "int": add({**top, "num_format": "0"}),
        "money": add({**top, "num_format": f'"{currency}" #,##0.00'}),
        "original": add({**top, "num_format": "#,##0.00########"}),
        "pct": add({**top, "num_format": "0.00%"}),
        "date": add({**top, "num_format": "yyyy-mm-dd"}),
    }
    head = add({"bold": True, "bg_color": "#0F4C5C", "font_color": "#FFFFFF", "text_wrap": True, "valign": "top"})
    return styles, head, add({"bold": True, "valign": "top"})
