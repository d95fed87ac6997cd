"""Alembic's environment: runs the migrations on the connection `flows.web.migrate.upgrade` hands it."""

from __future__ import annotations

from alembic import context

from flows.web.db import Base

connection = context.config.attributes["connection"]
# render_as_batch: SQLite alters a table by copying it, and Alembic's batch mode does that; PostgreSQL ignores it.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
