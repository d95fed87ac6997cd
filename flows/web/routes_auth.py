"""Logging in and out, opening a partner's secret link, and the front page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from catalogue.api import LANGUAGES, N_

from .db import AccessLink, User
from .pages import checked_form, current_principal, database_of, render, start_session
from .security import LoginRateLimit, token_hash, verify_or_waste

router = APIRouter()


@router.get("/")
async def home(request: Request) -> Response:
    """The front page: the ways in to the donor site, the partner portal and the Secretariat desk."""
    return render(request, "home.html.j2")


@router.get("/login")
async def login_form(request: Request) -> Response:
    """The login form, for the Secretariat and for partners' officers."""
    return render(request, "login.html.j2", problem="")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/login")
async def login(request: Request) -> Response:
    """Log in with e-mail and password, then go to the desk (Secretariat) or the partner portal.

    A wrong e-mail or password gets 401, the same answer for both; after 5 failures in 15 minutes for that e-mail
    or that client address, 429. Logins and failed attempts go to the audit log.
    """
    form = await checked_form(request)
    email = str(form.get("email") or "").strip().lower()
    password = str(form.get("password") or "")
    limit: LoginRateLimit = request.app.state.login_limit
    keys = (f"email:{email}", f"ip:{_client(request)}")
    if limit.blocked(*keys):
        return render(request, "login.html.j2", status=429, problem=N_("Too many failed attempts. Wait 15 minutes and try again."))
    database = database_of(request)
    with database.session() as db:
        user = db.scalar(select(User).where(User.email == email))
        ok = verify_or_waste(user.password_hash if user else None, password)
        user_id, role = (user.id, user.role) if user else (0, "")
    if not ok:
        limit.fail(*keys)
        database.audit(email or "(blank)", "login-failed", detail=_client(request))
        return render(request, "login.html.j2", status=401, problem=N_("Wrong e-mail or password."))
    limit.clear(keys[0])
    start_session(request, uid=user_id)
    database.audit(email, "login")
    return RedirectResponse("/desk" if role == "secretariat" else "/partner", status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session and go back to the front page."""
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/p/{token}")
def open_partner_link(request: Request, token: str) -> Response:
    """A partner's secret link: becomes a session for that partner, then the token leaves the address bar."""
    with database_of(request).session() as db:
        link = db.scalar(select(AccessLink).where(AccessLink.token_hash == token_hash(token)))
        if link is None or link.kind != "partner" or link.revoked_at is not None:
            raise HTTPException(status_code=404, detail=N_("This link does not work (any more). Ask the Secretariat for a new one."))
        link_id, partner_id = link.id, link.subject_id
    start_session(request, link=link_id)
    database_of(request).audit(f"link #{link_id}", "link-opened", partner_id)
    return RedirectResponse("/partner", status_code=303)


@router.post("/lang")
async def choose_language(request: Request) -> Response:
    """Keep the chosen language in the session and go back to `next`, if it is a page of this site (else `/`)."""
    form = await checked_form(request)
    lang = str(form.get("lang") or "")
    if lang in LANGUAGES:
        request.session["lang"] = lang
    back = str(form.get("next") or "/")
    return RedirectResponse(back if back.startswith("/") and not back.startswith(("//", "/\\")) else "/", status_code=303)


def principal_home(request: Request) -> str:
    """Where the visitor belongs: the login form, the desk for the Secretariat, or the partner portal."""
    principal = current_principal(request)
    if principal is None:
        return "/login"
    return "/desk" if principal.role == "secretariat" else "/partner"
