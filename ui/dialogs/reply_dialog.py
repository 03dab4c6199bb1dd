"""Record the reply sent to one recommendation: full or partial, and close it if that ends it.

A reply stops the recommendation counting as due (Home, the agenda builder and
the register read its status). "Close it" closes it as well, for a reply that
settles the matter. One undo step puts the recommendation back as it was.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from db.enums import RecommendationStatus
from ui.dialogs.base import FormDialog
from ui.dialogs.widgets.date_field import DateField, format_date
from ui.dialogs.widgets.error_label import with_error
from ui.events import data_events
from ui.style import format_date as display_date

REPLIED = RecommendationStatus.RESPONDED.value
PARTIAL = RecommendationStatus.PARTIALLY_ACCEPTED.value


class ReplyDialog(FormDialog):
    """The reply to recommendation ``recommendation_id``; ``partial`` presets "Partial reply"."""

    field_labels = {"response": "Reply", "response_date": "Date", "status": "Reply"}

    def __init__(
        self,
        database,
        recommendation_id: int,
        parent: QWidget | None = None,
        *,
        partial: bool = False,
    ) -> None:
        super().__init__(database, parent)
        self.recommendation_id = recommendation_id
        self._title = "Partial reply" if partial else "Reply to a recommendation"
        self.setWindowTitle(self._title)
        self._build()
        self.partial.setChecked(partial)
        self.about.setText("Loading the recommendation…")
        self.mark_loaded()
        self.resize(620, self.sizeHint().height())
        self.reply.setFocus()
        self.load_existing_later(self.reply.setFocus)  # read on the pool, the form held meanwhile

    def _build(self) -> None:
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setAccessibleName("Recommendation")
        self.reply = QPlainTextEdit()
        self.reply.setAccessibleName("Reply")
        self.reply.setTabChangesFocus(True)
        self.reply.setPlaceholderText("What was replied (or where the reply is)")
        self.reply.setFixedHeight(self.reply.fontMetrics().lineSpacing() * 6 + 12)
        self.date = DateField(self, accessible_name="Date of the reply")
        self.replied = QRadioButton("&Replied")
        self.partial = QRadioButton("&Partial reply")
        self.replied.setChecked(True)
        self.kind_group = QButtonGroup(self)
        for button in (self.replied, self.partial):
            self.kind_group.addButton(button)
        kinds = QHBoxLayout()
        kinds.addWidget(self.replied)
        kinds.addWidget(self.partial)
        kinds.addStretch(1)
        self.close_it = QCheckBox("&Close it: nothing more is expected on it")
        form = QFormLayout()
        form.addRow(self.about)
        reply_box, self.errors["response"] = with_error(self.reply, self)
        form.addRow("Rep&ly", reply_box)
        form.labelForField(reply_box).setBuddy(self.reply)
        date_box, self.errors["response_date"] = with_error(self.date, self)
        form.addRow("&Date", date_box)
        form.labelForField(date_box).setBuddy(self.date)
        form.addRow("", kinds)
        form.addRow("", self.close_it)
        self.body.addLayout(form)
        for name, signal in [
            ("response", self.reply.textChanged),
            ("response_date", self.date.changed),
            ("status", self.kind_group.buttonToggled),
            ("close", self.close_it.toggled),
        ]:
            self.watch(name, signal)
        self.chain_tab_order([self.reply, self.date, self.replied, self.partial, self.close_it])

    # -- values --------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        return {
            "response": self.reply.toPlainText(),
            "response_date": self.date.text(),
            "status": PARTIAL if self.partial.isChecked() else REPLIED,
            "close": self.close_it.isChecked(),
        }

    def fill(self, values: dict[str, object]) -> None:
        self.reply.setPlainText(str(values["response"]))
        self.date.edit.setText(str(values["response_date"]))
        (self.partial if values["status"] == PARTIAL else self.replied).setChecked(True)
        self.close_it.setChecked(bool(values["close"]))

    def read_record(self) -> object:
        from vru_crm.governance import recommendations

        return recommendations.get_recommendation(self.database, self.recommendation_id)

    def record_values(self, row) -> dict[str, object]:
        from vru_crm.london import today_in_london

        self.version = row.version
        due = f" (due {display_date(row.due_date)})" if row.due_date else ""
        self.about.setText(f"<b>{row.reference}</b>{due}<br>{_escape(row.text)}")
        self.setWindowTitle(f"{self._title}: recommendation {row.number}")
        status = self.values()["status"] if row.status not in (REPLIED, PARTIAL) else row.status
        return {
            "response": row.response or "",
            "response_date": format_date(row.response_date or today_in_london()),
            "status": status,
            "close": row.status == RecommendationStatus.CLOSED.value,
        }

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if not self.reply.toPlainText().strip():
            problems["response"] = "write what was replied"
        if problem := self.date.problem():
            problems["response_date"] = problem
        elif self.date.value() is None:
            problems["response_date"] = "say when the reply was sent"
        return problems

    # -- saving --------------------------------------------------------------------
    def save_record(self) -> None:
        from ui import undo
        from vru_crm.governance import recommendations
        from vru_crm.services.records import row_values

        before = row_values(self.database, "recommendation", self.recommendation_id)
        values = self.values()
        row = recommendations.record_response(
            self.database,
            self.recommendation_id,
            self.reply.toPlainText(),
            on=self.date.value(),
            status=str(values["status"]),
            expected_version=self.version,
        )
        if values["close"]:
            row = recommendations.close_recommendation(
                self.database, self.recommendation_id, expected_version=row.version
            )
        after = row_values(self.database, "recommendation", self.recommendation_id)
        undo.push_edited(
            self.database,
            "recommendation",
            row.id,
            before,
            after,
            row.version,
            f"reply to recommendation {row.number}",
        )
        data_events().changed.emit("recommendation", row.id)
        self.accept()


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
