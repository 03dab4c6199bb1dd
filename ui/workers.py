"""Run long work (import, export, backup) off the UI thread.

A ``Job`` runs one plain function on ``QThreadPool``. The function receives a
``JobContext`` so it can report ``progress(done, total)`` and ask
``cancelled()``; it must never touch a widget. The job's signals are emitted
from the pool thread on a ``QObject`` that lives on the main thread, so Qt
queues them and every slot runs on the main thread, where widgets may be
updated. No ``processEvents`` loops: the UI stays live because the work is
elsewhere.

Usage::

    job = Job(importer, path)
    job.progress.connect(bar.setValue2)
    job.finished.connect(self._show_report)
    job.failed.connect(self._show_error)
    job.start()
    ...
    job.cancel()   # the function sees context.cancelled() == True
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

# Jobs still running are kept here so Python does not collect their signal
# object while the pool thread still emits on it.
_running: set[Job] = set()


class Cancelled(Exception):
    """Raised by work that stops because the user pressed Cancel."""


class JobContext:
    """What the work function may use: progress reports and the cancel flag."""

    def __init__(self, job: Job) -> None:
        self._job = job

    def progress(self, done: int, total: int) -> None:
        self._job.progress.emit(int(done), int(total))

    def cancelled(self) -> bool:
        return self._job.is_cancelled()

    def check_cancelled(self) -> None:
        """Raise ``Cancelled`` if the user asked to stop (for loops without a check of their own)."""
        if self.cancelled():
            raise Cancelled()


def describe_error(error: BaseException) -> str:
    """A message fit for a dialog: the service's own words, or a plain fallback.

    Expected errors (validation, locked database, a file with a wrong header)
    carry a message written for users. Anything else is a bug: it is logged with
    its traceback to the log file (``ui.error_log``), and the user sees a short
    sentence naming that file instead.
    """
    from ui.error_log import log_file

    if is_expected(error):
        return str(error) or error.__class__.__name__
    return (
        f"Something went wrong ({error.__class__.__name__}); your saved data is safe. "
        f"The details (without personal data) are in the log file {log_file()}."
    )


def is_expected(error: BaseException) -> bool:
    """An error whose message is written for users: no traceback, one line in the log."""
    from vru_crm.errors import EXPECTED_ERRORS

    return isinstance(error, (*EXPECTED_ERRORS, OSError))


class Job(QObject):
    """One function run on the thread pool, reporting back on the main thread.

    Signals:
        progress(done, total)   while running
        finished(result)        the function returned
        failed(message, error)  it raised; ``message`` is safe to show
        cancelled()             it raised ``Cancelled`` (or failed after ``cancel()``)
    Exactly one of finished/failed/cancelled is emitted, then ``done()``.
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str, object)
    cancelled = Signal()
    done = Signal()

    def __init__(
        self,
        function: Callable[..., Any],
        *args: Any,
        pass_context: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self._function: Callable[..., Any] | None = function
        self._args = args
        self._kwargs = kwargs
        self._pass_context = pass_context
        self._cancel = threading.Event()
        self._active = False
        self.done.connect(self._forget)

    def start(self, pool: QThreadPool | None = None) -> None:
        """Queue the work; returns at once."""
        if self._active:
            return
        self._active = True
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self))

    def cancel(self) -> None:
        """Ask the work to stop; it notices the next time it checks."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def is_running(self) -> bool:
        return self._active

    def _execute(self) -> None:
        """Runs on the pool thread: call the function and emit the outcome.

        The function and its arguments are dropped as soon as it has run: a finished
        job may linger until Python's cycle collector frees it, and it must not keep
        a closed dialog (a bound method, a form in the arguments) alive meanwhile.
        """
        function, args, kwargs = self._function, self._args, self._kwargs
        self._function, self._args, self._kwargs = None, (), {}
        try:
            if function is None:
                raise RuntimeError("this job has already run")
            if self._pass_context:
                args = (JobContext(self), *args)
            result = function(*args, **kwargs)
        except Cancelled:
            self.cancelled.emit()
        except BaseException as error:  # reported to the user, never raised into Qt
            if self.is_cancelled():
                self.cancelled.emit()
            elif is_expected(error):  # its message is already the user's: one line, no traceback
                from ui.error_log import one_line

                log.warning("Background job stopped: %s", one_line(error))
                self.failed.emit(describe_error(error), error)
            else:
                log.error("Background job failed", exc_info=error)
                self.failed.emit(describe_error(error), error)
        else:
            # Finished even if Cancel came too late to stop it: the work is done
            # (and committed), and the result says so. Work that stops early
            # raises Cancelled or reports it in its result.
            self.finished.emit(result)
        finally:
            del function, args, kwargs
        self.done.emit()

    def _forget(self) -> None:
        self._active = False
        _running.discard(self)


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self._job._execute()


def run_in_background(
    function: Callable[..., Any],
    *args: Any,
    on_finished: Callable[[Any], None] | None = None,
    on_failed: Callable[[str, object], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    pass_context: bool = True,
    **kwargs: Any,
) -> Job:
    """Start ``function`` on the pool and wire the callbacks (all called on the main thread)."""
    job = Job(function, *args, pass_context=pass_context, **kwargs)
    if on_finished:
        job.finished.connect(on_finished)
    if on_failed:
        job.failed.connect(on_failed)
    if on_progress:
        job.progress.connect(on_progress)
    job.start()
    return job


def wait_for_jobs(msecs: int = 5000) -> bool:
    """Let running jobs end (call at quit, before the application object goes)."""
    for job in list(_running):
        job.cancel()
    return QThreadPool.globalInstance().waitForDone(msecs)
