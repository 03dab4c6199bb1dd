""" "This looks like a record you already have": shown before saving a likely duplicate.

Lists the existing records with the reason each matched (same e-mail, near-identical
name in the same borough) and offers: open the existing one, merge into it (when
the record being edited already exists), or save anyway.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

OPEN, MERGE, SAVE = "open", "merge", "save"


class DuplicateDialog(QDialog):
    """``choice`` is OPEN, MERGE or SAVE after ``exec()``; ``chosen_id`` the existing record picked."""

    def __init__(self, kind: str, matches, *, editing: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: str | None = None
        self.setWindowTitle(f"Possible duplicate {kind}")
        intro = QLabel(
            f"This {kind} looks like {'one' if len(matches) == 1 else 'some'} you already have. "
            "Using the existing record keeps its history in one place.",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(f"Existing {kind} records that match")
        for match in matches:
            item = QListWidgetItem(f"{match.name}  —  {match.reason}")
            item.setData(Qt.ItemDataRole.UserRole, match.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self._choose(OPEN))
        buttons = QDialogButtonBox(self)
        self.open_button = buttons.addButton(
            "&Open existing", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.clicked.connect(lambda: self._choose(OPEN))
        self.merge_button = buttons.addButton(
            "&Merge into existing", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.merge_button.clicked.connect(lambda: self._choose(MERGE))
        self.merge_button.setVisible(editing)
        save_text = "&Save anyway" if editing else "&Create anyway"
        self.save_button = buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.clicked.connect(lambda: self._choose(SAVE))
        back = buttons.addButton("&Back to the form", QDialogButtonBox.ButtonRole.RejectRole)
        back.clicked.connect(self.reject)
        self.open_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 260)

    @property
    def chosen_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
