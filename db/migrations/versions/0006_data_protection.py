"""data protection: lawful basis, consent, subject access, retention, anonymous counts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

- ``person_protection``: lawful basis, contact preferences, review date (one row per person,
  absent until something is recorded);
- ``consent_record``: what for, which channel, given by whom, when, how, withdrawn when;
- ``subject_access_request``: received, due one calendar month later, answered;
- ``retention_policy``: one per kind of record, seeded with cautious defaults;
- ``anonymous_attendance`` / ``anonymous_participant``: counts that stay true after erasure;
- audit entries of created rows get the ``entity_id`` earlier versions left empty, so a
  record's history (and a subject access export) finds its first entry too.
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_POLICIES = [
    (
        "engagement",
        "anonymise",
        6,
        True,
        "Engagements older than this lose their summary, outcome and links to named people; "
        "dates, organisations, boroughs and counts stay for the figures.",
    ),
    (
        "person",
        "anonymise",
        6,
        False,
        "People not seen (no engagement, meeting or change) for this long, or whose review date "
        "has passed, are anonymised. Off until the data protection lead switches it on.",
    ),
    (
        "subject_access_request",
        "delete",
        2,
        True,
        "Answered subject access requests are deleted this long after they were answered.",
    ),
    (
        "audit_entry",
        "delete",
        7,
        False,
        "Audit entries older than this are deleted. Off by default.",
    ),
]


def _timestamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
    ]


def _person_fk(table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["person_id"], ["person.id"], name=op.f(f"fk_{table}_person_id_person"), ondelete=ondelete
    )


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "person_protection",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("lawful_basis", sa.String(length=32), nullable=True),
        sa.Column("lawful_basis_note", sa.Text(), nullable=False),
        sa.Column("no_email", sa.Boolean(), nullable=False),
        sa.Column("no_phone", sa.Boolean(), nullable=False),
        sa.Column("no_post", sa.Boolean(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        *_timestamps(),
        _person_fk("person_protection", "CASCADE"),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_protection")),
    )
    _index("person_protection", "review_on")

    op.create_table(
        "consent_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("given_by", sa.String(length=16), nullable=False),
        sa.Column("given_by_name", sa.String(length=200), nullable=True),
        sa.Column("given_by_relationship", sa.String(length=80), nullable=True),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        *_timestamps(),
        _person_fk("consent_record", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_record")),
    )
    _index("consent_record", "person_id")

    op.create_table(
        "subject_access_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        *_timestamps(),
        _person_fk("subject_access_request", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_access_request")),
    )
    _index("subject_access_request", "person_id")
    _index("subject_access_request", "due_on")

    policies = op.create_table(
        "retention_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("keep_years", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_policy")),
        sa.UniqueConstraint("record_kind", name=op.f("uq_retention_policy_record_kind")),
    )

    op.create_table(
        "anonymous_attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_anonymous_attendance_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "status", name=op.f("pk_anonymous_attendance")),
    )
    op.create_table(
        "anonymous_participant",
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_anonymous_participant_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("engagement_id", name=op.f("pk_anonymous_participant")),
    )
    _seed_policies(policies)
    _backfill_audit_entity_ids()


def _seed_policies(table: sa.Table) -> None:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    op.bulk_insert(
        table,
        [
            {
                "record_kind": kind,
                "action": action,
                "keep_years": years,
                "is_active": active,
                "description": text,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for kind, action, years, active, text in DEFAULT_POLICIES
        ],
    )


# Tables keyed by two columns: the audit trail names their rows by the first one.
_FIRST_KEY = {
    "engagement_organisation": "engagement_id",
    "engagement_person": "engagement_id",
    "engagement_borough": "engagement_id",
    "engagement_network": "engagement_id",
    "engagement_objective": "engagement_id",
    "attendance": "meeting_id",
    "organisation_borough": "organisation_id",
    "organisation_tag": "organisation_id",
    "person_protection": "person_id",
    "graph_node_position": None,
}


def _backfill_audit_entity_ids() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, entity, changes FROM audit_entry WHERE entity_id IS NULL")
    ).fetchall()
    updates = []
    for entry_id, entity, changes in rows:
        try:
            values = json.loads(changes or "{}")
        except ValueError:
            continue
        key = _FIRST_KEY.get(entity, "id")
        value = values.get(key) if isinstance(values, dict) and key else None
        if isinstance(value, int) and not isinstance(value, bool):
            updates.append({"entry": entry_id, "value": value})
    if updates:
        conn.execute(
            sa.text("UPDATE audit_entry SET entity_id = :value WHERE id = :entry"), updates
        )


def downgrade() -> None:
    op.drop_table("anonymous_participant")
    op.drop_table("anonymous_attendance")
    op.drop_table("retention_policy")
    for table, columns in (
        ("subject_access_request", ["due_on", "person_id"]),
        ("consent_record", ["person_id"]),
        ("person_protection", ["review_on"]),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
