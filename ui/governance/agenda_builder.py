"""Build a meeting's agenda: draft from what is open, reorder, edit, add, see the running total.

Every change is saved at once through the agenda service, so what the Director
sees is what an export or another window will see. Items move by drag and drop
or with Alt+Up / Alt+Down on the list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.enums import AgendaItemKind
from db.session import Database
from ui.dialogs.widgets.export_note import ExportNote
from ui.events import data_events
from ui.governance.common import ErrorBanner
from ui.style import format_date
from ui.team.rights import guard
from vru_crm.governance import agenda as service
from vru_crm.governance.actions import overdue_actions
from vru_crm.governance.agenda_export import export_agenda_text, format_of
from vru_crm.governance.common import format_day
from vru_crm.governance.recommendations import overdue_recommendations

COLUMNS = ["No.", "Item", "Presenter", "Min", "Starts"]
ID_ROLE = Qt.ItemDataRole.UserRole


class AgendaList(QTreeWidget):
    """The items, reorderable by drag and drop and by Alt+Up / Alt+Down."""

    reordered = Signal(list)  # item ids in their new order
    move_requested = Signal(int)  # -1 up, +1 down

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(COLUMNS)
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setColumnWidth(0, 40)
        self.setColumnWidth(1, 330)
        self.setColumnWidth(2, 150)
        self.setColumnWidth(3, 45)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.AltModifier and event.key() in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            self.move_requested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        super().dropEvent(event)
        self.reordered.emit(self.item_ids())

    def item_ids(self) -> list[int]:
        return [self.topLevelItem(i).data(0, ID_ROLE) for i in range(self.topLevelItemCount())]


class AgendaBuilderDialog(QDialog):
    """The agenda of one meeting, with the overdue actions and recommendations beside it."""

    calendar_written = Signal(object)  # the .ics file's path, once written on the pool

    def __init__(self, database: Database, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.meeting_id = meeting_id
        self.agenda: service.Agenda | None = None
        self.setWindowTitle("Agenda builder")
        self.resize(1100, 680)
        self._build_widgets()
        self._build_layout()
        self._connect()
        changes = (self.save_button, self.build_button, self.add_button, self.remove_button)
        guard(database, [(b, "meeting") for b in (*changes, self.up_button, self.down_button)])
        guard(database, [(self.action_button, "action")])
        self._open_later()

    def _open_later(self) -> None:
        """Read the agenda (drafting it if empty) and the overdue lists on the pool.

        The window opens at once saying Loading…, with the list and editor disabled;
        a change made meanwhile (Add, Build) supersedes the answer still on its way.
        """
        from ui.models.loader import Loader

        self._agenda_loader = Loader(self)
        self._agenda_loader.loaded.connect(self._agenda_arrived)
        self._agenda_loader.failed.connect(self._read_failed)
        self._overdue_loader = Loader(self)
        self._overdue_loader.loaded.connect(self._show_overdue)
        self._overdue_loader.failed.connect(self._read_failed)
        self.header.setText("Loading…")
        self.list.setEnabled(False)
        self._agenda_loader.load(_open_agenda, self.database, self.meeting_id)
        self._fill_overdue()

    @property
    def loading(self) -> bool:
        """The agenda or the overdue lists are still being read."""
        return self._agenda_loader.busy or self._overdue_loader.busy

    def _agenda_arrived(self, answer: tuple[service.Agenda, bool]) -> None:
        agenda, drafted = answer
        self.list.setEnabled(True)
        self.reload(agenda)
        if drafted:
            data_events().changed.emit("meeting", self.meeting_id)

    def _read_failed(self, _message: str, error: BaseException) -> None:
        self.list.setEnabled(True)
        if self.agenda is None:
            self.header.setText("")
        self.banner.show_error(error)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        from ui.dialogs.base import fit_to_screen

        super().showEvent(event)
        fit_to_screen(self)  # at 200 % on a laptop the buttons stay on screen

    # --- construction -------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.banner = ErrorBanner()
        self.export_note = ExportNote()  # after an export: where it went, open it
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.list = AgendaList()
        self.total = QLabel()
        self.title_edit = QLineEdit()
        self.presenter_edit = QLineEdit()
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(0, 600)
        self.minutes_spin.setSuffix(" min")
        self.kind_combo = QComboBox()
        for kind in AgendaItemKind:
            self.kind_combo.addItem(kind.value.replace("_", " "), kind.value)
        self.paper_edit = QLineEdit()
        self.paper_edit.setPlaceholderText("https://… link to the paper")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText('Lines starting "- " become bullets')
        self.save_button = QPushButton("Save item")
        self.build_button = QPushButton("&Build from what is open…")
        self.add_button = QPushButton("A&dd item")
        self.remove_button = QPushButton("Re&move item")
        self.up_button = QPushButton("Move up (Alt+↑)")
        self.down_button = QPushButton("Move down (Alt+↓)")
        self.export_buttons = {
            kind: QPushButton(f"Export {kind}…") for kind in ("HTML", "PDF", "Markdown")
        }
        self.calendar_button = QPushButton("Add to &calendar (.ics)…")
        self.action_button = QPushButton("Raise &action…")
        self.action_button.setToolTip("An action agreed while minuting this meeting")
        self.action_button.setAutoDefault(False)
        self.overdue_actions = QListWidget()
        self.overdue_recommendations = QListWidget()
        for box in (self.overdue_actions, self.overdue_recommendations):
            box.setWordWrap(True)

    def _editor(self) -> QGroupBox:
        group = QGroupBox("Item")
        form = QFormLayout(group)
        form.addRow("Title", self.title_edit)
        form.addRow("Presenter", self.presenter_edit)
        form.addRow("Time allotted", self.minutes_spin)
        form.addRow("Kind", self.kind_combo)
        form.addRow("Paper", self.paper_edit)
        form.addRow("Notes", self.notes_edit)
        form.addRow("", self.save_button)
        return group

    def _side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._editor(), 3)
        # In tabs, one above the other would not fit a laptop screen at 200 %.
        self.overdue_tabs = QTabWidget()
        self.overdue_tabs.addTab(self.overdue_actions, "Overdue actions")
        self.overdue_tabs.addTab(self.overdue_recommendations, "Recommendations")
        self.overdue_tabs.setTabToolTip(0, "Actions past their due date, of every network")
        self.overdue_tabs.setTabToolTip(1, "The Committee's recommendations overdue for a reply")
        layout.addWidget(self.overdue_tabs, 2)
        return side

    def _build_layout(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list, 1)
        moves = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            moves.addWidget(button)
        column.addLayout(moves)
        column.addWidget(self.total)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self._side())
        splitter.setSizes([660, 440])
        bottom = QHBoxLayout()
        bottom.addWidget(self.build_button)
        bottom.addWidget(self.calendar_button)
        bottom.addWidget(self.action_button)
        bottom.addStretch(1)
        for button in self.export_buttons.values():
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.export_note)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.list.currentItemChanged.connect(lambda *_: self._fill_editor())
        self.list.reordered.connect(self._reorder)
        self.list.move_requested.connect(self.move_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_selected)
        self.build_button.clicked.connect(self._confirm_build)
        self.save_button.clicked.connect(self.save_selected)
        for edit in (self.title_edit, self.presenter_edit, self.paper_edit):
            edit.editingFinished.connect(self.save_selected)
        self.minutes_spin.valueChanged.connect(lambda _v: self.save_selected())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.save_selected())
        self.calendar_button.clicked.connect(self._choose_calendar)
        self.action_button.clicked.connect(self.raise_action)
        data_events().changed.connect(self._data_changed)
        for kind, button in self.export_buttons.items():
            button.clicked.connect(lambda _c=False, k=kind: self._choose_export(k))

    # --- showing ------------------------------------------------------------------------

    def reload(self, agenda: service.Agenda | None = None, select_id: int | None = None) -> None:
        """Show ``agenda`` (or load it), keeping the selected item selected."""
        keep = select_id if select_id is not None else self.selected_id()
        try:
            self.agenda = agenda or service.get_agenda(self.database, self.meeting_id)
        except Exception as error:
            self.banner.show_error(error)
            return
        self._show_header()
        self._fill_list(keep)
        self._show_total()
        if agenda is None:  # an explicit reload: the overdue lists may have changed too
            self._fill_overdue()

    def _show_header(self) -> None:
        a = self.agenda
        where = a.location or ("Online" if a.online_url else "place to be confirmed")
        chair = f" · Chair: {a.chair}" if a.chair else ""
        self.header.setText(
            f"<span style='font-size:15pt; font-weight:bold'>{a.network or a.title}</span><br/>"
            f"{format_day(a.starts_at.date())}, {a.starts_at:%H:%M}–{a.ends_at:%H:%M} · {where}{chair}"
        )
        self.setWindowTitle(f"Agenda: {a.network or a.title}, {format_day(a.starts_at.date())}")

    def _fill_list(self, select_id: int | None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        for item, (start, _end) in zip(self.agenda.items, self.agenda.timings(), strict=True):
            row = QTreeWidgetItem(
                [
                    f"{item.number}.",
                    item.title,
                    item.presenter or "",
                    str(item.minutes_allotted or 0),
                    f"{start:%H:%M}",
                ]
            )
            row.setData(0, ID_ROLE, item.id)
            row.setToolTip(1, item.notes or item.title)
            row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            self.list.addTopLevelItem(row)
            if item.id == select_id:
                chosen = row
        self.list.blockSignals(False)
        self.list.setCurrentItem(chosen or self.list.topLevelItem(0))
        self._fill_editor()

    def _show_total(self) -> None:
        a = self.agenda
        text = f"Running total: {a.total_minutes} of {a.length_minutes} minutes"
        if a.over_by:
            text += f" — over by {a.over_by} minutes"
            self.total.setStyleSheet("color: #b00020; font-weight: bold;")
        else:
            text += f" — {a.length_minutes - a.total_minutes} minutes to spare"
            self.total.setStyleSheet("")
        self.total.setText(text)

    def _fill_overdue(self) -> None:
        """Read the overdue actions and recommendations on the pool (the latest answer shows)."""
        self._overdue_loader.load(_read_overdue, self.database)

    def _show_overdue(self, answer: tuple[list, list]) -> None:
        actions, recommendations = answer
        self.overdue_actions.clear()
        for action in actions:
            self.overdue_actions.addItem(
                f"{action.text} — {action.owner or 'no owner'}, due {format_date(action.due_date)}"
            )
        self.overdue_recommendations.clear()
        for rec in recommendations:
            self.overdue_recommendations.addItem(
                f"{rec.reference} (due {format_date(rec.due_date)}): {rec.text}"
            )
        self.overdue_tabs.setTabText(0, f"Overdue actions ({self.overdue_actions.count()})")
        self.overdue_tabs.setTabText(1, f"Recommendations ({self.overdue_recommendations.count()})")

    def selected_id(self) -> int | None:
        current = self.list.currentItem()
        return current.data(0, ID_ROLE) if current is not None else None

    def _selected(self) -> service.ItemRow | None:
        wanted = self.selected_id()
        return next((i for i in self.agenda.items if i.id == wanted), None) if self.agenda else None

    def _fill_editor(self) -> None:
        item = self._selected()
        widgets = (
            self.title_edit,
            self.presenter_edit,
            self.minutes_spin,
            self.kind_combo,
            self.paper_edit,
            self.notes_edit,
        )
        for widget in widgets:
            widget.blockSignals(True)
            widget.setEnabled(item is not None)
        self.title_edit.setText(item.title if item else "")
        self.presenter_edit.setText(item.presenter or "" if item else "")
        self.minutes_spin.setValue(item.minutes_allotted or 0 if item else 0)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(item.kind if item else "")))
        self.paper_edit.setText(item.paper_url or "" if item else "")
        self.notes_edit.setPlainText(item.notes if item else "")
        for widget in widgets:
            widget.blockSignals(False)

    # --- changing -----------------------------------------------------------------------

    def _apply(self, change, *args, select_id: int | None = None, **kwargs) -> bool:
        """Run one agenda service call; show its result, or its error in words."""
        try:
            agenda = change(*args, **kwargs)
        except Exception as error:
            self.banner.show_error(error)
            return False
        self._agenda_loader.cancel()  # this answer is newer than one still being read
        self.list.setEnabled(True)
        self.banner.clear_error()
        self.reload(agenda, select_id)
        data_events().changed.emit("meeting", self.meeting_id)
        return True

    def save_selected(self) -> None:
        item = self._selected()
        if item is None:
            return
        values = {
            "title": self.title_edit.text(),
            "presenter": self.presenter_edit.text(),
            "minutes_allotted": self.minutes_spin.value(),
            "kind": self.kind_combo.currentData(),
            "paper_url": self.paper_edit.text(),
            "notes": self.notes_edit.toPlainText(),
        }
        current = {
            "title": item.title,
            "presenter": item.presenter or "",
            "minutes_allotted": item.minutes_allotted or 0,
            "kind": item.kind,
            "paper_url": item.paper_url or "",
            "notes": item.notes,
        }
        changes = {k: v for k, v in values.items() if v != current[k]}
        if changes:
            self._apply(service.update_item, self.database, item.id, select_id=item.id, **changes)

    def move_selected(self, offset: int) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self._apply(service.move_item, self.database, item_id, offset, select_id=item_id)

    def _reorder(self, ids: list[int]) -> None:
        self._apply(
            service.reorder_items, self.database, self.meeting_id, ids, select_id=self.selected_id()
        )

    def add_item(self, title: str = "New item", minutes: int = 10) -> None:
        before = {i.id for i in self.agenda.items} if self.agenda else set()
        if self._apply(
            service.add_item, self.database, self.meeting_id, title, minutes_allotted=minutes
        ):
            new = next((i.id for i in self.agenda.items if i.id not in before), None)
            self.reload(self.agenda, new)
            self.title_edit.setFocus()
            self.title_edit.selectAll()

    def remove_selected(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self._apply(service.remove_item, self.database, item_id)

    def build_draft(self, replace: bool = False) -> None:
        self._apply(service.assemble_draft, self.database, self.meeting_id, replace=replace)

    def _confirm_build(self) -> None:
        if self.agenda and self.agenda.items:
            answer = QMessageBox.question(
                self,
                "Rebuild the agenda?",
                "Build a fresh draft from what is open now? The current items and your edits "
                "to them will be replaced.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.build_draft(replace=True)

    def raise_action(self):
        """The action form for this meeting; the lists beside the agenda follow its save."""
        from ui import launch

        return launch.open_dialog(self, "action", self.database, meeting_id=self.meeting_id)

    def _data_changed(self, kind: str, _record_id: int) -> None:
        if kind in ("action", "recommendation", "letter", "*"):
            self._fill_overdue()

    # --- export -------------------------------------------------------------------------

    def _choose_export(self, kind: str) -> None:
        suffix = {"HTML": ".html", "PDF": ".pdf", "Markdown": ".md"}[kind]
        name = (
            f"agenda-{self.agenda.starts_at:%Y-%m-%d}{suffix}" if self.agenda else f"agenda{suffix}"
        )
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export the agenda as {kind}", name, f"{kind} (*{suffix})"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        """Write the agenda to ``path`` (.html, .md or .pdf); errors are shown, not raised."""
        try:
            if format_of(Path(path)) == "PDF":
                from ui.governance.agenda_pdf import export_agenda_pdf

                export_agenda_pdf(self.database, self.meeting_id, Path(path))
            else:
                export_agenda_text(self.database, self.meeting_id, Path(path))
        except Exception as error:
            self.banner.show_error(error)
            return False
        self.banner.clear_error()
        self.export_note.show_saved(Path(path), "Agenda saved")
        return True

    def _choose_calendar(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the meeting to a calendar", "meeting.ics", "iCalendar (*.ics)"
        )
        if path:
            self.export_calendar_to(Path(path))

    def export_calendar_to(self, path: Path) -> None:
        """Write the meeting as an .ics event, its agenda in the description, on the pool.

        One at a time (the button waits); ``calendar_written`` says when it is done, and a
        failure is shown in the banner in words.
        """
        from ui.models.loader import Loader

        loader = Loader(self)
        loader.loaded.connect(self._calendar_done)
        loader.failed.connect(self._calendar_failed)
        self._calendar_loader = loader
        self.calendar_button.setEnabled(False)
        loader.load(_write_calendar, self.database, Path(path), self.meeting_id)

    def _calendar_done(self, path: Path) -> None:
        self.calendar_button.setEnabled(True)
        self.banner.clear_error()
        self.calendar_written.emit(path)

    def _calendar_failed(self, message: str, _error: BaseException) -> None:
        self.calendar_button.setEnabled(True)
        self.banner.show_error(message)


def _open_agenda(database: Database, meeting_id: int) -> tuple[service.Agenda, bool]:
    """On the pool: the meeting's agenda, drafted from what is open if it has no items yet."""
    agenda = service.get_agenda(database, meeting_id)
    if agenda.items:
        return agenda, False
    return service.assemble_draft(database, meeting_id, replace=False), True


def _read_overdue(database: Database) -> tuple[list, list]:
    """On the pool: the overdue actions and recommendations shown beside the agenda."""
    return list(overdue_actions(database)), list(overdue_recommendations(database))


def _write_calendar(database: Database, path: Path, meeting_id: int) -> Path:
    """On the pool: the meeting's .ics file; its path back for the signal."""
    from vru_crm.governance.ics import export_ics

    export_ics(database, path, meeting_id=meeting_id)
    return path
