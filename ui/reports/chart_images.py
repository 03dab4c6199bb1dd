"""The report's charts as PNG images, drawn with QPainter on a QImage.

Images are drawn without widgets or pyqtgraph so they can be made in a worker
thread (the app's export) and from the command line with no window at all.
Each chart prints its exact values on the picture, because a PDF has no
hover.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from ui.reports.painting import paint_tile_map, series_colour
from vru_crm.reports.figures import ObjectiveFigure, OverTime, StakeholderPoint
from vru_crm.reports.quarterly import QuarterlyReport

WIDTH, HEIGHT = 1200, 600
INK = QColor("#1d1d1b")
GRID = QColor("#dddddd")


def ensure_gui() -> None:
    """Fonts need a QGuiApplication; the command line has none, and maybe no display."""
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    global _app
    _app = QGuiApplication([])


_app: QGuiApplication | None = None


def _image(width: int = WIDTH, height: int = HEIGHT) -> tuple[QImage, QPainter]:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    font = QFont("DejaVu Sans")
    font.setPixelSize(16)
    painter.setFont(font)
    return image, painter


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _finish(image: QImage, painter: QPainter) -> bytes:
    painter.end()
    return png_bytes(image)


def _font(painter: QPainter, size: int, bold: bool = False) -> None:
    font = QFont(painter.font())
    font.setPixelSize(size)
    font.setBold(bold)
    painter.setFont(font)


def _empty(painter: QPainter, area: QRectF, text: str) -> None:
    _font(painter, 32)
    painter.setPen(QColor("#777777"))
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter, text)


def over_time_png(ot: OverTime) -> bytes:
    """Stacked bars per bucket, the total printed above each bar, a legend on the right."""
    image, p = _image()
    plot = QRectF(90, 40, WIDTH - 420, HEIGHT - 140)
    top = max(ot.totals, default=0)
    if not top:
        _empty(p, plot, "No engagements in this period")
        return _finish(image, p)
    _axis(p, plot, top)
    slot = plot.width() / len(ot.buckets)
    for i, bucket in enumerate(ot.buckets):
        x, base = plot.left() + i * slot + slot * 0.15, 0
        for j, series in enumerate(ot.series):
            value = series.values[i]
            if value:
                _bar(
                    p,
                    QRectF(x, _y(plot, base + value, top), slot * 0.7, plot.height() * value / top),
                    j,
                )
                base += value
        _font(p, 22, bold=True)
        p.setPen(INK)
        p.drawText(QRectF(x - 20, _y(plot, base, top) - 30, slot * 0.7 + 40, 28), Qt.AlignmentFlag.AlignCenter,
                   f"{ot.totals[i]:,}")  # fmt: skip
        _font(p, 20)
        p.save()
        p.translate(x + slot * 0.35, plot.bottom() + 8)
        p.rotate(35)
        p.drawText(QPointF(0, 16), bucket.short_label)
        p.restore()
    _legend(
        p, QRectF(plot.right() + 30, plot.top(), 300, plot.height()), [s.label for s in ot.series]
    )
    return _finish(image, p)


def _y(plot: QRectF, value: float, top: float) -> float:
    return plot.bottom() - plot.height() * value / top


def _bar(p: QPainter, rect: QRectF, colour_index: int) -> None:
    p.setPen(QPen(QColor("#ffffff"), 1))
    p.setBrush(series_colour(colour_index))
    p.drawRect(rect)


def _axis(p: QPainter, plot: QRectF, top: int) -> None:
    _font(p, 20)
    step = max(1, _nice_step(top))
    value = 0
    while value <= top:
        y = _y(plot, value, top)
        p.setPen(GRID)
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        p.setPen(INK)
        p.drawText(QRectF(0, y - 14, plot.left() - 10, 28), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                   f"{value:,}")  # fmt: skip
        value += step


def _nice_step(top: int) -> int:
    raw = top / 5
    magnitude = 10 ** max(0, len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _legend(p: QPainter, area: QRectF, labels: list[str]) -> None:
    _font(p, 22)
    y = area.top()
    for i, label in enumerate(labels):
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(series_colour(i))
        p.drawRect(QRectF(area.left(), y + 4, 22, 22))
        p.setPen(INK)
        text = p.fontMetrics().elidedText(
            label, Qt.TextElideMode.ElideRight, int(area.width() - 30)
        )
        p.drawText(QPointF(area.left() + 30, y + 23), text)
        y += 34


def boroughs_png(report: QuarterlyReport) -> bytes:
    image, p = _image(1100, 980)
    paint_tile_map(p, QRectF(10, 10, 1080, 960), report.figures.boroughs, legend_scale=1.6)
    return _finish(image, p)


def objectives_png(rows: list[ObjectiveFigure]) -> bytes:
    """Horizontal bars, one per objective, the count at the end of each bar."""
    image, p = _image(WIDTH, 520)
    label_w, top_y, row_h = 640.0, 20.0, 60.0
    top = max((o.engagements for o in rows), default=0) or 1
    for i, o in enumerate(rows):
        y = top_y + i * row_h
        _font(p, 24)
        p.setPen(INK)
        text = p.fontMetrics().elidedText(
            f"{o.number}. {o.title}", Qt.TextElideMode.ElideRight, int(label_w - 10)
        )
        p.drawText(QRectF(10, y, label_w - 10, row_h - 10), Qt.AlignmentFlag.AlignVCenter, text)
        width = (WIDTH - label_w - 100) * o.engagements / top
        _bar(p, QRectF(label_w, y + 8, max(width, 1.0), row_h - 26), 0)
        _font(p, 24, bold=True)
        p.setPen(INK)
        p.drawText(QPointF(label_w + width + 8, y + row_h / 2 + 2), f"{o.engagements:,}")
    return _finish(image, p)


def stakeholders_png(points: list[StakeholderPoint]) -> bytes:
    """Influence (up) against interest (across), coloured by sector, arrows from the previous assessment."""
    image, p = _image(WIDTH, 720)
    plot = QRectF(100, 30, 620, 600)
    if not points:
        _empty(p, plot, "No stakeholder assessments yet")
        return _finish(image, p)
    _grid_1_to_5(p, plot)
    sectors = sorted({pt.sector_label for pt in points})
    colour = {s: i for i, s in enumerate(sectors)}
    for pt in points[:2000]:
        spot = _spot(plot, pt.interest, pt.influence, pt.organisation_id)
        if pt.moved:
            _arrow(
                p,
                _spot(
                    plot, pt.previous_interest or 0, pt.previous_influence or 0, pt.organisation_id
                ),
                spot,
            )
        p.setPen(QPen(QColor("#ffffff"), 1))
        p.setBrush(series_colour(colour[pt.sector_label]))
        p.drawEllipse(spot, 11, 11)
    _legend(p, QRectF(plot.right() + 40, plot.top(), 360, plot.height()), sectors)
    return _finish(image, p)


def _spot(plot: QRectF, interest: int, influence: int, seed: int) -> QPointF:
    """A point's place, nudged a little by its id so organisations in one cell don't hide each other."""
    jx, jy = ((seed * 7919) % 61 - 30) / 100, ((seed * 104729) % 61 - 30) / 100
    x = plot.left() + (interest - 0.5 + jx) * plot.width() / 5
    y = plot.bottom() - (influence - 0.5 + jy) * plot.height() / 5
    return QPointF(x, y)


def _grid_1_to_5(p: QPainter, plot: QRectF) -> None:
    _font(p, 22)
    for i in range(6):
        x = plot.left() + i * plot.width() / 5
        y = plot.top() + i * plot.height() / 5
        p.setPen(GRID)
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
    p.setPen(INK)
    for v in range(1, 6):
        p.drawText(
            QPointF(plot.left() + (v - 0.5) * plot.width() / 5 - 6, plot.bottom() + 28), str(v)
        )
        p.drawText(
            QPointF(plot.left() - 30, plot.bottom() - (v - 0.5) * plot.height() / 5 + 8), str(v)
        )
    p.drawText(
        QRectF(plot.left(), plot.bottom() + 34, plot.width(), 30),
        Qt.AlignmentFlag.AlignCenter,
        "Interest",
    )
    p.save()
    p.translate(plot.left() - 64, plot.center().y())
    p.rotate(-90)
    p.drawText(QRectF(-80, -15, 160, 30), Qt.AlignmentFlag.AlignCenter, "Influence")
    p.restore()


def _arrow(p: QPainter, start: QPointF, end: QPointF) -> None:
    p.setPen(QPen(QColor("#888888"), 2.5))
    p.drawLine(start, end)
    path = QPainterPath()
    direction = end - start
    length = max(1e-6, (direction.x() ** 2 + direction.y() ** 2) ** 0.5)
    ux, uy = direction.x() / length, direction.y() / length
    tip = end - QPointF(ux * 12, uy * 12)
    left = tip - QPointF(ux * 14 - uy * 8, uy * 14 + ux * 8)
    right = tip - QPointF(ux * 14 + uy * 8, uy * 14 - ux * 8)
    path.addPolygon(QPolygonF([tip, left, right, tip]))
    p.fillPath(path, QColor("#888888"))


def render_report_charts(report: QuarterlyReport) -> dict[str, bytes]:
    """Every chart of the quarterly report, by the names in ``quarterly.CHARTS``."""
    ensure_gui()
    return {
        "over_time": over_time_png(report.figures.over_time),
        "boroughs": boroughs_png(report),
        "objectives": objectives_png(report.figures.objectives),
        "stakeholders": stakeholders_png(report.figures.stakeholders),
    }
