"""``retention --today`` is a documented dry-run aid; applying a future day is confirmed.

``retention --today 2100-01-01 --apply`` once anonymised every engagement with
the option hidden from ``--help`` and nothing asking.
"""

import io
import sys
from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from db.models import Engagement
from vru_crm.cli.main import build_parser, main
from vru_crm.london import today_in_london
from vru_crm.protection import retention
from vru_crm.services.engagements import EngagementInput, create_engagement

SOON = today_in_london() - timedelta(days=6 * 365 - 30)  # due in about a month, not yet


def _engagement(database, day: date) -> int:
    return create_engagement(
        database,
        EngagementInput(kind="visit", occurred_on=day, summary="Visit with Jake", people_reached=4),
    ).id


def _intact(database) -> int:
    with database.session() as s:
        query = (
            select(func.count())
            .select_from(Engagement)
            .where(Engagement.summary == "Visit with Jake")
        )
        return s.exec(query).one()


def test_the_option_is_documented():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    text = sub.choices["retention"].format_help()
    assert "--today DATE" in text and "dry-run aid" in text and "confirmed" in text


def test_applying_a_review_for_a_day_to_come_is_refused_by_the_service(database):
    _engagement(database, SOON)
    preview = retention.due(database, date(2100, 1, 1))
    assert len(preview.items) == 1  # the preview itself works: that is what it is for
    with pytest.raises(
        retention.FutureReview,
        match="Nothing was changed: this list is what would be due on 01/01/2100",
    ):
        retention.apply(database, preview)
    assert _intact(database) == 1
    assert retention.due(database).items == []  # and today nothing is due


def test_the_command_refuses_a_future_day_without_a_typed_confirmation(db_url, capsys, monkeypatch):
    from db.migrate import open_database

    database = open_database(db_url)
    try:
        _engagement(database, SOON)
    finally:
        database.dispose()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # a script: no terminal to ask at
    status = main(["--db", db_url, "retention", "--today", "2100-01-01", "--apply"])
    out, err = capsys.readouterr()
    assert status == 1 and "Nothing was changed" in err and "anonymised" not in out
    database = open_database(db_url)
    try:
        assert _intact(database) == 1
    finally:
        database.dispose()


def test_a_person_at_a_terminal_can_confirm_the_day(db_url, capsys, monkeypatch):
    from db.migrate import open_database

    database = open_database(db_url)
    try:
        _engagement(database, SOON)
    finally:
        database.dispose()

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("01/01/2100\n"))
    status = main(["--db", db_url, "retention", "--today", "2100-01-01", "--apply"])
    out, _ = capsys.readouterr()
    assert status == 0 and "1 engagements anonymised" in out
    monkeypatch.setattr(sys, "stdin", Terminal("yes\n"))  # anything but the date: refused
    database = open_database(db_url)
    try:
        _engagement(database, SOON)
    finally:
        database.dispose()
    assert main(["--db", db_url, "retention", "--today", "2100-01-01", "--apply"]) == 1
