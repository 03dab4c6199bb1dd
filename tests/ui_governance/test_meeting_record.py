"""Recording a meeting as held, with attendance, quorum, agreeing minutes and publishing."""

from datetime import date

import pytest
from governance_data import at, make_network, meeting, person, set_minutes

from ui.governance.common import qdate
from ui.governance.meeting_record import MeetingRecordDialog
from vru_crm.governance.agenda import assemble_draft
from vru_crm.governance.attendance import attendance_shares
from vru_crm.governance.minutes import minutes_state


@pytest.fixture
def prg(sqlite_database):
    db = sqlite_database
    network = make_network(db, quorum=2)
    person(db, "Sadiq Khan", network, "chair")
    person(db, "Lib Peck", network)
    person(db, "Sophie Linden", network)
    may = meeting(db, network, at(2019, 5, 1), "held")
    set_minutes(db, may, "draft")
    july = meeting(db, network, at(2019, 7, 30))
    assemble_draft(db, july)
    return {"may": may, "july": july}


def test_record_attendance_quorum_and_agree_the_minutes(qtbot, sqlite_database, prg, tmp_path):
    dialog = MeetingRecordDialog(sqlite_database, prg["july"])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)  # read on the pool
    dialog.set_status("Sadiq Khan", "present")
    dialog.set_status("Lib Peck", "apologies")
    assert dialog.quorum_label.text() == "1 present; quorum 2: not quorate"
    dialog.set_status("Sophie Linden", "present")
    assert dialog.quorum_label.text() == "2 present; quorum 2: quorate"
    [box] = dialog.agree_boxes.values()
    box.setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=10000):  # saved and read back on the pool
        assert dialog.record_held()
        assert dialog.record_button.text() == "Saving…" and not dialog.attendance.isEnabled()
    assert dialog.record_button.text().replace("&", "") == "Save attendance and decisions"
    assert dialog.attendance.isEnabled() and dialog.quorum_label.text().endswith(": quorate")
    assert minutes_state(sqlite_database, prg["may"]).status == "approved"
    assert minutes_state(sqlite_database, prg["may"]).approved_on == date(2019, 7, 30)
    shares = {
        r.name: r.attended
        for r in attendance_shares(sqlite_database, 1, date(2019, 1, 1), date(2019, 12, 31))
    }
    assert shares["Sadiq Khan"] == 1 and shares["Lib Peck"] == 0
    dialog.resize(720, 640)
    dialog.grab().save(str(tmp_path / "meeting_record.png"))


def test_minutes_move_along_and_publishing_needs_a_link(qtbot, sqlite_database, prg):
    dialog = MeetingRecordDialog(sqlite_database, prg["july"])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)  # read on the pool
    assert not dialog.minutes_button.isEnabled()  # not held yet: no minutes
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        assert dialog.record_held()
    assert dialog.minutes_button.text().replace("&", "") == "Mark minutes as drafted"
    dialog.minutes_date.setDate(qdate(date(2019, 10, 29)))
    for _step in ("draft", "approved"):  # each step saved, then shown, from the pool
        with qtbot.waitSignal(dialog.saved, timeout=10000):
            assert dialog.advance_minutes()
    assert dialog.minutes_button.text().replace("&", "") == "Publish the minutes"
    with qtbot.waitSignal(dialog.save_failed, timeout=10000):
        assert dialog.advance_minutes()
    assert "web address is required" in dialog.banner.text()
    assert dialog.minutes_button.isEnabled() and dialog.minutes_url.isEnabled()
    dialog.minutes_url.setText("https://www.london.gov.uk/prg-minutes-30-july-2019")
    dialog.minutes_date.setDate(qdate(date(2019, 11, 1)))
    with qtbot.waitSignal(dialog.saved, timeout=10000):
        assert dialog.advance_minutes()
    state = minutes_state(sqlite_database, prg["july"])
    assert (state.status, state.published_on) == ("published", date(2019, 11, 1))
    assert not dialog.minutes_button.isEnabled()


def test_the_record_dialog_opens_at_once_and_fills_when_the_meeting_arrives(
    qtbot, sqlite_database, prg
):
    """The meeting is read on the pool: until then nothing can be set, so nothing is lost."""
    dialog = MeetingRecordDialog(sqlite_database, prg["july"])
    qtbot.addWidget(dialog)
    assert dialog.loading and dialog.header.text() == "Loading…"
    assert not dialog.attendance.isEnabled() and not dialog.record_button.isEnabled()
    assert not dialog.record_held()  # nothing is saved before the meeting is shown
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)
    assert dialog.attendance.isEnabled() and dialog.attendance.rowCount() == 3
    assert dialog.quorum_label.text() == "0 present; quorum 2: not quorate"
