"""Frames for the dashboard: a titled chart with "Save PNG...", a titled list, the totals strip."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
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

from ui.elided_label import ElidedLabel
from ui.style import accent_text_colour, scaled_font
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
        label = ElidedLabel(title)  # a long title is cut, never widens the page
        label.setFont(scaled_font(label, 1.0, bold=True))
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
    """A short titled list (plain rows, no queries).

    A row may name the record it shows (``links``): a double-click or Enter on
    it emits ``open_record(kind, id)``, so a borough's partners are not a dead
    end.
    """

    open_record = Signal(str, int)

    def __init__(self, title: str, headers: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(f"<b>{title}</b>")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(headers))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.resizeColumnToContents(0)  # the header whole while the list is empty
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.tree, 1)

    def set_title(self, title: str) -> None:
        self.label.setText(f"<b>{title}</b>")

    def set_rows(
        self,
        rows: Sequence[Sequence[str]],
        links: Sequence[tuple[str, int] | None] = (),
    ) -> None:
        """Show ``rows``; ``links[i]`` is the (kind, id) row i opens, or None."""
        self.tree.clear()
        items = []
        for i, row in enumerate(rows):
            item = QTreeWidgetItem([str(c) for c in row])
            link = links[i] if i < len(links) else None
            if link is not None:
                item.setData(0, Qt.ItemDataRole.UserRole, link)
                item.setToolTip(0, "Double-click or press Enter to open")
            items.append(item)
        self.tree.addTopLevelItems(items)
        self.tree.resizeColumnToContents(0)

    def link(self, row: int) -> tuple[str, int] | None:
        """The (kind, id) row ``row`` opens, if any."""
        return self.tree.topLevelItem(row).data(0, Qt.ItemDataRole.UserRole)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        link = item.data(0, Qt.ItemDataRole.UserRole)
        if link is not None:
            kind, record_id = link
            self.open_record.emit(kind, int(record_id))

    def texts(self) -> list[list[str]]:
        """The rows as shown (for tests and copy)."""
        return [
            [self.tree.topLevelItem(i).text(c) for c in range(self.tree.columnCount())]
            for i in range(self.tree.topLevelItemCount())
        ]


class TotalsStrip(QFrame):
    """The headline figures in big numbers, in a colour that reads on the palette's background.

    The navy they had was fixed in a style sheet and vanished on a dark
    background; now it is the palette's (``accent_text_colour``), re-chosen
    when the palette changes.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.values: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        for key, title in TOTALS:
            box = QVBoxLayout()
            value = QLabel("-")
            value.setFont(scaled_font(value, 2.0, bold=True))
            value.setObjectName(f"total_{key}")
            caption = QLabel(title)
            caption.setWordWrap(True)  # six captions side by side fit a narrow window
            box.addWidget(value)
            box.addWidget(caption)
            layout.addLayout(box)
            self.values[key] = value
        self._colour_numbers()

    def _colour_numbers(self) -> None:
        colour = accent_text_colour()
        for label in self.values.values():
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            label.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_numbers()

    def set_totals(self, totals: Totals) -> None:
        for key, label in self.values.items():
            label.setText(f"{getattr(totals, key):,}")
