"""The search box in the tool bar: hits appear in a popup as you type; Enter opens one.

Typing is debounced (150 ms) and the query runs off the UI thread, so a slow
server never freezes typing; only the answer for the latest text is shown.
The popup is a ``QCompleter`` attached with ``setWidget`` (not ``setCompleter``),
which gives keyboard navigation for free without it rewriting the typed text.

The box can be built before the database is open (``database=None``): it is
disabled and says so until ``set_database``. The search code (and with it the
database stack) is imported on the first search, not when the window is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QListView, QWidget

from ui.models.loader import Loader
from ui.search.hits_model import HIT_ROLE, HitDelegate, HitsModel
from ui.style import icon, themed_icon

if TYPE_CHECKING:
    from db.session import Database
    from vru_crm.queries.search import Hit

DEBOUNCE_MS = 150
MAX_HITS = 12
POPUP_MIN_WIDTH = 460
PLACEHOLDER = "Search partners, people, networks, meetings (Ctrl+F)"


def _search(database: Database, text: str) -> tuple[str, list[Hit]]:
    from vru_crm.queries.search import search

    return text, search(database, text, MAX_HITS)


class SearchBox(QLineEdit):
    open_record = Signal(str, int)

    def __init__(self, database: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.setPlaceholderText(PLACEHOLDER)
        self.setAccessibleName("Search")
        self.setAccessibleDescription(
            "Type part of a name; matching records appear in a list below"
        )
        self.setClearButtonEnabled(True)
        themed_icon(
            self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition), "search"
        )
        self.setMinimumWidth(320)
        self.model = HitsModel(self)
        self.popup = QListView()
        self.popup.setAccessibleName("Search results")
        self.popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.popup.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setPopup(self.popup)
        self.popup.setItemDelegate(
            HitDelegate(self.popup)
        )  # after setPopup, which installs its own
        self.completer.setMaxVisibleItems(MAX_HITS)
        self.completer.activated[QModelIndex].connect(self._activated)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._search)
        self.textEdited.connect(self._typed)
        self._loader = Loader(self)
        self._loader.loaded.connect(self._show_hits)
        self._loader.failed.connect(self._failed)
        if database is None:
            self.setEnabled(False)
            self.setPlaceholderText("Search (the database is still opening…)")

    def set_database(self, database: Database) -> None:
        """The database is open: searching works from now on."""
        self._database = database
        self.setPlaceholderText(PLACEHOLDER)
        self.setEnabled(True)

    def _typed(self, _text: str) -> None:
        self._timer.start()

    def _search(self) -> None:
        text = self.text().strip()
        if not text or self._database is None:
            self._loader.cancel()
            self.model.set_hits([])
            self.popup.hide()
            return
        self._loader.load(_search, self._database, text)

    def _show_hits(self, result: tuple[str, list[Hit]]) -> None:
        text, hits = result
        if text != self.text().strip() or not self.hasFocus() and not self.popup.isVisible():
            return
        self.model.set_hits(hits, f"Nothing found for “{text}”")
        self._show_popup()

    def _failed(self, message: str, _error: object) -> None:
        self.model.set_hits([], f"Search failed: {message}")
        self._show_popup()

    def _show_popup(self) -> None:
        """Under the box, right edges aligned (the box sits at the right of the tool bar)."""
        width = max(self.width(), POPUP_MIN_WIDTH)
        self.completer.complete(QRect(self.width() - width, 0, width, self.height()))
        if self.model.hits():
            self.popup.setCurrentIndex(self.completer.completionModel().index(0, 0))

    def _activated(self, index: QModelIndex) -> None:
        from vru_crm.queries.search import Hit

        hit = index.data(HIT_ROLE)
        if isinstance(hit, Hit):
            self.open_hit(hit)

    def open_hit(self, hit: Hit) -> None:
        self.popup.hide()
        self.clear()
        self.model.set_hits([])
        self.open_record.emit(hit.kind, hit.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        key = event.key()
        if self.popup.isVisible() and key in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Escape,
        ):
            event.ignore()  # the completer, which forwarded the key, picks or closes
            return
        if key == Qt.Key.Key_Down and self.model.hits() and not self.popup.isVisible():
            self._show_popup()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._timer.stop()
            hits = self.model.hits()
            if hits and not self.popup.isVisible():
                self.open_hit(hits[0])
            elif self.text().strip():
                self._search()
            return
        if key == Qt.Key.Key_Escape:
            self.clear()
            self.popup.hide()
            self.clearFocus()
            return
        super().keyPressEvent(event)
