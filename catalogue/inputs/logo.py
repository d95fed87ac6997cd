"""The publisher's logo that settings.json names: a small PNG or JPEG in the inputs folder, checked as it is read.

A logo that is missing, too large or not a PNG or JPEG is a warning on settings.json's `logo` (the site then
shows the organisation's name alone); a good one is an input file like any other: its SHA-256 is in the
catalogue's provenance, and the release publishes exactly those bytes (publishing/catalogue_release.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from catalogue.inputs.files import sha256_of
from catalogue.inputs.records import InputFile, Record
from catalogue.issues import N_, DataIssue, figure, issue

MAX_LOGO_BYTES = 200 * 1024
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
LOGO_KIND = "logo"


def logo_type(raw: bytes) -> str | None:
    """PNG or JPEG by the file's first bytes (never by its name), or None."""
    return next((kind for magic, kind in IMAGE_MAGIC.items() if raw.startswith(magic)), None)


def _unusable(settings: Record, message: str, params: dict[str, Any]) -> DataIssue:
    return issue("settings-logo-unusable", settings.locate(("logo",)), message,
                 N_("Put a PNG or JPEG of at most 200 KB in the inputs folder and give its file name as logo in "
                    "settings.json, or remove logo."), params=params, field="logo")


def read_logo(root: Path, settings: Record | None) -> tuple[InputFile | None, list[DataIssue]]:
    """The logo as an input file when settings.json names a usable one; else why not (a warning)."""
    name = settings.data.get("logo") if settings is not None else None
    if settings is None or not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        return None, []  # no logo, or a name the schema refuses (its own error says so)
    path = root / name
    try:
        if not path.is_file() or path.is_symlink():
            return None, [_unusable(settings, N_("The logo %(file)s is not in the inputs folder."), {"file": name})]
        if path.stat().st_size > MAX_LOGO_BYTES:
            return None, [_unusable(settings, N_("The logo %(file)s is larger than %(limit)s KB."),
                                    {"file": name, "limit": figure(MAX_LOGO_BYTES // 1024)})]
        raw = path.read_bytes()
    except OSError:
        return None, [_unusable(settings, N_("The logo %(file)s cannot be read."), {"file": name})]
    if logo_type(raw) is None:
        return None, [_unusable(settings, N_("The logo %(file)s is not a PNG or JPEG image."), {"file": name})]
    return InputFile(name, LOGO_KIND, sha256_of(raw), len(raw)), []
