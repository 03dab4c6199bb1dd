"""speed: the engagement list's text filter and sorts indexed; one-letter search prefixes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

- The engagement list's text filter through an index: on SQLite an FTS5
  table over the summaries and outcomes (``search_engagement_fts``, kept by
  triggers); on PostgreSQL trigram indexes on the two columns (pg_trgm; where
  it cannot be created the filter scans as before). ``db/search_index.py``.
- The search index (SQLite) gets a one-letter prefix index, so the first
  keystroke does not merge every word starting with that letter.
- Indexes for the list's sorts and filters that had none: the summary as it
  is sorted (case-insensitive, then id; ``search_index.install_summary_order``),
  kind then date, and the "flagged for the PRG" rows by date.
"""

from collections.abc import Sequence

from alembic import op

from db import search_index

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    search_index.widen_prefixes(conn)
    search_index.install_engagement(conn)
    op.create_index(
        "ix_engagement_kind_occurred_on_id", "engagement", ["kind", "occurred_on", "id"]
    )
    op.create_index(
        "ix_engagement_is_notable_occurred_on_id", "engagement", ["is_notable", "occurred_on", "id"]
    )
    search_index.install_summary_order(conn)


def downgrade() -> None:
    search_index.drop_summary_order(op.get_bind())
    for name in (
        "ix_engagement_is_notable_occurred_on_id",
        "ix_engagement_kind_occurred_on_id",
    ):
        op.drop_index(name, table_name="engagement")
    conn = op.get_bind()
    search_index.drop_engagement(conn)
    search_index.narrow_prefixes(conn)
