"""The audit trail written by the server: triggers signed with ``session_user``, append-only.

``vru-crm team init`` creates (again, after an upgrade) everything here, owned by
whoever runs it (the database owner), in a schema of its own, ``vru_team``:

- ``audit_row()``: an AFTER INSERT/UPDATE/DELETE trigger on every audited table
  that writes the entry the app's unit of work would write (``db.audit``: the
  same action, entity, id, label and JSON of values or ``[old, new]`` pairs),
  signed with the login the server knows. The app skips its own entry for any
  table that has the trigger, so nothing is recorded twice.
- ``sign_entry()``: BEFORE INSERT on ``audit_entry``: an entry a team login writes
  itself (an import's summary, an erasure's record) is signed with its login and
  stamped with the server's clock, whatever the client said.
- ``scrub_audit(ids, summaries, changes)``: the only way anyone but the owner can
  rewrite entries: the path of erasure and retention (EXECUTE for protection and
  admin only). It records how many entries it rewrote and by whom, and marks the
  transaction so the rows it then changes or deletes leave no new entries holding
  the removed values (as ``audit_rows=False`` does in the app).
- ``expire_audit(before)``: retention's deletion of entries past their time, recorded
  likewise (protection and admin only).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, text

SCHEMA = "vru_team"
TRIGGER = "vru_audit"
# Not audited: the audit trail itself, fixed reference lists, and tables kept up to date
# by other triggers (figures and the search index), as in db.audit.
NOT_AUDITED = {
    "audit_entry",
    "objective",
    "sector",
    "alembic_version",
    "engagement_rollup",
    "organisation_daily",
    "search_index",
}
SKIP_FIELDS = ("version", "created_at", "updated_at")
LABEL_FIELDS = ("name", "full_name", "title", "username", "text", "summary")

_SCHEMA_SQL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC;
CREATE TABLE IF NOT EXISTS {SCHEMA}.erasing (xact xid8 PRIMARY KEY);
REVOKE ALL ON {SCHEMA}.erasing FROM PUBLIC;
"""

_LABEL = " ".join(f"NULLIF(new_row->>'{name}', '')," for name in LABEL_FIELDS)
_SKIP = ", ".join(f"'{name}'" for name in SKIP_FIELDS)

_AUDIT_ROW = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $fn$
DECLARE
  old_row jsonb;
  new_row jsonb;
  changed jsonb;
  verb text;
  key_value text;
BEGIN
  IF EXISTS (SELECT 1 FROM {SCHEMA}.erasing WHERE xact = pg_current_xact_id()) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    new_row := to_jsonb(NEW) - ARRAY[{_SKIP}];
    changed := new_row;
    verb := 'create';
  ELSIF TG_OP = 'DELETE' THEN
    new_row := to_jsonb(OLD) - ARRAY[{_SKIP}];
    changed := new_row;
    verb := 'delete';
  ELSE
    old_row := to_jsonb(OLD) - ARRAY[{_SKIP}];
    new_row := to_jsonb(NEW) - ARRAY[{_SKIP}];
    SELECT jsonb_object_agg(n.key, jsonb_build_array(COALESCE(old_row->n.key, 'null'::jsonb),
                                                     n.value))
      INTO changed
      FROM jsonb_each(new_row) AS n
     WHERE n.value IS DISTINCT FROM old_row->n.key;
    IF changed IS NULL THEN
      RETURN NULL;
    END IF;
    verb := 'update';
  END IF;
  IF TG_NARGS > 0 THEN
    key_value := new_row->>TG_ARGV[0];
  END IF;
  INSERT INTO public.audit_entry (at, username, action, entity, entity_id, summary, changes)
  VALUES (now(), session_user, verb, TG_TABLE_NAME,
          CASE WHEN key_value ~ '^-?[0-9]{{1,18}}$' THEN key_value::bigint END,
          left(COALESCE({_LABEL} ''), 120), changed::text);
  RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION {SCHEMA}.audit_row() FROM PUBLIC;
"""

_SIGN_ENTRY = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.sign_entry() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  -- Here current_user is the owner: only the owner (a restore, say) keeps the stated name.
  IF session_user <> current_user THEN
    NEW.username := session_user;
    NEW.at := now();
  END IF;
  RETURN NEW;
END
$fn$;
REVOKE ALL ON FUNCTION {SCHEMA}.sign_entry() FROM PUBLIC;
CREATE OR REPLACE TRIGGER vru_sign BEFORE INSERT ON public.audit_entry
  FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.sign_entry();
"""

_SCRUB = f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.scrub_audit(p_ids bigint[], p_summaries text[],
                                                p_changes text[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  rewritten integer;
BEGIN
  DELETE FROM {SCHEMA}.erasing
   WHERE COALESCE(pg_xact_status(xact), 'committed') <> 'in progress';
  INSERT INTO {SCHEMA}.erasing (xact) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
  UPDATE public.audit_entry AS a
     SET summary = left(u.summary, 300), changes = u.changes
    FROM unnest(p_ids, p_summaries, p_changes) AS u(id, summary, changes)
   WHERE a.id = u.id;
  GET DIAGNOSTICS rewritten = ROW_COUNT;
  IF rewritten > 0 THEN
    INSERT INTO public.audit_entry (at, username, action, entity, entity_id, summary, changes)
    VALUES (now(), session_user, 'scrub', 'audit_entry', NULL,
            format('%s earlier audit entries were rewritten without the values an erasure '
                   'or retention removed.', rewritten),
            jsonb_build_object('entries_scrubbed', rewritten)::text);
  END IF;
  RETURN rewritten;
END
$fn$;
REVOKE ALL ON FUNCTION {SCHEMA}.scrub_audit(bigint[], text[], text[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION {SCHEMA}.expire_audit(p_before timestamptz) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  deleted integer;
BEGIN
  DELETE FROM public.audit_entry WHERE at < p_before;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  INSERT INTO public.audit_entry (at, username, action, entity, entity_id, summary, changes)
  VALUES (now(), session_user, 'expire', 'audit_entry', NULL,
          format('Retention deleted %s audit entries made before %s.', deleted,
                 to_char(p_before AT TIME ZONE 'UTC', 'YYYY-MM-DD')),
          jsonb_build_object('entries_deleted', deleted, 'before', p_before)::text);
  RETURN deleted;
END
$fn$;
REVOKE ALL ON FUNCTION {SCHEMA}.expire_audit(timestamptz) FROM PUBLIC;
"""


def _first_integer_key(conn: Connection, table: str) -> str | None:
    """The first primary-key column when it is an integer: the entry's ``entity_id``."""
    row = conn.execute(
        text(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_index i "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
            "WHERE i.indrelid = to_regclass(:t) AND i.indisprimary"
        ),
        {"t": f'public."{table}"'},
    ).first()
    if row is None or row[1] not in ("integer", "bigint", "smallint"):
        return None
    return str(row[0])


def audited_tables(tables: list[str]) -> list[str]:
    return [t for t in tables if t not in NOT_AUDITED]


def install(conn: Connection, tables: list[str], groups: dict[str, str]) -> None:
    """Create or replace the functions and triggers; grant the scrub to protection and admin."""
    for block in (_SCHEMA_SQL, _AUDIT_ROW, _SIGN_ENTRY, _SCRUB):
        conn.exec_driver_sql(block)
    for table in audited_tables(tables):
        key = _first_integer_key(conn, table)
        argument = f"'{key}'" if key else ""
        conn.exec_driver_sql(
            f'CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON public."{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.audit_row({argument})"
        )
    trusted = ", ".join(f'"{groups[r]}"' for r in ("protection", "admin"))
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {trusted}")
    for function in ("scrub_audit(bigint[], text[], text[])", "expire_audit(timestamptz)"):
        conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {SCHEMA}.{function} TO {trusted}")


def scrub_entries(conn: Connection, rows: list[tuple[int, str, str]]) -> int:
    """Rewrite entries ``(id, summary, changes JSON)`` through the server; how many it rewrote.

    Called with no rows, it only marks the transaction: the rows it then changes or
    removes leave no new entries holding the values being removed.
    """
    result = conn.execute(
        text(
            f"SELECT {SCHEMA}.scrub_audit(CAST(:ids AS bigint[]), CAST(:summaries AS text[]), "
            "CAST(:changes AS text[]))"
        ),
        {
            "ids": [row[0] for row in rows],
            "summaries": [row[1][:300] for row in rows],
            "changes": [row[2] for row in rows],
        },
    )
    return int(result.scalar_one())


def expire_entries(conn: Connection, before: datetime) -> int:
    """Delete the entries made before ``before`` through the server, which records it did."""
    result = conn.execute(text(f"SELECT {SCHEMA}.expire_audit(:before)"), {"before": before})
    return int(result.scalar_one())
