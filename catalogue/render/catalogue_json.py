"""catalogue.json: the model as exact, deterministic JSON (schemas/catalogue.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from catalogue.inputs.schemas import fast_document_check, load_schema_documents, schema_registry
from catalogue.model.catalogue import Catalogue, catalogue_to_json


def catalogue_json_text(catalogue: Catalogue, changes: dict[str, Any] | None = None) -> str:
    # Field order is the model's; lists are already sorted by the budget stage, so equal inputs give equal bytes.
    data = catalogue_to_json(catalogue)
    if changes is not None:
        data["changes"] = changes  # since the last edition (catalogue/publishing/editions.py)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def check_catalogue_json(data: dict[str, Any]) -> list[str]:
    """Our own output against its schema: a failure here is a bug in this program, not in the inputs.

    A compiled check first (fastjsonschema); jsonschema words the problems only if there are any.
    """
    from fastjsonschema import JsonSchemaValueException

    try:
        fast_document_check("catalogue.schema.json")(data)
        return []
    except JsonSchemaValueException:
        pass
    schema = load_schema_documents()["catalogue.schema.json"]
    validator = Draft202012Validator(schema, registry=schema_registry())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def write_catalogue_json(catalogue: Catalogue, path: Path, changes: dict[str, Any] | None = None) -> None:
    text = catalogue_json_text(catalogue, changes)
    problems = check_catalogue_json(json.loads(text))
    if problems:
        raise ValueError("catalogue.json does not match its schema: " + "; ".join(problems[:5]))
    path.write_text(text, encoding="utf-8")
