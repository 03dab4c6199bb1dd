"""Run in a fresh process by ``bench/fig_startup.py``: start a window, say when it is ready, exit.

``python bench/app_child.py bare`` shows a bare PySide6 main window with a
200-row table: the floor any Qt app pays. ``python bench/app_child.py app URL``
starts the VRU CRM as ``ui.app`` does (``ui.app.start``: the main window shown
first, the database opened behind it with its dialogs; fresh settings). Either
prints ``ready`` with its own timings as JSON at the first turn of the event
loop after ``show()``, the moment a click would be handled. The app then
prints ``rows`` when the page on screen (Home, with fresh settings) shows its
figures, or a list its first rows, one more turn of the event loop later so they
are painted. With ``--list`` it then opens the
engagements list, waits for its first page, scrolls down a page three times
(waiting each time for the page the view asks for) and prints the peak resident memory.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time

START = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def peak_rss_mb() -> float:
    """This process's peak resident set in MB.

    ``getrusage``'s ru_maxrss survives exec on Linux, so a child started by
    a large benchmark process would report its parent's size; the address
    space's own high-water mark (VmHWM, reset by exec) is read where there is one.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def say(**values) -> None:
    print(json.dumps(values), flush=True)


WATCHDOG_MS = 180_000  # a child that never reaches its event must not hang the suite (or CI)


def watchdog() -> None:
    """Give up after WATCHDOG_MS: say so on stderr and exit 3; the parent reports the figure as missing."""
    from PySide6.QtCore import QTimer

    def give_up() -> None:
        print(
            f"app_child: nothing happened for {WATCHDOG_MS // 1000} s; giving up", file=sys.stderr
        )
        sys.stderr.flush()
        os._exit(3)

    QTimer.singleShot(WATCHDOG_MS, give_up)


def bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    watchdog()
    imported = time.perf_counter()
    window = QMainWindow()
    model = QStandardItemModel(200, 7, window)
    for row in range(200):
        for column in range(7):
            model.setItem(row, column, QStandardItem(f"row {row} column {column}"))
    table = QTableView(window)
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    shown = time.perf_counter()

    def ready() -> None:
        say(event="ready", imports=imported - START, window=shown - imported, total=time.perf_counter() - START,
            cpu=time.process_time(), rss_mb=peak_rss_mb())  # fmt: skip
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()


def app(url: str, open_list: bool) -> None:
    from PySide6.QtCore import QSettings, QTimer

    from ui.app import make_application, start

    qt_app = make_application()
    watchdog()
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "bench.ini"), QSettings.Format.IniFormat)
    imported, cpu_imported = time.perf_counter(), time.process_time()
    startup = start(url, "bench", settings)
    window = startup.window
    shown, cpu_shown = time.perf_counter(), time.process_time()
    timings = {"imports": imported - START, "window": shown - imported,
               "cpu_imports": cpu_imported, "cpu_window": cpu_shown - cpu_imported}  # fmt: skip

    def ready() -> None:
        say(event="ready", total=time.perf_counter() - START, cpu=time.process_time(), rss_mb=peak_rss_mb(),
            **timings)  # fmt: skip
        QTimer.singleShot(0, wait_for_rows)

    def wait_for_rows() -> None:
        if not rows_shown(window):
            QTimer.singleShot(5, wait_for_rows)
            return
        QTimer.singleShot(0, rows_painted)  # the rows arrived; one more turn paints them

    def rows_painted() -> None:
        say(event="rows", total=time.perf_counter() - START, cpu=time.process_time(),
            rss_mb=peak_rss_mb())  # fmt: skip
        if open_list:
            show_list()
        else:
            qt_app.quit()

    def show_list() -> None:
        from ui.models.paged_model import PAGE_SIZE

        started = time.perf_counter()
        window.show_page("engagements")
        page = window.page("engagements")
        model, pages = page.model, {"n": 0}

        def scroll(row: int) -> None:
            """The scroll bar to ``row`` (a row a step), once the view has laid out the row count."""
            bar = page.table.verticalScrollBar()
            if bar.maximum() < row:
                QTimer.singleShot(1, lambda: scroll(row))
            else:
                bar.setValue(row)  # the view then asks for the page it shows

        def more(*_args) -> None:
            pages["n"] += 1
            row = pages["n"] * PAGE_SIZE
            if pages["n"] <= 3 and row < model.total:
                scroll(row)
                return
            say(event="list", seconds=time.perf_counter() - started, rows=model.loaded_rows(),
                total=model.total, rss_mb=peak_rss_mb())  # fmt: skip
            qt_app.quit()

        model.count_changed.connect(more)
        model.dataChanged.connect(more)

    QTimer.singleShot(0, ready)
    qt_app.exec()
    startup.close()


def rows_shown(window) -> bool:
    """Whether the page on screen has its data: the Home page's figures, or a list's first rows."""
    if window.database is None:
        return False
    page = window.stack.currentWidget()
    if getattr(page, "figures", None) is not None:
        return True
    model = getattr(page, "model", None)
    return model is not None and model.rowCount() > 0


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        app(sys.argv[2], "--list" in sys.argv)
