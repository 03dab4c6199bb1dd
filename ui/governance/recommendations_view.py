"""The register of letters and their recommendations: what is due, what is overdue, the replies.

Letters are entered here (New letter…, Ctrl+N: paste the text and confirm the
recommendations found), and each recommendation is replied to, in full or in
part, closed, or turned into an action for someone to carry out. Every change
goes through a dialog or a service call that is one undo step.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from db.session import Database
from ui.governance.common import short_day
from ui.governance.tracked_list import TrackedList, due_words
from ui.models.loader import Loader
from ui.style import format_date
from ui.team.rights import guard
from vru_crm.governance import recommendations as service
from vru_crm.london import today_in_london

DUE_SOON_DAYS = 60


class RecommendationsView(TrackedList):
    """Recommendations by letter; overdue ones in red; reply, close or raise an action."""

    headers = ("Letter", "No.", "Recommendation", "Due", "Status", "Reply")
    kinds = ("recommendation", "letter")
    stretch = 2
    capped = {0: 150, 3: 228, 5: 165}  # letter, due and reply: long; whole in the tooltip
    noun = "recommendation"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.letter_filter = QComboBox()
        self.letter_filter.setAccessibleName("Letter")
        self._letters = Loader(self)
        self._letters.loaded.connect(self._show_letters)
        self._letters.failed.connect(lambda message, _error: self.banner.show_error(message))
        self.letter_filter.setMinimumContentsLength(28)
        self.letter_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        letter_caption = QLabel("&Letter")
        letter_caption.setBuddy(self.letter_filter)
        self.new_button = self._button("&New letter…", "Ctrl+N", self.new_letter)
        self.edit_button = self._button("&Edit letter…", "Ctrl+E", self.edit_letter)
        self.add_button = self._button("A&dd recommendation…", "", self.add_recommendation)
        self.reply_button = self._button("&Reply…", "", self.reply)
        self.partial_button = self._button("&Partial reply…", "", lambda: self.reply(partial=True))
        self.close_button = self._button("&Close", "", self.close_selected)
        self.action_button = self._button("Raise &action…", "", self.raise_action)
        letters = (self.new_button, self.edit_button, self.add_button, self.reply_button)
        guard(database, [(b, "letter") for b in (*letters, self.partial_button, self.close_button)])
        guard(database, [(self.action_button, "action")])
        form = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.add_button):
            form.addWidget(button)
        form.addStretch(1)
        for button in (
            self.reply_button,
            self.partial_button,
            self.close_button,
            self.action_button,
        ):
            form.addWidget(button)
        self.lay_out([letter_caption, self.letter_filter], form)
        replying = self.reply_button  # Enter on a row replies, unless the role may not
        self.table.activated.connect(lambda _index: replying.isEnabled() and self.reply())
        self.letter_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self._fill_letters()
        self.reload()

    def _button(self, text: str, keys: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: slot())
        if keys:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda: button.isEnabled() and slot())  # greyed: none
            button.setToolTip(f"{text.replace('&', '').rstrip('…')} ({keys})")
        return button

    def _fill_letters(self) -> None:
        """The letters for the filter, read on the thread pool (never on the GUI thread)."""
        from vru_crm.governance.letters import letter_choices

        if self.letter_filter.count() == 0:
            self.letter_filter.addItem("All letters", None)  # usable before the letters arrive
        self._letters.load(letter_choices, self.database)

    def _show_letters(self, letters: list[tuple[int, str]]) -> None:
        chosen = self.letter_filter.currentData()  # what the user has chosen meanwhile is kept
        self.letter_filter.blockSignals(True)
        self.letter_filter.clear()
        self.letter_filter.addItem("All letters", None)
        for letter_id, label in letters:
            self.letter_filter.addItem(label, letter_id)
        self.letter_filter.setCurrentIndex(max(0, self.letter_filter.findData(chosen)))
        self.letter_filter.blockSignals(False)

    def _changed(self, kind: str, _id: int) -> None:
        if kind in ("letter", "*"):
            self._fill_letters()
        super()._changed(kind, _id)

    # -- the list ------------------------------------------------------------------
    def cells(self, row: service.RecommendationRow) -> list[str]:
        letter = (
            f"{format_date(row.letter_date)}, {row.sender}"  # the date first: it survives eliding
        )
        reply = f"{format_date(row.response_date)}: {row.response}" if row.response else "—"
        status = row.status.replace("_", " ")
        return [letter, str(row.number), row.text, due_words(row, weekday=False), status, reply]

    def tip(self, row: service.RecommendationRow) -> str | None:
        letter = f"{row.sender}, {short_day(row.letter_date)}"
        reply = f"\n\nReply: {row.response}" if row.response else ""
        return f"{letter}, recommendation {row.number} (due {due_words(row)}):\n{row.text}{reply}"

    def reader(self, mode: str):
        letter_id = self.letter_filter.currentData()  # read here, on the GUI thread
        return lambda: self._rows(mode, letter_id)

    def load(self, mode: str) -> list[service.RecommendationRow]:
        return self._rows(mode, None)

    def _rows(self, mode: str, letter_id: int | None) -> list[service.RecommendationRow]:
        rows = service.list_recommendations(
            self.database, open_only=mode != "All", letter_id=letter_id
        )
        if mode == "Overdue":
            today = today_in_london()
            rows = [r for r in rows if r.overdue_by(today) > 0]
        # The newest letter first: what the Committee is waiting for now is at the top.
        return sorted(rows, key=lambda r: (-r.letter_date.toordinal(), r.letter_id or 0, r.number))

    def shown(self, rows: list[service.RecommendationRow]) -> None:
        today = today_in_london()
        overdue = sum(1 for r in rows if r.overdue_by(today) > 0)
        soon = sum(
            1
            for r in rows
            if r.is_open and r.due_date and today <= r.due_date <= today + timedelta(DUE_SOON_DAYS)
        )
        self.count.setText(
            f"{len(rows)} recommendation(s) shown: {overdue} overdue, "
            f"{soon} due in the next {DUE_SOON_DAYS} days"
        )

    def show_letter(self, letter_id: int | None) -> None:
        """Show one letter's recommendations (after it is entered, say)."""
        self._fill_letters()
        index = self.letter_filter.findData(letter_id)
        if index >= 0:
            self.letter_filter.setCurrentIndex(index)

    # -- what the buttons do -------------------------------------------------------
    def _chosen(self) -> service.RecommendationRow | None:
        row = self.selected()
        if row is None:
            self.banner.show_error("Choose a recommendation in the list first.")
        return row

    def _open(self, name: str, *args, **kwargs) -> QDialog | None:
        from ui.launch import open_dialog

        self.banner.clear_error()
        return open_dialog(self, name, self.database, *args, **kwargs)

    def new_letter(self) -> QDialog | None:
        dialog = self._open("letter")
        if dialog is not None:
            dialog.accepted.connect(lambda: self.show_letter(dialog.letter_id))
        return dialog

    def _letter_id(self) -> int | None:
        row = self.selected()
        letter_id = row.letter_id if row is not None else self.letter_filter.currentData()
        if letter_id is None:
            self.banner.show_error(
                "Choose a recommendation in the list, or a letter in the Letter box, first."
            )
        return letter_id

    def edit_letter(self) -> QDialog | None:
        letter_id = self._letter_id()
        return self._open("letter", letter_id) if letter_id is not None else None

    def add_recommendation(self) -> QDialog | None:
        """The letter's form with a new row ready to type in."""
        letter_id = self._letter_id()
        return self._open("letter", letter_id, add_row=True) if letter_id is not None else None

    def reply(self, partial: bool = False) -> QDialog | None:
        row = self._chosen()
        return self._open("reply", row.id, partial=partial) if row is not None else None

    def raise_action(self) -> QDialog | None:
        row = self._chosen()
        return self._open("action", recommendation_id=row.id) if row is not None else None

    def close_selected(self) -> bool:
        """Close the chosen recommendation: nothing more is expected on it (one undo step)."""
        row = self._chosen()
        if row is None:
            return False

        def close() -> None:
            from ui import undo
            from vru_crm.services.records import row_values

            before = row_values(self.database, "recommendation", row.id)
            closed = service.close_recommendation(self.database, row.id, row.version)
            after = row_values(self.database, "recommendation", row.id)
            undo.push_edited(
                self.database,
                "recommendation",
                row.id,
                before,
                after,
                closed.version,
                f"close recommendation {row.number}",
            )

        return self.attempt(close, "recommendation", row.id)
