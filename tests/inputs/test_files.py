"""Whose file is this, and the guards every reader goes through (links, loops), the fingerprint included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalogue.checks.gate import run_gate
from catalogue.inputs.files import is_partner_file, partner_of, walk_inputs
from catalogue.inputs.load import LoadedInputs, load_inputs
from catalogue.issues import Location, issue
from catalogue.publishing.fingerprint import REFUSED_PREFIX, build_fingerprint
from tests.fixtures.small import write_small_inputs


@pytest.mark.parametrize(("name", "owner"), [
    ("workplans/P-WWF.xlsx", "P-WWF"),
    ("workplans/P-WWF2.xlsx", "P-WWF2"),
    ("workplans/p-wwf.csv", "P-WWF"),
    ("workplans/P-WWF.budget.csv", "P-WWF"),
    ("workplans\\P-HSI-AU.json", "P-HSI-AU"),
    ("workplans/P-WWF", None),  # no extension: not a workplan file
    ("other/P-WWF.xlsx", None),
    ("workplans/sub/P-WWF.xlsx", None),
    ("partners.csv", None),
    ("workplans/notes.xlsx", None),
    ("", None),
    (None, None),
])
def test_partner_of_answers_exactly(name: str | None, owner: str | None) -> None:
    assert partner_of(name) == owner


def test_a_partner_is_not_the_owner_of_a_longer_id() -> None:
    assert is_partner_file("workplans/P-WWF.xlsx", "P-WWF")
    assert not is_partner_file("workplans/P-WWF2.xlsx", "P-WWF")
    assert not is_partner_file("workplans/P-WWF.xlsx", "P-WWF2")


@pytest.fixture
def inputs_with_a_lookalike(tmp_path: Path) -> Path:
    root = write_small_inputs(tmp_path / "inputs")
    shutil.copyfile(root / "workplans" / "P-ALPHA.xlsx", root / "workplans" / "P-ALPHA2.xlsx")
    return root


def test_loading_one_partner_ignores_a_lookalike_file(inputs_with_a_lookalike: Path) -> None:
    loaded = load_inputs(inputs_with_a_lookalike, partner_id="P-ALPHA")
    names = {f.name for f in loaded.files}
    assert "workplans/P-ALPHA.xlsx" in names
    assert "workplans/P-ALPHA2.xlsx" not in names
    assert {r.origin.file for r in loaded.records["workplan_activity"]} == {"workplans/P-ALPHA.xlsx"}


def test_the_gate_keeps_only_the_partners_own_warnings(inputs_with_a_lookalike: Path) -> None:
    loaded = load_inputs(inputs_with_a_lookalike, partner_id="P-ALPHA")
    own = issue("column-unknown", Location("workplans/P-ALPHA.xlsx", "Activities", 1), "own", "")
    other = issue("column-unknown", Location("workplans/P-ALPHA2.xlsx", "Activities", 1), "other", "")
    gated = run_gate(LoadedInputs(loaded.records, loaded.settings, loaded.files, [own, other]), partner_id="P-ALPHA")
    messages = {i.message for i in gated.report.issues}
    assert "own" in messages
    assert "other" not in messages


def _links(root: Path, outside: Path) -> None:
    outside.write_text("secret", encoding="utf-8")
    (root / "workplans" / "P-OUT.csv").symlink_to(outside)
    (root / "workplans" / "P-LOOP.xlsx").symlink_to(root / "workplans" / "P-LOOP.xlsx")
    (root / "workplans" / "P-GONE.xlsx").symlink_to(root / "nowhere.xlsx")


def test_links_out_loops_and_dangling_links_are_refused_by_the_loader(tmp_path: Path) -> None:
    root = write_small_inputs(tmp_path / "inputs")
    _links(root, tmp_path / "secret.csv")
    loaded = load_inputs(root)
    refused = {i.location.file: i.message for i in loaded.issues if i.code == "file-unreadable"}
    assert "outside the inputs folder" in refused["workplans/P-OUT.csv"]
    assert "loop" in refused["workplans/P-LOOP.xlsx"]
    assert "does not exist" in refused["workplans/P-GONE.xlsx"]
    assert all("secret" not in str(r.data) for r in loaded.records["workplan_activity"])


def test_the_fingerprint_refuses_what_the_loader_refuses(tmp_path: Path) -> None:
    root = write_small_inputs(tmp_path / "inputs")
    clean = build_fingerprint(root, lang="en")
    assert not clean.startswith(REFUSED_PREFIX)
    _links(root, tmp_path / "secret.csv")
    files, refused = walk_inputs(root)
    assert sorted(refused) == ["workplans/P-GONE.xlsx", "workplans/P-LOOP.xlsx", "workplans/P-OUT.csv"]
    assert all(name not in refused for name, _ in files)
    assert build_fingerprint(root, lang="en").startswith(REFUSED_PREFIX)
