"""Server-side sessions: opened on login or on a link, looked up on every request, ended for good.

The browser's cookie (signed by Starlette) carries only a random session token; what the token may do lives
in the web_sessions table. So logging out, disabling an account, setting a new password, revoking a link
and changing the donor token end a session at its next request, whatever copy of the cookie exists, also
across restarts. A session also ends after IDLE without a request and after ABSOLUTE in any case.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .db import AccessLink, User, WebSession, utc_now
from .security import token_hash

IDLE = timedelta(hours=2)  # an officer at lunch keeps the session; a laptop left overnight does not
ABSOLUTE = timedelta(hours=8)  # one working day, however busy
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often: reading a page is not a write


@dataclass(frozen=True)
class Principal:
    """Who is asking: the Secretariat, or one partner (by secret link or by account)."""

    role: str  # "secretariat" or "partner"
    actor: str  # for the audit log: an e-mail, or "link #12 (P-WWF)"
    partner_id: str | None = None
    session_id: int = 0  # the web_sessions row, to end it


def donor_key(donor_token: str) -> str:
    """What a donor session remembers of the donor token it was opened with: a hash, never the token."""
    return hashlib.sha256(b"donor-site:" + donor_token.encode()).hexdigest()


def open_session(db: Session, kind: str, *, user_id: int | None = None, link_id: int | None = None,
                 donor_token: str = "") -> str:
    """A new session row; returns the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    db.add(WebSession(token_hash=token_hash(token), kind=kind, user_id=user_id, link_id=link_id,
                      donor_key=donor_key(donor_token) if kind == "donor" else None))
    return token


def _live(db: Session, token: str | None, kind: str, now: datetime) -> WebSession | None:
    """The session row for a cookie's token while it lives: not ended, not idle too long, not too old."""
    if not token:
        return None
    row = db.scalar(select(WebSession).where(WebSession.token_hash == token_hash(token)))
    if row is None or row.kind != kind or row.revoked_at is not None:
        return None
    if now - row.last_seen_at > IDLE or now - row.created_at > ABSOLUTE:
        row.revoked_at = now
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    return row


def principal_of(db: Session, token: str | None, now: datetime | None = None) -> Principal | None:
    """Who a signed-in cookie speaks for, or None: an ended session, a disabled account, a revoked link."""
    now = now or utc_now()
    row = _live(db, token, "user", now) or _live(db, token, "link", now)
    if row is None:
        return None
    if row.kind == "user":
        user = db.get(User, row.user_id)
        if user is None or user.disabled_at is not None:
            return None
        return Principal(user.role, user.email, user.partner_id if user.role == "partner" else None, row.id)
    link = db.get(AccessLink, row.link_id)
    if link is None or link.kind != "partner" or link.revoked_at is not None:
        return None
    return Principal("partner", f"link #{link.id} ({link.subject_id})", link.subject_id, row.id)


def donor_session_lives(db: Session, token: str | None, donor_token: str, now: datetime | None = None) -> bool:
    """Is this a donor session opened with the donor token in force now? A changed token ends every one."""
    row = _live(db, token, "donor", now or utc_now())
    return row is not None and bool(donor_token) and secrets.compare_digest(row.donor_key or "", donor_key(donor_token))


def end_session(db: Session, token: str | None) -> None:
    """End the session a cookie carries (logging out): its token works nowhere any more."""
    if token:
        db.execute(update(WebSession).where(WebSession.token_hash == token_hash(token), WebSession.revoked_at.is_(None))
                   .values(revoked_at=utc_now()))


def end_sessions_of_user(db: Session, user_id: int) -> int:
    """End every session of an account (a new password, a disabled account); how many were open."""
    done = db.execute(update(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
                      .values(revoked_at=utc_now()))
    return int(getattr(done, "rowcount", 0) or 0)


def end_sessions_of_link(db: Session, link_id: int) -> None:
    """End every session opened with a partner link (the link was revoked)."""
    db.execute(update(WebSession).where(WebSession.link_id == link_id, WebSession.revoked_at.is_(None))
               .values(revoked_at=utc_now()))
