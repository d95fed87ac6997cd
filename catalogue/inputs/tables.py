"""Text tables: a CSV file's bytes into rows of cells, with its encoding found or named as the problem.

A Table is what both readers (this one and workbooks.py) hand to rows.py: the
file, the sheet, and the non-blank rows with their 1-based numbers, so that
every value keeps its row (and, through its header, its column).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from catalogue.config import MAX_COLUMNS_PER_SHEET, MAX_ROWS_PER_SHEET
from catalogue.issues import N_, DataIssue, Location, figure, issue, shorten

SAVE_AS_UTF8 = N_("In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'; "
                  "in LibreOffice tick 'Edit filter settings' and choose Unicode (UTF-8).")


@dataclass
class Table:
    """One sheet of cells: a worksheet, or a whole CSV file."""

    file: str
    sheet: str | None
    rows: list[tuple[int, list[Any]]]  # (1-based row number, cell values), blank rows dropped
    hidden: bool = False  # a worksheet the partner cannot see in Excel (hidden or very hidden)


def _looks_like_utf16_without_bom(raw: bytes) -> str | None:
    """'UTF-16' when every other byte is NUL, as Excel's "Unicode text" is without its byte-order mark."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.8 * len(odd) or even.count(0) > 0.8 * len(even):
        return "UTF-16"
    return None


def decode_text(name: str, raw: bytes, issues: list[DataIssue]) -> str | None:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; else Windows-1252 if it decodes cleanly, with a warning.

    Excel on Windows still saves "CSV" as Windows-1252; reading it as such (and
    saying so) is better than mojibake in a donor's PDF or an error a partner
    cannot act on. Bytes that Windows-1252 does not define, and UTF-16 without
    its byte-order mark, mean an encoding we would only be guessing at: an error.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if _looks_like_utf16_without_bom(raw):
        issues.append(issue("file-encoding", Location(name),
                            N_("The file is UTF-16 text without its byte-order mark, so its encoding cannot be told for sure."),
                            SAVE_AS_UTF8))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        first_bad = err.start
    line = raw[:first_bad].count(b"\n") + 1
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        issues.append(issue(
            "file-encoding", Location(name, row=line),
            N_("The file is not UTF-8 text: byte %(byte)s on line %(line)s cannot be read."), SAVE_AS_UTF8,
            params={"byte": f"0x{raw[first_bad]:02x}", "line": line},
        ))
        return None
    issues.append(issue(
        "file-encoding-guessed", Location(name, row=line),
        N_("The file is not UTF-8; it was read as Windows-1252 (from line %(line)s: '%(text)s')."),
        N_("Check that accented names look right in the catalogue; to be sure, save as 'CSV UTF-8' next time."),
        params={"line": line, "text": shorten(text.splitlines()[line - 1], 60)},
    ))
    return text


def _too_large(name: str, message: str, limit: dict[str, str], issues: list[DataIssue]) -> None:
    issues.append(issue("file-unreadable", Location(name), message, N_("Split it into smaller files."), params={"limit": limit}))


def read_csv_table(name: str, raw: bytes, issues: list[DataIssue]) -> Table | None:
    """The CSV's non-blank rows; `;` is the delimiter when the header has more of them than commas."""
    text = decode_text(name, raw, issues)
    if text is None:
        return None
    if "\0" in text:  # the csv module refuses NUL outright; it is an invisible character, not a reason to drop the file
        line = text[: text.index("\0")].count("\n") + 1
        issues.append(issue("text-control-characters", Location(name, row=line),
                            N_("The file holds NUL characters (from line %(line)s); they were removed."),
                            N_("Save the sheet again as 'CSV UTF-8' from Excel or LibreOffice."), params={"line": line}))
        text = text.replace("\0", "")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows: list[tuple[int, list[Any]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Rows are numbered by record, as a spreadsheet shows the file: a quoted line break stays inside its row.
        for number, values in enumerate(reader, start=1):
            if number > MAX_ROWS_PER_SHEET:
                _too_large(name, N_("The file has more than %(limit)s rows."), figure(MAX_ROWS_PER_SHEET), issues)
                return None
            if len(values) > MAX_COLUMNS_PER_SHEET:
                _too_large(name, N_("The file has more than %(limit)s columns."), figure(MAX_COLUMNS_PER_SHEET), issues)
                return None
            if any(v.strip() for v in values):
                rows.append((number, list(values)))
    except csv.Error as err:  # a NUL byte or a field over the size limit
        issues.append(issue("file-unreadable", Location(name, row=reader.line_num),
                            N_("The file cannot be read as CSV near line %(line)s: %(reason)s."),
                            N_("Save the sheet again as 'CSV UTF-8' from Excel or LibreOffice."),
                            params={"line": reader.line_num, "reason": err}))
        return None
    return Table(name, None, rows)
