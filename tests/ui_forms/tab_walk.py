"""Walk a window's Tab chain and compare it with the reading order of what can take focus.

Reading order: top to bottom by rows, left to right within a row; a widget is on the row of
the widgets whose vertical span contains its middle. What "can take focus" is every visible,
enabled widget with Tab focus that is not standing in for another (a focus proxy's target is
the widget itself) and is not inside a list or table (their cells are not Tab stops).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QRadioButton,
    QWidget,
)


def _tab_stop(widget: QWidget, window: QWidget) -> bool:
    if not widget.isVisibleTo(window) or not widget.isEnabled():
        return False
    if widget.focusProxy() is not None:
        return False
    if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) != Qt.FocusPolicy.TabFocus:
        return False
    parent = widget.parentWidget()
    if isinstance(parent, QComboBox | QAbstractSpinBox):
        return False  # the line edit inside stands for its owner
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractItemView):
            return False  # an editor open in a cell
        parent = parent.parentWidget()
    return True


def unit(widget: QWidget) -> QWidget:
    """What a Tab stop counts as: radio buttons count as their row of choices."""
    if isinstance(widget, QRadioButton) and widget.parentWidget() is not None:
        return widget.parentWidget()
    if isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox):
        return widget.parentWidget()
    return widget


def focusable(window: QWidget) -> list[QWidget]:
    units: list[QWidget] = []
    for w in window.findChildren(QWidget):
        if _tab_stop(w, window) and unit(w) not in units:
            units.append(unit(w))
    return units


def reading_order(window: QWidget) -> list[QWidget]:
    """The Tab stops of ``window`` as a reader meets them."""

    def rect(w):
        top_left = w.mapTo(window, w.rect().topLeft())
        return top_left.x(), top_left.y(), w.height()

    widgets = sorted(focusable(window), key=lambda w: rect(w)[1] + rect(w)[2] / 2)
    rows: list[list[QWidget]] = []
    for w in widgets:
        _, y, h = rect(w)
        middle = y + h / 2
        if rows:
            _, ry, rh = rect(rows[-1][0])
            if ry <= middle <= ry + rh:
                rows[-1].append(w)
                continue
        rows.append([w])
    return [w for row in rows for w in sorted(row, key=lambda w: rect(w)[0])]


def _owner(widget: QWidget | None, stops: list[QWidget]) -> QWidget | None:
    """The Tab stop that ``widget`` (the focus widget) belongs to; None for one outside them."""
    if widget is None:
        return None
    widget = unit(widget)
    return widget if widget in stops else None


def tab_chain(qtbot, window: QWidget, start: QWidget | None = None) -> list[QWidget | None]:
    """Press Tab from ``start`` (the first in reading order) until focus comes back round;
    consecutive stops of one unit (the buttons of one row of choices) count once."""
    stops = reading_order(window)
    first = start or stops[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    chain = [_owner(QApplication.focusWidget(), stops)]
    for _ in range(len(stops) * 6 + 5):
        if QApplication.activeWindow() is not window:
            window.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = _owner(QApplication.focusWidget(), stops)
        if now is chain[0]:
            break
        if now is not chain[-1]:
            chain.append(now)
    return chain


def describe(widgets) -> list[str]:
    out = []
    for w in widgets:
        if w is None:
            out.append("(outside the form)")
            continue
        name = w.accessibleName() or getattr(w, "text", lambda: "")() or w.objectName()
        out.append(f"{type(w).__name__}:{name}")
    return out
