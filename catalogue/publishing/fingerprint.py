"""Content fingerprints: what a build was made from, so an unchanged rebuild can be skipped safely.

A fingerprint covers every input file's bytes, the program's own code,
templates and schemas, and the options of the run. Equal fingerprints mean
equal outputs, so nothing stale can be served: change one amount, one
template or one line of code and the fingerprint changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from catalogue.config import CURRENT_LINK, FINGERPRINT_FILE, PROJECT_ROOT, SCHEMAS_DIR, TEMPLATES_DIR
from catalogue.inputs.files import walk_inputs


def _hash_files(files: Iterable[tuple[str, Path]], digest: hashlib._Hash) -> None:
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
    _hash_files(sources, digest)
    return digest.hexdigest()


REFUSED_PREFIX = "refused:"


def build_fingerprint(inputs: Path, **options: object) -> str:
    """Every file under `inputs`, the code, and the run's options (language, partner...).

    Files are found as the loader finds them (inputs.files.walk_inputs): a link
    out of the folder, a link loop or a dangling link is never read. When the
    folder holds one, the answer starts with REFUSED_PREFIX: a value no
    published build ever recorded (such a build fails), so the run goes on and
    the loader reports the refusal instead of "unchanged".
    """
    files, refused = walk_inputs(inputs)
    if refused:
        return REFUSED_PREFIX + hashlib.sha256("\0".join(refused).encode()).hexdigest()
    digest = hashlib.sha256(code_fingerprint().encode())
    _hash_files(files, digest)
    for key in sorted(options):
        digest.update(f"{key}={options[key]!r}\n".encode())
    return digest.hexdigest()


def published_fingerprint(outputs: Path) -> str | None:
    """The fingerprint of the build currently published in `outputs`, if it recorded one."""
    marker = outputs / CURRENT_LINK / FINGERPRINT_FILE
    try:
        return marker.read_text(encoding="utf-8").strip()
    except OSError:
        return None
