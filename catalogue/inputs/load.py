"""Read the inputs folder (CSV, XLSX, JSON) into records that remember where every value came from.

Nothing here judges the data beyond what it takes to read it: values are
coerced to the schema's types where that is unambiguous (see coerce.py) and
otherwise kept as typed, so validation can name them. Problems that stop a
file or a sheet from being read at all become DataIssues here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from catalogue.config import (
    MAX_INPUT_FILE_BYTES,
    MAX_ROWS_PER_SHEET,
    MAX_XLSX_COMPRESSION_RATIO,
    MAX_XLSX_UNPACKED_BYTES,
)
from catalogue.inputs.coerce import coerce_cell, is_blank, to_text
from catalogue.inputs.schemas import FieldSpec, TableSpec, kind_spec
from catalogue.issues import DataIssue, Location, issue, shorten

Path_ = tuple[Any, ...]  # a path inside a record: ("budget_lines", 0, "amount")

# Where each kind lives in inputs/ (file stem), its main sheet, and its child sheets.
KIND_STEMS: dict[str, str] = {
    "fx_rate": "fx_rates",
    "partner": "partners",
    "priority": "priorities",
    "secretariat_task": "secretariat_tasks",
}
WORKPLANS_DIR = "workplans"
DONORS_DIR = "donors"  # optional: donor profiles, one file per donor, for donor packs
MAIN_SHEETS: dict[str, str] = {
    "fx_rate": "FX rates",
    "partner": "Partners",
    "priority": "Priorities",
    "secretariat_task": "Tasks",
    "workplan_activity": "Activities",
    "donor": "Donors",
}
CHILD_SHEETS: dict[str, str] = {"budget_lines": "Budget", "funding_lines": "Funding"}
PARENT_KEYS: dict[str, str] = {"secretariat_task": "task_id", "workplan_activity": "activity_id"}
READABLE = (".xlsx", ".xlsm", ".csv", ".json")
NOT_READABLE = {".xls": "Excel 97-2003", ".ods": "OpenDocument", ".xlsb": "Excel binary", ".numbers": "Apple Numbers"}
SAVE_AS_XLSX = "Open it and save it as an Excel workbook (.xlsx), then run again"


@dataclass(frozen=True)
class InputFile:
    """One file read, for provenance."""

    name: str  # relative to the inputs folder, with / separators
    kind: str
    sha256: str
    size: int


@dataclass
class RowRef:
    """The row a record (or one of its lines) came from, and where each of its fields' columns is."""

    location: Location
    columns: dict[str, tuple[str, str]]  # field column name -> (letter or header, header text)
    missing_columns: frozenset[str] = frozenset()


@dataclass
class Record:
    """One input record (a partner, a priority, an activity with its lines) and the origin of its values."""

    kind: str
    data: dict[str, Any]
    origin: Location
    # Only rows are remembered (with where each field's column is): a cell's place is derived from its row,
    # which keeps a million-cell input set in a few hundred MB less than one Location per cell did.
    rows: dict[Path_, RowRef] = field(default_factory=dict)

    @property
    def id(self) -> str | None:
        value = self.data.get("id", self.data.get("currency"))
        return value if isinstance(value, str) else None

    def locate(self, path: Path_, missing: str | None = None) -> Location:
        """The most precise place known for a value at `path` (or for a field `missing` below it)."""
        full = tuple(path) + ((missing,) if missing is not None else ())
        for k in range(len(full), -1, -1):
            ref = self.rows.get(full[:k])
            if ref is None:
                continue
            rest = full[k:]
            column = "/".join(str(p) for p in rest if not isinstance(p, int))
            if not column:
                return ref.location
            if column in ref.columns:
                letter, header = ref.columns[column]
                return _with_column(ref.location, letter, header)
            if ref.location.path is not None:  # a JSON record: the value's own JSON path
                return Location(ref.location.file, path=ref.location.path + "/" + "/".join(str(p) for p in rest))
            return ref.location
        return self.origin

    def column_missing(self, path: Path_, name: str) -> bool:
        """True when the sheet has no column at all for this field (already reported once)."""
        for k in range(len(path), -1, -1):
            ref = self.rows.get(tuple(path[:k]))
            if ref is not None:
                column = "/".join(str(p) for p in (tuple(path[k:]) + (name,)) if not isinstance(p, int))
                return column in ref.missing_columns
        return False


@dataclass
class LoadedInputs:
    records: dict[str, list[Record]]
    settings: Record | None
    files: list[InputFile]
    issues: list[DataIssue]


def _with_column(loc: Location, letter: str, header: str) -> Location:
    return Location(file=loc.file, sheet=loc.sheet, row=loc.row, column=letter, header=header, path=loc.path)


def _normalise_header(text: str) -> str:
    return re.sub(r"[\s_]+", "_", text.strip().lower())


def _header_aliases(table: TableSpec, extra: tuple[str, ...]) -> dict[str, str]:
    """Header text (normalised) -> field column: the field path (`contact/name`) or its title (`Contact name`)."""
    aliases: dict[str, str] = {}
    for column, spec in table.fields.items():
        aliases[_normalise_header(spec.title)] = column
    for column in table.fields:
        aliases[_normalise_header(column)] = column  # the field path wins over a title that clashes
    for column in extra:
        aliases[_normalise_header(column)] = column
    return aliases


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    """One sheet of cells: a worksheet, or a whole CSV file."""

    file: str
    sheet: str | None
    rows: list[tuple[int, list[Any]]]  # (1-based row number, cell values), blank rows dropped


def _decode_text(name: str, raw: bytes, issues: list[DataIssue]) -> str | None:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; else Windows-1252 if it decodes cleanly, with a warning.

    Excel on Windows still saves "CSV" as Windows-1252; reading it as such (and
    saying so) is better than mojibake in a donor's PDF or an error a partner
    cannot act on. Bytes that Windows-1252 does not define mean an encoding we
    would only be guessing at: that is an error.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
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
            f"The file is not UTF-8 text: byte 0x{raw[first_bad]:02x} on line {line} cannot be read.",
            "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'; in LibreOffice tick 'Edit filter settings' and choose Unicode (UTF-8).",
        ))
        return None
    issues.append(issue(
        "file-encoding-guessed", Location(name, row=line),
        f"The file is not UTF-8; it was read as Windows-1252 (from line {line}: '{shorten(text.splitlines()[line - 1], 60)}').",
        "Check that accented names look right in the catalogue; to be sure, save as 'CSV UTF-8' next time.",
    ))
    return text


def _read_csv_table(name: str, raw: bytes, issues: list[DataIssue]) -> Table | None:
    text = _decode_text(name, raw, issues)
    if text is None:
        return None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows: list[tuple[int, list[Any]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Rows are numbered by record, as a spreadsheet shows the file: a quoted line break stays inside its row.
    for number, values in enumerate(reader, start=1):
        if number > MAX_ROWS_PER_SHEET:
            issues.append(issue("file-unreadable", Location(name), f"The file has more than {MAX_ROWS_PER_SHEET:,} rows.",
                                "Split it into smaller files."))
            return None
        if any(v.strip() for v in values):
            rows.append((number, list(values)))
    return Table(name, None, rows)


def _zip_too_big(raw: bytes) -> str | None:
    """Why this workbook must not be opened, judged from its zip directory alone; None when it is fine."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a zip at all: openpyxl reports it as unreadable
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        return f"it would unpack to {unpacked / 2**20:,.0f} MB (the limit is {MAX_XLSX_UNPACKED_BYTES / 2**20:,.0f} MB)"
    if unpacked > 10_000_000 and unpacked > MAX_XLSX_COMPRESSION_RATIO * len(raw):
        return f"it is packed {unpacked / len(raw):,.0f} times (a normal workbook is packed under 20 times)"
    return None


def _read_workbook(name: str, raw: bytes, issues: list[DataIssue]) -> dict[str, Table] | None:
    too_big = _zip_too_big(raw)
    if too_big is not None:
        issues.append(issue("file-unreadable", Location(name), f"The workbook was not opened: {too_big}.",
                            "Save the workbook again from Excel or LibreOffice without pictures or unused sheets; "
                            "if it really holds that much, split it."))
        return None
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as err:
        issues.append(issue("file-unreadable", Location(name), f"The workbook cannot be opened ({type(err).__name__}).",
                            SAVE_AS_XLSX))
        return None
    tables: dict[str, Table] = {}
    try:
        for worksheet in workbook.worksheets:
            rows: list[tuple[int, list[Any]]] = []
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS_PER_SHEET:
                    issues.append(issue("file-unreadable", Location(name, sheet=worksheet.title),
                                        f"The sheet has more than {MAX_ROWS_PER_SHEET:,} rows.", "Split it into smaller files."))
                    return None
                if any(not is_blank(v) for v in values):
                    rows.append((number, list(values)))
            tables[worksheet.title] = Table(name, worksheet.title, rows)
    finally:
        workbook.close()
    return tables


# --------------------------------------------------------------------------- table -> records


@dataclass
class _Columns:
    by_field: dict[str, int]  # field column -> 0-based index
    refs: dict[str, tuple[str, str]]  # field column -> (letter or header, header text)
    missing: frozenset[str]
    header_row: int


def _fill_merged_headers(table: Table, header_row: int, headers: list[Any], aliases: dict[str, str]) -> list[Any]:
    """A header typed in a cell merged down over two header rows sits above the header row: take it from there.

    (openpyxl's read-only mode does not report merged ranges, and the merged cell's lower half reads as blank.)
    """
    above = [values for number, values in table.rows if number < header_row][-2:]
    for index, value in enumerate(headers):
        if not is_blank(value):
            continue
        for values in reversed(above):
            if index < len(values) and isinstance(values[index], str) and _normalise_header(values[index]) in aliases:
                headers[index] = values[index]
                break
    return headers


def _map_columns(table: Table, spec: TableSpec, extra: tuple[str, ...], issues: list[DataIssue]) -> _Columns | None:
    aliases = _header_aliases(spec, extra)
    if not table.rows:
        return None
    # The header is the first of the top rows that names at least two known columns (title rows above it are allowed).
    header_row, headers = table.rows[0]
    for number, values in table.rows[:10]:
        known = sum(1 for v in values if isinstance(v, str) and _normalise_header(v) in aliases)
        if known >= min(2, len(aliases)):
            header_row, headers = number, values
            break
    headers = _fill_merged_headers(table, header_row, list(headers), aliases)
    by_field: dict[str, int] = {}
    refs: dict[str, tuple[str, str]] = {}
    unknown: list[str] = []
    for index, raw_header in enumerate(headers):
        if is_blank(raw_header):
            continue
        header = str(raw_header).strip()
        column = aliases.get(_normalise_header(header))
        letter = get_column_letter(index + 1) if table.sheet is not None else header
        if column is None:
            unknown.append(header)
            continue
        if column in by_field:
            issues.append(issue("column-duplicate", Location(table.file, table.sheet, header_row, letter, header),
                                f"The column '{header}' appears twice; the second one would be ignored.",
                                "Delete or rename one of the two columns."))
            continue
        by_field[column] = index
        refs[column] = (letter, header)
    if unknown:
        issues.append(issue("column-unknown", Location(table.file, table.sheet, header_row),
                            f"Columns not in the template were ignored: {', '.join(shorten(u, 40) for u in unknown)}.",
                            f"Expected columns: {', '.join(list(extra) + list(spec.fields))}. Rename a column if it holds data you want included."))
    required = [c for c, s in spec.fields.items() if s.required] + list(extra)
    missing = [c for c in required if c not in by_field]
    for column in missing:
        title = spec.fields[column].title if column in spec.fields else column
        issues.append(issue("column-missing", Location(table.file, table.sheet, header_row),
                            f"The required column '{column}' ({title}) is missing"
                            + (f" from sheet '{table.sheet}'." if table.sheet else "."),
                            f"Add a column headed '{column}' to the header row (row {header_row})."))
    return _Columns(by_field, refs, frozenset(missing), header_row)


def _set_path(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def _table_rows(table: Table, spec: TableSpec, columns: _Columns) -> Iterator[tuple[int, dict[str, Any], RowRef]]:
    """Each data row below the header as (row number, coerced values, row origin)."""
    for number, values in table.rows:
        if number <= columns.header_row:
            continue
        data: dict[str, Any] = {}
        for column, index in columns.by_field.items():
            if index >= len(values) or is_blank(values[index]):
                continue
            spec_field: FieldSpec | None = spec.fields.get(column)
            path = tuple(column.split("/"))
            data_value = coerce_cell(values[index], spec_field) if spec_field else to_text(values[index], None)
            if spec_field and spec_field.is_list and not data_value:
                continue
            _set_path(data, path, data_value)
        if not data:
            continue
        row_ref = RowRef(Location(table.file, table.sheet, number), columns.refs, columns.missing)
        yield number, data, row_ref


def _find_sheet(tables: dict[str, Table], wanted: str) -> Table | None:
    for title, table in tables.items():
        if title.strip().lower() == wanted.lower():
            return table
    return None


def _records_from_tables(kind: str, name: str, main: Table | None,
                         children: dict[str, Table | None], issues: list[DataIssue]) -> list[Record]:
    spec = kind_spec(kind)
    if main is None:
        return []
    columns = _map_columns(main, spec.main, (), issues)
    if columns is None:
        issues.append(issue("file-empty", Location(name, main.sheet), "There is nothing on this sheet.",
                            "Fill in the header row and at least one data row."))
        return []
    records: list[Record] = []
    for _number, data, row_ref in _table_rows(main, spec.main, columns):
        records.append(Record(kind, data, row_ref.location, {(): row_ref}))
    if not records:
        issues.append(issue("file-empty", Location(name, main.sheet, columns.header_row),
                            "The sheet has a header row but no data rows.", "Add at least one row below the header."))
    parent_key = PARENT_KEYS.get(kind)
    if parent_key is None:
        return records
    by_id: dict[str, Record] = {}
    for record in records:
        if isinstance(record.data.get("id"), str):
            by_id.setdefault(record.data["id"], record)
    main_label = main.sheet or name
    for prop, child_table in children.items():
        if child_table is None:
            continue
        child_spec = spec.children[prop]
        child_columns = _map_columns(child_table, child_spec, (parent_key,), issues)
        if child_columns is None or parent_key not in child_columns.by_field:
            continue
        for number, data, row_ref in _table_rows(child_table, child_spec, child_columns):
            key_value = data.pop(parent_key, None)
            key = to_text(key_value, spec.main.fields["id"].pattern) if key_value is not None else None
            parent = by_id.get(key) if isinstance(key, str) else None
            key_letter, key_header = child_columns.refs[parent_key]
            key_location = Location(child_table.file, child_table.sheet, number, key_letter, key_header)
            if parent is None:
                where = f"'{shorten(key, 40)}', which is not on the {main_label} sheet" if key else "no id"
                issues.append(issue("row-orphan", key_location,
                                    f"This {CHILD_SHEETS[prop].lower()} row names {where}, so it belongs to nothing and would be lost.",
                                    f"Type the id of an existing row of {main_label} in column '{parent_key}'.",
                                    value=shorten(key) if key else None))
                continue
            lines = parent.data.setdefault(prop, [])
            index = len(lines)
            lines.append(data)
            parent.rows[(prop, index)] = row_ref
    return records


# --------------------------------------------------------------------------- JSON


def _json_records(kind: str, name: str, raw: bytes, issues: list[DataIssue]) -> list[Record]:
    try:
        document = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        issues.append(issue("file-encoding", Location(name), "The file is not UTF-8 text.", "Save the JSON file as UTF-8."))
        return []
    except json.JSONDecodeError as err:
        issues.append(issue("json-invalid", Location(name, row=err.lineno), f"The JSON cannot be parsed: {err.msg} (line {err.lineno}, column {err.colno}).",
                            "Check the file with a JSON validator; a missing comma or quote is the usual cause."))
        return []
    except RecursionError:
        issues.append(issue("json-invalid", Location(name), "The JSON is nested too deeply to read.", "Records are at most a few levels deep; check how the file was produced."))
        return []
    if isinstance(document, dict) and len(document) == 1 and isinstance(next(iter(document.values())), list):
        document = next(iter(document.values()))
    elif isinstance(document, dict) and "id" in document:
        document = [document]  # one record per file, as donor profiles are kept
    if not isinstance(document, list):
        issues.append(issue("json-invalid", Location(name), "The JSON file must hold a list of records.",
                            'Write the records as [ {...}, {...} ] or {"records": [ ... ]}.'))
        return []
    spec = kind_spec(kind)
    records: list[Record] = []
    for index, item in enumerate(document):
        location = Location(name, path=f"/{index}")
        if not isinstance(item, dict):
            issues.append(issue("value-type", location, "Each record must be a JSON object.", "Write each record as { \"id\": ..., ... }."))
            continue
        record = Record(kind, {}, location, {(): RowRef(location, {})})
        _coerce_json_object(item, spec.main, record, issues, name, f"/{index}")
        for prop, child_spec in spec.children.items():
            lines = item.get(prop)
            if lines is None:
                continue
            if not isinstance(lines, list):
                record.data[prop] = lines
                continue
            record.data[prop] = []
            for line_index, line in enumerate(lines):
                line_path = f"/{index}/{prop}/{line_index}"
                record.rows[(prop, line_index)] = RowRef(Location(name, path=line_path), {})
                if not isinstance(line, dict):
                    record.data[prop].append(line)
                    continue
                target = Record(kind, {}, location, {})
                _coerce_json_object(line, child_spec, target, issues, name, line_path)
                record.data[prop].append(target.data)
        records.append(record)
    return records


def _coerce_json_object(item: dict[str, Any], table: TableSpec, record: Record,
                        issues: list[DataIssue], name: str, json_path: str) -> None:
    known_prefixes = {c.split("/")[0] for c in table.fields} | set(kind_spec(record.kind).children)
    for key in item:
        if key not in known_prefixes:
            issues.append(issue("column-unknown", Location(name, path=f"{json_path}/{key}"),
                                f"The field '{shorten(key, 40)}' is not in the data contract and was ignored.",
                                "Rename the field if it holds data you want included."))
    for column, spec in table.fields.items():
        path = tuple(column.split("/"))
        value: Any = item
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        coerced = coerce_cell(value, spec) if not isinstance(value, (dict,)) else value
        _set_path(record.data, path, coerced)


# --------------------------------------------------------------------------- discovery


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _read_bytes(path: Path, root: Path, name: str, issues: list[DataIssue]) -> bytes | None:
    try:
        resolved = path.resolve()
        if root.resolve() not in resolved.parents:
            issues.append(issue("file-unreadable", Location(name), "The file points outside the inputs folder and was not read.",
                                "Copy the file itself into the inputs folder instead of linking to it."))
            return None
        size = path.stat().st_size
        if size > MAX_INPUT_FILE_BYTES:
            issues.append(issue("file-unreadable", Location(name), f"The file is {size / 2**20:.0f} MB; the limit is {MAX_INPUT_FILE_BYTES / 2**20:.0f} MB.",
                                "Split it, or remove pictures and unused sheets."))
            return None
        raw = path.read_bytes()
    except OSError as err:
        issues.append(issue("file-unreadable", Location(name), f"The file cannot be read: {err.strerror}.", "Check that it exists and that you may read it."))
        return None
    if not raw.strip():
        issues.append(issue("file-empty", Location(name), "The file is empty.", "Fill it in from the template, or remove it."))
        return None
    return raw


def _load_kind_files(kind: str, root: Path, main_path: Path, sibling_csv: dict[str, Path],
                     files: list[InputFile], issues: list[DataIssue]) -> list[Record]:
    """Read one source of a kind: an XLSX with named sheets, a JSON list, or a CSV (with .budget/.funding CSVs beside it)."""
    name = main_path.relative_to(root).as_posix()
    raw = _read_bytes(main_path, root, name, issues)
    if raw is None:
        return []
    files.append(InputFile(name, kind, _sha256(raw), len(raw)))
    suffix = main_path.suffix.lower()
    if suffix == ".json":
        return _json_records(kind, name, raw, issues)
    children: dict[str, Table | None] = {}
    spec = kind_spec(kind)
    if suffix == ".csv":
        main = _read_csv_table(name, raw, issues)
        for prop, child_path in sibling_csv.items():
            child_name = child_path.relative_to(root).as_posix()
            child_raw = _read_bytes(child_path, root, child_name, issues)
            if child_raw is None:
                children[prop] = None
                continue
            files.append(InputFile(child_name, kind, _sha256(child_raw), len(child_raw)))
            children[prop] = _read_csv_table(child_name, child_raw, issues)
        for prop in spec.children:
            if prop not in sibling_csv:
                stem = main_path.name[: -len(".csv")]
                issues.append(issue("file-missing", Location(name), f"No {CHILD_SHEETS[prop].lower()} file was found beside it.",
                                    f"Add {stem}.{CHILD_SHEETS[prop].lower()}.csv, or send one .xlsx workbook with sheets {MAIN_SHEETS[kind]}, Budget and Funding."))
        return _records_from_tables(kind, name, main, children, issues)
    tables = _read_workbook(name, raw, issues)
    if tables is None:
        return []
    main = _find_sheet(tables, MAIN_SHEETS[kind])
    if main is None and not spec.children and tables:
        main = next(iter(tables.values()))  # a one-table kind: its first sheet, whatever it is called
    expected = [MAIN_SHEETS[kind]] + [CHILD_SHEETS[p] for p in spec.children]
    if main is None:
        issues.append(issue("sheet-missing", Location(name, MAIN_SHEETS[kind]),
                            f"The workbook has no sheet called '{MAIN_SHEETS[kind]}' (it has: {', '.join(tables) or 'none'}).",
                            f"Rename the sheet to '{MAIN_SHEETS[kind]}'. The workbook needs sheets: {', '.join(expected)}."))
        return []
    for prop in spec.children:
        child = _find_sheet(tables, CHILD_SHEETS[prop])
        if child is None:
            issues.append(issue("sheet-missing", Location(name, CHILD_SHEETS[prop]),
                                f"The workbook has no sheet called '{CHILD_SHEETS[prop]}' (it has: {', '.join(tables)}).",
                                f"Rename the sheet to '{CHILD_SHEETS[prop]}'. The workbook needs sheets: {', '.join(expected)}."))
        children[prop] = child
    return _records_from_tables(kind, name, main, children, issues)


def _sources_in(folder: Path, stem_filter: str | None, issues: list[DataIssue], root: Path, strict: bool) -> list[tuple[Path, dict[str, Path]]]:
    """Source files in a folder, each with its child CSVs; `stem_filter` picks one kind's files by stem."""
    if not folder.is_dir():
        return []
    found: list[tuple[Path, dict[str, Path]]] = []
    entries = sorted(p for p in folder.iterdir() if p.is_file() or p.is_symlink())
    child_suffixes = {f".{CHILD_SHEETS[p].lower()}.csv": p for p in CHILD_SHEETS}
    for path in entries:
        lower = path.name.lower()
        if lower.startswith((".", "~$")) or lower.startswith("readme"):
            continue
        if any(lower.endswith(s) for s in child_suffixes):
            continue
        stem, suffix = path.stem, path.suffix.lower()
        if stem_filter is not None and stem.lower() != stem_filter:
            continue
        name = path.relative_to(root).as_posix()
        if suffix in NOT_READABLE:
            issues.append(issue("file-type-unsupported", Location(name), f"{NOT_READABLE[suffix]} files ({suffix}) cannot be read.", SAVE_AS_XLSX + "."))
            continue
        if suffix not in READABLE:
            if strict:
                issues.append(issue("file-type-unsupported", Location(name), f"Files of type '{suffix or 'none'}' are not read here.",
                                    "Workplans are .xlsx workbooks (or .csv / .json); move other files out of this folder."))
            continue
        siblings: dict[str, Path] = {}
        if suffix == ".csv":
            for child_suffix, prop in child_suffixes.items():
                candidate = path.with_name(stem + child_suffix)
                if candidate.exists():
                    siblings[prop] = candidate
        found.append((path, siblings))
    return found


def load_inputs(root: Path, partner_id: str | None = None) -> LoadedInputs:
    """Read every input file under `root` into records; never raises for bad data.

    With `partner_id`, only that partner's workplan is read (with the shared
    lists it refers to), as when a partner checks its own sheet.
    """
    issues: list[DataIssue] = []
    files: list[InputFile] = []
    records: dict[str, list[Record]] = {kind: [] for kind in (*KIND_STEMS, "workplan_activity", "donor")}
    settings = _load_settings(root, files, issues)
    for kind, stem in KIND_STEMS.items():
        sources = _sources_in(root, stem, issues, root, strict=False)
        if not sources:
            issues.append(issue("file-missing", Location(f"{stem}.xlsx"), f"No {stem} file was found in the inputs folder.",
                                f"Add {stem}.xlsx, {stem}.csv or {stem}.json to {root}."))
        for path, siblings in sources:
            records[kind].extend(_load_kind_files(kind, root, path, siblings, files, issues))
    workplans = _sources_in(root / WORKPLANS_DIR, partner_id.lower() if partner_id else None, issues, root,
                            strict=partner_id is None)
    if partner_id is None:
        for path, siblings in _sources_in(root / DONORS_DIR, None, issues, root, strict=True):
            records["donor"].extend(_load_kind_files("donor", root, path, siblings, files, issues))
    if partner_id and not workplans:
        issues.append(issue("file-missing", Location(f"{WORKPLANS_DIR}/{partner_id}.xlsx"),
                            f"No workplan was found for partner {partner_id}.",
                            f"Save the partner's workbook as {WORKPLANS_DIR}/{partner_id}.xlsx (the file name is the partner id)."))
    for path, siblings in workplans:
        records["workplan_activity"].extend(_load_kind_files("workplan_activity", root, path, siblings, files, issues))
    return LoadedInputs(records, settings, files, issues)


def _load_settings(root: Path, files: list[InputFile], issues: list[DataIssue]) -> Record | None:
    path = root / "settings.json"
    name = "settings.json"
    if not path.exists():
        issues.append(issue("file-missing", Location(name), "settings.json was not found in the inputs folder.",
                            'Add settings.json with at least {"reporting_currency": "USD", "period": {"start": ..., "end": ...}, "as_at": ...}.'))
        return None
    raw = _read_bytes(path, root, name, issues)
    if raw is None:
        return None
    files.append(InputFile(name, "settings", _sha256(raw), len(raw)))
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        issues.append(issue("json-invalid", Location(name), f"settings.json cannot be parsed: {err}.", "Check the file with a JSON validator."))
        return None
    if not isinstance(data, dict):
        issues.append(issue("json-invalid", Location(name), "settings.json must hold one JSON object.", "Write it as { ... }."))
        return None
    return Record("settings", data, Location(name), {(): RowRef(Location(name, path=""), {})})
