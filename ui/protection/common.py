"""Small pieces the data protection screens share: notices, a message line, a confirmation.

Their tables are ``ui.models.rows_model.read_only_table``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

# Amber and red chosen to read on light and dark palettes (text stays the palette's own).
_NOTICE_STYLES = {
    "safeguarding": "background:#fff4ce;color:#3d2e00;border:1px solid #c19c00;",
    "warning": "background:#fde7e9;color:#5c0b12;border:1px solid #c50f1f;",
    "info": "background:palette(alternate-base);border:1px solid palette(mid);",
}


class Notice(QLabel):
    """A boxed message that stands out: the safeguarding notice, warnings, read-only mode."""

    def __init__(self, text: str = "", kind: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(f"QLabel{{{_NOTICE_STYLES[kind]}border-radius:4px;padding:6px;}}")
        self.setAccessibleName(
            {"safeguarding": "Safeguarding notice", "warning": "Warning"}.get(kind, "Notice")
        )
        self.setVisible(bool(text))

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))


def set_error_colour(label: QLabel) -> None:
    dark = label.palette().color(QPalette.ColorRole.Window).lightness() < 128
    label.setStyleSheet(f"color:{'#ff8a80' if dark else '#b3261e'};")


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    """Ask before something that cannot be undone; the safe answer is the default."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setText(text)
    box.setIcon(QMessageBox.Icon.Warning)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    stop = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stop)
    box.setEscapeButton(stop)
    box.exec()
    return box.clickedButton() is go
