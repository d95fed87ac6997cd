"""The sample's catalogue and its PDF as builds make it (parts laid out in parallel, joined), once per test session.

Laying the sample out takes half a minute; test_catalogue_document reads that PDF and test_layout_pool compares
it with the whole document and checks its structure tree, so it is made once (shared_once: once across parallel
workers too) and only read.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from catalogue.model.catalogue import Catalogue
from catalogue.pipeline import build_model
from catalogue.render.pdf.layout_pool import PartStats, render_catalogue_pdf
from tests.conftest import REPO, shared_once

SAMPLE_INPUTS = REPO / "inputs"
BUILD_TIME = "2025-07-01T00:00:00Z"


@pytest.fixture(scope="session")
def sample_catalogue() -> Catalogue:
    """The sample inputs built into a catalogue at a fixed build time (read it only)."""
    if not list((SAMPLE_INPUTS / "workplans").glob("*.xlsx")):
        pytest.skip(f"no sample workplans in {SAMPLE_INPUTS / 'workplans'}: run benchmarks/make_sample_inputs.py")
    result = build_model(SAMPLE_INPUTS, build_time=BUILD_TIME)
    if result.catalogue is None:
        problems = "; ".join(f"{i.to_dict()['where']}: {i.message}" for i in result.report.errors[:5])
        pytest.skip(f"the sample inputs do not build a catalogue ({len(result.report.errors)} errors): {problems}")
    return result.catalogue


@pytest.fixture(scope="session")
def sample_parts_pdf(tmp_path_factory: pytest.TempPathFactory, sample_catalogue: Catalogue) -> tuple[Path, PartStats]:
    """The sample's catalogue.pdf by the path builds take: parts laid out on two processes into an empty cache,
    joined; and what the layout said (every part laid out, none from a cache)."""
    folder, lock = shared_once(tmp_path_factory, "sample-parts-pdf")
    path, said = folder / "catalogue.pdf", folder / "stats.json"
    with lock:
        if not said.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            stats = render_catalogue_pdf(sample_catalogue, path, workers=2, cache_dir=folder / "cache")
            said.write_text(json.dumps(asdict(stats)), encoding="utf-8")
    return path, PartStats(**json.loads(said.read_text(encoding="utf-8")))
