"""Look and feel: icons drawn in the palette's own text colour, fonts, spacing, formats.

The app follows the system palette (light or dark) rather than imposing one:
icons are single-colour SVGs recoloured from ``palette().windowText()`` when
they are drawn, so they stay readable on either. Qt 6 scales for high-DPI
screens by itself; icons are rendered at the device pixel ratio.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from vru_crm.london import LONDON

ICON_DIR = Path(__file__).resolve().parents[1] / "resources" / "icons"
SPACING = 8

KIND_ICONS = {
    "organisation": "organisation",
    "person": "people",
    "network": "network",
    "meeting": "meeting",
    "engagement": "engagement",
}


def text_colour() -> QColor:
    app = QGuiApplication.instance()
    if app is None:
        return QColor("#202020")
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText)


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """The named icon from resources/icons, drawn in ``colour`` (default: the palette's text)."""
    colour = colour or text_colour()
    return _icon(name, colour.name())


@lru_cache(maxsize=128)
def _icon(name: str, colour: str) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    if not path.exists():
        return QIcon()
    svg = path.read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    ratio = _pixel_ratio()
    for size in (16, 20, 24, 32, 48):
        pixmap = QPixmap(QSize(size, size) * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def _pixel_ratio() -> float:
    screen = QGuiApplication.primaryScreen() if QGuiApplication.instance() else None
    return max(1.0, screen.devicePixelRatio()) if screen else 1.0


def clear_icon_cache() -> None:
    """Call when the palette changes (light <-> dark) so icons are redrawn in the new colour."""
    _icon.cache_clear()


ICON_PROPERTY = "vru_icon"


def themed_icon(target: QObject, name: str) -> QObject:
    """Give a button or action the named icon, and remember the name so ``recolour`` can redraw it."""
    target.setProperty(ICON_PROPERTY, name)
    target.setIcon(icon(name))  # type: ignore[attr-defined]
    return target


def recolour(root: QObject) -> None:
    """Redraw every themed icon under ``root`` in the current palette (after light <-> dark)."""
    clear_icon_cache()
    for child in [root, *root.findChildren(QObject)]:
        name = child.property(ICON_PROPERTY)
        if isinstance(name, str) and hasattr(child, "setIcon"):
            child.setIcon(icon(name))


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


def heading(text: str, factor: float = 1.5, parent: QWidget | None = None) -> QLabel:
    """A bold title label, sized relative to the user's font so it scales with it."""
    label = QLabel(text, parent)
    label.setFont(scaled_font(label, factor, bold=True))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def muted(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A secondary line in the palette's placeholder colour; it follows a switch to dark and back."""
    label = QLabel(text, parent)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setWordWrap(True)
    return label


def warning_colour() -> QColor:
    """Overdue and problem text: a red that reads on light and dark backgrounds."""
    base = (
        QApplication.palette().color(QPalette.ColorRole.Base)
        if QApplication.instance()
        else QColor("white")
    )
    return QColor("#ff8a80") if base.lightness() < 128 else QColor("#b3261e")


# --- formats ---------------------------------------------------------------------------


def format_date(value: date | None, empty: str = "") -> str:
    """``3 Mar 2025``: unambiguous for UK readers, short enough for a column."""
    if value is None:
        return empty
    return f"{value.day} {value:%b %Y}"


def format_short_date(value: date | None, today: date, empty: str = "") -> str:
    """``3 Mar`` this year, ``3 Mar 2025`` otherwise: for narrow columns on Home."""
    if value is None:
        return empty
    return f"{value.day} {value:%b}" if value.year == today.year else format_date(value)


def format_datetime(value: datetime | None, empty: str = "") -> str:
    """A stored UTC instant shown in London time: ``6 Mar 2019, 10:00``."""
    if value is None:
        return empty
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%b %Y, %H:%M}"


def days_ago(value: date | None, today: date) -> str:
    if value is None:
        return "never"
    days = (today - value).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 0:
        return f"in {-days} days"
    return f"{days} days ago"
