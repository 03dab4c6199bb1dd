"""Who came to a meeting, set from the keyboard: names and roles read-only, status by keys.

The names are the members' records: nothing typed here may change them, so no
cell is editable (Tab leaves the table instead of walking its cells). On the
chosen row, P marks present, A apologies, X absent, Space cycles through them
and Delete clears. Other letters jump down the list to the member whose name
(or a word of it) starts with what was typed; a P, A or X that carries on a
name being typed ("Sop…") goes on finding, one that matches nothing sets the status.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

PRESENT, APOLOGIES, ABSENT = "present", "apologies", "absent"
STATUS_WORDS = {PRESENT: "Present", APOLOGIES: "Apologies", ABSENT: "Absent", None: "—"}
STATUS_KEYS = {Qt.Key.Key_P: PRESENT, Qt.Key.Key_A: APOLOGIES, Qt.Key.Key_X: ABSENT}
CYCLE = {None: PRESENT, PRESENT: APOLOGIES, APOLOGIES: ABSENT, ABSENT: PRESENT}
STATUS_COLOURS = {APOLOGIES: QColor("#8a5a00"), ABSENT: QColor("#b3261e")}
ID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


class AttendanceTable(QTableWidget):
    """One row per member: name, role, attendance. ``changed`` after any status change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["Member", "Role", "Attendance"])
        self.setAccessibleName("Attendance")
        self.setAccessibleDescription(
            "P present, A apologies, X absent, Space to cycle; type a name to jump to it"
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(0, 220)
        self.setColumnWidth(2, 130)
        self.setWordWrap(False)
        self._typed = ""
        self._since = QElapsedTimer()

    # -- rows ----------------------------------------------------------------------
    def set_members(self, members) -> None:
        """``members``: rows with person_id, name, role, represents and status."""
        self.setRowCount(0)
        self.setRowCount(len(members))
        for row, member in enumerate(members):
            role = member.role.replace("_", " ")
            if getattr(member, "represents", None):
                role = f"{role}, {member.represents}"
            kind = getattr(member, "kind", "person")
            name = QTableWidgetItem(member.name)
            name.setData(ID_ROLE, member.person_id)
            name.setData(KIND_ROLE, kind)
            role_item = QTableWidgetItem(role)
            role_item.setToolTip(role)
            for column, item in enumerate((name, role_item, QTableWidgetItem())):
                item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                self.setItem(row, column, item)
            if member.person_id is None:  # an organisation: it attends through its people
                self.item(row, 2).setText("through its people")
                for column in range(3):
                    self.item(row, column).setForeground(self.palette().placeholderText().color())
            else:
                self._show_status(row, member.status)
        if members:
            self.setCurrentCell(0, 0)
        width = max((self.fontMetrics().horizontalAdvance(m.name) for m in members), default=0)
        self.setColumnWidth(0, min(max(160, width + 24), 320))

    def status(self, row: int) -> str | None:
        return self.item(row, 2).data(ID_ROLE)

    def person_id(self, row: int) -> int | None:
        return self.item(row, 0).data(ID_ROLE)

    def can_attend(self, row: int) -> bool:
        """People have an attendance; an organisation member attends through its people."""
        return self.person_id(row) is not None

    def is_member(self, row: int) -> bool:
        """A member on the day (not someone recorded without being one): counts for quorum."""
        return self.can_attend(row) and self.item(row, 0).data(KIND_ROLE) != "guest"

    def name(self, row: int) -> str:
        return self.item(row, 0).text()

    def statuses(self) -> dict[int, str]:
        """Person id -> status, for the rows that have one."""
        return {
            pid: s
            for r in range(self.rowCount())
            if (pid := self.person_id(r)) is not None and (s := self.status(r)) is not None
        }

    def set_status(self, row: int, status: str | None) -> None:
        if 0 <= row < self.rowCount() and self.can_attend(row) and self.status(row) != status:
            self._show_status(row, status)
            self.changed.emit()

    def set_all(self, status: str) -> None:
        for row in range(self.rowCount()):
            if self.can_attend(row):
                self._show_status(row, status)
        self.changed.emit()

    def present_members(self) -> int:
        return sum(self.is_member(r) and self.status(r) == PRESENT for r in range(self.rowCount()))

    def _show_status(self, row: int, status: str | None) -> None:
        item = self.item(row, 2)
        item.setData(ID_ROLE, status)
        item.setText(STATUS_WORDS.get(status, status or "—"))
        colour = STATUS_COLOURS.get(status)
        item.setForeground(colour if colour is not None else self.palette().text().color())

    # -- keys ----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        row = self.currentRow()
        key, text = event.key(), event.text()
        plain = not (
            event.modifiers()
            & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            )
        )
        typing = self._typing()
        if plain and key in STATUS_KEYS and not (typing and self._find(self._typed + text)):
            self._typed = ""
            self.set_status(row, STATUS_KEYS[key])
            event.accept()
            return
        if plain and key == Qt.Key.Key_Space and not typing:
            self.set_status(row, CYCLE.get(self.status(row), PRESENT) if row >= 0 else None)
            event.accept()
            return
        if plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._typed = ""
            self.set_status(row, None)
            event.accept()
            return
        if plain and text and (text.isalpha() or (typing and text in " -'")):
            self.type_ahead(text)
            event.accept()
            return
        self._typed = ""
        super().keyPressEvent(event)

    def _typing(self) -> bool:
        return (
            bool(self._typed)
            and self._since.isValid()
            and self._since.elapsed() <= max(QApplication.keyboardInputInterval(), 700)
        )

    def type_ahead(self, text: str) -> None:
        """Jump to the member whose name, or a word of it, starts with what has been typed."""
        self._typed = (self._typed if self._typing() else "") + text
        self._since.restart()
        row = self._find(self._typed)
        if row is not None:
            self.setCurrentCell(row, 0)

    def _find(self, typed: str) -> int | None:
        wanted = typed.casefold()
        count = self.rowCount()
        if not count or not wanted:
            return None
        # A first letter typed again moves on to the next name with it; more letters refine.
        first = (self.currentRow() + (1 if len(wanted) == 1 else 0)) % count
        order = [(first + i) % count for i in range(count)]
        for matches in (
            lambda n: n.startswith(wanted),
            lambda n: any(w.startswith(wanted) for w in n.split()),
        ):
            for row in order:
                if matches(self.name(row).casefold()):
                    return row
        return None
