"""Pick several records by typing: completion as you type, chosen ones as removable chips.

Used for organisations, people, networks, boroughs and tags. Small fixed sets
(33 boroughs) are given whole with ``set_items``; large ones (20,000 people)
are searched as the user types through ``set_search``, so nothing loads them
all; the search runs on the thread pool (``ui.models.loader.Loader``), so a slow
answer never stops the typing, and only the answer to the latest text is shown. Keys: type, and Enter takes the first suggestion, which is shown
highlighted (Down picks another); Enter on typed text with no suggestion takes
the best match; Backspace in the empty box removes the last chosen one. The
chips are not Tab stops (Tab goes on to the next field); a clicked chip goes
with Delete or Backspace. With ``allow_new`` (tags), Enter on text that matches
nothing adds it as a new value with id None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.models.loader import Loader

Choice = tuple[int | None, str]
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _search_for(search: Callable[[str], Sequence[Choice]], text: str) -> tuple[str, list[Choice]]:
    """Runs on the thread pool: the matches, with the text they answer."""
    return text, list(search(text))


class _ChipList(QListWidget):
    """The chosen items, laid out left to right and wrapping, like chips."""

    remove_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(3)
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        # Not a Tab stop: Tab goes from the box to the next field, and Backspace in
        # the empty box removes the last chip (a click still selects one).
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet(
            "QListWidget::item { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; }"
            "QListWidget::item:selected { background: palette(highlight); color: palette(highlighted-text); }"
        )

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)


class MultiPicker(QWidget):
    """Type to find, Enter to add; ``selected()`` gives (id, label) pairs in the order chosen."""

    changed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        accessible_name: str = "Choose",
        placeholder: str = "Type a name…",
        allow_new: bool = False,
    ) -> None:
        super().__init__(parent)
        self._items: list[Choice] = []
        self._search: Callable[[str], Sequence[Choice]] | None = None
        self._allow_new = allow_new
        self._pending: list[Choice] = []
        # The latest search answer: (the text searched, its matches); Enter pressed
        # before that answer came takes the best match when it arrives.
        self._answer: tuple[str, list[Choice]] = ("", [])
        self._take_when_answered = False
        self._asked = ""  # the text of the latest search sent to the pool
        self._loader = Loader(self)
        self._loader.loaded.connect(self._answered)
        self._loader.failed.connect(self._search_failed)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setToolTip("Type to find, Enter to add. Delete removes a chosen one.")
        self.chips = _ChipList(self)
        self.chips.setAccessibleName(f"{accessible_name}: chosen")
        self.chips.remove_requested.connect(self.remove_selected)
        self.chips.itemDoubleClicked.connect(lambda _item: self.remove_selected())
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setMaxVisibleItems(12)
        self._completer.activated[QModelIndex].connect(self._take_index)
        self.edit.setCompleter(self._completer)
        self.edit.textEdited.connect(self._on_edited)
        # With its popup open, QCompleter may hand Return straight to the line
        # edit (bypassing event filters): returnPressed catches that path.
        self.edit.returnPressed.connect(self.take_typed)
        self.edit.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.chips)
        self.setFocusProxy(self.edit)
        # A label's mnemonic (Alt+letter) focuses only a widget that takes focus; Tab skips
        # a proxied widget, so this adds no stop of its own.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._update_chips_height()

    # -- where suggestions come from ------------------------------------------
    def set_items(self, items: Iterable[Choice]) -> None:
        """A small fixed set, filtered in memory as the user types."""
        self._search = None
        self._items = list(items)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._fill_model(self._items)

    def items(self) -> list[Choice]:
        """The fixed set given to ``set_items`` (empty for a searched picker)."""
        return list(self._items)

    def set_search(self, search: Callable[[str], Sequence[Choice]]) -> None:
        """A large set: ``search(text)`` returns the few best matches (called as the user types)."""
        self._search = search
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)

    def _fill_model(self, items: Iterable[Choice]) -> None:
        self._model.clear()
        chosen = set(self.selected_ids())
        for item_id, label in items:
            if item_id in chosen:
                continue
            row = QStandardItem(label)
            row.setData(item_id, ID_ROLE)
            self._model.appendRow(row)

    def _on_edited(self, text: str) -> None:
        # A fixed set is filtered by QCompleter during this key press: highlight after it.
        QTimer.singleShot(0, self._preselect_first)
        if self._search is None:
            return
        typed = text.strip()
        if not typed:
            self._loader.cancel()
            self._asked, self._answer = "", ("", [])
            self._fill_model([])
            return
        self._ask(typed)

    def _ask(self, text: str) -> None:
        """Search for ``text`` on the pool; the answer comes to ``_answered``."""
        self._asked = text
        self._loader.load(_search_for, self._search, text)

    def _answered(self, answer: tuple[str, list[Choice]]) -> None:
        """The matches for a text typed, back from the pool (on the GUI thread)."""
        self._answer = answer
        if answer[0] != self.edit.text().strip():
            return  # typed on meanwhile: that text's answer is on its way
        self._fill_model(answer[1])
        if self._take_when_answered:
            self._take_when_answered = False
            self.take_typed()
            return
        if self._model.rowCount():
            self._completer.complete()
            self._preselect_first()

    def _search_failed(self, message: str, _error: object) -> None:
        self._take_when_answered = False
        self.edit.setToolTip(f"Could not search: {message}")

    def _preselect_first(self) -> None:
        """Highlight the first suggestion so Enter takes it (Down moves on from there).

        The selection model's signals are blocked: QCompleter would otherwise
        report the row as "highlighted" and QLineEdit would replace what is being
        typed with it.
        """
        popup = self._completer.popup()
        model = self._completer.completionModel()
        if not popup.isVisible() or model.rowCount() == 0:
            return
        selection = popup.selectionModel()
        if popup.currentIndex().isValid() and popup.currentIndex().row() != 0:
            return  # the user moved on to another suggestion
        selection.blockSignals(True)
        try:
            popup.setCurrentIndex(model.index(0, 0))
        finally:
            selection.blockSignals(False)
        popup.viewport().update()

    # -- choosing --------------------------------------------------------------
    def _take_index(self, index: QModelIndex) -> None:
        """A suggestion was chosen in the popup."""
        self._queue((index.data(ID_ROLE), index.data(Qt.ItemDataRole.DisplayRole)))

    def take_typed(self) -> bool:
        """Return in the line edit: take the highlighted suggestion, else the best match.

        True when something will be added (on the next turn of the event loop).
        """
        text = self.edit.text().strip()
        if self._pending or not text:
            return bool(self._pending)
        if self._search is not None and self._answer[0] != text:
            self._take_when_answered = True  # the matches for this text are on their way
            if self._asked != text:
                self._ask(text)
            return True
        current = self._completer.popup().currentIndex()
        if current.isValid() and current.model() is self._completer.completionModel():
            choice: Choice | None = (
                current.data(ID_ROLE),
                current.data(Qt.ItemDataRole.DisplayRole),
            )
        else:
            choice = self._best_match(text)
        if choice is None and self._allow_new:
            choice = (None, text)
        if choice is None:
            return False
        self._queue(choice)
        return True

    def _queue(self, choice: Choice) -> None:
        """Add after the current event: QCompleter still uses its model while it reports a
        choice, and refilling the model now would make it activate another row."""
        if choice not in self._pending:
            self._pending.append(choice)
        QTimer.singleShot(0, self._flush)

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        for choice in pending:
            self.add(*choice)
        if pending:
            self.edit.clear()

    def _best_match(self, text: str) -> Choice | None:
        candidates = self._answer[1] if self._search else self._items
        folded = text.casefold()
        chosen = set(self.selected_ids())
        free = [c for c in candidates if c[0] not in chosen or c[0] is None]
        for ranked in (
            [c for c in free if c[1].casefold() == folded],
            [c for c in free if c[1].casefold().startswith(folded)],
            [c for c in free if folded in c[1].casefold()],
        ):
            if ranked:
                return ranked[0]
        return free[0] if self._search and free else None

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        """Enter with text adds it (and is not passed on to Save); empty Enter saves the form;
        Backspace in the empty box removes the last chip."""
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Backspace
            and not self.edit.text()
            and self.chips.count()
        ):
            self.chips.takeItem(self.chips.count() - 1)
            self._after_change()
            return True
        if (
            watched is self.edit
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.edit.text().strip()
        ):
            self.take_typed()
            return True
        return super().eventFilter(watched, event)

    def add(self, item_id: int | None, label: str) -> None:
        if item_id is not None and item_id in self.selected_ids():
            return
        if item_id is None and label.casefold() in {x.casefold() for x in self.labels()}:
            return
        chip = QListWidgetItem(label)
        chip.setData(ID_ROLE, item_id)
        chip.setData(Qt.ItemDataRole.UserRole, label)
        chip.setToolTip(f"{label}: press Delete or double-click to remove")
        self.chips.addItem(chip)
        self._after_change()

    def remove(self, item_id: int | None, label: str | None = None) -> None:
        for row in reversed(range(self.chips.count())):
            chip = self.chips.item(row)
            if chip.data(ID_ROLE) == item_id and (
                label is None or chip.data(Qt.ItemDataRole.UserRole) == label
            ):
                self.chips.takeItem(row)
        self._after_change()

    def remove_selected(self) -> None:
        rows = sorted((self.chips.row(c) for c in self.chips.selectedItems()), reverse=True)
        if not rows and self.chips.currentRow() >= 0:
            rows = [self.chips.currentRow()]
        for row in rows:
            self.chips.takeItem(row)
        if self.chips.count() == 0:
            self.edit.setFocus()
        self._after_change()

    def clear(self) -> None:
        self.chips.clear()
        self.edit.clear()
        self._after_change()

    def _after_change(self) -> None:
        if self._search is None:
            self._fill_model(self._items)
        self._update_chips_height()
        self.changed.emit()

    def _update_chips_height(self) -> None:
        """One row of chips, two when there are many; sized from the font (high-DPI, large text)."""
        self.chips.setVisible(self.chips.count() > 0)
        row = self.chips.fontMetrics().height() + 12
        self.chips.setFixedHeight(row if self.chips.count() <= 3 else 2 * row)

    # -- reading and writing the choice ----------------------------------------
    def selected(self) -> list[Choice]:
        return [
            (self.chips.item(i).data(ID_ROLE), self.chips.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.chips.count())
        ]

    def selected_ids(self) -> list[int]:
        return [item_id for item_id, _ in self.selected() if item_id is not None]

    def labels(self) -> list[str]:
        return [label for _, label in self.selected()]

    def set_selected(self, items: Iterable[Choice]) -> None:
        self.chips.blockSignals(True)
        self.chips.clear()
        for item_id, label in items:
            chip = QListWidgetItem(label)
            chip.setData(ID_ROLE, item_id)
            chip.setData(Qt.ItemDataRole.UserRole, label)
            self.chips.addItem(chip)
        self.chips.blockSignals(False)
        self._after_change()
