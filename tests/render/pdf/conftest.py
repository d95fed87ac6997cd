"""The sample's catalogue and its whole-document PDF, made once per test session for every PDF test that reads them.

Laying the sample out in one WeasyPrint run takes half a minute; test_catalogue_document reads that PDF and
test_layout_pool compares the parallel parts against it, so it is made once (shared_once: once across parallel
workers too) and only read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.model.catalogue import Catalogue
from catalogue.pipeline import build_model
from catalogue.render.pdf.catalogue_document import render_pdf
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
def sample_whole_pdf(tmp_path_factory: pytest.TempPathFactory, sample_catalogue: Catalogue) -> Path:
    """The sample's catalogue.pdf laid out as one document in one WeasyPrint run (the reference for the parts)."""
    folder, lock = shared_once(tmp_path_factory, "sample-whole-pdf")
    path = folder / "catalogue.pdf"
    with lock:
        if not path.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            render_pdf(sample_catalogue, folder / "partial.pdf")
            (folder / "partial.pdf").rename(path)
    return path
