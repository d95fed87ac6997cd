"""An upload's life, in one state machine: every change of state is made here, checked here and audited here.

    uploaded -> checked -> submitted -> accepted -> built
                   ^          |   \\         \\         \\
                   |          v    superseded  superseded  superseded
                   +----- returned

- uploaded: stored under its SHA-256, being checked (an upload left here means its check failed);
- checked: the report is ready; without errors it can be submitted;
- submitted: waiting for the Secretariat; a newer submission of the same partner supersedes it;
- returned: sent back with a note; the partner may submit it again;
- accepted: its workbook is the partner's file in inputs/; a later accepted one supersedes it;
- built: a build that started after the acceptance finished: the workbook is in the published catalogue;
- superseded: replaced by a newer workbook of the same partner, before or after a decision.

Refusals are sentences (msgids with parameters) for the page that asked, never a bare status code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.api import N_, WORKPLANS_DIR

from .db import AuditEntry, Upload, utc_now

UPLOADED, CHECKED, SUBMITTED, RETURNED = "uploaded", "checked", "submitted", "returned"
ACCEPTED, BUILT, SUPERSEDED = "accepted", "built", "superseded"
# Every state with the words a page shows for it (translated by the page).
STATES: dict[str, str] = {
    UPLOADED: N_("being checked"), CHECKED: N_("checked"), SUBMITTED: N_("submitted"), RETURNED: N_("returned"),
    ACCEPTED: N_("accepted"), BUILT: N_("in the catalogue"), SUPERSEDED: N_("superseded"),
}
# The moves allowed: (from, event) -> to. Nothing else changes a state.
MOVES: dict[tuple[str, str], str] = {
    (UPLOADED, "check"): CHECKED,
    (CHECKED, "submit"): SUBMITTED,
    (RETURNED, "submit"): SUBMITTED,
    (SUBMITTED, "accept"): ACCEPTED,
    (SUBMITTED, "return"): RETURNED,
    (CHECKED, "supersede"): SUPERSEDED,
    (SUBMITTED, "supersede"): SUPERSEDED,
    (RETURNED, "supersede"): SUPERSEDED,
    (ACCEPTED, "supersede"): SUPERSEDED,
    (BUILT, "supersede"): SUPERSEDED,
    (ACCEPTED, "build"): BUILT,
}
# An event as the refusal sentence names it ("it cannot be accepted").
EVENT_WORDS: dict[str, str] = {
    "check": N_("checked"), "submit": N_("submitted"), "accept": N_("accepted"), "return": N_("returned"),
    "supersede": N_("superseded"), "build": N_("built"),
}
PENDING = (CHECKED, SUBMITTED, RETURNED)  # not decided for good: a newer submission supersedes these
IN_INPUTS = (ACCEPTED, BUILT)  # its workbook is (or was last) the partner's file in the inputs


@dataclass
class Refused(Exception):
    """A move the rules do not allow, with the sentence that says why (a msgid and its parameters; a text
    parameter is a msgid too, translated with the sentence)."""

    message: str
    params: dict[str, object] = field(default_factory=dict)

    def text(self, gettext: Callable[[str], str]) -> str:
        """The sentence in the reader's language."""
        params = {k: gettext(v) if isinstance(v, str) else v for k, v in self.params.items()}
        return gettext(self.message) % params if params else gettext(self.message)


def move(db: Session, upload: Upload, event: str, actor: str, detail: str = "") -> None:
    """Apply one event to an upload, or refuse it; the change goes to the audit log in the same transaction."""
    to = MOVES.get((upload.state, event))
    if to is None:
        raise Refused(N_("Upload #%(id)s is %(state)s: it cannot be %(event)s."),
                      {"id": upload.id, "state": STATES.get(upload.state, upload.state),
                       "event": EVENT_WORDS.get(event, event)})
    db.add(AuditEntry(actor=actor, action=event, partner_id=upload.partner_id,
                      detail=f"upload #{upload.id}: {upload.state} -> {to}" + (f"; {detail}" if detail else "")))
    upload.state = to


def record_upload(db: Session, partner_id: str, sha256: str, filename: str, suffix: str, size: int,
                  actor: str) -> Upload:
    """A new upload, stored and about to be checked."""
    upload = Upload(partner_id=partner_id, sha256=sha256, filename=Path(filename).name[:255], suffix=suffix,
                    size=size, uploaded_by=actor, state=UPLOADED)
    db.add(upload)
    db.flush()
    db.add(AuditEntry(actor=actor, action="upload", partner_id=partner_id,
                      detail=f"upload #{upload.id}: sha256 {sha256[:12]}, {size} bytes"))
    return upload


def record_check(db: Session, upload: Upload, errors: int, warnings: int, report_json: str, actor: str) -> None:
    """The check's result: the report is kept with the upload, which is now checked."""
    upload.errors, upload.warnings, upload.report_json = errors, warnings, report_json
    move(db, upload, "check", actor, f"{errors} error(s), {warnings} warning(s)")


def _others(db: Session, upload: Upload, states: tuple[str, ...]) -> list[Upload]:
    return list(db.scalars(select(Upload).where(Upload.partner_id == upload.partner_id, Upload.id != upload.id,
                                                Upload.state.in_(states)).order_by(Upload.id)))


def submit(db: Session, upload: Upload, actor: str) -> list[int]:
    """Send an upload to the Secretariat; a submission still waiting from the same partner is superseded.
    Returns the ids superseded."""
    if upload.errors:
        raise Refused(N_("This workbook has errors: correct them and check it again before you submit it."))
    move(db, upload, "submit", actor)
    upload.submitted_at, upload.note = utc_now(), ""
    superseded = []
    for older in _others(db, upload, (SUBMITTED,)):
        move(db, older, "supersede", actor, f"by upload #{upload.id}")
        superseded.append(older.id)
    return superseded


def check_acceptable(db: Session, upload: Upload) -> None:
    """Refuse, with a sentence, accepting an upload that would put older figures back or skip a newer one."""
    newer_in = [u for u in _others(db, upload, IN_INPUTS) if u.id > upload.id]
    if newer_in:
        raise Refused(N_("A newer workbook of this partner (upload #%(newer)s) is already accepted: accepting this "
                         "older one would put older figures back."), {"newer": newer_in[-1].id})
    newer_waiting = [u for u in _others(db, upload, (SUBMITTED,)) if u.id > upload.id]
    if newer_waiting:
        raise Refused(N_("A newer submission of this partner (upload #%(newer)s) is waiting: decide that one."),
                      {"newer": newer_waiting[-1].id})
    if upload.errors:
        raise Refused(N_("This workbook has errors: it cannot be accepted."))


def accept(db: Session, upload: Upload, actor: str, detail: str) -> None:
    """Record the acceptance (the caller has put the workbook in the inputs); the partner's previously
    accepted upload is superseded, and a return note no longer applies."""
    check_acceptable(db, upload)
    move(db, upload, "accept", actor, detail)
    upload.decided_by, upload.decided_at, upload.note = actor, utc_now(), ""
    for older in _others(db, upload, IN_INPUTS):
        move(db, older, "supersede", actor, f"by upload #{upload.id}")


def return_to_partner(db: Session, upload: Upload, actor: str, note: str) -> None:
    """Send a submission back with a note; the partner may submit it again."""
    move(db, upload, "return", actor, note[:200])
    upload.note, upload.decided_by, upload.decided_at = note, actor, utc_now()


def published_sha256(document: dict[str, Any], partner_id: str, suffix: str) -> str:
    """The SHA-256 of a partner's workbook as the published catalogue's provenance names it ("" if none)."""
    name = f"{WORKPLANS_DIR}/{partner_id}{suffix}"
    for entry in (document.get("provenance") or {}).get("inputs") or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            return str(entry.get("sha256") or "")
    return ""


def sync_built(db: Session, document: dict[str, Any], actor: str, edition: str) -> list[int]:
    """Every accepted upload whose exact bytes the published catalogue was built from is in the catalogue now
    (by the SHA-256 its provenance records: a build from the command line counts too). The ids moved."""
    done = []
    for upload in db.scalars(select(Upload).where(Upload.state == ACCEPTED)):
        if published_sha256(document, upload.partner_id, upload.suffix) == upload.sha256:
            move(db, upload, "build", actor, f"edition {edition}" if edition else "")
            done.append(upload.id)
    return done
