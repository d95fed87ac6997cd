"""Route tests with httpx (Starlette's TestClient) against a real SQLite file in a temporary DATA folder."""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from flows.web.db import AuditEntry, Database, Upload
from flows.web.site_settings import WebSettings
from tests.web.helpers import (
    PASSWORD,
    SECRETARIAT,
    client_for,
    csrf_of,
    fresh_app,
    make_site,
    partner_client,
    secretariat_client,
    upload,
    workbook_bytes,
)


@pytest.fixture
def site(tmp_path: Path) -> tuple[WebSettings, FastAPI]:
    settings = make_site(tmp_path)
    return settings, fresh_app(settings)


def break_start_dates(workbook: Any) -> None:
    """Every activity's start date becomes words: one cause on three rows (Activities!G2:G4)."""
    sheet = workbook["Activities"]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=7, value="sometime next spring")


def test_partner_sees_located_grouped_errors_then_submits_the_fixed_workbook(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    original = settings.inputs / "workplans" / "P-ALPHA.xlsx"
    report = partner.get(upload(partner, workbook_bytes(original, break_start_dates), "alpha.xlsx"))
    assert report.status_code == 200
    assert "value-not-a-date" in report.text and "sheet Activities, column start" in report.text
    assert 'class="cell">G2' in report.text and 'class="cell">G4' in report.text
    assert "sometime next spring" in report.text
    assert report.text.count('class="issue error"') == 1  # three cells, one grouped entry
    assert 'id="submit"' not in report.text
    todo = partner.get(report.url.path + "/todo")
    assert todo.status_code == 200 and todo.text.count('<tr class="error">') == 3
    assert 'id="annotated"' in report.text
    marked = partner.get(report.url.path + "/annotated.xlsx")
    assert marked.status_code == 200 and 'filename="alpha-problems-marked.xlsx"' in marked.headers["content-disposition"]
    book = load_workbook(io.BytesIO(marked.content))
    assert book.sheetnames[0] == "Problems" and book.worksheets[0].max_row == 4
    for row in (2, 3, 4):
        assert "sometime next spring" in book["Activities"][f"G{row}"].comment.text

    clean = partner.get(upload(partner, original.read_bytes(), "alpha-fixed.xlsx"))
    assert 'id="submit"' in clean.text
    submitted = partner.post(clean.url.path + "/submit", data={"csrf": csrf_of(clean.text)})
    assert submitted.status_code == 303
    with Database(settings.db_url).session() as db:
        states = [u.state for u in db.scalars(select(Upload).order_by(Upload.id))]
    assert states == ["checked", "submitted"]


def test_secretariat_accepts_atomically_and_keeps_the_replaced_workbook(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    target = settings.inputs / "workplans" / "P-ALPHA.xlsx"
    before = target.read_bytes()
    changed = workbook_bytes(target, lambda wb: wb["Activities"].cell(row=2, column=4, value="Renamed activity"))
    page = partner.get(upload(partner, changed))
    partner.post(page.url.path + "/submit", data={"csrf": csrf_of(page.text)})
    desk = secretariat_client(app)
    glance = desk.get("/desk")
    assert "awaiting decision" in glance.text
    upload_id = page.url.path.rsplit("/", 1)[1]
    response = desk.post(f"/desk/uploads/{upload_id}/accept", data={"csrf": csrf_of(glance.text)})
    assert response.status_code == 303
    assert target.read_bytes() == changed
    kept = list((settings.data / "replaced-workplans" / "P-ALPHA").iterdir())
    assert [p.read_bytes() for p in kept] == [before]
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporary file left behind
    stored = settings.data / "uploads" / hashlib.sha256(changed).hexdigest()[:2] / hashlib.sha256(changed).hexdigest()
    assert stored.read_bytes() == changed
    with Database(settings.db_url).session() as db:
        actions = [(e.actor, e.action) for e in db.scalars(select(AuditEntry))]
    assert (SECRETARIAT, "accept") in actions


def test_a_returned_workbook_shows_the_note_to_the_partner(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-BETA")
    page = partner.get(upload(partner, (settings.inputs / "workplans" / "P-BETA.xlsx").read_bytes()))
    partner.post(page.url.path + "/submit", data={"csrf": csrf_of(page.text)})
    desk = secretariat_client(app)
    upload_id = page.url.path.rsplit("/", 1)[1]
    token = csrf_of(desk.get("/desk").text)
    assert desk.post(f"/desk/uploads/{upload_id}/return", data={"csrf": token, "note": "Add <b>2026</b> budgets"}).status_code == 303
    again = partner.get(page.url.path)
    assert "Add &lt;b&gt;2026&lt;/b&gt; budgets" in again.text and 'id="submit"' in again.text


def test_login_is_rate_limited_and_needs_the_csrf_token(site: tuple[WebSettings, FastAPI]) -> None:
    _, app = site
    client = client_for(app)
    assert client.post("/login", data={"email": SECRETARIAT, "password": PASSWORD}).status_code == 403
    token = csrf_of(client.get("/login").text)
    statuses = [client.post("/login", data={"csrf": token, "email": SECRETARIAT, "password": "wrong"}).status_code
                for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    assert client.post("/login", data={"csrf": token, "email": SECRETARIAT, "password": PASSWORD}).status_code == 429


def test_every_page_carries_the_security_headers_and_a_safe_cookie(site: tuple[WebSettings, FastAPI]) -> None:
    _, app = site
    client = client_for(app)
    response = client.get("/login")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "<script>" not in response.text and " style=" not in response.text and "onclick" not in response.text


def test_uploads_are_capped_and_typed(tmp_path: Path) -> None:
    settings = make_site(tmp_path, publish=False, max_upload_bytes=2000)
    app = fresh_app(settings)
    partner = partner_client(app, settings, "P-ALPHA")
    token = csrf_of(partner.get("/partner").text)
    too_big = partner.post("/partner/upload", data={"csrf": token}, files={"workbook": ("big.xlsx", b"x" * 50_000)})
    assert too_big.status_code == 413
    wrong = partner.post("/partner/upload", data={"csrf": token}, files={"workbook": ("setup.exe", b"MZ")})
    assert wrong.status_code == 415 and ".xlsx, .xlsm, .csv, .json" in wrong.text
    assert not (settings.data / "uploads").exists() or not any((settings.data / "uploads").rglob("*?"))


def test_partner_text_is_escaped(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    content = (settings.inputs / "workplans" / "P-ALPHA.xlsx").read_bytes()
    page = partner.get(upload(partner, content, "<img src=x onerror=alert(1)>.xlsx"))
    assert "<img src=x" not in page.text and "&lt;img src=x onerror=alert(1)&gt;.xlsx" in page.text


def test_a_revoked_link_stops_working(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    desk = secretariat_client(app)
    token = csrf_of(desk.get("/desk/partners/P-ALPHA").text)
    desk.post("/desk/partners/P-ALPHA/links", data={"csrf": token})
    page = desk.get("/desk/partners/P-ALPHA")
    link = page.text.split('id="new-link">', 1)[1].split("<", 1)[0]
    partner = client_for(app)
    assert partner.get(urlsplit(link).path).status_code == 303
    assert partner.get("/partner").status_code == 200
    link_id = page.text.split('action="/desk/links/', 1)[1].split("/", 1)[0]
    desk.post(f"/desk/links/{link_id}/revoke", data={"csrf": csrf_of(page.text)})
    assert partner.get("/partner").status_code == 403
    assert partner.get(urlsplit(link).path).status_code == 404


def test_partner_downloads_its_template_and_statement(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-BETA")
    template = partner.get("/partner/template")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert partner.get("/partner/statement.pdf").content == b"%PDF statement of P-BETA"
    assert partner.get("/partner/statement.xlsx").status_code == 404  # not published in this fixture


def test_donor_site_filters_sorts_and_can_be_closed(tmp_path: Path) -> None:
    settings = make_site(tmp_path, donor_token="donor-secret-123")
    app = fresh_app(settings)
    donor = client_for(app)
    assert donor.get("/donors").status_code == 403
    assert donor.get("/donors/enter/wrong").status_code == 404
    assert donor.get("/donors/enter/donor-secret-123").status_code == 303
    everything = donor.get("/donors?sort=-gap")
    assert everything.status_code == 200
    rows = everything.text.split('<tbody>', 1)[1].count("/donors/priorities/")
    filtered = donor.get("/donors?region=Asia")
    assert 0 < filtered.text.split('<tbody>', 1)[1].count("/donors/priorities/") < rows
    first = filtered.text.split('href="/donors/priorities/', 1)[1].split('"', 1)[0]
    assert donor.get(f"/donors/priorities/{first}").status_code == 200
    assert donor.get("/donors/partners").status_code == 200
    assert donor.get("/donors/download/catalogue.json").json()["priorities"]

    # The language switch keeps the filters: a donor reading Asia by gap reads the same list in French.
    chosen = donor.get("/donors?region=Asia&sort=-gap&lang=en")
    back = chosen.text.split('name="next" value="', 1)[1].split('"', 1)[0]
    assert html.unescape(back) == "/donors?region=Asia&sort=-gap"  # the page's own `lang` would win: left out
    moved = donor.post("/lang", data={"csrf": csrf_of(chosen.text), "lang": "fr", "next": html.unescape(back)})
    assert moved.headers["location"] == "/donors?region=Asia&sort=-gap"
    french = donor.get(moved.headers["location"])
    assert 'lang="fr"' in french.text and 'value="Asia" selected' in french.text
    assert french.text.split('<tbody>', 1)[1].count("/donors/priorities/") == filtered.text.split('<tbody>', 1)[1].count(
        "/donors/priorities/")


def test_desk_starts_a_job_and_shows_its_result(site: tuple[WebSettings, FastAPI]) -> None:
    _, app = site
    calls: list[tuple[str, str]] = []

    def fake_flow(kind: str, settings: WebSettings, lang: str) -> dict[str, Any]:
        calls.append((kind, lang))
        return {"ok": True}

    app.state.jobs.flow = fake_flow
    desk = secretariat_client(app)
    response = desk.post("/desk/jobs", data={"csrf": csrf_of(desk.get("/desk").text), "kind": "build", "lang": "fr"})
    job_page = response.headers["location"]
    assert desk.get(job_page + "/status").json()["state"] == "queued"
    assert app.state.jobs.run_next()
    assert calls == [("build", "fr")]
    assert desk.get(job_page + "/status").json()["state"] == "failed"  # a dict is not a summary: shown as failed


def test_users_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app as cli

    result = CliRunner().invoke(cli, ["users", "add", "Officer@cms.example.org", "--data", str(tmp_path)],
                                input="a long enough password\n")
    assert result.exit_code == 0, result.output
    short = CliRunner().invoke(cli, ["users", "add", "x@cms.example.org", "--data", str(tmp_path)], input="short\n")
    assert short.exit_code == 2
    settings = WebSettings(inputs=tmp_path, outputs=tmp_path, data=tmp_path, run_jobs=False)
    client: TestClient = client_for(fresh_app(settings))
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"csrf": token, "email": "officer@cms.example.org",
                                           "password": "a long enough password"})
    assert response.status_code == 303 and response.headers["location"] == "/desk"


def test_desk_downloads_stay_inside_the_outputs_folder(site: tuple[WebSettings, FastAPI]) -> None:
    _, app = site
    desk = secretariat_client(app)
    assert desk.get("/desk/outputs/catalogue.json").status_code == 200
    for name in ("..%2Finputs%2Fsettings.json", "%2Fetc%2Fpasswd", ".current", "inputs/settings.json"):
        assert desk.get(f"/desk/outputs/{name}").status_code == 404, name


def test_a_donor_pack_has_its_own_revocable_link(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    (settings.inputs / "donors").mkdir()
    (settings.inputs / "donors" / "D-ONE.json").write_text("{}", encoding="utf-8")
    (settings.outputs / "packs").mkdir()
    (settings.outputs / "packs" / "D-ONE.pdf").write_bytes(b"%PDF pack of D-ONE")
    desk = secretariat_client(app)
    page = desk.get("/desk/donors")
    desk.post("/desk/donors/D-ONE/links", data={"csrf": csrf_of(page.text)})
    page = desk.get("/desk/donors")
    link = urlsplit(page.text.split('id="new-donor-link">', 1)[1].split("<", 1)[0]).path
    donor = client_for(app)
    assert donor.get(link + "/pack.pdf").content == b"%PDF pack of D-ONE"
    link_id = page.text.split('action="/desk/links/', 1)[1].split("/", 1)[0]
    desk.post(f"/desk/links/{link_id}/revoke", data={"csrf": csrf_of(page.text)})
    assert donor.get(link + "/pack.pdf").status_code == 404


def test_the_portal_speaks_the_chosen_language(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-BETA")
    page = partner.get("/partner")
    assert "Check a workbook" in page.text and 'lang="en"' in page.text
    partner.post("/lang", data={"csrf": csrf_of(page.text), "lang": "es", "next": "/partner"})
    assert "Comprobar un libro" in partner.get("/partner").text
    assert partner.post("/lang", data={"csrf": csrf_of(page.text), "lang": "fr", "next": "//evil.example"}
                        ).headers["location"] == "/"


def test_a_restart_marks_cut_short_runs_as_failed(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    app.state.jobs.submit("build", "test")
    restarted = fresh_app(settings)
    with Database(settings.db_url).session() as db:
        from flows.web.db import Job

        job = db.scalars(select(Job)).one()
        assert (job.state, job.step) == ("failed", "Stopped: the server restarted")
    assert restarted.state.jobs.run_next() is False  # nothing left to run from before the restart


DESK_ENGLISH = ("Partners at a glance", "Last upload", "awaiting decision", "no upload yet", "Build the catalogue",
                "Donor packs", "Pledges to chase", "Uploads", "Errors:", "Warnings", "Download", "Runs", "State")


@pytest.mark.parametrize(("lang", "words"), [("fr", ("partenaires", "Dernier envoi", "Générer le catalogue")),
                                             ("es", ("asociados", "Último envío", "Generar el catálogo"))])
def test_the_desk_speaks_the_officers_language(site: tuple[WebSettings, FastAPI], lang: str,
                                               words: tuple[str, ...]) -> None:
    """Every desk page, chosen in French or Spanish: its labels in that language, data (ids, names) as typed."""
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    report = upload(partner, workbook_bytes(settings.inputs / "workplans" / "P-ALPHA.xlsx", break_start_dates))
    upload_id = report.rstrip("/").rsplit("/", 1)[-1]
    desk = secretariat_client(app)
    home = desk.get("/desk")
    desk.post("/lang", data={"csrf": csrf_of(home.text), "lang": lang, "next": "/desk"})
    pages = {path: desk.get(path) for path in ("/desk", "/desk/partners/P-ALPHA", f"/desk/uploads/{upload_id}",
                                               "/desk/downloads", "/desk/donors", "/desk/pledges", "/desk/audit")}
    for path, page in pages.items():
        assert page.status_code == 200 and f'lang="{lang}"' in page.text, path
        shown = html.unescape(page.text.split("<main>", 1)[1])
        left = [w for w in DESK_ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", shown)]
        assert not left, (path, left)
    text = html.unescape(pages["/desk"].text)
    assert all(word in text for word in words), [w for w in words if w not in text]
