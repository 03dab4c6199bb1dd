"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL.

PostgreSQL tests need ``VRU_CRM_TEST_POSTGRES_URL`` (``.ci/run`` sets it after
starting a server on loopback). Without it they are skipped locally, but under
CI (``CI=true``) a missing server is a failure, never a silent skip.

Migrating a database costs seconds and loading the demo more, so each is done once
per test process and copied per test: a file copy on SQLite; on PostgreSQL a
``CREATE DATABASE ... TEMPLATE`` copy, which costs the server most of a CPU second, so
a copy a test has finished with is put back in the template's state and handed to the
next test (``PostgresPool`` in tests/postgres_admin.py). The suite runs in parallel
(pytest-xdist, ``-n`` in pyproject.toml): every process has its own templates, in its
own temporary folder and under PostgreSQL names that carry the worker's id, so workers
never share one.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path

import pytest

try:  # the project and its test extra, as the README's second command installs them
    import hypothesis  # noqa: F401  (imported here, at a shallow stack: see the comment below)
    import PySide6  # noqa: F401
    import sqlalchemy  # noqa: F401
except ModuleNotFoundError as missing:
    raise pytest.UsageError(
        f"The tests need the app and its test packages installed in this Python ({missing.name} "
        "is missing). Run the README's second command: pip install -e '.[test]' && pytest"
    ) from None
from sqlalchemy import text
from sqlalchemy.engine import make_url

# Hypothesis's pytest plugin imports hypothesis in its terminal summary when no test did;
# under pytest's assertion rewriting, deep in that stack, CPython 3.11.7's parser fails
# ("SystemError: AST constructor recursion depth mismatch") and a run whose tests all
# passed exits 1 (seen with `pytest -n0 tests/test_postgres_pool.py`).

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VRU_CRM_NO_AUTO_BACKUP", "1")

from postgres_admin import PostgresPool, admin_engine, drop_database  # noqa: E402

from db.migrate import open_database, upgrade  # noqa: E402
from db.session import Database  # noqa: E402

# The team-mode fixtures (owner, logins, open_window...), shared by tests/test_team_*.py.
pytest_plugins = ["team_support"]

PG_ENV = "VRU_CRM_TEST_POSTGRES_URL"
DEMO_TODAY = date(2026, 11, 23)  # the day the shared demo database is loaded "on"


def _worker() -> str:
    """``gw0``, ``gw1``... under pytest-xdist; ``main`` in a single process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_name(prefix: str) -> str:
    return f"{prefix}_{_worker()}_{uuid.uuid4().hex[:8]}"


def _pg_base() -> str:
    """The server's URL, or skip (fail under CI) when there is none."""
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set under CI: the PostgreSQL tests must run")
        pytest.skip(f"no PostgreSQL server ({PG_ENV} unset)")
    return base


def _pg_url(base: str, name: str) -> str:
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _copy_sqlite(template: Path, target: Path) -> Path:
    """A copy of a closed SQLite file, with its write-ahead log should one be left."""
    shutil.copy2(template, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{template}{suffix}").exists():
            shutil.copy2(f"{template}{suffix}", f"{target}{suffix}")
    return target


# The longest tests first ------------------------------------------------------------------

# Each of these files holds a test that runs for many seconds with little to share (the
# benchmark smoke run, mypy, programs killed mid-write, lock waits, the real console, a wheel
# build). Run in parallel, a long test left for the end keeps one core busy while the other
# has finished; started first, it overlaps everything else. Whole files move, in this order,
# so a file's module fixtures stay together; every other test keeps its place.
SLOW_FIRST = (
    "test_bench_smoke.py",
    "test_types.py",
    "test_crash_safety.py",
    "test_reliability_readonly.py",
    "test_restore_lock.py",
    "test_cli_io.py",
    "test_wheel.py",
    "test_protection_erasure_bytes.py",
    "test_done_when_script.py",
    "ui/test_shell_startup.py",
    "test_packaging.py",
)


def pytest_xdist_auto_num_workers(config) -> int:
    """``-n auto``: one process more than this machine's cores.

    Why one more: a test often waits rather than computes (on the PostgreSQL server, on a
    `vru-crm` it started, on a lock it is shown to give up on), and with exactly one worker
    per core that wait leaves a core idle. Measured on 2 cores: 3 workers kept both busy
    (3.5 % idle) and took 373 s where 2 had taken 423 s (a shorter lock wait in two tests
    landed between the two runs, so not all of the 50 s is this).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def pytest_collection_modifyitems(config, items) -> None:
    tests = Path(__file__).parent

    def rank(item) -> int:
        try:
            where = Path(str(item.path)).relative_to(tests).as_posix()
        except ValueError:
            return len(SLOW_FIRST)
        return SLOW_FIRST.index(where) if where in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the rest keep the order they were collected in


# Templates, once per test process -------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "vru.sqlite3"
    database = Database(f"sqlite:///{path}", username="tester")
    upgrade(database, backup=False)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated template database; each test gets a fast copy of it."""
    base = _pg_base()
    name = _pg_name("vru_tpl")
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database(_pg_url(base, name), username="tester")
    upgrade(database, backup=False)
    database.dispose()
    yield name
    drop_database(admin, name)
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_pool(postgres_template) -> Iterator[PostgresPool]:
    """This process's migrated databases, reused from test to test (see ``PostgresPool``)."""
    pool = PostgresPool(_pg_base(), postgres_template, f"vru_t_{_worker()}")
    yield pool
    pool.close()


class Prebuilt:
    """Databases built once per test process (the demo, a generated data set), copied per test.

    ``build(database)`` fills a migrated database; ``key`` names what it builds, so two
    fixtures that build the same thing share one template. A template is built the first
    time a test asks for it on that backend, then each test gets its own copy.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sqlite: dict[str, Path] = {}
        self.postgres: dict[str, str] = {}
        self.pools: dict[str, PostgresPool] = {}  # each template's copies, reused test to test

    def _template(self, request, backend: str, key: str, build) -> Path | str:
        if backend == "sqlite":
            if key not in self.sqlite:
                migrated = request.getfixturevalue("sqlite_template")
                path = _copy_sqlite(migrated, self.folder / f"{key}.sqlite3")
                _build(str(path), build)
                self.sqlite[key] = path
            return self.sqlite[key]
        if key not in self.postgres:
            base = _pg_base()
            migrated = request.getfixturevalue("postgres_template")
            name = _pg_name(f"vru_{key}"[:30])
            admin = admin_engine(base)
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{migrated}"'))
                self.postgres[key] = name  # dropped at the end even if the build fails
                _build(_pg_url(base, name), build)
            except BaseException:
                self.postgres.pop(key, None)
                drop_database(admin, name)
                raise
            finally:
                admin.dispose()
        return self.postgres[key]

    @contextmanager
    def url(self, request, backend: str, key: str, build, folder: Path) -> Iterator[str]:
        """The URL of a fresh copy of the ``key`` template on ``backend``."""
        template = self._template(request, backend, key, build)
        if backend == "sqlite":
            assert isinstance(template, Path)
            yield f"sqlite:///{_copy_sqlite(template, folder / f'{key}.sqlite3')}"
        else:
            assert isinstance(template, str)
            if key not in self.pools:
                self.pools[key] = PostgresPool(_pg_base(), template, _pg_name(f"vru_{key}"[:24]))
            yield from _pooled(self.pools[key])

    @contextmanager
    def database(self, request, backend: str, key: str, build, folder: Path) -> Iterator[Database]:
        """A fresh copy of the ``key`` template, opened as the services see it."""
        with self.url(request, backend, key, build, folder) as url:
            database = open_database(url, username="tester")
            try:
                yield database
            finally:
                database.dispose()

    def demo(self, request, backend: str, folder: Path) -> AbstractContextManager[str]:
        """A fresh copy of the demo data set (loaded on ``DEMO_TODAY``): a URL."""
        return self.url(request, backend, "demo", _load_demo, folder)

    def drop_postgres(self) -> None:
        if not self.postgres:
            return
        for pool in self.pools.values():
            pool.close()
        admin = admin_engine(os.environ[PG_ENV])
        for name in self.postgres.values():
            drop_database(admin, name)
        admin.dispose()


def _build(url: str, build) -> None:
    database = open_database(url, username="tester")
    try:
        build(database)
    finally:
        database.dispose()


@pytest.fixture(scope="session")
def prebuilt(tmp_path_factory) -> Iterator[Prebuilt]:
    """Templates built once per test process; see ``Prebuilt``."""
    built = Prebuilt(tmp_path_factory.mktemp("prebuilt"))
    yield built
    built.drop_postgres()


def _load_demo(database: Database) -> None:
    from vru_crm.demo import load_demo

    load_demo(database, today=DEMO_TODAY)


@pytest.fixture(scope="session", autouse=True)
def _qapplication(qapp):
    """Each test process makes its QApplication (offscreen) before any test runs.

    Headless rendering (agenda PDFs, chart images) makes a bare QGuiApplication when
    none exists; were that the first, every later widget would abort the process. Run
    in parallel, any test can come first in a worker, so the application comes first.
    """
    return qapp


# One database per test ------------------------------------------------------------------


def _postgres_copy(template: str) -> Iterator[str]:
    """A fresh database copied from ``template`` (``"template0"`` for an empty one)."""
    base = _pg_base()
    name = _pg_name("vru_t")
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield _pg_url(base, name)
    finally:
        drop_database(admin, name)
        admin.dispose()


def _pooled(pool: PostgresPool) -> Iterator[str]:
    """A database in the pool's template state for one test; emptied (or dropped) after it."""
    name = pool.acquire()
    try:
        yield pool.url(name)
    finally:
        pool.release(name)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    """The URL of a fresh, migrated database on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        yield f"sqlite:///{_copy_sqlite(template, tmp_path / 'vru.sqlite3')}"
    else:
        _pg_base()
        yield from _pooled(request.getfixturevalue("postgres_pool"))


@pytest.fixture
def database(db_url) -> Iterator[Database]:
    """A migrated database on each backend, as the services see it."""
    database = open_database(db_url, username="tester")
    yield database
    database.dispose()


@pytest.fixture(params=BACKENDS)
def demo_db_url(request, prebuilt, tmp_path) -> Iterator[str]:
    """A fresh copy of a database holding the demo data set (loaded on ``DEMO_TODAY``)."""
    with prebuilt.demo(request, request.param, tmp_path) as url:
        yield url


@pytest.fixture
def demo_database(demo_db_url) -> Iterator[Database]:
    """The demo data set on each backend, for tests that read it (loading costs seconds)."""
    database = open_database(demo_db_url, username="tester")
    yield database
    database.dispose()


@pytest.fixture
def sqlite_database(tmp_path, sqlite_template) -> Iterator[Database]:
    """A migrated SQLite file only (for file-level behaviour: backups, corruption, UI)."""
    path = _copy_sqlite(sqlite_template, tmp_path / "vru.sqlite3")
    database = open_database(str(path), username="tester")
    yield database
    database.dispose()


@pytest.fixture(params=BACKENDS)
def empty_db_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database (no schema) on each backend, for migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        yield from _postgres_copy("template0")
