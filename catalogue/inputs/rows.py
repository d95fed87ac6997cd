"""Tables into records: find the header row, map its headers to the schema's fields, coerce each row's cells.

A header may be a field path (`contact/name`) or its title (`Contact name`),
in any case and spacing, below title rows, or merged down over two rows.
Child sheets (Budget, Funding) are joined to their parent by its id; a row
whose parent does not exist is reported, never dropped in silence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from catalogue.inputs.coerce import UnsavedFormula, coerce_cell, is_blank, to_text, without_control_characters
from catalogue.inputs.files import CHILD_SHEETS, PARENT_KEYS
from catalogue.inputs.records import Record, RowRef, with_column
from catalogue.inputs.schemas import FieldSpec, KindSpec, TableSpec, kind_spec
from catalogue.inputs.tables import Table
from catalogue.issues import N_, DataIssue, Location, issue, shorten

_HEADER_SEARCH_ROWS = 10


def normalise_header(text: str) -> str:
    """A header as matched against field paths and titles: trimmed, lower case, runs of spaces and `_` as one `_`."""
    return re.sub(r"[\s_]+", "_", text.strip().lower())


def _header_aliases(table: TableSpec, extra: tuple[str, ...]) -> dict[str, str]:
    """Header text (normalised) -> field column: the field path (`contact/name`) or its title (`Contact name`)."""
    aliases: dict[str, str] = {}
    for column, spec in table.fields.items():
        aliases[normalise_header(spec.title)] = column
    for column in table.fields:
        aliases[normalise_header(column)] = column  # the field path wins over a title that clashes
    for column in extra:
        aliases[normalise_header(column)] = column
    return aliases


@dataclass
class Columns:
    by_field: dict[str, int]  # field column -> 0-based index
    refs: dict[str, tuple[str, str]]  # field column -> (letter or header, header text)
    missing: frozenset[str]
    header_row: int
    # Worked out once per table, not once per cell: (column, index, field spec or None, path in the record).
    plan: list[tuple[str, int, FieldSpec | None, tuple[str, ...]]] = field(default_factory=list)


def _fill_merged_headers(table: Table, header_row: int, headers: list[Any], aliases: dict[str, str]) -> list[Any]:
    """A header typed in a cell merged down over two header rows sits above the header row: take it from there.

    (Neither reader reports merged ranges cell by cell, and the merged cell's lower half reads as blank.)
    """
    above = [values for number, values in table.rows if number < header_row][-2:]
    for index, value in enumerate(headers):
        if not is_blank(value):
            continue
        for values in reversed(above):
            if index < len(values) and isinstance(values[index], str) and normalise_header(values[index]) in aliases:
                headers[index] = values[index]
                break
    return headers


def _header_row(table: Table, aliases: dict[str, str]) -> tuple[int, list[Any]]:
    """The first of the top rows that names at least two known columns (title rows above it are allowed)."""
    for number, values in table.rows[:_HEADER_SEARCH_ROWS]:
        known = sum(1 for v in values if isinstance(v, str) and normalise_header(v) in aliases)
        if known >= min(2, len(aliases)):
            return number, values
    return table.rows[0]


def _report_unknown(table: Table, header_row: int, unknown: list[str], expected: list[str], issues: list[DataIssue]) -> None:
    if unknown:
        issues.append(issue("column-unknown", Location(table.file, table.sheet, header_row),
                            N_("Columns not in the template were ignored: %(columns)s."),
                            N_("Expected columns: %(expected)s. Rename a column if it holds data you want included."),
                            params={"columns": ", ".join(shorten(u, 40) for u in unknown), "expected": ", ".join(expected)}))


def _report_missing(table: Table, spec: TableSpec, header_row: int, missing: list[str], issues: list[DataIssue]) -> None:
    for column in missing:
        title = spec.fields[column].title if column in spec.fields else column
        issues.append(issue("column-missing", Location(table.file, table.sheet, header_row),
                            N_("The required column '%(column)s' (%(column_label)s) is missing."),
                            N_("Add a column headed '%(column)s' to the header row (row %(row)s)."),
                            params={"column": column, "column_label": title, "row": header_row}))


def map_columns(table: Table, spec: TableSpec, extra: tuple[str, ...], issues: list[DataIssue]) -> Columns | None:
    """Which column holds which field; unknown, duplicate and missing columns reported. None for an empty table."""
    aliases = _header_aliases(spec, extra)
    if not table.rows:
        return None
    header_row, headers = _header_row(table, aliases)
    headers = _fill_merged_headers(table, header_row, list(headers), aliases)
    by_field: dict[str, int] = {}
    refs: dict[str, tuple[str, str]] = {}
    unknown: list[str] = []
    for index, raw_header in enumerate(headers):
        if is_blank(raw_header):
            continue
        header = str(raw_header).strip()
        column = aliases.get(normalise_header(header))
        letter = get_column_letter(index + 1) if table.sheet is not None else header
        if column is None:
            unknown.append(header)
        elif column in by_field:
            issues.append(issue("column-duplicate", Location(table.file, table.sheet, header_row, letter, header),
                                N_("The column '%(column)s' appears twice; the second one would be ignored."),
                                N_("Delete or rename one of the two columns."), params={"column": header}))
        else:
            by_field[column] = index
            refs[column] = (letter, header)
    _report_unknown(table, header_row, unknown, list(extra) + list(spec.fields), issues)
    missing = [c for c in [c for c, s in spec.fields.items() if s.required] + list(extra) if c not in by_field]
    _report_missing(table, spec, header_row, missing, issues)
    plan = [(column, index, spec.fields.get(column), tuple(column.split("/"))) for column, index in by_field.items()]
    return Columns(by_field, refs, frozenset(missing), header_row, plan)


def set_path(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Put `value` at `path` in nested dicts, making the dicts on the way (`contact/name`)."""
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def control_characters_removed(location: Location) -> DataIssue:
    """The warning that control characters were removed from the text at `location`."""
    return issue("text-control-characters", location,
                 N_("The text held invisible control characters (such as NUL or escape); they were removed."),
                 N_("Retype the text, or paste it as plain text (Paste Special > Text) rather than from another program."))


def unsaved_formula(location: Location, formula: str) -> DataIssue:
    """The error for a cell at `location` whose `formula` has no saved result."""
    return issue("formula-no-result", location,
                 N_("This cell holds a formula whose result was not saved (%(formula)s), so its value is unknown."),
                 N_("Open the workbook in Excel or LibreOffice and save it (which stores every result), or type the "
                    "value itself."), params={"formula": formula or "="}, value=formula or None)


def _row_data(values: list[Any], spec: TableSpec, columns: Columns, origin: Location, issues: list[DataIssue]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    width = len(values)
    for column, index, spec_field, path in columns.plan:
        if index >= width:
            continue
        value = values[index]
        if isinstance(value, UnsavedFormula):
            issues.append(unsaved_formula(with_column(origin, *columns.refs[column]), value))
            continue
        if value is None or value == "":
            continue
        if isinstance(value, str):
            if not value.strip():
                continue
            value, cleaned = without_control_characters(value)
            if cleaned:
                issues.append(control_characters_removed(with_column(origin, *columns.refs[column])))
        data_value = coerce_cell(value, spec_field) if spec_field else to_text(value, None)
        if spec_field and spec_field.is_list and not data_value:
            continue
        if len(path) == 1:
            data[column] = data_value
        else:
            set_path(data, path, data_value)
    return data


def table_rows(table: Table, spec: TableSpec, columns: Columns,
               issues: list[DataIssue]) -> Iterator[tuple[int, dict[str, Any], RowRef]]:
    """Each data row below the header as (row number, coerced values, row origin)."""
    for number, values in table.rows:
        if number <= columns.header_row:
            continue
        origin = Location(table.file, table.sheet, number)
        data = _row_data(values, spec, columns, origin, issues)
        if data:
            yield number, data, RowRef(origin, columns.refs, columns.missing)


def find_sheet(tables: dict[str, Table], wanted: str) -> Table | None:
    """The table of the sheet titled `wanted`, case and surrounding spaces ignored; None if there is none."""
    for title, table in tables.items():
        if title.strip().lower() == wanted.lower():
            return table
    return None


def _attach_lines(prop: str, child_table: Table, spec: KindSpec, parent_key: str, by_id: dict[str, Record],
                  main_label: str, issues: list[DataIssue]) -> None:
    """The child sheet's rows as lines of their parent record; an orphan row is reported."""
    child_spec = spec.children[prop]
    child_columns = map_columns(child_table, child_spec, (parent_key,), issues)
    if child_columns is None or parent_key not in child_columns.by_field:
        return
    for number, data, row_ref in table_rows(child_table, child_spec, child_columns, issues):
        key_value = data.pop(parent_key, None)
        key = to_text(key_value, spec.main.fields["id"].pattern) if key_value is not None else None
        parent = by_id.get(key) if isinstance(key, str) else None
        if parent is None:
            key_letter, key_header = child_columns.refs[parent_key]
            message = (N_("This %(lines)s row names '%(id)s', which is not on the %(sheet)s sheet, so it belongs to "
                          "nothing and would be lost.") if key else
                       N_("This %(lines)s row names no id, so it belongs to nothing and would be lost."))
            issues.append(issue("row-orphan", Location(child_table.file, child_table.sheet, number, key_letter, key_header),
                                message, N_("Type the id of an existing row of %(sheet)s in column '%(column)s'."),
                                params={"lines": CHILD_SHEETS[prop].lower(), "id": shorten(key, 40) if key else "",
                                        "sheet": main_label, "column": parent_key},
                                value=shorten(key) if key else None))
            continue
        lines = parent.data.setdefault(prop, [])
        parent.rows[(prop, len(lines))] = row_ref
        lines.append(data)


def _main_records(kind: str, name: str, main: Table, spec: KindSpec, issues: list[DataIssue]) -> list[Record]:
    columns = map_columns(main, spec.main, (), issues)
    if columns is None:
        issues.append(issue("file-empty", Location(name, main.sheet), N_("There is nothing on this sheet."),
                            N_("Fill in the header row and at least one data row.")))
        return []
    records = [Record(kind, data, row_ref.location, {(): row_ref}) for _, data, row_ref in table_rows(main, spec.main, columns, issues)]
    if not records:
        issues.append(issue("file-empty", Location(name, main.sheet, columns.header_row),
                            N_("The sheet has a header row but no data rows."), N_("Add at least one row below the header.")))
    return records


def records_from_tables(kind: str, name: str, main: Table | None,
                        children: dict[str, Table | None], issues: list[DataIssue]) -> list[Record]:
    """The records of one file: its main table's rows, each with its lines from the child tables."""
    if main is None:
        return []
    spec = kind_spec(kind)
    records = _main_records(kind, name, main, spec, issues)
    parent_key = PARENT_KEYS.get(kind)
    if parent_key is None:
        return records
    by_id: dict[str, Record] = {}
    for record in records:
        if isinstance(record.data.get("id"), str):
            by_id.setdefault(record.data["id"], record)
    for prop, child_table in children.items():
        if child_table is not None:
            _attach_lines(prop, child_table, spec, parent_key, by_id, main.sheet or name, issues)
    return records
