"""`catalogue serve` and `catalogue users add|list|disable|set-password`: the web application's commands."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .site_settings import settings_from_env

if TYPE_CHECKING:
    from .db import Database

DEFAULT_DATA = Path("data")
DATA_HELP = "The application's own state: database, uploads, replaced workbooks (never served)."
DataOption = Annotated[Path, typer.Option("--data", file_okay=False, help=DATA_HELP)]
EmailArgument = Annotated[str, typer.Argument(help="The person's e-mail, used to log in.")]
WILDCARD_HOSTS = ("0.0.0.0", "::", "")

users_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Accounts of the web application.")


def serve(host: Annotated[str, typer.Option("--host", help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
          inputs: Annotated[Path, typer.Option("--inputs", file_okay=False, exists=True, help="The inputs folder.")] = Path("inputs"),
          outputs: Annotated[Path, typer.Option("--outputs", file_okay=False, help="The outputs folder.")] = Path("outputs"),
          data: DataOption = DEFAULT_DATA) -> None:
    """Start the web application: partner portal, Secretariat desk and donor site.

    Links handed out (to partners, to donors) start with CATALOGUE_PUBLIC_URL, and requests naming another
    host are refused; listening on every address (--host 0.0.0.0) needs it set.
    """
    import os
    from urllib.parse import urlsplit

    import uvicorn

    from flows.server import choose_api

    from .app import create_app
    from .checking import warm_up

    if host in WILDCARD_HOSTS and not os.environ.get("CATALOGUE_PUBLIC_URL"):
        typer.echo(f"Listening on every address ({host or 'all'}) needs CATALOGUE_PUBLIC_URL: the address people "
                   "use to reach the site (e.g. https://catalogue.cms.int). Links handed out start with it, and "
                   "requests naming any other host are refused.", err=True)
        raise typer.Exit(2)
    public = os.environ.get("CATALOGUE_PUBLIC_URL", "")
    if public and (urlsplit(public).scheme not in ("http", "https") or not urlsplit(public).hostname):
        typer.echo(f"CATALOGUE_PUBLIC_URL must be an address with its scheme, e.g. https://catalogue.cms.int "
                   f"(it is {public!r}).", err=True)
        raise typer.Exit(2)
    shown_host = f"[{host}]" if ":" in host else host  # an IPv6 address is bracketed in a URL
    settings = settings_from_env(inputs, outputs, data, public_url=f"http://{shown_host}:{port}")
    how = choose_api(announce=lambda message: typer.echo(message, err=True))  # as the CLI: the project's server
    typer.echo(f"Builds run as Prefect flow runs ({how} API).", err=True)
    warm_up(settings.inputs)
    typer.echo(f"Serving on http://{host}:{port}/ as {settings.public_url} (inputs {settings.inputs}, "
               f"outputs {settings.outputs}, data {settings.data})", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", proxy_headers=False,
                server_header=False)


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise typer.BadParameter("the two passwords differ")
    return first


def _new_password_hash() -> str:
    from .security import MIN_PASSWORD_LENGTH, hash_password

    password = _read_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        typer.echo(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.", err=True)
        raise typer.Exit(2)
    return hash_password(password)


def _check_partner(partner: str, inputs: Path) -> None:
    """A partner account must name a partner of the partners file: a typo would make an account that sees nothing."""
    from catalogue.api import partner_directory

    known = [str(p["id"]) for p in partner_directory(inputs)]
    if partner not in known:
        raise typer.BadParameter(f"{partner!r} is not a partner in {inputs / 'partners.csv'}; "
                                 f"choose one of {', '.join(known) or '(none: the partners file is empty)'}",
                                 param_hint="--partner")


@users_app.command("add")
def add_user(email: EmailArgument,
             role: Annotated[str, typer.Option("--role", help="secretariat, or partner (with --partner).")] = "secretariat",
             partner: Annotated[str | None, typer.Option("--partner", help="For --role partner: the partner id, e.g. P-WWF.")] = None,
             inputs: Annotated[Path, typer.Option("--inputs", file_okay=False, help="The inputs folder, to check --partner.")] = Path("inputs"),
             data: DataOption = DEFAULT_DATA) -> None:
    """Create an account (an existing one gets the new role and password, and its sessions end). Asks for the
    password twice, or reads one line from stdin."""
    from sqlalchemy import select

    from .db import Database, User
    from .sessions import end_sessions_of_user

    if role not in ("secretariat", "partner") or (role == "partner") != (partner is not None):
        raise typer.BadParameter("use --role secretariat, or --role partner with --partner ID", param_hint="--role")
    if "@" not in email:
        raise typer.BadParameter("an e-mail address", param_hint="EMAIL")
    if partner is not None:
        _check_partner(partner, inputs)
    password_hash = _new_password_hash()
    settings = settings_from_env(Path("."), Path("."), data)
    database = Database(settings.db_url)
    with database.session() as db:
        user = db.scalar(select(User).where(User.email == email.lower()))
        if user is None:
            db.add(User(email=email.lower(), password_hash=password_hash, role=role, partner_id=partner))
            what = "Created"
        else:
            user.password_hash, user.role, user.partner_id, user.disabled_at = password_hash, role, partner, None
            end_sessions_of_user(db, user.id)
            what = "Updated"
    database.audit("command line", "user-added", partner, f"{email.lower()} ({role})")
    typer.echo(f"{what} {role} account {email.lower()} in {settings.data}.")


def _account(data: Path, email: str) -> tuple[Database, int]:
    from sqlalchemy import select

    from .db import Database, User

    database = Database(settings_from_env(Path("."), Path("."), data).db_url)
    with database.session() as db:
        user = db.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            typer.echo(f"No account {email.strip().lower()}: `catalogue users list` shows them.", err=True)
            raise typer.Exit(1)
        return database, user.id


@users_app.command("set-password")
def set_password(email: EmailArgument, data: DataOption = DEFAULT_DATA) -> None:
    """Give an account a new password; every session it has open ends at once."""
    from .db import User
    from .sessions import end_sessions_of_user

    database, user_id = _account(data, email)
    password_hash = _new_password_hash()
    with database.session() as db:
        user = db.get(User, user_id)
        assert user is not None
        user.password_hash = password_hash
        ended = end_sessions_of_user(db, user_id)
    database.audit("command line", "password-set", None, email.strip().lower())
    typer.echo(f"New password set for {email.strip().lower()}; {ended} open session(s) ended.")


@users_app.command("disable")
def disable_user(email: EmailArgument, data: DataOption = DEFAULT_DATA) -> None:
    """Stop an account: it cannot log in, and every session it has open ends at once (`users add` again to
    restore it, with a new password)."""
    from .db import User, utc_now
    from .sessions import end_sessions_of_user

    database, user_id = _account(data, email)
    with database.session() as db:
        user = db.get(User, user_id)
        assert user is not None
        user.disabled_at = user.disabled_at or utc_now()
        ended = end_sessions_of_user(db, user_id)
    database.audit("command line", "user-disabled", None, email.strip().lower())
    typer.echo(f"Disabled {email.strip().lower()}; {ended} open session(s) ended.")


@users_app.command("list")
def list_users(data: DataOption = DEFAULT_DATA) -> None:
    """Every account: e-mail, role, partner, created, disabled, and its open sessions."""
    from sqlalchemy import func, select

    from .db import Database, User, WebSession, utc_now
    from .sessions import ABSOLUTE, IDLE

    database = Database(settings_from_env(Path("."), Path("."), data).db_url)
    now = utc_now()
    live = (WebSession.revoked_at.is_(None), WebSession.last_seen_at > now - IDLE, WebSession.created_at > now - ABSOLUTE)
    with database.session() as db:
        open_sessions = dict(db.execute(select(WebSession.user_id, func.count()).where(*live)
                                        .group_by(WebSession.user_id)).all())
        rows = [(u.email, u.role, u.partner_id or "-", u.created_at.strftime("%Y-%m-%d"),
                 u.disabled_at.strftime("%Y-%m-%d") if u.disabled_at else "-", str(open_sessions.get(u.id, 0)))
                for u in db.scalars(select(User).order_by(User.email))]
    header = ("e-mail", "role", "partner", "created", "disabled", "sessions")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    if not rows:
        typer.echo("(no accounts yet: `catalogue users add EMAIL`)")


def register(app: typer.Typer) -> None:
    """Add `serve` and `users` to the `catalogue` command."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
