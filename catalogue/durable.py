"""Files written whole or not at all, and kept through a power cut: the one way every writer here replaces a file.

A temporary file beside the target is written, flushed to disk, given its mode, renamed over the target, and the
folder's entry is flushed too (a rename lives in the folder, not in the file). A reader sees the old file or the
new one, never half of one; a failure leaves the old file and no temporary behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SHARED = 0o644  # what a published file is: readable by everyone (mkstemp makes a private 0o600 file)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename, a new link) to disk; a file system that cannot is left as it is."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems refuse fsync on a folder: the rename is still atomic
    finally:
        os.close(handle)


def replace_durably(temporary: Path, final: Path) -> None:
    """`temporary` (complete) becomes `final` in one rename, its bytes and the rename both flushed to disk."""
    with open(temporary, "rb") as stream:
        os.fsync(stream.fileno())
    os.replace(temporary, final)
    sync_folder(final.parent)


@contextmanager
def replacing(path: Path, *, mode: int = SHARED, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path beside `path` for a writer to fill; on a clean exit it becomes `path` (replace_durably),
    on an exception it is removed and `path` is untouched. `suffix` is for writers that read the name's type."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, mode)
        replace_durably(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes, *, mode: int = SHARED) -> None:
    """`data` as the whole of `path`, or `path` as it was."""
    with replacing(path, mode=mode) as temporary:
        temporary.write_bytes(data)


def write_text(path: Path, text: str, *, mode: int = SHARED) -> None:
    """`text` (UTF-8) as the whole of `path`, or `path` as it was."""
    write_bytes(path, text.encode("utf-8"), mode=mode)
