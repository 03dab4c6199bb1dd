"""Enter a letter (from the Police and Crime Committee, say) with its recommendations.

Letters arrive as text: the user pastes it (or opens a .txt file) and the form
finds the recommendations in it (``letter_parse``), numbered ("Recommendation 3:
… by May 2020") or quoted unnumbered with the answer underneath, and lists them
in a table to confirm and correct from the keyboard. Sender, date and reply-due
date come from the letter when their fields are still empty. Saving a new
letter is one unit of work (``letters.create_letter``) and one undo step; an
edit of an existing letter and its rows is one undo step too (a macro).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.base import FormDialog, ask
from ui.dialogs.widgets.date_field import DateField, format_date
from ui.dialogs.widgets.error_label import with_error
from ui.dialogs.widgets.recommendation_table import (
    TEXT,
    CheckedRow,
    RecommendationTable,
    TableRow,
    check_rows,
)
from ui.events import data_events
from ui.style import format_date as display_date


class LetterText(QPlainTextEdit):
    """The letter's text; ``pasted`` fires after a paste, so the form can look for recommendations."""

    pasted = Signal()

    def insertFromMimeData(self, source) -> None:  # noqa: N802 (Qt API)
        super().insertFromMimeData(source)
        self.pasted.emit()


def read_text_file(path: str | Path) -> str:
    """A letter saved as text: UTF-8 (with or without BOM), else Windows-1252 as Word saves it."""
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


class LetterDialog(FormDialog):
    """New letter (``letter_id`` None) or an existing one with its recommendations."""

    field_labels = {
        "sender": "From",
        "letter_date": "Letter date",
        "reply_due": "Reply due",
        "subject": "Subject",
        "recommendations": "Recommendations",
        "number": "Recommendation number",
        "text": "Recommendation text",
    }

    def __init__(
        self,
        database,
        letter_id: int | None = None,
        parent: QWidget | None = None,
        *,
        add_row: bool = False,
    ) -> None:
        super().__init__(database, parent)
        self.letter_id = letter_id
        self.version: int | None = None
        self._stored: dict[int, object] = {}  # recommendation id -> RecommendationRow
        self._last_found: list[TableRow] = []
        self.setWindowTitle("Edit letter" if letter_id else "New letter")
        self._build()
        self.mark_loaded()
        self.resize(980, 680)
        if letter_id is None:
            self._start_typing(add_row)
        else:  # the letter is read on the pool, the form held until it comes
            self.load_existing_later(lambda: self._letter_shown(add_row))

    def _letter_shown(self, add_row: bool) -> None:
        self.setWindowTitle(f"Letter: {self.sender.text()}, {self.letter_date.text()}")
        self._start_typing(add_row)

    def _start_typing(self, add_row: bool) -> None:
        if add_row:
            self.table.add_row()
            self.table.setFocus()
        else:
            self.sender.setFocus()

    # -- layout ------------------------------------------------------------------
    def _build(self) -> None:
        self.sender = QLineEdit()
        self.sender.setAccessibleName("From")
        self.sender.setPlaceholderText("e.g. Police and Crime Committee")
        self.sender.setCompleter(self._sender_completer())
        self.letter_date = DateField(self, accessible_name="Letter date")
        self.reply_due = DateField(self, accessible_name="Reply due")
        self.subject = QLineEdit()
        self.subject.setAccessibleName("Subject")
        self.subject.setPlaceholderText("e.g. Violence Reduction Unit")
        grid = QGridLayout()
        for row, column, label, name, widget in [
            (0, 0, "&From", "sender", self.sender),
            (0, 2, "Su&bject", "subject", self.subject),
            (1, 0, "Letter &date", "letter_date", self.letter_date),
            (1, 2, "Reply d&ue", "reply_due", self.reply_due),
        ]:
            box, error = with_error(widget, self)
            self.errors[name] = error
            caption = QLabel(label)
            caption.setBuddy(widget)
            caption.setFixedHeight(widget.sizeHint().height())  # level with its field
            grid.addWidget(caption, row, column, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(box, row, column + 1)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.body.addLayout(grid)

        self.text = LetterText()
        self.text.setAccessibleName("Letter text")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(
            "Paste the letter here (Ctrl+V), or open a .txt file: its recommendations are "
            "listed below for you to check."
        )
        self.open_button = QPushButton("&Open file…")
        self.find_button = QPushButton("F&ind recommendations")
        self.found_note = QLabel()
        self.found_note.setWordWrap(True)
        self.found_note.setAccessibleName("What was found")
        for button in (self.open_button, self.find_button):
            button.setAutoDefault(False)
        text_caption = QLabel("Letter &text")
        text_caption.setBuddy(self.text)
        text_buttons = QHBoxLayout()
        text_buttons.addWidget(self.open_button)
        text_buttons.addWidget(self.find_button)
        text_buttons.addWidget(self.found_note, 1)
        text_part = QWidget()
        text_layout = QVBoxLayout(text_part)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(text_caption)
        text_layout.addWidget(self.text, 1)
        text_layout.addLayout(text_buttons)

        self.table = RecommendationTable(self)
        self.add_button = QPushButton("&Add row")
        self.delete_button = QPushButton("De&lete row")
        for button in (self.add_button, self.delete_button):
            button.setAutoDefault(False)
        table_caption = QLabel(
            "&Recommendations (check and correct: type in a cell, Enter keeps it)"
        )
        table_caption.setBuddy(self.table)
        table_box, self.errors["recommendations"] = with_error(self.table, self)
        table_buttons = QHBoxLayout()
        table_buttons.addWidget(self.add_button)
        table_buttons.addWidget(self.delete_button)
        table_buttons.addStretch(1)
        table_part = QWidget()
        table_layout = QVBoxLayout(table_part)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(table_caption)
        table_layout.addWidget(table_box, 1)
        table_layout.addLayout(table_buttons)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(text_part)
        splitter.addWidget(table_part)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.body.addWidget(splitter, 1)

        self.open_button.clicked.connect(self.choose_file)
        self.find_button.clicked.connect(lambda: self.find_recommendations())
        self.text.pasted.connect(lambda: self.find_recommendations(automatic=True))
        self.add_button.clicked.connect(self.table.add_row)
        self.delete_button.clicked.connect(self.table.delete_current_row)
        for name, signal in [
            ("sender", self.sender.textChanged),
            ("letter_date", self.letter_date.changed),
            ("reply_due", self.reply_due.changed),
            ("subject", self.subject.textChanged),
            ("text", self.text.textChanged),
            ("recommendations", self.table.changed),
        ]:
            self.watch(name, signal)
        self.chain_tab_order(
            [
                self.sender, self.subject, self.letter_date, self.reply_due, self.text,
                self.open_button, self.find_button, self.table, self.add_button,
                self.delete_button,
            ]
        )  # fmt: skip

    def _sender_completer(self) -> QCompleter:
        """Senders of the letters already entered, so the same committee is spelt the same way.

        They are read on the pool and offered when they arrive: the field takes typing at
        once, and a late list only adds suggestions, never changes what was typed.
        """
        from PySide6.QtCore import QStringListModel

        from ui.models.loader import Loader

        self.senders = QStringListModel(self)
        completer = QCompleter(self.senders, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._senders_loader = Loader(self)
        self._senders_loader.loaded.connect(self.senders.setStringList)
        self._senders_loader.load(_known_senders, self.database)
        return completer

    # -- finding recommendations in the text --------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a letter", "", "Text files (*.txt *.md);;All files (*)"
        )
        if path:
            self.load_file(path)

    def load_file(self, path: str | Path) -> None:
        """Show the file's text and look for recommendations in it."""
        try:
            self.text.setPlainText(read_text_file(path))
        except OSError as error:
            self.banner.show_message(f"Could not read {Path(path).name}: {error.strerror or error}")
            return
        self.find_recommendations()

    def find_recommendations(self, automatic: bool = False) -> int:
        """Fill the table from the text; returns how many were found (-1: the user kept the table).

        Run by hand it replaces the rows, after asking if they were changed since
        the last find; after a paste it runs only while the table is empty.
        """
        from vru_crm.governance.letter_parse import parse_letter

        if automatic and self.table.rowCount():
            return -1
        parsed = parse_letter(self.text.toPlainText())
        current = [r for r in self.table.rows() if not r.blank]
        if current and current != self._last_found:
            answer = ask(
                self,
                "Replace the recommendations?",
                f"Replace the {len(current)} recommendation(s) in the table with those found "
                "in the text? What you typed in the table is lost.",
                ["Replace", "Keep the table"],
                default=1,
            )
            if answer != "Replace":
                return -1
        self.table.set_found(parsed.recommendations)
        self._last_found = [r for r in self.table.rows() if not r.blank]
        if not self.sender.text().strip() and parsed.sender:
            self.sender.setText(parsed.sender)
        if not self.letter_date.text().strip() and parsed.letter_date:
            self.letter_date.set_value(parsed.letter_date)
        if not self.reply_due.text().strip() and parsed.reply_due:
            self.reply_due.set_value(parsed.reply_due)
        found = len(parsed.recommendations)
        self.found_note.setText(
            f"Found {found} recommendation{'s' if found != 1 else ''}: check them below."
            if found
            else "No recommendations found in the text: add them below (Add row or Insert)."
        )
        if found:
            self.table.setCurrentCell(0, TEXT)
        return found

    # -- values --------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        return {
            "sender": self.sender.text(),
            "letter_date": self.letter_date.text(),
            "reply_due": self.reply_due.text(),
            "subject": self.subject.text(),
            "text": self.text.toPlainText(),
            "rows": tuple(self.table.rows()),
        }

    def fill(self, values: dict[str, object]) -> None:
        self.sender.setText(str(values["sender"]))
        self.letter_date.edit.setText(str(values["letter_date"]))
        self.reply_due.edit.setText(str(values["reply_due"]))
        self.subject.setText(str(values["subject"]))
        if self.text.toPlainText() != values["text"]:
            self.text.setPlainText(str(values["text"]))
        self.table.set_rows(values["rows"])  # type: ignore[arg-type]

    def read_record(self) -> object:
        from vru_crm.governance import letters

        return letters.get_letter(self.database, self.letter_id)  # type: ignore[arg-type]

    def record_values(self, record) -> dict[str, object]:
        self.version = record.version
        self._stored = {r.id: r for r in record.recommendations}
        rows = tuple(
            TableRow(r.id, str(r.number), r.text, format_date(r.due_date), r.response or "")
            for r in sorted(record.recommendations, key=lambda r: r.number)
        )
        return {
            "sender": record.sender,
            "letter_date": format_date(record.letter_date),
            "reply_due": format_date(record.reply_due),
            "subject": record.subject or "",
            "text": record.text,
            "rows": rows,
        }

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if not self.sender.text().strip():
            problems["sender"] = "say who sent the letter"
        if problem := self.letter_date.problem():
            problems["letter_date"] = problem
        elif self.letter_date.value() is None:
            problems["letter_date"] = "the letter's date is required"
        if problem := self.reply_due.problem():
            problems["reply_due"] = problem
        elif (due := self.reply_due.value()) and (sent := self.letter_date.value()) and due < sent:
            problems["reply_due"] = "the reply cannot be due before the letter's date"
        _rows, problem = check_rows(self.table.rows())
        if problem:
            problems["recommendations"] = problem
        return problems

    def letter_input(self):
        from vru_crm.governance.letters import LetterInput

        return LetterInput(
            sender=self.sender.text().strip(),
            letter_date=self.letter_date.value(),  # type: ignore[arg-type]
            reply_due=self.reply_due.value(),
            subject=self.subject.text().strip() or None,
            text=self.text.toPlainText(),
        )

    def label(self) -> str:
        day: date | None = self.letter_date.value()
        return f"{self.sender.text().strip()}, {display_date(day)}" if day else self.sender.text()

    # -- saving --------------------------------------------------------------------
    def save_record(self) -> None:
        rows, _problem = check_rows(self.table.rows())
        if self.letter_id is None:
            self._create(rows)
        else:
            self._update(rows)
        data_events().changed.emit("letter", self.letter_id)
        data_events().changed.emit("recommendation", 0)
        self.accept()

    def _create(self, rows: list[CheckedRow]) -> None:
        from ui import undo
        from vru_crm.governance import letters
        from vru_crm.governance.letter_parse import FoundRecommendation

        found = [FoundRecommendation(r.number, r.text, r.due_date, r.reply) for r in rows]
        record = letters.create_letter(self.database, self.letter_input(), found)
        self.letter_id, self.version = record.id, record.version
        undo.push_created(self.database, "letter", record.id, record.version, self.label())

    def _update(self, rows: list[CheckedRow]) -> None:
        """Save the letter and each changed, new or removed row; one undo step for them all.

        Each step that succeeds is remembered at once (new rows get their id), so
        if a later one fails, Save again does not repeat what was done.
        """
        from ui import undo

        letter_changed = self._letter_changed()
        kept = {r.recommendation_id for r in rows if r.recommendation_id is not None}
        removed = [rid for rid in self._stored if rid not in kept]
        changed = [r for r in rows if r.recommendation_id is not None and self._differs(r)]
        added = [r for r in rows if r.recommendation_id is None]
        if not (letter_changed or removed or changed or added):
            return
        stack = undo.undo_stack()
        stack.beginMacro(f"Edit letter {self.label()}")
        try:
            if letter_changed:
                self._save_letter()
            for rid in removed:
                self._remove(rid)
            for row in changed:
                self._save_row(row)
            for row in added:
                self._add(row)
        finally:
            stack.endMacro()

    def _letter_changed(self) -> bool:
        now, loaded = self.values(), self._loaded_values
        return any(now[k] != loaded.get(k) for k in now if k != "rows")

    def _differs(self, row: CheckedRow) -> bool:
        stored = self._stored[row.recommendation_id]  # type: ignore[index]
        return (stored.number, stored.text, stored.due_date) != (  # type: ignore[attr-defined]
            row.number or stored.number,  # type: ignore[attr-defined]
            row.text,
            row.due_date,
        )

    def _save_letter(self) -> None:
        """Save the letter's own fields; undo puts them back through the service, so its
        recommendations follow the sender and date back too."""
        from ui import undo
        from vru_crm.governance import letters

        letter_id = self.letter_id
        before = letters.letter_input(letters.get_letter(self.database, letter_id))  # type: ignore[arg-type]
        after = self.letter_input()
        record = letters.update_letter(self.database, letter_id, after, self.version)  # type: ignore[arg-type]
        self.version = record.version
        self._stored.update({r.id: r for r in record.recommendations if r.id in self._stored})
        state = {"version": record.version}

        def put(data) -> None:
            saved = letters.update_letter(self.database, letter_id, data, state["version"])  # type: ignore[arg-type]
            state["version"] = saved.version
            data_events().changed.emit("letter", letter_id)
            data_events().changed.emit("recommendation", 0)

        undo.push_step(f"Edit letter {self.label()}", lambda: put(before), lambda: put(after))
        self._loaded_values = {**self._loaded_values, **{
            k: v for k, v in self.values().items() if k != "rows"
        }}  # fmt: skip

    def _remove(self, recommendation_id: int) -> None:
        from ui import undo

        stored = self._stored[recommendation_id]
        undo.delete_with_undo(
            self.database,
            "recommendation",
            recommendation_id,
            f"{stored.number} of {self.label()}",  # type: ignore[attr-defined]
            stored.version,  # type: ignore[attr-defined]
        )
        del self._stored[recommendation_id]

    def _save_row(self, row: CheckedRow) -> None:
        """Save a changed row. Its undo writes the row's values back without a version
        check: in the same undo step the letter's own undo may touch the row first."""
        from ui import undo
        from vru_crm.governance import recommendations
        from vru_crm.services import records

        stored = self._stored[row.recommendation_id]  # type: ignore[index]
        before = records.row_values(self.database, "recommendation", stored.id)  # type: ignore[attr-defined]
        saved = recommendations.update_recommendation(
            self.database,
            stored.id,  # type: ignore[attr-defined]
            expected_version=stored.version,  # type: ignore[attr-defined]
            number=row.number or stored.number,  # type: ignore[attr-defined]
            text=row.text,
            due_date=row.due_date,
        )
        self._stored[saved.id] = saved
        after = records.row_values(self.database, "recommendation", saved.id)

        def put(values) -> None:
            records.save_row_values(self.database, "recommendation", saved.id, values, None)
            data_events().changed.emit("recommendation", saved.id)

        undo.push_step(
            f"Edit recommendation {saved.number} of {self.label()}",
            lambda: put(before),
            lambda: put(after),
        )

    def _add(self, row: CheckedRow) -> None:
        from ui import undo
        from vru_crm.governance import recommendations

        saved = recommendations.create_recommendation(
            self.database,
            letter_id=self.letter_id,
            number=row.number,
            text=row.text,
            due_date=row.due_date,
        )
        if row.reply:
            saved = recommendations.record_response(
                self.database, saved.id, row.reply, on=self.letter_date.value()
            )
        self._stored[saved.id] = saved
        self._give_id(row, saved.id)
        undo.push_created(
            self.database,
            "recommendation",
            saved.id,
            saved.version,
            f"{saved.number} of {self.label()}",
        )

    def _give_id(self, row: CheckedRow, recommendation_id: int) -> None:
        """The table row just saved now stands for the stored recommendation."""
        from ui.dialogs.widgets.recommendation_table import ID_ROLE, NUMBER

        for position, typed in enumerate(self.table.rows()):
            if typed.recommendation_id is None and typed.text.strip() == row.text:
                self.table.item(position, NUMBER).setData(ID_ROLE, recommendation_id)
                return


def _known_senders(database) -> list[str]:
    """On the pool: every sender of a letter already entered, in order."""
    from vru_crm.governance import letters

    return sorted({letter.sender for letter in letters.list_letters(database)})
