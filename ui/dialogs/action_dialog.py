"""Raise an action from a meeting or a recommendation, or edit one; close it with a note.

An action belongs to the meeting that raised it (so it is carried onto every
later agenda of that network until closed) or to the recommendation it answers;
the form refuses one that belongs to neither. Its owner is a person or a team
picked from the database by typing, never free text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.base import FormDialog
from ui.dialogs.widgets.date_field import DateField, format_date
from ui.dialogs.widgets.error_label import with_error
from ui.dialogs.widgets.owner_field import OwnerField
from ui.events import data_events
from ui.style import format_date as display_date
from vru_crm.london import london_date

SOURCE_LIMIT = 300  # meetings offered in the picker, newest first


def meeting_label(title: str, starts_at) -> str:
    return f"Meeting {display_date(london_date(starts_at))}: {title}"


def recommendation_label(row) -> str:
    text = row.text if len(row.text) <= 70 else row.text[:69] + "…"
    return f"Recommendation {row.number}, {row.sender}, {display_date(row.letter_date)}: {text}"


class SourcePicker(QComboBox):
    """The meeting or recommendation an action comes from: type part of it, or pick from the list."""

    ready = Signal()  # the choices read on the pool are in the list (or could not be read)
    failed = Signal(str)  # the choices could not be read: why, in words
    loading = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName("Raised at")
        self.lineEdit().setPlaceholderText("Type part of a meeting's title or a recommendation…")
        self.setMaxVisibleItems(15)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(40)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def fill(self, database, current: tuple[str, int] | None) -> None:
        self.show_sources(_read_sources(database, current), current)

    def fill_later(self, database, current: tuple[str, int] | None) -> None:
        """Read the choices on the pool: the picker is disabled, saying Loading…, until they come.

        A read that fails is said in ``failed`` (the form's banner); the picker stays empty.
        """
        from ui.models.loader import Loader

        self.loading = True
        self.setEnabled(False)
        self._hint = self.lineEdit().placeholderText()
        self.lineEdit().setPlaceholderText("Loading…")
        self._loader = Loader(self)
        self._loader.loaded.connect(lambda sources: self._sources_arrived(sources, current))
        self._loader.failed.connect(lambda message, _error: self._sources_arrived(None, current))
        self._loader.failed.connect(lambda message, _error: self.failed.emit(message))
        self._loader.load(_read_sources, database, current)

    def _sources_arrived(self, sources, current: tuple[str, int] | None) -> None:
        self.loading = False
        self.setEnabled(True)
        self.lineEdit().setPlaceholderText(self._hint)
        if sources is not None:
            self.show_sources(sources, current)
        self.ready.emit()

    def show_sources(self, sources, current: tuple[str, int] | None) -> None:
        """Put ``_read_sources``' answer in the list and choose ``current``."""
        meetings, recommendations, extra = sources
        self.clear()
        for row in meetings:
            self.addItem(meeting_label(row.title, row.starts_at), ("meeting", row.id))
        for row in recommendations:
            if row.is_open or current == ("recommendation", row.id):
                self.addItem(recommendation_label(row), ("recommendation", row.id))
        if extra is not None and self.findData(current) < 0:
            self.addItem(meeting_label(extra.title, extra.starts_at), current)
        self.set_choice(current)

    def set_choice(self, choice: tuple[str, int] | None) -> None:
        index = self.findData(choice) if choice is not None else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def choice(self) -> tuple[str, int] | None:
        """What the text names exactly (a half-typed text names nothing)."""
        index = self.findText(self.currentText(), Qt.MatchFlag.MatchFixedString)
        return self.itemData(index) if index >= 0 else None

    def problem(self) -> str:
        text = self.currentText().strip()
        if not text:
            return "say which meeting or recommendation this action comes from"
        if self.choice() is None:
            return f"no meeting or recommendation is called “{text}”: choose one from the list"
        return ""


class ActionDialog(FormDialog):
    """New action (from ``meeting_id`` or ``recommendation_id``, or chosen here) or an existing one."""

    field_labels = {
        "text": "Action",
        "owner": "Owner",
        "due_date": "Due",
        "source": "Raised at",
        "meeting_id": "Raised at",
        "recommendation_id": "Raised at",
    }

    def __init__(
        self,
        database,
        action_id: int | None = None,
        meeting_id: int | None = None,
        recommendation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(database, parent)
        self.action_id = action_id
        self.version: int | None = None
        self.preset: tuple[str, int] | None = (
            ("meeting", meeting_id)
            if meeting_id is not None
            else ("recommendation", recommendation_id)
            if recommendation_id is not None
            else None
        )
        self.setWindowTitle("Edit action" if action_id else "New action")
        self._build()
        self.mark_loaded()
        self.resize(max(640, self.sizeHint().width()), self.sizeHint().height())
        self.text.setFocus()
        # Read on the pool: the action being edited with its choices (the form held
        # meanwhile), or the meeting or recommendation a new action is raised at.
        if action_id is not None:
            self.load_existing_later(self.text.setFocus)
        elif self.preset is not None:
            self.load_choices_later([])

    # -- layout ------------------------------------------------------------------
    def _build(self) -> None:
        self.text = QLineEdit()
        self.text.setAccessibleName("Action")
        self.text.setPlaceholderText("What is to be done, e.g. Circulate the work programme")
        self.owner = OwnerField(self.database, self)
        self.due = DateField(self, accessible_name="Due")
        form = QFormLayout()
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setAccessibleName("Raised at")
        self.source = SourcePicker(self)
        rows: list[tuple[str, str, QWidget]] = [
            ("&Action", "text", self.text),
            ("&Owner", "owner", self.owner),
            ("&Due", "due_date", self.due),
        ]
        if self.preset is not None and self.action_id is None:
            self.source_label.setText("Loading…")
            self.source.hide()
            rows.append(("Raised at", "", self.source_label))
        else:
            self.source.failed.connect(
                lambda message: self.banner.show_message(
                    f"The meetings and recommendations could not be read: {message}"
                )
            )
            if self.action_id is None:  # a new action: the form opens before the choices
                self.source.fill_later(self.database, self.preset)
            # an edit reads its choices on the pool with its record (``read_record``)
            rows.append(("&Raised at", "source", self.source))
        for label, name, widget in rows:
            if not name:
                form.addRow(label, widget)
                continue
            box, error = with_error(widget, self)
            self.errors[name] = error
            form.addRow(label, box)
            form.labelForField(box).setBuddy(widget)
        self.closed_note = QLabel()
        self.closed_note.setWordWrap(True)
        self.closed_note.hide()
        form.addRow(self.closed_note)
        self.body.addLayout(form)
        for name, signal in [
            ("text", self.text.textChanged),
            ("owner", self.owner.changed),
            ("due_date", self.due.changed),
            ("source", self.source.currentTextChanged),
        ]:
            self.watch(name, signal)
        self.close_button = self.add_footer_button(
            "&Close with a note…", "Close the action with a note", self.close_with_note, left=True
        )
        self.close_button.setVisible(self.action_id is not None)
        fields: list[QWidget] = [self.text, self.owner, self.due]
        if "source" in self.errors:
            fields.append(self.source)
        self.chain_tab_order(fields)

    def read_choices(self) -> object:
        """On the pool, for a new action raised at a given meeting or recommendation: its name."""
        if self.action_id is not None or self.preset is None:
            return None
        return _preset_words(self.database, self.preset)

    def show_choices(self, choices) -> None:
        if choices is not None:
            self.source_label.setText(str(choices))

    # -- values --------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        return {
            "text": self.text.text(),
            "owner": self.owner.text(),
            "due_date": self.due.text(),
            "source": self.source.currentText() if "source" in self.errors else None,
        }

    def fill(self, values: dict[str, object]) -> None:
        self.text.setText(str(values["text"]))
        if values.get("owner_record") is not None:
            self.owner.set_owner(values["owner_record"])
        elif values.get("owner_kept"):
            self.owner.keep_text(str(values["owner"]))
        elif self.owner.text() != values["owner"]:
            self.owner.edit.setText(str(values["owner"]))
        self.due.edit.setText(str(values["due_date"]))
        if values.get("source_choice") is not None:
            self.source.set_choice(values["source_choice"])  # type: ignore[arg-type]
        elif values.get("source") is not None:
            self.source.setEditText(str(values["source"]))

    def read_record(self) -> object:
        """On the pool: the action, and the meetings and recommendations it may be raised at."""
        row = find_action(self.database, self.action_id)  # type: ignore[arg-type]
        source = _source_of(row)
        return row, _read_sources(self.database, source or self.preset)

    def record_values(self, answer) -> dict[str, object]:
        from vru_crm.governance import actions

        row, sources = answer
        self.version = row.version
        source = _source_of(row)
        self.source.show_sources(sources, source or self.preset)
        owner = None
        if getattr(row, "owner_id", None) is not None:
            owner = actions.Owner(row.owner_kind, row.owner_id, row.owner or "")
        if not row.is_open:
            note = f": {row.closing_note}" if getattr(row, "closing_note", None) else ""
            self.closed_note.setText(
                f"Closed ({row.status}) on {display_date(row.closed_on)}{note}"
            )
            self.closed_note.show()
            self.close_button.setEnabled(False)
        return {
            "text": row.text,
            "owner": (owner.name if owner.kind == "person" else f"{owner.name} (team)")
            if owner
            else (row.owner or ""),
            "owner_record": owner,
            "owner_kept": owner is None and bool(row.owner),
            "due_date": format_date(row.due_date),
            "source": self.source.itemText(self.source.findData(source)) if source else "",
            "source_choice": source,
        }

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if not self.text.text().strip():
            problems["text"] = "say what is to be done"
        if problem := self.owner.problem():
            problems["owner"] = problem
        if problem := self.due.problem():
            problems["due_date"] = problem
        if "source" in self.errors and (problem := self.source.problem()):
            problems["source"] = problem
        return problems

    def _source(self) -> tuple[str, int] | None:
        return self.source.choice() if "source" in self.errors else self.preset

    def _owner_values(self) -> dict[str, object]:
        owner = self.owner.owner()
        if owner is None:  # an old free-text owner, left as it was
            return {}
        return {
            "owner_person_id": owner.id if owner.kind == "person" else None,
            "owner_organisation_id": owner.id if owner.kind != "person" else None,
        }

    # -- saving --------------------------------------------------------------------
    def save_record(self) -> None:
        from ui import undo
        from vru_crm.governance import actions
        from vru_crm.services.records import row_values

        kind, source_id = self._source()  # type: ignore[misc]
        values = {
            "meeting_id": source_id if kind == "meeting" else None,
            "recommendation_id": source_id if kind == "recommendation" else None,
            "due_date": self.due.value(),
            **self._owner_values(),
        }
        text = self.text.text().strip()
        label = text if len(text) <= 40 else text[:39] + "…"
        if self.action_id is None:
            row = actions.create_action(self.database, text, **values)
            undo.push_created(self.database, "action", row.id, row.version, label)
        else:
            before = row_values(self.database, "action", self.action_id)
            owner = self.owner.owner()
            if owner is not None:
                values["owner"] = owner.name
            row = actions.update_action(
                self.database, self.action_id, expected_version=self.version, text=text, **values
            )
            after = row_values(self.database, "action", row.id)
            undo.push_edited(self.database, "action", row.id, before, after, row.version, label)
        self.action_id, self.version = row.id, row.version
        data_events().changed.emit("action", row.id)
        self.accept()

    def close_with_note(self) -> QDialog:
        """Ask for the closing note (window-modal), then close the action: one undo step."""
        dialog = NoteDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._close(dialog.note()))
        dialog.open()
        return dialog

    def _close(self, note: str | None) -> bool:
        try:
            close_with_undo(self.database, self.action_id, note)  # type: ignore[arg-type]
        except Exception as error:  # words in the banner; the form stays open
            self.show_save_error(error)
            return False
        QDialog.accept(self)
        return True


class NoteDialog(QDialog):
    """The note an action is closed with ("Work programme circulated on 3 June")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Close the action")
        self.box = QPlainTextEdit()
        self.box.setAccessibleName("Closing note")
        self.box.setTabChangesFocus(True)
        self.box.setPlaceholderText("What was done (optional); Ctrl+Enter closes the action")
        self.box.setFixedHeight(self.box.fontMetrics().lineSpacing() * 5 + 12)
        caption = QLabel("Closing &note")
        caption.setBuddy(self.box)
        buttons = QDialogButtonBox()
        close = buttons.addButton("C&lose the action", QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        from PySide6.QtGui import QKeySequence, QShortcut

        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.box)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())
        self.box.setFocus()

    def note(self) -> str | None:
        return self.box.toPlainText().strip() or None


def find_action(database, action_id: int):
    """The action's row; NotFound in words if it was deleted meanwhile."""
    from vru_crm.errors import NotFound
    from vru_crm.governance import actions

    if hasattr(actions, "get_action"):
        return actions.get_action(database, action_id)
    for row in actions.list_actions(database):
        if row.id == action_id:
            return row
    raise NotFound(f"There is no action with id {action_id} (it may have been deleted).")


def close_with_undo(
    database, action_id: int, note: str | None = None, dropped: bool = False
) -> None:
    """Close (or drop) an action with its note; Ctrl+Z reopens it as it was."""
    from ui import undo
    from vru_crm.governance import actions
    from vru_crm.services.records import row_values

    before = row_values(database, "action", action_id)
    row = actions.close_action(database, action_id, dropped=dropped, note=note)
    after = row_values(database, "action", action_id)
    verb = "Drop" if dropped else "Close"
    undo.push_edited(
        database, "action", row.id, before, after, row.version, f"{verb}: {row.text[:40]}"
    )
    data_events().changed.emit("action", row.id)


def _source_of(row) -> tuple[str, int] | None:
    """Where the action was raised: ("meeting", id), ("recommendation", id) or None."""
    if row.meeting_id:
        return ("meeting", row.meeting_id)
    if row.recommendation_id:
        return ("recommendation", row.recommendation_id)
    return None


def _preset_words(database, preset: tuple[str, int]) -> str:
    """On the pool: the meeting or recommendation a new action is raised at, in words."""
    kind, record_id = preset
    if kind == "meeting":
        from vru_crm.governance.meetings import get_meeting

        meeting = get_meeting(database, record_id)
        return meeting_label(meeting.title, meeting.starts_at)
    from vru_crm.governance.recommendations import get_recommendation

    return recommendation_label(get_recommendation(database, record_id))


def _read_sources(database, current: tuple[str, int] | None):
    """On the pool: the newest meetings, the recommendations, and ``current``'s meeting if older."""
    from vru_crm.governance import recommendations
    from vru_crm.governance.meetings import get_meeting
    from vru_crm.queries.meetings import MeetingQuery

    meetings = list(MeetingQuery(database).page(0, SOURCE_LIMIT))
    extra = None
    wanted = current is not None and current[0] == "meeting"
    if wanted and all(row.id != current[1] for row in meetings):  # type: ignore[index]
        extra = get_meeting(database, current[1])  # type: ignore[index]
    return meetings, recommendations.list_recommendations(database), extra
