"""The navigation list down the left of the main window, and the pages it offers."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ui.style import icon


@dataclass(frozen=True)
class PageInfo:
    key: str
    title: str
    icon: str
    record_kind: str = ""  # the kind of record this page lists, if any


PAGES: list[PageInfo] = [
    PageInfo("home", "Home", "home"),
    PageInfo("organisations", "Organisations", "organisation", "organisation"),
    PageInfo("people", "People", "people", "person"),
    PageInfo("networks", "Networks", "network", "network"),
    PageInfo("meetings", "Meetings", "meeting", "meeting"),
    PageInfo("engagements", "Engagements", "engagement", "engagement"),
    PageInfo("graph", "Graph", "graph"),
    PageInfo("reports", "Reports", "reports"),
]
PAGE_KEYS = [p.key for p in PAGES]
LIST_OF_KIND = {p.record_kind: p.key for p in PAGES if p.record_kind}


class Navigation(QListWidget):
    """One entry per page; ``page_chosen(key)`` when the user picks one."""

    page_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Navigation")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIconSize(QSize(20, 20))
        self.setSpacing(2)
        self.setUniformItemSizes(True)
        for number, page in enumerate(PAGES, start=1):
            item = QListWidgetItem(icon(page.icon), page.title, self)
            item.setToolTip(f"{page.title} (Ctrl+{number})")
            item.setSizeHint(QSize(0, self.fontMetrics().height() + 16))
        self._width = max(self.sizeHintForColumn(0) + 36, 170)
        self.setMinimumWidth(self._width - 30)
        self.currentRowChanged.connect(self._row_changed)

    def recolour(self) -> None:
        for row, page in enumerate(PAGES):
            self.item(row).setIcon(icon(page.icon))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(self._width, super().sizeHint().height())

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            self.page_chosen.emit(PAGES[row].key)

    def highlight(self, key: str) -> None:
        """Mark ``key`` as the current section without emitting ``page_chosen``."""
        if key in PAGE_KEYS:
            self.blockSignals(True)
            self.setCurrentRow(PAGE_KEYS.index(key))
            self.blockSignals(False)
