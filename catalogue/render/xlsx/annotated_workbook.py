"""The partner's own workbook with its problems marked where they were typed.

Each problem cell gets a fill (red for an error, amber for a warning) and a comment holding the message and
what to do, in the partner's language; a first sheet lists every problem with a link to its cell. Nothing
else changes: values, formulas, styles, validations, hidden sheets and column widths stay as the partner
left them (tests/render/xlsx/test_annotated_workbook.py compares every other cell). The IATI, 360Giving and OCDS
checkers report problems on a page; partners fix them in the sheet, so the sheet shows them.

Text from the workbook and the findings is written as text, never as a formula: openpyxl would store a
string starting with '=' as a formula, so every written cell is forced to a string.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from catalogue.issues import N_
from catalogue.render.words.issue_text import Gettext, finding_hint, finding_place, finding_text, finding_title

FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}  # Excel's own "bad" and "neutral" fills, known to every user
AUTHOR = "CMS catalogue"
PROBLEMS_SHEET = N_("Problems")
HEADERS = (N_("Severity"), N_("Where"), N_("Problem"), N_("What to do"), N_("Code"))
SEVERITY = {"error": N_("error"), "warning": N_("warning")}
WHAT_TO_DO = N_("What to do: %(hint)s")
NOT_IN_A_CELL = N_("(the whole sheet or file)")
COMMENT_LIMIT = 32_000  # Excel's limit for a comment is 32,767 characters


def _cell_of(finding: Mapping[str, Any]) -> tuple[str, str] | None:
    """(sheet, A1 reference) of a finding on a cell, or of column A on its row when it names a row only."""
    location = finding.get("location") or {}
    sheet, row, column = location.get("sheet"), location.get("row"), location.get("column")
    if not sheet or row is None:
        return None
    return str(sheet), f"{column if column and str(column).isalpha() else 'A'}{row}"


def _as_text(cell: Any, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with


def _comment_text(findings: Sequence[Mapping[str, Any]], gettext: Gettext) -> str:
    parts = []
    for f in findings:
        severity = gettext(SEVERITY.get(str(f.get("severity")), "error")).upper()
        hint = finding_hint(f, gettext)
        text = f"{severity}: {finding_title(f, gettext)}\n{finding_text(f, gettext)}"
        parts.append(text + ("\n" + gettext(WHAT_TO_DO) % {"hint": hint} if hint else ""))
    return "\n\n".join(parts)[:COMMENT_LIMIT]


def _writable(sheet: Worksheet, ref: str) -> Any:
    """The cell at `ref`, or the first cell of the merged range it lies in (the only one that holds anything)."""
    cell = sheet[ref]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if ref in merged:
                return sheet.cell(merged.min_row, merged.min_col)
    return cell


def _mark(sheet: Worksheet, ref: str, findings: Sequence[Mapping[str, Any]], gettext: Gettext) -> None:
    cell = _writable(sheet, ref)
    worst = "error" if any(f.get("severity") == "error" for f in findings) else "warning"
    cell.fill = PatternFill(fill_type="solid", start_color=FILLS[worst], end_color=FILLS[worst])
    text = _comment_text(findings, gettext)
    comment = Comment(text, AUTHOR)
    comment.width, comment.height = 420, min(60 + 18 * text.count("\n") + len(text) // 3, 600)
    cell.comment = comment


def _problems_sheet(book: Workbook, rows: Sequence[Mapping[str, Any]], gettext: Gettext) -> None:
    """The first sheet: every problem, errors first, each with a link to its cell."""
    title = gettext(PROBLEMS_SHEET)[:31]
    while title in book.sheetnames:
        title = ("_" + title)[:31]
    sheet = book.create_sheet(title, 0)
    for column, header in enumerate(HEADERS, start=1):
        _as_text(sheet.cell(1, column), gettext(header))
        sheet.cell(1, column).font = Font(bold=True)
    for number, finding in enumerate(rows, start=2):
        place = _cell_of(finding)
        where = finding_place(finding, gettext, with_file=False) or gettext(NOT_IN_A_CELL)
        values = (gettext(SEVERITY.get(str(finding.get("severity")), "error")), where,
                  f"{finding_title(finding, gettext)} — {finding_text(finding, gettext)}",
                  finding_hint(finding, gettext), str(finding.get("code", "")))
        for column, value in enumerate(values, start=1):
            _as_text(sheet.cell(number, column), value)
            sheet.cell(number, column).alignment = Alignment(wrap_text=True, vertical="top")
        if place is not None and place[0] in book.sheetnames:
            link = sheet.cell(number, 2)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{place[0]}'!{place[1]}")
            link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDE", (12, 34, 70, 60, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    book.active = 0
    for other in book.worksheets[1:]:
        other.sheet_view.tabSelected = False


def openable(findings: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the checks opened and read the workbook these findings are about, so it can be marked.

    A workbook the checks refused (damaged, encrypted, a declared DTD, a sheet reaching past the limits) is
    never opened again here: the checks read it with guarded readers, openpyxl has no such guards.
    """
    refused = {"file-unreadable", "file-password-protected", "file-type-unsupported", "sheet-too-large"}
    whole_file_empty = any(f.get("code") == "file-empty" and not (f.get("location") or {}).get("sheet")
                           for f in findings)
    return not whole_file_empty and not any(f.get("code") in refused for f in findings)


def annotatable(source: Path, findings: Sequence[Mapping[str, Any]]) -> bool:
    """Whether `source` is an .xlsx workbook the checks opened and read (see openable)."""
    return source.suffix.lower() == ".xlsx" and source.is_file() and openable(findings)


def annotate_workbook(source: Path, findings: Sequence[Mapping[str, Any]], gettext: Gettext, target: Path) -> int:
    """Write `source` with `findings` marked to `target`; the number of cells marked.

    `findings` are the finding dicts about this workbook (catalogue/issues.DataIssue.to_dict()), in the order
    a person fixes them; a finding on a sheet the workbook does not have is listed, not marked.
    """
    book = load_workbook(source, keep_links=True, rich_text=True)
    by_cell: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for finding in findings:
        place = _cell_of(finding)
        if place is not None and place[0] in book.sheetnames:
            by_cell[place].append(finding)
    for (sheet_name, ref), found in by_cell.items():
        _mark(book[sheet_name], ref, found, gettext)
    _problems_sheet(book, findings, gettext)
    book.calculation.fullCalcOnLoad = True  # openpyxl keeps formulas but not their results: computed on opening
    book.save(target)
    return len(by_cell)
