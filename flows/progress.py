"""A tiny hook the CLI sets so that flow steps can show progress without knowing about the terminal."""

from __future__ import annotations

from collections.abc import Callable

_listener: Callable[[str], None] | None = None


def set_listener(listener: Callable[[str], None] | None) -> None:
    global _listener
    _listener = listener


def step(message: str) -> None:
    if _listener is not None:
        _listener(message)
