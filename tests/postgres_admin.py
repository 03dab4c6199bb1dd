"""Creating and dropping throwaway PostgreSQL databases for the tests."""

import graphlib
import time
import uuid
import warnings
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool


def admin_engine(base_url: str) -> Engine:
    """An autocommit engine on the server's ``postgres`` database (CREATE/DROP DATABASE)."""
    admin = make_url(base_url).set(database="postgres")
    return create_engine(admin, isolation_level="AUTOCOMMIT")


def drop_database(admin: Engine, name: str) -> None:
    """Drop a throwaway test database; failing to clean up is not a test failure.

    ``WITH (FORCE)`` ends every session on the database, and a server worker
    (autovacuum) may belong to a role the test role cannot signal. Try a few
    times, then leave the database behind with a warning rather than fail a
    test whose assertions all held.
    """
    last: DBAPIError | None = None
    for attempt in range(5):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError as error:
            last = error
            time.sleep(0.2 * (attempt + 1))
    warnings.warn(f"test database {name} left behind: {last}", stacklevel=2)


# A pool of test databases, emptied between tests -----------------------------------------

# Everything about a database's schema that a test could change and that emptying its tables
# would not undo: relations and their privileges, columns, constraints, triggers, functions,
# policies, schemas, types, extensions, and the database's own privileges and settings.
_SCHEMA_FINGERPRINT = """
SELECT md5(coalesce(string_agg(item, '|' ORDER BY item), '')) FROM (
  SELECT 'rel:' || n.nspname || '.' || c.relname || ':' || c.relkind::text || ':'
         || coalesce(c.relacl::text, '') || ':' || c.relrowsecurity::text
         || ':' || coalesce(c.reloptions::text, '')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL
  SELECT 'col:' || c.oid::regclass::text || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
         || ':' || a.attnotnull::text || ':' || coalesce(a.attacl::text, '')
         || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
     AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'con:' || conrelid::regclass::text || '.' || conname || ':' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace NOT IN ('pg_catalog'::regnamespace,
                                                  'information_schema'::regnamespace)
  UNION ALL
  SELECT 'idx:' || indexrelid::regclass::text || ':' || pg_get_indexdef(indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
   WHERE c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace,
                                'pg_toast'::regnamespace)
  UNION ALL
  SELECT 'trg:' || tgrelid::regclass::text || '.' || tgname || ':' || tgenabled::text || ':'
         || md5(pg_get_triggerdef(oid))
    FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL
  SELECT 'fn:' || p.oid::regprocedure::text || ':' || md5(coalesce(p.prosrc, ''))
         || ':' || coalesce(p.proacl::text, '') || ':' || p.prosecdef::text
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT 'pol:' || polrelid::regclass::text || '.' || polname || ':'
         || coalesce(pg_get_expr(polqual, polrelid), '') || ':' || polroles::text
    FROM pg_policy
  UNION ALL
  SELECT 'ns:' || nspname || ':' || coalesce(nspacl::text, '') FROM pg_namespace
  UNION ALL
  SELECT 'type:' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL
  SELECT 'ext:' || extname || ':' || extversion FROM pg_extension
  UNION ALL
  SELECT 'defacl:' || defaclacl::text FROM pg_default_acl
  UNION ALL
  SELECT 'db:' || coalesce(datacl::text, '') || ':' || datconnlimit::text
    FROM pg_database WHERE datname = current_database()
  UNION ALL
  SELECT 'set:' || array_to_string(setconfig, ',') FROM pg_db_role_setting
   WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
  UNION ALL
  SELECT 'lo:' || count(*)::text FROM pg_largeobject_metadata
) AS everything(item)
"""

_END_OTHER_SESSIONS = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
 WHERE datname = current_database() AND pid <> pg_backend_pid()
"""  # sessions a test left open (idle, or mid-transaction in a thread) would hold locks

_REFERENCES = """
SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
 WHERE contype = 'f' AND conrelid <> confrelid
"""

_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
_SEQUENCES = """
SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value
  FROM pg_sequences ORDER BY 1
"""


def _quoted(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


@dataclass(frozen=True)
class _State:
    """What a database holds, compared between a test's copy and the template."""

    schema: str
    tables: dict[str, str | None]  # table -> digest of its rows (None when empty)
    sequences: dict[str, int | None]  # sequence -> last value (None when never used)


def _state(conn: Connection, schema: str | None = None) -> _State:
    """The database's state; ``schema`` passes a fingerprint already read in this transaction.

    Emptying tables, copying rows back and setting sequences cannot change the schema, so
    the checks after them reuse the first fingerprint (the query costs the server ~10 ms).
    """
    if schema is None:
        schema = conn.execute(text(_SCHEMA_FINGERPRINT)).scalar_one()
    tables = list(conn.execute(text(_TABLES)).scalars())
    digests: dict[str, str | None] = {}
    if tables:
        columns = ", ".join(
            f"(SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM {_quoted(name)} t)"
            for name in tables
        )
        digests = dict(zip(tables, conn.execute(text(f"SELECT {columns}")).one(), strict=True))
    sequences = {name: value for name, value in conn.execute(text(_SEQUENCES)).all()}
    return _State(schema, digests, sequences)


def _parents_first(tables: list[str], references: list[tuple[str, str]]) -> list[str]:
    """``tables`` ordered so that a table comes after every table it refers to."""
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in references:
        child, parent = child.strip('"'), parent.strip('"')
        if child in parents and parent in parents:
            parents[child].add(parent)
    return list(graphlib.TopologicalSorter(parents).static_order())


class PostgresPool:
    """Databases copied from one migrated template, emptied and reused from test to test.

    ``CREATE DATABASE ... TEMPLATE`` costs the server most of a CPU second for this schema
    (it copies every relation's files), and the suite makes hundreds. Putting a database
    back as the template left it costs far less: empty the tables a test wrote, copy back
    the template's reference rows and set the sequences where they were. A test's database
    is reused only when its state then matches the template's exactly (every row, every
    sequence, and a fingerprint of the schema, privileges and settings); otherwise, say
    after a test that changed the schema or granted privileges, it is dropped and the next
    test gets a fresh copy, so no test can see what another left behind.
    """

    def __init__(self, base_url: str, template: str, prefix: str) -> None:
        self.base_url = base_url
        self.template = template
        self.prefix = prefix
        self.admin = admin_engine(base_url)
        self.free: list[str] = []
        self.made: set[str] = set()
        self._expected: _State | None = None
        self._rows: dict[str, bytes] = {}  # the template's non-empty tables, as COPY text
        self._order: list[str] = []

    def url(self, name: str) -> str:
        return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)

    def _read_template(self) -> None:
        engine = create_engine(self.url(self.template), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                self._expected = _state(conn)
                self._order = _parents_first(
                    list(self._expected.tables), conn.execute(text(_REFERENCES)).all()
                )
                cursor = conn.connection.dbapi_connection.cursor()
                for table, digest in self._expected.tables.items():
                    if digest is not None:
                        with cursor.copy(f"COPY {_quoted(table)} TO STDOUT") as copy:
                            self._rows[table] = b"".join(bytes(chunk) for chunk in copy)
        finally:
            engine.dispose()

    def acquire(self) -> str:
        """The name of a database in the template's state, for one test."""
        if self._expected is None:
            self._read_template()
        if self.free:
            return self.free.pop()
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        self.made.add(name)
        return name

    def release(self, name: str) -> None:
        """Put the database back as the template left it, or drop it when that cannot be done."""
        try:
            reset = self._reset(name)
        except Exception:  # a database the test left unusable: a fresh copy replaces it
            reset = False
        if reset:
            self.free.append(name)
        else:
            self.made.discard(name)
            drop_database(self.admin, name)

    def _reset(self, name: str) -> bool:
        engine = create_engine(
            self.url(name), poolclass=NullPool, connect_args={"options": "-c lock_timeout=5000"}
        )
        try:
            with engine.connect() as conn:
                conn.execute(text(_END_OTHER_SESSIONS))
                conn.commit()
                found = _state(conn)
                if found == self._expected:
                    return True  # a test that wrote nothing: already as the template left it
                if not self._restore(conn, found):
                    return False
                conn.commit()
                return _state(conn, found.schema) == self._expected
        finally:
            engine.dispose()

    def _restore(self, conn: Connection, found: _State) -> bool:
        """Empty what the test wrote, copy back the template's rows, rewind the sequences."""
        expected = self._expected
        assert expected is not None
        if found.schema != expected.schema or found.tables.keys() != expected.tables.keys():
            return False  # emptying tables cannot undo this: a fresh copy replaces the database
        changed = [t for t in expected.tables if found.tables[t] != expected.tables[t]]
        if changed:
            emptied = self._empty(conn, changed)
            cursor = conn.connection.dbapi_connection.cursor()
            for table in self._order:  # referenced tables before the tables that refer to them
                if emptied[table] is None and table in self._rows:
                    # Triggers (search index, rollups) would add rows of their own; the
                    # template's rows of those tables are copied back as they were.
                    conn.execute(text(f"ALTER TABLE {_quoted(table)} DISABLE TRIGGER USER"))
                    with cursor.copy(f"COPY {_quoted(table)} FROM STDIN") as copy:
                        copy.write(self._rows[table])
                    conn.execute(text(f"ALTER TABLE {_quoted(table)} ENABLE TRIGGER USER"))
        for sequence, value in expected.sequences.items():
            if found.sequences.get(sequence) != value:
                conn.execute(
                    text("SELECT setval(CAST(:s AS regclass), :v, :called)"),
                    {"s": sequence, "v": value or 1, "called": value is not None},
                )
        return True

    def _empty(self, conn: Connection, changed: list[str]) -> dict[str, str | None]:
        """Delete every row of ``changed``; what is left, table by table (as ``_State.tables``).

        ``DELETE`` costs the server a tenth of ``TRUNCATE`` for the few rows a test writes
        (a truncated table gets new files), and a reference row still in use cannot go;
        whatever it leaves wrong is then truncated. The tables' own triggers (rollups,
        search index) are off while it deletes: what they would maintain is in ``changed``
        too and is copied back whole, and firing them made the deletes of a demo
        database's engagements most of the pool's cost. Foreign keys still hold (their
        triggers are the system's, not the user's).
        """
        expected = self._expected
        assert expected is not None
        try:
            with conn.begin_nested():
                for table in reversed(self._order):  # the tables that refer to others first
                    if table in changed:
                        quoted = _quoted(table)
                        conn.execute(text(f"ALTER TABLE {quoted} DISABLE TRIGGER USER"))
                        conn.execute(text(f"DELETE FROM {quoted}"))
                        conn.execute(text(f"ALTER TABLE {quoted} ENABLE TRIGGER USER"))
        except DBAPIError:
            pass  # rolled back to before the deletes: all are truncated below
        left = _state(conn, expected.schema).tables
        wrong = [t for t, digest in left.items() if digest not in (None, expected.tables[t])]
        if not wrong:
            return left
        conn.execute(text(f"TRUNCATE {', '.join(map(_quoted, wrong))} CASCADE"))
        return _state(conn, expected.schema).tables

    def close(self) -> None:
        """Drop every database the pool made."""
        for name in sorted(self.made):
            drop_database(self.admin, name)
        self.made.clear()
        self.free.clear()
        self.admin.dispose()
