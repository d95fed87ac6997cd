"""Every page passes axe-core's WCAG 2.2 A and AA rules in English, French and Spanish, at a desk's width and a
phone's, reads on a phone without sideways scrolling, and each audience can do its job with the keyboard alone.

axe-core runs inside Debian's Chromium (Selenium), from the tarball `.ci/install` fetches and checks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import LiveServer, needs_chromium
from tests.web.helpers import PASSWORD, SECRETARIAT, add_link, client_for, csrf_of, make_site, upload, workbook_bytes

AXE = sorted(Path(__file__).resolve().parents[2].glob(".venv/share/axe-core-*/axe.min.js"))
needs_axe = pytest.mark.skipif(not AXE, reason="axe-core is not installed (.ci/install fetches it)")
pytestmark = [needs_chromium, needs_axe, pytest.mark.slow]
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WAIT = 60
LANGUAGES = ("en", "fr", "es")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A published catalogue, a broken and a submitted upload, a queued run, a donor pack with its link."""
    root = tmp_path_factory.mktemp("accessibility")
    settings = make_site(root)
    live = LiveServer(settings)
    setup = client_for(live.app)
    link = add_link(live.settings, "P-ALPHA")
    assert setup.get(f"/p/{link}").status_code == 303
    original = live.settings.inputs / "workplans" / "P-ALPHA.xlsx"
    broken = setup.get(upload(setup, workbook_bytes(original, lambda wb: setattr(wb["Activities"]["D2"], "value", None))))
    clean = setup.get(upload(setup, workbook_bytes(
        original, lambda wb: wb["Activities"].cell(row=2, column=4, value="Flyway study, revised"))))
    setup.post(clean.url.path + "/submit", data={"csrf": csrf_of(clean.text)})
    (live.settings.inputs / "donors").mkdir()
    (live.settings.inputs / "donors" / "D-ONE.json").write_text("{}", encoding="utf-8")
    packs = live.settings.outputs / "packs"
    packs.mkdir()
    (packs / "D-ONE.pdf").write_bytes(b"%PDF pack")
    (packs / "D-ONE.json").write_text(json.dumps({
        "donor_id": "D-ONE", "donor_name": "Fondation Une", "language": "fr", "edition_id": "0123456789ab",
        "as_at": "2025-06-30", "currency": "USD", "considered": 3, "matched_gap": "35040.00",
        "priorities": [{"id": "CA-13.3", "title": "Great Indian Bustard", "gap": "35040.00", "score": 9}]}),
        encoding="utf-8")
    desk = client_for(live.app)
    desk.post("/login", data={"csrf": csrf_of(desk.get("/login").text), "email": SECRETARIAT, "password": PASSWORD})
    desk.post("/desk/donors/D-ONE/links", data={"csrf": csrf_of(desk.get("/desk/donors").text)})
    pack_link = desk.get("/desk/donors").text.split('id="new-donor-link">', 1)[1].split("<", 1)[0]
    job = desk.post("/desk/jobs", data={"csrf": csrf_of(desk.get("/desk").text), "kind": "validate", "lang": "en"})
    catalogue = json.loads((live.settings.outputs / "catalogue.json").read_text(encoding="utf-8"))
    try:
        yield {"live": live, "link": link, "broken": broken.url.path, "clean": clean.url.path,
               "pack": urlsplit(pack_link).path, "job": job.headers["location"],
               "priorities": [p["id"] for p in catalogue["priorities"]]}
    finally:
        live.stop()


def _violations(browser: Any) -> list[tuple[str, str, list[str]]]:
    browser.execute_script(AXE[0].read_text(encoding="utf-8"))
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => [v.id, v.help, v.nodes.slice(0, 3).map(n => n.target.join(' '))])))"
        ".catch(e => done([['axe-error', String(e), []]]));", RULES)
    return [tuple(v) for v in found]


def _sideways(browser: Any) -> int:
    """How many CSS pixels the page is wider than the window (0: nothing scrolls sideways)."""
    return int(browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def _check_pages(browser: Any, base: str, paths: list[str], width: int) -> list[str]:
    browser.set_window_size(width, 900)
    problems = []
    for lang in LANGUAGES:
        for path in paths:
            browser.get(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
            WebDriverWait(browser, WAIT).until(ready.presence_of_element_located((By.TAG_NAME, "main")))
            problems += [f"{path} [{lang}, {width} px]: {v}" for v in _violations(browser)]
            if width <= 400 and (extra := _sideways(browser)) > 0:
                problems.append(f"{path} [{lang}, {width} px]: {extra} px of sideways scrolling")
    return problems


def _sign_in(browser: Any, base: str) -> None:
    browser.get(f"{base}/login")
    WebDriverWait(browser, WAIT).until(ready.presence_of_element_located((By.ID, "email"))).send_keys(SECRETARIAT)
    browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    WebDriverWait(browser, WAIT).until(lambda b: urlsplit(b.current_url).path == "/desk")


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_passes_axe_in_three_languages(browser: Any, world: dict[str, Any], width: int) -> None:
    live: LiveServer = world["live"]
    public = ["/", "/login", "/no-such-page", "/donors", "/donors/partners", "/donors/flows", "/donors/methodology",
              *(f"/donors/priorities/{p}" for p in world["priorities"]), world["pack"]]
    problems = _check_pages(browser, live.url, public, width)
    browser.get(f"{live.url}/p/{world['link']}")
    portal = ["/partner", world["broken"], world["broken"] + "/todo", world["clean"]]
    problems += _check_pages(browser, live.url, portal, width)
    browser.delete_all_cookies()
    _sign_in(browser, live.url)
    upload_id = world["clean"].rsplit("/", 1)[1]
    desk = ["/desk", "/desk/partners/P-ALPHA", f"/desk/uploads/{upload_id}", "/desk/uploads/1", "/desk/downloads",
            "/desk/donors", "/desk/pledges", "/desk/audit", world["job"], f"/p/{world['link']}"]
    problems += _check_pages(browser, live.url, desk, width)
    assert not problems, "\n".join(problems[:30])


def _tab_to(browser: Any, css: str, limit: int = 80) -> None:
    """Press Tab until the element matching `css` has the focus, as a keyboard user moves through a page."""
    target = browser.find_element(By.CSS_SELECTOR, css)
    for _ in range(limit):
        if browser.switch_to.active_element == target:
            return
        ActionChains(browser).send_keys(Keys.TAB).perform()  # keys as typed (a file input takes no text)
    raise AssertionError(f"{css} cannot be reached with Tab")


def _press_enter_on(browser: Any, css: str) -> None:
    browser.find_element(By.TAG_NAME, "body").click()  # start from the top of the page, as a page load does
    _tab_to(browser, css)
    ActionChains(browser).send_keys(Keys.ENTER).perform()


def test_each_audience_can_work_with_the_keyboard_alone(browser: Any, world: dict[str, Any], tmp_path: Path) -> None:
    live: LiveServer = world["live"]
    browser.set_window_size(1280, 900)
    # A donor: from the front page of the donor site to a priority.
    browser.get(f"{live.url}/donors")
    _press_enter_on(browser, "#priorities tbody a")
    WebDriverWait(browser, WAIT).until(lambda b: "/donors/priorities/" in b.current_url)

    # A partner: check a workbook (the file is chosen in the browser's dialog), then submit it.
    browser.get(f"{live.url}/p/{add_link(live.settings, 'P-BETA')}")
    beta = tmp_path / "beta.xlsx"
    beta.write_bytes((live.settings.inputs / "workplans" / "P-BETA.xlsx").read_bytes())
    WebDriverWait(browser, WAIT).until(ready.presence_of_element_located((By.ID, "workbook"))).send_keys(str(beta))
    _press_enter_on(browser, "#check")
    WebDriverWait(browser, WAIT).until(ready.presence_of_element_located((By.ID, "submit")))
    _press_enter_on(browser, "#submit")
    WebDriverWait(browser, WAIT).until(ready.presence_of_element_located((By.ID, "confirmation")))

    # The Secretariat: sign in, open the partner, review the submission and accept it.
    browser.delete_all_cookies()
    browser.get(f"{live.url}/login")
    _tab_to(browser, "#email")
    ActionChains(browser).send_keys(SECRETARIAT, Keys.TAB, PASSWORD, Keys.ENTER).perform()
    WebDriverWait(browser, WAIT).until(lambda b: urlsplit(b.current_url).path == "/desk")
    _press_enter_on(browser, "#glance a[href='/desk/partners/P-BETA']")
    WebDriverWait(browser, WAIT).until(ready.presence_of_element_located((By.CSS_SELECTOR, "[id^=review-]")))
    _press_enter_on(browser, "[id^=review-]")
    WebDriverWait(browser, WAIT).until(ready.presence_of_element_located((By.ID, "accept")))
    _press_enter_on(browser, "#accept")
    WebDriverWait(browser, WAIT).until(ready.presence_of_element_located((By.ID, "decided")))
