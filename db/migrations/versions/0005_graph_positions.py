"""graph node positions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Stored positions of the partnership graph's nodes, so the graph view opens
instantly and a change to the data moves only the nodes it touches.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "graph_node_position",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("node_key", sa.String(length=64), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("signature", sa.String(length=32), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "node_key", name=op.f("pk_graph_node_position")),
    )


def downgrade() -> None:
    op.drop_table("graph_node_position")
