"""The dashboard's pyqtgraph charts: engagements over time, stakeholders, objectives, governance.

Each chart takes plain figures (``vru_crm.reports.figures``), never queries,
and shows the exact value under the mouse in a read-out line and a tooltip
(``hover_text`` is the same text, for tests and for keyboard users). This
module imports pyqtgraph, so the dashboard imports it only when first shown.

The charts sit in the page's scroll area, so the mouse wheel over one scrolls
the page like anywhere else (it used to zoom the chart, off to -10,000 with
the month labels piled up). Zooming is deliberate: Ctrl+wheel, on the charts
where it means something, and "Reset zoom" (a button that appears, and the
chart's context menu) puts the chart back. Colours come from the palette, so
a chart is dark in a dark appearance and re-draws when the palette changes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ui.reports.painting import series_colour
from ui.style import chart_colours, format_date
from vru_crm.reports.figures import ObjectiveFigure, OverTime, StakeholderPoint
from vru_crm.reports.governance_figures import GovernanceHealth

pg.setConfigOptions(antialias=True)  # colours: from the palette, per chart (apply_palette)


class ChartPlot(pg.PlotWidget):
    """A plot that lets the wheel scroll the page; Ctrl+wheel zooms along ``zoom_axes``."""

    zoomed = Signal()

    def __init__(self, zoom_axes: tuple[bool, bool] | None = None) -> None:
        super().__init__(enableMenu=False)  # no view-box menu built only to be thrown away
        self.zoom_axes = zoom_axes
        self.setMenuEnabled(False)
        self.hideButtons()
        self.getPlotItem().vb.setMouseEnabled(x=False, y=False)  # no drag-pan, no wheel-zoom

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt API)
        if self.zoom_axes is None or not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._scroll_the_page(event)
            return
        view = self.getPlotItem().vb
        x, y = self.zoom_axes
        view.setMouseEnabled(x=x, y=y)  # a drag pans the zoomed chart until it is reset
        super().wheelEvent(event)
        event.accept()
        self.zoomed.emit()

    def _scroll_the_page(self, event: QWheelEvent) -> None:
        """Hand the wheel to the scroll area the chart sits in, as if the chart were not there.

        Sent on by hand rather than ignored: Qt passes an ignored wheel event
        to the parent only when it came from the window system, and this way a
        wheel event sent by a test or a tour scrolls the page the same.
        """
        area = self.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()
            return
        viewport = area.viewport()
        where = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
        forwarded = QWheelEvent(where, event.globalPosition(), event.pixelDelta(),
                                event.angleDelta(), event.buttons(), event.modifiers(),
                                event.phase(), event.inverted(), event.source())  # fmt: skip
        QApplication.sendEvent(viewport, forwarded)
        event.accept()


class _Chart(QWidget):
    """A plot with a read-out line under it that says the exact value under the mouse."""

    hovered = Signal(str)
    ZOOM_AXES: tuple[bool, bool] | None = None  # which axes Ctrl+wheel zooms; None: no zoom

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = ChartPlot(self.ZOOM_AXES)
        self.readout = QLabel(" ")
        self.readout.setObjectName("readout")
        self.readout.setMinimumWidth(40)  # long read-outs are cut, never widen the page
        self.reset_button = QToolButton()
        self.reset_button.setText("Reset zoom")
        self.reset_button.setToolTip("Show the whole chart again (Ctrl+wheel zooms)")
        self.reset_button.clicked.connect(self.reset_zoom)
        keep_room = self.reset_button.sizePolicy()
        keep_room.setRetainSizeWhenHidden(True)  # the chart does not jump when it shows
        self.reset_button.setSizePolicy(keep_room)
        self.reset_button.hide()
        self.reset_action = QAction("Reset zoom", self.plot)
        self.reset_action.triggered.connect(self.reset_zoom)
        self.reset_action.setEnabled(False)
        if self.ZOOM_AXES is not None:
            self.plot.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            self.plot.addAction(self.reset_action)
            self.plot.setToolTip("Ctrl+wheel zooms; right-click to reset")
        self.plot.zoomed.connect(self._zoomed)
        self._home: tuple[list[float], list[float]] | None = None
        self._data: object = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        under = QHBoxLayout()
        under.addWidget(self.readout, 1)
        under.addWidget(self.reset_button)
        layout.addLayout(under)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.apply_palette()

    # -- colours -----------------------------------------------------------------------
    @property
    def ink(self) -> QColor:
        return chart_colours()[1]

    @property
    def paper(self) -> QColor:
        return chart_colours()[0]

    def apply_palette(self) -> None:
        """Background, axes and legend in the palette's colours (then the data is re-drawn)."""
        paper, ink = chart_colours()
        self.plot.setBackground(paper)
        item = self.plot.getPlotItem()
        for name in ("left", "bottom", "right", "top"):
            axis = item.getAxis(name)
            axis.setPen(ink)
            axis.setTextPen(ink)
            if axis.label is not None:
                axis.label.setDefaultTextColor(ink)
        legend = item.legend
        if legend is not None:
            legend.setLabelTextColor(ink)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_data"):
            self.apply_palette()
            if self._data is not None:
                self.set_data(self._data)

    def set_data(self, data) -> None:
        raise NotImplementedError

    # -- zoom ------------------------------------------------------------------------------
    def _remember_home(self) -> None:
        """The range ``set_data`` chose: what "Reset zoom" goes back to."""
        (x0, x1), (y0, y1) = self.plot.getPlotItem().vb.viewRange()
        self._home = ([x0, x1], [y0, y1])
        self._unzoomed()

    def _zoomed(self) -> None:
        self.reset_button.show()
        self.reset_action.setEnabled(True)

    def _unzoomed(self) -> None:
        self.reset_button.hide()
        self.reset_action.setEnabled(False)
        self.plot.getPlotItem().vb.setMouseEnabled(x=False, y=False)

    @property
    def is_zoomed(self) -> bool:
        return self.reset_action.isEnabled()

    def reset_zoom(self) -> None:
        if self._home is not None:
            x, y = self._home
            self.plot.getPlotItem().vb.setRange(xRange=x, yRange=y, padding=0)
        self._unzoomed()

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

    ZOOM_AXES = (True, False)  # Ctrl+wheel zooms along time; the counts stay from 0 up

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: OverTime | None = None
        self.plot.addLegend(offset=(-10, 10), labelTextSize="8pt")
        self.plot.setLabel("left", "Engagements")
        self.apply_palette()

    def set_data(self, data: OverTime) -> None:
        self.data = self._data = data
        item = self.plot.getPlotItem()
        item.clear()
        xs = list(range(len(data.buckets)))
        base = [0] * len(xs)
        for index, series in enumerate(data.series):
            colour = series_colour(index)
            bars = pg.BarGraphItem(x=xs, height=list(series.values), y0=list(base), width=0.7,
                                   brush=colour, pen=pg.mkPen(self.paper), name=series.label)  # fmt: skip
            self.plot.addItem(bars)
            base = [b + v for b, v in zip(base, series.values, strict=True)]
        if len(xs) <= 26:
            for x, total in zip(xs, data.totals, strict=True):
                label = pg.TextItem(f"{total:,}", anchor=(0.5, 1.0), color=self.ink)
                label.setPos(x, max(base[x], total))
                self.plot.addItem(label)
        step = max(1, len(xs) // 12)
        ticks = [(x, p.short_label) for x, p in enumerate(data.buckets) if x % step == 0]
        item.getAxis("bottom").setTicks([ticks])
        top = max(data.totals, default=0) * 1.15 + 1
        item.vb.setLimits(xMin=-1.0, xMax=max(len(xs), 1), yMin=0, minXRange=1.0)
        item.setYRange(0, top, padding=0)
        item.setXRange(-0.6, len(xs) - 0.4)
        self._remember_home()

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
        self._data = rows
        self.rows = list(rows)
        item = self.plot.getPlotItem()
        item.clear()
        ys = list(range(len(self.rows)))
        widths = [o.engagements for o in self.rows]
        self.plot.addItem(
            pg.BarGraphItem(x0=0, y=ys, height=0.6, width=widths, brush=series_colour(0))
        )
        for y, o in zip(ys, self.rows, strict=True):
            label = pg.TextItem(f"{o.engagements:,}", anchor=(0, 0.5), color=self.ink)
            label.setPos(o.engagements, y)
            self.plot.addItem(label)
        item.getAxis("left").setTicks(
            [[(y, f"Obj. {o.number}") for y, o in zip(ys, self.rows, strict=True)]]
        )
        item.setXRange(0, max(widths, default=0) * 1.2 + 1)
        self._remember_home()

    def hover_text(self, x: float, y: float) -> str:
        index = _bar_slot(y, len(self.rows))
        if index is None:
            return ""
        o = self.rows[index]
        return f"{o.number}. {o.title}: {o.engagements:,} engagements, {o.people_reached:,} people reached"


class StakeholderChart(_Chart):
    """Influence (up) against interest (across), a colour per sector, arrows from the previous assessment."""

    ZOOM_AXES = (True, True)  # a crowded corner of the grid can be looked at closely

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[StakeholderPoint] = []
        self._spots: list[tuple[float, float, StakeholderPoint]] = []
        self.plot.setLabel("left", "Influence")
        self.plot.setLabel("bottom", "Interest")
        # The sectors are listed under the chart, wrapping: inside it, their long
        # names ran off the left edge of a narrow chart and hid the points.
        self.legend = QLabel("")
        self.legend.setObjectName("legend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.layout().insertWidget(1, self.legend)
        self.apply_palette()

    @staticmethod
    def _place(interest: int, influence: int, seed: int) -> tuple[float, float]:
        return interest + ((seed * 7919) % 61 - 30) / 100, influence + (
            (seed * 104729) % 61 - 30
        ) / 100

    def set_data(self, points: Sequence[StakeholderPoint]) -> None:
        self._data = points
        self.points = list(points)
        item = self.plot.getPlotItem()
        item.clear()
        self._spots = [
            (*self._place(p.interest, p.influence, p.organisation_id), p) for p in self.points
        ]
        self._arrows()
        swatches = []
        for index, sector in enumerate(sorted({p.sector_label for p in self.points})):
            swatches.append(
                f'<span style="color: {series_colour(index).name()}">&#9679;</span>&nbsp;'
                f"{html.escape(sector)}"
            )
            mine = [(x, y) for x, y, p in self._spots if p.sector_label == sector]
            self.plot.addItem(pg.ScatterPlotItem(
                [x for x, _ in mine], [y for _, y in mine], size=10, brush=series_colour(index),
                pen=pg.mkPen(self.paper), name=sector,
            ))  # fmt: skip
        self.legend.setText(" &nbsp; ".join(swatches))
        item.setXRange(0.5, 5.5)
        item.setYRange(0.5, 5.5)
        self._remember_home()

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
            f", was influence {p.previous_influence}, interest {p.previous_interest} on {format_date(p.previous_assessed_on)}"
            if p.moved else ""
        )  # fmt: skip
        return (
            f"{p.name} ({p.sector_label}): influence {p.influence}, interest {p.interest}, "
            f"support {p.support} on {format_date(p.assessed_on)}{moved}"
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
        self._data = g
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
            label = pg.TextItem(f"{value:,}", anchor=(0.5, 1.0), color=self.ink)
            label.setPos(x, value)
            self.plot.addItem(label)
        ticks = [(0, "Actions\nopen"), (1, "overdue"), (2.5, "Recommend.\nopen"), (3.5, "overdue")]
        item.getAxis("bottom").setTicks([ticks])
        item.setYRange(0, max(self.values) * 1.2 + 1)
        item.setXRange(-0.6, 4.1)
        self._remember_home()

    def hover_text(self, x: float, y: float) -> str:
        for index, centre in enumerate((0, 1, 2.5, 3.5)):
            if abs(x - centre) <= 0.4:
                return f"{self.LABELS[index]}: {self.values[index]:,}"
        return ""
