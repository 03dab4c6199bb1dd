"""The VRU's objectives as numbered checkboxes that are one Tab stop, toggled by their number.

People who log engagements know the objectives by number ("that was a 1 and a
3"): with the box focused, the digit toggles that objective, the arrow keys
move between them and Space toggles the one with focus; anywhere in the form,
Alt+digit does the same (``install_shortcuts``). Only one checkbox is in the
Tab chain at a time (the last one used), so Tab goes past the eight of them in
one step instead of eight.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QStyle, QWidget

_MOVES = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -2, Qt.Key.Key_Down: 2}


class ObjectivesBox(QGroupBox):
    """Checkboxes for (id, number, title) objectives in two columns, in number order."""

    changed = Signal()

    def __init__(self, objectives, parent: QWidget | None = None, *, width: int = 46) -> None:
        super().__init__(parent)
        self.setAccessibleName("Objectives")
        # Not a Tab stop itself (its current checkbox is), but a label's mnemonic may focus it.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.boxes: dict[int, QCheckBox] = {}
        self._by_number: dict[int, QCheckBox] = {}
        self._order: list[QCheckBox] = []
        self._width = width
        self._grid = QGridLayout(self)
        # Until the objectives arrive (read on the pool): a word, and the room they will take.
        self._waiting = QLabel("Loading the objectives…", self)
        self._waiting.setStyleSheet("color: palette(placeholder-text);")
        self._grid.addWidget(self._waiting, 0, 0)
        self.set_objectives(objectives)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """While empty, the size of eight objectives in two columns: the form does not jump."""
        if self._order:
            return super().sizeHint()
        style, metrics = self.style(), self.fontMetrics()
        indicator = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
        gap = style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing)
        box = QSize(
            indicator + gap + metrics.horizontalAdvance("n" * self._width),
            max(indicator, metrics.height()) + 6,
        )
        spacing = max(0, self._grid.spacing())
        margins = self._grid.contentsMargins()
        return QSize(
            2 * box.width() + spacing + margins.left() + margins.right(),
            4 * box.height() + 3 * spacing + margins.top() + margins.bottom(),
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.sizeHint() if not self._order else super().minimumSizeHint()

    def set_objectives(self, objectives) -> None:
        """Show these (id, number, title) objectives, none ticked (a form's lists read later)."""
        for box in self._order:
            box.setParent(None)
            box.deleteLater()
        self.boxes.clear()  # the same dict: a form may hold on to it
        self._by_number.clear()
        self._order.clear()
        for i, (objective_id, number, title) in enumerate(objectives):
            box = QCheckBox(_elide(f"{number}. {title}", self._width), self)
            box.setAccessibleName(f"Objective {number}: {title}")
            box.setToolTip(f"{title}\nPress {number} here, or Alt+{number} anywhere in the form")
            box.toggled.connect(self.changed)
            box.installEventFilter(self)
            box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            self.boxes[objective_id] = box
            self._by_number[int(number)] = box
            self._order.append(box)
            self._grid.addWidget(box, i // 2, i % 2)
            box.show()  # at once: a box added to a shown form is otherwise shown a moment later
        self._waiting.setVisible(not self._order)
        if self._order:
            self._make_current(self._order[0])
        self.updateGeometry()

    # -- the one Tab stop ---------------------------------------------------------
    def current(self) -> QCheckBox | None:
        """The checkbox Tab lands on."""
        return next((b for b in self._order if b.focusPolicy() == Qt.FocusPolicy.StrongFocus), None)

    def _make_current(self, box: QCheckBox) -> None:
        for other in self._order:
            other.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if other is box else Qt.FocusPolicy.ClickFocus
            )
        self.setFocusProxy(box)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if watched in self._order and event.type() == QEvent.Type.FocusIn:
            self._make_current(watched)
        if watched in self._order and event.type() == QEvent.Type.KeyPress:
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if plain and event.text().isdigit() and int(event.text()) in self._by_number:
                self.toggle_number(int(event.text()))
                return True
            if plain and event.key() in _MOVES:
                index = self._order.index(watched) + _MOVES[event.key()]
                if 0 <= index < len(self._order):
                    target = self._order[index]
                    self._make_current(target)
                    target.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    # -- choosing -----------------------------------------------------------------
    def toggle_number(self, number: int) -> None:
        box = self._by_number.get(number)
        if box is not None:
            box.toggle()

    def install_shortcuts(self, window: QWidget) -> None:
        """Alt+1 … Alt+9 in ``window`` toggle the objective with that number."""
        for number in self._by_number:
            if number <= 9:
                shortcut = QShortcut(QKeySequence(f"Alt+{number}"), window)
                shortcut.activated.connect(lambda n=number: self.toggle_number(n))

    def checked_ids(self) -> list[int]:
        return [i for i, box in self.boxes.items() if box.isChecked()]

    def set_checked(self, ids) -> None:
        for objective_id, box in self.boxes.items():
            box.setChecked(objective_id in ids)


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
