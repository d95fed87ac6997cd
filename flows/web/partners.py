"""What the web pages know about partners and the published outputs: read from inputs/ and outputs/, cached."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from catalogue.api import LANGUAGES, WORKPLANS_DIR, is_partner_file, layout, partner_directory

_lock = threading.Lock()
_partner_cache: dict[str, tuple[tuple[Any, ...], list[dict[str, Any]]]] = {}
_catalogue_cache: dict[str, tuple[tuple[Any, ...], dict[str, Any] | None]] = {}


def _stamp(paths: list[Path]) -> tuple[Any, ...]:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths if p.exists())


def partner_records(inputs: Path) -> list[dict[str, Any]]:
    """The partner directory (catalogue.api.partner_directory), read again only when a shared list changed."""
    shared = sorted(p for p in inputs.iterdir() if p.is_file()) if inputs.is_dir() else []
    stamp = _stamp(shared)
    with _lock:
        cached = _partner_cache.get(str(inputs))
        if cached and cached[0] == stamp:
            return cached[1]
    records = partner_directory(inputs)
    with _lock:
        _partner_cache[str(inputs)] = (stamp, records)
    return records


def partner_ids(inputs: Path) -> list[str]:
    """The id of every partner in the partner directory, in the directory's order."""
    return [str(r["id"]) for r in partner_records(inputs)]


def partner_language(inputs: Path, partner_id: str) -> str:
    """The first of the partner's languages the site offers; English otherwise, or for an unknown partner."""
    for record in partner_records(inputs):
        if record["id"] == partner_id:
            for lang in record.get("languages") or []:
                if lang in LANGUAGES:
                    return str(lang)
    return "en"


def partner_name(inputs: Path, partner_id: str) -> str:
    """The partner's name from the directory; its id when it has no name or is not listed."""
    for record in partner_records(inputs):
        if record["id"] == partner_id:
            return str(record.get("name") or partner_id)
    return partner_id


def published_catalogue(outputs: Path) -> dict[str, Any] | None:
    """OUTPUTS/catalogue.json as published (through the current release link), parsed once per release."""
    path = outputs / layout.CATALOGUE_JSON
    if not path.exists():
        return None
    real = Path(os.path.realpath(path))
    stamp = _stamp([real])
    with _lock:
        cached = _catalogue_cache.get(str(outputs))
        if cached and cached[0] == stamp:
            return cached[1]
    data: dict[str, Any] = json.loads(real.read_text(encoding="utf-8"))
    with _lock:
        _catalogue_cache[str(outputs)] = (stamp, data)
    return data


_editions: dict[tuple[Any, ...], str] = {}


def published_edition(outputs: Path) -> str:
    """The edition id of the published catalogue.json ("" before any), digested once per release."""
    document = published_catalogue(outputs)
    if document is None:
        return ""
    key = release_key(outputs)
    with _lock:
        known = _editions.get(key)
    if known is None:
        from catalogue.api import edition_id_of

        known = edition_id_of(document)
        with _lock:
            _editions.clear()  # one published release at a time is all a server shows
            _editions[key] = known
    return known


def published_logo(outputs: Path) -> Path | None:
    """The publisher's logo as the published release holds it (OUTPUTS/logo/<file>), or None."""
    document = published_catalogue(outputs)
    name = document.get("logo") if document else None
    if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
        return None
    path = outputs / layout.LOGO_DIR / name
    return path if path.is_file() else None


def release_key(outputs: Path) -> tuple[Any, ...]:
    """Which published catalogue.json the cache holds (path, mtime, size): keys the donor pages' cache."""
    with _lock:
        cached = _catalogue_cache.get(str(outputs))
    return cached[0] if cached else ()


def workplan_in_inputs(inputs: Path, partner_id: str) -> Path | None:
    """The partner's workplan file in INPUTS/workplans/ (the first by name if there are several), or None."""
    folder = inputs / WORKPLANS_DIR
    if not folder.is_dir():
        return None
    found = [p for p in folder.iterdir() if p.is_file() and is_partner_file(f"{WORKPLANS_DIR}/{p.name}", partner_id)]
    return sorted(found)[0] if found else None
