"""The team's group roles and their grants on PostgreSQL, enforced by the server.

Every member of staff connects as their own login role, made a member of one
group role. What each group may do is granted per table (and, for people's
e-mail and phone, per column), so raw SQL through ``psql`` sees no more than
the app would: the app's own checks are a convenience, the server's are the
rule. ``init`` can be run again at any time (after an upgrade added tables):
it takes every group's table rights away and grants them afresh, and puts the
server's audit triggers on every table (``vru_crm.team.server_audit``).

Group roles belong to the whole server; the grants belong to one database.

The role names are read by the command line's parser (``--role``): SQLAlchemy
is imported by the functions that talk to the server, so ``vru-crm --help``
does without it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vru_crm.errors import ValidationError
from vru_crm.team.scram import scram_verifier

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.exc import DBAPIError

    from db.session import Database

# The role names users pass (--role viewer) and the server's group roles.
ROLES = ["viewer", "engagement", "governance", "protection", "admin"]
GROUPS = {name: f"vru_{name}" for name in ROLES}
# Each group has the rights of the ones it is granted (PostgreSQL role membership).
INHERITS = {
    "engagement": ["viewer"],
    "governance": ["engagement"],
    "protection": ["viewer"],
    "admin": ["governance", "protection"],
}
WHAT_EACH_MAY_DO = {
    "viewer": "reads everything except people's e-mail and phone and the audit trail",
    "engagement": "viewer, plus logs and edits engagements, organisations and people",
    "governance": "engagement, plus networks, meetings, agendas, minutes, letters, actions",
    "protection": "viewer, plus consent, subject access, erasure, retention; "
    "reads people's e-mail and phone and the audit trail",
    "admin": "all of the above",
}
# Young people's contact details: only vru_protection (and vru_admin) read these: a
# person's e-mail and phone, and the name of the parent or carer who gave consent for them.
PROTECTED_COLUMNS = {"person": {"email", "phone"}, "consent_record": {"given_by_name"}}
# Records that say who asked for or was erased: protection only, like the contact details.
PROTECTION_ONLY = {"subject_access_request", "erasure_register", "audit_entry"}
AUDIT = "audit_entry"
ENGAGEMENT_TABLES = {
    "engagement",
    "engagement_borough",
    "engagement_network",
    "engagement_objective",
    "engagement_organisation",
    "engagement_person",
    "organisation",
    "organisation_borough",
    "organisation_tag",
    "tag",
    "person",
    "affiliation",
    "stakeholder_assessment",
    "graph_node_position",
    "staff_user",  # whoever logs an engagement is added on first use
    # kept up to date by triggers, which run with the rights of whoever writes
    "engagement_rollup",
    "organisation_daily",
    "search_index",
}
GOVERNANCE_TABLES = {
    "network",
    "membership",
    "meeting",
    "meeting_guest",
    "attendance",
    "anonymous_attendance",
    "anonymous_participant",
    "agenda_item",
    "standing_item",
    "letter",
    "action",
    "recommendation",
}
PROTECTION_TABLES = {
    "consent_record",
    "subject_access_request",
    "erasure_register",
    "retention_policy",
    "person_protection",
    "person",  # erasure scrubs and deletes people
}
# What an erasure run by the data protection officer writes besides those: the rows that
# pointed at the person, the anonymous counts that replace them, and the tables kept up
# to date by triggers (which run with the rights of whoever writes). Every other table
# gets UPDATE for protection too: erasure replaces the person's name in any free text.
ERASURE_TABLES = {
    "action",
    "affiliation",
    "attendance",
    "engagement_person",
    "membership",
    "anonymous_participant",
    "anonymous_attendance",
    "graph_node_position",
    "engagement_rollup",
    "organisation_daily",
    "search_index",
}
WRITE = "SELECT, INSERT, UPDATE, DELETE"
_LOGIN = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")


@dataclass
class TeamMember:
    login: str
    roles: list[str]
    can_login: bool

    def as_dict(self) -> dict[str, object]:
        return {"login": self.login, "roles": self.roles, "can_login": self.can_login}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _check_postgres(database: Database) -> None:
    if database.is_sqlite:
        raise ValidationError(
            {
                "database": "team mode needs a PostgreSQL database; a SQLite file belongs to "
                "its one operating-system user"
            }
        )


def _refused(error: DBAPIError, doing: str) -> ValidationError:
    """The server's refusal in words (never a traceback), without any statement text."""
    detail = str(getattr(error, "orig", error)).splitlines()[0]
    if "permission denied" in detail.lower() or "must be" in detail.lower():
        detail += (
            " (connect as the database owner, with a role allowed to create roles, "
            "to manage the team)"
        )
    return ValidationError({"team": f"could not {doing}: {detail}"})


@contextmanager
def _refusals(doing: str) -> Iterator[None]:
    """The server's refusal of the statements in the block, as a ``ValidationError``."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as error:
        raise _refused(error, doing) from None


def login_name(login: str) -> str:
    if not _LOGIN.match(login or ""):
        raise ValidationError(
            {
                "login": f'"{login}" cannot be a login: use lower-case letters, digits, '
                "'_', '.' or '-', starting with a letter (at most 63)"
            }
        )
    if login.startswith("vru_") and login[4:] in ROLES or login in ("postgres", "public"):
        raise ValidationError({"login": f'"{login}" is a reserved name'})
    return login


def group_of(role: str) -> str:
    if role not in GROUPS:
        raise ValidationError({"role": f'"{role}" is not a role; use one of {", ".join(ROLES)}'})
    return GROUPS[role]


def _tables(conn: Connection) -> list[str]:
    from sqlalchemy import text

    return list(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ).scalars()
    )


def _columns(conn: Connection, table: str) -> list[str]:
    from sqlalchemy import text

    return list(
        conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = :t ORDER BY ordinal_position"
            ),
            {"t": table},
        ).scalars()
    )


def _create_groups(conn: Connection) -> None:
    from sqlalchemy import text

    for group in GROUPS.values():
        # Several databases on one server may run `team init` at once: a race to create
        # the same role is not a failure.
        conn.execute(
            text(
                "DO $$ BEGIN "
                f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(group)}) THEN "
                f"CREATE ROLE {_quote(group)} NOLOGIN; END IF; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
        )
    for role, parents in INHERITS.items():
        for parent in parents:
            conn.execute(text(f"GRANT {_quote(GROUPS[parent])} TO {_quote(GROUPS[role])}"))


def grant_statements(tables: list[str], columns: dict[str, list[str]], database: str) -> list[str]:
    """Every REVOKE and GRANT ``init`` runs, in order (pure: tests read it too)."""
    groups = ", ".join(_quote(g) for g in GROUPS.values())
    g = {role: _quote(name) for role, name in GROUPS.items()}
    sql = [
        f"GRANT CONNECT ON DATABASE {_quote(database)} TO {groups}",
        f"GRANT USAGE ON SCHEMA public TO {groups}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {groups}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {groups}",
        # every role writes audit entries and so draws their ids
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {groups}",
    ]
    for table in tables:
        name = _quote(table)
        if table in PROTECTED_COLUMNS:
            open_columns = [c for c in columns[table] if c not in PROTECTED_COLUMNS[table]]
            listed = ", ".join(_quote(c) for c in open_columns)
            sql.append(f"GRANT SELECT ({listed}) ON {name} TO {g['viewer']}")
            sql.append(f"GRANT SELECT ON {name} TO {g['protection']}")
        elif table == AUDIT:
            # append-only for every role: INSERT (and its id back), never UPDATE or DELETE
            sql.append(f"GRANT INSERT, SELECT (id) ON {name} TO {g['viewer']}")
            sql.append(f"GRANT SELECT ON {name} TO {g['protection']}")
        elif table in PROTECTION_ONLY:
            sql.append(f"GRANT SELECT ON {name} TO {g['protection']}")
        else:
            sql.append(f"GRANT SELECT ON {name} TO {g['viewer']}")
        if table == AUDIT:
            continue
        # Below protection, a table with protected columns is written but never read whole.
        write = "INSERT, UPDATE, DELETE" if table in PROTECTED_COLUMNS else WRITE
        if table in ENGAGEMENT_TABLES:
            sql.append(f"GRANT {write} ON {name} TO {g['engagement']}")
        if table in GOVERNANCE_TABLES:
            sql.append(f"GRANT {write} ON {name} TO {g['governance']}")
        if table in PROTECTION_TABLES or table in ERASURE_TABLES:
            sql.append(f"GRANT {WRITE} ON {name} TO {g['protection']}")
        elif table != "alembic_version":
            sql.append(f"GRANT UPDATE ON {name} TO {g['protection']}")
        if table != "alembic_version":
            sql.append(f"GRANT {WRITE} ON {name} TO {g['admin']}")
    return sql


def init(database: Database) -> list[str]:
    """Create the group roles (if missing) and grant each its tables afresh; the roles made."""
    from sqlalchemy import text

    from vru_crm.team import server_audit

    _check_postgres(database)
    with _refusals("set up the team roles"), database.engine.begin() as conn:
        _create_groups(conn)
        tables = _tables(conn)
        columns = {t: _columns(conn, t) for t in PROTECTED_COLUMNS if t in tables}
        name = conn.execute(text("SELECT current_database()")).scalar_one()
        for statement in grant_statements(tables, columns, name):
            conn.execute(text(statement))
        server_audit.install(conn, tables, GROUPS)
    # Connections opened before now learnt that the server did not audit yet.
    database.engine.dispose()
    return list(GROUPS.values())


def _role_exists(conn: Connection, login: str) -> bool:
    from sqlalchemy import text

    return bool(
        conn.execute(
            text("SELECT count(*) FROM pg_roles WHERE rolname = :n"), {"n": login}
        ).scalar()
    )


def add_user(database: Database, login: str, role: str, password: str | None) -> None:
    """A new login role in ``role``'s group; its password is sent as a SCRAM verifier only."""
    _check_postgres(database)
    login, group = login_name(login), group_of(role)
    from sqlalchemy import text

    secret = f" PASSWORD {_literal(scram_verifier(password))}" if password else ""
    with _refusals(f"add {login}"), database.engine.begin() as conn:
        if _role_exists(conn, login):
            raise ValidationError({"login": f'"{login}" already exists on this server'})
        statement = f"CREATE ROLE {_quote(login)} LOGIN{secret} IN ROLE {_quote(group)}"
        conn.execute(text(statement.replace(":", r"\:")))  # a verifier's ':' is no parameter


def set_role(database: Database, login: str, role: str) -> None:
    """Move a login to another group (out of every other team group)."""
    from sqlalchemy import text

    _check_postgres(database)
    login, group = login_name(login), group_of(role)
    with _refusals(f"change the role of {login}"), database.engine.begin() as conn:
        if not _role_exists(conn, login):
            raise ValidationError({"login": f'there is no login "{login}" on this server'})
        for other in GROUPS.values():
            if other != group:
                conn.execute(text(f"REVOKE {_quote(other)} FROM {_quote(login)}"))
        conn.execute(text(f"GRANT {_quote(group)} TO {_quote(login)}"))


def remove_user(database: Database, login: str) -> None:
    """Drop the login (it can no longer connect); its audit entries stay, signed with its name."""
    from sqlalchemy import text

    _check_postgres(database)
    login = login_name(login)
    with _refusals(f"remove {login}"), database.engine.begin() as conn:
        if not _role_exists(conn, login):
            raise ValidationError({"login": f'there is no login "{login}" on this server'})
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE usename = :n AND pid <> pg_backend_pid()"
            ),
            {"n": login},
        )
        conn.execute(text(f"DROP ROLE {_quote(login)}"))


def members(database: Database) -> list[TeamMember]:
    """Every role directly in a team group, with its groups (as role names: viewer...)."""
    _check_postgres(database)
    from sqlalchemy import text

    by_group = {group: role for role, group in GROUPS.items()}
    with database.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.rolname, g.rolname, u.rolcanlogin FROM pg_auth_members m "
                "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                "WHERE g.rolname = ANY(:groups) AND NOT (u.rolname = ANY(:groups)) "
                "ORDER BY u.rolname, g.rolname"
            ),
            {"groups": list(GROUPS.values())},
        ).all()
    found: dict[str, TeamMember] = {}
    for login, group, can_login in rows:
        member = found.setdefault(login, TeamMember(login, [], bool(can_login)))
        member.roles.append(by_group[group])
    return list(found.values())


def read_password_stdin() -> str:
    """The first line of standard input, for scripts (``--password-stdin``)."""
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise ValidationError({"password": "no password was given on standard input"})
    return line
