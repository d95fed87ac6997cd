"""Donor packs rendered once per content: a cache keyed by what a pack shows, and the packs/ release.

A pack's key is the SHA-256 of the code fingerprint (code, templates,
schemas), the donor's profile and the pack's own content (every figure and
text it shows; there is no build time in it). Rendered files live in
OUTPUTS/.cache/packs/<key>/ and are reused while the key matches; change one
amount that a pack shows and its key changes, so a cache entry can never be
stale. The folder is safe to delete. An entry holds the pack's PDF, workbook and summary (pack_file_names).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalogue.memo import code_fingerprint
from catalogue.publishing.fingerprint import build_fingerprint
from catalogue.publishing.layout import EDITION_FILE, FINGERPRINT_FILE, PACKS_DIR
from catalogue.publishing.releases import CURRENT
from catalogue.views.donor_pack import DonorPack, pack_summary


@dataclasses.dataclass(frozen=True)
class PackJob:
    """One donor's pack and where its rendering is (or will be) cached."""

    pack: DonorPack
    key: str


@dataclasses.dataclass(frozen=True)
class RenderedPack:
    donor_id: str
    folder: str  # the cache folder holding <donor id>.pdf and <donor id>.xlsx
    reused: bool  # True when the cache already held this exact pack


def pack_key(donor: dict[str, Any], pack: DonorPack) -> str:
    """The content hash that names a pack's cache entry: code, donor profile and the pack's content."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(json.dumps(donor, sort_keys=True, default=str, ensure_ascii=False).encode())
    digest.update(json.dumps(dataclasses.asdict(pack), sort_keys=True, default=str, ensure_ascii=False).encode())
    return digest.hexdigest()


def pack_file_names(donor_id: str) -> tuple[str, str, str]:
    """A donor's pack files, named after the donor id: its PDF, its workbook, and the summary its private page
    shows (JSON: the donor's name, the pack's language and edition, the matched gaps)."""
    return f"{donor_id}.pdf", f"{donor_id}.xlsx", f"{donor_id}.json"


def cached_pack(job: PackJob, cache_root: Path) -> RenderedPack | None:
    """The pack's cache entry when it holds every file of the pack; None when it must be rendered."""
    folder = cache_root / job.key
    if all((folder / name).is_file() for name in pack_file_names(job.pack.donor_id)):
        return RenderedPack(job.pack.donor_id, str(folder), True)
    return None


def render_pack_files(job: PackJob) -> dict[str, bytes]:
    """The pack's files as bytes (PDF, workbook, summary), made wherever this runs: a local process or a Dask
    worker on another machine; nothing is written outside a temporary folder there."""
    from catalogue.render.pdf.pack_pdf import render_pack_pdf  # WeasyPrint is slow to import
    from catalogue.render.xlsx.pack_workbook import write_pack_xlsx

    pack = job.pack
    pdf_name, xlsx_name, summary_name = pack_file_names(pack.donor_id)
    with tempfile.TemporaryDirectory(prefix=f"pack-{pack.donor_id}-") as folder:
        render_pack_pdf(pack, Path(folder) / pdf_name)
        write_pack_xlsx(pack, Path(folder) / xlsx_name)
        files = {name: (Path(folder) / name).read_bytes() for name in (pdf_name, xlsx_name)}
    summary = json.dumps(pack_summary(pack), ensure_ascii=False, indent=1) + "\n"
    files[summary_name] = summary.encode("utf-8")
    return files


def keep_pack(job: PackJob, cache_root: Path, files: dict[str, bytes]) -> RenderedPack:
    """Put a rendered pack's files in its cache entry, which appears whole or not at all."""
    folder = cache_root / job.key
    cache_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".rendering-{job.pack.donor_id}-", dir=cache_root))
    try:
        for name in pack_file_names(job.pack.donor_id):
            (staging / name).write_bytes(files[name])
        staging.chmod(0o755)
        try:
            os.rename(staging, folder)  # the entry appears whole, or not at all
        except OSError:
            if cached_pack(job, cache_root) is None:  # not another run that rendered the same pack first
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RenderedPack(job.pack.donor_id, str(folder), False)


def prune_cache(cache_root: Path, keep: set[str]) -> None:
    """After a full run, drop cache entries no current pack uses (older code, changed figures, removed donors)."""
    for entry in cache_root.iterdir():
        if entry.is_dir() and entry.name not in keep and not entry.name.startswith(".rendering-"):
            shutil.rmtree(entry, ignore_errors=True)


def packs_fingerprint(inputs: Path, donor: str | None) -> str:
    """What a packs run is made of: every input byte, the code, and which donor (or all)."""
    return build_fingerprint(inputs, purpose="packs", donor=donor, source_date_epoch=os.environ.get("SOURCE_DATE_EPOCH"))


def published_pack_files(outputs: Path, fingerprint: str) -> list[Path] | None:
    """The packs already published for exactly these inputs, code and donor, if so: nothing to redo."""
    folder = outputs / PACKS_DIR
    try:
        if (folder / FINGERPRINT_FILE).read_text(encoding="utf-8").strip() != fingerprint:
            return None
    except OSError:
        return None
    return sorted(p for p in folder.iterdir() if p.suffix in (".pdf", ".xlsx"))


def _edition_of(folder: Path) -> str:
    try:
        return (folder / EDITION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def packs_writer(outputs: Path, rendered: list[RenderedPack], only: str | None,
                 fingerprint: str, edition_id: str = "") -> Callable[[Path], None]:
    """Write packs/: the rendered packs copied from the cache, and for one donor the others' published packs
    when they were made from the same edition (an older edition's packs are withdrawn, never kept beside it)."""
    def write(folder: Path) -> None:
        folder.mkdir()
        previous = outputs / CURRENT / PACKS_DIR
        if only is not None and previous.is_dir() and _edition_of(previous) == edition_id:
            # One donor was asked for: the other donors' published packs stay as they were.
            for item in previous.iterdir():
                if item.is_file() and item.name not in pack_file_names(only) and item.name not in (FINGERPRINT_FILE, EDITION_FILE):
                    shutil.copyfile(item, folder / item.name)
        for r in rendered:
            for name in pack_file_names(r.donor_id):
                # A copy, not a link: editing a published pack must never change the cache.
                shutil.copyfile(Path(r.folder) / name, folder / name)
        (folder / FINGERPRINT_FILE).write_text(fingerprint + "\n", encoding="utf-8")
        (folder / EDITION_FILE).write_text(edition_id + "\n", encoding="utf-8")
    return write
