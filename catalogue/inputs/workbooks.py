"""Workbooks: an .xlsx file's bytes into one Table per worksheet, read by python-calamine behind guards.

calamine (a Rust reader) reads cells about ten times faster than openpyxl,
but it would allocate a sheet's whole rectangle at once, so a stray cell at
XFD1048576 would take the process down. Every guard therefore runs on the
zip and its XML before calamine sees it:

- what the bytes are: a password-protected workbook, an old .xls or a text
  file renamed .xlsx each get their own plain-words message;
- the zip: refused when it would unpack too far (a "zip bomb");
- every XML part: refused when it declares a DTD, so no entity is expanded
  by anyone (Office never writes one);
- each worksheet's real extent, from its cells' references: a value beyond
  the row or column cap is refused, with its cell named, before any reading.

openpyxl (read-only, streaming) is kept for one case calamine cannot be
guarded for: a worksheet whose cells carry no references (allowed by the
standard, written by a few generators), whose extent cannot be known
without reading it.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from catalogue.config import (
    MAX_COLUMNS_PER_SHEET,
    MAX_ROWS_PER_SHEET,
    MAX_XLSX_COMPRESSION_RATIO,
    MAX_XLSX_UNPACKED_BYTES,
)
from catalogue.inputs.coerce import UnsavedFormula, is_blank
from catalogue.inputs.files import SAVE_AS_XLSX
from catalogue.inputs.tables import Table
from catalogue.inputs.workbook_extent import Extent
from catalogue.inputs.xml_parts import SheetPart, WorkbookParts, XmlPartError, read_workbook_parts
from catalogue.issues import N_, DataIssue, Location, figure, issue

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s([^>]*\bt="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_PLAIN_DIGITS_BELOW = 1e21  # integral floats below this become ints; a 1e300 stays a float, not 300 digits


def _not_a_workbook(raw: bytes) -> tuple[str, str] | None:
    """(message, hint) when the bytes are not a zip workbook at all; None when they may be one."""
    if raw.startswith(b"PK"):
        return None
    if raw.startswith(_OLE_MAGIC):
        if _ENCRYPTED in raw:
            return (N_("The workbook is protected with a password, so it cannot be read."),
                    N_("In Excel: File > Info > Protect Workbook > Encrypt with Password, clear the password, save, "
                       "and send the file again (in LibreOffice: File > Save As, untick 'Save with password')."))
        return (N_("The file is an old Excel 97-2003 workbook (.xls) with an .xlsx name."), SAVE_AS_XLSX)
    sample = raw[:4096]
    if b"\0" not in sample:
        return (N_("The file is text, not an Excel workbook: it was probably renamed to .xlsx."),
                N_("Open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx); "
                   "or, if it is a CSV file, give it the .csv extension."))
    return (N_("The file is not an Excel workbook."), SAVE_AS_XLSX)


def _zip_too_big(archive: zipfile.ZipFile, packed: int) -> tuple[str, dict[str, Any]] | None:
    """Why this workbook must not be opened (a message and its parameters), judged from its zip directory alone."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        return (N_("The workbook was not opened: it would unpack to %(size)s MB (the limit is %(limit)s MB)."),
                {"size": figure(round(unpacked / 2**20)), "limit": figure(round(MAX_XLSX_UNPACKED_BYTES / 2**20))})
    if unpacked > 10_000_000 and unpacked > MAX_XLSX_COMPRESSION_RATIO * packed:
        return (N_("The workbook was not opened: it is packed %(ratio)s times (a normal workbook is packed under 20 times)."),
                {"ratio": figure(round(unpacked / packed))})
    return None


def _extent_problem(extent: Extent) -> tuple[str, str, dict[str, Any]] | None:
    """(message, cell, parameters) when the sheet reaches beyond the caps; None when it may be read."""
    if extent.rows > MAX_ROWS_PER_SHEET:
        return (N_("The sheet has a value in cell %(cell)s, beyond the limit of %(limit)s rows."),
                extent.last_row_cell, {"cell": extent.last_row_cell, "limit": figure(MAX_ROWS_PER_SHEET)})
    if extent.columns > MAX_COLUMNS_PER_SHEET:
        return (N_("The sheet has a value in cell %(cell)s, beyond the limit of %(limit)s columns (%(letter)s)."),
                extent.last_column_cell, {"cell": extent.last_column_cell, "limit": figure(MAX_COLUMNS_PER_SHEET),
                                          "letter": get_column_letter(MAX_COLUMNS_PER_SHEET)})
    return None


def _cell_location(name: str, sheet: str, cell: str) -> Location:
    match = re.match(r"([A-Z]+)([0-9]+)$", cell)
    if match is None:
        return Location(name, sheet)
    return Location(name, sheet, int(match[2]), match[1])


def _plain(value: Any) -> Any:
    """calamine's cell values as openpyxl gave them: a whole number as an int, so 40600 stays `40600`, not `40600.0`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < _PLAIN_DIGITS_BELOW:
        return int(value)
    return value


def _error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """Cells holding an error (#N/A, #DIV/0!): calamine reads them as blank, a partner should hear about them."""
    found: dict[tuple[int, int], str] = {}
    if b't="e"' not in xml:
        return found
    for attributes, body in _ERROR_CELL.findall(xml):
        ref, value = _REF_ATTR.search(attributes), _VALUE.search(body)
        if ref is not None and value is not None:
            found[(int(ref[2]), column_index_from_string(ref[1].decode()))] = value[1].decode("utf-8", "replace")
    return found


_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>([^<]*)</(?:\w+:)?f>)")


def _unsaved_formulas(xml: bytes) -> dict[tuple[int, int], str]:
    """Cells holding a formula without its result: calamine reads them as blank, and a blank is not what the
    partner typed. No <v>, or an empty one on a cell that is not text (openpyxl writes `<v></v>`), is no result;
    an empty text result that was saved (`t="str"` with `<v></v>`) is a result."""
    found: dict[tuple[int, int], str] = {}
    if b"<f" not in xml and b":f" not in xml:
        return found
    for attributes, body in _CELL.findall(xml):
        formula = _FORMULA.search(body) if body else None
        if formula is None:
            continue
        value = _VALUE.search(body)
        if (value is not None and value[1]) or (value is not None and b't="str"' in attributes):
            continue
        if (ref := _REF_ATTR.search(attributes)) is not None:
            text = html.unescape(formula[1].decode("utf-8", "replace")) if formula[1] else ""
            found[(int(ref[2]), column_index_from_string(ref[1].decode()))] = UnsavedFormula("=" + text if text else "")
    return found


def _rows_from_calamine(sheet: Any, marks: dict[tuple[int, int], str]) -> list[tuple[int, list[Any]]]:
    """The sheet's rows, with what calamine reads as blank put back: error values (#N/A) and unsaved formulas."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, column), text in marks.items():
        by_row.setdefault(row, []).append((column, text))
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(sheet.to_python(skip_empty_area=False), start=1):
        cells = [_plain(v) for v in values]
        for column, text in by_row.get(number, ()):
            cells.extend([""] * (column - len(cells)))
            cells[column - 1] = text
        if any(not is_blank(v) or isinstance(v, UnsavedFormula) for v in cells):
            rows.append((number, cells))
    return rows


def _rows_from_openpyxl(raw: bytes, title: str) -> list[tuple[int, list[Any]]]:
    """One sheet's rows streamed by openpyxl, for a sheet whose extent cannot be known in advance (see module doc)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(workbook[title].iter_rows(values_only=True, max_col=MAX_COLUMNS_PER_SHEET), start=1):
            if number > MAX_ROWS_PER_SHEET:
                raise XmlPartError(N_("The sheet has more than %(limit)s rows."), limit=figure(MAX_ROWS_PER_SHEET))
            if any(not is_blank(v) for v in values):
                rows.append((number, list(values)))
        return rows
    finally:
        workbook.close()


def _sheet_rows(raw: bytes, workbook: Any, sheet: SheetPart) -> list[tuple[int, list[Any]]]:
    """One sheet's rows: by calamine when its extent is known, else (or when calamine fails on it) by openpyxl."""
    if sheet.extent.every_cell_referenced:
        try:
            marks = {**_error_cells(sheet.xml), **_unsaved_formulas(sheet.xml)}
            return _rows_from_calamine(workbook.get_sheet_by_name(sheet.title), marks)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001  calamine's errors, and a Rust panic (pyo3's PanicException is a BaseException)
            pass  # e.g. a huge number in a date-formatted cell: openpyxl reads the sheet cell by cell instead
    return _rows_from_openpyxl(raw, sheet.title)


REPAIR = N_("Open it in Excel or LibreOffice (which repair what they can), save it again as .xlsx, and send it again.")


def _damaged(name: str, sheet: str | None, message: str, params: dict[str, Any] | None = None) -> DataIssue:
    return issue("file-unreadable", Location(name, sheet), message, REPAIR, params=params)


def _warn_of_macros(name: str, archive: zipfile.ZipFile, issues: list[DataIssue]) -> None:
    """An .xlsx that carries a VBA project is an .xlsm renamed (or a file made to look harmless): say so.
    Its macros are never run here (calamine reads cells only); the partner should know what they sent."""
    if name.lower().endswith(".xlsx") and any(n.lower().endswith("vbaproject.bin") for n in archive.namelist()):
        issues.append(issue("file-holds-macros", Location(name),
                            N_("The file is named .xlsx but holds macros (a VBA project), as an .xlsm file does. "
                               "Its macros are never run here: only the cells are read."),
                            N_("If the macros are not meant to be there, save the workbook in Excel as "
                               "'Excel Workbook (*.xlsx)' and send it again; otherwise there is nothing to do.")))


def _open_parts(name: str, raw: bytes, issues: list[DataIssue]) -> WorkbookParts | None:
    refused = _not_a_workbook(raw)
    if refused is not None:
        code = "file-password-protected" if "password" in refused[0] else "file-unreadable"
        issues.append(issue(code, Location(name), *refused))
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            too_big = _zip_too_big(archive, len(raw))
            if too_big is not None:
                issues.append(issue("file-unreadable", Location(name), too_big[0],
                                    N_("Save the workbook again from Excel or LibreOffice without pictures or unused sheets; "
                                       "if it really holds that much, split it."), params=too_big[1]))
                return None
            parts = read_workbook_parts(archive)
            _warn_of_macros(name, archive, issues)
            return parts
    except XmlPartError as err:
        issues.append(_damaged(name, None, err.template, err.params))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
        issues.append(_damaged(name, None, N_("The workbook is damaged: its zip structure cannot be read.")))
    return None


def read_workbook(name: str, raw: bytes, issues: list[DataIssue]) -> dict[str, Table] | None:
    """One Table per worksheet (chart sheets have no cells), or None with the reason in `issues`."""
    parts = _open_parts(name, raw, issues)
    if parts is None:
        return None
    from python_calamine import CalamineWorkbook

    tables: dict[str, Table] = {}
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001  calamine's errors share no base class, and a Rust panic is a BaseException
        issues.append(_damaged(name, None, N_("The workbook is damaged: its contents cannot be read.")))
        return None
    for sheet in parts.sheets:
        problem = _extent_problem(sheet.extent)
        if problem is not None:
            issues.append(issue("sheet-too-large", _cell_location(name, sheet.title, problem[1]), problem[0],
                                N_("Delete the stray value in %(cell)s (select it, press Delete, save), or split the data."),
                                params=problem[2]))
            return None
        try:
            rows = _sheet_rows(raw, workbook, sheet)
        except XmlPartError as err:
            issues.append(issue("file-unreadable", Location(name, sheet.title), err.template, N_("Split it into smaller files."),
                                params=err.params))
            return None
        except Exception:  # openpyxl's errors on a sheet neither reader can make sense of
            issues.append(_damaged(name, sheet.title, N_("The workbook is damaged: the sheet '%(sheet)s' cannot be read."),
                                   {"sheet": sheet.title}))
            return None
        tables[sheet.title] = Table(name, sheet.title, rows, hidden=sheet.hidden)
    return tables
