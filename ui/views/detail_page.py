"""The frame every detail page shares: a header with actions, and a scrolling body.

Figures load off the UI thread (``Loader``); the page says "Loading…" meanwhile
and says in words if the record has gone (deleted, or merged into another).
Subclasses say how to fetch (``fetch``) and how to show (``populate``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.events import data_events
from ui.models.loader import Loader
from ui.style import SPACING, heading, muted, themed_icon
from ui.team.rights import guard
from ui.views.widgets import RecordTable, Section
from vru_crm.errors import NotFound


class DetailPage(QWidget):
    """One kind of record's page. Emits requests; the main window carries them out."""

    kind: ClassVar[str] = ""
    noun: ClassVar[str] = "record"
    editable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False

    open_record = Signal(str, int)
    back_requested = Signal()
    edit_requested = Signal(str, int)
    delete_requested = Signal(str, int, str, object)  # kind, id, label, version

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.record_id: int | None = None
        self.detail: Any = None
        self._stale = False
        self._loader = Loader(self)
        self._loader.loaded.connect(self._loaded)
        self._loader.failed.connect(self._failed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(SPACING * 2, SPACING, SPACING * 2, 0)
        outer.addLayout(self._header())
        self.status = muted("", self)
        outer.addWidget(self.status)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body = QWidget(self.scroll)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, SPACING, SPACING * 2)
        self.body_layout.setSpacing(SPACING * 2)
        self.scroll.setWidget(self.body)
        outer.addWidget(self.scroll, 1)
        self.build()
        self.body_layout.addStretch(1)
        self.body.hide()
        guard(database, self.team_needs())  # what the signed-in role may not change: greyed
        data_events().changed.connect(self._data_changed)
        data_events().removed.connect(self._data_removed)

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.back_button = QToolButton(self)
        themed_icon(self.back_button, "back")
        self.back_button.setToolTip("Back (Alt+Left)")
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(self.back_requested)
        row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        self.title = heading("", 1.6, self)
        self.title.setAccessibleName(f"{self.noun.capitalize()} name")
        self.subtitle = muted("", self)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        row.addLayout(titles, 1)
        self.edit_button = QPushButton("Edit…", self)
        themed_icon(self.edit_button, "edit")
        self.edit_button.setToolTip("Edit this record (Ctrl+E)")
        self.edit_button.clicked.connect(self._edit)
        self.edit_button.setVisible(self.editable)
        self.delete_button = QPushButton("Delete…", self)
        themed_icon(self.delete_button, "delete")
        self.delete_button.setToolTip("Delete this record (you can undo it with Ctrl+Z)")
        self.delete_button.clicked.connect(self._delete)
        self.delete_button.setVisible(self.deletable)
        for button in (self.edit_button, self.delete_button):
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    # --- what subclasses provide -----------------------------------------------------
    def build(self) -> None:
        """Create the sections once; ``populate`` fills them for each record."""

    @staticmethod
    def fetch(database: Database, record_id: int) -> Any:
        raise NotImplementedError

    def populate(self, detail: Any) -> None:
        raise NotImplementedError

    def label(self) -> str:
        return self.title.text()

    def team_needs(self) -> list[tuple[QWidget | None, str]]:
        """The page's buttons and the kind of record each changes (greyed for a role without it)."""
        return [(self.edit_button, self.kind), (self.delete_button, self.kind)]

    def version(self) -> int | None:
        return getattr(self.detail, "version", None)

    # --- loading ---------------------------------------------------------------------
    def show_record(self, record_id: int) -> None:
        if record_id != self.record_id:
            self.detail = None
            self.body.hide()
            self.title.setText("")
            self.subtitle.setText("")
            self.status.setText("Loading…")
            self.status.show()
        self.record_id = record_id
        self._stale = False
        self._loader.load(self.fetch, self.database, record_id)

    def reload(self) -> None:
        if self.record_id is not None:
            self.show_record(self.record_id)

    def _loaded(self, detail: Any) -> None:
        self.detail = detail
        self.status.hide()
        self.populate(detail)
        self.body.show()
        self.edit_button.setEnabled(True)
        self.delete_button.setEnabled(True)

    def _failed(self, message: str, error: object) -> None:
        self.body.hide()
        self.edit_button.setEnabled(False)
        self.delete_button.setEnabled(False)
        if isinstance(error, NotFound):
            self.title.setText(f"This {self.noun} no longer exists")
            self.status.setText(
                "It was deleted, or merged into another record. Use Back to return."
            )
        else:
            self.status.setText(f"Could not load this {self.noun}: {message}")
        self.status.show()

    def _data_changed(self, _kind: str, _record_id: int) -> None:
        """Any change may touch a figure shown here (a new engagement, a renamed partner)."""
        if self.record_id is None:
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def _data_removed(self, kind: str, record_id: int) -> None:
        if kind == self.kind and record_id == self.record_id and self.isVisible():
            self.reload()  # shows "no longer exists"
        else:
            self._data_changed(kind, record_id)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _edit(self) -> None:
        if self.record_id is not None and self.detail is not None:
            self.edit_requested.emit(self.kind, self.record_id)

    def _delete(self) -> None:
        if self.record_id is not None and self.detail is not None:
            self.delete_requested.emit(self.kind, self.record_id, self.label(), self.version())

    def link(self, table: Any) -> Any:
        """Let a table's rows open their records through this page."""
        table.open_record.connect(self.open_record)
        return table

    def add_recent_engagements(self, headers: list[str], widths: list[int], name: str) -> None:
        """The "Recent engagements" section organisations and people share (``self.recent``)."""
        self.recent_section = Section("Recent engagements", self.body)
        self.recent = self.link(RecordTable(headers, name))
        self.recent.fit_columns(widths)
        self.recent_section.add(self.recent)
        self.body_layout.addWidget(self.recent_section)

    def show_recent_engagements(self, rows: list[Any], total: int) -> None:
        """The latest engagements, and "The latest 50 of 1,234" when there are more."""
        self.recent.set_rows(rows, "No engagements yet")
        shown = len(rows)
        self.recent_section.set_note(f"The latest {shown} of {total:,}" if total > shown else "")
