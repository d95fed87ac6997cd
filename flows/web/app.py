"""The application object: settings, database, job runner, templates, middleware and error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from catalogue.api import config

from . import routes_auth, routes_desk, routes_donor, routes_packs, routes_partner
from .db import Database
from .errors import FaultBarrier, HeadAsGet, http_error, invalid_request
from .jobs import JobRunner
from .pages import LoginRequired
from .routes_api import API_VERSION, create_api
from .security import LoginRateLimit, SecurityHeaders
from .site_settings import WebSettings

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
    # Middleware, innermost first: the fault barrier reads the session's language; every answer, error pages
    # included, leaves through SecurityHeaders.
    app.add_middleware(FaultBarrier)
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret(), session_cookie="catalogue_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax", https_only=settings.https_only)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=WEB_TEMPLATES / "static"), name="static")
    app.mount(f"/api/{API_VERSION}", create_api(settings), name="api")
    for module in (routes_auth, routes_partner, routes_desk, routes_donor, routes_packs):
        app.include_router(module.router)
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(LoginRequired, _login_required)  # type: ignore[arg-type]
    return app


async def _login_required(request: Request, _problem: LoginRequired) -> Response:
    return RedirectResponse("/login", status_code=303)


def static_path(name: str) -> Path:
    return WEB_TEMPLATES / "static" / name


__all__ = ["HTMLResponse", "create_app"]
