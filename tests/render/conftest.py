"""The sample as catalogue.json, built once for the open data tests (no Prefect: the library's pipeline)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.pipeline import build_model

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sample_document() -> dict[str, Any]:
    model = build_model(REPO / "inputs", build_time="2025-07-01T08:00:00Z")
    assert model.catalogue is not None
    document: dict[str, Any] = json.loads(json.dumps(catalogue_to_json(model.catalogue)))
    return document
