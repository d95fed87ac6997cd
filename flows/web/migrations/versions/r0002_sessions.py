"""Sessions that end: a server-side session table, disabled accounts, and when a link was first opened.

Revision ID: r0002
Revises: r0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision: str | None = "r0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add web_sessions, users.disabled_at and access_links.opened_at; existing rows keep their values."""
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("donor_key", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_index("ix_web_sessions_link_id", "web_sessions", ["link_id"])
    with op.batch_alter_table("users") as users:
        users.add_column(sa.Column("disabled_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("access_links") as links:
        links.add_column(sa.Column("opened_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Drop what upgrade added."""
    with op.batch_alter_table("access_links") as links:
        links.drop_column("opened_at")
    with op.batch_alter_table("users") as users:
        users.drop_column("disabled_at")
    op.drop_index("ix_web_sessions_link_id", "web_sessions")
    op.drop_index("ix_web_sessions_user_id", "web_sessions")
    op.drop_table("web_sessions")
