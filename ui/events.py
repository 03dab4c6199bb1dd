"""Application-wide change notifications, so every open view refreshes after an edit.

A dialog that saves emits ``changed("organisation", id)``; lists and detail views
listening on it reload what they show. Views stay decoupled from each other.
"""

from PySide6.QtCore import QObject, Signal


class DataEvents(QObject):
    # kind: "organisation", "person", "network", "meeting", "engagement", "membership", "*"
    changed = Signal(str, int)
    # A record disappeared (deleted or merged away); id is the one gone.
    removed = Signal(str, int)


_events: DataEvents | None = None


def data_events() -> DataEvents:
    global _events
    if _events is None:
        _events = DataEvents()
    return _events
