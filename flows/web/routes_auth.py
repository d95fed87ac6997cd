"""Logging in and out, opening a partner's secret link, and the front page."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from catalogue.api import LANGUAGES, N_

from . import links as access_links
from .db import Database, User
from .deps import current_principal, database_of, end_this_session, settings_of, start_session
from .pages import checked_form, render
from .partners import published_logo
from .security import LoginThrottle, verify_or_waste

router = APIRouter()


@router.get("/")
async def home(request: Request) -> Response:
    """The front page: the ways in to the donor site, the partner portal and the Secretariat desk."""
    return render(request, "home.html.j2")


@router.get("/logo")
def logo(request: Request) -> Response:
    """The publisher's logo, as the published release holds it (public: it is on every page); 404 without one."""
    from catalogue.api import logo_type

    path = published_logo(settings_of(request).outputs)
    raw = path.read_bytes() if path is not None else b""
    kind = logo_type(raw)
    if kind is None:
        raise HTTPException(status_code=404, detail=N_("No such file."))
    return Response(raw, media_type="image/png" if kind == "PNG" else "image/jpeg")  # not cached: a new logo shows


@router.get("/login")
async def login_form(request: Request) -> Response:
    """The login form, for the Secretariat and for partners' officers."""
    return render(request, "login.html.j2", problem="")


def client_of(request: Request) -> str:
    """The visitor's address: from the trusted proxy's header when one is configured (its last entry, the
    one the proxy itself added), else the connection's. A header nobody configured is never believed."""
    header = settings_of(request).client_ip_header
    if header:
        sent = request.headers.get(header, "")
        if sent.strip():
            return sent.split(",")[-1].strip()[:64]
    return request.client.host if request.client else "unknown"


@router.post("/login")
async def login(request: Request) -> Response:
    """Log in with e-mail and password, then go to the desk (Secretariat) or the partner portal.

    A wrong e-mail or password gets 401, the same answer for both. After 5 failures in 15 minutes an account
    is locked for the rest of the window (429, audited); a client past 5 failures waits longer before each
    attempt. Logins and failed attempts go to the audit log.
    """
    form = await checked_form(request)
    email = str(form.get("email") or "").strip().lower()
    password = str(form.get("password") or "")
    throttle: LoginThrottle = request.app.state.login_throttle
    client = client_of(request)
    database = database_of(request)
    if (delay := throttle.client_delay(client)) > 0:
        await asyncio.sleep(delay)
    if throttle.account_locked(email):
        database.audit(email or "(blank)", "login-locked", detail=client)
        return render(request, "login.html.j2", status=429,
                      problem=N_("Too many failed attempts on this account. Wait 15 minutes and try again."))
    # argon2 takes a noticeable time on purpose: off the event loop, so other visitors are not kept waiting.
    ok, user_id, role = await run_in_threadpool(_check_password, database, email, password)
    if not ok:
        throttle.fail(email, client)
        database.audit(email or "(blank)", "login-failed", detail=client)
        return render(request, "login.html.j2", status=401, problem=N_("Wrong e-mail or password."))
    throttle.succeeded(email)
    start_session(request, "user", user_id=user_id)
    database.audit(email, "login", detail=client)
    return RedirectResponse("/desk" if role == "secretariat" else "/partner", status_code=303)


def _check_password(database: Database, email: str, password: str) -> tuple[bool, int, str]:
    """Whether the password is this active account's, with its id and role (the same work for an unknown e-mail)."""
    with database.session() as db:
        user = db.scalar(select(User).where(User.email == email))
        ok = verify_or_waste(user.password_hash if user else None, password)
        if user is None or user.disabled_at is not None:
            return False, 0, ""
        return ok, user.id, user.role


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session for good (a copy of the cookie stops working too) and go back to the front page."""
    await checked_form(request)
    principal = current_principal(request)
    end_this_session(request)
    if principal is not None:
        database_of(request).audit(principal.actor, "logout", principal.partner_id)
    return RedirectResponse("/", status_code=303)


def _partner_link(request: Request, token: str) -> tuple[int, str]:
    with database_of(request).session() as db:
        link = access_links.live_link(db, token, access_links.PARTNER)
        if link is None:
            raise HTTPException(status_code=404, detail=N_("This link does not work (any more). Ask the Secretariat for a new one."))
        return link.id, link.subject_id


def _open_link(request: Request, link_id: int, partner_id: str) -> Response:
    start_session(request, "link", link_id=link_id)
    with database_of(request).session() as db:
        access_links.mark_opened(db, link_id)
    return RedirectResponse("/partner", status_code=303)


@router.get("/p/{token}")
def open_partner_link(request: Request, token: str) -> Response:
    """A partner's secret link: becomes a session for that partner, then the token leaves the address bar.

    Someone already signed in as someone else (a Secretariat officer checking a link) is asked first:
    opening it would end their own session.
    """
    link_id, partner_id = _partner_link(request, token)
    principal = current_principal(request)
    if principal is not None and principal.partner_id != partner_id:
        return render(request, "link_switch.html.j2", token=token, partner_id=partner_id, signed_in=principal.actor,
                      home="/desk" if principal.role == "secretariat" else "/partner")
    return _open_link(request, link_id, partner_id)


@router.post("/p/{token}")
async def switch_to_partner_link(request: Request, token: str) -> Response:
    """The answer to "open this partner link and end your own session?": yes."""
    await checked_form(request)
    link_id, partner_id = _partner_link(request, token)
    return _open_link(request, link_id, partner_id)


@router.post("/lang")
async def choose_language(request: Request) -> Response:
    """Keep the chosen language in the session and go back to `next`, if it is a page of this site (else `/`)."""
    form = await checked_form(request)
    lang = str(form.get("lang") or "")
    if lang in LANGUAGES:
        request.session["lang"] = lang
    back = str(form.get("next") or "/")
    return RedirectResponse(back if back.startswith("/") and not back.startswith(("//", "/\\")) else "/", status_code=303)
