"""Grey out the buttons inside a page that the signed-in role may not use, and say why.

The server refuses what a role may not do; a disabled button with the reason as
its tooltip saves someone filling in a form only to be told no. A page calls
``guard`` once with its buttons and the kind of record each changes; the rights
come from ``vru_crm.team.signed_in`` (the same source as the toolbar's). A page
that later enables a button itself (a row chosen, a record loaded) cannot undo
it: the button stays disabled for as long as it lives. SQLite: nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from db.session import Database
from vru_crm.team.signed_in import signed_in

REFUSED = "team_refused"  # the widget property holding the reason (tests read it)


def guard(database: Database | None, needs: Iterable[tuple[QWidget | None, str]]) -> None:
    """Disable each widget whose kind of record the role may not change, the reason its tooltip."""
    if database is None or database.is_sqlite:
        return
    who = signed_in(database)
    if who is None:
        return
    for widget, kind in needs:
        reason = who.refusal(kind)
        if widget is not None and reason is not None:
            _KeepRefused(widget, reason)


class _KeepRefused(QObject):
    """Keeps one widget disabled, with its reason as tooltip, whatever its page does later."""

    def __init__(self, widget: QWidget, reason: str) -> None:
        super().__init__(widget)
        self.reason = reason
        widget.setProperty(REFUSED, reason)
        widget.installEventFilter(self)
        self._enforce(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        watching = (QEvent.Type.EnabledChange, QEvent.Type.ToolTipChange)
        if event.type() in watching and isinstance(watched, QWidget):
            self._enforce(watched)
        return False

    def _enforce(self, widget: QWidget) -> None:
        if widget.isEnabled():
            widget.setEnabled(False)
        if widget.toolTip() != self.reason:
            widget.setToolTip(self.reason)
            widget.setStatusTip(self.reason)
