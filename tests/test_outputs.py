"""Publishing is all or nothing: a renderer that fails leaves every earlier file as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.outputs import publish_files, publish_folder


def test_failed_render_leaves_previous_outputs(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("old a")
    (tmp_path / "b.pdf").write_text("old b")

    def boom(path: Path) -> None:
        path.write_text("half")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        publish_files(tmp_path, {"a.json": lambda p: p.write_text("new a"), "b.pdf": boom})
    assert (tmp_path / "a.json").read_text() == "old a"
    assert (tmp_path / "b.pdf").read_text() == "old b"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".staging")]


def test_successful_publish_replaces_all(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("old")
    publish_files(tmp_path, {"a.json": lambda p: p.write_text("new"), "b.pdf": lambda p: p.write_text("b")})
    assert (tmp_path / "a.json").read_text() == "new"
    assert (tmp_path / "b.pdf").read_text() == "b"


def test_folder_is_swapped_whole(tmp_path: Path) -> None:
    old = tmp_path / "validation"
    old.mkdir()
    (old / "stale.txt").write_text("from an earlier run")
    publish_folder(tmp_path, "validation", lambda d: (d / "report.txt").write_text("fresh"))
    assert sorted(p.name for p in old.iterdir()) == ["report.txt"]
