"""A strip of bars: engagements per month, drawn with QPainter.

Small and dependency-free (no chart library to load for one strip), in the
palette's highlight colour so it reads in light and dark themes. It spans
from the first month on record (at least two years, at most ten) to now, and
spaces its labels so they never overlap.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

MIN_MONTHS = 24
MAX_MONTHS = 120
LABEL_STEPS = (1, 3, 6, 12, 24, 60)


def month_labels(end: date, count: int = MIN_MONTHS) -> list[str]:
    """The last ``count`` months up to ``end``'s month, as 'YYYY-MM', oldest first."""
    year, month = end.year, end.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return keys[::-1]


def months_to_show(counts: dict[str, int], end: date) -> int:
    """From the first month with an engagement to ``end``, within [MIN_MONTHS, MAX_MONTHS]."""
    if not counts:
        return MIN_MONTHS
    first_year, first_month = (int(x) for x in min(counts).split("-"))
    span = (end.year - first_year) * 12 + end.month - first_month + 1
    return max(MIN_MONTHS, min(MAX_MONTHS, span))


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
        self._months = month_labels(end, months_to_show(counts, end))
        self._counts = [counts.get(m, 0) for m in self._months]
        total, peak = sum(self._counts), max(self._counts)
        self.setAccessibleDescription(
            f"{total} engagements over {len(self._months)} months; the busiest, "
            f"{self._label(self._counts.index(peak))}, had {peak}"
            if total
            else f"No engagements in the last {len(self._months)} months"
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(480, self.fontMetrics().height() * 6)

    def _label(self, i: int, short: bool = False) -> str:
        year, month = (int(x) for x in self._months[i].split("-"))
        return str(year) if short else date(year, month, 1).strftime("%b %Y")

    def _step(self) -> int:
        """Months between labels, so that each label has room."""
        room = self.fontMetrics().horizontalAdvance("Mmm 0000") + 12
        width = self.width() / max(len(self._counts), 1)
        return next((s for s in LABEL_STEPS if s * width >= room), LABEL_STEPS[-1])

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
        painter = QPainter(self)
        palette = self.palette()
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        if not any(self._counts):
            painter.setPen(faint)
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "No engagements in this period"
            )
            return
        metrics = self.fontMetrics()
        top, baseline = metrics.height() + 4, self.height() - metrics.height() - 6
        width = self.width() / len(self._counts)
        peak = max(self._counts)
        for i, n in enumerate(self._counts):
            height = (baseline - top) * n / peak
            gap = min(width * 0.15, 3)
            rect = QRectF(i * width + gap, baseline - height, max(width - 2 * gap, 1), height)
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        painter.setPen(faint)
        painter.drawLine(0, int(baseline), self.width(), int(baseline))
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(0, metrics.ascent(), f"most in one month: {peak}")
        step = self._step()
        for i in range(len(self._counts)):
            month = int(self._months[i][5:])
            if (step < 12 and (month - 1) % step == 0) or (
                step >= 12 and month == 1 and int(self._months[i][:4]) % (step // 12) == 0
            ):
                box = QRectF(
                    i * width,
                    baseline + 3,
                    metrics.horizontalAdvance("Mmm 0000") + 8,
                    metrics.height(),
                )
                painter.drawText(box, self._label(i, short=step >= 12))
        painter.end()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt name
        if not self._counts:
            return
        i = int(event.position().x() // (self.width() / len(self._counts)))
        if 0 <= i < len(self._counts):
            QToolTip.showText(
                event.globalPosition().toPoint(), f"{self._label(i)}: {self._counts[i]}", self
            )
