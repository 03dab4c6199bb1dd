"""Help > User guide: the short manual of everyday tasks, shipped inside the ``ui`` package.

The guide is ``ui/help/guide.html`` with its screenshots in ``ui/help/images`` (package data,
so a wheel carries them). It opens in a window of the app, which needs no browser and works
offline; "Open in your browser" hands the same file to the desktop's browser for printing.
"""

from __future__ import annotations

from contextlib import ExitStack
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

_files = ExitStack()  # keeps an extracted copy alive if the package is zipped


def guide_path() -> Path:
    """The guide's HTML file on disk (its images are beside it, in images/)."""
    folder = _files.enter_context(resources.as_file(resources.files("ui.help")))
    return Path(folder) / "guide.html"


class GuideDialog(QDialog):
    """The user guide in a browser pane; links within it work, outside ones open the browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("User guide")
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSource(QUrl.fromLocalFile(str(guide_path())))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.browser_button = QPushButton("Open in your &browser", self)
        self.browser_button.setAutoDefault(False)
        buttons.addButton(self.browser_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.browser_button.clicked.connect(self.open_in_browser)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(760, 640)

    def open_in_browser(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide_path())))


def show_guide(parent: QWidget | None) -> GuideDialog:
    dialog = GuideDialog(parent)
    dialog.show()
    return dialog
