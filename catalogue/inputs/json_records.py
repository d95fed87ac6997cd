"""JSON files into records, through one guarded parser shared by every JSON input (settings.json included).

The parser bounds nesting before Python's recursive decoder sees the text, so
a file nested ten thousand levels deep is a located message, not a
RecursionError; numbers become Decimal, never binary floats.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from catalogue.config import MAX_JSON_DEPTH
from catalogue.inputs.coerce import coerce_cell, without_control_characters
from catalogue.inputs.records import Record, RowRef
from catalogue.inputs.rows import control_characters_removed, set_path
from catalogue.inputs.schemas import TableSpec, kind_spec
from catalogue.issues import N_, DataIssue, Location, issue, shorten

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply the text's arrays and objects nest, strings ignored; counted without recursion."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse_json(name: str, raw: bytes, issues: list[DataIssue]) -> tuple[bool, Any]:
    """(True, the document), or (False, None) with the reason in `issues` (not UTF-8, too deep, not JSON)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        issues.append(issue("file-encoding", Location(name), N_("The file is not UTF-8 text."), N_("Save the JSON file as UTF-8.")))
        return False, None
    if json_depth(text) > MAX_JSON_DEPTH:
        issues.append(issue("json-invalid", Location(name), N_("The JSON is nested more than %(limit)s levels deep."),
                            N_("Records are at most a few levels deep; check how the file was produced."),
                            params={"limit": MAX_JSON_DEPTH}))
        return False, None
    try:
        return True, json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        issues.append(issue("json-invalid", Location(name, row=err.lineno),
                            N_("The JSON cannot be parsed: %(reason)s (line %(line)s, column %(column)s)."),
                            N_("Check the file with a JSON validator; a missing comma or quote is the usual cause."),
                            params={"reason": err.msg, "line": err.lineno, "column": err.colno}))
    except (RecursionError, ValueError):  # ValueError: a number with more digits than Python converts
        issues.append(issue("json-invalid", Location(name), N_("The JSON cannot be read: a value in it is too large or too deep."),
                            N_("Check how the file was produced; records hold short texts and ordinary numbers.")))
    return False, None


def _record_list(name: str, document: Any, issues: list[DataIssue]) -> list[Any] | None:
    """The list of records a document holds: a list, {"anything": [...]}, or one record with an id."""
    if isinstance(document, dict) and len(document) == 1 and isinstance(next(iter(document.values())), list):
        return list(next(iter(document.values())))
    if isinstance(document, dict) and "id" in document:
        return [document]  # one record per file, as donor profiles are kept
    if isinstance(document, list):
        return document
    issues.append(issue("json-invalid", Location(name), N_("The JSON file must hold a list of records."),
                        N_('Write the records as [ {...}, {...} ] or {"records": [ ... ]}.')))
    return None


def _coerce_json_object(item: dict[str, Any], table: TableSpec, record: Record,
                        issues: list[DataIssue], name: str, json_path: str) -> None:
    known_prefixes = {c.split("/")[0] for c in table.fields} | set(kind_spec(record.kind).children)
    for key in item:
        if key not in known_prefixes:
            issues.append(issue("column-unknown", Location(name, path=f"{json_path}/{key}"),
                                N_("The field '%(field)s' is not in the data contract and was ignored."),
                                N_("Rename the field if it holds data you want included."), params={"field": shorten(key, 40)}))
    for column, spec in table.fields.items():
        path = tuple(column.split("/"))
        value: Any = item
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        value, cleaned = without_control_characters(value)
        if cleaned:
            issues.append(control_characters_removed(Location(name, path=f"{json_path}/{column}")))
        coerced = coerce_cell(value, spec) if not isinstance(value, dict) else value
        set_path(record.data, path, coerced)


def _attach_json_lines(record: Record, item: dict[str, Any], name: str, index: int, issues: list[DataIssue]) -> None:
    for prop, child_spec in kind_spec(record.kind).children.items():
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
            target = Record(record.kind, {}, record.origin, {})
            _coerce_json_object(line, child_spec, target, issues, name, line_path)
            record.data[prop].append(target.data)


def json_records(kind: str, name: str, raw: bytes, issues: list[DataIssue]) -> list[Record]:
    """The records of one JSON file, each value located by its JSON path."""
    parsed, document = parse_json(name, raw, issues)
    items = _record_list(name, document, issues) if parsed else None
    if items is None:
        return []
    spec = kind_spec(kind)
    records: list[Record] = []
    for index, item in enumerate(items):
        location = Location(name, path=f"/{index}")
        if not isinstance(item, dict):
            issues.append(issue("value-type", location, N_("Each record must be a JSON object."),
                                N_("Write each record as { \"id\": ..., ... }.")))
            continue
        record = Record(kind, {}, location, {(): RowRef(location, {})})
        _coerce_json_object(item, spec.main, record, issues, name, f"/{index}")
        _attach_json_lines(record, item, name, index, issues)
        records.append(record)
    return records
