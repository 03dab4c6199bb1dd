"""The Reports page: every figure the PRG asks for, as charts that follow one period filter.

The page is light to construct; the charts (pyqtgraph) are built when it is
first shown, so opening the app does not load pyqtgraph. Figures are computed
by ``vru_crm.reports.figures.dashboard`` in a worker thread and applied on
the main thread; a result for a period the user has since left is dropped.
A borough tile's list (``borough_detail``) is read on the pool the same way
(``ui.models.loader.Loader``, the latest click only); ``borough_selected``
fires once its list is shown.

The page fits a 1024x700 window: messages in the period bar are
cut with "…" (the whole text in their tooltip) and the charts scroll, so
nothing on the page can make the main window wider.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.elided_label import ElidedLabel
from ui.models.loader import Loader
from ui.reports.cards import ChartCard, ListCard, TotalsStrip
from ui.reports.period_selector import PeriodSelector
from ui.reports.report_export import ReportExporter
from ui.style import format_date
from ui.workers import Job
from vru_crm.london import today_in_london
from vru_crm.reports import figures
from vru_crm.reports.borough_detail import BoroughDetail, borough_detail
from vru_crm.reports.period import PeriodFilter


class DashboardPage(QWidget):
    """Reports page: ``DashboardPage(database)``. Signals say when figures arrive and what is clicked."""

    refreshed = Signal(object)  # figures.Dashboard
    open_record = Signal(str, int)  # a partner or engagement double-clicked in a list
    borough_selected = Signal(int)
    failed = Signal(str)

    def __init__(self, database, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.today = today or today_in_london()
        self.figures: figures.Dashboard | None = None
        self._built = False
        self._generation = 0
        self._job: Job | None = None
        self._borough_loader = Loader(self)
        self._borough_loader.loaded.connect(self._borough_shown)
        self._borough_loader.failed.connect(lambda message, _error: self._borough_failed(message))
        self.setObjectName("reports_dashboard")
        self.selector = PeriodSelector(self.today)
        self.split = QComboBox()
        for key, label in figures.SPLITS.items():
            self.split.addItem(f"by {label.lower()}", key)
        self.bucket = QComboBox()
        for unit in ("week", "month", "quarter"):
            self.bucket.addItem(f"per {unit}", unit)
        self.bucket.setCurrentIndex(1)
        self.status = ElidedLabel("")
        self.exporter = ReportExporter(database, self.today, self)
        self._layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.selector)
        top.addWidget(self.status, 1)
        top.addWidget(self.exporter)
        self._layout.addLayout(top)

    # -- building ------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.build()

    def build(self) -> None:
        """Create the charts (loads pyqtgraph) and start the first refresh; once."""
        if self._built:
            return
        self._built = True
        from ui.reports.charts import (
            GovernanceChart,
            ObjectivesChart,
            OverTimeChart,
            StakeholderChart,
        )
        from ui.reports.tile_map import BoroughTileMap

        self.totals = TotalsStrip()
        self.over_time = OverTimeChart()
        self.tile_map = BoroughTileMap()
        self.borough_list = ListCard(
            "Select a borough on the map", ["Partner or engagement", "Detail"]
        )
        self.stakeholders = StakeholderChart()
        self.objectives = ObjectivesChart()
        self.governance = GovernanceChart()
        self.networks = ListCard(
            "Cadence and minutes by network", ["Network", "Held / expected", "Minutes late"]
        )
        self.quiet = ListCard("Partners gone quiet", ["Organisation", "Last engaged", "Days quiet"])
        self.follow_ups = ListCard("Follow-ups overdue", ["Due", "Organisations", "Days overdue"])
        self._lay_out()
        for card in (self.borough_list, self.quiet, self.follow_ups):
            card.open_record.connect(self.open_record)
        self.tile_map.borough_selected.connect(self._show_borough)
        self.selector.changed.connect(lambda _p: self.refresh())
        self.split.currentIndexChanged.connect(lambda _i: self.refresh())
        self.bucket.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def _lay_out(self) -> None:
        grid = QGridLayout()
        over_time = ChartCard(
            "Engagements over time", self.over_time, extra=[self.split, self.bucket]
        )
        grid.addWidget(self.totals, 0, 0, 1, 3)
        grid.addWidget(over_time, 1, 0, 1, 3)
        grid.addWidget(ChartCard("Borough coverage (click a tile)", self.tile_map), 2, 0)
        grid.addWidget(self.borough_list, 2, 1)
        grid.addWidget(ChartCard("Stakeholder map", self.stakeholders), 2, 2)
        grid.addWidget(ChartCard("Objectives coverage", self.objectives), 3, 0)
        grid.addWidget(ChartCard("Actions and recommendations", self.governance), 3, 1)
        grid.addWidget(self.networks, 3, 2)
        grid.addWidget(self.quiet, 4, 0, 1, 2)
        grid.addWidget(self.follow_ups, 4, 2)
        for row, height in ((1, 300), (2, 380), (3, 300), (4, 220)):
            grid.setRowMinimumHeight(row, height)
        body = QWidget()
        body.setLayout(grid)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(body)
        self._layout.addWidget(self.scroll, 1)

    def focus_first(self) -> None:
        """Ctrl+8 puts the keyboard on the period, the control everything on the page follows."""
        from PySide6.QtCore import Qt

        self.selector.unit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- refreshing ----------------------------------------------------------------------
    @property
    def period(self) -> PeriodFilter:
        return self.selector.current()

    def set_period(self, period: PeriodFilter) -> None:
        self.selector.set_filter(period)
        self.refresh()

    def refresh(self) -> None:
        """Recompute every figure for the current period in a worker thread."""
        if not self._built:
            return
        self._generation += 1
        generation = self._generation
        self.status.setText("Counting...")
        job = Job(figures.dashboard, self.database, self.period, split=self.split.currentData(),
                  unit=self.bucket.currentData(), today=self.today, pass_context=False)  # fmt: skip
        job.finished.connect(lambda result: self._apply(generation, result))
        job.failed.connect(lambda message, _error: self._fail(generation, message))
        self._job = job
        job.start()

    def _fail(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.status.setText(message)
            self.failed.emit(message)

    def _apply(self, generation: int, d: figures.Dashboard) -> None:
        if generation != self._generation:
            return
        self.figures = d
        self.status.setText(f"{d.period.label}: figures as at {format_date(d.as_of)}")
        self.totals.set_totals(d.totals)
        self.over_time.set_data(d.over_time)
        self.tile_map.set_data(d.boroughs)
        self.stakeholders.set_data(d.stakeholders)
        self.objectives.set_data(d.objectives)
        self.governance.set_data(d.governance)
        self._fill_lists(d)
        if self.tile_map.selected_id is not None:
            self._show_borough(self.tile_map.selected_id)
        self.refreshed.emit(d)

    def _fill_lists(self, d: figures.Dashboard) -> None:
        g = d.governance
        self.networks.set_rows([
            (n.name, f"{n.held} / {'-' if n.expected is None else n.expected}", f"{n.minutes_late} (worst {n.worst_days_late} days)")
            for n in g.networks
        ])  # fmt: skip
        self.quiet.set_title(f"Partners gone quiet ({d.quiet_count})")
        self.quiet.set_rows(
            [(p.name, format_date(p.last_engaged_on), str(p.days_quiet)) for p in d.quiet],
            [("organisation", p.organisation_id) for p in d.quiet],
        )
        self.follow_ups.set_title(f"Follow-ups overdue ({d.follow_ups_count})")
        self.follow_ups.set_rows(
            [
                (format_date(x.follow_up_on), x.organisations or x.summary, str(x.days_overdue))
                for x in d.follow_ups
            ],
            [("engagement", x.engagement_id) for x in d.follow_ups],
        )

    # -- borough side list ---------------------------------------------------------------------
    @property
    def borough_loading(self) -> bool:
        """True while a borough's list is being read (tests wait for it)."""
        return self._borough_loader.busy

    def _show_borough(self, borough_id: int) -> None:
        """Read the borough's partners and engagements on the pool; shown when they arrive."""
        self._borough_loader.load(borough_detail, self.database, borough_id, self.period)

    def _borough_failed(self, message: str) -> None:
        self.borough_list.set_title(message)
        self.borough_list.set_rows([])
        self.failed.emit(message)

    def _borough_shown(self, detail: BoroughDetail) -> None:
        priority = ", priority borough" if detail.is_priority else ""
        count = detail.engagement_count
        self.borough_list.set_title(
            f"{detail.name}{priority}: {count:,} engagement{'' if count == 1 else 's'}"
        )
        rows = [
            (f"Partner: {p.name}", f"{p.engagements} engagements in the period")
            for p in detail.partners
        ]
        rows += [
            (f"{format_date(e.occurred_on)} {e.kind}", f"{e.organisations or '-'}: {e.summary}")
            for e in detail.engagements
        ]
        links: list[tuple[str, int] | None] = [
            ("organisation", p.organisation_id) for p in detail.partners
        ]
        links += [("engagement", e.engagement_id) for e in detail.engagements]
        if not rows:
            rows, links = [("No partners or engagements in this period", "")], []
        self.borough_list.set_rows(rows, links)
        self.borough_selected.emit(detail.borough_id)

    def closeEvent(self, event) -> None:  # noqa: N802
        self._generation += 1  # late results are dropped
        self._borough_loader.cancel()
        super().closeEvent(event)
