"""Every error answer is the application's own, with the same security headers as every page; no 500.

Every route (found by walking the app, as the access test does) is sent malformed ids (words, zero, negative,
past 64 bits, traversal, very long, not ASCII), every method, as an anonymous visitor, a partner and the
Secretariat; unknown paths too. No answer is a 500, every answer carries CSP with frame-ancestors, nosniff,
X-Frame-Options and no-store, and none shows a traceback or a server path. HEAD answers wherever GET does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flows.web.site_settings import WebSettings
from tests.web.helpers import csrf_of, fresh_app, make_site, partner_client, secretariat_client, upload
from tests.web.test_access import api_routes

MALFORMED = ("abc", "0", "-1", "99999999999999999999", "1.5", "..%2F..%2Fetc%2Fpasswd", "x" * 300, "%C3%A9t%C3%A9",
             "%00", "1%20OR%201=1")
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
UNKNOWN_PATHS = ("/nope", "/desk/uploads/", "/partner/uploads//todo", "/desk/uploads/1/nope", "/static/../app.py",
                 "/api/v1/nothing", "/" + "a" * 2000, "/donors/priorities/%00")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory,
         web_database: Callable[[], str]) -> tuple[WebSettings, FastAPI, dict[str, TestClient]]:
    settings = make_site(tmp_path_factory.mktemp("errors"), database_url=web_database())  # SQLite, then PostgreSQL
    app = fresh_app(settings)
    partner = partner_client(app, settings, "P-ALPHA")
    upload(partner, (settings.inputs / "workplans" / "P-ALPHA.xlsx").read_bytes())
    clients = {"anonymous": _lenient(TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)),
               "partner": _lenient(partner), "secretariat": _lenient(secretariat_client(app))}
    return settings, app, clients


def _lenient(client: TestClient) -> TestClient:
    """The same client (cookies and all), answering a fault with its 500 instead of raising it in the test."""
    lenient = TestClient(client.app, base_url="http://127.0.0.1", follow_redirects=False, raise_server_exceptions=False)
    lenient.cookies = client.cookies
    return lenient


def assert_own_answer(response: Any, settings: WebSettings, what: str) -> None:
    """Not a fault, and dressed like every other page: security headers, no traceback, no server path."""
    assert response.status_code != 500, what
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, (what, dict(headers))
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("x-frame-options") == "DENY", what
    if not what.split(" ", 1)[1].startswith("/static/"):
        assert headers.get("cache-control") == "no-store", what
    body = response.content.decode("utf-8", "replace")
    for leak in ("Traceback", "site-packages", str(settings.data), str(Path(__file__).parents[2]), '"loc":', "pydantic"):
        assert leak not in body, (what, leak, body[:300])


def _paths_with(route_path: str, value: str) -> str:
    return re.sub(r"{\w+(?::\w+)?}", value, route_path)


def _send(client: TestClient, method: str, path: str) -> Any:
    return client.request(method, path, data={"csrf": "x"} if method in ("POST", "PUT", "PATCH") else None)


@pytest.mark.parametrize("role", ["anonymous", "partner", "secretariat"])
def test_malformed_ids_methods_and_paths_never_fault(site: tuple[WebSettings, FastAPI, dict[str, TestClient]], role: str) -> None:
    settings, app, clients = site
    client = clients[role]
    routes = api_routes(app.routes)
    assert len(routes) >= 30
    sent = 0
    for route in routes:
        if route.path in ("/logout", "/p/{token}"):
            continue  # would end or switch this role's session; both are called by the other tests
        has_params = "{" in route.path
        values = MALFORMED if has_params else ("",)
        for value in values:
            path = _paths_with(route.path, value)
            for method in (sorted(route.methods) if value != values[0] else METHODS):
                response = _send(client, method, path)
                assert_own_answer(response, settings, f"{method} {path} as {role}")
                sent += 1
    for path in UNKNOWN_PATHS:
        for method in ("GET", "POST"):
            response = _send(client, method, path)
            assert response.status_code in (403, 404, 405), (method, path, response.status_code)
            assert_own_answer(response, settings, f"{method} {path} as {role}")
    assert sent > 300


def test_an_id_out_of_range_or_not_a_number_is_not_found(site: tuple[WebSettings, FastAPI, dict[str, TestClient]]) -> None:
    settings, _app, clients = site
    desk, partner = clients["secretariat"], clients["partner"]
    for path in ("/desk/uploads/99999999999999999999", "/desk/uploads/abc", "/desk/uploads/0", "/desk/jobs/-1",
                 "/desk/uploads/9223372036854775807", "/desk/uploads/2147483648", "/desk/uploads/2147483647"):
        response = desk.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert "text/html" in response.headers["content-type"] and "<h1>" in response.text
    assert partner.get("/partner/uploads/99999999999999999999/todo").status_code == 404
    as_api = desk.get("/desk/uploads/abc", headers={"accept": "application/json"})
    assert as_api.status_code == 404 and as_api.json()["error"]["status"] == 404


def test_wrong_method_is_the_applications_own_page(site: tuple[WebSettings, FastAPI, dict[str, TestClient]]) -> None:
    settings, _app, clients = site
    response = clients["anonymous"].delete("/login")
    assert response.status_code == 405 and "GET" in response.headers.get("allow", "")
    assert "<h1>" in response.text
    assert_own_answer(response, settings, "DELETE /login")


def test_head_answers_wherever_get_does(site: tuple[WebSettings, FastAPI, dict[str, TestClient]]) -> None:
    settings, app, clients = site
    for role, client in clients.items():
        for path in ("/", "/login", "/donors", "/partner", "/desk", "/static/web.css"):
            got, head = client.get(path), client.head(path)
            assert head.status_code == got.status_code, (role, path, head.status_code, got.status_code)
            assert head.content == b"", (role, path)
            assert_own_answer(head, settings, f"HEAD {path} as {role}")


def test_upload_refusals_are_pages_in_the_partners_language(site: tuple[WebSettings, FastAPI, dict[str, TestClient]]) -> None:
    settings, _app, clients = site
    partner = clients["partner"]
    page = partner.get("/partner")
    partner.post("/lang", data={"csrf": csrf_of(page.text), "lang": "fr", "next": "/partner"})
    token = csrf_of(partner.get("/partner").text)
    wrong_type = partner.post("/partner/upload", data={"csrf": token}, files={"workbook": ("plan.exe", b"MZ\x90\x00")})
    assert wrong_type.status_code == 415 and "Ce type de fichier n'est pas lu" in html.unescape(wrong_type.text)
    assert ".xlsx" in wrong_type.text
    assert_own_answer(wrong_type, settings, "POST /partner/upload (.exe)")
    too_large = partner.post("/partner/upload", data={"csrf": token},
                             files={"workbook": ("plan.xlsx", b"0" * (settings.max_upload_bytes + 1))})
    assert too_large.status_code == 413 and "Trop volumineux" in too_large.text and "Mo" in too_large.text
    assert_own_answer(too_large, settings, "POST /partner/upload (too large)")
    partner.post("/lang", data={"csrf": token, "lang": "en", "next": "/partner"})


def test_an_unexpected_fault_is_a_plain_page_with_every_header(site: tuple[WebSettings, FastAPI, dict[str, TestClient]],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _app, clients = site

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"a fault of ours in {settings.data}")

    monkeypatch.setattr("flows.web.routes_partner.report_entries", broken)
    partner = clients["partner"]
    report = partner.get("/partner")
    address = re.search(r'href="(/partner/uploads/\d+)"', report.text)
    assert address, "the portal lists the partner's upload"
    response = partner.get(address.group(1))
    assert response.status_code == 500
    assert "Nothing you sent was lost" in response.text
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"] and headers["cache-control"] == "no-store"
    assert "a fault of ours" not in response.text and str(settings.data) not in response.text
    as_api = partner.get(address.group(1), headers={"accept": "application/json"})
    assert as_api.status_code == 500 and as_api.json()["error"]["status"] == 500
