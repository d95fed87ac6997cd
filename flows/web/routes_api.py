"""`/api/v1/`: the published programme, read-only, for scripts and systems (JSON always; CSV on request).

A sub-application of its own, so that everything under /api/v1 answers JSON (errors too, never an HTML page,
never a 500 for a bad parameter) and its OpenAPI document (/api/v1/openapi.json) describes the API alone.
Privacy is the donor site's: behind the donor link when CATALOGUE_DONOR_TOKEN is set (the site's session, or
`Authorization: Bearer <token>` for a script); no prospect profile, no partner contact, no pack.
"""

from __future__ import annotations

import csv
import hmac
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalogue.api import (
    QueryError,
    UnknownEdition,
    activity_rows,
    as_text,
    changes_between,
    donor_rows,
    flows,
    list_editions,
    priority_rows,
)

from .db import Database
from .deps import donor_access, settings_of
from .partners import published_catalogue, release_key
from .site_settings import WebSettings

API_VERSION = "v1"


class ErrorBody(BaseModel):
    """What went wrong: a code for scripts and a sentence for people."""

    code: str
    message: str


class ErrorAnswer(BaseModel):
    """Every error of the API."""

    error: ErrorBody


class Meta(BaseModel):
    """Which catalogue answered: its edition, date and currency, and how many rows."""

    edition: str
    as_at: str
    currency: str
    count: int


class ListAnswer(BaseModel):
    """Rows of one table of the data package, with what they come from."""

    data: list[dict[str, Any]]
    meta: Meta


class ApiProblem(Exception):
    """An answer the API gives as JSON with this status, code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorAnswer, "description": "A parameter the API cannot answer"},
    403: {"model": ErrorAnswer, "description": "The donor link was not opened and no token was sent"},
    404: {"model": ErrorAnswer, "description": "Nothing published yet, or no such item"},
}
LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS, 200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The rows"}}


def _problem(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def _api_problem(_request: Request, problem: ApiProblem) -> Response:
    return _problem(problem.status, problem.code, problem.message)


async def _http_problem(_request: Request, problem: StarletteHTTPException) -> Response:
    return _problem(problem.status_code, "http-" + str(problem.status_code), str(problem.detail))


async def _bad_parameters(_request: Request, problem: RequestValidationError) -> Response:
    said = []
    for error in problem.errors():
        name = ".".join(str(part) for part in error.get("loc", ())[1:]) or "a parameter"
        said.append(f"{name}: {error.get('msg', 'not understood')}")
    return _problem(400, "bad-parameter", "Check " + "; ".join(said or ["the parameters"]) + ".")


async def _fault(_request: Request, _problem_: Exception) -> Response:
    return _problem(500, "fault", "The catalogue could not answer; the Secretariat has the log.")


async def require_api_access(request: Request) -> None:
    """Let a caller in as the donor site does: always when it is public; else with the site's session or the
    donor token as a bearer token (403 otherwise)."""
    token = settings_of(request).donor_token
    if donor_access(request):
        return
    sent = request.headers.get("authorization", "")
    if sent.lower().startswith("bearer ") and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
        return
    raise ApiProblem(403, "donor-link-needed", "Open the donor link the Secretariat sent you, or send its token as "
                                               "'Authorization: Bearer <token>'.")


def _document(request: Request) -> dict[str, Any]:
    document = published_catalogue(settings_of(request).outputs)
    if document is None:
        raise ApiProblem(404, "not-published", "No catalogue has been published yet.")
    return document


# Answers are the same for every caller of one published catalogue: kept by (release, path, query, format), so
# twenty clients cost a dictionary look-up each after the first (the donor pages do the same).
_answers: OrderedDict[tuple[Any, ...], tuple[bytes, str]] = OrderedDict()
_answers_lock = threading.Lock()
ANSWER_CACHE_SIZE = 512


def _answer(request: Request, document: dict[str, Any], rows: Callable[[], list[dict[str, Any]]],
            fmt: str | None, *, cacheable: bool = True) -> Response:
    """The rows as JSON (with meta) or CSV, kept for the next caller when they depend on the catalogue alone."""
    wants_csv = fmt == "csv" or (not fmt and "text/csv" in request.headers.get("accept", ""))
    key = (release_key(settings_of(request).outputs), request.url.path, str(request.query_params), wants_csv)
    with _answers_lock:
        if cacheable and key in _answers:
            _answers.move_to_end(key)
            body, media = _answers[key]
            return Response(body, media_type=media)
    found = _run(rows)
    if wants_csv:
        body, media = _csv(found), "text/csv; charset=utf-8"
    else:
        meta = {"edition": str(document.get("edition") or ""), "as_at": str(document["as_at"]),
                "currency": str(document["reporting_currency"]), "count": len(found)}
        body = json.dumps({"data": [{k: _plain(v) for k, v in row.items()} for row in found], "meta": meta},
                          ensure_ascii=False).encode("utf-8")
        media = "application/json"
    with _answers_lock:
        if cacheable:
            _answers[key] = (body, media)
        while len(_answers) > ANSWER_CACHE_SIZE:
            _answers.popitem(last=False)
    return Response(body, media_type=media)


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    fields = list(rows[0]) if rows else []
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        cells = ["" if row[f] is None else str(row[f]) for f in fields]
        writer.writerow([c if _number(c) else as_text(c) for c in cells])  # -120.00 stays a number
    return out.getvalue().encode("utf-8")


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _run(rows: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    try:
        return rows()
    except QueryError as problem:
        raise ApiProblem(400, problem.code, problem.message) from None


def _text() -> Any:
    # A new Query per parameter: FastAPI names a Query after the first parameter it is used for.
    return Query(None, max_length=200)


def _format() -> Any:
    return Query(None, pattern="^(json|csv)$", description="json (the default) or csv; `Accept: text/csv` too.")


def _year() -> Any:
    return Query(None, pattern="^[0-9]{4}$", description="A calendar year, e.g. 2025")


GROUPS = "(priority|partner|donor|country|taxon|region|year|status)"


router = APIRouter(dependencies=[Depends(require_api_access)])


def _filters(**given: str | None) -> dict[str, str]:
    return {name: value for name, value in given.items() if value}


@router.get("/", responses=ERRORS)
async def index(request: Request) -> dict[str, Any]:
    """What the API offers, and which catalogue answers."""
    document = _document(request)
    return {"data": {name: f"/api/{API_VERSION}/{name}" for name in
                     ("priorities", "activities", "donors", "flows", "editions", "changes")},
            "meta": {"edition": str(document.get("edition") or ""), "as_at": str(document["as_at"]),
                     "currency": str(document["reporting_currency"]), "openapi": f"/api/{API_VERSION}/openapi.json"}}


@router.get("/priorities", response_model=ListAnswer, responses=LIST_RESPONSES)
async def list_priorities(request: Request, taxon: str | None = _text(), region: str | None = _text(),
                    status: str | None = _text(),
                    priority: str | None = _text(), format: str | None = _format()) -> Response:
    """CoP priorities with their open work's money, filtered by taxon, region, funding status or id."""
    document = _document(request)
    filters = _filters(taxon=taxon, region=region, status=status, priority=priority)
    return _answer(request, document, lambda: priority_rows(document, filters), format)


@router.get("/activities", response_model=ListAnswer, responses=LIST_RESPONSES)
async def list_activities(request: Request, priority: str | None = _text(), partner: str | None = _text(),
                    country: str | None = _text(), taxon: str | None = _text(), region: str | None = _text(),
                    year: str | None = _year(), status: str | None = _text(),
                    format: str | None = _format()) -> Response:
    """Partner activities, filtered by priority, partner, country, taxon, region, year or funding status."""
    document = _document(request)
    filters = _filters(priority=priority, partner=partner, country=country, taxon=taxon, region=region, year=year,
                       status=status)
    return _answer(request, document, lambda: activity_rows(document, filters), format)


@router.get("/donors", response_model=ListAnswer, responses=LIST_RESPONSES)
async def list_donors(request: Request, format: str | None = _format()) -> Response:
    """The donors of the register: what each committed, paid and pledged (no prospect profile)."""
    document = _document(request)
    return _answer(request, document, lambda: donor_rows(document), format)


@router.get("/flows", response_model=ListAnswer, responses=LIST_RESPONSES)
async def list_flows(request: Request, priority: str | None = _text(), partner: str | None = _text(),
               donor: str | None = _text(),
               country: str | None = _text(), taxon: str | None = _text(), region: str | None = _text(),
               year: str | None = _year(), status: str | None = _text(),
               groupby: str | None = Query(None, pattern=f"^{GROUPS}(,{GROUPS})*$",
                                           description="Comma-separated filter names to sum the flows by"),
               format: str | None = _format()) -> Response:
    """Flows donor -> implementer -> priority (pledged, committed, paid), filtered, or summed per group."""
    document = _document(request)
    filters = _filters(priority=priority, partner=partner, donor=donor, country=country, taxon=taxon, region=region,
                       year=year, status=status)
    group_by = [g.strip() for g in (groupby or "").split(",") if g.strip()]
    return _answer(request, document, lambda: flows(document, filters, group_by), format)


@router.get("/editions", response_model=ListAnswer, responses=LIST_RESPONSES)
async def editions(request: Request, format: str | None = _format()) -> Response:
    """The published editions, oldest first: id, name, dates and whether it is pinned."""
    document = _document(request)
    outputs = settings_of(request).outputs
    return _answer(request, document, lambda: [
        {"id": e.id, "name": e.name, "published_at": e.published_at, "as_at": e.as_at, "build_time": e.build_time,
         "pinned": e.pinned} for e in list_editions(outputs)], format, cacheable=False)  # pins change, not the JSON


@router.get("/changes", responses=ERRORS)
async def changes(request: Request, since: str | None = _text()) -> dict[str, Any]:
    """What changed in the latest edition since the one before (or `since`: an edition id, name or date)."""
    _document(request)
    try:
        _, _, found = changes_between(settings_of(request).outputs, since)
    except UnknownEdition:
        raise ApiProblem(404, "unknown-edition", "No edition matches; /api/v1/editions lists them.") from None
    return {"data": found}


def create_api(settings: WebSettings, database: Database) -> FastAPI:
    """The API application, mounted at /api/v1 by the web application; every answer JSON (or CSV on request)."""
    api = FastAPI(title="CMS Programme Catalogue API", version=API_VERSION, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json")
    api.state.settings = settings  # a mounted application is its own `request.app`
    api.state.database = database  # the donor site's sessions decide who may read
    api.add_exception_handler(ApiProblem, _api_problem)  # type: ignore[arg-type]
    api.add_exception_handler(StarletteHTTPException, _http_problem)  # type: ignore[arg-type]
    api.add_exception_handler(RequestValidationError, _bad_parameters)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, _fault)
    api.include_router(router)
    return api
