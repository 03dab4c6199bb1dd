"""What the record commands share: JSON out, a question before a delete, list flags.

Records are dataclasses of plain values; ``--json`` prints them with dates as
ISO text so a script can read them back. A delete or a merge asks first on a
terminal; in a script (stdin not a terminal) it needs ``--yes``, so a pipe can
never answer a question it did not see.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime
from typing import Any

NONE_WORDS = ("none", "")


def plain(value: Any) -> Any:
    """A record (or a list of them) as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def print_json(value: Any) -> None:
    print(json.dumps(plain(value), indent=2, ensure_ascii=False))


def day(value: date | None, empty: str = "") -> str:
    return value.isoformat() if value else empty


def confirm(question: str, yes: bool) -> bool:
    """True when the user said yes (or gave ``--yes``); a script without ``--yes`` is refused."""
    from vru_crm.cli.main import UsageError

    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(
            "this asks for confirmation and input is not a terminal: add --yes to go ahead"
        )
    answer = input(f"{question} [y/N] ")
    return answer.strip().casefold() in ("y", "yes")


def given_list(values: list[str] | None) -> list[str] | None:
    """A repeatable flag's values; ``none`` alone means an empty list, None that it was not given."""
    if values is None:
        return None
    if [v.strip().casefold() for v in values] in (["none"], [""]):
        return []
    return [v for v in values if v.strip()]


def blank_is_none(text: str | None) -> str | None:
    """A text flag: ``""`` or ``none`` clears the value."""
    value = (text or "").strip()
    return None if value.casefold() in NONE_WORDS else value


def check_limit(limit: int) -> int:
    from vru_crm.cli.main import UsageError

    if limit < 1:
        raise UsageError(f"--limit must be 1 or more (got {limit})")
    return limit
