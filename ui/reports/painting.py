"""QPainter drawings shared by the dashboard and the report's chart images.

The borough tile map is drawn by the same function on screen and in the PDF,
so the two cannot drift apart. Plain QPainter (no widgets) is safe in a
worker thread, which is where report images are drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen

from vru_crm.reports.figures import BoroughFigure
from vru_crm.reports.london_grid import COLUMNS, ROWS, tile_for

# Colour-blind-friendly qualitative colours for series (kinds, networks, sectors, objectives).
SERIES_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
]  # fmt: skip
LOW, HIGH = QColor("#deebf7"), QColor("#08306b")
ZERO_FILL, ZERO_HATCH = QColor("#ffffff"), QColor("#d95f02")
PRIORITY_PEN = QColor("#000000")
SELECTED_PEN = QColor("#e6007e")


def series_colour(index: int) -> QColor:
    return QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])


def ramp(value: int, maximum: int) -> QColor:
    """Light to dark blue with the count (square root, so one busy borough doesn't wash out the rest)."""
    if maximum <= 0 or value <= 0:
        return QColor(LOW)
    t = min(1.0, (value / maximum) ** 0.5)
    return QColor.fromRgbF(
        LOW.redF() + (HIGH.redF() - LOW.redF()) * t,
        LOW.greenF() + (HIGH.greenF() - LOW.greenF()) * t,
        LOW.blueF() + (HIGH.blueF() - LOW.blueF()) * t,
    )


def text_colour(fill: QColor) -> QColor:
    return QColor("#ffffff") if fill.lightnessF() < 0.55 else QColor("#1d1d1b")


def tile_rects(area: QRectF, legend_height: float = 0.0) -> tuple[float, QPointF]:
    """The side of a tile and the grid's top-left corner, centred in ``area``."""
    usable_h = max(10.0, area.height() - legend_height)
    side = min(area.width() / COLUMNS, usable_h / ROWS)
    left = area.left() + (area.width() - side * COLUMNS) / 2
    top = area.top() + (usable_h - side * ROWS) / 2
    return side, QPointF(left, top)


def tile_rect(code: str, side: float, origin: QPointF) -> QRectF | None:
    tile = tile_for(code)
    if tile is None:
        return None
    gap = max(1.5, side * 0.05)
    return QRectF(origin.x() + tile.column * side + gap / 2, origin.y() + tile.row * side + gap / 2,
                  side - gap, side - gap)  # fmt: skip


def paint_tile_map(
    painter: QPainter, area: QRectF, boroughs: Sequence[BoroughFigure], selected_id: int | None = None,
    legend: bool = True, legend_scale: float = 1.0, ink: QColor | None = None,
) -> dict[int, QRectF]:  # fmt: skip
    """Draw the 33 tiles; returns each borough's tile rectangle (for clicks and hovers).

    ``ink`` is the legend's text colour: the report's dark grey on paper, the
    palette's text colour on screen (light on a dark background).
    """
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    maximum = max((b.engagements for b in boroughs), default=0)
    legend_width = area.width() / legend_scale
    placed, used = _legend_layout(legend_width, maximum, _legend_font(painter))
    legend_h = used * legend_scale if legend else 0.0
    side, origin = tile_rects(area, legend_h)
    rects: dict[int, QRectF] = {}
    for b in boroughs:
        rect = tile_rect(b.code, side, origin)
        if rect is None:
            continue
        rects[b.borough_id] = rect
        _paint_tile(painter, rect, b, maximum, selected=b.borough_id == selected_id)
    if legend:
        painter.save()
        painter.translate(area.left(), area.bottom() - legend_h)
        painter.scale(legend_scale, legend_scale)
        _paint_legend(painter, placed, maximum, ink)
        painter.restore()
    return rects


def _paint_tile(
    painter: QPainter, rect: QRectF, b: BoroughFigure, maximum: int, selected: bool
) -> None:
    fill = ramp(b.engagements, maximum) if b.engagements else ZERO_FILL
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRect(rect)
    if not b.engagements:
        painter.setBrush(QBrush(ZERO_HATCH, Qt.BrushStyle.BDiagPattern))
        painter.drawRect(rect)
    pen = QPen(SELECTED_PEN if selected else (PRIORITY_PEN if b.is_priority else QColor("#9e9e9e")))
    pen.setWidthF(max(1.0, rect.width() * (0.08 if selected or b.is_priority else 0.02)))
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = pen.widthF() / 2
    painter.drawRect(rect.adjusted(inset, inset, -inset, -inset))
    _tile_text(painter, rect, b, fill if b.engagements else ZERO_FILL)


def _tile_text(painter: QPainter, rect: QRectF, b: BoroughFigure, fill: QColor) -> None:
    from vru_crm.reports.london_grid import ABBREVIATIONS

    font = QFont(painter.font())
    font.setPixelSize(max(7, int(rect.height() * 0.2)))
    font.setBold(b.is_priority)
    painter.setFont(font)
    painter.setPen(text_colour(fill))
    top = QRectF(rect.left(), rect.top() + rect.height() * 0.1, rect.width(), rect.height() * 0.4)
    painter.drawText(top, Qt.AlignmentFlag.AlignCenter, ABBREVIATIONS.get(b.code, b.code))
    font.setBold(True)
    font.setPixelSize(max(8, int(rect.height() * 0.26)))
    painter.setFont(font)
    bottom = QRectF(
        rect.left(), rect.top() + rect.height() * 0.48, rect.width(), rect.height() * 0.42
    )
    painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, f"{b.engagements:,}")


LEGEND_BOX = 14.0
LEGEND_ROW = 20.0


def _legend_font(painter: QPainter) -> QFont:
    font = QFont(painter.font())
    font.setPixelSize(11)
    font.setBold(False)
    return font


def _legend_steps(maximum: int) -> list[int]:
    return sorted({0, max(1, maximum // 4), max(1, maximum // 2), maximum})


def _legend_layout(
    width: float, maximum: int, font: QFont
) -> tuple[list[tuple[str, object, QPointF]], float]:
    """Where each legend entry goes, wrapping onto more rows in a narrow map; and the height used.

    One row (34 px) as before when there is room, as in the report; on a
    narrow screen the entries wrap instead of running off the edge.
    """
    from PySide6.QtGui import QFontMetricsF

    metrics = QFontMetricsF(font)
    entries: list[tuple[str, object, float]] = [("title", "Engagements:", 92.0)]
    entries += [("step", v, LEGEND_BOX + 52) for v in _legend_steps(maximum)]
    entries.append(("priority", "priority borough",
                    LEGEND_BOX + 4 + metrics.horizontalAdvance("priority borough")))  # fmt: skip
    x, y = 6.0, 10.0
    placed = []
    for kind, value, advance in entries:
        if x > 6.0 and x + min(advance, LEGEND_BOX + 40) > width:
            x, y = 6.0, y + LEGEND_ROW
        placed.append((kind, value, QPointF(x, y)))
        x += advance
    return placed, y + 24.0


def _paint_legend(
    painter: QPainter, placed: list[tuple[str, object, QPointF]], maximum: int, ink: QColor | None
) -> None:
    ink = ink or QColor("#1d1d1b")
    painter.setFont(_legend_font(painter))
    box = LEGEND_BOX
    for kind, value, at in placed:
        x, y = at.x(), at.y()
        if kind == "title":
            painter.setPen(ink)
            painter.drawText(QPointF(x, y + 11), str(value))
        elif kind == "step":
            rect = QRectF(x, y, box, box)
            painter.setPen(QColor("#9e9e9e"))
            painter.setBrush(ramp(int(value), maximum) if value else ZERO_FILL)  # type: ignore[arg-type]
            painter.drawRect(rect)
            if not value:
                painter.setBrush(QBrush(ZERO_HATCH, Qt.BrushStyle.BDiagPattern))
                painter.drawRect(rect)
            painter.setPen(ink)
            painter.drawText(QPointF(x + box + 4, y + 11), "none" if not value else f"{value:,}")
        else:
            pen = QPen(PRIORITY_PEN)
            pen.setWidthF(3)
            painter.setPen(pen)
            painter.setBrush(LOW)  # a tile's fill behind the black edge, so it shows on a dark page
            painter.drawRect(QRectF(x, y, box, box))
            painter.setPen(ink)
            painter.drawText(QPointF(x + box + 4, y + 11), str(value))
