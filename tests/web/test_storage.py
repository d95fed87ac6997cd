"""Uploads are kept by content; accepting one replaces the partner's workbook whole or not at all."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from catalogue.inputs.files import NOT_READABLE, READABLE
from flows.web.storage import accept_into_inputs, allowed_suffix, store_upload


def test_uploads_are_content_addressed_and_never_rewritten(tmp_path: Path) -> None:
    first = store_upload(tmp_path, io.BytesIO(b"same bytes"), max_bytes=100)
    second = store_upload(tmp_path, io.BytesIO(b"same bytes"), max_bytes=100)
    assert first == second and first.path.read_bytes() == b"same bytes"
    assert first.path.name == first.sha256 and first.path.parent.name == first.sha256[:2]
    with pytest.raises(ValueError):
        store_upload(tmp_path, io.BytesIO(b"x" * 101), max_bytes=100)
    assert sorted(p.name for p in (tmp_path / "uploads").rglob("*") if p.is_file()) == [first.sha256]


def test_the_portal_takes_what_the_loader_reads_and_what_it_names() -> None:
    """One list: the loader's readable types are taken, and so are the spreadsheet types it refuses by name (the
    partner then gets a report saying to save as .xlsx); anything else is refused at the door."""
    assert [allowed_suffix(n) for n in ("a.XLSX", "b.xlsm", "c.csv", "d.json", "e.ods", "f.xls", "g", "../h.exe")] == \
        [".xlsx", ".xlsm", ".csv", ".json", ".ods", ".xls", None, None]
    assert set(READABLE) | set(NOT_READABLE) == {s for s in (allowed_suffix(f"x{t}") for t in (*READABLE, *NOT_READABLE)) if s}


def test_a_failed_accept_leaves_the_old_workbook_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, data = tmp_path / "inputs", tmp_path / "data"
    (inputs / "workplans").mkdir(parents=True)
    (inputs / "workplans" / "P-X.xlsx").write_bytes(b"old workbook")
    upload = tmp_path / "upload"
    upload.write_bytes(b"new workbook")

    real_copyfile = shutil.copyfile

    def disk_full(source: object, target: object, **options: object) -> object:
        if Path(str(source)) != upload:
            return real_copyfile(source, target, **options)  # type: ignore[arg-type]  (keeping the old one works)
        Path(str(target)).write_bytes(b"new wor")  # half written, then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", disk_full)
    with pytest.raises(OSError):
        accept_into_inputs(inputs, data, upload, "P-X", ".xlsx")
    assert (inputs / "workplans" / "P-X.xlsx").read_bytes() == b"old workbook"
    assert [p.name for p in (inputs / "workplans").iterdir()] == ["P-X.xlsx"]  # no temporary file left
    monkeypatch.undo()
    kept = accept_into_inputs(inputs, data, upload, "P-X", ".xlsx")
    assert (inputs / "workplans" / "P-X.xlsx").read_bytes() == b"new workbook"
    assert {p.read_bytes() for p in kept} == {b"old workbook"}
