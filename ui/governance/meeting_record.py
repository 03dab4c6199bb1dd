"""Record a meeting as held: who attended, what it agreed, and its minutes' next step.

Made to be done in seconds at the end of a meeting, from the keyboard: every
current member is listed (names and roles read-only), "All present" then the
exceptions by keys (P, A, X or Space on a row; typing a name jumps to it),
guests added by name, the quorum counted as you go. A meeting that has not
started yet cannot be recorded as held, and the form says so as it opens,
before anything is typed.

Recording and agreeing happen in one unit of work, so a refused step (say,
agreeing minutes that were never drafted) leaves the meeting exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.enums import MinutesStatus
from db.session import Database
from ui.events import data_events
from ui.governance.attendance_table import PRESENT, AttendanceTable
from ui.governance.common import ErrorBanner, pydate, qdate
from ui.style import format_date
from ui.team.rights import guard
from vru_crm.governance import minutes as minutes_service
from vru_crm.governance.agenda import get_agenda
from vru_crm.governance.common import format_day
from vru_crm.london import today_in_london

NEXT_LABEL = {
    MinutesStatus.NONE: "Mark minutes as &drafted",
    MinutesStatus.DRAFT: "A&pprove the minutes",
    MinutesStatus.APPROVED: "P&ublish the minutes",
}
KEYS_HELP = (
    "On a row: P present · A apologies · X absent · Space cycles · Delete clears. "
    "Type a name to jump to it. Members left unmarked are recorded as absent."
)


class GuestEdit(QLineEdit):
    """A guest's name: Enter adds it (and does not save the whole form)."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.text().strip():
            self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class GuestList(QListWidget):
    """The guests added; Delete removes the one chosen."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentRow() >= 0:
            self.takeItem(self.currentRow())
            event.accept()
            return
        super().keyPressEvent(event)


class MeetingRecordDialog(QDialog):
    """Attendance per member, guests, the minutes items to agree, and the minutes workflow.

    Every read and every save runs on the thread pool: the dialog is held (nothing can
    be set) while the meeting is read, and while a save is on its way; ``saved`` fires
    once the saved meeting is shown again, ``save_failed`` with the words shown.
    """

    saved = Signal()
    save_failed = Signal(str)

    def __init__(self, database: Database, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.meeting_id = meeting_id
        self.version: int | None = None
        self.quorum: int | None = None
        self.held = False
        self.problem: str | None = None
        self._minutes_status_shown = MinutesStatus.NONE.value
        self._job = None  # the save on its way
        self._held_problem: str | None = None  # the problem shown before a save began
        self.setWindowTitle("Record the meeting")
        self.resize(760, 660)
        self._build_widgets()
        self._layout()
        self._connect()
        buttons = (self.all_present, self.add_guest, self.record_button)
        guard(database, [(b, "meeting") for b in buttons])
        self._open_later()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        from ui.dialogs.base import fit_to_screen

        super().showEvent(event)
        fit_to_screen(self)  # at 200 % on a laptop the buttons stay on screen

    # --- construction -------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.header = QLabel()
        self.banner = ErrorBanner()
        self.banner.setAccessibleName("Message")
        self.keys_help = QLabel(KEYS_HELP)
        self.keys_help.setWordWrap(True)
        self.keys_help.setStyleSheet("color: palette(placeholder-text);")
        self.attendance = AttendanceTable()
        self.all_present = QPushButton("A&ll present")
        self.all_present.setToolTip("Mark every member present, then set the exceptions by keys")
        self.quorum_label = QLabel()
        self.quorum_label.setAccessibleName("Quorum")
        self.guest_name = GuestEdit()
        self.guest_name.setAccessibleName("Guest name")
        self.guest_name.setPlaceholderText("A guest's name (not a member), then Enter")
        self.add_guest = QPushButton("Add &guest")
        self.guests = GuestList()
        self.guests.setAccessibleName("Guests")
        self.guests.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self.agree_boxes: dict[int, QCheckBox] = {}
        self.agree_group = QGroupBox("Decisions")
        self.agree_layout = QVBoxLayout(self.agree_group)
        self.record_button = QPushButton("&Record as held")
        self.record_button.setDefault(True)
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.minutes_status = QLabel()
        self.minutes_date = QDateEdit(qdate(today_in_london()))
        self.minutes_date.setCalendarPopup(True)
        self.minutes_date.setDisplayFormat("dd/MM/yyyy")
        self.minutes_date.setAccessibleName("Minutes date")
        self.minutes_url = QLineEdit()
        self.minutes_url.setAccessibleName("Minutes link")
        self.minutes_url.setPlaceholderText(
            "https://www.london.gov.uk/… where the minutes are published"
        )
        self.minutes_button = QPushButton()
        for button in (self.all_present, self.add_guest, self.minutes_button):
            button.setAutoDefault(False)

    def _layout(self) -> None:
        minutes = QGroupBox("Minutes")
        form = QFormLayout(minutes)
        form.addRow("Status", self.minutes_status)
        form.addRow("Da&te", self.minutes_date)
        form.addRow("Publis&hed at", self.minutes_url)
        form.labelForField(self.minutes_date).setBuddy(self.minutes_date)
        form.labelForField(self.minutes_url).setBuddy(self.minutes_url)
        form.addRow("", self.minutes_button)
        self.minutes_group = minutes
        heading = QLabel("<b>&Attendance</b>")
        heading.setBuddy(self.attendance)
        under = QHBoxLayout()
        under.addWidget(self.all_present)
        under.addWidget(self.quorum_label, 1)
        guests = QHBoxLayout()
        guest_label = QLabel("Gu&ests")
        guest_label.setBuddy(self.guest_name)
        guests.addWidget(guest_label)
        guests.addWidget(self.guest_name, 1)
        guests.addWidget(self.add_guest)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(heading)
        layout.addWidget(self.keys_help)
        layout.addWidget(self.attendance, 1)
        layout.addLayout(under)
        layout.addLayout(guests)
        layout.addWidget(self.guests)
        layout.addWidget(self.agree_group)
        layout.addWidget(minutes)
        layout.addLayout(buttons)
        order = [
            self.attendance,
            self.all_present,
            self.guest_name,
            self.add_guest,
            self.guests,
            self.minutes_date,
            self.minutes_url,
            self.minutes_button,
            self.record_button,
            self.close_button,
        ]
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _connect(self) -> None:
        self.attendance.changed.connect(self._show_quorum)
        self.all_present.clicked.connect(self.mark_all_present)
        self.guest_name.submitted.connect(self.add_guest_named)
        self.add_guest.clicked.connect(self.add_guest_named)
        self.record_button.clicked.connect(self.record_held)
        self.close_button.clicked.connect(self.reject)
        self.minutes_button.clicked.connect(self.advance_minutes)
        for keys in (QKeySequence.StandardKey.Save, QKeySequence("Ctrl+Return")):
            QShortcut(keys, self).activated.connect(self.record_held)

    # --- showing ------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """The meeting is still being read on the pool (nothing can be set or saved yet)."""
        return self._loader.busy

    @property
    def working(self) -> bool:
        """A read or a save is on its way (the dialog is held meanwhile)."""
        return self.loading or self._job is not None

    def _open_later(self) -> None:
        """Read the meeting on the pool: the window opens at once, held, saying Loading….

        Nothing can be typed or saved until the meeting arrives, so a late answer never
        replaces what the user set; a failed read is said in the banner.
        """
        from ui.models.loader import Loader

        self._loader = Loader(self)
        self._loader.loaded.connect(self._arrived)
        self._loader.failed.connect(self._failed)
        self.header.setText("Loading…")
        self._read_again()

    def _read_again(self) -> None:
        self.problem = "The meeting is still being read."
        self._hold()
        self._loader.load(_read_meeting, self.database, self.meeting_id)

    def _hold(self) -> None:
        for widget in (*self._record_widgets(), self.minutes_button, self.minutes_date):
            widget.setEnabled(False)
        self.minutes_url.setEnabled(False)

    def _arrived(self, found: _MeetingRead) -> None:
        self._show(found)
        self.attendance.setFocus()

    def _failed(self, message: str, _error: BaseException) -> None:
        self.header.setText("")
        self.banner.show_error(f"This meeting cannot be opened: {message}")

    def reload(self) -> None:
        """Read the meeting again on the pool and show it (held until it arrives)."""
        self._read_again()

    def _show(self, found: _MeetingRead) -> None:
        agenda = found.agenda
        self.version = found.version
        self.held = agenda.status == "held"
        network = agenda.network
        self.header.setText(
            f"<span style='font-size:14pt; font-weight:bold'>{agenda.title}</span>"
            f"<br/>{network + ' · ' if network and network not in agenda.title else ''}"
            f"{format_day(agenda.starts_at.date())}, {agenda.starts_at:%H:%M} · {agenda.status}"
        )
        self.setWindowTitle(f"Record the meeting: {agenda.title}")
        self.quorum = found.quorum
        self.attendance.set_members(found.members)
        self.guests.clear()
        self.guests.addItems(found.guests)
        self.guests.setVisible(self.guests.count() > 0)
        self._fill_decisions(agenda)
        self._show_minutes(found.minutes)
        self._show_quorum()
        self.record_button.setText(
            "&Save attendance and decisions" if self.held else "&Record as held"
        )
        self.problem = None if self.held else found.held_problem
        self._show_problem()

    def _record_widgets(self) -> tuple[QWidget, ...]:
        return (
            self.attendance,
            self.all_present,
            self.guest_name,
            self.add_guest,
            self.guests,
            self.agree_group,
            self.record_button,
        )

    def _show_problem(self) -> None:
        """Not started yet (or cancelled): say so at once, and offer nothing to type."""
        usable = self.problem is None
        if not usable:
            self.banner.show_error(self.problem)  # type: ignore[arg-type]
        for widget in self._record_widgets():
            widget.setEnabled(usable)

    def _fill_decisions(self, agenda) -> None:
        for box in self.agree_boxes.values():
            box.setParent(None)
        self.agree_boxes = {}
        for item in agenda.items:
            if item.kind == "minutes":
                box = QCheckBox(f"{item.title}: agreed as an accurate record")
                box.setChecked(item.outcome == "agreed")
                self.agree_layout.addWidget(box)
                self.agree_boxes[item.id] = box
        self.agree_group.setVisible(bool(self.agree_boxes))

    def statuses(self) -> dict[int, str]:
        """Person id -> attendance status, for the rows the user has set."""
        return self.attendance.statuses()

    def guest_names(self) -> list[str]:
        return [self.guests.item(i).text() for i in range(self.guests.count())]

    def set_status(self, name: str, status: str | None) -> None:
        for row in range(self.attendance.rowCount()):
            if self.attendance.name(row) == name:
                self.attendance.set_status(row, status)

    def mark_all_present(self) -> None:
        self.attendance.set_all(PRESENT)
        self.attendance.setFocus()

    def add_guest_named(self) -> None:
        name = " ".join(self.guest_name.text().split())
        if not name:
            return
        if name.casefold() not in {g.casefold() for g in self.guest_names()}:
            self.guests.addItem(name)
        self.guests.show()
        self.guest_name.clear()
        self._show_quorum()

    def _show_quorum(self) -> None:
        present = self.attendance.present_members()  # guests and non-members do not count
        guests = self.guests.count()
        extra = f" · {guests} guest{'s' if guests != 1 else ''}" if guests else ""
        if self.quorum is None:
            self.quorum_label.setText(f"{present} present; the network sets no quorum{extra}")
            self.quorum_label.setStyleSheet("")
        elif present >= self.quorum:
            self.quorum_label.setText(f"{present} present; quorum {self.quorum}: quorate{extra}")
            self.quorum_label.setStyleSheet("color: #1b5e20;")
        else:
            self.quorum_label.setText(
                f"{present} present; quorum {self.quorum}: not quorate{extra}"
            )
            self.quorum_label.setStyleSheet("color: #b3261e; font-weight: bold;")

    def _show_minutes(self, minutes: tuple[str, object]) -> None:
        """The minutes step; ``minutes`` is (status, late state) read on the pool."""
        status, state = minutes
        self._minutes_status_shown = status
        text = status
        if state is not None:
            text += f" — {state.days} days late (due {format_date(state.deadline)})"
        self.minutes_status.setText(text)
        step = NEXT_LABEL.get(MinutesStatus(status))
        self.minutes_button.setText(step or "Published")
        self.minutes_button.setEnabled(self.held and step is not None)
        self.minutes_url.setEnabled(status == MinutesStatus.APPROVED)
        self.minutes_date.setEnabled(self.held and step is not None)

    # --- changing -----------------------------------------------------------------------
    def record_held(self) -> bool:
        """Save attendance, guests and decisions on the pool; True if the save was started.

        The dialog is held until the saved meeting is shown again; a refusal is said
        in the banner, and what was set stays on screen.
        """
        if self.problem is not None or self.working:
            return False
        outcomes = {
            item_id: ("agreed" if box.isChecked() else None)
            for item_id, box in self.agree_boxes.items()
        }
        self._save_later(
            _record_and_read,
            self.meeting_id,
            self.statuses(),
            outcomes,
            self.guest_names(),
            self.version,
        )
        return True

    def advance_minutes(self) -> bool:
        """Take the minutes to their next step on the pool; True if the step was started."""
        target = minutes_service.NEXT_STEP.get(MinutesStatus(self._minutes_status_shown))
        if target is None or self.working or not self.held:
            return False
        self._save_later(
            _advance_and_read,
            self.meeting_id,
            target.value,
            pydate(self.minutes_date.date()),
            self.minutes_url.text() or None,
        )
        return True

    def _save_later(self, work, *args) -> None:
        from ui.workers import Job

        self.banner.clear_error()
        self._held_problem, self.problem = self.problem, "Saving…"
        self._hold()
        self.record_button.setText("Saving…")
        self._job = Job(work, self.database, *args, pass_context=False)
        self._job.finished.connect(self._saved)
        self._job.failed.connect(self._save_refused)
        self._job.start()

    def _saved(self, answer: tuple[object, _MeetingRead]) -> None:
        self._job = None
        quorum, found = answer
        data_events().changed.emit("meeting", self.meeting_id)
        self._show(found)
        if quorum is not None and quorum.quorate is False:  # type: ignore[attr-defined]
            self.banner.show_error(
                f"Recorded. The meeting was not quorate: {quorum.present} present, "  # type: ignore[attr-defined]
                f"{quorum.quorum} needed."  # type: ignore[attr-defined]
            )
        self.saved.emit()

    def _save_refused(self, message: str, _error: object = None) -> None:
        """Said in words; everything set stays on screen, usable again."""
        self._job = None
        self.problem = self._held_problem
        self.record_button.setText(
            "&Save attendance and decisions" if self.held else "&Record as held"
        )
        self._show_problem()
        status = self._minutes_status_shown
        step = NEXT_LABEL.get(MinutesStatus(status))
        self.minutes_button.setEnabled(self.held and step is not None)
        self.minutes_date.setEnabled(self.held and step is not None)
        self.minutes_url.setEnabled(status == MinutesStatus.APPROVED)
        self.banner.show_error(message)
        self.save_failed.emit(message)


@dataclass(frozen=True)
class _MeetingRead:
    """Everything the dialog shows about its meeting, read in one go on the pool."""

    agenda: object
    version: int
    quorum: int | None
    members: list
    guests: list[str]
    held_problem: str | None
    minutes: tuple[str, object]


def _read_meeting(database: Database, meeting_id: int) -> _MeetingRead:
    from vru_crm.governance import attendance, meetings

    agenda = get_agenda(database, meeting_id)
    return _MeetingRead(
        agenda=agenda,
        version=meetings.get_meeting(database, meeting_id).version,
        quorum=attendance.quorum_of(database, meeting_id).quorum,
        members=list(attendance.meeting_members(database, meeting_id)),
        guests=list(attendance.meeting_guests(database, meeting_id)),
        held_problem=None
        if agenda.status == "held"
        else attendance.held_problem(database, meeting_id),
        minutes=_read_minutes(database, meeting_id),
    )


def _record_and_read(
    database: Database,
    meeting_id: int,
    statuses: dict[int, str],
    outcomes: dict[int, str | None],
    guests: list[str],
    version: int | None,
) -> tuple[object, _MeetingRead]:
    """On the pool: record the meeting held (one unit of work), then read it again."""
    from vru_crm.governance.attendance import record_meeting_held

    quorum = record_meeting_held(
        database,
        meeting_id,
        statuses,
        outcomes=outcomes,
        guests=guests,
        expected_version=version,
    )
    return quorum, _read_meeting(database, meeting_id)


def _advance_and_read(
    database: Database, meeting_id: int, target: str, on: date, url: str | None
) -> tuple[None, _MeetingRead]:
    """On the pool: take the minutes to ``target``, then read the meeting again."""
    minutes_service.advance_minutes(database, meeting_id, target, on=on, url=url)
    return None, _read_meeting(database, meeting_id)


def _read_minutes(database: Database, meeting_id: int) -> tuple[str, object]:
    """The meeting's minutes status, and how late they are (None when not late)."""
    late = next(
        (m for m in minutes_service.late_minutes(database) if m.meeting_id == meeting_id), None
    )
    return minutes_service.minutes_state(database, meeting_id).status, late
