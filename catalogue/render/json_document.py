"""catalogue.json: the model as exact, deterministic JSON (schemas/catalogue.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from catalogue.inputs.schemas import fast_document_check, load_schema_documents, schema_registry
from catalogue.model.catalogue import Catalogue
from catalogue.model.catalogue_json import catalogue_to_json


def _json_data(catalogue: Catalogue, changes: dict[str, Any] | None, data: dict[str, Any] | None) -> dict[str, Any]:
    # `data` is catalogue_to_json(catalogue) when the caller has made it already (a build compares it with the
    # last edition first: 1.3 s at 20,000 activities, not to be paid twice).
    data = dict(data) if data is not None else catalogue_to_json(catalogue)
    if changes is not None:
        data["changes"] = changes  # since the last edition (catalogue/publishing/edition_store.py)
    return data


def _text(data: dict[str, Any]) -> str:
    # Field order is the model's; lists are already sorted by the budget stage, so equal inputs give equal bytes.
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def check_catalogue_json(data: dict[str, Any]) -> list[str]:
    """Our own output against its schema: a failure here is a bug in this program, not in the inputs.

    A compiled check first (fastjsonschema); jsonschema words the problems only if there are any, on the data
    as JSON holds it (a tuple is an array there, as in the file).
    """
    from fastjsonschema import JsonSchemaValueException

    try:
        fast_document_check("catalogue.schema.json")(data)
        return []
    except JsonSchemaValueException:
        pass
    schema = load_schema_documents()["catalogue.schema.json"]
    validator = Draft202012Validator(schema, registry=schema_registry())
    as_written = json.loads(json.dumps(data))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(as_written)]


def write_catalogue_json(catalogue: Catalogue, path: Path, changes: dict[str, Any] | None = None,
                         data: dict[str, Any] | None = None) -> None:
    """Write catalogue.json, checked against its schema first (a failure is ours: nothing is written)."""
    data = _json_data(catalogue, changes, data)
    problems = check_catalogue_json(data)  # the values about to be serialised, not the text parsed back
    if problems:
        raise ValueError("catalogue.json does not match its schema: " + "; ".join(problems[:5]))
    path.write_text(_text(data), encoding="utf-8")
