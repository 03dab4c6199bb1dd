"""The query figures: search as you type, the engagement list, the dashboard (SQLite or PostgreSQL).

Each is timed as the screen calls it (``vru_crm.queries`` and
``vru_crm.reports``, through SQLAlchemy) against the raw statement underneath,
sent straight to the driver: the app's own cost is the difference.
"""

from __future__ import annotations

import sqlalchemy as sa
from common import TODAY, Row, Timing, measure, server_cpu

from db.session import Database
from vru_crm.queries.engagements import EngagementQuery
from vru_crm.queries.search import normalise_words, search
from vru_crm.reports import figures as f
from vru_crm.reports import sql as q
from vru_crm.reports.period import PeriodFilter

TYPED = ["youth club", "aaliyah"]
PAGE = 200  # ui.models.paged_model.PAGE_SIZE


def _keystrokes() -> list[str]:
    return [
        word[:n] for word in TYPED for n in range(1, len(word) + 1) if not word[:n].endswith(" ")
    ]


def _raw(database: Database, sql: str, params: tuple | dict = ()) -> callable:
    """A statement sent straight to the DB-API cursor on one open connection."""
    raw = database.engine.raw_connection()

    def run():
        cursor = raw.cursor()
        cursor.execute(sql, params)
        cursor.fetchall()
        cursor.close()

    run.close = raw.close  # type: ignore[attr-defined]
    return run


def _per_keystroke(work, runs: int, server=None) -> tuple[Timing, str]:
    """The median keystroke, and the slowest one (in words)."""
    timed = sorted(
        ((measure(lambda t=typed: work(t), runs, server=server), typed) for typed in _keystrokes()),
        key=lambda x: x[0].cpu_ms,
    )
    middle = timed[len(timed) // 2][0]
    worst, typed = timed[-1]
    return Timing(
        middle.wall_ms, middle.cpu_ms, runs * len(timed)
    ), f"{typed!r} {worst.wall_ms:.0f} ms ({worst.cpu_ms:.0f} CPU)"


FTS = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY bm25(search_fts, 10.0, 1.0) LIMIT 36"


def _index_statements(database: Database, typed: str) -> list[tuple[str, list]]:
    """What ``vru_crm.queries.search`` sends for ``typed``, as SQL for the raw driver.

    PostgreSQL: the names matching every word first, then (when there are fewer than 36) every
    match ranked, as ``_PostgresIndex.find`` does; both served by the pg_trgm indexes of migration 0008.
    """
    words = normalise_words(typed)
    if database.is_sqlite:
        return [(FTS, [" AND ".join(f'("{w}"*)' for w in words)])]
    patterns = [f"% {w}%" for w in words]
    names = " AND ".join("name_words LIKE %s" for _ in words)
    where = " AND ".join("(name_words LIKE %s OR other_words LIKE %s)" for _ in words)
    rank = " + ".join("CASE WHEN name_words LIKE %s THEN 0 ELSE 1 END" for _ in words)
    best = f"SELECT kind, ref_id FROM search_index WHERE kind < 4 AND {names} ORDER BY length(name_words), rowkey DESC LIMIT 36"
    every = (
        f"SELECT kind, ref_id FROM search_index WHERE {where} "
        f"ORDER BY kind >= 4, {rank}, length(name_words), rowkey DESC LIMIT 36"
    )
    return [(best, patterns), (every, [p for p in patterns for _ in (1, 2)] + patterns)]


def search_keystroke(database: Database, runs: int, label: str) -> Row:
    raw = database.engine.raw_connection()

    def baseline(typed: str) -> None:
        cursor = raw.cursor()
        for sql, params in _index_statements(database, typed):
            cursor.execute(sql, params)
            if len(cursor.fetchall()) == 36:
                break
        cursor.close()

    people = database.execute_scalar("SELECT count(*) FROM person")
    orgs = database.execute_scalar("SELECT count(*) FROM organisation")
    try:
        server = server_cpu(database)
        ours, worst = _per_keystroke(lambda typed: search(database, typed, 12), runs, server)
        base, _ = _per_keystroke(baseline, runs, server)
    finally:
        raw.close()
    row = Row(
        f"search as you type, one keystroke, {people + orgs:,} people and organisations{label}",
        ours, base, "the same index query, raw" + (" FTS5" if database.is_sqlite else " LIKE (pg_trgm)"),
        "≤ 10 ms and ≤ 20× baseline", limit=10, limit_ratio=20,
        note=f"median keystroke of {', '.join(repr(t) for t in TYPED)} typed letter by letter, 12 hits dressed; "
        f"slowest: {worst} (no exact match, so the fuzzy fallback compares the word with the index's vocabulary)",
    )  # fmt: skip
    return row


def engagement_list(database: Database, runs: int, label: str) -> list[Row]:
    query = EngagementQuery(database)
    total = query.count()
    last = max(0, total - PAGE)
    ids = query.ids_statement()
    raw_sql = str(
        ids.limit(PAGE)
        .offset(last)
        .compile(database.engine, compile_kwargs={"literal_binds": True})
    )
    first_raw = raw_sql.replace(f"OFFSET {last}", "OFFSET 0")
    how = "EngagementQuery as the table model calls it (ids by index, then 200 rows dressed)"
    rows = []
    for what, work, sql, base_name, note in (
        ("first page (count + 200 rows)", lambda: (query.count(), query.page(0, PAGE)), first_raw,
         "the page's id statement, raw", how),
        ("jump to the last row (its 200-row page)", lambda: query.page(last, PAGE), raw_sql,
         f"the id statement with OFFSET {last:,}, raw",
         how + "; past the middle it counts again and reads the page from the end (reverse order, "
         "OFFSET 0), where the baseline walks to the offset"),
    ):  # fmt: skip
        raw, server = _raw(database, sql), server_cpu(database)
        ours, base = measure(work, runs, server=server), measure(raw, runs, server=server)
        raw.close()
        row = Row(
            f"engagement list, {what}, {total:,} rows{label}", ours, base,
            base_name, "≤ 50 ms", limit=50, note=note,
        )  # fmt: skip
        rows.append(row)
    return rows


def dashboard(database: Database, runs: int, label: str) -> list[Row]:
    count = database.execute_scalar("SELECT count(*) FROM engagement")
    rows = []
    for name, period in (
        ("last four quarters (the page's default)", PeriodFilter.recent("quarter", 4, TODAY)),
        ("the whole decade", PeriodFilter.recent("year", 11, TODAY)),
    ):
        e = q.engagement
        floor = sa.select(sa.func.count(), sa.func.sum(e.c.people_reached)).where(
            q.engagements_in(period)
        )
        sql = str(floor.compile(database.engine, compile_kwargs={"literal_binds": True}))
        raw, server = _raw(database, sql), server_cpu(database)
        ours = measure(lambda p=period: f.dashboard(database, p, today=TODAY), runs, server=server)
        base = measure(raw, runs, server=server)
        raw.close()
        row = Row(
            f"dashboard, all charts, {name}, {count:,} engagements{label}", ours, base,
            "one raw COUNT+SUM over the period's engagements", "≤ 300 ms", limit=300,
            note="totals, over time, boroughs, objectives, stakeholder map, gone quiet, follow-ups, governance",
        )  # fmt: skip
        rows.append(row)
    return rows


def list_model(database: Database, runs: int, label: str) -> list[Row]:
    """The table model itself, offscreen in a table view: reload to first page, Ctrl+End to the last row shown."""
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.models.columns import ENGAGEMENT_COLUMNS
    from ui.models.paged_model import PagedTableModel

    QApplication.instance() or QApplication([])
    view = QTableView()
    model = PagedTableModel(database, EngagementQuery, list(ENGAGEMENT_COLUMNS), view)
    view.setModel(model)
    view.resize(1280, 720)
    view.show()

    def first_page() -> None:
        model.reload()
        _wait_for(model.count_changed, lambda: not model.loading)
        assert model.row_id(PAGE - 1) is not None, model.loaded_rows()

    server = server_cpu(database)
    reload = measure(first_page, runs, server=server)
    jump = _jump_to_end(view, model, first_page, runs, server)
    view.close()
    total = f"{model.total:,} rows{label}"
    reload_row = Row(
        f"engagement list model, reload to first page shown, {total}", reload, None, "",
        "≤ 50 ms", limit=50,
        note="ui.models.PagedTableModel offscreen; the count and the first page run on the thread pool",
    )  # fmt: skip
    jump_row = Row(
        f"engagement list model, jump to the last row shown (Ctrl+End), {total}", jump, None, "",
        "≤ 50 ms", limit=50,
        note="from the key press in a 1280x720 QTableView to the last row painted with its data: the view "
        "asks for the page it shows, read on the thread pool; no page between is read, at most 50 pages "
        "are held. Before (forward paging), holding Ctrl+End reached row 345,600 after 60 s",
    )  # fmt: skip
    return [reload_row, jump_row]


def _jump_to_end(view, model, first_page, runs: int, server) -> Timing:
    """Median of ``runs`` Ctrl+End presses, each from a fresh list at its top (a warm-up first).

    Not ``measure``: each press needs a fresh list (the first page only, at the top), which is not timed.
    """
    import statistics
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    last = model.total - 1
    walls, cpus, server_ms = [], [], 0.0
    for _ in range(runs + 1):
        first_page()  # the cache now holds the first page only
        view.setCurrentIndex(model.index(0, 0))
        view.scrollToTop()
        QApplication.processEvents()
        before = server() if server else 0.0
        wall, cpu = time.perf_counter(), time.process_time()
        QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        _wait_for(model.dataChanged, lambda: model.row_id(last) is not None)
        view.viewport().repaint()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        server_ms += ((server() - before) * 1000) if server else 0.0
        assert view.rowAt(view.viewport().height() - 1) in (last, -1), (
            "the last row is not on screen"
        )
        assert model.loaded_rows() <= 2 * PAGE, model.loaded_rows()
    return Timing(
        statistics.median(walls[1:]), statistics.median(cpus[1:]) + server_ms / (runs + 1), runs
    )


def _wait_for(signal, done) -> None:
    """Run the event loop until ``done()`` after ``signal`` (30 s at most)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()

    def check(*_args) -> None:
        if done():
            loop.quit()

    signal.connect(check)
    QTimer.singleShot(30_000, loop.quit)
    if not done():
        loop.exec()
    signal.disconnect(check)


# A fixed list of what people type: one letter, two letters, whole words, typos, no match.
KEYSTROKES = ["a", "h", "y", "ha", "yo", "hac", "hackn", "hackney", "hakcney", "hackeny",
              "youth", "youth c", "youth club", "aaliyah", "aliyah", "omra", "mopa", "prg",
              "zzqx", "qqqq zzzz"]  # fmt: skip


def search_p95(database: Database, runs: int, label: str) -> Row:
    """Search as you type at the 95th percentile over ``KEYSTROKES``, each ``runs`` times."""
    from fig_lists import p95

    server = server_cpu(database)
    timings = {typed: measure(lambda t=typed: search(database, t, 12), 1, server=server)
               for typed in KEYSTROKES}  # fmt: skip
    walls, cpus = [], []
    for _ in range(runs):
        for typed in KEYSTROKES:
            one = measure(lambda t=typed: search(database, t, 12), 1, warm=False, server=server)
            walls.append(one.wall_ms)
            cpus.append(one.cpu_ms)
            timings[typed] = max(timings[typed], one, key=lambda x: x.cpu_ms)
    worst = sorted(timings.items(), key=lambda x: -x[1].cpu_ms)[:3]
    people = database.execute_scalar("SELECT count(*) FROM person")
    orgs = database.execute_scalar("SELECT count(*) FROM organisation")
    return Row(
        f"search as you type, p95 keystroke of {len(KEYSTROKES)} (one letter, typos, no match), "
        f"{people + orgs:,} people and organisations{label}",
        Timing(p95(walls), p95(cpus), len(cpus)), None, "", "≤ 10 ms (p95)", limit=10,
        note="typed: " + ", ".join(repr(k) for k in KEYSTROKES) + "; slowest: "
        + ", ".join(f"{k!r} {v.cpu_ms:.1f} ms CPU" for k, v in worst),
    )  # fmt: skip
