"""`catalogue serve` and `catalogue users add`: the web application's two commands."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from .site_settings import settings_from_env

DEFAULT_DATA = Path("data")
DATA_HELP = "The application's own state: database, uploads, replaced workbooks (never served)."

users_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Accounts of the web application.")


def serve(host: Annotated[str, typer.Option("--host", help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
          inputs: Annotated[Path, typer.Option("--inputs", file_okay=False, exists=True, help="The inputs folder.")] = Path("inputs"),
          outputs: Annotated[Path, typer.Option("--outputs", file_okay=False, help="The outputs folder.")] = Path("outputs"),
          data: Annotated[Path, typer.Option("--data", file_okay=False, help=DATA_HELP)] = DEFAULT_DATA) -> None:
    """Start the web application: partner portal, Secretariat desk and donor site."""
    import uvicorn

    from flows.server import choose_api

    from .app import create_app
    from .checking import warm_up

    settings = settings_from_env(inputs, outputs, data)
    how = choose_api(announce=lambda message: typer.echo(message, err=True))  # as the CLI: the project's server
    typer.echo(f"Builds run as Prefect flow runs ({how} API).", err=True)
    warm_up(settings.inputs)
    typer.echo(f"Serving on http://{host}:{port}/  (inputs {settings.inputs}, outputs {settings.outputs}, "
               f"data {settings.data})", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", proxy_headers=False,
                server_header=False)


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise typer.BadParameter("the two passwords differ")
    return first


@users_app.command("add")
def add_user(email: Annotated[str, typer.Argument(help="The person's e-mail, used to log in.")],
             role: Annotated[str, typer.Option("--role", help="secretariat, or partner (with --partner).")] = "secretariat",
             partner: Annotated[str | None, typer.Option("--partner", help="For --role partner: the partner id, e.g. P-WWF.")] = None,
             data: Annotated[Path, typer.Option("--data", file_okay=False, help=DATA_HELP)] = DEFAULT_DATA) -> None:
    """Create an account (or set a new password). Asks for the password twice, or reads one line from stdin."""
    from sqlalchemy import select

    from .db import Database, User
    from .security import MIN_PASSWORD_LENGTH, hash_password

    if role not in ("secretariat", "partner") or (role == "partner") != (partner is not None):
        raise typer.BadParameter("use --role secretariat, or --role partner with --partner ID", param_hint="--role")
    if "@" not in email:
        raise typer.BadParameter("an e-mail address", param_hint="EMAIL")
    password = _read_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        typer.echo(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.", err=True)
        raise typer.Exit(2)
    settings = settings_from_env(Path("."), Path("."), data)
    database = Database(settings.db_url)
    with database.session() as db:
        user = db.scalar(select(User).where(User.email == email.lower()))
        if user is None:
            db.add(User(email=email.lower(), password_hash=hash_password(password), role=role, partner_id=partner))
            what = "Created"
        else:
            user.password_hash, user.role, user.partner_id = hash_password(password), role, partner
            what = "Updated"
    database.audit("command line", "user-added", partner, f"{email.lower()} ({role})")
    typer.echo(f"{what} {role} account {email.lower()} in {settings.data}.")


def register(app: typer.Typer) -> None:
    """Add `serve` and `users` to the `catalogue` command."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
