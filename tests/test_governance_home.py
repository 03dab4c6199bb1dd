"""Home's governance warnings: late minutes, overdue actions and recommendations, in words."""

from datetime import UTC, date, datetime

from db.models import Action, Meeting, Network, Recommendation
from vru_crm.governance.home import governance_warnings


def test_warnings_name_what_is_late_and_by_how_much(database):
    held = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    with database.session() as s:
        prg = Network(name="Partnership Reference Group", kind="board", minutes_publication_days=28)
        s.add(prg)
        s.flush()
        meeting = Meeting(
            network_id=prg.id,
            title="PRG October",
            starts_at=held,
            ends_at=held,
            status="held",
            minutes_status="draft",
        )
        s.add(meeting)
        s.flush()
        s.add(
            Action(
                meeting_id=meeting.id,
                text="Share the youth work paper",
                owner="VRU",
                due_date=date(2026, 11, 1),
            )
        )
        s.add(
            Action(
                meeting_id=meeting.id,
                text="Closed already",
                due_date=date(2026, 1, 1),
                status="done",
            )
        )
        s.add(
            Recommendation(
                sender="Police and Crime Committee",
                letter_date=date(2020, 4, 7),
                number=3,
                text="Publish KPIs",
                due_date=date(2020, 5, 31),
            )
        )
    rows = governance_warnings(database, as_of=date(2026, 11, 23))
    texts = [(r.what, r.when, r.late) for r in rows]
    assert ("Minutes of PRG October not published", "25 days late", True) in texts
    assert ("Action: Share the youth work paper (VRU)", "22 days overdue", True) in texts
    assert any(
        w == "Reply to recommendation 3 of 7 Apr 2020 (Police and Crime Committee)"
        for w, _, _ in texts
    )
    assert not any("Closed already" in w for w, _, _ in texts)


def test_nothing_to_warn_about_on_an_empty_database(database):
    assert governance_warnings(database, as_of=date(2026, 11, 23)) == []
