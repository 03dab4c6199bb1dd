"""The Graph page: the partnership map with its filters, side panel and a background layout.

The drawing (pyqtgraph, numpy) is created the first time the page is shown, so
opening the app costs nothing for a page the user may never visit. Loading runs
in a worker thread with a progress bar and a Cancel button; the stored
positions make a second opening instant. A change announced on
``ui.events.data_events()`` marks the graph stale, and the next reload lays out
only the nodes the change touched.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.elided_label import ElidedLabel
from ui.workers import Job, JobContext
from vru_crm.london import today_in_london

if TYPE_CHECKING:
    from db.session import Database
    from ui.graph.panel import GraphSidePanel
    from ui.graph.view import GraphView
    from vru_crm.graph.service import GraphSnapshot

PERIODS = {"All time": None, "Last 12 months": 365, "Last 3 months": 92}


class GraphPage(QWidget):
    """Hosted by the shell; ``open_record(kind, id)`` asks it to open a partner's detail."""

    open_record = Signal(str, int)
    previewed = Signal()  # the stored positions are on screen (ties and names still coming)
    drawn = Signal()  # the nodes are on screen (measures may still be coming)
    loaded = Signal()  # drawn and measured: the side panel is filled (tests and tours wait on it)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.snapshot: GraphSnapshot | None = None
        self.view: GraphView | None = None
        self.panel: GraphSidePanel | None = None
        self.job: Job | None = None
        self._choices_job: Job | None = None
        self._stale = True
        self._drawn_text = ""
        self._build_controls()
        self._connect_events()

    # ---- building ------------------------------------------------------------
    def _build_controls(self) -> None:
        self.search_box = QLineEdit(placeholderText="Find a partner, person or network…")
        self.search_box.returnPressed.connect(self.search)
        self.colour_box = _combo(
            [
                ("Colour by sector", "sector"),
                ("Colour by network", "network"),
                ("Colour by community", "community"),
            ]
        )
        self.size_box = _combo(
            [
                ("Size by ties", "degree"),
                ("Size by weighted ties", "weighted_degree"),
                ("Size by brokerage", "betweenness"),
                ("Same size", "none"),
            ]
        )
        self.period_box = _combo([(name, days) for name, days in PERIODS.items()])
        self.sector_box = _combo([("All sectors", "")])
        self.network_box = _combo([("All networks", 0)])
        self.borough_box = _combo([("All boroughs", "")])
        self.weight_box = QDoubleSpinBox(minimum=0.0, maximum=100.0, singleStep=0.5, decimals=1)
        self.weight_box.setPrefix("Ties from ")
        self.weight_box.setToolTip(
            "Leave out ties lighter than this (an engagement this year weighs about 1)"
        )
        self.people_check = QCheckBox("People", checked=True)
        self.borough_check = QCheckBox("Boroughs")
        self.relayout_button = QPushButton("Lay out again")
        self.save_button = QPushButton("Save image…")
        self.progress = QProgressBar(maximum=100)
        self.cancel_button = QPushButton("Cancel")
        self.status = ElidedLabel("")  # "Saved /a/long/path.png" never widens the window
        self.progress.hide()
        self.cancel_button.hide()
        self.search_box.setMinimumWidth(220)
        for box in (self.sector_box, self.network_box, self.borough_box):
            box.setMaximumWidth(220)
        top = QHBoxLayout()
        for w in (
            self.search_box,
            self.colour_box,
            self.size_box,
            self.relayout_button,
            self.save_button,
        ):
            top.addWidget(w)
        top.addStretch(1)
        filters = QHBoxLayout()
        for w in (
            self.period_box,
            self.sector_box,
            self.borough_box,
            self.network_box,
            self.weight_box,
            self.people_check,
            self.borough_check,
        ):
            filters.addWidget(w)
        filters.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.cancel_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

    def _connect_events(self) -> None:
        self.colour_box.currentIndexChanged.connect(self._restyle)
        self.size_box.currentIndexChanged.connect(self._restyle)
        for box in (self.period_box, self.sector_box, self.network_box, self.borough_box):
            box.currentIndexChanged.connect(lambda *_: self.reload())
        self.weight_box.editingFinished.connect(self.reload)
        for check in (self.people_check, self.borough_check):
            check.toggled.connect(lambda *_: self.reload())
        self.relayout_button.clicked.connect(lambda: self.reload(relayout=True))
        self.save_button.clicked.connect(self._ask_save)
        self.cancel_button.clicked.connect(self.cancel)
        from ui.events import data_events

        data_events().changed.connect(self._data_changed)
        data_events().removed.connect(self._data_changed)

    def ensure_view(self) -> GraphView:
        """Create the drawing and the side panel (imports pyqtgraph and numpy on first use)."""
        if self.view is None:
            from ui.graph.panel import GraphSidePanel
            from ui.graph.view import GraphView

            self.view = GraphView()
            self.panel = GraphSidePanel()
            self.splitter.addWidget(self.view)
            self.splitter.addWidget(self.panel)
            # The drawing gives way first, so the panel keeps room for all its tabs.
            self.splitter.setStretchFactor(0, 1)
            self.splitter.setStretchFactor(1, 0)
            self.splitter.setSizes([900, max(480, self.panel.tabs_width())])
            self.view.node_clicked.connect(self.open_record)
            self.view.node_hovered.connect(lambda name: self.status.setText(name) if name else None)
            self.panel.node_selected.connect(self.focus_key)
            self.panel.node_activated.connect(self._open_key)
            self._fill_choices()
        return self.view

    def _fill_choices(self) -> None:
        """Read the boxes' choices on the pool: "All ..." is there (and usable) meanwhile."""
        from vru_crm.graph.service import filter_choices

        job = Job(filter_choices, self.database, pass_context=False)
        job.finished.connect(self._show_choices)
        self._choices_job = job  # kept until it reports (a job holds its own signals)
        job.start()

    def _show_choices(self, choices) -> None:
        for box, items in (
            (self.sector_box, choices.sectors),
            (self.network_box, choices.networks),
            (self.borough_box, choices.boroughs),
        ):
            box.blockSignals(True)
            for value, label in items:
                box.addItem(label, value)
            box.blockSignals(False)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Light <-> dark: the legend's swatches follow the drawing's colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.view is not None:
            self._restyle()

    def focus_first(self) -> None:
        """Ctrl+7 puts the keyboard in the search box: type a name to find it in the drawing."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale and (self.job is None or not self.job.is_running):
            self.reload()

    # ---- loading -------------------------------------------------------------
    def filters(self):
        from vru_crm.graph.build import GraphFilters

        days = self.period_box.currentData()
        sector, network = self.sector_box.currentData(), self.network_box.currentData()
        borough = self.borough_box.currentData()
        return GraphFilters(
            start=today_in_london() - timedelta(days=days) if days else None,
            sectors=frozenset({sector}) if sector else frozenset(),
            boroughs=frozenset({borough}) if borough else frozenset(),
            network_ids=frozenset({network}) if network else frozenset(),
            min_weight=self.weight_box.value(),
            include_people=self.people_check.isChecked(),
            include_boroughs=self.borough_check.isChecked(),
        )

    def reload(self, relayout: bool = False) -> None:
        """Build, measure and place the graph in the background.

        The first time in a session, the stored positions are drawn first (a
        fraction of a second), so the familiar map is there while the graph is built.
        """
        self.ensure_view()
        if self.job is not None and self.job.is_running:
            self.job.cancel()
        self._stale = False
        if self.snapshot is None and not relayout:
            from vru_crm.graph.service import stored_snapshot

            job = Job(_with_context, stored_snapshot, self.database, self.filters())
            job.finished.connect(
                lambda snap, j=job: self._previewed(snap) if j is self.job else None
            )
            self._run(job, "Drawing the partnership…")
            return
        self._load(relayout)

    def _previewed(self, snapshot: GraphSnapshot | None) -> None:
        if snapshot is not None:
            view = self.ensure_view()
            view.colour_by, view.size_by = "sector", "none"
            view.set_snapshot(snapshot)
            self.previewed.emit()
        self._load(relayout=False)

    def _load(self, relayout: bool) -> None:
        from vru_crm.graph.service import load_snapshot

        job = Job(
            _with_context,
            load_snapshot,
            self.database,
            self.filters(),
            relayout=relayout,
            measure=False,
        )
        job.finished.connect(lambda snap, j=job: self._show(snap) if j is self.job else None)
        self._run(job, "Drawing the partnership…")

    def _run(self, job: Job, text: str) -> None:
        job.progress.connect(self._progress)
        job.failed.connect(self._failed)
        job.cancelled.connect(lambda j=job: self._idle("Cancelled.") if j is self.job else None)
        self.job = job
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.status.setText(text)
        job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / max(total, 1)))

    def _show(self, snapshot: GraphSnapshot) -> None:
        self.snapshot = snapshot
        view = self.ensure_view()
        view.colour_by, view.size_by = self.colour_box.currentData(), self.size_box.currentData()
        view.set_snapshot(snapshot)
        assert self.panel is not None
        self.panel.show_legend(view.legend())
        how = (
            "laid out afresh"
            if snapshot.full_layout
            else f"{snapshot.moved} moved, the rest as last time"
            if snapshot.moved
            else "as last time"
        )
        self._drawn_text = f"{len(snapshot.keys):,} nodes, {len(snapshot.edges):,} ties ({how})."
        self.drawn.emit()
        from vru_crm.graph.service import measure_snapshot

        job = Job(_with_context, measure_snapshot, snapshot)
        job.finished.connect(
            lambda report, j=job: self._measured(snapshot, report) if j is self.job else None
        )
        self._run(job, self._drawn_text + " Measuring brokers and gaps…")

    def _measured(self, snapshot: GraphSnapshot, report) -> None:
        from vru_crm.graph.service import apply_report

        apply_report(snapshot, report)
        assert self.panel is not None
        self._restyle()
        self.panel.show_snapshot(snapshot)
        self._idle(self._drawn_text)
        self.loaded.emit()

    def _failed(self, message: str, _error: object = None) -> None:
        self._idle("")
        QMessageBox.warning(self, "Graph", message)

    def _idle(self, text: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.status.setText(text)
        if self._stale and self.isVisible():  # the data changed while we were busy
            QTimer.singleShot(0, self.reload)

    def _data_changed(self, *_args) -> None:
        self._stale = True
        if self.isVisible() and (self.job is None or not self.job.is_running):
            self.reload()

    # ---- acting on nodes -----------------------------------------------------
    def _restyle(self) -> None:
        if self.view is not None and self.panel is not None:
            self.view.set_colour_by(self.colour_box.currentData())
            self.view.set_size_by(self.size_box.currentData())
            self.panel.show_legend(self.view.legend())

    def search(self) -> int | None:
        if self.view is None:
            return None
        found = self.view.search(self.search_box.text())
        self.status.setText(
            "" if found is not None else f"Nothing called “{self.search_box.text()}” in view."
        )
        return found

    def focus_key(self, key: str) -> None:
        if self.view is not None and self.snapshot is not None:
            i = self.snapshot.index_of(key)
            if i is not None:
                self.view.focus_node(i)

    def _open_key(self, key: str) -> None:
        from vru_crm.graph.build import split_key

        kind, entity_id = split_key(key)
        self.open_record.emit(kind, entity_id)

    def _ask_save(self) -> None:
        if self.view is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save the graph as an image",
            "partnership-graph.png",
            "PNG image (*.png);;SVG drawing (*.svg)",
        )
        if path:
            try:
                self.view.save_image(path)
            except OSError as error:
                QMessageBox.warning(self, "Graph", str(error))
            else:
                self.status.setText(f"Saved {path}")


def _with_context(context: JobContext, function, *args, **kwargs):
    """Run a graph service with the job's progress report and cancel flag."""
    return function(*args, progress=context.progress, cancelled=context.cancelled, **kwargs)


def _combo(items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    return box
