"""A short list held in memory, read on the thread pool: the table model for small lists.

Two table models serve every list in the app:

- ``ui.models.paged_model.PagedTableModel`` for a list that can be long (the
  organisations, people, engagements, meetings, networks, the audit trail...):
  a ``vru_crm.queries`` list query, paged and sorted in SQL.
- ``RowsModel`` (this one) for a list that is short by nature (a network's
  cadence, the open actions, a record's consents, backups...): the whole list is
  read in one service call on the thread pool (``load``) and held as plain rows.

``cells(row)`` gives a row's texts, ``tone(row)`` a colour (an overdue row is
also bold), ``tip(row)`` its tooltip (else each cell's tooltip is its whole text). The model never queries inside ``data()``:
it only shows what ``load`` or ``set_rows`` gave it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.models.loader import Loader

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
OVERDUE = QColor("#b00020")
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class RowsModel(QAbstractTableModel):
    """Plain rows shown as a table, loaded whole on the pool; only the latest load is shown."""

    loaded = Signal(object)  # the rows, once shown
    failed = Signal(str, object)  # a message in words, and the error

    def __init__(
        self,
        headers: Sequence[str],
        cells: Callable[[Any], Sequence[str]],
        tone: Callable[[Any], QColor | None] | None = None,
        tip: Callable[[Any], str | None] | None = None,
        parent: QObject | None = None,
        row_id: Callable[[Any], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._cells = cells
        self._tone = tone
        self._tip = tip
        self._row_id = row_id
        self.rows: list[Any] = []
        self._loader = Loader(self)
        self._loader.loaded.connect(self._arrived)
        self._loader.failed.connect(self.failed)

    @property
    def loading(self) -> bool:
        """True while a load is on its way (tests and views wait for it)."""
        return self._loader.busy

    def load(self, function: Callable[..., Sequence[Any]], *args: Any) -> None:
        """Read the rows with ``function(*args)`` on the thread pool, then show them.

        ``function`` must not touch a widget: read what it needs from them first.
        """
        self._loader.load(function, *args)

    def _arrived(self, rows: Sequence[Any]) -> None:
        self.set_rows(rows)
        self.loaded.emit(self.rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show these rows now (for rows the caller already holds)."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # never editable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(row)[index.column()]
        if role == ROW_ID_ROLE and self._row_id is not None:
            return self._row_id(row)
        if role == Qt.ItemDataRole.ForegroundRole and self._tone and (tone := self._tone(row)):
            return QBrush(tone)
        if role == Qt.ItemDataRole.FontRole and self._tone and self._tone(row) == OVERDUE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:  # a cell's own text, whole, unless told
            return self._tip(row) if self._tip else self._cells(row)[index.column()]
        return None


# -- a read-only table over the model ------------------------------------------------
def read_only_table(headers: Sequence[str], parent: QWidget | None = None) -> QTableView:
    """A table that selects whole rows and can never be edited in place.

    Its model is a ``RowsModel`` of ``TableRow``: ``fill`` gives it rows already read,
    ``table.model().load(...)`` reads them on the pool; ``selected_id`` reads the chosen one.
    """
    table = QTableView(parent)
    model = RowsModel(
        headers,
        lambda row: row.texts,
        tone=lambda row: row.colour,
        parent=table,
        row_id=lambda row: row.id,
    )
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setWordWrap(False)
    return table


@dataclass(frozen=True)
class TableRow:
    """One row of a read-only table: its texts, the id it stands for, and a colour."""

    texts: Sequence[str]
    id: object = None
    colour: QColor | None = None


def fill(
    table: QTableView,
    rows: Sequence[Sequence[str]],
    ids: Sequence[object] = (),
    colours: Sequence[QColor | None] = (),
) -> None:
    """Replace the table's rows; ``ids`` and ``colours`` go with the rows in order."""
    model = _model(table)
    model.set_rows(
        [
            TableRow(
                list(texts),
                ids[r] if r < len(ids) else None,
                colours[r] if r < len(colours) else None,
            )
            for r, texts in enumerate(rows)
        ]
    )


def selected_id(table: QTableView) -> object | None:
    """The id of the chosen row, or None."""
    rows = table.selectionModel().selectedRows()
    return rows[0].data(ROW_ID_ROLE) if rows else None


def _model(table: QTableView) -> RowsModel:
    model = table.model()
    assert isinstance(model, RowsModel), "made by read_only_table"
    return model
