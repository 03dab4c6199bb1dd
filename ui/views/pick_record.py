"""Choose another record of the same kind by typing (for "Merge with…")."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.models.loader import Loader
from vru_crm.queries.search import Hit, search


def _matches(database: Database, text: str, kind: str, exclude: int) -> list[Hit]:
    return [h for h in search(database, text, 40) if h.kind == kind and h.id != exclude][:15]


class PickRecordDialog(QDialog):
    """``chosen`` is the picked hit after ``accept``."""

    def __init__(
        self,
        database: Database,
        kind: str,
        exclude_id: int,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._database, self._kind, self._exclude = database, kind, exclude_id
        self.chosen: Hit | None = None
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Type part of the name…")
        self.text.setAccessibleName("Name to find")
        self.results = QListWidget(self)
        self.results.setAccessibleName("Matching records")
        self.note = QLabel("", self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Choose")
        self.ok.setEnabled(False)
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.text, self.results, self.note, buttons):
            layout.addWidget(widget)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self._search)
        self.text.textEdited.connect(self._timer.start)
        self.results.itemActivated.connect(lambda _item: self._choose())
        self.results.currentRowChanged.connect(lambda row: self.ok.setEnabled(row >= 0))
        self._loader = Loader(self)
        self._loader.loaded.connect(self._show)
        self.resize(480, 360)

    def _search(self) -> None:
        if self.text.text().strip():
            self._loader.load(_matches, self._database, self.text.text(), self._kind, self._exclude)

    def _show(self, hits: list[Hit]) -> None:
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.label} — {hit.detail}", self.results)
            item.setData(Qt.ItemDataRole.UserRole, hit)
        self.note.setText("" if hits else "Nothing found; try fewer letters.")
        if hits:
            self.results.setCurrentRow(0)

    def _choose(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.chosen = item.data(Qt.ItemDataRole.UserRole)
            self.accept()
