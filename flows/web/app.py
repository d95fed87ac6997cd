"""The application object: settings, database, job runner, templates, middleware and error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from catalogue import config

from . import routes_auth, routes_desk, routes_donor, routes_packs, routes_partner
from .db import Database
from .jobs import JobRunner
from .pages import LoginRequired, render
from .security import LoginRateLimit, SecurityHeaders
from .settings import WebSettings

WEB_TEMPLATES = config.TEMPLATES_DIR / "web"
SESSION_HOURS = 8


def create_app(settings: WebSettings) -> FastAPI:
    """One application over `settings.inputs` and `settings.outputs`, its state in `settings.data`."""
    app = FastAPI(title="CMS Programme Catalogue", docs_url=None, redoc_url=None, openapi_url=None)
    settings.data.mkdir(parents=True, exist_ok=True)
    app.state.settings = settings
    app.state.database = Database(settings.db_url)
    app.state.jobs = JobRunner(app.state.database, settings)
    app.state.login_limit = LoginRateLimit()
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret(), session_cookie="catalogue_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax", https_only=settings.https_only)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=WEB_TEMPLATES / "static"), name="static")
    for module in (routes_auth, routes_partner, routes_desk, routes_donor, routes_packs):
        app.include_router(module.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(LoginRequired, _login_required)  # type: ignore[arg-type]
    return app


async def _http_error(request: Request, problem: StarletteHTTPException) -> Response:
    if problem.status_code == 405:
        return Response(status_code=405, headers=problem.headers)
    return render(request, "error.html.j2", status=problem.status_code, code=problem.status_code,
                  detail=str(problem.detail))


async def _login_required(request: Request, _problem: LoginRequired) -> Response:
    return RedirectResponse("/login", status_code=303)


def static_path(name: str) -> Path:
    return WEB_TEMPLATES / "static" / name


__all__ = ["HTMLResponse", "create_app"]
