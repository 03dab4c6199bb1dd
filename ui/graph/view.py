"""The graph drawing: pan, zoom, hover for a name, click to open, search to centre.

Drawn with pyqtgraph because it keeps 5,000 nodes and 20,000 ties smooth: all
ties are one curve item (``connect="pairs"``, cosmetic 1-px pen, no
antialiasing) and all nodes one scatter item, so panning repaints two items,
not 25,000. Labels are few on purpose: the largest nodes, or every node in view
once the user has zoomed in far enough; they are placed after the view has
settled (a 60 ms timer), not on every frame of a drag or a wheel turn.

What a frame costs (5,000 nodes, 20,000 ties, 1200x800 offscreen; one drag step
or one wheel step and its repaint, ``bench/graph_layout.py``): the ties are
half to three quarters of a repaint (more when zoomed in: the lines grow
longer on screen and Qt's cost is per pixel), the nodes about a tenth, the
labels little. The one change that mattered was painting once per step
instead of twice (see ``_apply_range_now``). Tried and not kept: an opaque or a
``drawLines`` pen for the ties (no faster: Qt's cosmetic stroker costs per
pixel either way), and Qt's device-coordinate cache for the ties (pans 3 ms
cheaper, but every wheel step re-renders the cache into a transparent pixmap,
where a translucent pen is Qt's slow path: 220 ms a step).

Colours follow the palette: the canvas is the palette's Base, names its Text,
and a node colour that would vanish into the canvas (the near-black of the
networks on a dark one) is drawn in the text colour instead, in the drawing
and in the legend alike (``colour_of``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor

from ui.style import chart_colours, is_dark, visible_on
from vru_crm.graph.export import SECTOR_COLOURS
from vru_crm.graph.service import GraphSnapshot

COLOUR_MODES = ("sector", "network", "community")
SIZE_MODES = ("degree", "weighted_degree", "betweenness", "none")
SYMBOLS = {"organisation": "o", "person": "o", "network": "s", "borough": "d"}
LABELS_ALWAYS = 12  # the largest nodes keep their names at any zoom
LABELS_WHEN_FEW = 30  # with this many nodes or fewer in view, all are named
GREY = (190, 190, 190)
LABEL_BOX = (150, 16)  # pixels a name takes: two names closer than this would overlap
ROOMY = 300  # up to this many nodes get the full range of dot sizes; more are drawn smaller
TIE_BUDGET = 25_000  # ties drawn at most: the heaviest, or those in view once zoomed in
NODE_BUDGET = 15_000  # with more nodes than this in view, people are left to their organisations
AGGREGATED_TIES = 8_000  # ties drawn at most in that aggregated view (12 to 15 ms a frame of CPU)


class GraphView(pg.PlotWidget):
    """Signals: ``node_clicked(kind, id)``, ``node_hovered(label)`` ("" when leaving a node)."""

    node_clicked = Signal(str, int)
    node_hovered = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent, background=chart_colours()[0])
        self.snapshot: GraphSnapshot | None = None
        self.colour_by, self.size_by = "sector", "degree"
        self.sizes = np.zeros(0)
        self.selected: int | None = None
        item = self.getPlotItem()
        item.hideAxis("left")
        item.hideAxis("bottom")
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setAspectLocked(True)
        self.edges_item = pg.PlotCurveItem(
            pen=pg.mkPen(150, 150, 150, 70, width=1), antialias=False
        )
        self.nodes_item = pg.ScatterPlotItem(pxMode=True, antialias=True)
        self.ring = pg.ScatterPlotItem(pxMode=True, brush=None, pen=pg.mkPen(255, 140, 0, width=3))
        self.hover_text = pg.TextItem("", anchor=(0, 1))
        self._hover_colours()
        self.hover_text.setZValue(20)
        for z, it in enumerate((self.edges_item, self.nodes_item, self.ring)):
            it.setZValue(z)
            self.addItem(it)
        self.addItem(self.hover_text, ignoreBounds=True)
        self.hover_text.hide()
        self.labels: list[pg.TextItem] = []
        self._heaviest: np.ndarray | None = None
        self._drawn_ties: np.ndarray | None = None
        self._shown: np.ndarray | None = None
        self._not_people = np.zeros(0, dtype=bool)
        self._styles: tuple[list, list] = ([], [])
        self._group_colours: dict[str, dict[object, tuple[int, int, int]]] = {}
        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.setInterval(60)
        self._label_timer.timeout.connect(self.update_labels)
        item.getViewBox().sigRangeChanged.connect(self._apply_range_now)
        self._buttons_down = False
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self._ready = True  # palette changes are followed from here on

    def _hover_colours(self) -> None:
        """The name under the mouse: dark on pale yellow, or light on dark grey in a dark palette."""
        if is_dark():
            self.hover_text.setColor((240, 240, 240))
            self.hover_text.fill = pg.mkBrush(60, 60, 50, 235)
        else:
            self.hover_text.setColor((20, 20, 20))
            self.hover_text.fill = pg.mkBrush(255, 255, 230, 230)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Light <-> dark: the canvas, the names and the colours that depend on it follow."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_ready", False):
            self.setBackground(chart_colours()[0])
            self._hover_colours()
            ink = chart_colours()[1]
            for label in self.labels:
                label.setColor(ink)
            self._restyle()
            self.update_labels()

    def _apply_range_now(self, *_args) -> None:
        """Move the drawing to the new range at once, and place the labels once it settles.

        pyqtgraph applies a new range lazily, inside the next paint; the items it
        moves there ask for a second, full repaint. Applying it here, before the
        paint, halves the work of every drag and wheel step: at 5,000 nodes a
        drag step went from 14.5 to 8.3 ms and a wheel step from 20 to 11 ms
        (two repaints a step to one).
        """
        self.scene().prepareForPaint()
        self._label_timer.start()

    def close(self) -> None:
        """Stop the label timer first: pyqtgraph lets go of the plot when its widget closes."""
        self._label_timer.stop()
        super().close()

    # ---- data ----------------------------------------------------------------
    def set_snapshot(self, snapshot: GraphSnapshot) -> None:
        self.snapshot = snapshot
        self.selected = None
        self.ring.clear()
        self._heaviest = (
            np.argsort(-snapshot.weights, kind="stable") if len(snapshot.edges) else None
        )
        self._drawn_ties = None
        self._not_people = np.array([kind != "person" for kind in snapshot.kinds], dtype=bool)
        everything = np.ones(len(snapshot.keys), dtype=bool)
        self._shown = self._nodes_to_show(everything) if len(snapshot.keys) else everything
        self._draw_ties(self._ties_to_draw(None))
        self._restyle()
        self.autoRange(padding=0.05)
        self.update_labels()

    def _ties_to_draw(self, in_view: np.ndarray | None) -> np.ndarray:
        """Level of detail for the ties: all of them up to ``TIE_BUDGET``, else the heaviest.

        A frame's cost is mostly its ties (Qt strokes them per pixel). At tens of
        thousands of nodes the whole map shows the heaviest ties, which carry its
        shape (a 1-px translucent line more is grey on grey); zoomed in, every tie
        with an end in view is drawn, up to the budget, heaviest first.
        """
        snap = self.snapshot
        assert snap is not None
        m = len(snap.edges)
        hidden = self._shown is not None and not self._shown.all()
        if (m <= TIE_BUDGET and not hidden) or self._heaviest is None:
            return np.arange(m)
        order = self._heaviest
        if hidden:  # no tie to a node that is not drawn
            both = self._shown[snap.edges[:, 0]] & self._shown[snap.edges[:, 1]]
            order = order[both[order]]
        if in_view is not None:
            touching = in_view[snap.edges[:, 0]] | in_view[snap.edges[:, 1]]
            order = order[touching[order]]
        return np.sort(order[: AGGREGATED_TIES if hidden else TIE_BUDGET])

    def _draw_ties(self, chosen: np.ndarray) -> None:
        snap = self.snapshot
        assert snap is not None
        if self._drawn_ties is not None and np.array_equal(chosen, self._drawn_ties):
            return
        self._drawn_ties = chosen
        if len(chosen):
            xy = snap.positions[snap.edges[chosen].ravel()]
            self.edges_item.setData(xy[:, 0], xy[:, 1], connect="pairs")
        else:
            self.edges_item.setData([], [])

    def drawn_ties(self) -> int:
        """How many ties are drawn now (the level of detail's choice)."""
        return 0 if self._drawn_ties is None else len(self._drawn_ties)

    def set_colour_by(self, mode: str) -> None:
        self.colour_by = mode
        self._restyle()

    def set_size_by(self, mode: str) -> None:
        self.size_by = mode
        self._restyle()
        self.update_labels()

    def _restyle(self) -> None:
        snap = self.snapshot
        self._group_colours = {}  # the palette may have changed (light <-> dark)
        if snap is None:
            return
        self.sizes = self._sizes(snap)
        symbols = {kind: SYMBOLS.get(kind, "o") for kind in set(snap.kinds)}
        self._styles = (self._brushes(snap), [symbols[kind] for kind in snap.kinds])
        self._draw_nodes()

    def _draw_nodes(self) -> None:
        """The nodes shown now (all, or without the people: see ``_nodes_to_show``)."""
        snap = self.snapshot
        assert snap is not None
        brushes, symbols = self._styles
        pen = pg.mkPen(255, 255, 255, 200, width=0.8)  # one pen for all: one atlas entry per size
        if self._shown is None or self._shown.all():
            self.nodes_item.setData(
                pos=snap.positions, size=self.sizes, brush=brushes, symbol=symbols, pen=pen
            )
            return
        shown = np.flatnonzero(self._shown)
        self.nodes_item.setData(
            pos=snap.positions[shown],
            size=self.sizes[shown],
            brush=[brushes[i] for i in shown.tolist()],
            symbol=[symbols[i] for i in shown.tolist()],
            pen=pen,
        )

    def _nodes_to_show(self, in_view: np.ndarray) -> np.ndarray:
        """The aggregated view: with more than ``NODE_BUDGET`` nodes in view, people are not drawn.

        At the real size most nodes are people (50,000 of 60,000), each tied to
        an organisation; from afar they are a haze around it that costs most of a
        frame. Organisations, networks and boroughs carry the map's shape; the
        people appear once the user zooms in, and a selected person always shows.
        """
        snap = self.snapshot
        assert snap is not None
        if int(in_view.sum()) <= NODE_BUDGET:
            return np.ones(len(snap.keys), dtype=bool)
        shown = self._not_people.copy()
        if self.selected is not None:
            shown[self.selected] = True
        return shown

    def _sizes(self, snap: GraphSnapshot) -> np.ndarray:
        """Dot sizes in pixels: 5 to 30 for a few hundred nodes, smaller when there are more.

        Dots keep their size in pixels when zooming, so thousands of full-size
        dots would cover one another (and every tie) at the first view; shrinking
        the range by the square root of the crowding keeps the map readable.
        """
        n = len(snap.keys)
        scale = min(1.0, float(np.sqrt(ROOMY / n))) if n else 1.0
        if self.size_by == "none" or n == 0:
            sizes = np.full(n, max(8.0 * scale, 4.0))
        else:
            values = np.asarray(snap.measures[self.size_by], dtype=float)
            top = values.max() if len(values) and values.max() > 0 else 1.0
            sizes = max(5.0 * scale, 3.0) + max(25.0 * scale, 8.0) * np.sqrt(values / top)
        network = max(14.0 * scale, 9.0)
        return np.where(np.array(snap.kinds) == "network", np.maximum(sizes, network), sizes)

    def _brushes(self, snap: GraphSnapshot) -> list:
        """One brush per colour, shared by every node of its group (250,000 nodes at 2M)."""
        brushes: dict[object, object] = {}

        def brush(group: object) -> object:
            found = brushes.get(group)
            if found is None:
                found = brushes[group] = pg.mkBrush(*self._colour_of_group(group), 230)
            return found

        return [brush(group) for group in self._groups(snap)]

    def _groups(self, snap: GraphSnapshot) -> list:
        """What decides each node's colour under the current mode (community, network, sector)."""
        if self.colour_by == "community":
            return np.asarray(snap.communities).tolist()
        if self.colour_by == "network":
            return list(snap.networks)
        return list(snap.sectors)

    def _colour_of_group(self, group: object) -> tuple[int, int, int]:
        cache = self._group_colours.setdefault(self.colour_by, {})
        found = cache.get(group)
        if found is None:
            if self.colour_by == "community":
                found = _palette(int(group))  # type: ignore[call-overload]
            elif self.colour_by == "network":
                found = _palette(_stable_index(str(group))) if group else GREY
            else:
                found = self._visible(SECTOR_COLOURS.get(str(group), SECTOR_COLOURS["other"]))
            cache[group] = found
        return found

    def colour_of(self, i: int) -> tuple[int, int, int]:
        snap = self.snapshot
        assert snap is not None
        if self.colour_by == "community":
            return self._colour_of_group(int(snap.communities[i]))
        if self.colour_by == "network":
            return self._colour_of_group(snap.networks[i])
        return self._colour_of_group(snap.sectors[i])

    @staticmethod
    def _visible(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
        """``rgb``, or the text colour where it would vanish into the canvas."""
        colour = visible_on(QColor(*rgb), chart_colours()[0])
        return colour.red(), colour.green(), colour.blue()

    def legend(self, limit: int = 12) -> list[tuple[str, tuple[int, int, int]]]:
        """What the colours mean now: the commonest ``limit`` groups, largest first."""
        snap = self.snapshot
        if snap is None:
            return []
        from collections import Counter

        from db.enums import SECTOR_LABELS

        def name(group) -> str:
            if self.colour_by == "community":
                return f"Community {group + 1}" if group >= 0 else "Not measured yet"
            if self.colour_by == "network":
                return group or "In no network"
            return SECTOR_LABELS.get(group, group.capitalize())

        counts = Counter(self._groups(snap))  # by group first: one name and colour per group
        named: Counter = Counter()
        for group, count in counts.items():
            named[(name(group), self._colour_of_group(group))] += count
        return [entry for entry, _ in named.most_common(limit)]

    # ---- finding nodes -------------------------------------------------------
    def node_at(self, view_point: QPointF, slack_px: float = 4.0) -> int | None:
        """The node drawn under a point (in graph coordinates), the nearest if several.

        A plain numpy scan: 17 µs for 5,000 nodes, so a spatial index (KD-tree)
        would not be felt on a mouse move.
        """
        snap = self.snapshot
        if snap is None or not len(snap.keys):
            return None
        px_w, px_h = self.getPlotItem().getViewBox().viewPixelSize()
        dx = (snap.positions[:, 0] - view_point.x()) / (px_w or 1.0)
        dy = (snap.positions[:, 1] - view_point.y()) / (px_h or 1.0)
        dist = np.sqrt(dx**2 + dy**2)
        if self._shown is not None and not self._shown.all():
            dist = np.where(self._shown, dist, np.inf)  # what is not drawn cannot be pointed at
        i = int(np.argmin(dist))
        return i if dist[i] <= self.sizes[i] / 2 + slack_px else None

    def search(self, text: str) -> int | None:
        """Highlight and centre the first node whose name contains ``text`` (largest first)."""
        snap = self.snapshot
        needle = text.strip().lower()
        if snap is None or not needle:
            return None
        matches = [i for i, label in enumerate(snap.labels) if needle in label.lower()]
        if not matches:
            return None
        best = max(matches, key=lambda i: (snap.labels[i].lower() == needle, self.sizes[i]))
        self.focus_node(best)
        return best

    def focus_node(self, i: int) -> None:
        """Ring the node and put it in the middle of the view, zooming in if the view is wide."""
        snap = self.snapshot
        assert snap is not None
        self.selected = i
        x, y = (float(v) for v in snap.positions[i])
        self.ring.setData(pos=[(x, y)], size=[self.sizes[i] + 10], symbol=["o"])
        (x0, x1), (y0, y1) = self.getPlotItem().getViewBox().viewRange()
        span = (
            snap.positions.max(axis=0) - snap.positions.min(axis=0)
            if len(snap.keys) > 1
            else np.ones(2)
        )
        half = max(min(x1 - x0, y1 - y0, float(max(span)) / 3), 4.0) / 2
        self.setRange(xRange=(x - half, x + half), yRange=(y - half, y + half), padding=0)
        self.update_labels()

    # ---- labels --------------------------------------------------------------
    def update_labels(self) -> None:
        """Name the largest nodes in view, or all of them once few are in view.

        Text items come from a fixed pool and are moved, not made: adding and
        removing items on every zoom would stall the drawing.
        """
        snap = self.snapshot
        chosen: list[int] = []
        if snap is not None and len(snap.keys):
            (x0, x1), (y0, y1) = self.getPlotItem().getViewBox().viewRange()
            p = snap.positions
            in_view = (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
            shown = self._nodes_to_show(in_view)
            if self._shown is None or not np.array_equal(shown, self._shown):
                self._shown = shown
                self._draw_nodes()
            if len(snap.edges) > TIE_BUDGET or not shown.all():
                self._draw_ties(self._ties_to_draw(in_view))
            visible = np.flatnonzero(in_view)
            if len(visible) > LABELS_WHEN_FEW:
                visible = visible[np.argsort(-self.sizes[visible])[:LABELS_ALWAYS]]
            chosen = self._uncluttered(visible[np.argsort(-self.sizes[visible])])
            if self.selected is not None and self.selected not in chosen:
                chosen.append(self.selected)
        while len(self.labels) < len(chosen):
            text = pg.TextItem("", color=chart_colours()[1], anchor=(0.5, -0.4))
            text.setZValue(10)
            self.addItem(text, ignoreBounds=True)
            self.labels.append(text)
        fill = self._label_fill()
        for n, label in enumerate(self.labels):
            if n < len(chosen):
                i = chosen[n]
                if label.fill != fill:
                    label.fill = fill
                    label.update()
                name = _short(snap.labels[i])  # type: ignore[union-attr]
                if label.toPlainText() != name:
                    label.setText(name)
                label.setPos(float(snap.positions[i, 0]), float(snap.positions[i, 1]))  # type: ignore[union-attr]
                label.show()
            else:
                label.hide()

    def _label_fill(self) -> QBrush:
        """A pale box behind each name when the graph is crowded, so names stay readable over dots.

        With a few hundred nodes the names read well on the white around them,
        and a box would only hide bits of the dots beside them.
        """
        crowded = self.snapshot is not None and len(self.snapshot.keys) > ROOMY
        if not crowded:
            return QBrush(Qt.BrushStyle.NoBrush)
        paper = QColor(chart_colours()[0])
        paper.setAlpha(170)
        return pg.mkBrush(paper)

    def _uncluttered(self, ordered: np.ndarray) -> list[int]:
        """Largest first, skipping a name that would sit on one already placed (in screen pixels)."""
        snap = self.snapshot
        assert snap is not None
        px_w, px_h = self.getPlotItem().getViewBox().viewPixelSize()
        placed: list[tuple[float, float]] = []
        chosen = []
        for i in ordered.tolist():
            x, y = snap.positions[i, 0] / (px_w or 1.0), snap.positions[i, 1] / (px_h or 1.0)
            if all(abs(x - a) > LABEL_BOX[0] or abs(y - b) > LABEL_BOX[1] for a, b in placed):
                placed.append((x, y))
                chosen.append(i)
        return chosen

    def label_texts(self) -> list[str]:
        return [label.toPlainText() for label in self.labels if label.isVisible()]

    # ---- mouse ---------------------------------------------------------------
    def mouseMoveEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        """Note whether a button is down: a move with one is a drag, not a hover."""
        self._buttons_down = ev.buttons() != Qt.MouseButton.NoButton
        super().mouseMoveEvent(ev)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        """Name the node under the cursor; nothing while dragging (the names would flicker past)."""
        if self._buttons_down:
            self.hover_text.hide()
            return
        point = self.getPlotItem().getViewBox().mapSceneToView(scene_pos)
        i = self.node_at(point)
        if i is None:
            self.hover_text.hide()
            self.setToolTip("")
            self.node_hovered.emit("")
            return
        snap = self.snapshot
        assert snap is not None
        name = snap.labels[i]
        self.hover_text.setText(name)
        self.hover_text.setPos(float(snap.positions[i, 0]), float(snap.positions[i, 1]))
        self.hover_text.show()
        self.setToolTip(f"{name} ({snap.kinds[i]})")
        self.node_hovered.emit(name)

    def _on_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.snapshot is None:
            return
        i = self.node_at(self.getPlotItem().getViewBox().mapSceneToView(event.scenePos()))
        if i is not None:
            event.accept()
            self.node_clicked.emit(self.snapshot.kinds[i], int(self.snapshot.entity_ids[i]))

    # ---- saving --------------------------------------------------------------
    def save_image(self, path: str | Path) -> Path:
        """PNG (what is on screen) or SVG (vector, for reports), chosen by the file's suffix."""
        path = Path(path)
        if path.suffix.lower() == ".svg":
            self._save_svg(path)
        else:
            if not self.grab().save(str(path)):
                raise OSError(f"Could not write the image {path}.")
        return path

    def _save_svg(self, path: Path) -> None:
        """Paint the view into Qt's SVG generator (pyqtgraph's own SVG exporter fails on Qt 6 paths)."""
        from PySide6.QtGui import QPainter
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(self.size())
        generator.setViewBox(self.rect())
        generator.setTitle("VRU partnership graph")
        painter = QPainter(generator)
        try:
            self.render(painter)
        finally:
            painter.end()
        if not path.exists() or path.stat().st_size == 0:
            raise OSError(f"Could not write the drawing {path}.")

    def view_centre(self) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.getPlotItem().getViewBox().viewRange()
        return (x0 + x1) / 2, (y0 + y1) / 2

    def scene_point_of(self, i: int) -> QPoint:
        """Where node ``i`` is drawn, in this widget's coordinates (for tests and tours)."""
        assert self.snapshot is not None
        x, y = (float(v) for v in self.snapshot.positions[i])
        scene = self.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y))
        return self.mapFromScene(scene)


def _palette(i: int) -> tuple[int, int, int]:
    colour = QColor(pg.intColor(i, hues=12, values=2, minValue=170, maxValue=230))
    return colour.red(), colour.green(), colour.blue()


def _stable_index(text: str) -> int:
    return sum(ord(c) * (k + 1) for k, c in enumerate(text))


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
