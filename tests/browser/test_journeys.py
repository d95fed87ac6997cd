"""The three journeys in a real browser (headless Debian Chromium, Selenium), against a live server.

1. A partner uploads a broken workbook, sees the located error, fixes it and submits.
2. The Secretariat accepts it, builds the catalogue (a Prefect flow run) and downloads the PDF, whose
   total matches catalogue.json.
3. A donor filters the priorities by region and opens one.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

from catalogue.render.words.formatting import amount
from flows.web.site_settings import WebSettings
from tests.browser.conftest import LiveServer, needs_chromium
from tests.web.helpers import PASSWORD, SECRETARIAT, add_link, make_site, workbook_bytes
from tests.web.test_routes import break_start_dates

pytestmark = [needs_chromium, pytest.mark.slow]
WAIT = 60  # generous: the machine running the tests may be busy


@pytest.fixture
def server(tmp_path: Path, web_database: Callable[[], str]) -> Iterator[LiveServer]:
    settings = make_site(tmp_path, database_url=web_database())  # SQLite, then PostgreSQL
    live = LiveServer(WebSettings(**{**settings.__dict__, "run_jobs": True}))
    try:
        yield live
    finally:
        live.stop()


def _wait_for(browser: Any, css: str) -> Any:
    return WebDriverWait(browser, WAIT).until(ready.presence_of_element_located((By.CSS_SELECTOR, css)))


def _wait_for_text(browser: Any, css: str, text: str) -> None:
    """Until the element shows `text`, found afresh each time: a click that loads a new page makes the element
    found on the old one stale, so a single lookup can race the navigation."""
    WebDriverWait(browser, WAIT, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        lambda b: b.find_element(By.CSS_SELECTOR, css).text == text)


def break_dates_and_empty_a_title(workbook: Any) -> None:
    """Words for dates (a value found, on three cells) and an empty required Title (no value at all)."""
    break_start_dates(workbook)
    workbook["Activities"]["D2"].value = None  # openpyxl's cell(..., value=None) would leave the value in place


def partner_submits_a_fixed_workbook(browser: Any, server: LiveServer, tmp_path: Path) -> None:
    original = server.settings.inputs / "workplans" / "P-ALPHA.xlsx"
    broken = tmp_path / "alpha-broken.xlsx"
    broken.write_bytes(workbook_bytes(original, break_dates_and_empty_a_title))
    fixed = tmp_path / "alpha-fixed.xlsx"
    fixed.write_bytes(workbook_bytes(original, lambda wb: wb["Activities"].cell(row=2, column=4, value="Bustard survey, revised")))

    browser.get(f"{server.url}/p/{add_link(server.settings, 'P-ALPHA')}")
    _wait_for(browser, "#workbook").send_keys(str(broken))
    browser.find_element(By.ID, "check").click()
    summary = _wait_for(browser, "#summary")
    assert "error" in summary.text
    report = browser.find_element(By.CSS_SELECTOR, "ol.issues").text
    assert "sheet Activities, column start" in report and "G2" in report  # three cells, one cause: one entry
    assert "sometime next spring" in report and "YYYY-MM-DD" in report
    assert "Required value missing" in report and "sheet Activities, cell D2" in report  # empty: no value found
    assert browser.find_element(By.ID, "annotated").get_attribute("href").endswith("/annotated.xlsx")
    browser.find_element(By.ID, "todo").click()
    todo = _wait_for(browser, "table.todo").text
    assert "sheet Activities, cell D2" in todo and "sheet Activities, cell G2" in todo
    browser.back()

    browser.find_element(By.ID, "workbook").send_keys(str(fixed))
    browser.find_element(By.ID, "check").click()
    _wait_for(browser, "#submit").click()
    _wait_for_text(browser, "#state", "submitted")
    assert "What happens next" in _wait_for(browser, "#confirmation").text


def secretariat_accepts_builds_and_downloads(browser: Any, server: LiveServer) -> None:
    browser.get(f"{server.url}/login")
    _wait_for(browser, "#email").send_keys(SECRETARIAT)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login").click()
    _wait_for(browser, "#glance").find_element(By.LINK_TEXT, "Alpha").click()
    _wait_for(browser, "[id^=review-]").click()
    changes = _wait_for(browser, "#changes").text  # what the workbook changes, before deciding
    assert "Bustard survey, revised" in changes and "title" in changes
    browser.find_element(By.ID, "accept").click()
    WebDriverWait(browser, WAIT, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        lambda b: "accepted" in b.find_element(By.TAG_NAME, "main").text)
    accepted = load_workbook(server.settings.inputs / "workplans" / "P-ALPHA.xlsx")
    assert accepted["Activities"]["D2"].value == "Bustard survey, revised"
    browser.get(f"{server.url}/desk")
    _wait_for(browser, "#start-build").click()
    finished = WebDriverWait(browser, 300).until(ready.presence_of_element_located(
        (By.CSS_SELECTOR, "#job[data-state=done], #job[data-state=failed]")))
    assert finished.get_attribute("data-state") == "done", browser.find_element(By.TAG_NAME, "main").text
    link = _wait_for(browser, "#dl-catalogue-pdf").get_attribute("href")
    job_page = browser.current_url
    browser.get(f"{server.url}/desk")
    last = _wait_for(browser, "#last-build")
    assert "/runs/flow-run/" in last.find_element(By.PARTIAL_LINK_TEXT, "Prefect").get_attribute("href")
    assert "accepted, not yet built" not in browser.find_element(By.ID, "glance").text  # the build took it in
    browser.get(job_page)
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    pdf = httpx.get(link, cookies=cookies, timeout=WAIT)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    published = json.loads((server.settings.outputs / "catalogue.json").read_text(encoding="utf-8"))
    assert "Bustard survey, revised" in json.dumps(published)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    required = Decimal(published["totals"]["required"])
    assert f"Total required USD\xa0{amount(required, 'en')}" in text  # the headline, for reading (whole USD)
    assert amount(required, "en", cents=True) in text  # and Annex A's, to the cent: catalogue.json's


def donor_filters_by_region_and_opens_a_priority(browser: Any, server: LiveServer) -> None:
    browser.get(f"{server.url}/donors")
    everything = len(_wait_for(browser, "#priorities").find_elements(By.CSS_SELECTOR, "tbody tr"))
    Select(browser.find_element(By.ID, "filter-region")).select_by_visible_text("Asia")
    browser.find_element(By.ID, "apply").click()
    rows = WebDriverWait(browser, WAIT).until(lambda b: "region=Asia" in b.current_url and
                                              b.find_elements(By.CSS_SELECTOR, "#priorities tbody tr"))
    assert 0 < len(rows) < everything
    title = rows[0].find_element(By.CSS_SELECTOR, "a").text
    rows[0].find_element(By.CSS_SELECTOR, "a").click()
    assert _wait_for(browser, "#priority-title").text == title


def test_partner_journey(browser: Any, server: LiveServer, tmp_path: Path) -> None:
    partner_submits_a_fixed_workbook(browser, server, tmp_path)


def test_secretariat_journey(browser: Any, server: LiveServer, tmp_path: Path, prefect_api: str) -> None:
    partner_submits_a_fixed_workbook(browser, server, tmp_path)
    browser.delete_all_cookies()
    secretariat_accepts_builds_and_downloads(browser, server)


def test_donor_journey(browser: Any, server: LiveServer) -> None:
    donor_filters_by_region_and_opens_a_priority(browser, server)
