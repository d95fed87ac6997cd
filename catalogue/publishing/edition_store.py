"""Editions: the catalogues published in an outputs folder, what each one is, and which are kept.

Every release under OUTPUTS/.releases/ that holds a catalogue.json belongs to
an edition. An edition is one state of the catalogue: its id is the first 12
hex digits of the SHA-256 of its catalogue.json with the build time and the
`changes` object left out, so a release that only refreshed the report
(validate, packs) or rebuilt the same inputs belongs to the edition it
repeats, while any changed input makes a new one. Editions are listed oldest
first; the "published" time of an edition is that of its first release.

Retention (RETENTION_RULE, applied by releases.publish after each switch):
the current release and the KEEP_RELEASES newest releases stay (a reader may
still hold the previous one); of the others, the newest release of each of the
last KEEP_EDITIONS editions, of every pinned edition, and of the latest
edition of each edition name (settings.json's "edition", e.g. "2024-2026
triennium, first edition") is kept, so every named edition that went out to
donors can still be compared with. Everything else is deleted.

Pins live in OUTPUTS/.pinned-editions (one id a line); summaries of releases
are cached in OUTPUTS/.cache/editions/ (safe to delete).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from catalogue import durable
from catalogue.model.editions.changes_json import changes_to_json
from catalogue.model.editions.compare import compare_editions
from catalogue.publishing.layout import CATALOGUE_JSON, CURRENT_LINK, EDITIONS_CACHE, RELEASES_DIR

RELEASES = RELEASES_DIR
CURRENT = CURRENT_LINK
PINS_FILE = ".pinned-editions"
KEEP_EDITIONS = 5
KEEP_RELEASES = 2
RETENTION_RULE = (f"the current release, the {KEEP_RELEASES} newest releases, and the newest release of each of the "
                  f"last {KEEP_EDITIONS} editions, of every pinned edition and of the latest edition of each name")
ID_LENGTH = 12
_RELEASE_TIME = re.compile(r"^(\d{8}T\d{6})-")


@dataclass(frozen=True)
class ReleaseSummary:
    """What one release's catalogue.json says about its edition (cached: catalogues can be large)."""

    release: str
    edition_id: str
    name: str
    as_at: str
    build_time: str
    inputs_fingerprint: str
    published_at: str
    languishing: tuple[str, ...]


@dataclass(frozen=True)
class Edition:
    id: str
    name: str
    as_at: str
    build_time: str
    inputs_fingerprint: str
    published_at: str  # first release of this edition, UTC, ISO 8601
    releases: tuple[str, ...]  # release folders holding it, oldest first
    pinned: bool
    languishing: frozenset[str]

    def catalogue_path(self, outputs: Path) -> Path:
        """The catalogue.json of the newest release that holds this edition."""
        return outputs / RELEASES / self.releases[-1] / CATALOGUE_JSON


def content_digest(document: dict[str, Any]) -> str:
    """SHA-256 of the catalogue without its build time and `changes`: equal figures and inputs, equal digest."""
    content = {k: v for k, v in document.items() if k != "changes"}
    provenance = {k: v for k, v in content.get("provenance", {}).items() if k != "build_time"}
    content["provenance"] = provenance
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def edition_id_of(document: dict[str, Any]) -> str:
    """The edition id of a catalogue.json document (or of catalogue_to_json of a model): its digest's first digits."""
    return content_digest(document)[:ID_LENGTH]


def inputs_fingerprint(document: dict[str, Any]) -> str:
    """SHA-256 over each input file's name and SHA-256 as provenance records them."""
    lines = sorted(f"{i['name']}\0{i['sha256']}\n" for i in document.get("provenance", {}).get("inputs", []))
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def _published_at(release: Path) -> str:
    found = _RELEASE_TIME.match(release.name)
    if found:  # releases.publish names each release after the local time it was switched in
        moment = datetime.strptime(found.group(1), "%Y%m%dT%H%M%S").astimezone(UTC)
    else:
        moment = datetime.fromtimestamp(release.stat().st_mtime, UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _write_atomically(path: Path, text: str) -> None:
    durable.write_text(path, text)


def summarise_release(outputs: Path, release: Path) -> ReleaseSummary | None:
    """The edition a release belongs to, or None if it holds no readable catalogue.json."""
    catalogue = release / CATALOGUE_JSON
    try:
        stat = catalogue.stat()
    except OSError:
        return None
    key = f"{stat.st_ino}-{stat.st_size}-{stat.st_mtime_ns}"
    cached = outputs / EDITIONS_CACHE / f"{release.name}.json"
    try:
        data = json.loads(cached.read_text(encoding="utf-8"))
        if data.pop("key") == key:
            return ReleaseSummary(**{**data, "languishing": tuple(data["languishing"])})
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        document = json.loads(catalogue.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    summary = ReleaseSummary(release.name, content_digest(document)[:ID_LENGTH], document.get("edition", ""),
                             document.get("as_at", ""), document.get("provenance", {}).get("build_time", ""),
                             inputs_fingerprint(document), _published_at(release),
                             tuple(sorted(p["id"] for p in document.get("languishing_priorities", []))))
    try:
        _write_atomically(cached, json.dumps({**asdict(summary), "key": key}))
    except OSError:
        pass  # a read-only outputs folder still lists its editions
    return summary


def finished_releases(outputs: Path) -> list[Path]:
    """Release folders, oldest first (by the time in their name, then by mtime)."""
    folder = outputs / RELEASES
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return sorted(found, key=lambda p: (_published_at(p), p.stat().st_mtime_ns, p.name))


def pinned_ids(outputs: Path) -> set[str]:
    """The ids in the pins file, one a line; none when the file is missing or cannot be read."""
    try:
        return {line.strip() for line in (outputs / PINS_FILE).read_text(encoding="utf-8").splitlines() if line.strip()}
    except OSError:
        return set()


def list_editions(outputs: Path) -> list[Edition]:
    """Every edition kept in `outputs`, oldest first."""
    pins = pinned_ids(outputs)
    grouped: dict[str, list[ReleaseSummary]] = {}
    for release in finished_releases(outputs):
        summary = summarise_release(outputs, release)
        if summary is not None:
            grouped.setdefault(summary.edition_id, []).append(summary)
    editions = []
    for edition_id, summaries in grouped.items():
        first, last = summaries[0], summaries[-1]
        editions.append(Edition(edition_id, last.name, last.as_at, first.build_time, last.inputs_fingerprint,
                                first.published_at, tuple(s.release for s in summaries), edition_id in pins,
                                frozenset(last.languishing)))
    return editions  # in the order of their first release (dicts keep insertion order)


class UnknownEdition(LookupError):
    """No kept edition matches what was asked for (an id, an edition name or a date)."""


def find_edition(editions: Sequence[Edition], wanted: str, *, before_latest: bool = False) -> Edition:
    """An edition by id (or a unique prefix of at least 4 digits), by its exact name, or as at a date (YYYY-MM-DD).

    A name gives the latest edition of that name (with `before_latest`, the latest
    one older than the latest edition: "since the first edition" while the first
    edition is still being updated). A date gives the latest edition published on
    or before that day (UTC); before the oldest kept edition, the oldest one.
    """
    matches = [e for e in editions if e.id == wanted or (len(wanted) >= 4 and e.id.startswith(wanted.lower()))]
    if len(matches) == 1:
        return matches[0]
    named = [e for e in editions if e.name == wanted]
    if named:
        return named[-2] if before_latest and len(named) > 1 and named[-1] == editions[-1] else named[-1]
    return _edition_as_at(editions, wanted)


def _edition_as_at(editions: Sequence[Edition], wanted: str) -> Edition:
    """The latest edition published on or before the day `wanted` (YYYY-MM-DD); the oldest if none is."""
    try:
        day = date.fromisoformat(wanted)
    except ValueError:
        raise UnknownEdition(wanted) from None
    if not editions:
        raise UnknownEdition(wanted)
    before = [e for e in editions if date.fromisoformat(e.published_at[:10]) <= day]
    return before[-1] if before else editions[0]


def set_pinned(outputs: Path, wanted: str, pinned: bool = True) -> Edition:
    """Pin (or unpin) an edition so that pruning keeps it; call under releases.outputs_lock."""
    edition = find_edition(list_editions(outputs), wanted)
    pins = pinned_ids(outputs)
    pins = pins | {edition.id} if pinned else pins - {edition.id}
    _write_atomically(outputs / PINS_FILE, "".join(f"{p}\n" for p in sorted(pins)))
    return Edition(**{**edition.__dict__, "pinned": pinned})


def releases_to_keep(outputs: Path, current: Path) -> set[str]:
    """The release folder names RETENTION_RULE keeps."""
    releases = finished_releases(outputs)
    keep = {current.name, *(p.name for p in releases[-KEEP_RELEASES:])}
    editions = list_editions(outputs)
    latest_of_name = {e.name: e for e in editions}  # oldest first, so the last of each name wins
    for edition in [*editions[-KEEP_EDITIONS:], *latest_of_name.values(), *(e for e in editions if e.pinned)]:
        keep.add(edition.releases[-1])
    return keep


def load_catalogue(outputs: Path, edition: Edition) -> dict[str, Any]:
    """An edition's catalogue.json document, read from its newest release."""
    data: dict[str, Any] = json.loads(edition.catalogue_path(outputs).read_text(encoding="utf-8"))
    return data


def compare_with(outputs: Path, editions: Sequence[Edition], then: Edition | None,
                 now_document: dict[str, Any], now_id: str) -> dict[str, Any]:
    """`changes` of `now_document` against the edition `then` (None: a first edition), as JSON."""
    if then is None:
        return changes_to_json(compare_editions(None, now_document, now_id=now_id))
    earlier = [e.languishing for e in editions[: editions.index(then)]]
    return changes_to_json(compare_editions(load_catalogue(outputs, then), now_document, earlier_languishing=earlier,
                                            then_id=then.id, now_id=now_id))


def changes_since_published(outputs: Path, catalogue_json: dict[str, Any]) -> dict[str, Any]:
    """catalogue.json's `changes` for a catalogue about to be published in `outputs`: against the last edition.

    A rebuild of the edition already published (same digest) keeps that edition's
    own `changes`, so rebuilding the same inputs gives the same bytes.
    """
    now_id = content_digest(catalogue_json)[:ID_LENGTH]
    editions = list_editions(outputs)
    if editions and editions[-1].id == now_id:
        previous = load_catalogue(outputs, editions[-1])
        if isinstance(previous.get("changes"), dict):
            return dict(previous["changes"])
    earlier = [e for e in editions if e.id != now_id]
    return compare_with(outputs, earlier, earlier[-1] if earlier else None, catalogue_json, now_id)


def changes_between(outputs: Path, since: str | None = None) -> tuple[Edition | None, Edition, dict[str, Any]]:
    """The latest edition against `since` (an edition or a date) or the one before it: (then, now, changes JSON).

    Raises UnknownEdition when `outputs` has no edition or `since` matches none.
    """
    editions = list_editions(outputs)
    if not editions:
        raise UnknownEdition("no edition has been published in this folder")
    now = editions[-1]
    then = find_edition(editions, since, before_latest=True) if since else (editions[-2] if len(editions) > 1 else None)
    # `since` naming the latest edition itself compares it with itself: "no-change", which is the truth.
    return then, now, compare_with(outputs, editions, then, load_catalogue(outputs, now), now.id)


def published_changes(outputs: Path) -> dict[str, Any] | None:
    """The `changes` object of the catalogue.json published in `outputs`, or None if there is none to read.

    Statements and the donor site show what the build compared; they never compare again.
    """
    try:
        document = json.loads((outputs / CATALOGUE_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    changes = document.get("changes") if isinstance(document, dict) else None
    return changes if isinstance(changes, dict) else None


def changes_as_at(outputs: Path, day: date) -> dict[str, Any] | None:
    """The published catalogue.json against the edition as at `day` (the latest published on or before it), as JSON.

    None when nothing is published or no kept edition is that old: a donor pack
    then says there is nothing to compare with, rather than comparing with a later edition.
    """
    try:
        now = json.loads((outputs / CATALOGUE_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    editions = list_editions(outputs)
    before = [e for e in editions if date.fromisoformat(e.published_at[:10]) <= day]
    if not isinstance(now, dict) or not before:
        return None
    return compare_with(outputs, editions, before[-1], now, content_digest(now)[:ID_LENGTH])
