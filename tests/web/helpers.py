"""Shared set-up for the web tests: an app over real folders and a real SQLite file, and signed-in clients."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from catalogue.pipeline import build_model
from catalogue.render.json_document import write_catalogue_json
from flows.web.app import create_app
from flows.web.db import AccessLink, Database, User
from flows.web.security import hash_password, new_link_token, token_hash
from flows.web.site_settings import WebSettings
from tests.fixtures.small import write_small_inputs

PASSWORD = "correct horse battery staple"
SECRETARIAT = "desk@cms.example.org"
PARTNERS = ("P-ALPHA", "P-BETA")


def make_site(root: Path, publish: bool = True, **options: object) -> WebSettings:
    """Inputs (the small fixture), an outputs folder with a catalogue.json built from them, an empty DATA."""
    inputs = write_small_inputs(root / "inputs")
    outputs = root / "outputs"
    outputs.mkdir()
    if publish:
        (outputs / "catalogue.json").write_bytes(_small_catalogue_json(root))
        (outputs / "catalogue.pdf").write_bytes(b"%PDF-1.4 test\n")
        (outputs / "statements").mkdir()
        for partner_id in PARTNERS:
            (outputs / "statements" / f"{partner_id}.pdf").write_bytes(f"%PDF statement of {partner_id}".encode())
    settings = WebSettings(inputs=inputs, outputs=outputs, data=root / "data", run_jobs=False, **options)  # type: ignore[arg-type]
    database = Database(settings.db_url)
    with database.session() as db:
        db.add(User(email=SECRETARIAT, password_hash=hash_password(PASSWORD), role="secretariat"))
    return settings


_built: dict[str, bytes] = {}


def _small_catalogue_json(root: Path) -> bytes:
    """catalogue.json of the small fixture, built once per session by the library (no Prefect needed here)."""
    if "json" not in _built:
        inputs = write_small_inputs(root / "build-inputs")
        result = build_model(inputs, build_time="2025-06-30T00:00:00Z")
        assert result.catalogue is not None, [i.message for i in result.report.errors]
        write_catalogue_json(result.catalogue, root / "catalogue.json")
        _built["json"] = (root / "catalogue.json").read_bytes()
    return _built["json"]


def add_link(settings: WebSettings, partner_id: str, token: str | None = None) -> str:
    token = token or new_link_token()
    with Database(settings.db_url).session() as db:
        db.add(AccessLink(kind="partner", subject_id=partner_id, token_hash=token_hash(token), created_by="test"))
    return token


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def client_for(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


def secretariat_client(app: FastAPI) -> TestClient:
    client = client_for(app)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"csrf": token, "email": SECRETARIAT, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return client


def partner_client(app: FastAPI, settings: WebSettings, partner_id: str) -> TestClient:
    client = client_for(app)
    response = client.get(f"/p/{add_link(settings, partner_id)}")
    assert response.status_code == 303 and response.headers["location"] == "/partner"
    return client


def workbook_bytes(path: Path, change: Callable[[object], None] | None = None) -> bytes:
    """The bytes of the workbook at `path`, after `change(workbook)` if given."""
    workbook = load_workbook(path)
    if change is not None:
        change(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client: TestClient, content: bytes, name: str = "workplan.xlsx") -> str:
    """Post a workbook from the portal page; returns the report's address."""
    token = csrf_of(client.get("/partner").text)
    response = client.post("/partner/upload", data={"csrf": token}, files={"workbook": (name, content)})
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def fresh_app(settings: WebSettings) -> FastAPI:
    return create_app(settings)


def copy_sample(root: Path) -> Path:
    return Path(shutil.copytree(Path(__file__).resolve().parents[2] / "inputs", root))
