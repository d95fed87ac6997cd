"""The web database's schema, brought up to date when the application opens it (Alembic, flows/web/migrations).

A new database is made by running every migration; a database made by a release before migrations (its tables,
no alembic_version) is stamped at r0001 and upgraded, its rows kept. Checking an up-to-date database costs
one small query, so every process that opens the database (the server, `catalogue users`) does it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")
BEFORE_MIGRATIONS = "r0001"  # the schema `create_all` made in every release before migrations


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest migration's revision id: what an up-to-date database is stamped with."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None  # the versions folder is never empty
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision a database is at (None: new, or made before migrations)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, to: str = "head") -> None:
    """Bring the database to the newest schema (or to revision `to`), in one transaction. On PostgreSQL a
    failure leaves it as it was; SQLite's driver commits each schema change as it goes, so there a failure
    part-way leaves the steps before it done (the database file is backed up with DATA)."""
    with engine.begin() as connection:
        revision = current_revision(connection)
        if revision == head_revision() or (to != "head" and revision == to):
            return
        config = _config(connection)
        if revision is None and inspect(connection).has_table("users"):
            command.stamp(config, BEFORE_MIGRATIONS)  # a release before migrations made it: its rows stay
        command.upgrade(config, to)
