"""A page that a later issue fills (Graph, Reports): says so instead of showing nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.style import heading, muted


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        head = heading(title, 1.6, self)
        head.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = muted(text, self)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(head)
        layout.addWidget(body)
        layout.addStretch(2)
