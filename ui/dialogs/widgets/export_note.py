"""After a file is written: where it went, with buttons to open it or its folder.

An export that ends silently leaves the user hunting for the file; this says
"Saved to …/agenda.pdf" and offers to open it with the program the desktop
uses for that kind of file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class ExportNote(QWidget):
    """Hidden until ``show_saved(path)``; then "Saved to <path>", Open it, Show folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.label = QLabel(self)
        self.label.setAccessibleName("Where the file was saved")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setWordWrap(True)
        self.open_button = QPushButton("&Open it", self)
        self.open_button.setAccessibleName("Open the saved file")
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_file)
        self.folder_button = QPushButton("Show &folder", self)
        self.folder_button.setAccessibleName("Show the folder of the saved file")
        self.folder_button.setAutoDefault(False)
        self.folder_button.clicked.connect(self.open_folder)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.folder_button)
        self.hide()

    def show_saved(self, path: Path, what: str = "Saved") -> None:
        self.path = Path(path).resolve()
        self.label.setText(f"{what} to {self.path}")
        self.show()

    def open_file(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))

    def open_folder(self) -> None:
        if self.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))
