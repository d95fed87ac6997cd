"""What a route depends on: the settings, the database, and who is asking (FastAPI dependencies).

Routes parse, authorise with these, call the data layer (uploads.py, links.py, sessions.py, the database's
audit) and render. Who is asking is read once per request from the server-side session (sessions.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi import Path as PathParameter

from catalogue.api import N_

from .db import Database
from .security import new_csrf_token
from .sessions import Principal, donor_session_lives, end_session, open_session, principal_of
from .site_settings import WebSettings

SESSION_KEY = "sid"  # the signed cookie's entry holding the session token
DONOR_KEY = "donor_sid"  # the donor site's own session, beside an officer's or a partner's


class LoginRequired(Exception):
    """An anonymous visitor asked for a desk page: sent to the login form."""


def settings_of(request: Request) -> WebSettings:
    """The WebSettings the running application was started with."""
    settings: WebSettings = request.app.state.settings
    return settings


def database_of(request: Request) -> Database:
    """The running application's database."""
    database: Database = request.app.state.database
    return database


def current_principal(request: Request) -> Principal | None:
    """Who the request's session speaks for, looked up once per request; None for an anonymous visitor or a
    session that has ended (logged out, idle, too old, account disabled, link revoked)."""
    if hasattr(request.state, "principal"):
        known: Principal | None = request.state.principal
        return known
    token = request.session.get(SESSION_KEY)
    principal = None
    if token:  # an anonymous visitor costs no database round trip
        with database_of(request).session() as db:
            principal = principal_of(db, str(token))
        if principal is None:
            request.session.pop(SESSION_KEY, None)
    request.state.principal = principal
    return principal


def require_secretariat(request: Request) -> Principal:
    """The Secretariat, or a refusal: an anonymous visitor goes to the login form, anyone else gets 403."""
    principal = current_principal(request)
    if principal is None:
        raise LoginRequired()
    if principal.role != "secretariat":
        raise HTTPException(status_code=403, detail=N_("This page is for the Secretariat."))
    return principal


def require_partner(request: Request) -> Principal:
    """The partner asking (by secret link or by account), or 403 for anyone else, the Secretariat included."""
    principal = current_principal(request)
    if principal is None or principal.partner_id is None:
        raise HTTPException(status_code=403, detail=N_("Open the link the Secretariat sent you, or log in."))
    return principal


def donor_access(request: Request) -> bool:
    """May this visitor read the donor site? Always while it is public; else only with a donor session opened
    with the donor token in force now."""
    donor_token = settings_of(request).donor_token
    if not donor_token:
        return True
    token = request.session.get(DONOR_KEY)
    if not token:
        return False
    with database_of(request).session() as db:
        return donor_session_lives(db, str(token), donor_token)


def start_session(request: Request, kind: str, *, user_id: int | None = None, link_id: int | None = None) -> None:
    """A fresh session on login or on opening a link: the old one ended, a new token and CSRF token (no
    fixation); the chosen language and any donor-site session are kept."""
    with database_of(request).session() as db:
        end_session(db, request.session.get(SESSION_KEY))
        token = open_session(db, kind, user_id=user_id, link_id=link_id)
    kept = {k: request.session[k] for k in ("lang", DONOR_KEY) if k in request.session}
    request.session.clear()
    request.session.update(kept, **{SESSION_KEY: token, "csrf": new_csrf_token()})
    if hasattr(request.state, "principal"):
        del request.state.principal  # read again from the new session


def start_donor_session(request: Request) -> None:
    """Remember that this browser opened the donor link (with the token in force now)."""
    with database_of(request).session() as db:
        end_session(db, request.session.get(DONOR_KEY))
        request.session[DONOR_KEY] = open_session(db, "donor", donor_token=settings_of(request).donor_token)


def end_this_session(request: Request) -> None:
    """Log out: end the session in the table (a copied cookie stops working) and clear the cookie."""
    with database_of(request).session() as db:
        end_session(db, request.session.get(SESSION_KEY))
        end_session(db, request.session.get(DONOR_KEY))
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    request.state.principal = None


PartnerUser = Annotated[Principal, Depends(require_partner)]
SecretariatUser = Annotated[Principal, Depends(require_secretariat)]
# A row id in an address: a positive integer that fits the id columns (INTEGER: 32 bits on PostgreSQL, where a
# larger number would be a database error). Anything else (words, 0, a number past 2**31) fails validation,
# which the application answers with 404: no such page.
RowId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]
