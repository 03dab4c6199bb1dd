"""The day every default means is London's, whatever zone the machine's clock is set to.

A machine set to Pacific/Kiritimati (UTC+14) is a day ahead of London for most of
every day, and a new engagement once defaulted to tomorrow there. ``.ci/run`` runs
this file and the other date-sensitive tests again under that zone; the fixture
below also moves this process's own zone, to UTC+14 or UTC-12, whichever is on
another day than London at the moment, so the check bites at any hour.
"""

import re
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from vru_crm.london import today_in_london
from vru_crm.services import engagements as eng

ROOT = Path(__file__).resolve().parents[1]
ASKS_THE_MACHINE = re.compile(r"\b(date|datetime)\.today\(")


def test_no_module_asks_the_machine_for_the_day():
    """``vru_crm.london.today_in_london`` is the one place that says what day it is."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("vru_crm", "db", "ui")
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ASKS_THE_MACHINE.search(line)
    ]
    assert found == [], "use vru_crm.london.today_in_london() instead of the machine's day"


FAR_ZONES = ("Pacific/Kiritimati", "Etc/GMT+12")  # UTC+14 and UTC-12 (POSIX signs are reversed)


@pytest.fixture
def clock_far_from_london(monkeypatch):
    """This process's local time zone set, for one test, to one on another day than London."""
    zone = next(
        (z for z in FAR_ZONES if datetime.now(ZoneInfo(z)).date() != today_in_london()),
        FAR_ZONES[0],
    )
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_new_engagement_is_dated_londons_today(clock_far_from_london, database):
    made = eng.create_engagement(database, eng.EngagementInput(kind="call", summary="Rang Amina"))
    assert made.occurred_on == today_in_london()
