"""The popup's rows: one per hit, drawn as a name with a grey second line saying what it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.style import KIND_ICONS, icon

if TYPE_CHECKING:
    from vru_crm.queries.search import Hit  # the search code loads on the first search

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_WORDS = {
    "organisation": "Organisation",
    "person": "Person",
    "network": "Network",
    "meeting": "Meeting",
}

Index = QModelIndex | QPersistentModelIndex


class HitsModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self._note = ""

    def set_hits(self, hits: list[Hit], note: str = "") -> None:
        """``note`` is shown as a single disabled row when there are no hits."""
        self.beginResetModel()
        self._hits, self._note = list(hits), note
        self.endResetModel()

    def hits(self) -> list[Hit]:
        return list(self._hits)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._hits) or (1 if self._note else 0)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self._hits:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if not self._hits:
            return self._note if role == Qt.ItemDataRole.DisplayRole else None
        hit = self._hits[index.row()]
        kind = KIND_WORDS.get(hit.kind, hit.kind)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return hit.label
        if role == DETAIL_ROLE:
            prefix = "Did you mean: " if hit.fuzzy else ""
            return prefix + (
                hit.detail if hit.detail.startswith(kind) else f"{kind} · {hit.detail}"
            )
        if role == Qt.ItemDataRole.DecorationRole:
            return icon(KIND_ICONS.get(hit.kind, "search"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.label}\n{hit.detail}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{kind}: {hit.label}, {hit.detail}"
        if role == HIT_ROLE:
            return hit
        return None


class HitDelegate(QStyledItemDelegate):
    """Two lines per hit: the name, then the kind and detail in the placeholder colour."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = option.fontMetrics
        lines = 2 if index.data(DETAIL_ROLE) else 1
        return QSize(option.rect.width(), metrics.height() * lines + 10)

    def paint(self, painter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        detail = index.data(DETAIL_ROLE)
        if not detail:
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget else None
        text, option.text = option.text, ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        metrics = option.fontMetrics
        left = option.rect.left() + option.decorationSize.width() + 12
        width = option.rect.right() - left - 6
        first = QRect(left, option.rect.top() + 5, width, metrics.height())
        second = QRect(left, first.bottom() + 1, width, metrics.height())
        painter.save()
        painter.setPen(option.palette.color(role))
        bold = option.font
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(
            first,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width),
        )
        painter.setFont(option.font)
        bold.setBold(False)
        painter.setFont(bold)
        if not selected:
            painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            second,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(detail, Qt.TextElideMode.ElideRight, width),
        )
        painter.restore()
