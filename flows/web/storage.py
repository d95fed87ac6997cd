"""Uploads kept content-addressed in DATA, and an accepted one put in place in inputs/ atomically.

Nothing here is ever served as a static path: files are read back only by id, after an access check.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from catalogue.api import READABLE, durable

from .site_settings import UPLOAD_SUFFIXES

UPLOADS_DIR = "uploads"
REPLACED_DIR = "replaced-workplans"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path


def allowed_suffix(filename: str) -> str | None:
    """The lower-case suffix if it is one we read, else None. The name itself is never used on disk."""
    suffix = Path(filename or "").suffix.lower()
    return suffix if suffix in UPLOAD_SUFFIXES else None


def store_upload(data_dir: Path, source: BinaryIO, max_bytes: int) -> StoredFile:
    """Copy `source` into DATA/uploads/<sha[:2]>/<sha>, never overwriting; raises ValueError past `max_bytes`."""
    root = data_dir / UPLOADS_DIR
    root.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, name = tempfile.mkstemp(prefix=".upload-", dir=root)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as target:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ValueError(f"larger than {max_bytes} bytes")
                digest.update(chunk)
                target.write(chunk)
        sha = digest.hexdigest()
        final = root / sha[:2] / sha
        final.parent.mkdir(exist_ok=True)
        if final.exists():
            return StoredFile(sha, size, final)  # same content already kept: content-addressed, never rewritten
        durable.replace_durably(temporary, final)
        return StoredFile(sha, size, final)
    finally:
        temporary.unlink(missing_ok=True)


def stored_path(data_dir: Path, sha256: str) -> Path:
    """Where the upload with this SHA-256 is kept in DATA; anything but 64 lowercase hex digits raises ValueError."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a content address")
    return data_dir / UPLOADS_DIR / sha256[:2] / sha256


def accept_into_inputs(inputs: Path, data_dir: Path, upload: Path, partner_id: str, suffix: str) -> list[Path]:
    """Make the upload `inputs/workplans/<id><suffix>` in one rename; earlier files of that partner go to DATA.

    The new file is written beside its final name, synced, then renamed over it, so a crash leaves either
    the old workbook or the new one, never half of either. Returns where the replaced files were kept.
    """
    workplans = inputs / "workplans"
    workplans.mkdir(parents=True, exist_ok=True)
    final = workplans / f"{partner_id}{suffix}"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    kept_dir = data_dir / REPLACED_DIR / partner_id
    kept_dir.mkdir(parents=True, exist_ok=True)
    kept: list[Path] = []
    for old in sorted(workplans.glob(f"{partner_id}.*")):
        if old.stem == partner_id and old.is_file():
            copy = kept_dir / f"{stamp}-{old.name}"
            shutil.copy2(old, copy)
            kept.append(copy)
    with durable.replacing(final, suffix=suffix) as temporary:  # the partner's workbook whole, or the old one
        shutil.copyfile(upload, temporary)
    for old in workplans.glob(f"{partner_id}.*"):  # a workbook in another format would be read twice
        if old.stem == partner_id and old != final and old.suffix.lower() in READABLE:
            old.unlink()
    return kept
