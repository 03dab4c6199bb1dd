"""The storage layer on both backends: schema, reference data, audit, versions."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from db.errors import ConcurrentEditError
from db.models import AuditEntry, Borough, Meeting, Objective, Organisation, SectorRef


def test_reference_data_is_seeded(database):
    with database.session() as s:
        boroughs = s.exec(select(Borough)).all()
        assert len(boroughs) == 33
        assert sum(b.is_priority for b in boroughs) == 16
        assert "City of London" in {b.name for b in boroughs}
        assert len(s.exec(select(Objective)).all()) == 8
        assert {x.code for x in s.exec(select(SectorRef))} >= {"police", "faith", "grassroots"}


def test_meeting_times_keep_their_instant(database):
    london = ZoneInfo("Europe/London")
    start = datetime(2019, 5, 1, 10, 0, tzinfo=london)  # BST: 09:00 UTC
    with database.session() as s:
        s.add(Meeting(title="PRG", starts_at=start, ends_at=start))
    with database.session() as s:
        meeting = s.exec(select(Meeting)).one()
        assert meeting.starts_at == start
        assert meeting.starts_at.astimezone(UTC).hour == 9
        assert meeting.starts_at.astimezone(london).hour == 10


def test_naive_datetime_is_refused(database):
    with pytest.raises(Exception, match="naive"), database.session() as s:
        s.add(Meeting(title="x", starts_at=datetime(2020, 1, 1), ends_at=datetime(2020, 1, 1)))


def test_every_change_is_audited_with_old_and_new_values(database):
    with database.session() as s:
        org = Organisation(name="Hackney CVS", sector="charity")
        s.add(org)
    with database.session() as s:
        org = s.get(Organisation, org.id)
        org.name = "Hackney Council for Voluntary Service"
    with database.session() as s:
        s.delete(s.get(Organisation, org.id))
    with database.session() as s:
        entries = s.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.username == "tester" and e.entity == "organisation" for e in entries)
    assert '"name": ["Hackney CVS", "Hackney Council for Voluntary Service"]' in entries[1].changes


def test_concurrent_edit_is_detected_not_overwritten(database):
    with database.session() as s:
        org = Organisation(name="St Giles Trust", sector="charity")
        s.add(org)
    first = database._factory()
    second = database._factory()
    try:
        a = first.get(Organisation, org.id)
        b = second.get(Organisation, org.id)
        a.notes = "first"
        first.commit()
        b.notes = "second"
        with pytest.raises(Exception) as caught:
            second.commit()
        assert "StaleData" in type(caught.value).__name__
    finally:
        first.close()
        second.close()
    with database.session() as s:
        assert s.get(Organisation, org.id).notes == "first"


def test_unit_of_work_turns_stale_write_into_plain_message(database):
    with database.session() as s:
        org = Organisation(name="Redthread", sector="charity")
        s.add(org)
    stale_copy = Organisation.model_validate(org.model_dump())
    with database.session() as s:
        s.get(Organisation, org.id).notes = "edited elsewhere"
    with pytest.raises(ConcurrentEditError, match="Someone else saved"), database.session() as s:
        s.merge(stale_copy).notes = "mine"
