"""The data contract: the JSON Schemas in schemas/, compiled once, and what the loader needs to know of each field.

Each input kind has one schema. The loader reads spreadsheets column by column,
so the schemas are flattened here into field specs (path, type, title, hint):
nested objects become `contact/name`-style columns, arrays of objects
(budget and funding lines) become child sheets keyed by the parent's id.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from catalogue.config import SCHEMAS_DIR

# input kind -> schema file
KIND_SCHEMAS: dict[str, str] = {
    "settings": "settings.schema.json",
    "fx_rate": "fx_rate.schema.json",
    "partner": "partner.schema.json",
    "priority": "priority.schema.json",
    "secretariat_task": "secretariat_task.schema.json",
    "workplan_activity": "workplan_activity.schema.json",
    "donor": "donor.schema.json",
    "donor_register": "donor_register.schema.json",
}

FieldType = Literal["decimal", "integer", "date", "string", "enum", "email"]


@dataclass(frozen=True)
class FieldSpec:
    """One leaf of a schema as a spreadsheet column sees it."""

    path: tuple[str, ...]  # ("contact", "email")
    type: FieldType
    is_list: bool
    title: str
    hint: str
    required: bool  # required at its own level (and its parent object is present)
    enum: tuple[str, ...] = ()
    pattern: str | None = None

    @property
    def column(self) -> str:
        """The field's column name: its path joined with `/`, e.g. `contact/email`."""
        return "/".join(self.path)


@dataclass(frozen=True)
class TableSpec:
    """The fields of one sheet: the main table of a kind, or one of its child tables."""

    fields: dict[str, FieldSpec]  # column name -> spec


@dataclass(frozen=True)
class KindSpec:
    kind: str
    main: TableSpec
    children: dict[str, TableSpec]  # array property (budget_lines) -> its table


@lru_cache(maxsize=1)
def load_schema_documents(schemas_dir: Path = SCHEMAS_DIR) -> dict[str, dict[str, Any]]:
    """Every schema file by name, parsed once."""
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(schemas_dir.glob("*.schema.json"))}


@lru_cache(maxsize=1)
def schema_registry() -> Registry:
    """Every schema under its $id, so that $refs between schema files resolve (built once)."""
    resources = [
        (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012))
        for doc in load_schema_documents().values()
    ]
    return Registry().with_resources(resources)


def schema_versions() -> dict[str, str]:
    """Schema file -> its declared version, for provenance."""
    return {name: str(doc.get("version", "")) for name, doc in load_schema_documents().items()}


@cache
def validator_for(kind: str) -> Draft202012Validator:
    """One compiled validator per kind, with format checks on (dates, e-mails)."""
    schema = load_schema_documents()[KIND_SCHEMAS[kind]]
    return Draft202012Validator(schema, registry=schema_registry(), format_checker=FormatChecker())


def _bundle(node: Any, base_uri: str) -> Any:
    """A copy of a schema with every $ref replaced by what it points at (our schemas have no recursion)."""
    if isinstance(node, list):
        return [_bundle(item, base_uri) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _bundle(v, base_uri) for k, v in node.items() if k not in ("$ref", "$id", "$schema", "$defs")}
    if "$ref" in node:
        resolved = schema_registry().resolver(base_uri=base_uri).lookup(node["$ref"])
        target = _bundle(resolved.contents, str(resolved.resolver._base_uri))
        out = {"allOf": [target, out]} if out else target
    return out


Rule = tuple[str, Any, tuple[str, ...]]  # (field, value, fields required when field == value)


def _is_liftable(part: Any) -> bool:
    """`{"if": {"properties": {f: {"const": v}}}, "then": {"required": [...]}}` and nothing else."""
    if not isinstance(part, dict) or set(part) != {"if", "then"} or set(part["then"]) != {"required"}:
        return False
    consts = [s for s in part["if"].get("properties", {}).values() if "const" in s]
    return len(consts) == 1


def _lift_all_of(parts: list[Any], rules: dict[str, list[Rule]], array: str) -> list[Any]:
    """The parts of an array item's allOf that stay in the schema; the liftable ones become rules of `array`."""
    kept = []
    for part in parts:
        if _is_liftable(part):
            field, spec = next((f, s) for f, s in part["if"]["properties"].items() if "const" in s)
            rules.setdefault(array, []).append((field, spec["const"], tuple(part["then"]["required"])))
        else:
            kept.append(_lift_conditionals(part, rules, array))
    return kept


def _lift_conditionals(node: Any, rules: dict[str, list[Rule]], array: str | None = None) -> Any:
    """Remove `if kind == X then required [...]` from the bundled schema, as plain rules per array of lines.

    fastjsonschema evaluates `if` by raising and catching an exception, which
    made it four times slower on budget lines; the same rule as a dict lookup
    is nearly free.
    """
    if isinstance(node, list):
        return [_lift_conditionals(item, rules, array) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "allOf" and array is not None:
            kept = _lift_all_of(value, rules, array)
            if kept:
                out[key] = kept
        elif key == "properties":
            out[key] = {name: _lift_conditionals(sub, rules, name if sub.get("type") == "array" else None)
                        for name, sub in value.items()}
        else:
            out[key] = _lift_conditionals(value, rules, array if key == "items" else None)
    return out


# Keywords that only ever constrain a value of their own type: beside {"type": "null"} they let null through.
_TYPE_ONLY = {"type", "pattern", "format", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
              "exclusiveMaximum", "multipleOf", "properties", "required", "additionalProperties", "items", "minItems",
              "maxItems", "uniqueItems", "description", "title"}
_ANNOTATIONS = {"oneOf", "anyOf", "description", "title"}  # the branches themselves, and words that check nothing


def _nullable(node: Any) -> Any:
    """`oneOf: [X, {"type": "null"}]` as `{"type": [X's type, "null"], ...X}` wherever X is one type's rules
    (for both compiled checks: records and our own documents).

    The same rule, said so that fastjsonschema checks it without trying a branch and catching the exception it
    raises: each exception formats its message from the validating function's `locals()`, and with five
    nullable dates per funding line that was 4.5 of the 4.9 s the check of a 2,000-activity catalogue.json took.
    """
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable(value) for key, value in node.items()}
    branches = out.get("oneOf", out.get("anyOf"))
    if isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches:
        other = branches[1 - branches.index({"type": "null"})]
        if isinstance(other, dict) and isinstance(other.get("type"), str) and other["type"] != "null" \
                and set(other) <= _TYPE_ONLY and not set(other) & (set(out) - _ANNOTATIONS):
            rest = {key: value for key, value in out.items() if key not in ("oneOf", "anyOf")}
            return {**rest, **other, "type": [other["type"], "null"]}
    return out


@cache
def fast_document_check(name: str) -> Callable[[Any], Any]:
    """fastjsonschema for one whole schema document (e.g. catalogue.schema.json): raises JsonSchemaValueException.

    For our own outputs, checked on every build: jsonschema took 10 s on a 20,000-activity catalogue.json,
    this takes a fraction of one. Only a document it rejects needs jsonschema's wording.
    """
    import fastjsonschema

    document = load_schema_documents()[name]
    bundled = _nullable(_bundle(document, document["$id"]))
    bundled["$schema"] = "http://json-schema.org/draft-07/schema#"  # the keywords used mean the same in draft 7
    return fastjsonschema.compile(bundled, formats={"date": _is_date}, use_default=False)


@cache
def fast_check(kind: str) -> Callable[[Any], Any]:
    """A compiled yes/no check of a record, many times faster than jsonschema; raises JsonSchemaValueException.

    fastjsonschema runs the bundled schema, with its per-kind conditionals
    checked as plain rules. Only a record it rejects goes through jsonschema
    for full, well-worded errors; tests check that both always agree.
    """
    import fastjsonschema
    from fastjsonschema import JsonSchemaValueException

    document = load_schema_documents()[KIND_SCHEMAS[kind]]
    rules: dict[str, list[Rule]] = {}
    bundled = _lift_conditionals(_nullable(_bundle(document, document["$id"])), rules)
    bundled["$schema"] = "http://json-schema.org/draft-07/schema#"  # the keywords we use mean the same in draft 7
    compiled = fastjsonschema.compile(bundled, formats={"date": _is_date, "email": lambda value: "@" in value},
                                      use_default=False)

    def check(data: Any) -> Any:
        compiled(data)
        for array, array_rules in rules.items():
            for line in data.get(array, ()):
                for field, value, required in array_rules:
                    if line.get(field) == value and any(name not in line for name in required):
                        raise JsonSchemaValueException(f"data.{array} item needs {required}")
        return data

    return check


def _is_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _effective(node: dict[str, Any], base_uri: str) -> tuple[dict[str, Any], str]:
    """Follow $ref and allOf-of-$ref, with the node's own keywords (title, x-hint) taking precedence."""
    merged: dict[str, Any] = {}
    resolver = schema_registry().resolver(base_uri=base_uri)
    uri = base_uri
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        target, uri = _effective(resolved.contents, str(resolved.resolver._base_uri))
        merged.update(target)
    for part in node.get("allOf", []):
        if "$ref" in part and len(part) == 1:
            resolved = resolver.lookup(part["$ref"])
            target, uri = _effective(resolved.contents, str(resolved.resolver._base_uri))
            merged.update(target)
    merged.update({k: v for k, v in node.items() if k not in ("$ref",)})
    return merged, uri


def _field_type(node: dict[str, Any]) -> FieldType:
    types = node.get("type")
    types = [types] if isinstance(types, str) else (types or [])
    if node.get("format") == "date":
        return "date"
    if node.get("format") == "email":
        return "email"
    if "number" in types:
        return "decimal"
    if "integer" in types:
        return "integer"
    if "enum" in node:
        return "enum"
    return "string"


def _flatten(node: dict[str, Any], base_uri: str, prefix: tuple[str, ...], required_here: bool,
             fields: dict[str, FieldSpec], children: dict[str, TableSpec]) -> None:
    required = set(node.get("required", []))
    for name, prop in node.get("properties", {}).items():
        eff, uri = _effective(prop, base_uri)
        path = prefix + (name,)
        is_required = required_here and name in required
        types = eff.get("type")
        if types == "object":
            _flatten(eff, uri, path, is_required, fields, children)
            continue
        if types == "array":
            items, item_uri = _effective(eff.get("items", {}), uri)
            if items.get("type") == "object":
                child_fields: dict[str, FieldSpec] = {}
                _flatten(items, item_uri, (), True, child_fields, {})
                children[name] = TableSpec(child_fields)
                continue
            spec_node = items
            is_list = True
        else:
            spec_node = eff
            is_list = False
        fields["/".join(path)] = FieldSpec(
            path=path,
            type=_field_type(spec_node),
            is_list=is_list,
            title=str(eff.get("title") or spec_node.get("title") or name.replace("_", " ").capitalize()),
            hint=str(eff.get("x-hint") or spec_node.get("x-hint") or ""),
            required=is_required,
            enum=tuple(spec_node.get("enum", ())),
            pattern=spec_node.get("pattern"),
        )


@cache
def kind_spec(kind: str) -> KindSpec:
    """The columns of a kind's main sheet and of its child sheets, from its schema."""
    schema = load_schema_documents()[KIND_SCHEMAS[kind]]
    fields: dict[str, FieldSpec] = {}
    children: dict[str, TableSpec] = {}
    _flatten(schema, schema["$id"], (), True, fields, children)
    return KindSpec(kind=kind, main=TableSpec(fields), children=children)
