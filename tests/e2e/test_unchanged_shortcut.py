"""The check that skips an unchanged rebuild applies the loader's guards: a link it refuses is never 'Unchanged'."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_catalogue

pytestmark = pytest.mark.slow


def test_a_link_out_of_the_inputs_after_a_build_is_refused_not_unchanged(small_inputs: Path, tmp_path: Path,
                                                                         prefect_api: str) -> None:
    outputs = tmp_path / "outputs"
    first = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert first.returncode == 0, first.stdout + first.stderr
    published = (outputs / "catalogue.json").read_bytes()

    secret = tmp_path / "secret.txt"
    secret.write_text("not for the catalogue", encoding="utf-8")
    os.symlink(secret, small_inputs / "workplans" / "P-LINK.xlsx")  # points out of the inputs folder
    again = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "Unchanged" not in again.stdout
    assert "P-LINK.xlsx" in again.stderr and "Traceback" not in again.stderr
    assert (outputs / "catalogue.json").read_bytes() == published  # the earlier catalogue stays published

    os.unlink(small_inputs / "workplans" / "P-LINK.xlsx")
    os.symlink(small_inputs / "workplans" / "loop.xlsx", small_inputs / "workplans" / "loop.xlsx")  # a link loop
    looped = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert looped.returncode == 1 and "Unchanged" not in looped.stdout, looped.stdout + looped.stderr
    assert "loop.xlsx" in looped.stderr and "Traceback" not in looped.stderr
