"""The search index over organisations, people, networks, meetings and agenda items.

Created by migration 0003 and kept in step with the tables by triggers. Each
indexed row's key is ``id * 8 + kind`` (see ``KINDS``), so a trigger finds its
row without a scan, and each trigger touches only its own row and the index:
a trigger that read another table would break SQLite's table rebuilds
(Alembic batch mode), which later migrations use.

Those rebuilds drop the triggers of the table they recreate. ``ensure``, run
after every upgrade (``db.migrate.upgrade``), puts missing triggers back and
refills the index, so a later migration can never leave search silently stale.

SQLite: an FTS5 table (unicode61 with diacritics removed, prefix indexes).
PostgreSQL: a plain table of accent-free, lower-case words written by trigger
functions and searched with ``LIKE '% word%'`` (a word start). Migration 0008
adds trigram indexes (``install_trigram``) that serve those LIKEs and the typo
fallback's similarity search: pg_trgm is a trusted extension, so a database
owner without superuser rights may create it. Where it cannot be created the
migration logs why and search keeps working by scanning the table (60,000
partners: about 15 ms a word instead of under 1 ms); ``vru-crm check`` says so,
and ``ensure`` adds the indexes once an administrator has created the
extension. The accent table is mirrored in ``vru_crm/queries/search.py`` (a
test checks).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

ACCENTED = "ÀÁÂÃÄÅàáâãäåĀāĂăĄąÇçĆćČčĎďÈÉÊËèéêëĒēĘęĚěÌÍÎÏìíîïĪīŁłÑñŃńŇňÒÓÔÕÖØòóôõöøŌōŐőŘřŚśŠšŞşŤťÙÚÛÜùúûüŪūŮůŰűÝýÿŸŹźŻżŽž"
PLAIN = "AAAAAAaaaaaaAaAaAaCcCcCcDdEEEEeeeeEeEeEeIIIIiiiiIiLlNnNnNnOOOOOOooooooOoOoRrSsSsSsTtUUUUuuuuUuUuUuYyyYZzZzZz"

# kind code -> (table, SQL over the row alias "r" for the name, SQL for the other words)
KINDS: dict[int, tuple[str, str, str]] = {
    1: ("organisation", "r.name", "coalesce(r.email, '')"),
    2: ("person", "r.full_name", "coalesce(r.job_title, '') || ' ' || coalesce(r.email, '')"),
    3: ("network", "r.name", "r.description"),
    4: ("meeting", "r.title", "coalesce(r.location, '') || ' ' || r.notes"),
    5: ("agenda_item", "''", "r.title || ' ' || coalesce(r.presenter, '')"),
}
SQLITE_TABLE = "search_fts"
PG_TABLE = "search_index"
# PostgreSQL trigram indexes (migration 0008): index name -> the column it covers
TRIGRAM_INDEXES = {
    "ix_search_index_name_trgm": "name_words",
    "ix_search_index_other_trgm": "other_words",
}
TRIGRAM_REVISION = "0008"
# Prefix indexes of the SQLite index: from migration 0010 one letter too, so the first
# keystroke reads one index entry per word instead of merging every word that starts so.
PREFIXES = "1 2 3 4"
# The engagement log's text (summary and outcome) for the list's text filter (migration 0010):
# SQLite an FTS5 table over the log's own rows; PostgreSQL trigram indexes on the columns.
ENGAGEMENT_FTS = "search_engagement_fts"
ENGAGEMENT_TRIGRAM = {
    "ix_search_engagement_summary_trgm": "summary",
    "ix_search_engagement_outcome_trgm": "outcome",
}
ENGAGEMENT_REVISION = "0010"
# The list's summary order (migration 0010). SQLite: the column with NOCASE, which folds
# case as lower() does (ASCII). PostgreSQL: lower() of its first SUMMARY_KEY characters, as
# a b-tree entry has a size limit that a whole summary could pass.
SUMMARY_ORDER_INDEX = "ix_search_engagement_summary"
SUMMARY_KEY = 200
# From migration 0009 a network is also found by its short name ("YPAG"): its name words
# include it. Older schemas (migrations 0003-0008 install the index) have no such column.
NETWORK_NAME_WITH_SHORT = "r.name || ' ' || coalesce(r.short_name, '')"


def kinds(conn: Connection) -> dict[int, tuple[str, str, str]]:
    """``KINDS`` for this schema: the network's short name among its name words once it exists."""
    columns = {c["name"] for c in inspect(conn).get_columns("network")}
    if "short_name" not in columns:
        return KINDS
    table, _, other = KINDS[3]
    return {**KINDS, 3: (table, NETWORK_NAME_WITH_SHORT, other)}


def install(conn: Connection) -> None:
    """Create the index, its triggers, and fill it from the rows already there."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
                f"name, other, tokenize = 'unicode61 remove_diacritics 2', prefix = '{PREFIXES}')"
            )
        )
        _sqlite_triggers(conn)
    else:
        _postgres_install(conn)
    rebuild(conn)


def drop(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for name in _sqlite_trigger_names():
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {SQLITE_TABLE}"))
        return
    for table, _, _ in KINDS.values():
        conn.execute(text(f"DROP TRIGGER IF EXISTS search_{table} ON {table}"))
    conn.execute(text("DROP FUNCTION IF EXISTS vru_search_trigger() CASCADE"))
    conn.execute(text(f"DROP TABLE IF EXISTS {PG_TABLE}"))
    conn.execute(text("DROP FUNCTION IF EXISTS vru_search_norm(text)"))


def rebuild(conn: Connection) -> None:
    """Refill the whole index from the tables (a few seconds for 100,000 rows at most)."""
    if conn.dialect.name == "sqlite":
        conn.execute(text(f"DELETE FROM {SQLITE_TABLE}"))
        for code, (table, name, other) in kinds(conn).items():
            conn.execute(
                text(
                    f"INSERT INTO {SQLITE_TABLE}(rowid, name, other) "
                    f"SELECT r.id * 8 + {code}, {name}, {other} FROM {table} r"
                )
            )
        return
    conn.execute(text(f"DELETE FROM {PG_TABLE}"))
    for code, (table, name, other) in kinds(conn).items():
        conn.execute(text(f"INSERT INTO {PG_TABLE} {_pg_select(code, name, other, table)}"))


def ensure(conn: Connection) -> bool:
    """Put back triggers a table rebuild dropped, and refill the index; True if it had to.

    On PostgreSQL: add the trigram indexes that migration 0008 could not, once
    pg_trgm has been created in the database by someone allowed to.
    """
    if conn.dialect.name != "sqlite":
        return _postgres_refresh(conn) | _postgres_ensure(conn) | _postgres_engagement_ensure(conn)
    return _ensure_engagement(conn) | _ensure_sqlite(conn)


def _ensure_sqlite(conn: Connection) -> bool:
    exists = conn.execute(
        text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n"),
        {"n": SQLITE_TABLE},
    ).scalar()
    if not exists:
        return False
    present = set(
        conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
    )
    missing = [name for name in _sqlite_trigger_names() if name not in present]
    stale = _sqlite_stale(conn)
    if not missing and not stale:
        return False
    log.info(
        "search index: restoring %d triggers dropped by a table rebuild, %d out of date",
        len(missing),
        len(stale),
    )
    for name in stale:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    _sqlite_triggers(conn)
    rebuild(conn)
    return True


def _sqlite_stale(conn: Connection) -> list[str]:
    """Triggers that index a row with other words than this schema's ``kinds`` say."""
    stale = []
    for table, name, _ in kinds(conn).values():
        wanted = name.replace("r.", "new.")
        for suffix in ("ai", "au"):
            trigger = f"search_{table}_{suffix}"
            sql = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :n"),
                {"n": trigger},
            ).scalar()
            if sql is not None and wanted not in sql:
                stale.append(trigger)
    return stale


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_trigger_names() -> list[str]:
    return [
        f"search_{table}_{suffix}"
        for table, _, _ in KINDS.values()
        for suffix in ("ai", "au", "ad")
    ]


def _sqlite_triggers(conn: Connection) -> None:
    for code, (table, name, other) in kinds(conn).items():
        values = f"VALUES (new.id * 8 + {code}, {name.replace('r.', 'new.')}, {other.replace('r.', 'new.')})"
        insert_new = f"INSERT INTO {SQLITE_TABLE}(rowid, name, other) {values}"
        delete_old = f"DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id * 8 + {code}"
        statements = {
            "ai": f"AFTER INSERT ON {table} BEGIN {insert_new}; END",
            "au": f"AFTER UPDATE ON {table} BEGIN {delete_old}; {insert_new}; END",
            "ad": f"AFTER DELETE ON {table} BEGIN {delete_old}; END",
        }
        for suffix, body in statements.items():
            conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS search_{table}_{suffix} {body}"))


# --- PostgreSQL ------------------------------------------------------------------------


def _pg_select(code: int, name: str, other: str, table: str, where: str = "TRUE") -> str:
    return (
        f"SELECT r.id::bigint * 8 + {code}, {code}, r.id, vru_search_norm({name}), "
        f"vru_search_norm({other}) FROM {table} r WHERE {where}"
    )


def _postgres_install(conn: Connection) -> None:
    conn.execute(
        text(
            "CREATE OR REPLACE FUNCTION vru_search_norm(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ "
            "SELECT ' ' || btrim(regexp_replace(lower(translate(coalesce(value, ''), "
            f"'{ACCENTED}', '{PLAIN}')), '[^[:alnum:]]+', ' ', 'g')) || ' ' $$"
        )
    )
    conn.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {PG_TABLE} ("
            "rowkey bigint PRIMARY KEY, kind smallint NOT NULL, ref_id integer NOT NULL, "
            "name_words text NOT NULL, other_words text NOT NULL)"
        )
    )
    branches = " ".join(
        f"WHEN {code} THEN INSERT INTO {PG_TABLE} VALUES (NEW.id::bigint * 8 + {code}, {code}, NEW.id, "
        f"vru_search_norm({name.replace('r.', 'NEW.')}), vru_search_norm({other.replace('r.', 'NEW.')}));"
        for code, (_, name, other) in kinds(conn).items()
    )
    conn.execute(
        text(
            "CREATE OR REPLACE FUNCTION vru_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "DECLARE code integer := TG_ARGV[0]::integer; "
            "BEGIN IF TG_OP <> 'INSERT' THEN "
            f"DELETE FROM {PG_TABLE} WHERE rowkey = OLD.id::bigint * 8 + code; END IF; "
            f"IF TG_OP <> 'DELETE' THEN CASE code {branches} END CASE; END IF; "
            "RETURN NULL; END $$"
        )
    )
    for code, (table, _, _) in KINDS.items():
        conn.execute(text(f"DROP TRIGGER IF EXISTS search_{table} ON {table}"))
        conn.execute(
            text(
                f"CREATE TRIGGER search_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION vru_search_trigger('{code}')"
            )
        )


# --- PostgreSQL trigram indexes (migration 0008) ----------------------------------------


def install_trigram(conn: Connection) -> bool:
    """Index the words with pg_trgm for ``LIKE`` and similarity; False (and logged) if it cannot.

    Everything runs in a savepoint, so a role that may not create the
    extension (no CREATE privilege on the database, or contrib not installed
    on the server) leaves the migration's transaction usable: search then
    scans the table as before.
    """
    if conn.dialect.name == "sqlite":
        return False
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            for name, column in TRIGRAM_INDEXES.items():
                conn.execute(
                    text(
                        f"CREATE INDEX IF NOT EXISTS {name} ON {PG_TABLE} "
                        f"USING gin ({column} gin_trgm_ops)"
                    )
                )
    except DBAPIError as error:
        log.warning(
            "search stays unindexed: the pg_trgm extension could not be created (%s). "
            "A database administrator can run CREATE EXTENSION pg_trgm in this database; "
            "the app then indexes search the next time it opens it.",
            str(error.orig).strip().splitlines()[0],
        )
        return False
    return True


def drop_trigram(conn: Connection) -> None:
    """Drop the trigram indexes; the extension stays (something else may use it)."""
    if conn.dialect.name == "sqlite":
        return
    for name in TRIGRAM_INDEXES:
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def trigram_indexed(conn: Connection) -> bool:
    """True when PostgreSQL's search index has its trigram indexes (and so pg_trgm)."""
    if conn.dialect.name == "sqlite":
        return False
    found = conn.execute(
        text(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = :table AND indexname = ANY(:names)"
        ),
        {"table": PG_TABLE, "names": list(TRIGRAM_INDEXES)},
    ).scalar()
    return found == len(TRIGRAM_INDEXES)


def _postgres_refresh(conn: Connection) -> bool:
    """Recreate the trigger function (and refill) when it indexes other words than ``kinds``."""
    source = conn.execute(
        text("SELECT prosrc FROM pg_proc WHERE proname = 'vru_search_trigger'")
    ).scalar()
    if source is None:
        return False
    wanted = [name.replace("r.", "NEW.") for _, name, _ in kinds(conn).values()]
    if all(item in source for item in wanted):
        return False
    log.info("search index: the trigger function is out of date; recreating it")
    _postgres_install(conn)
    rebuild(conn)
    return True


def _postgres_ensure(conn: Connection) -> bool:
    revision = conn.execute(text("SELECT max(version_num) FROM alembic_version")).scalar()
    if revision is None or revision < TRIGRAM_REVISION or trigram_indexed(conn):
        return False
    has_extension = conn.execute(
        text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
    ).scalar()
    if not has_extension:
        return False
    log.info("search index: pg_trgm is there now, adding the trigram indexes")
    return install_trigram(conn)


# --- the one-letter prefix index and the engagement log's text (migration 0010) ------------


def widen_prefixes(conn: Connection) -> None:
    """SQLite: recreate the index with the one-letter prefix index (``PREFIXES``) and refill it.

    FTS5 fixes its prefix indexes when the table is made, so an index made by
    an older migration is made again; its triggers name the table and keep working.
    """
    if conn.dialect.name != "sqlite":
        return
    sql = conn.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"),
        {"n": SQLITE_TABLE},
    ).scalar()
    if sql is None or f"prefix = '{PREFIXES}'" in sql:
        return
    _recreate(conn, PREFIXES)


def narrow_prefixes(conn: Connection) -> None:
    """Undo ``widen_prefixes`` (the index as migration 0003 made it)."""
    if conn.dialect.name == "sqlite":
        _recreate(conn, "2 3 4")


def _recreate(conn: Connection, prefixes: str) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {SQLITE_TABLE}"))
    conn.execute(
        text(
            f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(name, other, "
            f"tokenize = 'unicode61 remove_diacritics 2', prefix = '{prefixes}')"
        )
    )
    rebuild(conn)


_ENGAGEMENT_TRIGGERS = ("search_engagement_ai", "search_engagement_au", "search_engagement_ad")


def install_engagement(conn: Connection) -> bool:
    """Index the log's summaries and outcomes for the list's text filter; False if it cannot.

    SQLite: an external-content FTS5 table (the text stays in ``engagement``
    only) without positions (``detail=none``): the filter asks which rows hold
    words starting so, never for phrases, and the index is a fraction of the
    size. Triggers keep it in step. PostgreSQL: trigram indexes on the two
    columns, which serve the filter's ``ILIKE '%word%'`` as they are; like the
    search index's (migration 0008) they need pg_trgm, and without it the
    filter scans the log as before.
    """
    if conn.dialect.name != "sqlite":
        return _postgres_engagement_install(conn)
    conn.execute(
        text(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {ENGAGEMENT_FTS} USING fts5(summary, outcome, "
            "content = 'engagement', content_rowid = 'id', "
            "tokenize = 'unicode61 remove_diacritics 2', detail = none)"
        )
    )
    _sqlite_engagement_triggers(conn)
    conn.execute(text(f"INSERT INTO {ENGAGEMENT_FTS}({ENGAGEMENT_FTS}) VALUES ('rebuild')"))
    return True


def drop_engagement(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        for name in ENGAGEMENT_TRIGRAM:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
        return
    for name in _ENGAGEMENT_TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {ENGAGEMENT_FTS}"))


def engagement_indexed(conn: Connection) -> bool:
    """Whether the log's text has its index (FTS5 table, or both trigram indexes)."""
    if conn.dialect.name == "sqlite":
        found = conn.execute(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n"),
            {"n": ENGAGEMENT_FTS},
        ).scalar()
        return bool(found)
    found = conn.execute(
        text(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'engagement' AND indexname = ANY(:names)"
        ),
        {"names": list(ENGAGEMENT_TRIGRAM)},
    ).scalar()
    return found == len(ENGAGEMENT_TRIGRAM)


def _sqlite_engagement_triggers(conn: Connection) -> None:
    new = f"INSERT INTO {ENGAGEMENT_FTS}(rowid, summary, outcome) VALUES (new.id, new.summary, new.outcome)"
    old = (
        f"INSERT INTO {ENGAGEMENT_FTS}({ENGAGEMENT_FTS}, rowid, summary, outcome) "
        "VALUES ('delete', old.id, old.summary, old.outcome)"
    )
    bodies = {
        "search_engagement_ai": f"AFTER INSERT ON engagement BEGIN {new}; END",
        "search_engagement_au": f"AFTER UPDATE OF summary, outcome ON engagement BEGIN {old}; {new}; END",
        "search_engagement_ad": f"AFTER DELETE ON engagement BEGIN {old}; END",
    }
    for name, body in bodies.items():
        conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS {name} {body}"))


def _ensure_engagement(conn: Connection) -> bool:
    """SQLite: put back the log's text triggers after a rebuild of ``engagement``, and refill."""
    if not engagement_indexed(conn):
        return False
    present = set(
        conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
    )
    if all(name in present for name in _ENGAGEMENT_TRIGGERS):
        return False
    log.info("search index: restoring the engagement text triggers dropped by a table rebuild")
    _sqlite_engagement_triggers(conn)
    conn.execute(text(f"INSERT INTO {ENGAGEMENT_FTS}({ENGAGEMENT_FTS}) VALUES ('rebuild')"))
    return True


def _postgres_engagement_install(conn: Connection) -> bool:
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            for name, column in ENGAGEMENT_TRIGRAM.items():
                conn.execute(
                    text(
                        f"CREATE INDEX IF NOT EXISTS {name} ON engagement "
                        f"USING gin ({column} gin_trgm_ops)"
                    )
                )
    except DBAPIError as error:
        log.warning(
            "the engagement list's text filter stays unindexed: pg_trgm could not be created (%s)",
            str(error.orig).strip().splitlines()[0],
        )
        return False
    return True


def _postgres_engagement_ensure(conn: Connection) -> bool:
    revision = conn.execute(text("SELECT max(version_num) FROM alembic_version")).scalar()
    if revision is None or revision < ENGAGEMENT_REVISION or engagement_indexed(conn):
        return False
    has_extension = conn.execute(
        text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
    ).scalar()
    return bool(has_extension) and _postgres_engagement_install(conn)


def install_summary_order(conn: Connection) -> None:
    """The index the engagement list's sort by summary is read from (see ``SUMMARY_ORDER_INDEX``)."""
    if conn.dialect.name == "sqlite":
        key = "summary COLLATE NOCASE"
    else:
        key = f"(left(lower(summary), {SUMMARY_KEY}))"
    conn.execute(
        text(f"CREATE INDEX IF NOT EXISTS {SUMMARY_ORDER_INDEX} ON engagement ({key}, id)")
    )


def drop_summary_order(conn: Connection) -> None:
    conn.execute(text(f"DROP INDEX IF EXISTS {SUMMARY_ORDER_INDEX}"))


def list_order_indexes(sqlite: bool) -> dict[str, str]:
    """The indexes of the list's orders within a filter (migration 0011): name -> what follows ON.

    A kind, in the summary, follow-up and staff orders; and the two status
    filters that are a small part of the log (open follow-ups, flagged rows:
    about 4% and 3%), in every order, as partial indexes of only those rows.
    Their conditions are written as the list's query writes them (SQLAlchemy's
    ``IS 0`` / ``IS false``), so each database sees that the index covers it.
    Open follow-ups carry the follow-up date too, so "overdue" is tested on the
    index.
    """
    summary = "summary COLLATE NOCASE" if sqlite else f"(left(lower(summary), {SUMMARY_KEY}))"
    false, true = ("0", "1") if sqlite else ("false", "true")
    open_ = f"WHERE follow_up_on IS NOT NULL AND follow_up_done IS {false}"
    flagged = f"WHERE is_notable IS {true}"
    return {
        "ix_search_engagement_kind_summary": f"(kind, {summary}, id)",
        "ix_search_engagement_kind_follow_up": "(kind, follow_up_on, id)",
        "ix_search_engagement_logged_by_kind": "(logged_by_id, kind, id)",
        "ix_search_engagement_open_date": f"(occurred_on, id, follow_up_on) {open_}",
        "ix_search_engagement_open_kind": f"(kind, id, follow_up_on) {open_}",
        "ix_search_engagement_open_summary": f"({summary}, id, follow_up_on) {open_}",
        "ix_search_engagement_open_logged_by": f"(logged_by_id, id, follow_up_on) {open_}",
        "ix_search_engagement_flagged_kind": f"(kind, id) {flagged}",
        "ix_search_engagement_flagged_summary": f"({summary}, id) {flagged}",
        "ix_search_engagement_flagged_follow_up": f"(follow_up_on, id) {flagged}",
        "ix_search_engagement_flagged_logged_by": f"(logged_by_id, id) {flagged}",
    }


def install_list_orders(conn: Connection) -> None:
    """A kind's or a status's list in every order, and its rows per staff member, off an index.

    Without them the list of one kind (300,000 calls at 2,000,000) walked
    the whole summary or follow-up order and read each row's kind (530 and
    240 ms for a first page), counting each staff member's calls read every
    row they logged, and the open follow-ups (83,000) were read whole by their
    own index and sorted (120-150 ms a page). Named ``ix_search_`` as the
    summary's own order is: expressions and partial indexes the models do not
    declare.
    """
    for name, key in list_order_indexes(conn.dialect.name == "sqlite").items():
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON engagement {key}"))


def drop_list_orders(conn: Connection) -> None:
    for name in list_order_indexes(conn.dialect.name == "sqlite"):
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


@contextmanager
def engagement_text_built_after(conn: Connection) -> Iterator[None]:
    """SQLite: index the log's text once at the end of a bulk insert instead of row by row.

    For the generator: its triggers are dropped for the run and put back,
    then the index is rebuilt from the table in one pass (about a third of
    the cost of two million trigger inserts). All in the caller's transaction.
    """
    if conn.dialect.name != "sqlite" or not engagement_indexed(conn):
        yield
        return
    for name in _ENGAGEMENT_TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    yield
    _sqlite_engagement_triggers(conn)
    conn.execute(text(f"INSERT INTO {ENGAGEMENT_FTS}({ENGAGEMENT_FTS}) VALUES ('rebuild')"))


def sqlite_index_cookie(conn: Connection) -> bytes | None:
    """SQLite: the FTS5 index's structure record, which every committed change to it rewrites.

    One row read by its key, so readers that keep something derived from the
    index (the search box's vocabulary, the initials) can tell in microseconds
    whether it may have changed. None where there is no index (or not SQLite).
    """
    if conn.dialect.name != "sqlite":
        return None
    try:
        block = conn.execute(text(f"SELECT block FROM {SQLITE_TABLE}_data WHERE id = 10")).scalar()
    except DBAPIError:
        return None
    return bytes(block) if block is not None else None
