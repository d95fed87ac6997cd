"""An unchanged rebuild redoes nothing; any change to the inputs (or the code) rebuilds; nothing stale is served."""

from __future__ import annotations

import copy
import json
import shutil
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
    assert totals["all"]["required"] == "102220.40"  # 101,220.40 + 1,000 (BETA-002 is delivered work)

    forced = run_catalogue(["build", "--force", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
    assert forced.returncode == 0 and "Up to date" not in forced.stdout


@pytest.mark.slow
def test_an_incremental_build_publishes_what_a_cold_build_publishes(small_inputs: Path, tmp_path: Path,
                                                                     prefect_api: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """After one partner's change, a rebuild from the caches (inputs' memo, PDF parts) and one without them
    publish the same catalogue.json, byte for byte, and the same PDF text and pages (issue 14's Done-when)."""
    from pypdf import PdfReader

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1751328000")
    warm = tmp_path / "warm"
    assert run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(warm)], prefect_api).returncode == 0
    cold = tmp_path / "cold"
    shutil.copytree(warm, cold, symlinks=True)  # the same published edition, so "since the last edition" agrees
    shutil.rmtree(cold / ".cache")
    assert any((warm / ".cache" / "inputs").iterdir()) and any((warm / ".cache" / "pdf-parts").iterdir())

    sheets = copy.deepcopy(WORKPLANS["P-BETA"])
    sheets["Budget"][2][5] = 9000
    write_workbook(small_inputs / "workplans" / "P-BETA.xlsx", sheets)
    for outputs in (warm, cold):
        result = run_catalogue(["build", "--inputs", str(small_inputs), "--outputs", str(outputs)], prefect_api)
        assert result.returncode == 0, result.stdout + result.stderr
    assert (warm / "catalogue.json").read_bytes() == (cold / "catalogue.json").read_bytes()
    assert json.loads((warm / "catalogue.json").read_text())["totals"]["all"]["required"] == "102220.40"
    warm_pdf, cold_pdf = PdfReader(warm / "catalogue.pdf"), PdfReader(cold / "catalogue.pdf")
    assert len(warm_pdf.pages) == len(cold_pdf.pages)
    assert [p.extract_text() for p in warm_pdf.pages] == [p.extract_text() for p in cold_pdf.pages]
