"""London time: the one zone every date a user sees is in.

The database stores instants in UTC; people think in London days (a meeting at
00:30 BST on 1 July was held on 1 July, though it was 30 June in UTC). Every
module that turns an instant into a day, or asks what day it is, uses these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london(moment: datetime) -> datetime:
    """The instant on London wall-clock time (GMT or BST as the date requires); naive means UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


def london_date(moment: datetime) -> date:
    """The London day of an instant."""
    return london(moment).date()


def today_in_london() -> date:
    """Today as a Londoner would say it (not the machine's or UTC's date)."""
    return datetime.now(LONDON).date()
