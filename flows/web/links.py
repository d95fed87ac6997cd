"""Secret links, partners' and donors': issued (only the token's hash kept), looked up, opened, revoked.

Every change is audited in the same transaction. A revoked link ends the sessions opened with it at once.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import AccessLink, AuditEntry, utc_now
from .security import new_link_token, token_hash
from .sessions import end_sessions_of_link

PARTNER, DONOR = "partner", "donor"


def issue(db: Session, kind: str, subject_id: str, actor: str) -> tuple[str, int]:
    """A new link for a partner or a donor: (the token, shown once; the link's id)."""
    token = new_link_token()
    link = AccessLink(kind=kind, subject_id=subject_id, token_hash=token_hash(token), created_by=actor)
    db.add(link)
    db.flush()
    db.add(AuditEntry(actor=actor, action="link-issued" if kind == PARTNER else "donor-link-issued",
                      partner_id=subject_id if kind == PARTNER else None, detail=f"link #{link.id} for {subject_id}"))
    return token, link.id


def live_link(db: Session, token: str, kind: str) -> AccessLink | None:
    """The link a token opens, if it is of `kind` and not revoked."""
    link = db.scalar(select(AccessLink).where(AccessLink.token_hash == token_hash(token)))
    return link if link is not None and link.kind == kind and link.revoked_at is None else None


def mark_opened(db: Session, link_id: int) -> None:
    """The partner opened its link (the desk shows who has): the first time is kept, every time audited."""
    link = db.get(AccessLink, link_id)
    if link is None:
        return
    link.opened_at = link.opened_at or utc_now()
    db.add(AuditEntry(actor=f"link #{link_id}", action="link-opened", partner_id=link.subject_id))


def revoke(db: Session, link_id: int, actor: str) -> AccessLink | None:
    """Revoke a link for good and end the sessions opened with it; None if there is no such link."""
    link = db.get(AccessLink, link_id)
    if link is None:
        return None
    link.revoked_at = link.revoked_at or utc_now()
    end_sessions_of_link(db, link_id)  # whoever opened it is out at once, not at their next request only
    db.add(AuditEntry(actor=actor, action="link-revoked", partner_id=link.subject_id if link.kind == PARTNER else None,
                      detail=f"link #{link_id} ({link.subject_id})"))
    return link
