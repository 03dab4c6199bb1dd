"""An inline message that says what is wrong with one field, right beside it."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

# Readable on both a light and a dark window colour (WCAG AA on white / #2b2b2b).
_LIGHT_BG_RED = "#b3261e"
_DARK_BG_RED = "#ff8a80"


def _error_colour(widget: QWidget) -> str:
    window = widget.palette().color(QPalette.ColorRole.Window)
    return _DARK_BG_RED if window.lightness() < 128 else _LIGHT_BG_RED


class InlineError(QLabel):
    """Hidden while the field is fine; shows the problem in words when it is not.

    The message is also set as the field's accessible description, so a screen
    reader announces it with the field.
    """

    def __init__(self, field: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field = field
        self.setWordWrap(True)
        self.setVisible(False)
        self.setAccessibleName("Problem")
        self._apply_colour()

    def _apply_colour(self) -> None:
        colour = _error_colour(self)
        if colour != getattr(self, "_colour", None):  # setting it is itself a palette change
            self._colour = colour
            self.setStyleSheet(f"color: {colour};")

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """Follow the system palette when it switches between light and dark."""
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colour()
        super().changeEvent(event)

    def show_problem(self, problem: str | None) -> None:
        problem = (problem or "").strip()
        self.setText(problem)
        # A hidden parent (a dialog not shown yet) must not make the label "visible".
        self.setHidden(not problem)
        if self._field is not None:
            self._field.setAccessibleDescription(problem)

    @property
    def problem(self) -> str:
        return self.text() if not self.isHidden() else ""


def with_error(field: QWidget, parent: QWidget | None = None) -> tuple[QWidget, InlineError]:
    """``field`` stacked above its error label, ready for a QFormLayout row."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    error = InlineError(field, box)
    layout.addWidget(error)
    box.setFocusProxy(field)
    return box, error
