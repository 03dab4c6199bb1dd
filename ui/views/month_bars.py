"""A strip of bars: engagements per month, drawn with QPainter.

Small and dependency-free (no chart library to load for one strip), in the
palette's highlight colour so it reads in light and dark themes.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

MONTHS_SHOWN = 24


def month_labels(end: date, count: int = MONTHS_SHOWN) -> list[str]:
    """The last ``count`` months up to ``end``'s month, as 'YYYY-MM', oldest first."""
    year, month = end.year, end.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return keys[::-1]


class MonthBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._months: list[str] = []
        self._counts: list[int] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.fontMetrics().height() * 6)
        self.setAccessibleName("Engagements per month")

    def set_counts(self, counts: dict[str, int], end: date) -> None:
        self._months = month_labels(end)
        self._counts = [counts.get(m, 0) for m in self._months]
        total = sum(self._counts)
        self.setAccessibleDescription(
            f"{total} engagements in the last {len(self._months)} months; busiest month "
            f"{self._label(self._counts.index(max(self._counts)))} with {max(self._counts)}"
            if total
            else f"No engagements in the last {len(self._months)} months"
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(480, self.fontMetrics().height() * 6)

    def _label(self, i: int) -> str:
        year, month = self._months[i].split("-")
        return date(int(year), int(month), 1).strftime("%b %Y")

    def _bar_rects(self) -> list[QRectF]:
        if not self._counts:
            return []
        text_h = self.fontMetrics().height()
        top, bottom = text_h + 4, self.height() - text_h - 6
        width = self.width() / len(self._counts)
        peak = max(max(self._counts), 1)
        rects = []
        for i, n in enumerate(self._counts):
            h = (bottom - top) * n / peak
            rects.append(
                QRectF(i * width + width * 0.15, bottom - h, width * 0.7, max(h, 1 if n else 0))
            )
        return rects

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        bar = palette.color(QPalette.ColorRole.Highlight)
        metrics = self.fontMetrics()
        if not self._counts or not any(self._counts):
            painter.setPen(faint)
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "No engagements in the last two years"
            )
            return
        rects = self._bar_rects()
        for rect in rects:
            painter.fillRect(rect, bar)
        baseline = self.height() - metrics.height() - 5
        painter.setPen(faint)
        painter.drawLine(0, int(baseline), self.width(), int(baseline))
        painter.setPen(text)
        painter.drawText(0, metrics.ascent(), f"busiest month: {max(self._counts)}")
        width = self.width() / len(self._counts)
        for i in range(0, len(self._counts), 3):
            painter.drawText(
                QRectF(i * width, baseline + 3, width * 3, metrics.height()), self._label(i)
            )
        painter.end()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt name
        if not self._counts:
            return
        i = int(event.position().x() // (self.width() / len(self._counts)))
        if 0 <= i < len(self._counts):
            QToolTip.showText(
                event.globalPosition().toPoint(), f"{self._label(i)}: {self._counts[i]}", self
            )
