"""Reading the demo data set's public facts from ``vru_crm/resources/demo/*.json``.

The files hold only facts from published documents (see their README); this
module turns their plain JSON into Python values (dates, aware datetimes) so
the loader never parses strings itself. The files are package data, read with
``importlib.resources`` so that a wheel, a pipx install and a frozen app find them
as a checkout does.
"""

import json
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from vru_crm.errors import UserError
from vru_crm.london import LONDON

DEMO_DIR = files("vru_crm") / "resources" / "demo"
FILES = ("organisations", "people", "networks", "meetings", "recommendations")


class DemoDataMissing(UserError):
    """The demo files are not where the program expects them (a broken install)."""


@cache
def load(name: str) -> list[dict[str, Any]]:
    """The parsed list in ``vru_crm/resources/demo/NAME.json``."""
    path = DEMO_DIR / f"{name}.json"
    try:
        rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        return rows
    except FileNotFoundError as error:
        raise DemoDataMissing(
            f"The demo data file {path} is missing. Reinstall the VRU CRM from its repository."
        ) from error


def london_time(value: str) -> datetime:
    """``YYYY-MM-DDTHH:MM`` on a London wall clock, as an aware datetime."""
    return datetime.fromisoformat(value).replace(tzinfo=LONDON)


def day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
