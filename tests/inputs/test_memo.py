"""Each input file read and checked once per content: a remembered run gives exactly what a cold one gives.

The memo (catalogue/memo.py, on disk cache_folders.FolderMemo) is what makes a rebuild after one
partner's change read and check that one workbook alone. What a user would notice if it were wrong: a figure
or a finding from the old workbook, or a finding lost. So every test compares with a cold run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalogue import cache_folders as content_cache
from catalogue.cache_folders import FolderMemo
from catalogue.checks import gate as gate_module
from catalogue.inputs import load as load_module
from catalogue.memo import MemoryMemo
from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.pipeline import ModelResult, build_model
from tests.conftest import REPO

BUILD_TIME = "2025-06-30T12:00:00Z"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", folder)
    return folder


def _json(model: ModelResult) -> str:
    assert model.catalogue is not None
    return str(catalogue_to_json(model.catalogue))


def _findings(model: ModelResult) -> list[tuple[str, str, str]]:
    return [(i.code, str(i.location), i.message) for i in model.report.sorted()]


def _set_budget_amount(book_path: Path, value: object) -> None:
    """What a partner does: type over the first budget amount of the workbook and save."""
    book = load_workbook(book_path)
    sheet = book["Budget"]
    column = [cell.value for cell in sheet[1]].index("amount") + 1
    sheet.cell(row=2, column=column).value = value
    book.save(book_path)


class _Counting:
    """How many workbooks were parsed and records checked against the schema (the work a memo saves)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        self.checked = 0
        parse, check = load_module._Reader._parse, gate_module.validate_record

        def counted_parse(reader: load_module._Reader, kind: str, name: str, raw: bytes, source: object) -> object:
            self.parsed.append(name)
            return parse(reader, kind, name, raw, source)  # type: ignore[arg-type]

        def counted_check(record: object) -> object:
            self.checked += 1
            return check(record)  # type: ignore[arg-type]

        monkeypatch.setattr(load_module._Reader, "_parse", counted_parse)
        monkeypatch.setattr(gate_module, "validate_record", counted_check)

    def reset(self) -> None:
        self.parsed, self.checked = [], 0


def test_a_remembered_build_is_the_cold_build(inputs: Path) -> None:
    cold = build_model(inputs, BUILD_TIME)
    memo = MemoryMemo()
    filling = build_model(inputs, BUILD_TIME, memo=memo)
    remembered = build_model(inputs, BUILD_TIME, memo=memo)
    assert memo.hits > 0
    assert _json(filling) == _json(cold) == _json(remembered)
    assert _findings(filling) == _findings(cold) == _findings(remembered)
    assert remembered.loaded.files == cold.loaded.files  # provenance names every file read, remembered or not


def test_one_changed_workbook_is_read_and_checked_alone(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memo = MemoryMemo()
    build_model(inputs, BUILD_TIME, memo=memo)
    changed = inputs / "workplans" / "P-WWF.xlsx"
    _set_budget_amount(changed, 123456.78)
    counting = _Counting(monkeypatch)
    incremental = build_model(inputs, BUILD_TIME, memo=memo)
    assert counting.parsed == ["workplans/P-WWF.xlsx"]
    wwf_activities = [r for r in incremental.loaded.records["workplan_activity"] if r.origin.file == "workplans/P-WWF.xlsx"]
    assert counting.checked == len(wwf_activities) + 1  # its activities, and settings.json (always checked)
    cold = build_model(inputs, BUILD_TIME)
    assert _json(incremental) == _json(cold)
    assert "123456.78" in _json(incremental)


def test_a_remembered_error_is_reported_again_until_the_file_is_mended(inputs: Path) -> None:
    book = inputs / "workplans" / "P-WWF.xlsx"
    _set_budget_amount(book, "twelve thousand")
    memo = MemoryMemo()
    first = build_model(inputs, BUILD_TIME, memo=memo)
    second = build_model(inputs, BUILD_TIME, memo=memo)
    assert first.catalogue is None and second.catalogue is None
    assert "value-not-a-number" in [code for code, _, _ in _findings(second)]
    assert _findings(second) == _findings(first) == _findings(build_model(inputs, BUILD_TIME))
    _set_budget_amount(book, 12000)
    mended = build_model(inputs, BUILD_TIME, memo=memo)
    assert mended.catalogue is not None
    assert _json(mended) == _json(build_model(inputs, BUILD_TIME))


def test_the_store_on_disk_survives_damage_and_misses_after_a_code_change(inputs: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "memo"
    cold = build_model(inputs, BUILD_TIME)
    build_model(inputs, BUILD_TIME, memo=FolderMemo(folder))
    entries = sorted(folder.glob("*.pickle"))
    assert entries
    for entry in entries[::2]:  # half the entries cut short, as by a full disk
        entry.write_bytes(entry.read_bytes()[:40])
    assert _json(build_model(inputs, BUILD_TIME, memo=FolderMemo(folder))) == _json(cold)

    counting = _Counting(monkeypatch)
    build_model(inputs, BUILD_TIME, memo=FolderMemo(folder))
    assert counting.parsed == []  # the damaged entries were written again, whole
    monkeypatch.setattr(content_cache, "code_fingerprint", lambda: "another version of the program")
    counting.reset()
    assert _json(build_model(inputs, BUILD_TIME, memo=FolderMemo(folder))) == _json(cold)
    parsed_kinds = [f for f in cold.loaded.files if f.kind not in ("settings", "logo")]  # settings.json is always read; a logo holds no records
    assert len(counting.parsed) == len(parsed_kinds)  # every file read again by the new code


def test_prune_keeps_this_runs_entries_and_drops_the_oldest_others(inputs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "memo"
    memo = FolderMemo(folder, keep_at_least=0)
    build_model(inputs, BUILD_TIME, memo=memo)
    this_run = set(folder.glob("*.pickle"))
    for n in range(3 * len(this_run)):  # entries of older editions, used long ago
        stale = folder / f"{n:064x}.pickle"
        stale.write_bytes(b"old")
        os.utime(stale, (n, n))
    memo.prune()
    left = set(folder.glob("*.pickle"))
    assert this_run <= left
    assert len(left) == 2 * len(this_run)  # room for as many others as this run used: the newest of them
    assert folder / f"{3 * len(this_run) - 1:064x}.pickle" in left and folder / f"{0:064x}.pickle" not in left


def test_an_upgraded_reader_misses_every_entry(inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new python-calamine may read a cell differently: nothing it would have read differently is served."""
    folder = tmp_path / "memo"
    build_model(inputs, BUILD_TIME, memo=FolderMemo(folder))
    real = content_cache.version
    monkeypatch.setattr(content_cache, "version", lambda name: "99.0" if name == "python-calamine" else real(name))
    counting = _Counting(monkeypatch)
    build_model(inputs, BUILD_TIME, memo=FolderMemo(folder))
    assert "workplans/P-WWF.xlsx" in counting.parsed and counting.checked > 0
