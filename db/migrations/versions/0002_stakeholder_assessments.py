"""stakeholder assessments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

A dated history of each organisation's influence, interest and support.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stakeholder_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("influence", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column("support", sa.Integer(), nullable=False),
        sa.Column("assessed_by", sa.String(length=80), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_stakeholder_assessment_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_assessment")),
    )
    with op.batch_alter_table("stakeholder_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stakeholder_assessment_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("stakeholder_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_assessment_organisation_id"))
    op.drop_table("stakeholder_assessment")
