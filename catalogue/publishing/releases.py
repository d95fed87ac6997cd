"""Publishing without half-written files, even when a run is killed.

Each build writes a complete *release* folder under OUTPUTS/.releases/ and then
switches one symbolic link, OUTPUTS/.current, to it. The published names
(catalogue.pdf, catalogue.xlsx, catalogue.json, validation/) are stable links
through .current, so all of them change together in one atomic rename: a
reader, or a run killed at any point, sees either the whole previous
catalogue or the whole new one, never a mix. The previous release is kept for
one more build; older ones are kept or deleted by the editions' retention rule
(catalogue/publishing/edition_store.py).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from catalogue import durable
from catalogue.publishing.layout import CURRENT_LINK, FINGERPRINT_FILE, RELEASES_DIR

RELEASES = RELEASES_DIR
CURRENT = CURRENT_LINK


def _atomic_symlink(target: str, link: Path) -> None:
    """Point `link` at `target` in one rename (replacing a file or link that is there)."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    os.replace(temporary, link)
    durable.sync_folder(link.parent)  # the new release is current after a power cut too


def _new_release(outputs: Path) -> Path:
    releases = outputs / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    release = Path(tempfile.mkdtemp(prefix=".building-", dir=releases))
    release.chmod(0o755)  # mkdtemp makes it private; a catalogue is for sharing
    return release


def _current_release(outputs: Path) -> Path | None:
    link = outputs / CURRENT
    return (outputs / os.readlink(link)) if link.is_symlink() else None


def _carry_over(previous: Path | None, release: Path, keep: set[str], keep_fingerprint: bool) -> None:
    """Copy what this run does not rewrite (e.g. the catalogue, when only validation is redone)."""
    if previous is None or not previous.is_dir():
        return
    for item in previous.iterdir():
        # The fingerprint belongs to the build that made the catalogue and its report; a run that redoes the
        # report must not inherit it.
        if item.name in keep or (item.name == FINGERPRINT_FILE and not keep_fingerprint) or (release / item.name).exists():
            continue
        # Hard links: instant, no extra space, and the previous release's bytes stay exactly as they were.
        if item.is_dir():
            shutil.copytree(item, release / item.name, copy_function=os.link)
        else:
            os.link(item, release / item.name)


def _prune(outputs: Path, current: Path) -> None:
    # Which releases stay is the editions' retention rule (editions.RETENTION_RULE); imported here because
    # editions reads the layout this module writes.
    from catalogue.publishing.edition_store import releases_to_keep

    releases = outputs / RELEASES
    keep = releases_to_keep(outputs, current)
    for old in releases.iterdir():
        if old.is_dir() and not old.name.startswith(".") and old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for stale in releases.glob(".building-*"):
        # Left by a run that was killed; safe to remove once no one holds the lock (we do).
        shutil.rmtree(stale, ignore_errors=True)


def publish(outputs: Path, writers: dict[str, Callable[[Path], None]], names: tuple[str, ...],
            keep_fingerprint: bool = False) -> list[Path]:
    """Write a new release with `writers` (name -> writer of that file or folder), then switch to it.

    Files of the previous release that this run does not write are carried
    over, so `validate` can refresh the report without dropping the catalogue.
    `names` are the published names to link from OUTPUTS (only those that exist
    in the release are linked). `keep_fingerprint`: this run leaves the
    catalogue and its report as they were (packs, statements), so the build's
    fingerprint stays true. Call inside `outputs_lock`.
    """
    outputs.mkdir(parents=True, exist_ok=True)
    previous = _current_release(outputs)
    release = _new_release(outputs)
    try:
        for name, write in writers.items():
            write(release / name)
        _carry_over(previous, release, set(writers), keep_fingerprint)
        final = release.with_name(time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{release.name[-6:]}")
        os.rename(release, final)
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    _atomic_symlink(f"{RELEASES}/{final.name}", outputs / CURRENT)  # the one switch: everything changes here
    for name in writers:  # a writer that wrote nothing withdrew its file: no link may point at it any more
        link = outputs / name
        if not (final / name).exists() and link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}":
            link.unlink()
    published = []
    for name in names:
        link = outputs / name
        if (final / name).exists():
            if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
                if link.is_dir() and not link.is_symlink():
                    shutil.rmtree(link)  # a folder from a version that wrote folders in place
                _atomic_symlink(f"{CURRENT}/{name}", link)
            published.append(link)
    _prune(outputs, final)
    return published


def publish_or_explain(outputs: Path, writers: dict[str, Callable[[Path], None]], names: tuple[str, ...],
                       keep_fingerprint: bool = False, on_wait: Callable[[], None] | None = None) -> tuple[list[Path], str]:
    """publish() under the lock; a full disk or an unwritable folder becomes a message, not a traceback."""
    try:
        with outputs_lock(outputs, on_wait=on_wait):
            return publish(outputs, writers, names, keep_fingerprint), ""
    except OSError as err:
        where = f" ({err.filename})" if err.filename else ""
        return [], (f"Could not write to {outputs}: {err.strerror or err}{where}. "
                    "Nothing was published; the earlier outputs are unchanged.")


@contextmanager
def outputs_lock(outputs: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """One writer per outputs folder: a second build waits here for the first to finish."""
    outputs.mkdir(parents=True, exist_ok=True)
    with open(outputs / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
