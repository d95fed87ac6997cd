"""Every record against its JSON Schema, each error turned into a located issue a partner can act on.

This is the one place that maps jsonschema's paths back to spreadsheet cells
(as lib-cove does): the record remembers the cell of every value, and the
field spec gives the column's title and the hint.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastjsonschema import JsonSchemaValueException
from jsonschema import ValidationError

from catalogue.inputs.records import Record
from catalogue.inputs.schemas import FieldSpec, fast_check, kind_spec, validator_for
from catalogue.issues import N_, DataIssue, Location, figure, issue, shorten

_REQUIRED = re.compile(r"^'(.+)' is a required property")


def _field_spec(kind: str, path: tuple[Any, ...]) -> FieldSpec | None:
    """The field spec for a value path such as ("budget_lines", 2, "amount") or ("countries", 0)."""
    names = [p for p in path if not isinstance(p, int)]
    spec = kind_spec(kind)
    if names and names[0] in spec.children:
        return spec.children[names[0]].fields.get("/".join(names[1:]))
    return spec.main.fields.get("/".join(names))


def _label(kind: str, path: tuple[Any, ...], name: str | None = None) -> str:
    full = tuple(path) + ((name,) if name else ())
    spec = _field_spec(kind, full)
    if spec is not None:
        return spec.title
    names = [p for p in full if not isinstance(p, int)]
    return (names[-1] if names else "Record").replace("_", " ").capitalize()


def _hint(kind: str, path: tuple[Any, ...], name: str | None = None) -> str:
    full = tuple(path) + ((name,) if name else ())
    spec = _field_spec(kind, full)
    return spec.hint if spec is not None else ""


@dataclass(frozen=True)
class _Found:
    """One jsonschema error seen from the record: where, what the field is called, and the common issue fields."""

    error: ValidationError
    record: Record
    location: Location
    label: str
    hint: str
    ftype: str | None
    common: dict[str, Any]

    @property
    def shown(self) -> Any:
        return self.common["value"]

    @property
    def params(self) -> dict[str, Any]:
        """The parameters every message of a field shares: its title (translated where shown) and the value found."""
        return {"label": self.label, "value": self.shown if self.shown is not None else ""}

    @property
    def value(self) -> Any:
        return self.error.instance


def _missing_required(error: ValidationError, record: Record) -> DataIssue | None:
    kind, path = record.kind, tuple(error.absolute_path)
    match = _REQUIRED.match(error.message)
    missing = match.group(1) if match else "?"
    if record.column_missing(path, missing):
        return None  # the whole column is missing: reported once, not on every row
    location = record.locate(path, missing)
    label = _label(kind, path, missing)
    if kind_spec(kind).children.get(missing) is not None:
        return issue("required-missing", location, N_("%(what_label)s %(id)s has no %(label)s."),
                     _hint(kind, path, missing) or N_("Add its %(label)s."),
                     params={"what_label": _what(record), "id": record.id or "", "label": label},
                     field=missing, record_id=record.id)
    return issue("required-missing", location, N_("%(label)s is required but empty."),
                 _hint(kind, path, missing) or N_("Fill in %(label)s."), params={"label": label},
                 field="/".join(map(str, path + (missing,))), record_id=record.id)


def _typed(f: _Found) -> DataIssue | None:
    """Errors whose meaning depends on the field's type: a number, a date, an amount below zero, an empty list."""
    validator = f.error.validator
    if validator == "minItems" and isinstance(f.value, list) and not f.value:
        return issue("required-missing", f.location, N_("%(what_label)s %(id)s has no %(label)s."), f.hint,
                     params={**f.params, "what_label": _what(f.record), "id": f.record.id or ""}, **f.common)
    if validator in ("pattern", "type") and f.ftype in ("decimal", "integer"):
        return issue("value-not-a-number", f.location, N_("%(label)s must be a number; found '%(value)s'."),
                     f.hint or N_("Type the figure alone, e.g. 10000"), params=f.params, **f.common)
    if validator in ("pattern", "format") and f.ftype == "date":
        return issue("value-not-a-date", f.location, N_("%(label)s must be a date; found '%(value)s'."),
                     f.hint or N_("Type the date as YYYY-MM-DD, e.g. 2025-03-15"), params=f.params, **f.common)
    if validator in ("minimum", "exclusiveMinimum") and isinstance(f.value, (int, Decimal)) and f.value < 0:
        return issue("value-negative", f.location, N_("%(label)s cannot be negative; found %(value)s."),
                     N_("Type the amount without a minus sign; money returned or saved is not a cost line."),
                     params=f.params, **f.common)
    return None


_BOUNDS = {"minimum": N_("%(label)s must be at least %(bound)s; found %(value)s."),
           "exclusiveMinimum": N_("%(label)s must be above %(bound)s; found %(value)s."),
           "maximum": N_("%(label)s must be at most %(bound)s; found %(value)s."),
           "exclusiveMaximum": N_("%(label)s must be below %(bound)s; found %(value)s.")}


def _out_of_range(f: _Found) -> DataIssue:
    return issue("value-out-of-range", f.location, _BOUNDS[str(f.error.validator)], f.hint,
                 params={**f.params, "bound": f.error.validator_value}, **f.common)


def _not_allowed(f: _Found) -> DataIssue:
    options: list[Any] = list(f.error.validator_value) if isinstance(f.error.validator_value, list | tuple) else []
    allowed = ", ".join(map(str, options))
    return issue("value-not-allowed", f.location, N_("%(label)s must be one of %(allowed)s; found '%(value)s'."),
                 f.hint or N_("Choose one of: %(allowed)s"), params={**f.params, "allowed": allowed}, **f.common)


def _bad_format(f: _Found) -> DataIssue:
    return issue("value-format", f.location, N_("%(label)s '%(value)s' is not in the expected form."), f.hint,
                 params=f.params, **f.common)


def _too_long(f: _Found) -> DataIssue:
    return issue("value-too-long", f.location,
                 N_("%(label)s is %(length)s characters long; at most %(limit)s are allowed."),
                 N_("Shorten the text; put long explanations in the description."),
                 params={"label": f.label, "length": figure(len(f.value)), "limit": figure(f.error.validator_value)},
                 **{**f.common, "value": shorten(f.value, 40)})


def _too_short(f: _Found) -> DataIssue:
    return issue("required-missing", f.location, N_("%(label)s is empty."), f.hint or N_("Fill in %(label)s."),
                 params=f.params, **f.common)


def _repeated_item(f: _Found) -> DataIssue:
    return issue("value-duplicate-item", f.location, N_("%(label)s lists the same item twice."),
                 N_("Remove the repeated item."), params=f.params, **f.common)


def _wrong_type(f: _Found) -> DataIssue:
    wanted = f.error.validator_value
    expected = wanted if isinstance(wanted, str) else " or ".join(map(str, wanted) if isinstance(wanted, list) else ())
    message = _TYPE_MESSAGES.get(expected, N_("%(label)s is not of the expected type; found '%(value)s'."))
    return issue("value-type", f.location, message, f.hint, params=f.params, **f.common)


_TYPE_MESSAGES = {
    "string": N_("%(label)s must be text; found '%(value)s'."),
    "object": N_("%(label)s must be an object; found '%(value)s'."),
    "array": N_("%(label)s must be a list; found '%(value)s'."),
    "integer": N_("%(label)s must be a whole number; found '%(value)s'."),
    "number": N_("%(label)s must be a number; found '%(value)s'."),
    "boolean": N_("%(label)s must be yes or no; found '%(value)s'."),
    "number or string": N_("%(label)s must be a number; found '%(value)s'."),
}


_BY_VALIDATOR: dict[str, Callable[[_Found], DataIssue]] = {
    **dict.fromkeys(_BOUNDS, _out_of_range),
    "enum": _not_allowed,
    "pattern": _bad_format,
    "format": _bad_format,
    "maxLength": _too_long,
    "minLength": _too_short,
    "uniqueItems": _repeated_item,
    "type": _wrong_type,
}


def _describe(error: ValidationError, record: Record) -> DataIssue | None:
    """One jsonschema error as a located, plain-words issue; None when it repeats one already reported."""
    if error.validator == "required":
        return _missing_required(error, record)
    kind, path, value = record.kind, tuple(error.absolute_path), error.instance
    spec = _field_spec(kind, path)
    shown = shorten(value) if not isinstance(value, (dict, list)) else None
    found = _Found(error, record, record.locate(path), _label(kind, path), _hint(kind, path), spec.type if spec else None,
                   {"field": "/".join(map(str, path)), "record_id": record.id, "value": shown})
    described = _typed(found)
    if described is not None:
        return described
    handler = _BY_VALIDATOR.get(str(error.validator))
    if handler is not None:
        return handler(found)
    return issue("schema-other", found.location, N_("%(label)s: %(reason)s."), found.hint,
                 params={**found.params, "reason": error.message}, **found.common)


_KIND_NAMES = {
    "workplan_activity": N_("Activity"),
    "secretariat_task": N_("Task"),
    "partner": N_("Partner"),
    "priority": N_("Priority"),
    "fx_rate": N_("Exchange rate"),
    "settings": N_("Settings"),
    "donor_register": N_("Donor"),
}


def _what(record: Record) -> str:
    """The kind of record, as an English msgid (a parameter ending in `label`: translated where shown)."""
    return _KIND_NAMES.get(record.kind, record.kind)


_LINES = ("budget_lines", "funding_lines")


def _lines_to_drop(record: Record, error_paths: list[tuple[Any, ...]], data: dict[str, Any]) -> dict[str, set[int]] | None:
    """Which lines to leave out (and optional fields removed from `data`); None when a required field is broken."""
    drop_lines: dict[str, set[int]] = {prop: set() for prop in _LINES}
    schema = validator_for(record.kind).schema
    required = set(schema.get("required", ())) if isinstance(schema, Mapping) else set()
    for path in error_paths:
        if len(path) >= 2 and path[0] in _LINES and isinstance(path[1], int):
            drop_lines[path[0]].add(path[1])
        elif path and path[0] not in required and path[0] not in _LINES:
            data.pop(path[0], None)
        else:
            return None
    return drop_lines


def _renumbered_rows(record: Record, drop_lines: dict[str, set[int]], kept_index: dict[tuple[str, int], int]) -> dict[Any, Any]:
    """The record's row references, with lines after a dropped one moved up to their new index."""
    def moved(path: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if len(path) >= 2 and path[0] in _LINES and drop_lines[path[0]]:
            new = kept_index.get((path[0], path[1]))
            return None if new is None else (path[0], new, *path[2:])
        return path

    return {new: ref for path, ref in record.rows.items() if (new := moved(path)) is not None}


def checkable_part(record: Record, error_paths: list[tuple[Any, ...]]) -> Record | None:
    """The record without its invalid lines and optional fields, if what is left fits the schema; else None.

    Rules across records (references, currencies, dates) then still run on the
    rest of a partly broken record, so a partner sees every problem in one run
    rather than one after another. The part is never published.
    """
    data = copy.deepcopy(record.data)
    drop_lines = _lines_to_drop(record, error_paths, data)
    if drop_lines is None:
        return None
    kept_index: dict[tuple[str, int], int] = {}
    for prop, dropped in drop_lines.items():
        if prop in data and dropped:
            kept = [i for i in range(len(data[prop])) if i not in dropped]
            kept_index.update({(prop, old): new for new, old in enumerate(kept)})
            data[prop] = [data[prop][i] for i in kept]
    if not validator_for(record.kind).is_valid(data):
        return None
    return Record(record.kind, data, record.origin, _renumbered_rows(record, drop_lines, kept_index))


def validate_record(record: Record) -> tuple[bool, list[DataIssue], Record | None]:
    """Whether the record fits its schema, its problems (located, deduplicated), and its checkable part.

    A record can be invalid with no issue of its own: when its sheet lacks a
    required column, that is reported once for the sheet, not on every row.
    """
    try:
        fast_check(record.kind)(record.data)
        return True, [], record
    except JsonSchemaValueException:
        pass  # invalid: find out exactly why, in jsonschema's words
    found: list[DataIssue] = []
    seen: set[tuple[str, Location, str | None]] = set()
    valid = True
    error_paths: list[tuple[Any, ...]] = []
    for error in validator_for(record.kind).iter_errors(record.data):
        valid = False
        error_paths.append(tuple(error.absolute_path))
        described = _describe(error, record)
        if described is None:
            continue
        key = (described.code, described.location, described.field)
        if key in seen:
            continue
        seen.add(key)
        found.append(described)
    if valid:
        return True, found, record
    return False, found, checkable_part(record, error_paths)


def validate_records(records: Iterable[Record]) -> tuple[list[Record], list[DataIssue], list[Record]]:
    """The schema-valid records, the issues of the others, and every record (or part of one) rules can check."""
    records = list(records)
    return gather_checks(records, [validate_record(record) for record in records])


Checked = tuple[bool, list[DataIssue], Record | None]  # what validate_record says of one record


def gather_checks(records: list[Record], checks: list[Checked]) -> tuple[list[Record], list[DataIssue], list[Record]]:
    """validate_records' answer from each record's validate_record result, in the records' order."""
    valid: list[Record] = []
    issues: list[DataIssue] = []
    checkable: list[Record] = []
    for record, (fits, problems, part) in zip(records, checks, strict=True):
        issues.extend(problems)
        if fits:
            valid.append(record)
        if part is not None:
            checkable.append(part)
    return valid, issues, checkable
