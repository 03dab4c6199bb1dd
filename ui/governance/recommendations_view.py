"""The Committee's recommendations with their deadlines, and the replies recorded."""

from __future__ import annotations

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

from db.enums import RecommendationStatus
from db.session import Database
from ui.events import data_events
from ui.governance.common import OVERDUE, ErrorBanner, RowsModel, pydate, qdate, short_day
from vru_crm.governance import recommendations as service
from vru_crm.london import today_in_london

HEADERS = ["Letter", "No.", "Recommendation", "Due", "Status", "Response"]
FILTERS = ("Open", "Overdue", "All")


class RecommendationsView(QWidget):
    """Recommendations by letter; overdue ones in red; record the response sent."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.filter = QComboBox()
        self.filter.addItems(FILTERS)
        self.banner = ErrorBanner()
        self.model = RowsModel(HEADERS, self._cells, self._tone, lambda r: r.text)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.response = QLineEdit()
        self.response.setPlaceholderText("The reply sent (or where it is)")
        self.status = QComboBox()
        for status in RecommendationStatus:
            if status != RecommendationStatus.OPEN:
                self.status.addItem(status.value.replace("_", " "), status.value)
        self.response_date = QDateEdit(qdate(today_in_london()))
        self.response_date.setCalendarPopup(True)
        self.response_date.setDisplayFormat("dd/MM/yyyy")
        self.respond_button = QPushButton("Record response")
        self._layout()
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.respond_button.clicked.connect(self.record_response)
        data_events().changed.connect(self._changed)
        self.reload()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Show"))
        top.addWidget(self.filter)
        top.addStretch(1)
        respond = QHBoxLayout()
        respond.addWidget(self.response, 3)
        respond.addWidget(self.status)
        respond.addWidget(self.response_date)
        respond.addWidget(self.respond_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(respond)

    def _cells(self, row: service.RecommendationRow) -> list[str]:
        due = short_day(row.due_date)
        if overdue := row.overdue_by(today_in_london()):
            due += f" ({overdue} days overdue)"
        letter = f"{row.sender}, {short_day(row.letter_date)}"
        reply = f"{short_day(row.response_date)}: {row.response}" if row.response else "—"
        return [letter, str(row.number), row.text, due, row.status.replace("_", " "), reply]

    def _tone(self, row: service.RecommendationRow):
        return OVERDUE if row.overdue_by(today_in_london()) else None

    def _changed(self, kind: str, _id: int) -> None:
        if kind in ("recommendation", "*"):
            self.reload()

    def reload(self) -> None:
        mode = self.filter.currentText()
        if mode == "Overdue":
            rows = service.overdue_recommendations(self.database)
        else:
            rows = service.list_recommendations(self.database, open_only=mode == "Open")
        self.model.set_rows(rows)

    def record_response(self) -> bool:
        index = self.table.currentIndex()
        if not index.isValid():
            self.banner.show_error("Choose a recommendation in the list first.")
            return False
        row = self.model.rows[index.row()]
        try:
            service.record_response(
                self.database,
                row.id,
                self.response.text(),
                on=pydate(self.response_date.date()),
                status=self.status.currentData(),
            )
        except Exception as error:
            self.banner.show_error(error)
            return False
        self.banner.clear_error()
        self.response.clear()
        data_events().changed.emit("recommendation", row.id)
        return True
