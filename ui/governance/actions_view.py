"""Actions raised in meetings: open, overdue or all; add one, close or drop it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from db.session import Database
from ui.governance.common import pydate, short_day
from ui.governance.tracked_list import TrackedList, date_field, due_words
from vru_crm.governance import actions as service
from vru_crm.london import today_in_london


class ActionsView(TrackedList):
    """The action log; overdue ones in red, soonest due first."""

    headers = ("Action", "Owner", "Due", "Status", "Raised at")
    kinds = ("action", "meeting")
    noun = "action"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.text = QLineEdit()
        self.text.setPlaceholderText("What is to be done")
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("Owner")
        self.due = date_field(today_in_london())
        self.add_button = QPushButton("Add action")
        self.done_button = QPushButton("Mark done")
        self.drop_button = QPushButton("Drop")
        form = QHBoxLayout()
        form.addWidget(self.text, 3)
        form.addWidget(self.owner, 1)
        form.addWidget(QLabel("due"))
        form.addWidget(self.due)
        form.addWidget(self.add_button)
        self.lay_out([self.done_button, self.drop_button], form)
        self.add_button.clicked.connect(self.add_action)
        self.done_button.clicked.connect(lambda: self.close_selected(dropped=False))
        self.drop_button.clicked.connect(lambda: self.close_selected(dropped=True))
        self.reload()

    def cells(self, row: service.ActionRow) -> list[str]:
        raised = (
            f"{row.network or row.meeting_title}, {short_day(row.meeting_date)}"
            if row.meeting_id
            else "—"
        )
        return [row.text, row.owner or "—", due_words(row), row.status.replace("_", " "), raised]

    def load(self, mode: str) -> list[service.ActionRow]:
        if mode == "Overdue":
            return service.overdue_actions(self.database)
        return service.list_actions(self.database, open_only=mode == "Open")

    def add_action(self, due: date | None = None) -> bool:
        def create() -> None:
            service.create_action(
                self.database,
                self.text.text(),
                owner=self.owner.text() or None,
                due_date=due or pydate(self.due.date()),
            )

        added = self.attempt(create, "action", 0)
        if added:
            self.text.clear()
        return added

    def close_selected(self, dropped: bool = False) -> bool:
        row = self.selected()
        if row is None:
            self.banner.show_error("Choose an action in the list first.")
            return False
        return self.attempt(
            lambda: service.close_action(self.database, row.id, dropped=dropped), "action", row.id
        )
