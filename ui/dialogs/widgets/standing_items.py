"""A network's standing agenda items as an ordered list, edited from the keyboard.

The list shows the items in agenda order ("1. Welcome and apologies — Chair, 5 min");
the three fields under it edit the item chosen in the list. An editable table
would let Enter in a cell also press the form's Save, so the fields are plain
line edits where Enter saves the form as everywhere else.

Keys in the list: Insert adds an item, Delete removes one, Alt+Up / Alt+Down
(or Ctrl+Up / Ctrl+Down) move it. Each key also has a button with a mnemonic.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


@dataclass
class ItemRow:
    """One standing item as the form holds it (``kind`` kept from the stored item)."""

    title: str = ""
    presenter: str = ""
    minutes: int | None = None
    kind: str = "standing"

    def words(self, number: int) -> str:
        text = f"{number}. {self.title.strip() or '(no title yet)'}"
        if self.presenter.strip():
            text += f" — {self.presenter.strip()}"
        if self.minutes:
            text += f", {self.minutes} min"
        return text


class StandingItemsEditor(QWidget):
    """Ordered items with title, default presenter and minutes; ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ItemRow] = []
        self._filling = False
        self.list = _ItemList(self)
        self.list.setAccessibleName("Standing agenda items")
        self.list.setWordWrap(True)  # a long title wraps rather than hiding behind a scroll bar
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setToolTip("Insert adds an item, Delete removes it, Alt+Up / Alt+Down move it.")
        self.list.currentRowChanged.connect(self._show_current)
        self.list.add_requested.connect(self.add_item)
        self.list.remove_requested.connect(self.remove_item)
        self.list.move_requested.connect(self.move_item)
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Item title")
        self.title.setPlaceholderText("e.g. Welcome and apologies")
        self.presenter = QLineEdit(self)
        self.presenter.setAccessibleName("Item presenter")
        self.presenter.setPlaceholderText("e.g. Chair")
        self.minutes = QSpinBox(self)
        self.minutes.setAccessibleName("Item minutes")
        self.minutes.setRange(0, 600)
        self.minutes.setSpecialValueText("not set")
        self.minutes.setSuffix(" min")
        for signal in (self.title.textEdited, self.presenter.textEdited):
            signal.connect(self._edited)
        self.minutes.valueChanged.connect(self._edited)
        self.add_button = self._button("&Add item", "Add a standing item", self.add_item)
        self.remove_button = self._button("R&emove", "Remove the standing item", self.remove_item)
        self.up_button = self._button("Move &up", "Move the item up", lambda: self.move_item(-1))
        self.down_button = self._button(
            "Move do&wn", "Move the item down", lambda: self.move_item(1)
        )
        self._layout()
        self._show_current(-1)

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _layout(self) -> None:
        self.list.setMinimumHeight(self.list.fontMetrics().lineSpacing() * 5 + 8)
        fields = QFormLayout()
        fields.setContentsMargins(0, 0, 0, 0)
        for text, widget in (
            ("Tit&le", self.title),
            ("P&resenter", self.presenter),
            ("Minu&tes", self.minutes),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            fields.addRow(label, widget)
        buttons = QGridLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.remove_button, 0, 1)
        buttons.addWidget(self.up_button, 1, 0)
        buttons.addWidget(self.down_button, 1, 1)
        side = QVBoxLayout()
        side.addLayout(fields)
        side.addLayout(buttons)
        side.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 3)
        row.addLayout(side, 2)
        self.setFocusProxy(self.list)
        # A label's mnemonic (Alt+letter) focuses only a widget that takes focus; Tab skips
        # a proxied widget, so this adds no stop of its own.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def focus_chain(self) -> list[QWidget]:
        """The editor's widgets in Tab order, for the form's chain."""
        return [
            self.list,
            self.title,
            self.presenter,
            self.minutes,
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        ]

    # -- reading and writing -------------------------------------------------------
    def rows(self) -> list[ItemRow]:
        return [ItemRow(r.title, r.presenter, r.minutes, r.kind) for r in self._rows]

    def set_rows(self, rows: list[ItemRow]) -> None:
        self._rows = [ItemRow(r.title, r.presenter, r.minutes, r.kind) for r in rows]
        self._refresh(0 if self._rows else -1)

    # -- editing -------------------------------------------------------------------
    def add_item(self) -> None:
        """A new item after the chosen one, ready to type its title."""
        at = self.list.currentRow() + 1 if self.list.currentRow() >= 0 else len(self._rows)
        self._rows.insert(at, ItemRow())
        self._refresh(at)
        self.title.setFocus()
        self.changed.emit()

    def remove_item(self) -> None:
        at = self.list.currentRow()
        if not 0 <= at < len(self._rows):
            return
        del self._rows[at]
        self._refresh(min(at, len(self._rows) - 1))
        self.list.setFocus()
        self.changed.emit()

    def move_item(self, step: int) -> None:
        at = self.list.currentRow()
        to = at + step
        if not (0 <= at < len(self._rows) and 0 <= to < len(self._rows)):
            return
        self._rows[at], self._rows[to] = self._rows[to], self._rows[at]
        self._refresh(to)
        self.changed.emit()

    def _edited(self, *_args) -> None:
        at = self.list.currentRow()
        if self._filling or not 0 <= at < len(self._rows):
            return
        row = self._rows[at]
        row.title, row.presenter = self.title.text(), self.presenter.text()
        row.minutes = self.minutes.value() or None
        self.list.item(at).setText(row.words(at + 1))
        self.changed.emit()

    def _refresh(self, current: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for n, row in enumerate(self._rows, start=1):
            self.list.addItem(row.words(n))
        self.list.blockSignals(False)
        if current >= 0:
            self.list.setCurrentRow(current)
        self._show_current(current)

    def _show_current(self, at: int) -> None:
        has = 0 <= at < len(self._rows)
        self._filling = True
        row = self._rows[at] if has else ItemRow()
        self.title.setText(row.title)
        self.presenter.setText(row.presenter)
        self.title.setCursorPosition(0)  # show a long title from its start
        self.presenter.setCursorPosition(0)
        self.minutes.setValue(row.minutes or 0)
        self._filling = False
        for widget in (
            self.title,
            self.presenter,
            self.minutes,
            self.remove_button,
            self.up_button,
            self.down_button,
        ):
            widget.setEnabled(has)


class _ItemList(QListWidget):
    add_requested = Signal()
    remove_requested = Signal()
    move_requested = Signal(int)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        moving = event.modifiers() & (
            Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier
        )
        if event.key() == Qt.Key.Key_Insert:
            self.add_requested.emit()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit()
        elif moving and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)
