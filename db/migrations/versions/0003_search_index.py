"""search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

One index over organisations, people, networks, meetings and agenda items for
the search box, kept in step with the tables by triggers and filled from the
rows already there. The statements live in ``db/search_index.py`` because
``db.migrate.upgrade`` also uses them to restore triggers that a later SQLite
table rebuild (Alembic batch mode) drops.
"""

from collections.abc import Sequence

from alembic import op

from db import search_index

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    search_index.install(op.get_bind())


def downgrade() -> None:
    search_index.drop(op.get_bind())
