"""The desk decides each submission on one page knowing what it changes; the state machine's rules hold.

Every rule is tried as people would meet it: a partner sending a second workbook before the first is decided,
an officer with a stale page accepting an older one, a returned workbook sent again and accepted, a build
that takes an accepted workbook into the catalogue.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from flows.web.db import AuditEntry, Database, Upload
from flows.web.site_settings import WebSettings
from flows.web.uploads import MOVES, STATES, Refused, accept, check_acceptable, submit
from tests.web.helpers import (
    SECRETARIAT,
    csrf_of,
    fresh_app,
    make_site,
    partner_client,
    secretariat_client,
    upload,
    workbook_bytes,
)


@pytest.fixture
def site(tmp_path: Path, web_database: Callable[[], str]) -> tuple[WebSettings, FastAPI]:
    settings = make_site(tmp_path, database_url=web_database())  # SQLite, then PostgreSQL
    return settings, fresh_app(settings)


def _send(partner: TestClient, content: bytes) -> tuple[int, str]:
    """Upload and submit a clean workbook; its id and the page the partner sees after submitting."""
    page = partner.get(upload(partner, content))
    upload_id = int(page.url.path.rsplit("/", 1)[1])
    response = partner.post(page.url.path + "/submit", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 303
    return upload_id, partner.get(response.headers["location"]).text


def _states(settings: WebSettings) -> dict[int, str]:
    with Database(settings.db_url).session() as db:
        return {u.id: u.state for u in db.scalars(select(Upload).order_by(Upload.id))}


def _alpha(settings: WebSettings, title: str = "Renamed activity", amount: int | None = None) -> bytes:
    def change(workbook: object) -> None:
        workbook["Activities"].cell(row=2, column=4, value=title)  # type: ignore[index]
        if amount is not None:
            workbook["Budget"]["F2"].value = amount  # type: ignore[index]  # ALPHA-001's field surveys

    return workbook_bytes(settings.inputs / "workplans" / "P-ALPHA.xlsx", change)


def test_the_upload_page_shows_what_changes_and_decides(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    sent = _alpha(settings, amount=13000)
    upload_id, _ = _send(partner, sent)
    desk = secretariat_client(app)
    page = desk.get(f"/desk/uploads/{upload_id}")
    assert page.status_code == 200
    changes = page.text.split('id="changes"', 1)[1].split("</table>", 1)[0]
    assert "ALPHA-001" in changes and "Renamed activity" in changes
    assert "changed: title, budget lines" in changes
    assert "USD\xa016,000 → <strong>USD\xa019,000</strong>" in changes  # required, whole USD as pages write it
    assert "USD\xa06,000 → <strong>USD\xa09,000</strong>" in changes  # the gap
    assert "ALPHA-002" not in changes  # unchanged activities are counted, not listed
    assert "1 changed" in page.text and "2 unchanged" in page.text
    assert 'id="accept"' in page.text and 'id="return"' in page.text
    accepted = desk.post(f"/desk/uploads/{upload_id}/accept", data={"csrf": csrf_of(page.text)})
    assert accepted.status_code == 303 and accepted.headers["location"] == "/desk/partners/P-ALPHA"
    after = desk.get(accepted.headers["location"]).text
    assert 'id="decided"' in after and f"Upload #{upload_id} accepted" in after
    assert (settings.inputs / "workplans" / "P-ALPHA.xlsx").read_bytes() == sent
    assert 'id="accept"' not in desk.get(f"/desk/uploads/{upload_id}").text


def test_a_newer_submission_supersedes_the_pending_one(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    first_try = _alpha(settings, "First try")
    first, page = _send(partner, first_try)
    assert 'id="confirmation"' in page and "What happens next" in page
    second, page = _send(partner, _alpha(settings, "Second try"))
    assert f"upload #{first}" in page  # the partner is told which one it replaces
    assert _states(settings) == {first: "superseded", second: "submitted"}
    desk = secretariat_client(app)
    stale = desk.get(f"/desk/uploads/{first}")  # an officer's tab, opened before
    refused = desk.post(f"/desk/uploads/{first}/accept", data={"csrf": csrf_of(stale.text)})
    assert refused.status_code == 409
    assert 'id="refused"' in refused.text and "superseded" in refused.text
    assert (settings.inputs / "workplans" / "P-ALPHA.xlsx").read_bytes() != first_try
    glance = desk.get("/desk").text
    assert glance.count("awaiting decision") == 1


def test_accepting_older_over_newer_is_refused_with_a_sentence(site: tuple[WebSettings, FastAPI]) -> None:
    """Two submissions waiting at once (as a database from before the state machine may hold): the older one
    cannot be accepted while the newer waits, nor after the newer is accepted."""
    settings, _ = site
    database = Database(settings.db_url)
    with database.session() as db:
        older = Upload(partner_id="P-ALPHA", sha256="a" * 64, filename="old.xlsx", suffix=".xlsx", size=1,
                       uploaded_by="x", state="submitted")
        newer = Upload(partner_id="P-ALPHA", sha256="b" * 64, filename="new.xlsx", suffix=".xlsx", size=1,
                       uploaded_by="x", state="submitted")
        db.add_all([older, newer])
    with database.session() as db:
        old = db.get(Upload, older.id)
        assert old is not None
        with pytest.raises(Refused) as waiting:
            check_acceptable(db, old)
        assert "is waiting" in waiting.value.message and waiting.value.params == {"newer": newer.id}
        new = db.get(Upload, newer.id)
        assert new is not None
        accept(db, new, SECRETARIAT, "test")
    with database.session() as db:
        old = db.get(Upload, older.id)
        assert old is not None and old.state == "submitted"  # left as it was
        with pytest.raises(Refused) as already:
            accept(db, old, SECRETARIAT, "test")
        assert "older figures back" in already.value.message and already.value.params == {"newer": newer.id}


def test_a_returned_then_accepted_workbook_no_longer_shows_the_note(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    upload_id, _ = _send(partner, _alpha(settings))
    desk = secretariat_client(app)
    page = desk.get(f"/desk/uploads/{upload_id}")
    desk.post(f"/desk/uploads/{upload_id}/return", data={"csrf": csrf_of(page.text), "note": "Check the dates"})
    report = partner.get(f"/partner/uploads/{upload_id}")
    assert "Check the dates" in report.text and 'id="submit"' in report.text
    partner.post(f"/partner/uploads/{upload_id}/submit", data={"csrf": csrf_of(report.text)})
    page = desk.get(f"/desk/uploads/{upload_id}")
    assert desk.post(f"/desk/uploads/{upload_id}/accept", data={"csrf": csrf_of(page.text)}).status_code == 303
    assert "Check the dates" not in partner.get(f"/partner/uploads/{upload_id}").text
    assert "Check the dates" not in desk.get("/desk/partners/P-ALPHA").text
    assert "Check the dates" not in partner.get("/partner").text
    with Database(settings.db_url).session() as db:  # the note stays in the audit log
        details = [e.detail for e in db.scalars(select(AuditEntry).where(AuditEntry.action == "return"))]
    assert any("Check the dates" in d for d in details)


def test_an_accepted_workbook_is_built_when_the_published_catalogue_has_its_bytes(
        site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    content = _alpha(settings)
    upload_id, _ = _send(partner, content)
    desk = secretariat_client(app)
    page = desk.get(f"/desk/uploads/{upload_id}")
    desk.post(f"/desk/uploads/{upload_id}/accept", data={"csrf": csrf_of(page.text)})
    glance = desk.get("/desk").text
    assert 'id="unbuilt"' in glance and "P-ALPHA" in glance.split('id="unbuilt"', 1)[1].split("</p>", 1)[0]
    published = settings.outputs / "catalogue.json"
    document = json.loads(published.read_text(encoding="utf-8"))
    entry = next(e for e in document["provenance"]["inputs"] if e["name"] == "workplans/P-ALPHA.xlsx")
    entry.update(sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    published.write_text(json.dumps(document), encoding="utf-8")  # as a build from the command line leaves it
    glance = desk.get("/desk").text
    assert 'id="unbuilt"' not in glance
    assert _states(settings)[upload_id] == "built"
    assert "This workbook is in the published catalogue." in partner.get(f"/partner/uploads/{upload_id}").text


def test_every_change_of_state_is_audited_and_only_allowed_moves_happen(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    first, _ = _send(partner, _alpha(settings, "One"))
    second, _ = _send(partner, _alpha(settings, "Two"))
    with Database(settings.db_url).session() as db:
        entries = [(e.action, e.detail) for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))
                   if e.action in {event for _, event in MOVES}]
        assert [a for a, _ in entries] == ["check", "submit", "check", "submit", "supersede"]
        assert entries[-1][1] == f"upload #{first}: submitted -> superseded; by upload #{second}"
        done = db.get(Upload, first)
        assert done is not None
        with pytest.raises(Refused):
            submit(db, done, "x")  # a superseded upload stays superseded
    assert set(STATES) == {state for state, _ in MOVES} | set(MOVES.values())


def test_a_workbook_with_errors_is_refused_on_its_page(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    partner = partner_client(app, settings, "P-ALPHA")
    broken = workbook_bytes(settings.inputs / "workplans" / "P-ALPHA.xlsx",
                            lambda wb: setattr(wb["Activities"]["D2"], "value", None))
    page = partner.get(upload(partner, broken))
    refused = partner.post(page.url.path + "/submit", data={"csrf": csrf_of(page.text)})
    assert refused.status_code == 409 and 'id="refused"' in refused.text and "correct them" in refused.text


def test_the_desk_shows_links_issued_and_opened(site: tuple[WebSettings, FastAPI]) -> None:
    settings, app = site
    desk = secretariat_client(app)
    desk.post("/desk/partners/P-BETA/links", data={"csrf": csrf_of(desk.get("/desk/partners/P-BETA").text)})
    rows = {r.split("</small>", 1)[0].rsplit(">", 1)[1]: r for r in desk.get("/desk").text.split("<tr")[1:]
            if "<small>" in r}
    assert "issued, not opened" in rows["P-BETA"] and "none" in rows["P-ALPHA"]
    partner_client(app, settings, "P-ALPHA")  # opens a fresh link
    rows = {r.split("</small>", 1)[0].rsplit(">", 1)[1]: r for r in desk.get("/desk").text.split("<tr")[1:]
            if "<small>" in r}
    assert ">opened<" in rows["P-ALPHA"]
