"""Record a meeting as held: who attended, what it agreed, and its minutes' next step.

Recording and agreeing happen in one unit of work, so a refused step (say,
agreeing minutes that were never drafted) leaves the meeting exactly as it was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.enums import AttendanceStatus, MinutesStatus
from db.session import Database
from ui.events import data_events
from ui.governance.common import ErrorBanner, pydate, qdate
from vru_crm.governance import minutes as minutes_service
from vru_crm.governance.agenda import get_agenda
from vru_crm.governance.attendance import meeting_members, quorum_of, record_meeting_held
from vru_crm.governance.common import format_day
from vru_crm.london import today_in_london

STATUSES = [s.value for s in AttendanceStatus]
NEXT_LABEL = {
    MinutesStatus.NONE: "Mark minutes as drafted",
    MinutesStatus.DRAFT: "Approve the minutes",
    MinutesStatus.APPROVED: "Publish the minutes",
}


class MeetingRecordDialog(QDialog):
    """Attendance per member, the minutes items to agree, and the minutes workflow."""

    def __init__(self, database: Database, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.meeting_id = meeting_id
        self.setWindowTitle("Record the meeting")
        self.resize(720, 640)
        self.banner = ErrorBanner()
        self.header = QLabel()
        self.attendance = QTableWidget(0, 3)
        self.attendance.setHorizontalHeaderLabels(["Member", "Role", "Attendance"])
        self.attendance.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.attendance.verticalHeader().hide()
        self.quorum_label = QLabel()
        self.agree_boxes: dict[int, QCheckBox] = {}
        self.agree_group = QGroupBox("Decisions")
        self.agree_layout = QVBoxLayout(self.agree_group)
        self.record_button = QPushButton("Record as held")
        self.minutes_status = QLabel()
        self.minutes_date = QDateEdit(qdate(today_in_london()))
        self.minutes_date.setCalendarPopup(True)
        self.minutes_date.setDisplayFormat("dd/MM/yyyy")
        self.minutes_url = QLineEdit()
        self.minutes_url.setPlaceholderText(
            "https://www.london.gov.uk/… where the minutes are published"
        )
        self.minutes_button = QPushButton()
        self._layout()
        self.record_button.clicked.connect(self.record_held)
        self.minutes_button.clicked.connect(self.advance_minutes)
        self.reload()

    def _layout(self) -> None:
        minutes = QGroupBox("Minutes")
        form = QFormLayout(minutes)
        form.addRow("Status", self.minutes_status)
        form.addRow("Date", self.minutes_date)
        form.addRow("Published at", self.minutes_url)
        form.addRow("", self.minutes_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(QLabel("<b>Attendance</b>"))
        layout.addWidget(self.attendance, 1)
        layout.addWidget(self.quorum_label)
        layout.addWidget(self.agree_group)
        layout.addLayout(buttons)
        layout.addWidget(minutes)

    # --- showing ------------------------------------------------------------------------

    def reload(self) -> None:
        agenda = get_agenda(self.database, self.meeting_id)
        self.held = agenda.status == "held"
        self.header.setText(
            f"<span style='font-size:14pt; font-weight:bold'>{agenda.network or agenda.title}</span>"
            f"<br/>{format_day(agenda.starts_at.date())}, {agenda.starts_at:%H:%M} · {agenda.status}"
        )
        self._fill_attendance()
        self._fill_decisions(agenda)
        self._show_minutes()
        self.record_button.setText(
            "Save attendance and decisions" if self.held else "Record as held"
        )

    def _fill_attendance(self) -> None:
        members = meeting_members(self.database, self.meeting_id)
        self.attendance.setRowCount(0)  # drops the old rows' drop-downs too
        self.attendance.setRowCount(len(members))
        for row, member in enumerate(members):
            name = QTableWidgetItem(member.name)
            name.setData(Qt.ItemDataRole.UserRole, member.person_id)
            self.attendance.setItem(row, 0, name)
            self.attendance.setItem(row, 1, QTableWidgetItem(member.role))
            combo = QComboBox()
            combo.addItem("—", None)
            for status in STATUSES:
                combo.addItem(status, status)
            combo.setCurrentIndex(max(0, combo.findData(member.status)))
            combo.currentIndexChanged.connect(lambda _i: self._show_quorum())
            self.attendance.setCellWidget(row, 2, combo)
        self._show_quorum()

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
        result = {}
        for row in range(self.attendance.rowCount()):
            status = self.attendance.cellWidget(row, 2).currentData()
            if status:
                result[self.attendance.item(row, 0).data(Qt.ItemDataRole.UserRole)] = status
        return result

    def set_status(self, name: str, status: str) -> None:
        for row in range(self.attendance.rowCount()):
            if self.attendance.item(row, 0).text() == name:
                combo = self.attendance.cellWidget(row, 2)
                combo.setCurrentIndex(combo.findData(status))

    def _show_quorum(self) -> None:
        present = sum(s == "present" for s in self.statuses().values())
        quorum = quorum_of(self.database, self.meeting_id).quorum
        if quorum is None:
            self.quorum_label.setText(f"Present: {present} (the network sets no quorum)")
            self.quorum_label.setStyleSheet("")
        elif present >= quorum:
            self.quorum_label.setText(f"Present: {present} of a quorum of {quorum}: quorate")
            self.quorum_label.setStyleSheet("color: #1b5e20;")
        else:
            self.quorum_label.setText(f"Present: {present} of a quorum of {quorum}: NOT quorate")
            self.quorum_label.setStyleSheet("color: #b00020; font-weight: bold;")

    def _show_minutes(self) -> None:
        state = next(
            (
                m
                for m in minutes_service.late_minutes(self.database)
                if m.meeting_id == self.meeting_id
            ),
            None,
        )
        status = self._minutes_status()
        text = status
        if state is not None:
            text += f" — {state.days} days late (due {state.deadline:%d/%m/%Y})"
        self.minutes_status.setText(text)
        step = NEXT_LABEL.get(MinutesStatus(status))
        self.minutes_button.setText(step or "Published")
        self.minutes_button.setEnabled(self.held and step is not None)
        self.minutes_url.setEnabled(status == MinutesStatus.APPROVED)

    def _minutes_status(self) -> str:
        return minutes_service.minutes_state(self.database, self.meeting_id).status

    # --- changing -----------------------------------------------------------------------

    def record_held(self) -> bool:
        outcomes = {
            item_id: ("agreed" if box.isChecked() else None)
            for item_id, box in self.agree_boxes.items()
        }
        try:
            quorum = record_meeting_held(self.database, self.meeting_id, self.statuses(), outcomes)
        except Exception as error:
            self.banner.show_error(error)
            return False
        self.banner.clear_error()
        data_events().changed.emit("meeting", self.meeting_id)
        self.reload()
        if quorum.quorate is False:
            self.banner.show_error(
                f"Recorded. The meeting was not quorate: {quorum.present} present, "
                f"{quorum.quorum} needed."
            )
        return True

    def advance_minutes(self) -> bool:
        status = MinutesStatus(self._minutes_status())
        target = minutes_service.NEXT_STEP.get(status)
        if target is None:
            return False
        try:
            minutes_service.advance_minutes(
                self.database,
                self.meeting_id,
                target.value,
                on=pydate(self.minutes_date.date()),
                url=self.minutes_url.text() or None,
            )
        except Exception as error:
            self.banner.show_error(error)
            return False
        self.banner.clear_error()
        data_events().changed.emit("meeting", self.meeting_id)
        self._show_minutes()
        return True
