"""The PostgreSQL server of the team-mode tests (tests/test_team_*.py), as conftest.py finds it.

Kept apart from conftest.py because a test module cannot import from a conftest
reliably (tests/ui has its own, of the same module name).
"""

import os
import uuid
from collections.abc import Iterator

import pytest
from postgres_admin import admin_engine, drop_database
from sqlalchemy import text
from sqlalchemy.engine import make_url

PG_ENV = "VRU_CRM_TEST_POSTGRES_URL"


def pg_base() -> str:
    """The server's URL, or skip (fail under CI) when there is none."""
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set under CI: the PostgreSQL tests must run")
        pytest.skip(f"no PostgreSQL server ({PG_ENV} unset)")
    return base


def postgres_copy(template: str) -> Iterator[str]:
    """A fresh database copied from ``template`` (the migrated one of conftest.py); dropped after."""
    base = pg_base()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"vru_team_{worker}_{uuid.uuid4().hex[:8]}"
    admin = admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


PASSWORD = "correct horse battery staple"


def may_create_roles(base: str) -> bool:
    """Whether the test role may create login roles (CREATEROLE; .ci/run grants it to vru_ci)."""
    from sqlalchemy import create_engine

    engine = create_engine(base)
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT rolcreaterole OR rolsuper FROM pg_roles "
                        "WHERE rolname = current_user"
                    )
                ).scalar()
            )
    finally:
        engine.dispose()


class Logins:
    """``logins.make(role)``: a new login role in that group, its URL; all dropped by ``drop``."""

    def __init__(self, owner) -> None:
        self.owner = owner
        self.made: list[str] = []

    def make(self, role: str, password: str = PASSWORD) -> str:
        from vru_crm.team import roles

        name = f"t_{role[:4]}_{uuid.uuid4().hex[:8]}"
        roles.add_user(self.owner, name, role, password)
        self.made.append(name)
        return (
            make_url(self.owner.url)
            .set(username=name, password=password)
            .render_as_string(hide_password=False)
        )

    def drop(self) -> None:
        import contextlib

        from vru_crm.team import roles

        for name in self.made:
            with contextlib.suppress(Exception):  # removed by the test itself
                roles.remove_user(self.owner, name)
