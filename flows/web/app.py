"""The application object: settings, database, job runner, templates, middleware and error pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from catalogue.api import config

from . import routes_auth, routes_desk, routes_donor, routes_packs, routes_partner
from .db import Database
from .deps import LoginRequired
from .errors import FaultBarrier, HeadAsGet, http_error, invalid_request
from .jobs import JobRunner
from .routes_api import API_VERSION, create_api
from .security import LoginThrottle, SecurityHeaders
from .sessions import ABSOLUTE
from .site_settings import WebSettings

WEB_TEMPLATES = config.TEMPLATES_DIR / "web"


def create_app(settings: WebSettings) -> FastAPI:
    """One application over `settings.inputs` and `settings.outputs`, its state in `settings.data`."""
    app = FastAPI(title="CMS Programme Catalogue", docs_url=None, redoc_url=None, openapi_url=None)
    settings.data.mkdir(parents=True, exist_ok=True)
    app.state.settings = settings
    app.state.database = Database(settings.db_url)
    app.state.jobs = JobRunner(app.state.database, settings)
    app.state.login_throttle = LoginThrottle()
    # Middleware, innermost first: the fault barrier reads the session's language; every answer, error pages
    # included, leaves through SecurityHeaders.
    app.add_middleware(FaultBarrier)
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret(), session_cookie="catalogue_session",
                       max_age=int(ABSOLUTE.total_seconds()), same_site="lax", https_only=settings.https_only)
    app.add_middleware(HeadAsGet)
    # A request naming another host (Host: evil.example) is refused before anything reads it.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=WEB_TEMPLATES / "static"), name="static")
    app.mount(f"/api/{API_VERSION}", create_api(settings, app.state.database), name="api")
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
