"""Read figures off the UI thread and hand back only the latest answer.

A page asks for a record, the user clicks another before the first answer
arrives: the first answer must not overwrite the second. Each request gets a
number; an answer is delivered only if its number is still the latest. The
work runs on the thread pool through ``ui.workers.Job``; the ``loaded`` and
``failed`` signals fire on the main thread (they are emitted by this QObject's
slot, which Qt queues to the thread it lives in).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from ui.workers import Job, describe_error

log = logging.getLogger(__name__)


def _tagged(
    token: int, function: Callable[..., Any], *args: Any
) -> tuple[int, Any, BaseException | None]:
    """Runs on the pool: never raises, so every outcome comes back through one signal."""
    try:
        return token, function(*args), None
    except Exception as error:  # reported by the page in words
        return token, None, error


class Loader(QObject):
    """One stream of requests: ``load(fn, *args)``; ``loaded(result)`` or ``failed(message, error)``."""

    loaded = Signal(object)
    failed = Signal(str, object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._token = 0
        self._pending = 0

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def load(self, function: Callable[..., Any], *args: Any) -> None:
        self._token += 1
        job = Job(_tagged, self._token, function, *args, pass_context=False)
        job.finished.connect(self._finished)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        job.start()

    def cancel(self) -> None:
        """Forget answers still on their way (the page is closing or moved on)."""
        self._token += 1

    @Slot(object)
    def _finished(self, payload: tuple[int, Any, BaseException | None]) -> None:
        self._pending = max(0, self._pending - 1)
        if self._pending == 0:
            self.busy_changed.emit(False)
        token, result, error = payload
        if token != self._token:
            return
        if error is not None:
            if not _expected(error):
                log.error("loading figures failed", exc_info=error)
            self.failed.emit(describe_error(error), error)
        else:
            self.loaded.emit(result)


def _expected(error: BaseException) -> bool:
    from vru_crm.errors import EXPECTED_ERRORS

    return isinstance(error, EXPECTED_ERRORS)
