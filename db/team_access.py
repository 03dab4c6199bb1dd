"""What a team login may do, learnt from the server once per connection, and its refusals in words.

In team mode each member of staff connects as their own PostgreSQL login, and the
server enforces what their group role allows (``vru-crm team init``). Three things
follow for the client, all installed on every PostgreSQL engine:

- ``connect``: the login's team role (viewer... admin), whether it may read people's
  e-mail and phone, and which tables the server already audits by trigger (so the
  unit of work does not write those entries a second time).
- ``before_cursor_execute``: for a login that may not read people's e-mail and phone,
  every ``person.email`` / ``person.phone`` (and a consent's ``given_by_name``: a
  parent's name) the app's statements name is read as NULL.
  The server would refuse the whole statement otherwise, so the people pages could
  not open at all; the columns are still written (the grants allow that).
- ``handle_error``: a refusal by the server (SQLSTATE 42501) becomes ``PermissionRefused``
  in words: "Your role (viewer) cannot change organisations." (the statement was rolled
  back, so nothing of it was saved).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

from db.errors import DatabaseError

log = logging.getLogger(__name__)

TEAM_ROLE = "team_role"
CONTACT_HIDDEN = "contact_hidden"
SERVER_AUDITED = "server_audited"
SERVER_SCRUB = "server_scrub"
# Highest first: a login is in one group, but a hand-made one could be in several.
ROLE_GROUPS = (
    ("admin", "vru_admin"),
    ("protection", "vru_protection"),
    ("governance", "vru_governance"),
    ("engagement", "vru_engagement"),
    ("viewer", "vru_viewer"),
)
INSUFFICIENT_PRIVILEGE = "42501"
_CONTACT = re.compile(
    r"\b(?:person(?:_\d+)?\.(?:email|phone)|consent_record(?:_\d+)?\.given_by_name)\b"
)
_CONNECT_SQL = """
SELECT
  (SELECT g.rolname FROM pg_auth_members m
     JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
     JOIN unnest(%(groups)s::text[]) WITH ORDINALITY AS t(name, n) ON t.name = g.rolname
     WHERE u.rolname = session_user ORDER BY t.n LIMIT 1),
  CASE WHEN to_regclass('public.person') IS NULL THEN false
       ELSE NOT (has_column_privilege('public.person', 'email', 'SELECT')
                 AND has_column_privilege('public.person', 'phone', 'SELECT')) END,
  ARRAY(SELECT c.relname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE t.tgname = 'vru_audit' AND NOT t.tgisinternal
          AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'public')),
  EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'vru_team' AND p.proname = 'scrub_audit')
"""
TABLE_WORDS = {
    "organisation": "organisations",
    "organisation_borough": "organisations",
    "organisation_tag": "organisations",
    "tag": "tags",
    "person": "people",
    "affiliation": "people's organisations",
    "stakeholder_assessment": "stakeholder assessments",
    "staff_user": "engagements",  # whoever logs one is added to the staff list then
    "network": "networks",
    "membership": "network memberships",
    "attendance": "meeting attendance",
    "anonymous_attendance": "meeting attendance",
    "anonymous_participant": "engagements",
    "agenda_item": "agendas",
    "standing_item": "standing agenda items",
    "letter": "letters",
    "action": "actions",
    "recommendation": "recommendations",
    "consent_record": "consent records",
    "subject_access_request": "subject access requests",
    "erasure_register": "the erasure register",
    "retention_policy": "retention periods",
    "person_protection": "people's data protection records",
    "audit_entry": "the audit trail",
    "graph_node_position": "the partnership graph's layout",
}
_DENIED = re.compile(r"permission denied for (table|relation|sequence|function|schema) (\S+)")


class PermissionRefused(DatabaseError):
    """The server refused a team login something its role does not allow; the words say what."""


def install(engine: Engine) -> None:
    """Listen on a PostgreSQL engine: learn the login's rights, hide contacts, word refusals."""
    event.listen(engine, "connect", _learn_rights)
    event.listen(engine, "before_cursor_execute", _hide_contacts, retval=True)
    event.listen(engine, "handle_error", _refusal)


def _learn_rights(dbapi_connection: Any, record: Any) -> None:
    """Once per connection: the team role, contact visibility and server-audited tables."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(_CONNECT_SQL, {"groups": [group for _, group in ROLE_GROUPS]})
        group, hidden, audited, scrub = cursor.fetchone()
    except Exception:  # a server that will not say: no team rights assumed, its grants still rule
        log.warning("could not read this login's team rights; continuing without them")
        group, hidden, audited, scrub = None, False, (), False
    finally:
        cursor.close()
        dbapi_connection.rollback()  # leave the new connection outside any transaction
    roles = {g: name for name, g in ROLE_GROUPS}
    record.info[TEAM_ROLE] = roles.get(group) if group else None
    record.info[CONTACT_HIDDEN] = bool(hidden)
    record.info[SERVER_AUDITED] = frozenset(audited or ())
    record.info[SERVER_SCRUB] = bool(scrub)


def _hide_contacts(
    conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
) -> tuple[str, Any]:
    if conn.info.get(CONTACT_HIDDEN) and any(
        w in statement for w in ("email", "phone", "given_by")
    ):
        statement = _CONTACT.sub("CAST(NULL AS VARCHAR)", statement)
    return statement, parameters


def _refusal(context: ExceptionContext) -> BaseException | None:
    original = context.original_exception
    if getattr(original, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    connection = context.connection
    role = connection.info.get(TEAM_ROLE) if connection is not None else None
    if not role:
        return None  # the owner, or a database before `team init`: the server's own words
    return PermissionRefused(refusal_words(role, context.statement or "", str(original)))


def refusal_words(role: str, statement: str, detail: str) -> str:
    """Words for a refusal ("Your role (viewer) cannot change organisations"), from its statement."""
    found = _DENIED.search(detail)
    kind, name = (found.group(1), found.group(2).split(".")[-1]) if found else ("", "")
    reading = statement.lstrip().split(" ", 1)[0].upper() in ("SELECT", "WITH")
    if kind in ("function", "schema"):
        what = "erase people or scrub the audit trail (the data protection role does that)"
    elif kind == "sequence":
        what = "add records"
    elif name == "person" and reading:
        what = "read people's e-mail and phone"
    else:
        words = TABLE_WORDS.get(name, name.replace("_", " ") + "s" if name else "this record")
        if name.startswith("engagement") or name.startswith("meeting"):
            words = name.split("_")[0] + "s"
        what = ("read " if reading else "change ") + words
    return f"Your role ({role}) cannot {what}."


def team_role(info: dict[str, Any]) -> str | None:
    """The connection's team role (``viewer``...), or None outside the team."""
    return info.get(TEAM_ROLE)


def contact_hidden(info: dict[str, Any]) -> bool:
    return bool(info.get(CONTACT_HIDDEN))


def server_audited(info: dict[str, Any]) -> frozenset[str]:
    """Tables whose changes the server's triggers write to the audit trail themselves."""
    audited = info.get(SERVER_AUDITED)
    return audited if isinstance(audited, frozenset) else frozenset()


def scrubs_on_server(info: dict[str, Any]) -> bool:
    """Whether erasure must scrub the audit trail through the server's recorded function."""
    return bool(info.get(SERVER_SCRUB))
