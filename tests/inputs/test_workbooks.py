"""The workbook reader's guards, each from more than one angle: what the bytes are, the XML, the extent."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date

from openpyxl import Workbook

from catalogue.config import MAX_COLUMNS_PER_SHEET, MAX_ROWS_PER_SHEET
from catalogue.inputs.tables import read_csv_table
from catalogue.inputs.workbook_extent import sheet_extent
from catalogue.inputs.workbooks import read_workbook
from catalogue.issues import DataIssue


def _workbook(edit: Callable[[Workbook], None] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Activities"
    sheet.append(["id", "title", "start", "amount"])
    sheet.append(["A-001", "Nest guarding", date(2025, 3, 15), 40600])
    sheet.append(["A-002", "Survey", "15/03/2025", 1200.5])
    if edit is not None:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_xml(raw: bytes, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def test_values_keep_their_types_and_rows() -> None:
    issues: list[DataIssue] = []
    tables = read_workbook("w.xlsx", _workbook(), issues)
    assert not issues and tables is not None
    rows = tables["Activities"].rows
    assert [number for number, _ in rows] == [1, 2, 3]
    assert rows[1][1][3] == 40600 and isinstance(rows[1][1][3], int)  # a whole number stays an int (Decimal('40600'))
    assert rows[2][1][3] == 1200.5
    assert rows[1][1][2] in (date(2025, 3, 15),) or rows[1][1][2].date() == date(2025, 3, 15)


def test_a_stray_value_at_the_last_row_and_column_is_refused_by_its_cell() -> None:
    def stray(workbook: Workbook) -> None:
        workbook["Activities"].cell(row=1_048_576, column=16_384, value="x")
    issues: list[DataIssue] = []
    assert read_workbook("w.xlsx", _workbook(stray), issues) is None
    assert [(i.code, i.location.cell()) for i in issues] == [("sheet-too-large", "Activities!XFD1048576")]


def test_a_stray_value_beyond_the_column_cap_alone_is_refused() -> None:
    def wide(workbook: Workbook) -> None:
        workbook["Activities"].cell(row=2, column=MAX_COLUMNS_PER_SHEET + 1, value="x")
    issues: list[DataIssue] = []
    assert read_workbook("w.xlsx", _workbook(wide), issues) is None
    assert issues[0].code == "sheet-too-large" and "columns" in issues[0].message


def test_styled_empty_cells_far_away_do_not_count() -> None:
    from openpyxl.styles import Font

    def styled(workbook: Workbook) -> None:
        workbook["Activities"].cell(row=MAX_ROWS_PER_SHEET + 5, column=16_000).font = Font(bold=True)
    issues: list[DataIssue] = []
    tables = read_workbook("w.xlsx", _workbook(styled), issues)
    assert not issues and tables is not None and len(tables["Activities"].rows) == 3


def test_sheet_extent_reads_references_only() -> None:
    xml = b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="AB7"><v>1</v></c><c r="ZZ9" s="1"/></row></sheetData>'
    extent = sheet_extent(xml)
    assert (extent.rows, extent.columns, extent.last_column_cell) == (7, 28, "AB7")
    assert extent.every_cell_referenced
    assert not sheet_extent(b"<row><c><v>1</v></c></row>").every_cell_referenced
    # An empty styled cell written with a closing tag (openpyxl does, with lxml installed) holds no value either.
    assert sheet_extent(b'<row r="1"><c r="B2"><v>1</v></c><c r="WQJ200005" s="1" t="n"></c></row>').rows == 2


def test_cells_without_references_are_read_by_the_streaming_reader() -> None:
    raw = _sheet_xml(_workbook(), lambda data: re.sub(rb' r="[A-Z]+[0-9]+"', b"", data))
    issues: list[DataIssue] = []
    tables = read_workbook("w.xlsx", raw, issues)
    assert not issues and tables is not None
    assert tables["Activities"].rows[1][1][:2] == ["A-001", "Nest guarding"]


def test_an_error_cell_is_read_as_its_error_text_not_as_blank() -> None:
    raw = _sheet_xml(_workbook(), lambda data: data.replace(b"</row></sheetData>", b'<c r="E3" t="e"><v>#N/A</v></c></row></sheetData>'))
    issues: list[DataIssue] = []
    tables = read_workbook("w.xlsx", raw, issues)
    assert tables is not None and tables["Activities"].rows[2][1][4] == "#N/A"


def test_entities_are_never_expanded() -> None:
    doctype = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    issues: list[DataIssue] = []
    assert read_workbook("w.xlsx", _sheet_xml(_workbook(), lambda data: doctype + data), issues) is None
    assert issues[0].code == "file-unreadable" and "DTD" in issues[0].message


def test_a_dtd_in_a_part_named_otherwise_is_refused_too() -> None:
    """The package's relationships may name any part as the workbook (here xl/wb.bin): it is checked where it is
    parsed, whatever its name."""
    doctype = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    out = io.BytesIO()
    renamed = {"xl/workbook.xml": "xl/wb.bin", "xl/_rels/workbook.xml.rels": "xl/_rels/wb.bin.rels"}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"?>", b"?>" + doctype, 1) if data.startswith(b"<?xml") else doctype + data
            if info.filename == "_rels/.rels":
                data = data.replace(b"xl/workbook.xml", b"xl/wb.bin")
            target.writestr(renamed.get(info.filename, info.filename), data)
    issues: list[DataIssue] = []
    assert read_workbook("w.xlsx", out.getvalue(), issues) is None
    assert issues[0].code == "file-unreadable" and "DTD" in issues[0].message and "xl/wb.bin" in issues[0].message


def test_what_the_bytes_are_is_said_in_plain_words() -> None:
    cases = {
        b"id,title\nA-001,Nest guarding\n": ("file-unreadable", "text"),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le"): ("file-password-protected", "password"),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600: ("file-unreadable", "97-2003"),
        b"PK\x03\x04" + b"\0" * 100: ("file-unreadable", "damaged"),
    }
    for raw, (code, words) in cases.items():
        issues: list[DataIssue] = []
        assert read_workbook("w.xlsx", raw, issues) is None
        assert issues[0].code == code and words in issues[0].message, issues[0].message
        assert not re.search(r"[A-Z][a-z]+(Error|Exception|File)\b", issues[0].message), issues[0].message
        if code == "file-password-protected":
            assert "password" in issues[0].hint


def test_utf16_without_a_byte_order_mark_is_an_encoding_problem() -> None:
    issues: list[DataIssue] = []
    assert read_csv_table("p.csv", "id,title\r\nA-001,Nest\r\n".encode("utf-16-le"), issues) is None
    assert issues[0].code == "file-encoding" and "UTF-16" in issues[0].message
    with_bom: list[DataIssue] = []
    table = read_csv_table("p.csv", "id,title\r\nA-001,Nest\r\n".encode("utf-16"), with_bom)
    assert not with_bom and table is not None and table.rows[1][1] == ["A-001", "Nest"]


def test_a_huge_number_in_a_date_cell_does_not_take_the_reader_down() -> None:
    """calamine panics (a Rust panic, a BaseException) converting it to a date; the sheet is read by openpyxl instead."""
    def huge_date(workbook: Workbook) -> None:
        cell = workbook["Activities"].cell(row=2, column=3, value=10**20)
        cell.number_format = "yyyy-mm-dd"
    issues: list[DataIssue] = []
    tables = read_workbook("w.xlsx", _workbook(huge_date), issues)
    assert tables is not None or [i.code for i in issues] == ["file-unreadable"]
    if tables is not None:
        assert tables["Activities"].rows[1][1][:2] == ["A-001", "Nest guarding"]
