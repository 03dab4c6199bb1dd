"""What the Director must not forget, for the Home page: minutes, actions, recommendations."""

from dataclasses import dataclass
from datetime import date

from db.session import Database
from vru_crm.governance.actions import overdue_actions
from vru_crm.governance.minutes import late_minutes, minutes_due_soon
from vru_crm.governance.recommendations import overdue_recommendations
from vru_crm.london import today_in_london


@dataclass(frozen=True)
class GovernanceWarning:
    """One line on Home: ``when`` says how late or how soon, ``kind``/``record_id`` open it."""

    what: str
    when: str
    late: bool
    kind: str | None
    record_id: int | None


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def governance_warnings(database: Database, as_of: date | None = None) -> list[GovernanceWarning]:
    """Late minutes first, then minutes due soon, overdue actions and recommendations."""
    day = as_of or today_in_london()
    rows: list[GovernanceWarning] = []
    for m in late_minutes(database, day):
        rows.append(
            GovernanceWarning(
                f"Minutes of {m.title} not published",
                f"{_days(m.days)} late",
                True,
                "meeting",
                m.meeting_id,
            )
        )
    for m in minutes_due_soon(database, day):
        rows.append(
            GovernanceWarning(
                f"Publish the minutes of {m.title}",
                f"due in {_days(m.days)}",
                False,
                "meeting",
                m.meeting_id,
            )
        )
    for a in overdue_actions(database, day):
        owner = f" ({a.owner})" if a.owner else ""
        rows.append(
            GovernanceWarning(
                f"Action: {a.text}{owner}",
                f"{_days(a.overdue_by(day))} overdue",
                True,
                "meeting" if a.meeting_id else None,
                a.meeting_id,
            )
        )
    for r in overdue_recommendations(database, day):
        rows.append(
            GovernanceWarning(
                f"Reply to recommendation {r.number} of {r.letter_date.day} {r.letter_date:%b %Y} ({r.sender})",
                f"{_days(r.overdue_by(day))} overdue",
                True,
                None,
                None,
            )
        )
    return rows
