"""The action log: open, overdue or all; raise one, edit it, close it with a note, drop it.

An action is raised from a meeting or a recommendation (New action… asks which),
so a meeting's open actions are carried onto the network's later agendas.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget

from db.session import Database
from ui.governance.common import short_day
from ui.governance.tracked_list import TrackedList, due_words
from ui.team.rights import guard
from vru_crm.governance import actions as service


class ActionsView(TrackedList):
    """The action log; overdue ones in red, soonest due first."""

    headers = ("Action", "Owner", "Due", "Status", "Raised at")
    kinds = ("action", "meeting", "recommendation")
    noun = "action"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self._recommendations: dict[int, str] = {}
        self.new_button = self._button("&New action…", "Ctrl+N", self.new_action)
        self.edit_button = self._button("&Edit…", "Ctrl+E", self.edit_selected)
        self.note_button = self._button("&Close with a note…", "", self.close_with_note)
        self.done_button = self._button("&Mark done", "", lambda: self.close_selected())
        self.drop_button = self._button("&Drop", "", lambda: self.close_selected(dropped=True))
        form = QHBoxLayout()
        form.addWidget(self.new_button)
        form.addWidget(self.edit_button)
        form.addStretch(1)
        for button in (self.note_button, self.done_button, self.drop_button):
            form.addWidget(button)
        buttons = (self.new_button, self.edit_button, self.note_button)
        guard(database, [(b, "action") for b in (*buttons, self.done_button, self.drop_button)])
        self.lay_out([], form)
        editing = self.edit_button  # Enter on a row edits it, unless the role may not
        self.table.activated.connect(lambda _index: editing.isEnabled() and self.edit_selected())
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

    # -- the list ------------------------------------------------------------------
    def cells(self, row: service.ActionRow) -> list[str]:
        if row.meeting_id:
            raised = f"{row.network or row.meeting_title}, {short_day(row.meeting_date)}"
        elif row.recommendation_id:
            raised = self._recommendations.get(row.recommendation_id, "a recommendation")
        else:
            raised = "—"
        return [row.text, row.owner or "—", due_words(row), row.status.replace("_", " "), raised]

    def tip(self, row: service.ActionRow) -> str | None:
        note = getattr(row, "closing_note", None)
        return f"{row.text}\n\nClosing note: {note}" if note else row.text

    def load(self, mode: str) -> list[service.ActionRow]:
        from vru_crm.governance.recommendations import list_recommendations

        # A whole new dict replaces the old one (one assignment), read by ``cells``.
        self._recommendations = {
            r.id: f"{r.sender}, recommendation {r.number}"
            for r in list_recommendations(self.database)
        }
        if mode == "Overdue":
            return service.overdue_actions(self.database)
        return service.list_actions(self.database, open_only=mode == "Open")

    # -- what the buttons do -------------------------------------------------------
    def _chosen(self) -> service.ActionRow | None:
        row = self.selected()
        if row is None:
            self.banner.show_error("Choose an action in the list first.")
        return row

    def _open(self, **kwargs) -> QDialog | None:
        from ui.launch import open_dialog

        self.banner.clear_error()
        return open_dialog(self, "action", self.database, **kwargs)

    def new_action(self) -> QDialog | None:
        """The action form; it asks which meeting or recommendation the action comes from."""
        return self._open()

    def edit_selected(self) -> QDialog | None:
        row = self._chosen()
        return self._open(action_id=row.id) if row is not None else None

    def close_selected(self, dropped: bool = False, note: str | None = None) -> bool:
        """Close (done) or drop the chosen action; one undo step."""
        row = self._chosen()
        return self._close(row, dropped, note) if row is not None else False

    def _close(self, row: service.ActionRow, dropped: bool, note: str | None) -> bool:
        from ui.dialogs.action_dialog import close_with_undo

        return self.attempt(
            lambda: close_with_undo(self.database, row.id, note, dropped=dropped), "action", row.id
        )

    def close_with_note(self) -> QDialog | None:
        """Ask for the note (window-modal), then close the chosen action with it."""
        row = self._chosen()
        if row is None:
            return None
        from ui.dialogs.action_dialog import NoteDialog

        dialog = NoteDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._close(row, False, dialog.note()))
        dialog.open()
        return dialog
