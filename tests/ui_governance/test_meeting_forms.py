"""The meeting forms driven from the keyboard, on an empty database: schedule the next PRG at the
time its cadence expects, move it, cancel it, undo that; bad input explained beside the field;
record a meeting as held with attendance by keys, a guest and a live quorum."""

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui_forms.conftest import forget_changes, wait_saved
from ui.dialogs.meeting_dialog import CancelMeetingDialog, MeetingDialog, parse_time
from ui.dialogs.widgets.date_field import format_date
from ui.governance.meeting_record import MeetingRecordDialog
from ui.undo import undo_stack
from vru_crm.errors import NotFound
from vru_crm.governance import attendance, meetings
from vru_crm.governance.networks import NetworkInput, create_network
from vru_crm.london import london
from vru_crm.services import people

KEY = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def _fresh_undo_stack():
    undo_stack().clear()
    yield
    undo_stack().clear()


@pytest.fixture
def prg(database):
    return create_network(
        database,
        NetworkInput(
            name="Partnership Reference Group",
            short_name="PRG",
            kind="board",
            cadence="quarterly, second Tuesday, 10:00 to 12:00",
            quorum=3,
        ),
    ).id


def _open(qtbot, dialog):
    qtbot.addWidget(dialog, before_close_func=forget_changes)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(lambda: not getattr(dialog, "loading", False), timeout=10000)  # the pool's read
    return dialog


def _problem(dialog, field: str) -> str:
    label = dialog.errors[field]
    return "" if label.isHidden() else label.text()


def _retype(qtbot, widget, text: str) -> None:
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def _focused():
    return QApplication.focusWidget()


def test_parse_time_accepts_what_people_type():
    assert [str(parse_time(t)) for t in ("10:00", "9.30", "1430", "2pm", "12am")] == [
        "10:00:00",
        "09:30:00",
        "14:30:00",
        "14:00:00",
        "00:00:00",
    ]
    assert parse_time("") is None
    with pytest.raises(ValueError, match="not a time"):
        parse_time("half ten")
    with pytest.raises(ValueError, match="time of day"):
        parse_time("25:00")


def test_schedule_move_cancel_and_undo_the_next_prg(qtbot, database, prg):
    slot = meetings.next_expected_slot(database, prg)
    assert slot is not None
    start, end = slot
    # New meeting with no network named: the only network is offered, at its next slot.
    dialog = _open(qtbot, MeetingDialog(database))
    assert dialog.network.currentData() == prg
    assert dialog.day.text() == format_date(london(start).date())
    assert (dialog.starts.text(), dialog.ends.text()) == ("10:00", "12:00")
    assert dialog.title.text() == f"PRG meeting, {london(start):%B %Y}"
    assert "Next expected" in dialog.slot_note.text()
    assert _focused() is dialog.title
    qtbot.keyClick(_focused(), KEY.Key_Return)  # Enter saves, on the pool
    assert dialog.saving and dialog.hint.text() == "Saving…"
    wait_saved(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    record = meetings.get_meeting(database, dialog.meeting_id)
    assert (record.starts_at, record.ends_at, record.network_id) == (start, end, prg)
    assert record.title == f"PRG meeting, {london(start):%B %Y}"
    first_sequence, uid = record.sequence, record.uid

    # Undo the create (the meeting goes), redo it (it comes back with its UID).
    stack = undo_stack()
    stack.undo()
    with pytest.raises(NotFound):
        meetings.get_meeting(database, record.id)
    stack.redo()
    assert meetings.get_meeting(database, record.id).uid == uid
    first_sequence = meetings.get_meeting(database, record.id).sequence

    # Edit the time by keyboard: Tab from the title to the date, then the start and end times.
    edit = _open(qtbot, MeetingDialog(database, meeting_id=record.id))
    assert _focused() is edit.title
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    assert _focused() is edit.day.edit
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    assert _focused() is edit.starts
    _retype(qtbot, edit.starts, "11")
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    assert edit.starts.text() == "11:00"  # tidied on leaving the field
    _retype(qtbot, edit.ends, "13:30")
    qtbot.keyClick(_focused(), KEY.Key_Return)
    wait_saved(qtbot, edit)
    moved = meetings.get_meeting(database, record.id)
    assert moved.starts_at == start + timedelta(hours=1)
    assert moved.ends_at == start + timedelta(hours=3, minutes=30)
    assert moved.sequence == first_sequence + 1 and moved.uid == uid
    # Undo the move, redo it: SEQUENCE never falls, the UID stays.
    stack.undo()
    back = meetings.get_meeting(database, record.id)
    assert (back.starts_at, back.ends_at) == (start, end) and back.sequence > moved.sequence
    stack.redo()
    again = meetings.get_meeting(database, record.id)
    assert again.starts_at == moved.starts_at and again.sequence > back.sequence
    assert again.uid == uid

    # Cancel with a reason; undo and redo it.
    cancel = _open(qtbot, CancelMeetingDialog(database, record.id))
    assert _focused() is cancel.reason
    qtbot.keyClicks(cancel.reason, "Not quorate: moved to the next date")
    qtbot.keyClick(_focused(), KEY.Key_Return)
    wait_saved(qtbot, cancel)
    assert not cancel.isVisible()
    cancelled = meetings.get_meeting(database, record.id)
    assert cancelled.status == "cancelled"
    assert cancelled.cancel_reason == "Not quorate: moved to the next date"
    assert cancelled.sequence == again.sequence + 1 and cancelled.uid == uid
    stack.undo()
    restored = meetings.get_meeting(database, record.id)
    assert (restored.status, restored.cancel_reason) == ("planned", None)
    assert restored.sequence > cancelled.sequence
    stack.redo()
    assert meetings.get_meeting(database, record.id).status == "cancelled"
    assert meetings.get_meeting(database, record.id).uid == uid


def test_bad_input_is_explained_beside_the_field_and_kept(qtbot, sqlite_database):
    database = sqlite_database
    dialog = _open(qtbot, MeetingDialog(database))
    assert dialog.network.currentData() is None  # no network: a one-off event must be chosen
    assert _focused() is dialog.network
    qtbot.keyClick(_focused(), KEY.Key_O)  # "One-off event (no network)"
    assert dialog.network.currentData() == "event"
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    assert _focused() is dialog.title
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    qtbot.keyClicks(_focused(), "12/06/2031")
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    qtbot.keyClicks(_focused(), "14:00")
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    qtbot.keyClicks(_focused(), "13:00")
    assert "ends before it starts" in _problem(dialog, "ends_at")
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    qtbot.keyClicks(_focused(), "Committee Room 4")
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    assert _focused() is dialog.online_url
    qtbot.keyClicks(_focused(), "teams meeting")
    assert "is not a web address" in _problem(dialog, "online_url")
    assert not dialog.save_button.isEnabled()
    assert dialog.hint.text() == "To save, fill in: title."
    qtbot.keyClick(_focused(), KEY.Key_S, CTRL)  # refused: nothing saved, everything kept
    assert dialog.isVisible() and dialog.meeting_id is None
    assert _problem(dialog, "title") == "a title is required"
    assert dialog.values()["location"] == "Committee Room 4"
    assert dialog.values()["online_url"] == "teams meeting"
    # Put it right, field by field.
    _retype(qtbot, dialog.online_url, "www.example.org/teams")
    assert _problem(dialog, "online_url") == ""
    _retype(qtbot, dialog.ends, "16:00")
    assert _problem(dialog, "ends_at") == ""
    dialog.title.setFocus()
    qtbot.keyClicks(dialog.title, "Youth violence summit")
    assert dialog.save_button.isEnabled()
    qtbot.keyClick(_focused(), KEY.Key_Return)
    wait_saved(qtbot, dialog)
    record = meetings.get_meeting(database, dialog.meeting_id)
    assert record.network_id is None and record.title == "Youth violence summit"
    assert record.online_url == "https://www.example.org/teams"
    assert london(record.starts_at).strftime("%d/%m/%Y %H:%M") == "12/06/2031 14:00"


def test_a_save_over_someone_elses_change_says_so_and_keeps_the_text(qtbot, sqlite_database):
    database = sqlite_database
    from datetime import UTC, datetime

    start = datetime.now(UTC) + timedelta(days=30)
    made = meetings.create_meeting(
        database, title="Summit", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    dialog = _open(qtbot, MeetingDialog(database, meeting_id=made.id))
    meetings.update_meeting(database, made.id, location="City Hall")  # someone else, meanwhile
    _retype(qtbot, dialog.title, "Summit on exclusions")
    qtbot.keyClick(_focused(), KEY.Key_Return)
    wait_saved(qtbot, dialog)
    assert dialog.isVisible() and "Someone else saved" in dialog.banner.label.text()
    assert dialog.title.text() == "Summit on exclusions"
    dialog.reload_keeping_text()  # read on the pool: the form is held until it comes
    assert dialog.loading and not dialog.title.isEnabled()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    assert dialog.location.text() == "City Hall" and dialog.title.text() == "Summit on exclusions"
    dialog.attempt_save()
    wait_saved(qtbot, dialog)
    assert not dialog.isVisible()
    record = meetings.get_meeting(database, made.id)
    assert (record.title, record.location) == ("Summit on exclusions", "City Hall")


@pytest.fixture
def held_prg(sqlite_database):
    """A PRG of four members whose meeting started an hour ago, and one next month."""
    from datetime import UTC, datetime

    from vru_crm.governance.networks import join_network

    database = sqlite_database
    network = create_network(
        database, NetworkInput(name="Partnership Reference Group", short_name="PRG", quorum=3)
    ).id
    for name, role in (
        ("Sadiq Khan", "chair"),
        ("Lib Peck", "member"),
        ("Sophie Linden", "member"),
        ("Paul Ainsworth", "member"),
    ):
        person = people.create_person(database, people.PersonInput(full_name=name))
        # Members since last month: "an hour ago" may be yesterday in London.
        joined = datetime.now(UTC).date() - timedelta(days=30)
        join_network(database, network, person_id=person.id, role=role, start_date=joined)
    now = datetime.now(UTC).replace(microsecond=0)
    past = meetings.create_meeting(
        database,
        title="PRG meeting",
        network_id=network,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    ).id
    future = meetings.create_meeting(
        database,
        title="PRG meeting, later",
        network_id=network,
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=30, hours=2),
    ).id
    return {"database": database, "past": past, "future": future}


def _names(table):
    return [table.name(r) for r in range(table.rowCount())]


def test_record_held_by_keys_with_a_guest_and_a_live_quorum(qtbot, held_prg):
    database = held_prg["database"]
    dialog = _open(qtbot, MeetingRecordDialog(database, held_prg["past"]))
    table = dialog.attendance
    assert not dialog.banner.isVisible() and dialog.record_button.isEnabled()
    assert _focused() is table
    assert _names(table)[0] == "Sadiq Khan"  # the chair first
    names = _names(table)
    # Names and roles are read-only: typing jumps down the list, it never edits a name.
    for row in range(table.rowCount()):
        for column in range(3):
            assert not table.item(row, column).flags() & Qt.ItemFlag.ItemIsEditable
    qtbot.keyClicks(table, "Soph")
    assert table.name(table.currentRow()) == "Sophie Linden"
    assert _names(table) == names
    assert dialog.quorum_label.text() == "0 present; quorum 3: not quorate"
    # All present (Alt+L), then one apology by keys.
    qtbot.keyClick(_focused(), KEY.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.quorum_label.text() == "4 present; quorum 3: quorate")
    table.setFocus()
    qtbot.keyClicks(table, "Lib")
    assert table.name(table.currentRow()) == "Lib Peck"
    qtbot.keyClick(table, KEY.Key_A)  # "liba" is nobody: A marks apologies
    assert table.item(table.currentRow(), 2).text() == "Apologies"
    assert dialog.quorum_label.text() == "3 present; quorum 3: quorate"
    qtbot.keyClick(table, KEY.Key_Down)
    qtbot.keyClick(table, KEY.Key_X)
    assert dialog.quorum_label.text() == "2 present; quorum 3: not quorate"
    qtbot.keyClick(table, KEY.Key_Space)  # absent -> present
    assert dialog.quorum_label.text() == "3 present; quorum 3: quorate"
    # A guest by name: Enter adds it, and does not record the meeting.
    qtbot.keyClick(table, KEY.Key_Tab)
    qtbot.keyClick(_focused(), KEY.Key_Tab)
    assert _focused() is dialog.guest_name
    qtbot.keyClicks(dialog.guest_name, "Jane Visitor")
    qtbot.keyClick(dialog.guest_name, KEY.Key_Return)
    assert dialog.guest_names() == ["Jane Visitor"] and dialog.guest_name.text() == ""
    assert meetings.get_meeting(database, held_prg["past"]).status == "planned"
    assert dialog.quorum_label.text().endswith("quorate · 1 guest")
    with qtbot.waitSignal(dialog.saved, timeout=10000):  # saved on the pool
        qtbot.keyClick(dialog, KEY.Key_S, CTRL)  # Ctrl+S records it
    record = meetings.get_meeting(database, held_prg["past"])
    assert record.status == "held"
    assert attendance.meeting_guests(database, held_prg["past"]) == ["Jane Visitor"]
    statuses = {m.name: m.status for m in attendance.meeting_members(database, held_prg["past"])}
    assert statuses == {
        "Sadiq Khan": "present",
        "Lib Peck": "apologies",
        "Paul Ainsworth": "present",
        "Sophie Linden": "present",
    }
    assert dialog.record_button.text().replace("&", "") == "Save attendance and decisions"


def test_a_meeting_not_started_says_so_before_anything_is_typed(qtbot, held_prg):
    dialog = _open(qtbot, MeetingRecordDialog(held_prg["database"], held_prg["future"]))
    assert dialog.banner.isVisible()
    assert "it can be recorded as held once it has started" in dialog.banner.text()
    assert not dialog.record_button.isEnabled()
    assert not dialog.attendance.isEnabled() and not dialog.all_present.isEnabled()
    qtbot.keyClick(dialog, KEY.Key_S, CTRL)
    assert not dialog.record_held()
    assert meetings.get_meeting(held_prg["database"], held_prg["future"]).status == "planned"


def test_meeting_page_numbers_from_one_links_the_minutes_and_says_why_cancelled(qtbot, held_prg):
    from datetime import UTC, datetime

    from ui.views.meeting_page import MeetingPage
    from vru_crm.governance.agenda import assemble_draft
    from vru_crm.governance.minutes import advance_minutes

    database = held_prg["database"]
    past, future = held_prg["past"], held_prg["future"]
    assemble_draft(database, past)
    attendance.record_meeting_held(database, past, {}, guests=["Jane Visitor"])
    today = london(datetime.now(UTC)).date()
    for step in ("draft", "approved"):
        advance_minutes(database, past, step, on=today)
    advance_minutes(database, past, "published", on=today, url="www.london.gov.uk/prg-minutes")
    meetings.cancel_meeting(database, future, reason="Clashes with the budget meeting")
    page = MeetingPage(database)
    qtbot.addWidget(page)
    page.show()
    page.show_record(past)
    qtbot.waitUntil(lambda: page.detail is not None)
    numbers = [page.agenda.text(r, 0) for r in range(page.agenda.row_count())]
    assert numbers[0] == "1." and numbers == [f"{n}." for n in range(1, len(numbers) + 1)]
    link = page.facts.values["Minutes online"]
    assert link.openExternalLinks()
    assert 'href="https://www.london.gov.uk/prg-minutes"' in link.text()
    assert page.facts.values["Guests"].text() == "Jane Visitor"
    assert not page.cancel_button.isEnabled()
    page.show_record(future)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.detail.id == future)
    assert page.facts.values["Cancelled because"].text() == "Clashes with the budget meeting"
    assert not page.cancel_button.isEnabled() and not page.held_button.isEnabled()


def test_ctrl_e_and_new_meeting_open_the_meeting_forms(qtbot, held_prg):
    from ui import launch

    database = held_prg["database"]
    new = launch.edit_record(None, database, "meeting")
    edit = launch.edit_record(None, database, "meeting", held_prg["future"])
    cancel = launch.open_dialog(None, "cancel_meeting", database, held_prg["future"])
    for dialog in (new, edit, cancel):
        qtbot.addWidget(dialog, before_close_func=forget_changes)
    qtbot.waitUntil(lambda: not new.loading and not edit.loading, timeout=10000)  # the pool's reads
    assert isinstance(new, MeetingDialog) and new.meeting_id is None
    assert isinstance(edit, MeetingDialog) and edit.title.text() == "PRG meeting, later"
    assert isinstance(cancel, CancelMeetingDialog) and cancel.meeting_id == held_prg["future"]
    assert "meeting" in launch.DELETABLE_KINDS


def test_a_new_meeting_opens_at_once_and_offers_the_networks_when_they_arrive(qtbot, held_prg):
    """The networks are read on the pool: until they come the form is held, saying Loading…."""
    dialog = MeetingDialog(held_prg["database"])
    qtbot.addWidget(dialog, before_close_func=forget_changes)
    dialog.show()
    assert dialog.loading and dialog.hint.text() == "Loading…"
    assert not dialog.network.isEnabled() and not dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.record_ready, timeout=10000):
        pass
    assert dialog.network.isEnabled()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)  # the network's next date, too
    assert "no regular cadence" in dialog.slot_note.text()
    names = [dialog.network.itemText(i) for i in range(dialog.network.count())]
    assert names[2:] == ["Partnership Reference Group (PRG)"]
    assert not dialog.is_dirty()
