"""Home: what needs doing today (my follow-ups, the next meetings) and who has gone quiet."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from db.session import Database
from ui.events import data_events
from ui.models.loader import Loader
from ui.style import (
    SPACING,
    days_ago,
    format_date,
    format_datetime,
    format_short_date,
    heading,
    muted,
    warning_colour,
)
from ui.views.widgets import Cell, LinkedRow, RecordTable, Section
from vru_crm.queries.home import HomeFigures, home_figures


class HomePage(QWidget):
    open_record = Signal(str, int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._stale = True
        self.figures: HomeFigures | None = None
        self._loader = Loader(self)
        self._loader.loaded.connect(self._show)
        self._loader.failed.connect(self._failed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(SPACING * 2, SPACING, SPACING * 2, 0)
        self.greeting = heading("Home", 1.6, self)
        self.summary = muted("Loading…", self)
        outer.addWidget(self.greeting)
        outer.addWidget(self.summary)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget(scroll)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, SPACING, SPACING * 2)
        columns.setSpacing(SPACING * 3)
        left, right = QVBoxLayout(), QVBoxLayout()
        for column in (left, right):
            column.setSpacing(SPACING * 2)
            columns.addLayout(column, 1)
        self.follow_ups = self._card(
            left, "My follow-ups", ["Due", "Organisations", "Summary"], [4, 4, 5]
        )
        self.recent = self._card(
            left, "Recent engagements", ["Date", "Kind", "Organisations", "Summary"], [3, 3, 5, 5]
        )
        self.meetings = self._card(
            right, "Next meetings", ["When", "Meeting", "Network"], [3, 6, 3]
        )
        self.quiet = self._card(
            right, "Partners gone quiet", ["Organisation", "Last contact"], [3, 2]
        )
        self.boroughs = self._card(
            right, "Priority boroughs gone quiet", ["Borough", "Last engagement"], [3, 2]
        )
        self.governance = self._card(left, "Governance: do not forget", ["What", "When"], [5, 2])
        self._governance_loader = Loader(self)
        self._governance_loader.loaded.connect(self._show_governance)
        self._governance_loader.failed.connect(self._failed)
        left.addStretch(1)
        right.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        data_events().changed.connect(self._data_changed)
        data_events().removed.connect(self._data_changed)

    def _card(
        self, column: QVBoxLayout, title: str, headers: list[str], widths: list[int]
    ) -> RecordTable:
        section = Section(title, self)
        table = RecordTable(headers, title, section)
        table.fit_columns(widths)
        table.open_record.connect(self.open_record)
        section.add(table)
        column.addWidget(section)
        table.section = section  # type: ignore[attr-defined]
        return table

    # --- loading -------------------------------------------------------------------
    def reload(self) -> None:
        self._stale = False
        self._loader.load(home_figures, self._database)
        from vru_crm.governance.home import governance_warnings

        self._governance_loader.load(governance_warnings, self._database)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _data_changed(self, _kind: str, _record_id: int) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def _failed(self, message: str, _error: object) -> None:
        self.summary.setText(f"Could not load the figures: {message}")

    def _show_governance(self, warnings: list) -> None:
        red = warning_colour()
        self.governance.set_rows(
            [
                LinkedRow(
                    [w.what, Cell(w.when, red if w.late else None)],
                    *((w.kind, w.record_id) if w.kind and w.record_id else ()),
                )
                for w in warnings
            ],
            "No late minutes, overdue actions or overdue recommendations",
        )
        self.governance.section.set_note(
            "Minutes late or due for publication within a week, overdue actions and the "
            "Committee's overdue recommendations."
        )

    def _show(self, f: HomeFigures) -> None:
        self.figures = f
        parts = [format_date(f.today), f"{f.follow_ups_due} follow-ups due"]
        if f.follow_ups_overdue:
            parts[-1] += f", {f.follow_ups_overdue} overdue"
        parts.append(f"{len(f.meetings)} meetings coming up")
        self.summary.setText(" · ".join(parts))
        red = warning_colour()
        self.follow_ups.set_rows(
            [
                LinkedRow(
                    [
                        Cell(
                            format_short_date(x.due, f.today) + (" (overdue)" if x.overdue else ""),
                            red if x.overdue else None,
                        ),
                        x.organisations,
                        x.summary,
                    ],
                    "engagement",
                    x.engagement_id,
                )
                for x in f.follow_ups
            ],
            "Nothing due in the next two weeks"
            if f.staff_known
            else f"No engagements logged as {f.username} yet",
        )
        shown = len(f.follow_ups)
        more = (
            f" The oldest {shown} of {f.follow_ups_due} are shown."
            if f.follow_ups_due > shown
            else ""
        )
        self.follow_ups.section.set_note(
            "Open follow-ups on engagements you logged, due within two weeks; overdue first." + more
        )
        self.meetings.set_rows(
            [
                LinkedRow([format_datetime(m.starts_at), m.title, m.network], "meeting", m.id)
                for m in f.meetings
            ],
            "No meetings planned",
        )
        self.recent.set_rows(
            [
                LinkedRow(
                    [format_date(e.occurred_on), e.kind_label, e.organisations, e.summary],
                    "engagement",
                    e.id,
                )
                for e in f.recent
            ],
            "No engagements logged yet",
        )
        self.quiet.set_rows(
            [
                LinkedRow(
                    [
                        q.name + (" (priority)" if q.is_priority else ""),
                        f"{format_date(q.last_contact)} ({days_ago(q.last_contact, f.today)})",
                    ],
                    "organisation",
                    q.organisation_id,
                )
                for q in f.quiet_partners
            ],
            f"Every partner has been in touch in the last {f.quiet_days} days",
        )
        more = f.quiet_partner_total - len(f.quiet_partners)
        self.quiet.section.set_note(
            f"Engaged before, but not in the last {f.quiet_days} days"
            + (f" ({more:,} more not shown)" if more > 0 else "")
        )
        self.boroughs.set_rows(
            [
                LinkedRow(
                    [
                        b.name,
                        format_date(b.last_contact, "never")
                        + (f" ({days_ago(b.last_contact, f.today)})" if b.last_contact else ""),
                    ]
                )
                for b in f.quiet_boroughs
            ],
            f"Every priority borough has had an engagement in the last {f.quiet_days} days",
        )
        self.boroughs.section.set_note(
            f"Directly targeted boroughs with no engagement in {f.quiet_days} days"
        )
