"""speed: daily rollups for the dashboard, an index for open follow-ups

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24

- ``engagement_rollup`` and ``organisation_daily``: engagements counted per
  week-within-month span (by kind, borough, network, objective, sector) and per
  organisation per day, kept right by triggers and filled here from the rows
  already there. The trigger statements
  live in ``db/rollup.py`` because ``db.migrate.upgrade`` also uses them to
  restore triggers that a later SQLite table rebuild drops.
- ``ix_engagement_follow_up_open``: overdue follow-ups without reading the
  closed ones (nine in ten, in a mature log).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db import rollup

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "engagement_rollup",
        sa.Column("dim", sa.String(length=12), nullable=False),
        sa.Column("span_start", sa.Date(), nullable=False),
        sa.Column("item", sa.String(length=32), nullable=False),
        sa.Column("engagements", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dim", "span_start", "item", name=op.f("pk_engagement_rollup")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "organisation_daily",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("engagements", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "day", name=op.f("pk_organisation_daily")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.create_index(
            "ix_engagement_follow_up_open", ["follow_up_done", "follow_up_on"], unique=False
        )
    rollup.install(op.get_bind())


def downgrade() -> None:
    rollup.drop_triggers(op.get_bind())
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_index("ix_engagement_follow_up_open")
    op.drop_table("organisation_daily")
    op.drop_table("engagement_rollup")
