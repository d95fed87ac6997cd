"""Stage results remembered by content: what a stage asks of a memo, and one kept in memory.

A stage that can skip work it has done before (reading a workbook, checking
its records) takes an optional `Memo` and names each result by the content it
was made from: a file's name and SHA-256, never a time or a path on disk. Equal
content, equal result, so a hit can never be stale. The store on disk
(publishing/content_cache.py) also salts every key with the code's fingerprint,
so a change to the program misses every earlier entry.

A memo hands back a copy: what a stage does to its result later cannot change
what the next run gets.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any, Protocol


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
        stored = self.entries.get(key)
        if stored is None:
            self.misses += 1
            return None
        self.hits += 1
        return pickle.loads(stored)

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
