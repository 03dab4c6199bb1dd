"""The navigation list down the left of the main window, and the pages it offers."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ui.style import icon


@dataclass(frozen=True)
class PageInfo:
    key: str
    title: str
    icon: str
    record_kind: str = ""  # the kind of record this page lists, if any
    mnemonic: str = ""  # the Alt letter in the Go menu (unique there), if not the first

    @property
    def menu_title(self) -> str:
        letter = self.mnemonic or self.title[0]
        at = self.title.index(letter)
        return f"{self.title[:at]}&{self.title[at:]}"


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


def focus_page(page: QWidget | None) -> None:
    """Give the keyboard to what a page is for: its list, or its first control.

    A page says so with ``focus_table()`` (the lists) or ``focus_first()``;
    otherwise its first visible list, table or tree gets it.
    """
    if page is None:
        return
    for name in ("focus_table", "focus_first"):
        method = getattr(page, name, None)
        if callable(method):
            method()
            return
    for view in page.findChildren(QAbstractItemView):
        if view.isVisible() and view.focusPolicy() != Qt.FocusPolicy.NoFocus:
            view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
    page.setFocus(Qt.FocusReason.ShortcutFocusReason)
