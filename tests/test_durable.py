"""catalogue/durable.py: a file is replaced whole or not at all, flushed, shared, and nothing is left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from catalogue import durable


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_written_file_is_whole_shared_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "catalogue.json"
    durable.write_text(target, "première")
    durable.write_text(target, "seconde")
    assert target.read_text(encoding="utf-8") == "seconde"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # mkstemp's private 0o600 is not what a reader gets
    assert _leftovers(target.parent) == []


def test_a_failed_writer_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "P-WWF.xlsx"
    target.write_bytes(b"old workbook")
    with pytest.raises(RuntimeError), durable.replacing(target, suffix=".xlsx") as temporary:
        assert temporary.parent == target.parent and temporary.suffix == ".xlsx"
        temporary.write_bytes(b"half a workb")
        raise RuntimeError("the writer failed half-way")
    assert target.read_bytes() == b"old workbook"
    assert _leftovers(tmp_path) == []


def test_every_step_is_flushed_before_and_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bytes are synced before the rename and the folder after it: a power cut keeps one whole file."""
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(handle: int) -> None:
        steps.append("fsync folder" if stat.S_ISDIR(os.fstat(handle).st_mode) else "fsync file")
        real_fsync(handle)

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        steps.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    durable.write_bytes(tmp_path / "x.bin", b"data")
    assert steps == ["fsync file", "rename", "fsync folder"]
