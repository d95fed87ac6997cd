"""A tiny hook the CLI sets so that flow steps can show progress without knowing about the terminal."""

from __future__ import annotations

from collections.abc import Callable

_listener: Callable[[str], None] | None = None


def set_listener(listener: Callable[[str], None] | None) -> None:
    """Send every later `step` message to `listener` (the CLI's status line, a desk job's row); None stops it."""
    global _listener
    _listener = listener


def step(message: str) -> None:
    """Tell the listener, if one is set, which step the running flow has reached; otherwise do nothing."""
    if _listener is not None:
        _listener(message)
