"""The audit trail, filterable and read-only: who changed what, when, with old and new values.

Nothing in this view can change an entry: the table has no edit triggers and
the service it reads (``vru_crm.protection.audit_view``) has no write function.
The entries are a paged list (``ui.models.paged_model.PagedTableModel`` over
``vru_crm.queries.audit.AuditQuery``): counted and read on the thread pool, only
the pages on screen held, however long the trail.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
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
from ui.models.loader import Loader
from ui.models.paged_model import ColumnSpec, PagedTableModel
from ui.style import format_datetime
from vru_crm.protection.audit_view import AuditFilter, AuditRow, choices
from vru_crm.protection.audit_words import ACTION_WORDS, record_word
from vru_crm.queries.audit import AuditQuery

COLUMNS = ("When", "Who", "Action", "Record", "What")
# The drop-downs show kinds of record and actions in words, filtering on the stored value.
_WORDS = {
    "Record": record_word,
    "Action": lambda action: ACTION_WORDS.get(action, action.replace("_", " ").capitalize()),
}


def _tip(row: AuditRow) -> str:
    return row.details or row.what


# What each column shows of an entry; the tooltip has the old and new values.
AUDIT_COLUMNS = [
    ColumnSpec("at", "When", lambda r: format_datetime(r.at), sortable=False, tooltip=_tip),
    ColumnSpec("username", "Who", lambda r: r.username, sortable=False, tooltip=_tip),
    ColumnSpec("action", "Action", lambda r: r.action_words, sortable=False, tooltip=_tip),
    ColumnSpec(
        "record", "Record", lambda r: r.record or _raw_record(r), sortable=False, tooltip=_tip
    ),
    ColumnSpec("what", "What", lambda r: r.what or r.summary, sortable=False, tooltip=_tip),
]


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
        self.model = PagedTableModel(database, AuditQuery, AUDIT_COLUMNS, self)
        self.model.count_changed.connect(lambda total: self.status.setText(f"{total:,} entries"))
        self.model.failed.connect(lambda message: self.status.setText(message))
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(self._filter_bar(entity))
        layout.addWidget(self._body(), 1)
        self.status = QLabel(self)
        self.status.setAccessibleName("Number of entries")
        layout.addWidget(self.status)
        self.refresh()

    def _choices_arrived(self, options: dict[str, list[str]]) -> None:
        for name, combo, key in (
            ("Who", self.user, "username"),
            ("Record", self.entity, "entity"),
            ("Action", self.action, "action"),
        ):
            current = combo.currentData()
            combo.blockSignals(True)  # the same filter stays chosen: no new query
            combo.clear()
            combo.addItem("Anyone" if name == "Who" else "Any", None)
            for value in options.get(key, []):
                combo.addItem(_WORDS.get(name, lambda v: v)(value), value)
            if current and combo.findData(current) < 0:
                combo.addItem(current, current)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

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
        # The filters' values are read on the thread pool; until they arrive each
        # offers "Any" (and the record kind asked for), and a filter chosen since is kept.
        self.user = self._combo("Who", [], None)
        self.entity = self._combo("Record", [], entity)
        self.action = self._combo("Action", [], None)
        self._choices = Loader(self)
        self._choices.loaded.connect(self._choices_arrived)
        self._choices.failed.connect(lambda message, _error: self.status.setText(message))
        self._choices.load(choices, self._database)
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
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a narrow column: "Organis…"
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
        """Read the entries for the filter again, on the thread pool."""
        self.details.clear()
        where = self.current_filter()
        if where == self.model.filters:
            self.model.reload()
        else:
            self.model.set_filters(where)

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
