"""Every answer that is not a page asked for: the application's own error page (or JSON), never a traceback.

A refused request (404, 405, 413, 415, 422, ...) is answered by `http_error` / `invalid_request`; a fault of
ours (an exception no route caught) by `FaultBarrier`, which sends a plain 500 page and then lets the exception
go on to the server's log. All of them pass through `SecurityHeaders`, so an error page carries the same
headers as every other page. `HeadAsGet` answers HEAD wherever GET is answered.
"""

from __future__ import annotations

import json
import logging
from html import escape

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from catalogue.api import LANGUAGES

from .labels import translator
from .pages import render

log = logging.getLogger("catalogue.web")


def wants_json(request: Request) -> bool:
    """API clients get JSON: an /api/ address, or an Accept header that asks for JSON and not for HTML."""
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


def error_response(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    """The application's own answer for `status`: a page in the visitor's language, or JSON with a code."""
    if wants_json(request):
        return JSONResponse({"error": {"status": status, "message": detail}}, status_code=status, headers=headers)
    response = render(request, "error.html.j2", status=status, code=status, detail=detail)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


async def http_error(request: Request, problem: StarletteHTTPException) -> Response:
    """A refusal raised by a route or by the router (404 no such address, 405 wrong method)."""
    detail = str(problem.detail) if problem.detail else ""
    if problem.status_code == 404 and detail in ("", "Not Found"):
        detail = ""  # the router's own English words; the page says it in the visitor's language
    if problem.status_code == 405:
        detail = ""
    return error_response(request, problem.status_code, detail, dict(problem.headers or {}))


async def invalid_request(request: Request, problem: RequestValidationError) -> Response:
    """A parameter that does not fit: in the address it means there is no such page (404), elsewhere 422.

    The message names the parameter only: FastAPI's own error (with the value and pydantic's wording) is not
    shown, so nothing of the request is echoed back.
    """
    errors = problem.errors()
    if any(error.get("loc", ("",))[0] == "path" for error in errors):
        return error_response(request, 404, "")
    names = sorted({str(error.get("loc", ("", ""))[-1]) for error in errors})
    return error_response(request, 422, "Check these values: " + ", ".join(names) + ".")


def _fault_page(lang: str) -> bytes:
    """The 500 page, made without templates or the database (either may be what failed)."""
    labels = translator(lang)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(labels["status_500"])}</title><link rel="stylesheet" href="/static/web.css"></head>'
            f'<body><main><h1>{escape(labels["status_500"])}</h1><p class="notice">{escape(labels["server_fault"])}</p>'
            f'<p><a href="/">{escape(labels["back"])}</a></p></main></body></html>').encode()


class FaultBarrier:
    """An exception no route caught becomes a plain 500 page (or JSON), then goes on to the server's log.

    Sits inside SecurityHeaders (so the page gets every header) and inside the session (to know the language).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; if it raises before any answer has started, send the 500 page, then re-raise."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            if started:
                raise  # half an answer is already out: nothing better can be sent
            log.exception("fault while answering %s %s", scope.get("method"), scope.get("path"))
            await _send_fault(scope, send)
            raise  # the server logs it too; the visitor already has its page


async def _send_fault(scope: Scope, send: Send) -> None:
    session = scope.get("session") or {}
    lang = session.get("lang") if isinstance(session, dict) else None
    lang = lang if lang in LANGUAGES else "en"
    request = Request(scope)
    if wants_json(request):
        body = json.dumps({"error": {"status": 500, "message": translator(lang)["server_fault"]}}).encode()
        kind = b"application/json"
    else:
        body, kind = _fault_page(lang), b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class HeadAsGet:
    """HEAD is answered wherever GET is: the GET route runs and its body is dropped (headers kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a HEAD request as the GET route would, without the body; every other request passes through."""
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": b"", "more_body": message.get("more_body", False)}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
