"""The pages' fast paths give the rows the plain queries give, on both backends.

Home's "partners gone quiet" reads each organisation's last contact off the
trigger-kept organisation rollup, and its follow-ups off one index; the
organisation page reads its counts by month, total and last contact off the
same rollup. Each is compared here with the plain aggregate over the log on a
generated database, before and after the log changes under it (an engagement
moved, one deleted, links added), so a rollup that drifted would show.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db.migrate import open_database
from vru_crm.generate import Counts, generate
from vru_crm.queries import home
from vru_crm.queries import tables as t
from vru_crm.queries.organisation_detail import organisation_detail

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
TODAY = date(2026, 6, 30)
COUNTS = Counts(organisations=120, people=300, engagements=4_000, meetings=20)


def _generated(database) -> None:
    generate(database, COUNTS, seed=3, today=TODAY, force=True)


@pytest.fixture(params=BACKENDS)
def generated(request, prebuilt, tmp_path):
    """A small generated database (ten years of engagements) on each backend, a fresh copy a test."""
    with prebuilt.url(request, request.param, "page_queries", _generated, tmp_path) as url:
        database = open_database(url, username="tester")
        yield database
        database.dispose()


# --- the plain answers: every link aggregated ---------------------------------------------


def _plain_last_contacts(conn) -> dict[int, date]:
    eo, e = t.engagement_organisation.c, t.engagement.c
    rows = conn.execute(
        sa.select(eo.organisation_id, sa.func.max(e.occurred_on))
        .select_from(t.engagement_organisation.join(t.engagement, e.id == eo.engagement_id))
        .group_by(eo.organisation_id)
    ).all()
    return {org: home._as_date(last) for org, last in rows}


def _plain_quiet(conn, cutoff: date, limit: int) -> tuple[list[home.QuietPartner], int]:
    o = t.organisation.c
    orgs = {r.id: r for r in conn.execute(sa.select(o.id, o.name, o.is_priority))}
    quiet = [
        home.QuietPartner(org, orgs[org].name, last, bool(orgs[org].is_priority))
        for org, last in _plain_last_contacts(conn).items()
        if last < cutoff and org in orgs
    ]
    quiet.sort(
        key=lambda q: (not q.is_priority, -q.last_contact.toordinal(), q.name, q.organisation_id)
    )
    return quiet[:limit], len(quiet)


def _plain_follow_ups(conn, staff_id: int, today: date) -> list[Any]:
    e = t.engagement.c
    horizon = today + timedelta(days=home.FOLLOW_UP_HORIZON_DAYS)
    rows = conn.execute(sa.select(e.id, e.follow_up_on, e.follow_up_done, e.logged_by_id)).all()
    return sorted(
        (r for r in rows if r.logged_by_id == staff_id and r.follow_up_on is not None
         and not r.follow_up_done and r.follow_up_on <= horizon),
        key=lambda r: (r.follow_up_on, r.id),
    )  # fmt: skip


def _change_the_log(database) -> None:
    """Move, delete and link engagements behind the rollups' backs (plain SQL: the triggers must follow)."""
    e, eo = t.engagement.c, t.engagement_organisation.c
    with database.engine.begin() as conn:
        newest = conn.execute(sa.select(e.id).order_by(e.occurred_on.desc(), e.id.desc()).limit(30))
        ids = list(newest.scalars())
        conn.execute(
            sa.update(t.engagement)
            .where(e.id.in_(ids[:10]))
            .values(occurred_on=TODAY - timedelta(days=400))
        )
        conn.execute(sa.delete(t.engagement).where(e.id.in_(ids[10:20])))
        orgs = list(conn.execute(sa.select(t.organisation.c.id).limit(5)).scalars())
        linked = set(conn.execute(sa.select(eo.engagement_id, eo.organisation_id)).all())
        conn.execute(
            sa.insert(t.engagement_organisation),
            [
                {"engagement_id": i, "organisation_id": org}
                for i in ids[20:]
                for org in orgs
                if (i, org) not in linked
            ],
        )


# --- Home ----------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [30, 90, 365, 3_000])
def test_quiet_partners_are_the_plain_aggregates(generated, days):
    cutoff = TODAY - timedelta(days=days)
    with generated.engine.connect() as conn:
        for limit in (10, 1_000):
            assert home.quiet_partners(conn, cutoff, limit) == _plain_quiet(conn, cutoff, limit)


def test_quiet_partners_follow_the_log_as_it_changes(generated):
    _change_the_log(generated)
    with generated.engine.begin() as conn:
        o = t.organisation.c
        conn.execute(sa.update(t.organisation).where(o.id % 3 == 0).values(is_priority=True))
    cutoff = TODAY - timedelta(days=90)
    with generated.engine.connect() as conn:
        found, total = home.quiet_partners(conn, cutoff, 1_000)
        assert (found, total) == _plain_quiet(conn, cutoff, 1_000)
        assert total > 0 and any(q.is_priority for q in found)


def test_follow_ups_and_their_counts_are_the_plain_filter(generated):
    _change_the_log(generated)
    with generated.engine.connect() as conn:
        staff = list(conn.execute(sa.select(t.staff_user.c.id)).scalars())
        assert staff
        for staff_id in staff:
            plain = _plain_follow_ups(conn, staff_id, TODAY)
            overdue = sum(1 for r in plain if r.follow_up_on < TODAY)
            assert home.follow_up_counts(conn, staff_id, TODAY) == (len(plain), overdue)
            shown = home.my_follow_ups(conn, staff_id, TODAY, 10)
            assert [f.engagement_id for f in shown] == [r.id for r in plain[:10]]


def test_the_home_figures_hold_together(generated):
    figures = home.home_figures(generated, username="lead.a", today=TODAY)
    with generated.engine.connect() as conn:
        quiet, total = _plain_quiet(conn, TODAY - timedelta(days=home.QUIET_DAYS), 10)
    assert figures.quiet_partners == quiet and figures.quiet_partner_total == total


# --- the organisation page -----------------------------------------------------------------


def _plain_history(
    conn, organisation_id: int
) -> tuple[list[tuple[str, int]], int, date | None, list[int]]:
    eo, e = t.engagement_organisation.c, t.engagement.c
    rows = conn.execute(
        sa.select(e.id, e.occurred_on)
        .select_from(t.engagement_organisation.join(t.engagement, e.id == eo.engagement_id))
        .where(eo.organisation_id == organisation_id)
    ).all()
    months = Counter(f"{r.occurred_on:%Y-%m}" for r in rows)
    newest = sorted(rows, key=lambda r: (r.occurred_on, r.id), reverse=True)
    last = newest[0].occurred_on if newest else None
    return sorted(months.items()), len(rows), last, [r.id for r in newest[:50]]


def test_organisation_page_counts_are_the_plain_aggregates(generated):
    _change_the_log(generated)
    with generated.engine.connect() as conn:
        by_size: dict[int, list[int]] = defaultdict(list)
        eo = t.engagement_organisation.c
        for org, n in conn.execute(
            sa.select(eo.organisation_id, sa.func.count()).group_by(eo.organisation_id)
        ):
            by_size[n].append(org)
        sizes = sorted(by_size)
        chosen = {by_size[sizes[0]][0], by_size[sizes[len(sizes) // 2]][0], by_size[sizes[-1]][0]}
        never = conn.execute(
            sa.select(t.organisation.c.id).where(t.organisation.c.id.not_in(sa.select(eo.organisation_id)))
        ).scalars().first()  # fmt: skip
        plain = {org: _plain_history(conn, org) for org in chosen | ({never} if never else set())}
    for org, (months, total, last, newest) in plain.items():
        detail = organisation_detail(generated, org)
        assert [(m.month, m.count) for m in detail.by_month] == months
        assert (detail.engagement_total, detail.last_contact) == (total, last)
        assert [r.id for r in detail.recent] == newest


def test_a_busy_partners_latest_engagements_walked_back_from_today(generated):
    """A partner in every other engagement: its latest are found from the log's end, not its links."""
    e, eo = t.engagement.c, t.engagement_organisation.c
    with generated.engine.begin() as conn:
        busy = conn.execute(sa.select(t.organisation.c.id).limit(1)).scalar_one()
        linked = set(
            conn.execute(sa.select(eo.engagement_id).where(eo.organisation_id == busy)).scalars()
        )
        every_other = conn.execute(sa.select(e.id).where(e.id % 2 == 0)).scalars()
        conn.execute(
            sa.insert(t.engagement_organisation),
            [{"engagement_id": i, "organisation_id": busy} for i in every_other if i not in linked],
        )  # fmt: skip
        months, total, last, newest = _plain_history(conn, busy)
    assert total > 1_000
    detail = organisation_detail(generated, busy)
    assert [(m.month, m.count) for m in detail.by_month] == months
    assert (detail.engagement_total, detail.last_contact) == (total, last)
    assert [r.id for r in detail.recent] == newest
