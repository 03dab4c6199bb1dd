"""The dashboard's pyqtgraph charts: engagements over time, stakeholders, objectives, governance.

Each chart takes plain figures (``vru_crm.reports.figures``), never queries,
and shows the exact value under the mouse in a read-out line and a tooltip
(``hover_text`` is the same text, for tests and for keyboard users). This
module imports pyqtgraph, so the dashboard imports it only when first shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from ui.reports.painting import series_colour
from vru_crm.reports.figures import ObjectiveFigure, OverTime, StakeholderPoint
from vru_crm.reports.governance_figures import GovernanceHealth

pg.setConfigOptions(antialias=True, background="w", foreground="#1d1d1b")


class _Chart(QWidget):
    """A plot with a read-out line under it that says the exact value under the mouse."""

    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.readout = QLabel(" ")
        self.readout.setObjectName("readout")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        view = self.plot.getPlotItem().vb
        if not view.sceneBoundingRect().contains(scene_pos):
            return
        point = view.mapSceneToView(scene_pos)
        text = self.hover_text(point.x(), point.y())
        self.readout.setText(text or " ")
        self.plot.setToolTip(text)
        if text:
            self.hovered.emit(text)
            QToolTip.showText(
                self.plot.mapToGlobal(self.plot.mapFromScene(scene_pos)), text, self.plot
            )

    def hover_text(self, x: float, y: float) -> str:
        """Words for the data point at view coordinates (x, y), or "" where there is none."""
        raise NotImplementedError

    def view_point_to_widget(self, x: float, y: float):
        """Where the data point (x, y) is on the plot widget (for tests that move the mouse there)."""
        scene = self.plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))
        return self.plot.mapFromScene(scene)


def _bar_slot(x: float, count: int) -> int | None:
    index = int(round(x))
    return index if 0 <= index < count and abs(x - index) <= 0.4 else None


class OverTimeChart(_Chart):
    """Stacked bars: one bar per week/month/quarter, one colour per kind/network/sector/objective."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: OverTime | None = None
        self.plot.addLegend(offset=(-10, 10), labelTextSize="8pt")
        self.plot.setLabel("left", "Engagements")

    def set_data(self, data: OverTime) -> None:
        self.data = data
        item = self.plot.getPlotItem()
        item.clear()
        xs = list(range(len(data.buckets)))
        base = [0] * len(xs)
        for index, series in enumerate(data.series):
            colour = series_colour(index)
            bars = pg.BarGraphItem(x=xs, height=list(series.values), y0=list(base), width=0.7,
                                   brush=colour, pen=pg.mkPen("w"), name=series.label)  # fmt: skip
            self.plot.addItem(bars)
            base = [b + v for b, v in zip(base, series.values, strict=True)]
        if len(xs) <= 26:
            for x, total in zip(xs, data.totals, strict=True):
                label = pg.TextItem(f"{total:,}", anchor=(0.5, 1.0), color="#1d1d1b")
                label.setPos(x, max(base[x], total))
                self.plot.addItem(label)
        step = max(1, len(xs) // 12)
        ticks = [(x, p.short_label) for x, p in enumerate(data.buckets) if x % step == 0]
        item.getAxis("bottom").setTicks([ticks])
        item.setYRange(0, max(data.totals, default=0) * 1.15 + 1)
        item.setXRange(-0.6, len(xs) - 0.4)

    def hover_text(self, x: float, y: float) -> str:
        if self.data is None:
            return ""
        index = _bar_slot(x, len(self.data.buckets))
        if index is None:
            return ""
        bucket = self.data.buckets[index].label
        total = self.data.totals[index]
        base = 0
        for series in self.data.series:
            value = series.values[index]
            if value and base <= y <= base + value:
                return f"{bucket}: {series.label} {value:,} of {total:,} engagements"
            base += value
        return f"{bucket}: {total:,} engagements"


class ObjectivesChart(_Chart):
    """Horizontal bars for the eight objectives, each with its count written at its end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ObjectiveFigure] = []
        self.plot.getPlotItem().invertY(True)

    def set_data(self, rows: Sequence[ObjectiveFigure]) -> None:
        self.rows = list(rows)
        item = self.plot.getPlotItem()
        item.clear()
        ys = list(range(len(self.rows)))
        widths = [o.engagements for o in self.rows]
        self.plot.addItem(
            pg.BarGraphItem(x0=0, y=ys, height=0.6, width=widths, brush=series_colour(0))
        )
        for y, o in zip(ys, self.rows, strict=True):
            label = pg.TextItem(f"{o.engagements:,}", anchor=(0, 0.5), color="#1d1d1b")
            label.setPos(o.engagements, y)
            self.plot.addItem(label)
        item.getAxis("left").setTicks(
            [[(y, f"Obj. {o.number}") for y, o in zip(ys, self.rows, strict=True)]]
        )
        item.setXRange(0, max(widths, default=0) * 1.2 + 1)

    def hover_text(self, x: float, y: float) -> str:
        index = _bar_slot(y, len(self.rows))
        if index is None:
            return ""
        o = self.rows[index]
        return f"{o.number}. {o.title}: {o.engagements:,} engagements, {o.people_reached:,} people reached"


class StakeholderChart(_Chart):
    """Influence (up) against interest (across), a colour per sector, arrows from the previous assessment."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[StakeholderPoint] = []
        self._spots: list[tuple[float, float, StakeholderPoint]] = []
        self.plot.setLabel("left", "Influence")
        self.plot.setLabel("bottom", "Interest")
        self.plot.addLegend(offset=(-10, 10), labelTextSize="8pt")

    @staticmethod
    def _place(interest: int, influence: int, seed: int) -> tuple[float, float]:
        return interest + ((seed * 7919) % 61 - 30) / 100, influence + (
            (seed * 104729) % 61 - 30
        ) / 100

    def set_data(self, points: Sequence[StakeholderPoint]) -> None:
        self.points = list(points)
        item = self.plot.getPlotItem()
        item.clear()
        self._spots = [
            (*self._place(p.interest, p.influence, p.organisation_id), p) for p in self.points
        ]
        self._arrows()
        for index, sector in enumerate(sorted({p.sector_label for p in self.points})):
            mine = [(x, y) for x, y, p in self._spots if p.sector_label == sector]
            self.plot.addItem(pg.ScatterPlotItem(
                [x for x, _ in mine], [y for _, y in mine], size=10, brush=series_colour(index),
                pen=pg.mkPen("w"), name=sector,
            ))  # fmt: skip
        item.setXRange(0.5, 5.5)
        item.setYRange(0.5, 5.5)

    def _arrows(self) -> None:
        for x, y, p in self._spots[:2000]:
            if not p.moved:
                continue
            px, py = self._place(
                p.previous_interest or 0, p.previous_influence or 0, p.organisation_id
            )
            self.plot.addItem(pg.PlotDataItem([px, x], [py, y], pen=pg.mkPen("#999999", width=1)))
            angle = _angle(px, py, x, y)
            head = pg.ArrowItem(pos=(x, y), angle=angle, headLen=9, brush="#999999", pen=None)
            self.plot.addItem(head)

    def hover_text(self, x: float, y: float) -> str:
        near = [
            (abs(sx - x) + abs(sy - y), p)
            for sx, sy, p in self._spots
            if abs(sx - x) < 0.12 and abs(sy - y) < 0.12
        ]
        if not near:
            return ""
        p = min(near, key=lambda n: n[0])[1]
        moved = (
            f", was influence {p.previous_influence}, interest {p.previous_interest} on {p.previous_assessed_on:%d %b %Y}"
            if p.moved else ""
        )  # fmt: skip
        return (
            f"{p.name} ({p.sector_label}): influence {p.influence}, interest {p.interest}, "
            f"support {p.support} on {p.assessed_on:%d %b %Y}{moved}"
        )


def _angle(x0: float, y0: float, x1: float, y1: float) -> float:
    """pyqtgraph's ArrowItem angle (degrees; 0 points left) for an arrow pointing from (x0, y0) to (x1, y1)."""
    import math

    return 180.0 - math.degrees(math.atan2(y1 - y0, x1 - x0))


class GovernanceChart(_Chart):
    """Actions and recommendations: open and overdue side by side, exact counts written on the bars."""

    LABELS = ("Actions open", "Actions overdue", "Recommendations open", "Recommendations overdue")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[int] = [0, 0, 0, 0]

    def set_data(self, g: GovernanceHealth) -> None:
        self.values = [
            g.actions_open,
            g.actions_overdue,
            g.recommendations_open,
            g.recommendations_overdue,
        ]
        item = self.plot.getPlotItem()
        item.clear()
        colours = [QColor("#1f77b4"), QColor("#d62728"), QColor("#1f77b4"), QColor("#d62728")]
        self.plot.addItem(
            pg.BarGraphItem(x=[0, 1, 2.5, 3.5], height=self.values, width=0.8, brushes=colours)
        )
        for x, value in zip((0, 1, 2.5, 3.5), self.values, strict=True):
            label = pg.TextItem(f"{value:,}", anchor=(0.5, 1.0), color="#1d1d1b")
            label.setPos(x, value)
            self.plot.addItem(label)
        ticks = [(0, "Actions\nopen"), (1, "overdue"), (2.5, "Recommend.\nopen"), (3.5, "overdue")]
        item.getAxis("bottom").setTicks([ticks])
        item.setYRange(0, max(self.values) * 1.2 + 1)
        item.setXRange(-0.6, 4.1)

    def hover_text(self, x: float, y: float) -> str:
        for index, centre in enumerate((0, 1, 2.5, 3.5)):
            if abs(x - centre) <= 0.4:
                return f"{self.LABELS[index]}: {self.values[index]:,}"
        return ""
