"""Undo of several steps on one governance record, in order, and redo of them all."""

from datetime import UTC, datetime, timedelta

from db.migrate import open_database
from ui.undo import push_created, push_edited, undo_notices, undo_stack
from vru_crm.governance import meetings
from vru_crm.services import records


def test_create_move_cancel_undone_and_redone_step_by_step(qtbot, tmp_path):
    database = open_database(str(tmp_path / "crm.sqlite3"), username="tester")
    failures: list[str] = []
    undo_notices().failed.connect(failures.append)
    stack = undo_stack()
    stack.clear()
    try:
        start = datetime(2030, 5, 14, 9, tzinfo=UTC)
        row = meetings.create_meeting(
            database, title="PRG meeting", starts_at=start, ends_at=start + timedelta(hours=2)
        )
        push_created(database, "meeting", row.id, 1, "PRG meeting")
        steps = [
            lambda: meetings.reschedule_meeting(
                database, row.id, start + timedelta(days=7), start + timedelta(days=7, hours=2)
            ),
            lambda: meetings.cancel_meeting(database, row.id, reason="clash"),
        ]
        for step in steps:
            before = records.row_values(database, "meeting", row.id)
            step()
            after = records.row_values(database, "meeting", row.id)
            version = meetings.get_meeting(database, row.id).version
            push_edited(database, "meeting", row.id, before, after, version, "PRG meeting")
        sequences = [meetings.get_meeting(database, row.id).sequence]

        stack.undo()  # the cancel
        assert meetings.get_meeting(database, row.id).status == "planned"
        stack.undo()  # the move
        assert meetings.get_meeting(database, row.id).starts_at == start
        sequences.append(meetings.get_meeting(database, row.id).sequence)
        stack.undo()  # the create
        assert [m.id for m in meetings_list(database)] == []
        assert failures == []

        stack.redo()
        stack.redo()
        stack.redo()
        back = meetings.get_meeting(database, row.id)
        assert back.status == "cancelled" and back.starts_at == start + timedelta(days=7)
        assert back.uid == row.uid
        # A calendar program drops an update whose SEQUENCE is not higher: never lower it.
        assert back.sequence >= max(sequences)
        assert failures == []
    finally:
        stack.clear()
        undo_notices().failed.disconnect(failures.append)
        database.dispose()


def meetings_list(database):
    from sqlmodel import select

    from db.models import Meeting

    with database.session() as s:
        return s.exec(select(Meeting)).all()


def test_an_organisation_created_edited_then_both_undone(qtbot, tmp_path):
    from vru_crm.services import organisations
    from vru_crm.services.organisations import OrganisationInput

    database = open_database(str(tmp_path / "crm.sqlite3"), username="tester")
    failures: list[str] = []
    undo_notices().failed.connect(failures.append)
    stack = undo_stack()
    stack.clear()
    try:
        data = OrganisationInput(name="Hackney CVS", sector="charity")
        made = organisations.create_organisation(database, data)
        push_created(database, "organisation", made.id, made.version, made.name)
        changed = OrganisationInput(name="Hackney CVS", sector="charity", notes="Met in May")
        saved = organisations.update_organisation(database, made.id, changed, made.version)
        push_edited(database, "organisation", made.id, data, changed, saved.version, made.name)
        stack.undo()
        assert organisations.get_organisation(database, made.id).notes == ""
        stack.undo()
        assert failures == []
        stack.redo()
        stack.redo()
        assert organisations.get_organisation(database, made.id).notes == "Met in May"
        assert failures == []
    finally:
        stack.clear()
        undo_notices().failed.disconnect(failures.append)
        database.dispose()
