"""Sessions that end, a login throttle that locks no one else out, links that name the configured site.

Each test does what a person would: copies a cookie, logs out, changes a password from the command line,
revokes a link, changes the donor token, guesses passwords, sends a forged Host header.
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from flows.cli import app as cli
from flows.web.db import AuditEntry, Database, WebSession, utc_now
from flows.web.security import LoginThrottle
from flows.web.site_settings import WebSettings
from tests.web.helpers import (
    PASSWORD,
    SECRETARIAT,
    add_link,
    client_for,
    csrf_of,
    fresh_app,
    make_site,
    secretariat_client,
)

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture
def site(tmp_path: Path, web_database: Callable[[], str]) -> tuple[WebSettings, FastAPI]:
    settings = make_site(tmp_path, database_url=web_database())  # SQLite, then PostgreSQL
    return settings, fresh_app(settings)


def _copy_of(client: TestClient, app: FastAPI) -> TestClient:
    """Another browser holding a copy of `client`'s cookie (as a thief, or a shared computer, would)."""
    other = client_for(app)
    other.cookies.update(client.cookies)
    return other


def _env(settings: WebSettings) -> dict[str, str]:
    """The command line pointed at the site's database, as an operator's environment would."""
    return {"CATALOGUE_DATABASE_URL": settings.database_url}


def _signed_in(client: TestClient) -> bool:
    return client.get("/desk").status_code == 200


def test_logging_out_ends_the_session_for_every_copy_of_the_cookie(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    desk = secretariat_client(app)
    thief = _copy_of(desk, app)
    assert _signed_in(thief)
    assert desk.post("/logout", data={"csrf": csrf_of(desk.get("/desk").text)}).status_code == 303
    assert not _signed_in(desk)
    assert desk.get("/desk").headers["location"] == "/login"
    assert not _signed_in(thief)
    assert not _signed_in(_copy_of(thief, fresh_app(settings)))  # nor after a restart


def test_a_session_survives_a_restart_until_it_ends(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    desk = secretariat_client(app)
    assert _signed_in(_copy_of(desk, fresh_app(settings)))


def test_a_new_password_or_a_disabled_account_ends_its_sessions(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    desk = secretariat_client(app)
    done = CliRunner().invoke(cli, ["users", "set-password", SECRETARIAT, "--data", str(settings.data)], env=_env(settings),
                              input="another long password\n")
    assert done.exit_code == 0, done.output
    assert "1 open session(s) ended" in done.output
    assert not _signed_in(desk)
    client = client_for(app)
    token = csrf_of(client.get("/login").text)
    assert client.post("/login", data={"csrf": token, "email": SECRETARIAT, "password": PASSWORD}).status_code == 401
    assert client.post("/login", data={"csrf": token, "email": SECRETARIAT,
                                       "password": "another long password"}).status_code == 303
    assert _signed_in(client)

    disabled = CliRunner().invoke(cli, ["users", "disable", SECRETARIAT, "--data", str(settings.data)], env=_env(settings))
    assert disabled.exit_code == 0 and "1 open session(s) ended" in disabled.output
    assert not _signed_in(client)
    again = client_for(app)
    token = csrf_of(again.get("/login").text)
    assert again.post("/login", data={"csrf": token, "email": SECRETARIAT,
                                      "password": "another long password"}).status_code == 401
    listed = CliRunner().invoke(cli, ["users", "list", "--data", str(settings.data)], env=_env(settings))
    assert listed.exit_code == 0 and SECRETARIAT in listed.output
    row = next(line for line in listed.output.splitlines() if SECRETARIAT in line)
    assert row.split()[1] == "secretariat" and row.split()[-1] == "0" and row.split()[-2] != "-"  # disabled, no session


def test_an_unknown_account_is_named_and_nothing_changes(site: tuple[WebSettings, FastAPI]) -> None:
    settings, _ = site
    result = CliRunner().invoke(cli, ["users", "disable", "nobody@cms.example.org", "--data", str(settings.data)], env=_env(settings))
    assert result.exit_code == 1 and "No account nobody@cms.example.org" in result.output


def test_users_add_refuses_an_unknown_partner(site: tuple[WebSettings, FastAPI]) -> None:
    settings, _ = site
    args = ["users", "add", "ana@partner.example", "--role", "partner", "--data", str(settings.data),
            "--inputs", str(settings.inputs)]
    refused = CliRunner().invoke(cli, [*args, "--partner", "P-NOPE"], input="a long enough password\n", env=_env(settings))
    assert refused.exit_code == 2
    assert "P-NOPE" in refused.output and "P-ALPHA" in refused.output
    added = CliRunner().invoke(cli, [*args, "--partner", "P-ALPHA"], input="a long enough password\n", env=_env(settings))
    assert added.exit_code == 0, added.output


def test_idle_and_old_sessions_end(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    database = Database(settings.db_url)
    idle, old = secretariat_client(app), secretariat_client(app)
    with database.session() as db:
        rows = list(db.query(WebSession).filter(WebSession.revoked_at.is_(None)).order_by(WebSession.id))
        assert len(rows) == 2
        rows[0].last_seen_at = utc_now() - timedelta(hours=2, minutes=1)  # idle past two hours
        rows[1].created_at = utc_now() - timedelta(hours=8, minutes=1)  # busy, but older than a working day
    assert not _signed_in(idle)
    assert not _signed_in(old)
    fresh = secretariat_client(app)
    with database.session() as db:
        db.execute(update(WebSession).where(WebSession.revoked_at.is_(None))
                   .values(last_seen_at=utc_now() - timedelta(hours=1, minutes=50)))
    assert _signed_in(fresh)  # still within the idle time: and the request counts as activity
    with database.session() as db:
        seen = db.query(WebSession).filter(WebSession.revoked_at.is_(None)).one().last_seen_at
    assert utc_now() - seen < timedelta(minutes=1)


def test_a_revoked_partner_link_ends_the_partners_session(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    desk = secretariat_client(app)
    desk.post("/desk/partners/P-ALPHA/links", data={"csrf": csrf_of(desk.get("/desk/partners/P-ALPHA").text)})
    page = desk.get("/desk/partners/P-ALPHA").text
    link = page.split('id="new-link">', 1)[1].split("<", 1)[0]
    partner = client_for(app)
    assert partner.get(urlsplit(link).path).status_code == 303
    assert partner.get("/partner").status_code == 200
    link_id = page.split('/desk/links/', 1)[1].split("/", 1)[0]
    assert desk.post(f"/desk/links/{link_id}/revoke", data={"csrf": csrf_of(page)}).status_code == 303
    assert partner.get("/partner").status_code == 403


def test_a_changed_donor_token_ends_every_donor_session(tmp_path: Path, web_database: Callable[[], str]) -> None:
    settings = make_site(tmp_path, donor_token="first-token-0123456789", database_url=web_database())
    app = fresh_app(settings)
    donor = client_for(app)
    assert donor.get("/donors").status_code == 403
    assert donor.get("/donors/enter/first-token-0123456789").status_code == 303
    assert donor.get("/donors").status_code == 200
    assert donor.get("/api/v1/priorities").status_code == 200
    changed = fresh_app(dataclasses.replace(settings, donor_token="second-token-9876543210"))
    moved = _copy_of(donor, changed)
    assert moved.get("/donors").status_code == 403
    assert moved.get("/api/v1/priorities").status_code == 403
    assert moved.get("/donors/enter/second-token-9876543210").status_code == 303
    assert moved.get("/donors").status_code == 200


def test_logging_out_ends_the_donor_session_too(tmp_path: Path, web_database: Callable[[], str]) -> None:
    settings = make_site(tmp_path, donor_token="first-token-0123456789", database_url=web_database())
    app = fresh_app(settings)
    browser = secretariat_client(app)
    browser.get("/donors/enter/first-token-0123456789")
    copy = _copy_of(browser, app)
    browser.post("/logout", data={"csrf": csrf_of(browser.get("/desk").text)})
    assert copy.get("/donors").status_code == 403


def test_five_bad_guesses_lock_that_account_only(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    CliRunner().invoke(cli, ["users", "add", "second@cms.example.org", "--data", str(settings.data)], env=_env(settings),
                       input="the second officer's password\n")
    guesser = client_for(app)  # behind a proxy every visitor has this one address
    token = csrf_of(guesser.get("/login").text)
    statuses = [guesser.post("/login", data={"csrf": token, "email": SECRETARIAT, "password": f"guess {n}"}).status_code
                for n in range(6)]
    assert statuses == [401] * 5 + [429]
    colleague = client_for(app)  # same address: another account's right password passes
    token = csrf_of(colleague.get("/login").text)
    assert colleague.post("/login", data={"csrf": token, "email": "second@cms.example.org",
                                          "password": "the second officer's password"}).status_code == 303
    locked = client_for(app)
    token = csrf_of(locked.get("/login").text)
    response = locked.post("/login", data={"csrf": token, "email": SECRETARIAT, "password": PASSWORD})
    assert response.status_code == 429 and "this account" in response.text
    with Database(settings.db_url).session() as db:
        audit = list(db.scalars(select(AuditEntry.action).where(AuditEntry.actor == SECRETARIAT)))
    assert audit.count("login-locked") == 2


def test_the_throttle_slows_a_client_and_forgets_after_its_window() -> None:
    now = [0.0]
    throttle = LoginThrottle(limit=5, window=900, max_delay=8, clock=lambda: now[0])
    for n in range(5):
        assert throttle.client_delay("10.0.0.9") == 0
        throttle.fail(f"user{n}@x.org", "10.0.0.9")  # five different accounts from one client
    assert not any(throttle.account_locked(f"user{n}@x.org") for n in range(5))
    delays = []
    for n in range(8):
        delays.append(throttle.client_delay("10.0.0.9"))
        throttle.fail(f"other{n}@x.org", "10.0.0.9")
    assert delays == [0.25, 0.5, 1, 2, 4, 8, 8, 8]  # doubling, capped
    assert throttle.client_delay("10.0.0.10") == 0  # another client is not slowed
    now[0] = 901.0
    assert throttle.client_delay("10.0.0.9") == 0


def test_failed_logins_of_many_accounts_keep_memory_bounded() -> None:
    now = [0.0]
    throttle = LoginThrottle(limit=5, window=900, clock=lambda: now[0])
    throttle.MAX_KEYS = 50
    for n in range(500):
        now[0] = n * 10.0  # a spray of unique e-mails over 5,000 s
        throttle.fail(f"user{n}@x.org" + "x" * 1000, "10.0.0.9")
    assert len(throttle._failures) <= 50 + 2 * 91  # noqa: SLF001 (only what is still in the 900 s window)
    assert all(len(key) <= 330 for key in throttle._failures)  # noqa: SLF001


def test_an_ipv6_address_is_an_allowed_host(tmp_path: Path) -> None:
    settings = dataclasses.replace(make_site(tmp_path), public_url="http://[::1]:8000")
    client = TestClient(fresh_app(settings), base_url="http://[::1]:8000", follow_redirects=False)
    assert client.get("/login").status_code == 200


def test_the_client_address_comes_from_the_proxy_header_only_when_configured(tmp_path: Path) -> None:
    from starlette.requests import Request

    from flows.web.routes_auth import client_of

    def request(settings: WebSettings, forwarded: str) -> Request:
        app = fresh_app(settings)
        return Request({"type": "http", "app": app, "headers": [(b"x-forwarded-for", forwarded.encode())],
                        "client": ("10.1.1.1", 5000)})

    plain = make_site(tmp_path / "a")
    assert client_of(request(plain, "6.6.6.6")) == "10.1.1.1"  # nobody said to believe the header
    proxied = dataclasses.replace(make_site(tmp_path / "b"), client_ip_header="X-Forwarded-For")
    assert client_of(request(proxied, "6.6.6.6, 203.0.113.7")) == "203.0.113.7"  # the entry the proxy added


def test_links_name_the_public_url_and_other_hosts_are_refused(tmp_path: Path, web_database: Callable[[], str]) -> None:
    settings = dataclasses.replace(make_site(tmp_path, database_url=web_database()),
                                   public_url="https://catalogue.cms.example")
    app = fresh_app(settings)
    evil = TestClient(app, base_url="http://evil.example", follow_redirects=False)
    refused = evil.get("/login")
    assert refused.status_code == 400 and "evil.example" not in refused.text
    assert refused.headers["x-frame-options"] == "DENY"
    desk = secretariat_client(app)
    page = desk.get("/desk/partners/P-ALPHA")
    desk.post("/desk/partners/P-ALPHA/links", data={"csrf": csrf_of(page.text)}, headers={"host": "localhost"})
    link = desk.get("/desk/partners/P-ALPHA").text.split('id="new-link">', 1)[1].split("<", 1)[0]
    assert link.startswith("https://catalogue.cms.example/p/")
    allowed = TestClient(app, base_url="https://catalogue.cms.example", follow_redirects=False)
    assert allowed.get("/login").status_code == 200


def test_a_partner_link_in_an_officers_browser_asks_before_switching(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    desk = secretariat_client(app)
    token = add_link(settings, "P-BETA")
    asked = desk.get(f"/p/{token}")
    assert asked.status_code == 200 and 'id="switch"' in asked.text and "P-BETA" in asked.text
    assert SECRETARIAT in asked.text
    assert _signed_in(desk)  # nothing changed by looking
    switched = desk.post(f"/p/{token}", data={"csrf": csrf_of(asked.text)})
    assert switched.status_code == 303 and switched.headers["location"] == "/partner"
    assert desk.get("/partner").status_code == 200
    assert not _signed_in(desk)
    assert desk.post(f"/p/{token}", data={}).status_code == 403  # the switch is a form with its CSRF token


def test_serving_on_every_address_needs_the_public_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CATALOGUE_PUBLIC_URL", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--inputs", str(make_site(tmp_path).inputs),  # noqa: S104
                                      "--data", str(tmp_path / "data")])
    assert result.exit_code == 2 and "CATALOGUE_PUBLIC_URL" in result.output


def test_a_database_made_before_migrations_is_upgraded_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "web.sqlite"
    shutil.copyfile(FIXTURES / "web-db-before-migrations.sqlite", path)
    before = sqlite3.connect(path)
    counts = {t: before.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608 (our table names)
              for t in ("users", "access_links", "uploads", "jobs", "audit_log")}
    assert "alembic_version" not in {r[0] for r in before.execute("select name from sqlite_master")}
    before.close()
    settings = WebSettings(inputs=tmp_path, outputs=tmp_path, data=tmp_path, run_jobs=False,
                           database_url=f"sqlite:///{path}")
    after = sqlite3.connect(path)
    fresh_app(settings)
    for table, count in counts.items():
        assert after.execute(f"select count(*) from {table}").fetchone()[0] == count, table  # noqa: S608
    from flows.web.migrate import head_revision
    assert after.execute("select version_num from alembic_version").fetchone()[0] == head_revision()
    note = after.execute("select note from uploads where state = 'returned'").fetchone()[0]
    assert note == "Please add the 2026 budget."
    client = client_for(fresh_app(settings))  # the old account logs in on the new schema
    token = csrf_of(client.get("/login").text)
    assert client.post("/login", data={"csrf": token, "email": "officer@cms.example",
                                       "password": "correct horse battery"}).status_code == 303


def test_the_migrations_make_exactly_the_models_schema(tmp_path: Path, web_database: Callable[[], str]) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from flows.web.db import Base

    for url in (web_database() or f"sqlite:///{tmp_path / 'new.sqlite'}",):
        database = Database(url)
        with database.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_a_postgresql_database_of_an_earlier_schema_is_upgraded_with_its_rows(postgres_server: object) -> None:
    """As on SQLite: a PostgreSQL database at the first schema, with rows, opened by this release."""
    from sqlalchemy import create_engine, text

    from flows.web.migrate import BEFORE_MIGRATIONS, head_revision
    from flows.web.migrate import upgrade as migrate_to
    from flows.web.security import hash_password

    if getattr(postgres_server, "problem", ""):
        pytest.skip(str(postgres_server.problem))
    url = postgres_server.url()  # type: ignore[attr-defined]
    engine = create_engine(url)
    migrate_to(engine, BEFORE_MIGRATIONS)
    with engine.begin() as connection:
        for n in range(3):  # earlier releases left every accepted upload of a partner accepted
            connection.execute(text("insert into uploads (partner_id, sha256, filename, suffix, size, uploaded_by, "
                                    "uploaded_at, errors, warnings, report_json, state, note) values ('P-BETA', :s, "
                                    "'b.xlsx', '.xlsx', 1, 'x', now(), 0, 0, '[]', 'accepted', '')"), {"s": str(n) * 64})
        connection.execute(text("insert into users (email, password_hash, role, created_at) values "
                                "(:e, :h, 'secretariat', now())"), {"e": "old@cms.example", "h": hash_password("old password 1234")})
        connection.execute(text("insert into uploads (partner_id, sha256, filename, suffix, size, uploaded_by, "
                                "uploaded_at, errors, warnings, report_json, state, note) values ('P-ALPHA', :s, "
                                "'a.xlsx', '.xlsx', 1, 'x', now(), 0, 0, '[]', 'returned', 'Add 2026')"), {"s": "0" * 64})
    engine.dispose()
    Database(url)  # what the application does when it starts
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == head_revision()
        assert connection.execute(text("select note from uploads where partner_id = 'P-ALPHA'")).scalar() == "Add 2026"
        assert connection.execute(text("select disabled_at from users")).scalar() is None
        states = connection.execute(text("select state from uploads where partner_id = 'P-BETA' order by id")).scalars()
        assert list(states) == ["superseded", "superseded", "accepted"]  # the newest alone stays in the inputs
    engine.dispose()
