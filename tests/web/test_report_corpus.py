"""Every case of the broken-input corpus, uploaded through the partner portal, gets its located report.

Each case is uploaded as a partner would: a real multipart POST of the case's file (its workbook, CSV or JSON;
for a case that breaks a shared list, the partner's own unchanged workbook against those broken lists). Then
the report page, the printable to-do list and the desk's page for the upload are opened in en, fr and es: each
answers 200 and shows every finding the partner's check must show (errors anywhere, warnings in its own
file) by its title in that language, with its place. An empty required cell, a refused file and a damaged
workbook have no "value found": these were the report page's 500s.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from catalogue.issues import CODES
from catalogue.render.words.i18n import translations
from flows.web.db import Database, User
from flows.web.security import hash_password
from flows.web.site_settings import WebSettings
from tests.fixtures.small import write_small_inputs
from tests.test_corpus import CASES, CORPUS, expected_of, overlay, place_shown, spoken_location
from tests.web.helpers import PASSWORD, SECRETARIAT, csrf_of, fresh_app, partner_client, secretariat_client

LANGS = ("en", "fr", "es")
FIXTURE_PARTNERS = ("P-ALPHA", "P-BETA")  # the partners of the small fixture's partners.csv


def uploaded_file(case: str) -> tuple[str, str] | None:
    """(partner id, path inside the case) of the workplan the case breaks, or None for a shared-list case."""
    for source in sorted((CORPUS / case / "workplans").glob("*")) if (CORPUS / case / "workplans").is_dir() else []:
        partner = source.name.split(".")[0]
        if source.is_file() and partner in FIXTURE_PARTNERS:
            return partner, f"workplans/{source.name}"
    return None


def visible_findings(case: str, uploaded: str) -> list[dict[str, Any]]:
    """What a partner's check shows of the case's expected findings: every error outside the other partners'
    workbooks (those are not in a partner's check), and the warnings of its own file."""
    expected = expected_of(case)
    shown = []
    for severity in ("errors", "warnings"):
        for finding in expected[severity]:
            file = finding["where"].split(": ", 1)[0]
            own = file == uploaded
            shared = not file.startswith("workplans/")
            if own or (severity == "errors" and shared):
                shown.append(finding)
    return shown


@pytest.fixture(scope="module")
def fixture_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_inputs(tmp_path_factory.mktemp("fixture") / "inputs")


def _site(case_root: Path, inputs: Path) -> WebSettings:
    outputs = case_root / "outputs"
    outputs.mkdir()
    settings = WebSettings(inputs=inputs, outputs=outputs, data=case_root / "data", run_jobs=False)
    with Database(settings.db_url).session() as db:
        db.add(User(email=SECRETARIAT, password_hash=hash_password(PASSWORD), role="secretariat"))
    return settings


def _choose_language(client: TestClient, lang: str) -> None:
    page = client.get("/partner")
    response = client.post("/lang", data={"csrf": csrf_of(page.text), "lang": lang, "next": "/partner"})
    assert response.status_code == 303


def _text(response: Any) -> str:
    """The page as a reader sees its words: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", response.text))


@pytest.mark.parametrize("case", CASES)
def test_every_corpus_case_gets_its_report_in_three_languages(case: str, fixture_inputs: Path, tmp_path: Path) -> None:
    inputs = overlay(case, fixture_inputs, tmp_path / "inputs")
    found = uploaded_file(case)
    if found is None:
        partner_id, name = "P-ALPHA", "workplans/P-ALPHA.xlsx"
        content = (fixture_inputs / name).read_bytes()
    else:
        partner_id, name = found
        content = (CORPUS / case / name).read_bytes()
    settings = _site(tmp_path, inputs)
    app = fresh_app(settings)
    partner = partner_client(app, settings, partner_id)
    token = csrf_of(partner.get("/partner").text)
    posted = partner.post("/partner/upload", data={"csrf": token}, files={"workbook": (Path(name).name, content)})
    assert posted.status_code == 303, (case, posted.status_code, posted.text[:500])
    report_path = str(posted.headers["location"])
    upload_id = report_path.rsplit("/", 1)[1]
    shown = visible_findings(case, name)
    desk = secretariat_client(app)

    for lang in LANGS:
        _choose_language(partner, lang)
        pages = {"report": partner.get(report_path), "todo": partner.get(report_path + "/todo"),
                 "desk": desk.get(f"/desk/uploads/{upload_id}?lang={lang}")}
        gettext = translations(lang).gettext
        for page_name, response in pages.items():
            assert response.status_code == 200, (case, lang, page_name, response.text[:300])
            text = _text(response)
            for finding in shown:
                title = gettext(CODES[finding["code"]][1])
                assert title in text, (case, lang, page_name, finding["code"], title)
                file, _, place = finding["where"].rpartition(": ")
                if not file:  # a whole file: shown under the name the partner sent it as
                    place = Path(place).name if place == name else place
                    assert place in text, (case, lang, page_name, finding["code"], place)
                else:
                    assert place_shown(place, text, gettext), (case, lang, page_name, finding["code"], place)
            if page_name == "report":
                assert f'lang="{lang}"' in response.text
        if 'id="annotated"' in pages["report"].text:  # the partner's own workbook, marked, in its language
            marked = partner.get(report_path + "/annotated.xlsx")
            assert marked.status_code == 200, (case, lang, marked.text[:300])
            book = load_workbook(io.BytesIO(marked.content))
            assert book.sheetnames[0] == gettext("Problems"), (case, lang)
            for finding in shown:
                place = spoken_location(finding["where"].rpartition(": ")[2])
                if finding["where"].startswith(name) and "column" in place and place["sheet"] in book.sheetnames:
                    assert book[place["sheet"]][f"{place['column']}{place['row']}"].comment is not None, (case, finding)


def test_shared_list_case_shows_the_blocking_error_to_the_partner(fixture_inputs: Path, tmp_path: Path) -> None:
    """A damaged shared list blocks every partner's check: the partner is told, not shown an empty report."""
    inputs = overlay("file-encoding", fixture_inputs, tmp_path / "inputs")
    settings = _site(tmp_path, inputs)
    app = fresh_app(settings)
    partner = partner_client(app, settings, "P-ALPHA")
    token = csrf_of(partner.get("/partner").text)
    content = (fixture_inputs / "workplans" / "P-ALPHA.xlsx").read_bytes()
    posted = partner.post("/partner/upload", data={"csrf": token}, files={"workbook": ("P-ALPHA.xlsx", content)})
    report = partner.get(str(posted.headers["location"]))
    assert "Text file is not UTF-8" in _text(report) and 'id="submit"' not in report.text


def test_the_corpus_covers_every_shape_of_finding() -> None:
    """The cases above include findings without a value, without a cell and on a whole file, grouped or not."""
    where = [f["where"] for case in CASES for f in expected_of(case)["errors"] + expected_of(case)["warnings"]]
    assert any(": " not in w for w in where)  # a whole file (refused, damaged)
    assert any(re.search(r"!\w+\d+$", w) for w in where)  # a cell
    assert any(" row " in w for w in where)  # a row
    assert "required-missing-title" in CASES and "xml-entity-declared" in CASES and "file-unreadable" in CASES
    shared = [case for case in CASES if uploaded_file(case) is None]
    assert "file-encoding" in shared and "json-too-deep-settings" in shared
    assert json.loads((CORPUS / "required-missing-title" / "expected.json").read_text())["passes"] is False
