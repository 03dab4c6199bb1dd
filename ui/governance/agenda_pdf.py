"""The agenda as PDF, drawn by Qt's rich-text engine from the same HTML as the .html export.

Also used by the command line (``vru-crm agenda ID -o x.pdf``), where no window
exists: a ``QGuiApplication`` is made on the offscreen platform if none is running.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from db.session import Database
from vru_crm.errors import UserError
from vru_crm.governance.agenda import get_agenda
from vru_crm.governance.agenda_export import agenda_html

_app: QGuiApplication | None = None
_LAYOUT_DPI = 96  # QTextDocument lays out at screen resolution; print_ scales to the PDF's


def _ensure_gui() -> None:
    """Qt needs an application object to lay out text; headless machines get the offscreen one."""
    global _app
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication([])


def write_pdf(html: str, path: Path, title: str = "Agenda") -> None:
    """Render ``html`` to an A4 PDF at ``path`` (written beside it, then renamed)."""
    _ensure_gui()
    path = Path(path)
    if not path.parent.exists():
        raise UserError(f"The folder {path.parent} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setTitle(title)
        writer.setCreator("VRU Partnership CRM")
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(18, 16, 18, 16),
                QPageLayout.Unit.Millimeter,
            )
        )
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setHtml(html)
        # A page size of its own makes print_ lay the text out on the page inside the margins
        # above; without one it adds 2 cm margins of its own and the item column gets narrow.
        inside = writer.pageLayout().paintRect(QPageLayout.Unit.Inch)
        document.setPageSize(QSizeF(inside.width() * _LAYOUT_DPI, inside.height() * _LAYOUT_DPI))
        document.print_(writer)
        del writer  # closes the file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_agenda_pdf(database: Database, meeting_id: int, path: Path) -> Path:
    agenda = get_agenda(database, meeting_id)
    write_pdf(agenda_html(agenda), Path(path), title=f"Agenda: {agenda.network or agenda.title}")
    return Path(path)
