"""Look and feel: icons drawn in the palette's own text colour, fonts, spacing, formats.

The app follows the system palette (light or dark) unless the user picks one
in View > Appearance (``apply_appearance``, remembered in QSettings): icons are
single-colour SVGs recoloured from ``palette().windowText()`` when they are
drawn, so they stay readable on either, and charts take their colours from
the palette (``chart_colours``).

Qt 6 scales for high-DPI screens by itself. Each icon holds a pixmap per
device pixel ratio (1x, 2x and every screen's own), each drawn into its whole
logical size: an SVG drawn without a target rectangle fills the pixmap's
*device* size, which at 2x is twice the logical one, so only the top-left
quarter of the icon showed.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files

import shiboken6
from PySide6.QtCore import QByteArray, QObject, QRectF, QSettings, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFocusFrame,
    QLabel,
    QProxyStyle,
    QStyle,
    QWidget,
)

from vru_crm.london import LONDON

ICON_DIR = files("ui") / "resources" / "icons"  # package data: found in a wheel or a frozen app
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
    """The named icon from ui/resources/icons, drawn in ``colour`` (default: the palette's text)."""
    colour = colour or text_colour()
    return _icon(name, colour.name())


@lru_cache(maxsize=128)
def _icon(name: str, colour: str) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    if not path.is_file():
        return QIcon()
    svg = path.read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for ratio in _pixel_ratios():
        for size in ICON_SIZES:
            result.addPixmap(render_svg(renderer, size, ratio))
    return result


ICON_SIZES = (16, 20, 24, 32, 48)


def render_svg(renderer: QSvgRenderer, size: int, ratio: float) -> QPixmap:
    """The drawing at ``size`` logical pixels for a screen of ``ratio`` device pixels per pixel."""
    pixmap = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))  # logical bounds: the whole icon
    painter.end()
    return pixmap


def _pixel_ratios() -> list[float]:
    """1x and 2x always (a window can move to another screen), and each screen's own ratio."""
    ratios = {1.0, 2.0}
    if QGuiApplication.instance() is not None:
        ratios.update(max(1.0, screen.devicePixelRatio()) for screen in QGuiApplication.screens())
    return sorted(ratios)


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


# --- appearance: system, light or dark -------------------------------------------------

APPEARANCES = {"system": "&System", "light": "&Light", "dark": "&Dark"}
APPEARANCE_KEY = "view/appearance"
_started_with: str | None = None  # the style the app started with (the system's, or -style)
_applied = "system"


def dark_palette() -> QPalette:
    """A calm dark palette for Fusion (text and numbers read at WCAG AA on every background)."""
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e8e8e8",
        role.Base: "#1f1f1f",
        role.AlternateBase: "#2a2a2a",
        role.ToolTipBase: "#3a3a3a",
        role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#a8a8a8",
        role.Text: "#e8e8e8",
        role.Button: "#353535",
        role.ButtonText: "#e8e8e8",
        role.BrightText: "#ff6e6e",
        role.Light: "#4a4a4a",
        role.Midlight: "#3e3e3e",
        role.Mid: "#2f2f2f",
        role.Dark: "#1a1a1a",
        role.Shadow: "#000000",
        role.Highlight: "#3d7bd9",
        role.HighlightedText: "#ffffff",
        role.Link: "#8ab4f8",
        role.LinkVisited: "#c58af9",
    }
    for r, colour in colours.items():
        p.setColor(r, QColor(colour))
    for r, colour in (
        (role.WindowText, "#7a7a7a"),
        (role.Text, "#7a7a7a"),
        (role.ButtonText, "#7a7a7a"),
        (role.Highlight, "#4a4a4a"),
        (role.HighlightedText, "#9a9a9a"),
    ):
        p.setColor(group.Disabled, r, QColor(colour))
    return p


def light_palette() -> QPalette:
    """Fusion's own light palette, whatever the system would choose."""
    from PySide6.QtWidgets import QStyleFactory

    fusion = QStyleFactory.create("Fusion")
    return fusion.standardPalette() if fusion is not None else QPalette()


def appearance_setting(settings: QSettings) -> str:
    value = str(settings.value(APPEARANCE_KEY, "system"))
    return value if value in APPEARANCES else "system"


def apply_appearance(mode: str) -> None:
    """System (the platform's style and palette), or Fusion in light or dark, for the whole app.

    Light and dark set the palette themselves, so they look the same on
    every platform; System hands the choice back to the platform (and to a
    ``-style`` given on the command line).
    """
    global _started_with, _applied
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if _started_with is None:
        _started_with = app.style().name()
    if mode not in APPEARANCES:
        mode = "system"
    if mode != _applied:
        _applied = mode
        if mode == "system":
            app.setStyle(_started_with)
            app.setPalette(QPalette())  # nothing set: the platform's palette again
        else:
            app.setStyle("Fusion")
            app.setPalette(dark_palette() if mode == "dark" else light_palette())
        _colour_scheme(mode)
        clear_icon_cache()
    install_focus_ring(app)


def current_appearance() -> str:
    return _applied


def is_dark() -> bool:
    """The palette in use is a dark one (whatever chose it)."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _colour_scheme(mode: str) -> None:
    """Tell Qt (6.8+) too, so native dialogs and title bars follow where the platform lets them."""
    hints = QGuiApplication.styleHints()
    try:
        if mode == "system":
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(Qt.ColorScheme.Dark if mode == "dark" else Qt.ColorScheme.Light)
    except AttributeError:  # Qt before 6.8
        pass


class FocusRing(QFocusFrame):
    """A ring in the highlight colour around the list, table or tree that has the focus.

    Fusion marks only the current cell of a view, so a list with the focus
    and no selection looked exactly like one without. A style sheet
    could draw the ring, but an app style sheet stops ``QApplication.setPalette``
    reaching the widgets, and the appearance setting needs that. Line edits,
    boxes and buttons keep the style's own focus marks.
    """

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt name
        """Two pixels on the widget's own border: the frame's margin outside it is often clipped."""
        widget = self.widget()
        if widget is None:
            return
        left = (self.width() - widget.width()) / 2
        top = (self.height() - widget.height()) / 2
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight))
        pen.setWidth(2)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        border = QRectF(left, top, widget.width(), widget.height())
        painter.drawRect(border.adjusted(1, 1, -1, -1))
        painter.end()


class _UnmaskedStyle(QProxyStyle):
    """The ring's style: no mask, so it may paint on the widget's own border."""

    def styleHint(self, hint, option=None, widget=None, returnData=None):  # noqa: N802, N803
        if hint == QStyle.StyleHint.SH_FocusFrame_Mask:
            return 0
        return super().styleHint(hint, option, widget, returnData)


_ring: FocusRing | None = None
_ring_style: _UnmaskedStyle | None = None


def install_focus_ring(app: QApplication) -> None:
    """Follow the focus with a ``FocusRing`` (once per app)."""
    if app.property("vru_focus_ring") is True:
        return
    app.setProperty("vru_focus_ring", True)
    app.focusChanged.connect(_focus_changed)
    _focus_changed(None, app.focusWidget())


def focus_ring() -> FocusRing | None:
    """The ring, if it is around a widget now (for tests)."""
    return _ring if _ring is not None and shiboken6.isValid(_ring) else None


def _focus_changed(_old: QWidget | None, new: QWidget | None) -> None:
    global _ring, _ring_style
    ring = focus_ring()
    wanted = isinstance(new, QAbstractItemView) and new.parentWidget() is not None
    if not wanted or new.window().windowType() == Qt.WindowType.Popup:
        if ring is not None:
            ring.setWidget(None)
            ring.hide()
        return
    if ring is None:  # the first, or its last parent was deleted with the ring
        _ring_style = _ring_style or _UnmaskedStyle()
        ring = _ring = FocusRing()
        ring.setStyle(_ring_style)
    ring.setWidget(new)
    ring.show()
    ring.raise_()


# --- colours that follow the palette -------------------------------------------------------


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white); body text wants 4.5."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def palette_colour(role: QPalette.ColorRole) -> QColor:
    if QGuiApplication.instance() is None:
        light = (QPalette.ColorRole.Base, QPalette.ColorRole.Window)
        return QColor("#ffffff") if role in light else QColor("#202020")
    return QGuiApplication.palette().color(role)


def accent_text_colour() -> QColor:
    """Headline figures: the VRU navy on light backgrounds, a light blue on dark ones."""
    window = palette_colour(QPalette.ColorRole.Window)
    candidate = QColor("#1b3a6b") if window.lightness() >= 128 else QColor("#8ab4f8")
    if contrast_ratio(candidate, window) >= 4.5:
        return candidate
    return palette_colour(QPalette.ColorRole.WindowText)


def chart_colours() -> tuple[QColor, QColor]:
    """(background, ink) for chart and graph canvases: the palette's Base and Text."""
    return palette_colour(QPalette.ColorRole.Base), palette_colour(QPalette.ColorRole.Text)


def visible_on(colour: QColor, background: QColor, minimum: float = 1.6) -> QColor:
    """``colour``, or the palette's text colour where it would vanish into ``background``.

    The graph draws networks in near-black: on a dark canvas they (and their
    legend swatch) disappeared.
    """
    if contrast_ratio(colour, background) >= minimum:
        return colour
    return palette_colour(QPalette.ColorRole.Text)


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
