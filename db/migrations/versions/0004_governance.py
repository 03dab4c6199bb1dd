"""governance: standing agenda items, item outcomes, meeting chair, cadence tolerance

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

What the PRG governance features need on top of the foundation:
- ``standing_item``: the items that open or close every agenda of a network;
- ``agenda_item.outcome`` and ``agenda_item.subject_meeting_id``: recording a
  "minutes of the previous meeting" item as agreed approves those minutes;
- ``meeting.chair``: printed in the agenda's header;
- ``network.cadence_tolerance_days``: how far a meeting may fall from its
  expected date before the network counts as overdue.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "standing_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("presenter", sa.String(length=200), nullable=True),
        sa.Column("minutes_allotted", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["network.id"],
            name=op.f("fk_standing_item_network_id_network"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standing_item")),
    )
    with op.batch_alter_table("standing_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_standing_item_network_id"), ["network_id"], unique=False)

    with op.batch_alter_table("network", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cadence_tolerance_days", sa.Integer(), nullable=False, server_default="14")
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chair", sa.String(length=200), nullable=True))
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("subject_meeting_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_agenda_item_subject_meeting_id_meeting"),
            "meeting",
            ["subject_meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_agenda_item_subject_meeting_id_meeting"), type_="foreignkey"
        )
        batch_op.drop_column("subject_meeting_id")
        batch_op.drop_column("outcome")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("chair")
    with op.batch_alter_table("network", schema=None) as batch_op:
        batch_op.drop_column("cadence_tolerance_days")
    with op.batch_alter_table("standing_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standing_item_network_id"))
    op.drop_table("standing_item")
