"""The application's own state: accounts, access links, sessions, uploads, jobs and the audit log (SQLAlchemy 2).

SQLite in DATA by default; PostgreSQL through the `database_url` setting (tested). The schema is made and
kept up to date by the migrations in flows/web/migrations (migrate.py), never by `create_all`: a change to a
model here needs a migration there (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import String, Text, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


def utc_now() -> datetime:
    """The current time in UTC without a time zone, as every column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)  # stored naive, always UTC


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person who logs in: the Secretariat, or a partner's officer (then `partner_id` is set)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # "secretariat" or "partner"
    partner_id: Mapped[str | None] = mapped_column(String(80), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)  # set: cannot log in, sessions ended


class AccessLink(Base):
    """A secret link for one partner (or one donor's pack). Only the SHA-256 of its token is stored."""

    __tablename__ = "access_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "partner" or "donor"
    subject_id: Mapped[str] = mapped_column(String(80))  # partner id or donor id
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    opened_at: Mapped[datetime | None] = mapped_column(default=None)  # first opened: the desk shows who has


class WebSession(Base):
    """One signed-in browser: the cookie carries a random token, the table its SHA-256 and what it may do.

    Ending a session is setting `revoked_at`; the next request with its cookie is anonymous. `kind` is
    "user" (an account), "link" (a partner's secret link) or "donor" (the donor site's link, with the hash
    of the donor token it was opened with, so changing the token ends it).
    """

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(default=None, index=True)
    link_id: Mapped[int | None] = mapped_column(default=None, index=True)
    donor_key: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Upload(Base):
    """One workbook a partner sent: kept for good under its SHA-256, with who, when and the check's result."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(80), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))  # as the partner named it: shown escaped, never used as a path
    suffix: Mapped[str] = mapped_column(String(8))
    size: Mapped[int]
    uploaded_by: Mapped[str] = mapped_column(String(320))
    uploaded_at: Mapped[datetime] = mapped_column(default=utc_now)
    errors: Mapped[int] = mapped_column(default=0)
    warnings: Mapped[int] = mapped_column(default=0)
    report_json: Mapped[str] = mapped_column(Text, default="[]")
    state: Mapped[str] = mapped_column(String(20), default="checked")  # uploads.py: STATES, MOVES
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_by: Mapped[str | None] = mapped_column(String(320), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")


class Job(Base):
    """A build, packs or statements flow run started from the desk, with its progress and summary."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # build, packs, statements
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued, running, done, failed
    step: Mapped[str] = mapped_column(String(200), default="")
    requested_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    summary_json: Mapped[str] = mapped_column(Text, default="{}")
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    flow_run_url: Mapped[str] = mapped_column(String(500), default="", server_default="")  # its page in Prefect's UI
    edition: Mapped[str] = mapped_column(String(64), default="", server_default="")  # the edition a build published


class AuditEntry(Base):
    """Who did what and when: logins, uploads, submissions, decisions, links, jobs."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(40))
    partner_id: Mapped[str | None] = mapped_column(String(80), default=None)
    detail: Mapped[str] = mapped_column(Text, default="")


class Database:
    """An engine and a session factory; `session()` commits on success and rolls back on error."""

    def __init__(self, url: str) -> None:
        args = {"check_same_thread": False, "timeout": 30} if url.startswith("sqlite") else {}
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, connect_args=args)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        from flows.web.migrate import upgrade  # the migrations import this module's models

        upgrade(self.engine)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back if it raises."""
        with self._factory() as db, db.begin():
            yield db

    def audit(self, actor: str, action: str, partner_id: str | None = None, detail: str = "") -> None:
        """Add one entry to the audit log (who, what, for which partner, details), committed at once."""
        with self.session() as db:
            db.add(AuditEntry(actor=actor, action=action, partner_id=partner_id, detail=detail))


def _sqlite_pragmas(connection: object, _record: object) -> None:
    """WAL and full sync: a kill during a write loses nothing that was committed."""
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
