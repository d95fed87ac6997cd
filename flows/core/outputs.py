"""Publishing without half-written files: everything is rendered aside, then renamed into place.

A run that fails while rendering leaves every earlier output exactly as it
was; os.replace is atomic per file on the same file system, so a reader never
sees a half-written catalogue.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable


def _staging(outputs: Path) -> Path:
    outputs.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".staging-", dir=outputs))


def publish_files(outputs: Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Render every file into a staging folder first; only when all succeeded, rename each into place."""
    staging = _staging(outputs)
    try:
        for name, write in writers.items():
            write(staging / name)
        published = []
        for name in writers:
            os.replace(staging / name, outputs / name)
            published.append(outputs / name)
        return published
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish_folder(outputs: Path, name: str, write: Callable[[Path], None]) -> Path:
    """Render a whole folder aside, then swap it for the old one."""
    staging = _staging(outputs)
    try:
        fresh = staging / name
        fresh.mkdir()
        write(fresh)
        target = outputs / name
        if target.exists():
            os.replace(target, staging / f"{name}.old")
        os.replace(fresh, target)
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)
