"""The Committee's recommendations with their deadlines, and the replies recorded."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from db.enums import RecommendationStatus
from db.session import Database
from ui.governance.common import pydate, short_day
from ui.governance.tracked_list import TrackedList, date_field, due_words
from vru_crm.governance import recommendations as service
from vru_crm.london import today_in_london


class RecommendationsView(TrackedList):
    """Recommendations by letter; overdue ones in red; record the response sent."""

    headers = ("Letter", "No.", "Recommendation", "Due", "Status", "Response")
    kinds = ("recommendation",)
    stretch = 2
    capped = {0: 230, 3: 265, 5: 220}  # letter, due and reply: long; whole in the tooltip
    noun = "recommendation"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.response = QLineEdit()
        self.response.setPlaceholderText("The reply sent (or where it is)")
        self.status = QComboBox()
        for status in RecommendationStatus:
            if status != RecommendationStatus.OPEN:
                self.status.addItem(status.value.replace("_", " "), status.value)
        self.response_date = date_field(today_in_london())
        self.respond_button = QPushButton("Record response")
        form = QHBoxLayout()
        form.addWidget(self.response, 3)
        form.addWidget(self.status)
        form.addWidget(self.response_date)
        form.addWidget(self.respond_button)
        self.lay_out([], form)
        self.respond_button.clicked.connect(self.record_response)
        self.reload()

    def cells(self, row: service.RecommendationRow) -> list[str]:
        letter = f"{row.sender}, {short_day(row.letter_date)}"
        reply = f"{short_day(row.response_date)}: {row.response}" if row.response else "—"
        status = row.status.replace("_", " ")
        return [letter, str(row.number), row.text, due_words(row), status, reply]

    def tip(self, row: service.RecommendationRow) -> str | None:
        letter = f"{row.sender}, {short_day(row.letter_date)}"
        reply = f"\n\nResponse: {row.response}" if row.response else ""
        return f"{letter}, recommendation {row.number} (due {due_words(row)}):\n{row.text}{reply}"

    def load(self, mode: str) -> list[service.RecommendationRow]:
        if mode == "Overdue":
            return service.overdue_recommendations(self.database)
        return service.list_recommendations(self.database, open_only=mode == "Open")

    def record_response(self) -> bool:
        row = self.selected()
        if row is None:
            self.banner.show_error("Choose a recommendation in the list first.")
            return False

        def respond() -> None:
            service.record_response(
                self.database,
                row.id,
                self.response.text(),
                on=pydate(self.response_date.date()),
                status=self.status.currentData(),
            )

        recorded = self.attempt(respond, "recommendation", row.id)
        if recorded:
            self.response.clear()
        return recorded
