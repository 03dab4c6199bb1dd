"""The background worker: results, failures and cancel arrive on the main thread."""

import threading
import time

from PySide6.QtCore import QThread

from ui.workers import Cancelled, Job
from vru_crm.errors import ValidationError


def _count_to(context, n: int) -> int:
    for i in range(n):
        context.check_cancelled()
        context.progress(i + 1, n)
    return n


def test_result_and_progress_arrive_on_the_main_thread(qtbot):
    seen_threads: list[object] = []
    progress: list[tuple[int, int]] = []
    job = Job(_count_to, 5)
    job.progress.connect(
        lambda d, t: (progress.append((d, t)), seen_threads.append(QThread.currentThread()))
    )
    with qtbot.waitSignal(job.finished, timeout=5000) as blocker:
        job.start()
    assert blocker.args == [5]
    qtbot.waitUntil(lambda: len(progress) == 5)
    assert progress[-1] == (5, 5)
    main = QThread.currentThread()
    assert all(thread is main for thread in seen_threads)


def test_expected_error_message_is_shown_as_is(qtbot):
    def fail(_context):
        raise ValidationError({"name": "a name is required"})

    job = Job(fail)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start()
    assert blocker.args[0] == "Name: a name is required"


def test_unexpected_error_hides_the_traceback(qtbot):
    def crash(_context):
        raise KeyError("internal detail")

    job = Job(crash)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start()
    assert "internal detail" not in blocker.args[0]
    assert "Something went wrong" in blocker.args[0]


def test_cancel_stops_the_work_and_reports_cancelled(qtbot):
    started = threading.Event()

    def slow(context):
        started.set()
        while True:
            if context.cancelled():
                raise Cancelled()
            time.sleep(0.01)

    job = Job(slow)
    job.start()
    assert started.wait(5)
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.cancel()
    qtbot.waitUntil(lambda: not job.is_running)


def test_a_finished_job_lets_go_of_its_function_and_arguments(qtbot):
    """A closed dialog in a job's arguments must not live on until the cycle collector runs."""
    import gc
    import weakref

    class Form:
        def read(self, _context, value: int, **_more: object) -> int:
            return value

    form = Form()
    job = Job(form.read, 7, extra=form)
    gone = weakref.ref(form)
    with (
        qtbot.waitSignal(job.done, timeout=5000),
        qtbot.waitSignal(job.finished, timeout=5000) as blocker,
    ):
        job.start()
    assert blocker.args == [7]
    del form
    gc.disable()  # freed by reference counting alone, not by the collector
    try:
        assert gone() is None
    finally:
        gc.enable()
