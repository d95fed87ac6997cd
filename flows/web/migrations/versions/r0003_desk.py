"""The desk's view of runs: when a run started, its Prefect flow run's page, and the edition a build made.

Revision ID: r0003
Revises: r0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision: str | None = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add jobs.started_at, jobs.flow_run_url and jobs.edition (empty for the runs before); and, as the state
    machine now does, only a partner's newest accepted upload stays accepted (earlier releases left every
    accepted one so, and the desk would flag them as waiting for a build for ever)."""
    with op.batch_alter_table("jobs") as jobs:
        jobs.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))
        jobs.add_column(sa.Column("flow_run_url", sa.String(500), nullable=False, server_default=""))
        jobs.add_column(sa.Column("edition", sa.String(64), nullable=False, server_default=""))
    op.execute("UPDATE uploads SET state = 'superseded' WHERE state = 'accepted' AND id NOT IN "
               "(SELECT newest FROM (SELECT MAX(id) AS newest FROM uploads WHERE state = 'accepted' "
               "GROUP BY partner_id) AS kept)")


def downgrade() -> None:
    """Drop what upgrade added."""
    with op.batch_alter_table("jobs") as jobs:
        jobs.drop_column("edition")
        jobs.drop_column("flow_run_url")
        jobs.drop_column("started_at")
