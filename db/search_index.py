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
functions and searched with ``LIKE '% word%'`` (a word start); it needs no
extension, so it works for a database owner without superuser rights. The
accent table is mirrored in ``vru_crm/queries/search.py`` (a test checks).
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Connection

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


def install(conn: Connection) -> None:
    """Create the index, its triggers, and fill it from the rows already there."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
                "name, other, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
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
        for code, (table, name, other) in KINDS.items():
            conn.execute(
                text(
                    f"INSERT INTO {SQLITE_TABLE}(rowid, name, other) "
                    f"SELECT r.id * 8 + {code}, {name}, {other} FROM {table} r"
                )
            )
        return
    conn.execute(text(f"DELETE FROM {PG_TABLE}"))
    for code, (table, name, other) in KINDS.items():
        conn.execute(text(f"INSERT INTO {PG_TABLE} {_pg_select(code, name, other, table)}"))


def ensure(conn: Connection) -> bool:
    """Put back triggers a table rebuild dropped, and refill the index; True if it had to."""
    if conn.dialect.name != "sqlite":
        return False
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
    if not missing:
        return False
    log.info("search index: restoring %d triggers dropped by a table rebuild", len(missing))
    _sqlite_triggers(conn)
    rebuild(conn)
    return True


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_trigger_names() -> list[str]:
    return [
        f"search_{table}_{suffix}"
        for table, _, _ in KINDS.values()
        for suffix in ("ai", "au", "ad")
    ]


def _sqlite_triggers(conn: Connection) -> None:
    for code, (table, name, other) in KINDS.items():
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
        for code, (_, name, other) in KINDS.items()
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
