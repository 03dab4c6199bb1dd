"""Synthetic governance records: later PRG meetings, attendance, actions and assessments.

The published documents give the PRG's membership and its early meetings but
no attendance lists, action logs or later dates. The governance screens need
them to show anything, so they are made up here and each says so: meetings
and attendance in the meeting's notes, actions in their text, assessments in
their notes.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from db.models import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    StakeholderAssessment,
    saved_id,
)
from vru_crm.demo.refs import Refs, add_missing, get_or_add_all
from vru_crm.london import LONDON

PRG = "Partnership Reference Group"
SYNTHETIC_ACTION = " (synthetic example)"
SYNTHETIC_ASSESSMENT = "Synthetic demo assessment."
ATTENDANCE_NOTE = " Attendance recorded here is synthetic (demo data), not the published record."
ILLUSTRATIVE_NOTE = (
    "Illustrative meeting (synthetic): the seeds say only that the PRG meets "
    "quarterly, so the date, agenda and attendance are made up for the demo."
)
THEMES = [
    "Thematic discussion: race and equality",
    "Thematic discussion: education and exclusions",
    "Thematic discussion: public health and adverse childhood experiences",
    "Strategic Needs Assessment refresh",
    "MyEnds programme: progress and next round",
    "Local violence reduction action plans: borough returns",
    "Young People's Action Group update",
    "Summer programme for young people: results",
    "Violent crime trends and emerging risks",
    "Community engagement: what partners are telling us",
]
ACTIONS = [
    ("VRU to circulate the revised commissioning principles to members for comment", "VRU"),
    (
        "London Councils to share the local violence reduction action plan template with all CSPs",
        "London Councils",
    ),
    (
        "NHS England (London) to report back on youth worker cover in emergency departments",
        "NHS England (London)",
    ),
    ("VRU to set up a task and finish group on school exclusions with the DfE", "VRU"),
    ("Members to nominate young people for the Young People's Action Group interviews", "Members"),
    ("VRU to bring engagement figures by borough for the last quarter", "VRU"),
    ("London Funders to map co-funding for small grassroots groups", "London Funders"),
    ("Secretariat to report any delay in publishing the minutes", "Secretariat"),
]


# Typical influence on violence reduction in London, by sector (1-5).
INFLUENCE = {
    "government": 5,
    "police": 5,
    "health": 4,
    "local_authority": 4,
    "funder": 4,
    "probation": 3,
    "charity": 3,
    "academic": 3,
    "education": 3,
    "csp": 3,
    "grassroots": 2,
    "faith": 2,
    "business": 2,
    "other": 2,
}


def prg_dates() -> list[date]:
    """Quarterly meetings after the last dated one (March 2021) up to the next planned one."""
    dates, year, month = [], 2021, 6
    while (year, month) < (2026, 12):
        first = date(year, month, 1)
        dates.append(first + timedelta(days=(2 - first.weekday()) % 7 + 7))  # second Wednesday
        year, month = (year + 1, month - 9) if month > 9 else (year, month + 3)
    return dates


def load_later_prg_meetings(session: Session, refs: Refs, today: date) -> None:
    if PRG not in refs.networks:
        return
    dates = prg_dates()
    ids = get_or_add_all(
        session,
        refs,
        "meetings",
        Meeting,
        [
            (
                {
                    "title": f"{PRG} - {day.day} {day:%B %Y}",
                    "starts_at": datetime.combine(day, time(10), LONDON),
                },
                _later_meeting(refs, day, today, dates[n + 1] if n + 1 < len(dates) else None),
            )
            for n, day in enumerate(dates)
        ],
    )
    for number, meeting_id in enumerate(ids):
        _agenda(session, refs, meeting_id, number)


def _later_meeting(refs: Refs, day: date, today: date, following: date | None) -> dict[str, Any]:
    """Held if past; minutes published four weeks on, except the latest's, still in draft."""
    held = day < today
    published = held and following is not None and following < today
    return {
        "network_id": refs.networks[PRG],
        "ends_at": datetime.combine(day, time(12), LONDON),
        "location": "City Hall" if day.year >= 2022 else "online (Microsoft Teams)",
        "status": "held" if held else "planned",
        "minutes_status": "published" if published else ("draft" if held else "none"),
        "minutes_published_on": day + timedelta(days=28) if published else None,
        "notes": ILLUSTRATIVE_NOTE,
    }


def _agenda(session: Session, refs: Refs, meeting_id: int, number: int) -> None:
    items = [
        ("Welcome, introductions and apologies", "Chair", 5, "standing"),
        ("Minutes of the previous meeting", "Chair", 5, "minutes"),
        ("Matters arising and action log", "Secretariat", 10, "matters_arising"),
        ("VRU Director's update", "VRU Director", 20, "update"),
        (THEMES[number % len(THEMES)], None, 40, "discussion"),
        (THEMES[(number + 3) % len(THEMES)], None, 30, "paper"),
        ("Any other business", "Chair", 10, "aob"),
    ]
    for position, (title, presenter, minutes, kind) in enumerate(items, start=1):
        add_missing(
            session,
            refs,
            "agenda items",
            AgendaItem,
            {"meeting_id": meeting_id, "position": position},
            title=title,
            presenter=presenter,
            minutes_allotted=minutes,
            kind=kind,
        )


def held_prg_meetings(session: Session, refs: Refs) -> list[Meeting]:
    statement = (
        select(Meeting)
        .where(Meeting.network_id == refs.networks.get(PRG))
        .where(Meeting.status == "held")
        .order_by(col(Meeting.starts_at))
    )
    return list(session.exec(statement))


def load_attendance(session: Session, refs: Refs, rng: random.Random) -> None:
    """Most members present, a few apologies, the odd absence; only members by then."""
    members = session.exec(
        select(Membership)
        .where(Membership.network_id == refs.networks.get(PRG))
        .where(col(Membership.person_id).is_not(None))
        .order_by(col(Membership.id))
    ).all()
    for meeting in held_prg_meetings(session, refs):
        if session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id)).first():
            continue
        day = meeting.starts_at.astimezone(LONDON).date()
        for member in members:
            if member.person_id is None or (member.start_date and member.start_date > day):
                continue
            status = (
                "present"
                if member.role == "chair"
                else rng.choices(["present", "apologies", "absent"], weights=[80, 16, 4])[0]
            )
            session.add(
                Attendance(meeting_id=saved_id(meeting), person_id=member.person_id, status=status)
            )
            refs.added["attendance"] += 1
        meeting.notes = (meeting.notes + ATTENDANCE_NOTE).strip()
        session.add(meeting)


def load_actions(session: Session, refs: Refs, rng: random.Random, today: date) -> None:
    """A few actions from PRG meetings: old ones closed, recent ones open (some overdue)."""
    if session.exec(select(Action).where(Action.text.endswith(SYNTHETIC_ACTION))).first():
        return
    meetings = held_prg_meetings(session, refs)
    chosen = (
        meetings[2 :: max(1, len(meetings) // len(ACTIONS))][: len(ACTIONS) - 2] + meetings[-2:]
    )
    for meeting, (text, owner) in zip(chosen, ACTIONS, strict=False):
        held = meeting.starts_at.astimezone(LONDON).date()
        due = held + timedelta(days=rng.choice([28, 42, 56]))
        recent = (today - held).days < 200
        status = rng.choice(["open", "in_progress"]) if recent else "done"
        session.add(
            Action(
                meeting_id=meeting.id,
                text=text + SYNTHETIC_ACTION,
                owner=owner,
                owner_person_id=refs.people.get("Lib Peck") if owner == "VRU" else None,
                due_date=due,
                status=status,
                closed_on=due - timedelta(days=rng.randint(0, 20)) if status == "done" else None,
            )
        )
        refs.added["actions"] += 1


def load_assessments(session: Session, refs: Refs, rng: random.Random) -> None:
    """Influence, interest and support for a dozen partners; two dates for some, so movement shows."""
    marked = StakeholderAssessment.notes == SYNTHETIC_ASSESSMENT
    if session.exec(select(StakeholderAssessment).where(marked).limit(1)).first():
        return
    orgs = sorted(refs.organisations.values())
    for org_id in rng.sample(orgs, min(12, len(orgs))):
        influence = INFLUENCE.get(refs.organisation_sectors[org_id], 3)
        first = [influence, rng.randint(2, 5), rng.randint(1, 4)]
        dates = [date(2020, 6, 1) + timedelta(days=rng.randint(0, 300))]
        if rng.random() < 0.6:
            dates.append(date(2025, 3, 1) + timedelta(days=rng.randint(0, 400)))
        for number, day in enumerate(dates):
            scores = first if number == 0 else [first[0]] + [_move(rng, s) for s in first[1:]]
            session.add(
                StakeholderAssessment(
                    organisation_id=org_id,
                    assessed_on=day,
                    influence=scores[0],
                    interest=scores[1],
                    support=scores[2],
                    assessed_by=rng.choice(["lead.a", "lead.b"]),
                    notes=SYNTHETIC_ASSESSMENT,
                )
            )
            refs.added["stakeholder assessments"] += 1


def _move(rng: random.Random, score: int) -> int:
    return max(1, min(5, score + rng.choice([-1, 1, 1, 2])))
