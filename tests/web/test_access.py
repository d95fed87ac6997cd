"""No route lets one partner see or change another's data.

Every route of the application (found by walking app.routes, so a route added later is called too) is
called by every role: anonymous, partner A by link, partner A by account, partner B, the Secretariat,
with every partner's ids in its path. A partner's pages must never show the other partner's upload,
statement or links, and after all of it the other partner's state is unchanged.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from flows.web.db import AccessLink, Database, Job, Upload, User
from flows.web.security import hash_password
from flows.web.site_settings import WebSettings
from tests.web.helpers import (
    PASSWORD,
    client_for,
    csrf_of,
    fresh_app,
    make_site,
    partner_client,
    secretariat_client,
    upload,
)

MARKERS = {"P-ALPHA": ("alpha-private-upload", "statement of P-ALPHA"),
           "P-BETA": ("beta-private-upload", "statement of P-BETA")}
SKIPPED = {("GET", "/p/{token}")}  # the link itself is the credential: its holder is that partner, by design


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, web_database: Callable[[], str]) -> dict[str, Any]:
    """Two partners, each with a clean (not yet submitted) upload, a link; one job; one partner account."""
    settings = make_site(tmp_path_factory.mktemp("access"), database_url=web_database())  # SQLite, then PostgreSQL
    app = fresh_app(settings)
    ids: dict[str, Any] = {"upload": {}, "link": {}}
    for partner_id, (marker, _) in MARKERS.items():
        client = partner_client(app, settings, partner_id)
        content = (settings.inputs / "workplans" / f"{partner_id}.xlsx").read_bytes()
        ids["upload"][partner_id] = int(upload(client, content, f"{marker}.xlsx").rsplit("/", 1)[1])
    database = Database(settings.db_url)
    with database.session() as db:
        for link in db.scalars(select(AccessLink)):
            ids["link"][link.subject_id] = link.id
        db.add(User(email="officer@alpha.example.org", password_hash=hash_password(PASSWORD), role="partner",
                    partner_id="P-ALPHA"))
        job = Job(kind="build", requested_by="test", state="done")
        db.add(job)
        db.flush()
        ids["job"] = job.id
    return {"settings": settings, "app": app, "ids": ids, "database": database}


def _value_sets(name: str, ids: dict[str, Any]) -> list[str]:
    values: dict[str, list[str]] = {
        "partner_id": list(MARKERS),
        "upload_id": [str(v) for v in ids["upload"].values()],
        "link_id": [str(v) for v in ids["link"].values()],
        "job_id": [str(ids["job"])],
        "token": ["not-a-token"],
        "fmt": ["pdf", "xlsx"],
        "name": ["catalogue.json", "catalogue.pdf", "statements/P-ALPHA.pdf", "statements/P-BETA.pdf", "..%2Finputs%2Fsettings.json"],
        "priority_id": ["RES-12.21", "CA-13.3"],
        "donor_id": ["D-ONE", "not-a-donor"],
    }
    assert name in values, f"the access test does not know the path parameter {{{name}}}: add its values"
    return values[name]


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, also inside included routers (FastAPI keeps those as one entry holding the router)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif getattr(route, "original_router", None) is not None:
            found += api_routes(route.original_router.routes)
    return found


def calls(app: FastAPI, ids: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, path) for every route, with every combination of ids in its parameters."""
    found = []
    routes = api_routes(app.routes)
    assert len(routes) >= 30, f"only {len(routes)} routes found: the walk over app.routes misses some"
    for route in routes:
        names = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        for method in sorted(route.methods or ()):
            if (method, route.path) in SKIPPED:
                continue
            for combo in itertools.product(*(_value_sets(n, ids) for n in names)):
                path = route.path
                for name, value in zip(names, combo, strict=True):
                    path = re.sub(r"{" + name + r"(?::\w+)?}", value, path)
                found.append((method, path))
    return found


def _client(world: dict[str, Any], role: str) -> TestClient:
    app, settings = world["app"], world["settings"]
    if role == "anonymous":
        return client_for(app)
    if role == "secretariat":
        return secretariat_client(app)
    if role == "alpha-account":
        client = client_for(app)
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"csrf": token, "email": "officer@alpha.example.org", "password": PASSWORD})
        return client
    return partner_client(app, settings, {"alpha-link": "P-ALPHA", "beta-link": "P-BETA"}[role])


def _call(client: TestClient, method: str, path: str) -> Any:
    token = client.cookies.get("catalogue_session") and csrf_of(client.get("/login").text)
    if method == "GET":
        return client.get(path)
    data = {"csrf": token or "", "kind": "build", "lang": "en", "note": "hostile note", "email": "x", "password": "y"}
    files = {"workbook": ("hostile.xlsx", b"PK\x03\x04 not a workbook")} if path.endswith("/upload") else None
    return client.post(path, data=data, files=files)


def _state_of(world: dict[str, Any], partner_id: str) -> tuple[Any, ...]:
    settings: WebSettings = world["settings"]
    with world["database"].session() as db:
        uploads = [(u.id, u.state, u.note) for u in db.scalars(select(Upload).where(Upload.partner_id == partner_id))]
        links = [(link.id, link.revoked_at) for link in db.scalars(select(AccessLink).where(AccessLink.subject_id == partner_id))]
    workbook: Path = settings.inputs / "workplans" / f"{partner_id}.xlsx"
    return tuple(uploads), tuple(links), workbook.read_bytes()


@pytest.mark.parametrize(("role", "own", "other"), [("alpha-link", "P-ALPHA", "P-BETA"),
                                                    ("alpha-account", "P-ALPHA", "P-BETA"),
                                                    ("beta-link", "P-BETA", "P-ALPHA")])
def test_a_partner_never_reaches_another_partners_data(world: dict[str, Any], role: str, own: str, other: str) -> None:
    before = _state_of(world, other)
    client = _client(world, role)
    leaks, desk_open = [], []
    for method, path in calls(world["app"], world["ids"]):
        if path in ("/logout",):
            continue  # would end this role's session; called by the anonymous test
        response = _call(client, method, path)
        body = response.content.decode("utf-8", "replace")
        if any(marker in body for marker in MARKERS[other]):
            leaks.append(f"{method} {path}")
        if path.startswith("/desk") and response.status_code != 403:
            desk_open.append(f"{method} {path} -> {response.status_code}")
    assert not leaks, f"{role} saw {other}'s data at {leaks}"
    assert not desk_open, f"{role} reached the desk: {desk_open}"
    assert _state_of(world, other) == before, f"{role} changed {other}'s uploads, links or workbook"
    assert client.get("/partner").status_code == 200  # still its own partner: nothing switched the session


def test_anonymous_visitors_reach_only_the_public_pages(world: dict[str, Any]) -> None:
    before = {pid: _state_of(world, pid) for pid in MARKERS}
    client = _client(world, "anonymous")
    for method, path in calls(world["app"], world["ids"]):
        response = _call(client, method, path)
        body = response.content.decode("utf-8", "replace")
        assert not any(m in body for marks in MARKERS.values() for m in marks), f"{method} {path} leaked"
        if path.startswith("/desk"):
            assert response.status_code in (303, 403) and response.headers.get("location", "/login") == "/login", path
        if path.startswith("/partner"):
            assert response.status_code == 403, f"{method} {path} -> {response.status_code}"
    assert {pid: _state_of(world, pid) for pid in MARKERS} == before


def test_the_secretariat_sees_both_partners(world: dict[str, Any]) -> None:
    client = _client(world, "secretariat")
    for partner_id, upload_id in world["ids"]["upload"].items():
        page = client.get(f"/desk/uploads/{upload_id}")
        assert page.status_code == 200 and MARKERS[partner_id][0] in page.text
