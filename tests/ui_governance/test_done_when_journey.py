"""The governance records' whole journey, in the app alone and from the keyboard, on a new empty database.

One journey through the real main window, as a new team would make it: people and an
organisation (New person, New organisation), the PRG with its cadence in words and
three standing items, its members (picked and pasted), the next meeting at the slot
the cadence offers and its agenda (standing items kept, numbered from 1), a meeting
that has started recorded held with "All present" and an apology, two actions raised
at it with owners picked by typing, both carried onto the next meeting's agenda, a
Committee letter pasted with its ten recommendations, and the calendar exported and
read back with a real iCalendar parser.

Only keys reach the widgets (QTest key clicks on the focused widget, shortcuts,
mnemonics, Tab, Enter). Values are read to check them; the two things a desktop's
window manager and file chooser do (activating a dialog that opened, answering the
save-file question) are done for it. Screenshots of the main steps go to tmp_path.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ui.search.hits_model import HIT_ROLE
from ui.undo import undo_stack
from ui.workers import wait_for_jobs
from vru_crm.london import london, today_in_london

KEY = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
COMMITTEE = Path(__file__).parents[1] / "fixtures" / "letters" / "committee_2020_04_07.md"
PRG_RULE = "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;BYHOUR=10;BYMINUTE=0"


@pytest.fixture(autouse=True)
def _fresh_undo_stack():
    undo_stack().clear()
    yield
    _close_dialogs()
    undo_stack().clear()
    wait_for_jobs(5000)


def _close_dialogs() -> None:
    """After a failure, dialogs left open close without asking (no question blocks teardown)."""
    from PySide6.QtWidgets import QDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            if hasattr(widget, "mark_loaded"):
                widget._loaded_values = widget.values()
            QDialog.reject(widget)


class Journey:
    """A user at the keyboard: keys go where a keyboard sends them (a popup, else the focus)."""

    def __init__(self, qtbot, window, folder: Path) -> None:
        self.qtbot, self.window, self.folder = qtbot, window, folder
        self.shots: list[Path] = []

    # -- where the keys go --------------------------------------------------------------
    def front(self) -> QWidget:
        """The window the keyboard is in: the open dialog, else the main window."""
        return QApplication.activeModalWidget() or self.window

    def target(self) -> QWidget:
        popup = QApplication.activePopupWidget()
        if popup is not None:
            return popup
        front = self.front()
        if QApplication.activeWindow() is not front:
            front.activateWindow()  # a desktop activates a window that opens or comes back
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is front)
        return QApplication.focusWidget() or front

    def type(self, text: str) -> None:
        for char in text:  # each key to whatever has the focus then (a cell editor opens)
            self.qtbot.keyClicks(self.target(), char)

    def press(self, key, modifier=NONE, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(self.target(), key, modifier)

    def tab(self, times: int = 1) -> None:
        self.press(KEY.Key_Tab, times=times)

    def retype(self, text: str) -> None:
        """Select what the focused field holds (Ctrl+A), then type over it."""
        self.press(KEY.Key_A, CTRL)
        self.type(text)

    def pick(self, typed: str, down: bool = False) -> None:
        """Type into a picker, wait for its suggestions, take the first (Down first if asked)."""
        self.type(typed)
        self.qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
        if down:
            self.press(KEY.Key_Down)
        self.press(KEY.Key_Return)

    # -- what opens ------------------------------------------------------------------------
    def dialog(self, cls_name: str) -> QWidget:
        """The modal dialog of class ``cls_name`` that the last keys opened, activated."""
        self.qtbot.waitUntil(
            lambda: type(QApplication.activeModalWidget()).__name__ == cls_name, timeout=5000
        )
        dialog = QApplication.activeModalWidget()
        dialog.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        self.qtbot.waitUntil(lambda: not getattr(dialog, "loading", False), timeout=10000)
        return dialog

    def answer_next_question(self, key, modifier=NONE) -> list[str]:
        """Press ``key`` in the next message box (it runs its own event loop, so from a timer)."""
        seen: list[str] = []

        def press() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(10, press)
                return
            if QApplication.activeWindow() is not box:  # shortcuts reach the active window only
                box.activateWindow()
                QTimer.singleShot(10, press)
                return
            seen.append(box.windowTitle())
            QTest.keyClick(QApplication.focusWidget() or box, key, modifier)

        QTimer.singleShot(0, press)
        return seen

    def closed(self, dialog: QWidget) -> None:
        """The form saved on the pool and closed (a form deleted on close counts too)."""

        def gone() -> bool:
            try:
                return not dialog.isVisible()
            except RuntimeError:  # closed and deleted already
                return True

        self.qtbot.waitUntil(gone, timeout=10000)

    def shot(self, name: str, widget: QWidget | None = None) -> None:
        path = self.folder / f"journey-{len(self.shots) + 1:02d}-{name}.png"
        (widget or self.front()).grab().save(str(path))
        self.shots.append(path)

    # -- the main window -------------------------------------------------------------------
    def open_by_search(self, typed: str, kind: str, record_id: int):
        """Ctrl+F, type, Enter on the hit: the record's page, once its figures are in."""
        self.press(KEY.Key_F, CTRL)
        self.type(typed)
        popup = self.window.search.popup
        self.qtbot.waitUntil(
            lambda: (
                popup.isVisible()
                and any(
                    h.kind == kind and h.id == record_id for h in self.window.search.model.hits()
                )
            ),
            timeout=5000,
        )
        for _ in range(len(self.window.search.model.hits())):  # down to the record wanted
            hit = popup.currentIndex().data(HIT_ROLE)
            if hit is not None and (hit.kind, hit.id) == (kind, record_id):
                break
            self.press(KEY.Key_Down)
        self.press(KEY.Key_Return)
        page = self.window.details[kind]
        self.qtbot.waitUntil(
            lambda: (
                self.window.stack.currentWidget() is page
                and page.record_id == record_id
                and page.detail is not None
                and page.body.isVisible()
            ),
            timeout=5000,
        )
        return page

    def reloaded(self, page, check) -> None:
        self.qtbot.waitUntil(lambda: page.detail is not None and check(page.detail), timeout=5000)


def _main_window(qtbot, database, folder: Path):
    from ui.main_window import MainWindow

    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _day(value) -> str:
    return value.strftime("%d/%m/%Y")


def test_done_when_the_whole_prg_journey_from_the_keyboard(
    qtbot, sqlite_database, tmp_path, monkeypatch
):
    from vru_crm.governance import actions, agenda, agenda_items, attendance, letters, meetings
    from vru_crm.governance import networks as nets
    from vru_crm.queries.organisations import OrganisationQuery
    from vru_crm.queries.people import PersonQuery

    db = sqlite_database
    window = _main_window(qtbot, db, tmp_path)
    j = Journey(qtbot, window, tmp_path)
    today = today_in_london()
    assert nets.network_choices(db, include_archived=True) == []  # a new, empty database
    j.shot("empty", window)

    # 1. People and an organisation, each with its New form.
    for name in ("Sadiq Khan", "Lib Peck", "Sophie Linden"):
        j.press(KEY.Key_N, CTRL | SHIFT)  # New person
        form = j.dialog("PersonDialog")
        j.type(name)
        j.press(KEY.Key_Return)
        j.closed(form)
    assert PersonQuery(db).count() == 3
    j.press(KEY.Key_N, CTRL)  # on Home, Ctrl+N is a new organisation
    form = j.dialog("OrganisationDialog")
    j.type("Hackney CVS")
    j.tab()
    j.type("Charity")  # type-ahead in the sector list
    assert form.sector.currentData() == "charity"
    j.press(KEY.Key_Return, CTRL)
    j.closed(form)
    assert OrganisationQuery(db).count() == 1

    # 2. The PRG: Networks (Ctrl+4), Ctrl+N there makes a network.
    j.press(KEY.Key_4, CTRL)
    assert window.current_key() == "networks"
    j.press(KEY.Key_N, CTRL)
    form = j.dialog("NetworkDialog")
    j.type("Partnership Reference Group")
    j.tab()
    j.type("PRG")
    j.tab()
    j.type("Board")
    j.tab()
    j.type("The Mayor's partnership board for violence reduction.")
    j.tab()
    j.type("quarterly, second Tuesday, 10:00 to 12:00")
    assert (
        form.understood.text() == "Understood as: Quarterly, on the second Tuesday, 10:00 to 12:00."
    )
    j.tab()
    j.retype("14")  # tolerance
    j.tab()
    j.retype("28")  # publish minutes within (days)
    j.tab()
    j.retype("3")  # quorum
    for title, presenter, minutes in (
        ("Welcome and apologies", "Chair", "5"),
        ("VRU Director's update", "VRU Director", "20"),
        ("Any other business", "Chair", "10"),
    ):
        count = form.standing.list.count()
        j.press(KEY.Key_A, ALT)  # Add item: a new row, the cursor in its title
        qtbot.waitUntil(lambda c=count: form.standing.list.count() == c + 1)
        qtbot.waitUntil(form.standing.title.hasFocus)
        j.type(title)
        j.tab()
        j.type(presenter)
        j.tab()
        j.type(minutes)
    j.shot("network-form")
    j.press(KEY.Key_Return)
    j.closed(form)
    prg = nets.resolve_network(db, "prg")
    assert (prg.short_name, prg.kind, prg.cadence_rrule, prg.quorum) == (
        "PRG",
        "board",
        PRG_RULE,
        3,
    )
    assert [i.title for i in agenda_items.standing_items(db, prg.id)] == [
        "Welcome and apologies",
        "VRU Director's update",
        "Any other business",
    ]

    # 3. Open it (Ctrl+F, "PRG", Enter) and add its members: one picked, three pasted.
    page = j.open_by_search("PRG", "network", prg.id)
    j.press(KEY.Key_M, ALT)  # Add members…
    form = j.dialog("AddMembersDialog")
    j.pick("Sadiq")
    qtbot.waitUntil(lambda: form.picker.labels() == ["Sadiq Khan (person)"])
    j.press(KEY.Key_A, ALT)  # Paste names
    QApplication.clipboard().setText("Lib Peck\nSophie Linden\nHackney CVS")
    j.press(KEY.Key_V, CTRL)
    qtbot.waitUntil(lambda: len(form.ticked()) == 3, timeout=5000)
    j.press(KEY.Key_O, ALT)  # From: they joined at the start of the year's work
    joined = today - timedelta(days=120)
    j.retype(_day(joined))
    j.shot("members-form")
    j.press(KEY.Key_Return, CTRL)
    j.closed(form)
    members = {m.member_name: m for m in nets.memberships(db, prg.id)}
    assert set(members) == {"Sadiq Khan", "Lib Peck", "Sophie Linden", "Hackney CVS"}
    assert {m.start_date for m in members.values()} == {joined}
    j.reloaded(page, lambda d: d.current_members == 4)

    # 4. Schedule the next meeting at the slot offered (New meeting, Enter).
    slot = meetings.next_expected_slot(db, prg.id)
    assert slot is not None
    j.press(KEY.Key_T, ALT)  # New meeting…
    form = j.dialog("MeetingDialog")
    assert "Next expected" in form.slot_note.text()
    j.shot("meeting-form")
    j.press(KEY.Key_Return)
    j.closed(form)
    upcoming = meetings.get_meeting(db, form.meeting_id)
    assert (upcoming.starts_at, upcoming.ends_at, upcoming.network_id) == (*slot, prg.id)
    assert (london(upcoming.starts_at).hour, london(upcoming.starts_at).weekday()) == (10, 1)

    # 5. Its agenda: the builder drafts it on opening; standing items kept, numbered from 1.
    page = j.open_by_search(upcoming.title, "meeting", upcoming.id)
    j.press(KEY.Key_B, ALT)  # Build agenda…
    builder = j.dialog("AgendaBuilderDialog")
    numbers = [
        builder.list.topLevelItem(r).text(0) for r in range(builder.list.topLevelItemCount())
    ]
    titles = [builder.list.topLevelItem(r).text(1) for r in range(builder.list.topLevelItemCount())]
    assert numbers == [f"{n}." for n in range(1, len(numbers) + 1)]
    assert titles[0] == "Welcome and apologies" and titles[-1] == "Any other business"
    assert "VRU Director's update" in titles
    j.shot("agenda")
    j.press(KEY.Key_Escape)
    j.closed(builder)

    # 6. A meeting that has started: scheduled on a past date, by keys, from the PRG's page.
    page = j.open_by_search("PRG", "network", prg.id)
    held_day = today - timedelta(days=14)
    j.press(KEY.Key_T, ALT)
    form = j.dialog("MeetingDialog")
    j.tab()  # from the title to the date
    j.retype(_day(held_day))
    j.tab()
    assert form.starts.text() == "10:00"
    j.press(KEY.Key_Return)
    j.closed(form)
    past = meetings.get_meeting(db, form.meeting_id)
    assert london(past.starts_at).date() == held_day and past.status == "planned"

    # 7. Recorded held: All present, then one apology, by keys.
    page = j.open_by_search(past.title, "meeting", past.id)
    j.press(KEY.Key_L, ALT)  # Record as held…
    form = j.dialog("MeetingRecordDialog")
    assert not form.banner.isVisible()  # it has started: nothing refused
    j.press(KEY.Key_L, ALT)  # All present
    qtbot.waitUntil(lambda: form.quorum_label.text().startswith("3 present"))
    assert QApplication.focusWidget() is form.attendance  # the keys go down the list
    j.type("Lib")
    assert form.attendance.name(form.attendance.currentRow()) == "Lib Peck"
    j.press(KEY.Key_A)  # apologies
    assert form.quorum_label.text().startswith("2 present; quorum 3")
    j.shot("record-held")
    j.press(KEY.Key_S, CTRL)
    qtbot.waitUntil(lambda: meetings.get_meeting(db, past.id).status == "held", timeout=5000)
    statuses = {m.name: m.status for m in attendance.meeting_members(db, past.id)}
    assert statuses["Lib Peck"] == "apologies"
    assert statuses["Sadiq Khan"] == statuses["Sophie Linden"] == "present"
    j.press(KEY.Key_Escape)
    j.closed(form)

    # 8. Two actions raised at it, owners picked by typing (a person, a team).
    for text, owner, due in (
        ("Circulate the work programme", "Sophie", None),
        ("Map community stakeholders in Hackney", "Hackney", today + timedelta(days=30)),
    ):
        j.press(KEY.Key_T, ALT)  # Raise action…
        form = j.dialog("ActionDialog")
        j.type(text)
        j.tab()
        j.pick(owner, down=True)
        j.tab()
        if due is not None:
            j.type(_day(due))
        if text.startswith("Map"):
            j.shot("action-form")
        j.press(KEY.Key_Return)
        j.closed(form)
    raised = {a.text: a for a in actions.list_actions(db)}
    assert raised["Circulate the work programme"].owner == "Sophie Linden"
    assert raised["Circulate the work programme"].owner_kind == "person"
    assert raised["Map community stakeholders in Hackney"].owner_kind == "organisation"
    assert {a.meeting_id for a in raised.values()} == {past.id}

    # 9. Both are carried onto the next meeting's agenda: rebuild it from what is open.
    page = j.open_by_search(upcoming.title, "meeting", upcoming.id)
    j.press(KEY.Key_A, CTRL | SHIFT)  # Build agenda for this meeting
    builder = j.dialog("AgendaBuilderDialog")
    asked = j.answer_next_question(KEY.Key_Y, ALT)  # "Rebuild the agenda?" Yes (Alt+Y)
    j.press(KEY.Key_B, ALT)  # Build from what is open…
    qtbot.waitUntil(lambda: asked == ["Rebuild the agenda?"], timeout=5000)
    builder = j.dialog("AgendaBuilderDialog")
    rows = agenda.get_agenda(db, upcoming.id).items
    [arising] = [i for i in rows if i.kind == "matters_arising"]
    assert "Circulate the work programme (Sophie Linden" in arising.notes
    assert "Map community stakeholders in Hackney (Hackney CVS" in arising.notes
    titles = [builder.list.topLevelItem(r).text(1) for r in range(builder.list.topLevelItemCount())]
    assert arising.title in titles and titles[-1] == "Any other business"
    assert [i.number for i in rows] == list(range(1, len(rows) + 1))
    j.shot("agenda-matters-arising")
    j.press(KEY.Key_Escape)
    j.closed(builder)

    # 10. The Committee's letter, pasted: its ten recommendations found, confirmed, saved.
    j.press(KEY.Key_R, ALT)  # the Governance menu
    j.press(KEY.Key_L)  # New letter…
    form = j.dialog("LetterDialog")
    j.press(KEY.Key_T, ALT)  # Letter text
    QApplication.clipboard().setText(COMMITTEE.read_text(encoding="utf-8"))
    j.press(KEY.Key_V, CTRL)
    qtbot.waitUntil(lambda: form.table.rowCount() == 10, timeout=5000)
    assert form.found_note.text() == "Found 10 recommendations: check them below."
    assert form.sender.text() == "Police and Crime Committee"
    j.shot("letter-form")
    j.press(KEY.Key_Return, CTRL)
    j.closed(form)
    [letter] = letters.list_letters(db)
    assert len(letter.recommendations) == 10
    assert sorted(r.number for r in letter.recommendations) == list(range(1, 11))

    # 11. The calendar: Cadence and minutes (Ctrl+Shift+C), Export calendar (Alt+E).
    saved = tmp_path / "vru.ics"
    monkeypatch.setattr(  # the file chooser's answer
        "ui.governance.cadence_panel.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(saved), "iCalendar (*.ics)"),
    )
    j.press(KEY.Key_C, CTRL | SHIFT)
    qtbot.waitUntil(lambda: _panel(window) is not None, timeout=5000)
    host = _panel(window)
    host.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is host)
    qtbot.keyClick(QApplication.focusWidget() or host, KEY.Key_E, ALT)
    qtbot.waitUntil(saved.exists, timeout=5000)
    j.shot("cadence-export", host)
    calendar = icalendar.Calendar.from_ical(saved.read_bytes())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    for meeting in (upcoming, past):
        assert meeting.uid in events
        assert str(events[meeting.uid]["SUMMARY"]) == meeting.title
        assert events[meeting.uid].decoded("DTSTART") == london(meeting.starts_at)
    host.close()
    assert all(p.stat().st_size > 0 for p in j.shots)


def _panel(window):
    from PySide6.QtWidgets import QDialog

    return next(
        (
            w
            for w in window.findChildren(QDialog)
            if w.objectName() == "panel_CadencePanel" and w.isVisible()
        ),
        None,
    )
