"""Folders of results named by their content's hash, under OUTPUTS/.cache/: PDF parts and the inputs' memo.

An entry is written to a temporary name and renamed, so a killed build leaves
whole entries or none. Reading an entry touches it, and `prune` keeps this
run's entries and the most recently used others; the folder is safe to delete
(the next build is simply cold). Entries are this program's own results: the
folder is as trusted as the outputs folder it sits in.
"""

from __future__ import annotations

import os
import pickle
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

from catalogue import durable
from catalogue.memo import code_fingerprint, content_key

# What else decides a file's records and checks besides our code: an upgraded reader or checker misses every entry.
READERS = ("python-calamine", "openpyxl", "fastjsonschema", "jsonschema")
INPUTS_MEMO_KEEP = 4_000  # two entries (read, checked) per input file: 500 partners' worth for several editions


class FolderCache:
    """Bytes by key in `folder` (files `<key><suffix>`); a `None` folder keeps nothing."""

    def __init__(self, folder: Path | None, suffix: str, keep_at_least: int) -> None:
        self.folder = folder
        self.suffix = suffix
        self.keep_at_least = keep_at_least
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{key}{self.suffix}"

    def has(self, key: str) -> bool:
        """Whether an entry for `key` is on disk; False when there is no folder."""
        return self.folder is not None and self._path(key).is_file()

    def get(self, key: str) -> bytes | None:
        """The bytes under `key`, or None when absent or unreadable; a hit is touched and kept by `prune`."""
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
            os.utime(path)  # recently used entries survive pruning
        except OSError:
            return None
        self.used.add(key)
        return data

    def put(self, key: str, data: bytes) -> None:
        """Keep `data`; a folder that cannot be written (full disk, outputs not a folder) keeps nothing.

        The build goes on and reports its own writes' failure; a cache only ever saves time.
        """
        self.used.add(key)
        if self.folder is None:
            return
        try:
            durable.write_bytes(self._path(key), data)  # whole, or not at all
        except OSError:
            pass

    def prune(self) -> None:
        """Keep this run's entries and the most recently used others, at least `keep_at_least` in all."""
        if self.folder is None or not self.folder.is_dir():
            return
        try:
            self._prune(self.folder)
        except OSError:
            pass  # an entry another build removed first, or a folder gone read-only: prune next time

    def _prune(self, folder: Path) -> None:
        entries = sorted(folder.glob(f"*{self.suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
        keep = max(self.keep_at_least, 2 * len(self.used))
        for path in entries[keep:]:
            if path.name[: -len(self.suffix)] not in self.used:
                path.unlink(missing_ok=True)
        for stray in folder.glob(".*.tmp"):  # left by a killed build (durable.replacing's temporaries)
            stray.unlink(missing_ok=True)


class FolderMemo:
    """catalogue.memo.Memo on disk: pickled results, keys salted with the code's fingerprint, Python's version and
    the readers' and checkers' versions.

    An entry that cannot be read back (a different Python, a truncated file) is a miss, never an error.
    """

    def __init__(self, folder: Path, keep_at_least: int = INPUTS_MEMO_KEEP) -> None:
        self.cache = FolderCache(folder, ".pickle", keep_at_least)
        self.salt = content_key(code_fingerprint(), platform.python_version(),
                                *(f"{name} {version(name)}" for name in READERS))

    def get(self, key: str) -> Any | None:
        """The result stored under `key`, unpickled (a fresh copy), or None on a miss or a damaged entry."""
        data = self.cache.get(content_key(self.salt, key))
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - any damage to a cache entry means: work it out again
            return None

    def put(self, key: str, value: Any) -> None:
        """Store `value` pickled under `key`; a folder that cannot be written keeps nothing."""
        self.cache.put(content_key(self.salt, key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self) -> None:
        """Keep this run's entries and the most recently used others (FolderCache.prune)."""
        self.cache.prune()
