"""Stage results remembered by content: what a stage asks of a memo, and one kept in memory.

A stage that can skip work it has done before (reading a workbook, checking
its records) takes an optional `Memo` and names each result by the content it
was made from: a file's name and SHA-256, never a time or a path on disk. Equal
content, equal result, so a hit can never be stale. The store on disk
(cache_folders.py) also salts every key with the code's fingerprint,
so a change to the program misses every earlier entry.

A memo hands back a copy: what a stage does to its result later cannot change
what the next run gets.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from catalogue.config import PROJECT_ROOT, SCHEMAS_DIR, TEMPLATES_DIR


class Memo(Protocol):
    def get(self, key: str) -> Any | None:
        """The result stored under `key`, as a fresh copy, or None."""

    def put(self, key: str, value: Any) -> None:
        """Store `value` under `key` (a copy: later changes to `value` are not kept)."""


def content_key(*parts: str) -> str:
    """One key for a result made from `parts` (a stage's name, a file's name and hash...)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class MemoryMemo:
    """A memo for one process (tests, benchmarks): results kept pickled, so each `get` is a copy, as on disk."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any | None:
        """The result under `key`, unpickled (a fresh copy), or None; counted as a hit or a miss."""
        stored = self.entries.get(key)
        if stored is None:
            self.misses += 1
            return None
        self.hits += 1
        return pickle.loads(stored)

    def put(self, key: str, value: Any) -> None:
        """Store `value` pickled under `key`, so later changes to `value` are not kept."""
        self.entries[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def hash_files(files: Iterable[tuple[str, Path]], digest: hashlib._Hash) -> None:
    """Add each file's name and the SHA-256 of its bytes to `digest`, in name order."""
    for name, path in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The program itself: the package's code, the templates and the schemas."""
    digest = hashlib.sha256()
    sources = [(p.relative_to(PROJECT_ROOT).as_posix(), p)
               for package in ("catalogue", "flows") for p in (PROJECT_ROOT / package).rglob("*.py")]
    sources += [(f"templates/{p.relative_to(TEMPLATES_DIR).as_posix()}", p) for p in TEMPLATES_DIR.rglob("*") if p.is_file()]
    sources += [(f"schemas/{p.name}", p) for p in SCHEMAS_DIR.glob("*.json")]
    hash_files(sources, digest)
    return digest.hexdigest()
