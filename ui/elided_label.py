"""A one-line label that shortens its text with "…" instead of widening the window.

A plain QLabel asks for the width of its whole text as its minimum, so a long
status message ("Wrote vru-quarterly-report-2026-Q2.pdf (pdf, 7 pages)") made
the Reports page, and with it the main window, wider than the screen, and the
window remembered that width at the next start. This label asks
for little, shows as much as fits, and keeps the whole text in its tooltip
and accessible description.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyleOption, QWidget


class ElidedLabel(QLabel):
    """``text()`` is the whole text; what is painted is elided to the width there is."""

    MINIMUM_WIDTH = 60

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt name
        super().setText(text)
        self.setToolTip(text)
        self.setAccessibleDescription(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(
            min(self.MINIMUM_WIDTH, super().sizeHint().width()), super().sizeHint().height()
        )

    def elided_text(self) -> str:
        """What is shown at the current width (for tests)."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt name
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            self.alignment() | Qt.AlignmentFlag.AlignVCenter,
            option.palette,
            self.isEnabled(),
            self.elided_text(),
            self.foregroundRole(),
        )
        painter.end()
