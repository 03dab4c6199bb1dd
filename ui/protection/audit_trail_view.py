"""The audit trail, filterable and read-only: who changed what, when, with old and new values.

Nothing in this view can change an entry: the table has no edit triggers and
the service it reads (``vru_crm.protection.audit_view``) has no write function.
Rows arrive a page at a time as the user scrolls (``canFetchMore``/``fetchMore``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.dialogs.widgets.date_field import DateField
from ui.style import format_datetime
from ui.workers import describe_error
from vru_crm.protection.audit_view import (
    PAGE,
    AuditFilter,
    AuditRow,
    choices,
    count_entries,
    page_entries,
)
from vru_crm.protection.audit_words import ACTION_WORDS, record_word

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("When", "Who", "Action", "Record", "What")
# The drop-downs show kinds of record and actions in words, filtering on the stored value.
_WORDS = {
    "Record": record_word,
    "Action": lambda action: ACTION_WORDS.get(action, action.replace("_", " ").capitalize()),
}


class AuditTableModel(QAbstractTableModel):
    """Audit rows for one filter, newest first, fetched a page at a time."""

    def __init__(self, database: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self._database = database
        self._filter = AuditFilter()
        self._rows: list[AuditRow] = []
        self.total = 0

    def set_filter(self, where: AuditFilter) -> None:
        self.beginResetModel()
        self._filter = where
        self.total = count_entries(self._database, where)
        self._rows = page_entries(self._database, where, 0, PAGE)
        self.endResetModel()

    def row_at(self, row: int) -> AuditRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # never editable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.row_at(index.row())
        if row is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.details or row.what
        return (
            format_datetime(row.at),
            row.username,
            row.action_words,
            row.record or _raw_record(row),
            row.what or row.summary,
        )[index.column()]

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        more = page_entries(self._database, self._filter, len(self._rows), PAGE)
        if not more:
            self.total = len(self._rows)
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()


class AuditTrailView(QWidget):
    """Filter bar, the entries, and the old and new values of the selected one."""

    def __init__(
        self,
        database: Database,
        entity: str | None = None,
        entity_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._entity_id = entity_id
        self.model = AuditTableModel(database, self)
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(self._filter_bar(entity))
        layout.addWidget(self._body(), 1)
        self.status = QLabel(self)
        self.status.setAccessibleName("Number of entries")
        layout.addWidget(self.status)
        self.refresh()

    def _combo(self, name: str, values: list[str], current: str | None) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.addItem("Anyone" if name == "Who" else "Any", None)
        for value in values:
            combo.addItem(_WORDS.get(name, lambda v: v)(value), value)
        if current:
            if combo.findData(current) < 0:
                combo.addItem(current, current)
            combo.setCurrentIndex(combo.findData(current))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.currentIndexChanged.connect(self.refresh)
        return combo

    def _filter_bar(self, entity: str | None) -> QHBoxLayout:
        try:
            options = choices(self._database)
        except Exception:
            options = {"username": [], "entity": [], "action": []}
        self.user = self._combo("Who", options["username"], None)
        self.entity = self._combo("Record", options["entity"], entity)
        self.action = self._combo("Action", options["action"], None)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Search the values…")
        self.text.setAccessibleName("Search the values")
        self.text.setClearButtonEnabled(True)
        self.text.setMinimumWidth(16 * self.fontMetrics().averageCharWidth())
        self.text.textChanged.connect(lambda _t: self._debounce.start())
        self.since = DateField(self, accessible_name="From")
        self.until = DateField(self, accessible_name="To")
        for field in (self.since, self.until):
            field.changed.connect(self._debounce.start)
            field.setMaximumWidth(14 * self.fontMetrics().averageCharWidth())
        refresh = QPushButton("&Refresh", self)
        refresh.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        for label, widget in (
            ("Who:", self.user),
            ("Record:", self.entity),
            ("Action:", self.action),
            ("From:", self.since),
            ("To:", self.until),
        ):
            bar.addWidget(QLabel(label, self))
            bar.addWidget(widget)
        bar.addWidget(self.text, 1)
        bar.addWidget(refresh)
        return bar

    def _body(self) -> QSplitter:
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Audit trail")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line a row; the tooltip and the pane have it all
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        record = COLUMNS.index("Record")  # long names: a fixed share, elided, not the whole width
        header.setSectionResizeMode(record, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(record, 26 * self.table.fontMetrics().averageCharWidth())
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Old and new values")
        self.details.setPlaceholderText("Choose an entry to see its old and new values.")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        return splitter

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            username=self.user.currentData(),
            entity=self.entity.currentData(),
            entity_id=self._entity_id,
            action=self.action.currentData(),
            text=self.text.text(),
            since=self.since.value(),
            until=self.until.value(),
        )

    def refresh(self) -> None:
        try:
            self.model.set_filter(self.current_filter())
        except Exception as error:
            self.status.setText(describe_error(error))
            return
        self.details.clear()
        self.status.setText(f"{self.model.total:,} entries")

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row())
        if row is None:
            self.details.clear()
            return
        head = (
            f"{format_datetime(row.at)}:{row.at_local:%S} — {row.username} — {row.action_words}\n"
            f"{row.what or row.summary}\n({_raw_record(row)})\n\n"
        )
        self.details.setPlainText(head + (row.details or "(no values recorded)"))


def _raw_record(row: AuditRow) -> str:
    """The table and id as stored, for whoever supports the app."""
    return f"{row.entity} {row.entity_id}" if row.entity_id is not None else row.entity
