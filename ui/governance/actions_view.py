"""Actions raised in meetings: open, overdue or all; add one, close or drop it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.events import data_events
from ui.governance.common import OVERDUE, ErrorBanner, RowsModel, pydate, qdate, short_day
from vru_crm.governance import actions as service
from vru_crm.london import today_in_london

HEADERS = ["Action", "Owner", "Due", "Status", "Raised at"]
FILTERS = {"Open": "open", "Overdue": "overdue", "All": "all"}


class ActionsView(QWidget):
    """The action log; overdue ones in red, soonest due first."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.filter = QComboBox()
        self.filter.addItems(list(FILTERS))
        self.banner = ErrorBanner()
        self.model = RowsModel(HEADERS, self._cells, self._tone)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.text = QLineEdit()
        self.text.setPlaceholderText("What is to be done")
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("Owner")
        self.due = QDateEdit(qdate(today_in_london()))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("dd/MM/yyyy")
        self.add_button = QPushButton("Add action")
        self.done_button = QPushButton("Mark done")
        self.drop_button = QPushButton("Drop")
        self.count = QLabel()
        self._layout()
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.add_button.clicked.connect(self.add_action)
        self.done_button.clicked.connect(lambda: self.close_selected(dropped=False))
        self.drop_button.clicked.connect(lambda: self.close_selected(dropped=True))
        data_events().changed.connect(self._changed)
        self.reload()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Show"))
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.done_button)
        top.addWidget(self.drop_button)
        add = QHBoxLayout()
        add.addWidget(self.text, 3)
        add.addWidget(self.owner, 1)
        add.addWidget(QLabel("due"))
        add.addWidget(self.due)
        add.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(add)

    def _cells(self, row: service.ActionRow) -> list[str]:
        due = short_day(row.due_date)
        if overdue := row.overdue_by(today_in_london()):
            due += f" ({overdue} days overdue)"
        raised = (
            f"{row.network or row.meeting_title}, {short_day(row.meeting_date)}"
            if row.meeting_id
            else "—"
        )
        return [row.text, row.owner or "—", due, row.status.replace("_", " "), raised]

    def _tone(self, row: service.ActionRow):
        return OVERDUE if row.overdue_by(today_in_london()) else None

    def _changed(self, kind: str, _id: int) -> None:
        if kind in ("action", "meeting", "*"):
            self.reload()

    def reload(self) -> None:
        mode = FILTERS[self.filter.currentText()]
        if mode == "overdue":
            rows = service.overdue_actions(self.database)
        else:
            rows = service.list_actions(self.database, open_only=mode == "open")
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows)} action(s)")

    def selected(self) -> service.ActionRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def add_action(self, due: date | None = None) -> bool:
        try:
            service.create_action(
                self.database,
                self.text.text(),
                owner=self.owner.text() or None,
                due_date=due or pydate(self.due.date()),
            )
        except Exception as error:
            self.banner.show_error(error)
            return False
        self.banner.clear_error()
        self.text.clear()
        data_events().changed.emit("action", 0)
        return True

    def close_selected(self, dropped: bool = False) -> bool:
        row = self.selected()
        if row is None:
            self.banner.show_error("Choose an action in the list first.")
            return False
        try:
            service.close_action(self.database, row.id, dropped=dropped)
        except Exception as error:
            self.banner.show_error(error)
            return False
        self.banner.clear_error()
        data_events().changed.emit("action", row.id)
        return True
