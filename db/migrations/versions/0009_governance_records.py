"""governance records kept in the app: letters, short names, archive, guests

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

- ``letter``: a letter with its sender, date, reply due date and text; the
  recommendations it carries point at it (``recommendation.letter_id``).
  Existing recommendations are grouped into one letter per sender and date.
- ``network.short_name`` ("PRG", "YPAG"), unique; ``network.archived_on``;
  ``network.meeting_minutes``, how long its meetings usually last.
- ``membership.version``: a membership is edited (its end date) and undone
  like every other record, so it is versioned too.
- ``meeting.cancel_reason``; ``meeting_guest`` for people who attended
  without being members, recorded by name.
- ``action.owner_organisation_id`` (a team that owns an action) and
  ``action.closing_note``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import db.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "letter",
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=False),
        sa.Column("reply_due", sa.Date(), nullable=True),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
    )
    op.create_table(
        "meeting_guest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("represents", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_guest_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_guest")),
    )
    with op.batch_alter_table("meeting_guest", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_guest_meeting_id"), ["meeting_id"], unique=False
        )

    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_organisation_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("closing_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_action_owner_organisation_id_organisation"),
            "organisation",
            ["owner_organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cancel_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )

    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )

    with op.batch_alter_table("network", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("short_name", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch_op.add_column(sa.Column("archived_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("meeting_minutes", sa.Integer(), nullable=True))
    # A unique index, not a constraint: SQLite adds it without rebuilding the table.
    op.create_index("ix_network_short_name", "network", ["short_name"], unique=True)

    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("letter_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_recommendation_letter_id"), ["letter_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_recommendation_letter_id_letter"),
            "letter",
            ["letter_id"],
            ["id"],
            ondelete="CASCADE",
        )
    _group_recommendations_into_letters()
    _create_erasure_register()


def _create_erasure_register() -> None:
    """``erasure_register``: which erased rows a restore must erase again."""
    op.create_table(
        "erasure_register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("person_created_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("until", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_register")),
    )
    with op.batch_alter_table("erasure_register", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_erasure_register_person_id"), ["person_id"], unique=False
        )


def _group_recommendations_into_letters() -> None:
    """One letter per (sender, letter date) among the recommendations already held."""
    bind = op.get_bind()
    pairs = bind.execute(
        sa.text(
            "SELECT DISTINCT sender, letter_date FROM recommendation ORDER BY letter_date, sender"
        )
    ).all()
    now = db.types.utcnow()
    stamp = db.types.UTCDateTime(timezone=True)
    letter = sa.table(
        "letter",
        sa.column("sender"),
        sa.column("letter_date"),
        sa.column("text"),
        sa.column("version"),
        sa.column("created_at", stamp),
        sa.column("updated_at", stamp),
    )
    for sender, letter_date in pairs:
        bind.execute(
            letter.insert().values(
                sender=sender,
                letter_date=letter_date,
                text="",
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
        letter_id = bind.execute(
            sa.text("SELECT max(id) FROM letter WHERE sender = :s AND letter_date = :d"),
            {"s": sender, "d": letter_date},
        ).scalar_one()
        bind.execute(
            sa.text(
                "UPDATE recommendation SET letter_id = :id WHERE sender = :s AND letter_date = :d"
            ),
            {"id": letter_id, "s": sender, "d": letter_date},
        )


def downgrade() -> None:
    with op.batch_alter_table("erasure_register", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_register_person_id"))
    op.drop_table("erasure_register")

    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_recommendation_letter_id_letter"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_recommendation_letter_id"))
        batch_op.drop_column("letter_id")

    with op.batch_alter_table("network", schema=None) as batch_op:
        batch_op.drop_index("ix_network_short_name")
        batch_op.drop_column("meeting_minutes")
        batch_op.drop_column("archived_on")
        batch_op.drop_column("short_name")

    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")

    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_action_owner_organisation_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_column("closing_note")
        batch_op.drop_column("owner_organisation_id")

    with op.batch_alter_table("meeting_guest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_guest_meeting_id"))
    op.drop_table("meeting_guest")
    op.drop_table("letter")
