"""A partner's quick check reads that partner's workbook and nothing of another partner's, even a look-alike name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_catalogue

pytestmark = pytest.mark.slow


def test_validate_partner_ignores_a_look_alike_workbook(tmp_path: Path, prefect_api: str) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", inputs)
    # P-WWF2 is another partner's file name that starts with "P-WWF"; broken, so reading it would show.
    (inputs / "workplans" / "P-WWF2.xlsx").write_bytes(b"this is not a workbook")

    whole = run_catalogue(["validate", "--inputs", str(inputs), "--outputs", str(tmp_path / "all")], prefect_api)
    assert whole.returncode == 1 and "P-WWF2.xlsx" in whole.stderr  # the full check does see it

    mine = run_catalogue(["validate", "--partner", "P-WWF", "--inputs", str(inputs), "--outputs",
                          str(tmp_path / "mine")], prefect_api)
    assert mine.returncode == 0, mine.stdout + mine.stderr
    assert "P-WWF2" not in mine.stdout + mine.stderr
    assert "0 error(s)" in mine.stdout
    assert not (tmp_path / "mine" / "validation" / "data_docs").exists()  # a partner's check writes no Data Docs
