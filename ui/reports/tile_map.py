"""The London borough tile map as a widget: coloured by engagements, click a tile to select it.

Drawn by ``painting.paint_tile_map``, the same function as the report's
image. Clicking a tile emits ``borough_selected(borough_id)``; hovering shows
the borough's exact figures in a tooltip and in ``hover_text``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui.reports.painting import paint_tile_map
from ui.style import chart_colours
from vru_crm.reports.figures import BoroughFigure


class BoroughTileMap(QWidget):
    borough_selected = Signal(int)
    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boroughs: list[BoroughFigure] = []
        self.selected_id: int | None = None
        self.hover_text = ""
        self._rects: dict[int, QRectF] = {}
        self.setMouseTracking(True)
        self.setMinimumSize(250, 280)  # the tiles scale; three cards side by side fit 1024 px
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("London borough tile map")

    def set_data(self, boroughs: Sequence[BoroughFigure]) -> None:
        self.boroughs = list(boroughs)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        paper, ink = chart_colours()  # the palette's, like the charts beside it
        painter.fillRect(self.rect(), paper)
        self._rects = paint_tile_map(painter, QRectF(self.rect()).adjusted(4, 4, -4, -4), self.boroughs,
                                     self.selected_id, ink=ink)  # fmt: skip
        painter.end()

    def borough_at(self, pos: QPointF) -> BoroughFigure | None:
        if not self._rects:
            self.grab()  # lay out the tiles once, even before the first paint on screen
        for borough in self.boroughs:
            rect = self._rects.get(borough.borough_id)
            if rect is not None and rect.contains(pos):
                return borough
        return None

    def tile_centre(self, borough_id: int) -> QPoint:
        """The middle of a borough's tile (for tests and keyboard helpers)."""
        if not self._rects:
            self.grab()
        return self._rects[borough_id].center().toPoint()

    def describe(self, b: BoroughFigure) -> str:
        priority = " (priority borough)" if b.is_priority else ""
        if not b.engagements:
            return f"{b.name}{priority}: no engagements in this period"
        noun = "engagement" if b.engagements == 1 else "engagements"
        return f"{b.name}{priority}: {b.engagements:,} {noun}, {b.people_reached:,} people reached"

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        b = self.borough_at(event.position())
        text = self.describe(b) if b else ""
        if text != self.hover_text:
            self.hover_text = text
            self.setToolTip(text)
            if text:
                QToolTip.showText(event.globalPosition().toPoint(), text, self)
                self.hovered.emit(text)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        b = self.borough_at(event.position())
        if b is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(b.borough_id)
        super().mousePressEvent(event)

    def select(self, borough_id: int) -> None:
        self.selected_id = borough_id
        self.update()
        self.borough_selected.emit(borough_id)
