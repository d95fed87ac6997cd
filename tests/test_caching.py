"""An unchanged rebuild redoes nothing; any change to the inputs (or the code) rebuilds; nothing stale is served."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from catalogue.publishing.fingerprint import build_fingerprint
from tests.conftest import run_catalogue
from tests.fixtures.small import WORKPLANS, write_workbook


def test_fingerprint_follows_every_input_byte_and_option(small_inputs: Path) -> None:
    first = build_fingerprint(small_inputs, lang="en")
    assert build_fingerprint(small_inputs, lang="en") == first
    assert build_fingerprint(small_inputs, lang="fr") != first
    (small_inputs / "fx_rates.csv").write_text((small_inputs / "fx_rates.csv").read_text().replace("1.10", "1.11"))
    assert build_fingerprint(small_inputs, lang="en") != first


@pytest.mark.slow
def test_unchanged_rebuild_is_skipped_and_a_changed_amount_is_not(small_inputs: Path, tmp_path: Path, prefect_api: str) -> None:
    outputs = tmp_path / "outputs"
    first = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert first.returncode == 0, first.stderr
    release = (outputs / ".current").resolve()

    again = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert again.returncode == 0 and "Up to date" in again.stdout
    assert (outputs / ".current").resolve() == release  # nothing re-rendered or re-published

    sheets = copy.deepcopy(WORKPLANS["P-BETA"])
    sheets["Budget"][2][5] = 9000  # BETA-002 now costs USD 9,000 instead of 8,000
    write_workbook(small_inputs / "workplans" / "P-BETA.xlsx", sheets)
    changed = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert changed.returncode == 0 and "Up to date" not in changed.stdout
    totals = json.loads((outputs / "catalogue.json").read_text())["totals"]
    assert totals["required"] == "102220.40"  # 101,220.40 + 1,000

    forced = run_catalogue(["build", "--force", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert forced.returncode == 0 and "Up to date" not in forced.stdout
