"""Help > Keyboard shortcuts shows its shortcut column in full,
and Help > User guide opens the short local manual shipped in the ui package, with its
screenshots."""

import re
import tomllib
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QTableView

from ui.help.guide import GuideDialog, guide_path
from ui.menus import show_shortcuts

ROOT = Path(__file__).resolve().parents[2]


def _help_action(window, text: str):
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == "Help":
            for item in action.menu().actions():
                if item.text().replace("&", "") == text:
                    return item
    raise AssertionError(f"no Help > {text}")


def test_the_shortcut_column_is_never_behind_the_scroll_bar(qtbot, window):
    dialog = show_shortcuts(window)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    table = dialog.findChild(QTableView)
    header = table.horizontalHeader()
    keys = [table.model().index(r, 1).data() for r in range(table.model().rowCount())]
    assert keys and all(keys)
    right = header.sectionViewportPosition(1) + header.sectionSize(1)
    assert right <= table.viewport().width()
    widest = max(table.fontMetrics().horizontalAdvance(k) for k in keys)
    assert header.sectionSize(1) >= widest
    assert not table.horizontalScrollBar().isVisible()


def test_help_user_guide_opens_the_local_manual(qtbot, window):
    _help_action(window, "User guide").trigger()
    qtbot.waitUntil(
        lambda: (
            isinstance(QApplication.activeWindow(), GuideDialog)
            or any(
                isinstance(w, GuideDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
            )
        )
    )
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, GuideDialog))
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    for task in ("Log an engagement", "Import a spreadsheet", "young people", "Ctrl+Z"):
        assert task in text
    image = dialog.browser.document().resource(
        QTextDocument.ResourceType.ImageResource.value, QUrl("images/log-engagement.png")
    )
    assert image is not None and not image.isNull()


def test_the_guide_and_its_screenshots_are_package_data():
    html = guide_path().read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 6
    for src in images:
        assert (guide_path().parent / src).is_file(), src
    assert guide_path().is_relative_to(ROOT / "ui")
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = data["package-data"]["ui"]
    assert "help/*.html" in patterns and "help/images/*.png" in patterns
    assert sum(p.stat().st_size for p in (guide_path().parent / "images").iterdir()) < 1_500_000


def test_the_guide_dialog_alone(qtbot):
    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    assert "VRU Partnership CRM" in dialog.browser.documentTitle()
