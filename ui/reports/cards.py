"""Frames for the dashboard: a titled chart with "Save PNG...", a titled list, the totals strip."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vru_crm.reports.figures import Totals

TOTALS = [
    ("engagements", "Engagements"),
    ("people_reached", "People reached"),
    ("boroughs_covered", "Boroughs covered (of 33)"),
    ("organisations_engaged", "Organisations engaged"),
    ("meetings_held", "Meetings held"),
    ("minutes_published", "of which minutes published"),
]


class ChartCard(QFrame):
    """A chart with its title, optional controls, and a button that saves it as a PNG picture."""

    def __init__(
        self,
        title: str,
        chart: QWidget,
        extra: Sequence[QWidget] = (),
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = title
        self.chart = chart
        self.save_button = QPushButton("Save PNG...")
        self.save_button.setToolTip(f"Save the chart '{title}' as a PNG picture")
        self.save_button.clicked.connect(self._ask_and_save)
        head = QHBoxLayout()
        label = QLabel(f"<b>{title}</b>")
        head.addWidget(label, 1)
        for widget in extra:
            head.addWidget(widget)
        head.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(chart, 1)

    def save_png(self, path: Path | str) -> bool:
        """Write the chart as it is on screen to ``path``."""
        return self.chart.grab().save(str(path), "PNG")

    def _ask_and_save(self) -> None:
        name = self.title.lower().replace(" ", "-").replace("(", "").replace(")", "")
        path, _ = QFileDialog.getSaveFileName(
            self, "Save chart", f"{name}.png", "PNG picture (*.png)"
        )
        if path:
            self.save_png(path)


class ListCard(QFrame):
    """A short titled list (plain rows, no queries)."""

    def __init__(self, title: str, headers: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(f"<b>{title}</b>")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(headers))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.tree, 1)

    def set_title(self, title: str) -> None:
        self.label.setText(f"<b>{title}</b>")

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.tree.clear()
        self.tree.addTopLevelItems([QTreeWidgetItem([str(c) for c in row]) for row in rows])
        self.tree.resizeColumnToContents(0)

    def texts(self) -> list[list[str]]:
        """The rows as shown (for tests and copy)."""
        return [
            [self.tree.topLevelItem(i).text(c) for c in range(self.tree.columnCount())]
            for i in range(self.tree.topLevelItemCount())
        ]


class TotalsStrip(QFrame):
    """The headline figures in big numbers."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.values: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        for key, title in TOTALS:
            box = QVBoxLayout()
            value = QLabel("-")
            value.setStyleSheet("font-size: 20pt; font-weight: bold; color: #1b3a6b;")
            value.setObjectName(f"total_{key}")
            box.addWidget(value)
            box.addWidget(QLabel(title))
            layout.addLayout(box)
            self.values[key] = value

    def set_totals(self, totals: Totals) -> None:
        for key, label in self.values.items():
            label.setText(f"{getattr(totals, key):,}")
