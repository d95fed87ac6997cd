"""Content fingerprints: what a build was made from, so an unchanged rebuild can be skipped safely.

A fingerprint covers every input file's bytes, the program's own code,
templates and schemas, and the options of the run. Equal fingerprints mean
equal outputs, so nothing stale can be served: change one amount, one
template or one line of code and the fingerprint changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from catalogue.inputs.files import walk_inputs
from catalogue.memo import code_fingerprint, hash_files
from catalogue.publishing.layout import CURRENT_LINK, FINGERPRINT_FILE

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
    hash_files(files, digest)
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
