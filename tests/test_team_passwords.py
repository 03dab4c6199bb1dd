"""Passwords never on a command line or in a message; asked for when the URL has none."""

import os
import stat

import pytest
from sqlalchemy.engine import make_url
from team_support import pg_base

from db.backup import backup_postgresql
from db.errors import DatabaseUnavailable
from db.migrate import open_database
from vru_crm.team.password import needs_password, open_asking_password
from vru_crm.team.scram import scram_verifier

SECRET = "s3cret-on-no-command-line"
FAKE_PG_DUMP = """#!/bin/sh
# Records what it was given, as any local user could read it in the process list.
printf '%s\\n' "$@" > "$RECORD_DIR/argv"
printf '%s' "$PGPASSWORD" > "$RECORD_DIR/env_password"
for arg in "$@"; do
  case "$arg" in --file=*) : > "${arg#--file=}" ;; esac
done
"""


def test_pg_dump_gets_the_password_in_its_environment_only(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"
    fake.write_text(FAKE_PG_DUMP)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("RECORD_DIR", str(tmp_path))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = f"postgresql+psycopg://staff:{SECRET}@db.example.org:5432/vru"
    backup_postgresql(url, tmp_path / "copy.dump")
    argv = (tmp_path / "argv").read_text()
    assert SECRET not in argv
    assert "postgresql://staff@db.example.org:5432/vru" in argv.splitlines()
    assert (tmp_path / "env_password").read_text() == SECRET
    assert "PGPASSWORD" not in os.environ  # the child's environment only
    assert (tmp_path / "copy.dump").exists()


@pytest.fixture
def no_stored_password(monkeypatch, tmp_path) -> str:
    """The test server's URL without its password, and no ~/.pgpass or PGPASSWORD to fall back on."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    base = make_url(pg_base())
    return base._replace(password=None).render_as_string(hide_password=False), str(base.password)


@pytest.mark.postgres
def test_a_url_without_a_password_asks_for_it(no_stored_password):
    url, password = no_stored_password
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return password

    database = open_asking_password(lambda u: open_database(u, migrate=False), url, ask)
    try:
        assert database.execute_scalar("SELECT 1") == 1
        assert password not in database.display_name
    finally:
        database.dispose()
    assert len(asked) == 1 and "Password for" in asked[0]


@pytest.mark.postgres
def test_a_wrong_password_is_asked_again_then_refused_without_showing_it(no_stored_password):
    url, _ = no_stored_password
    answers = iter(["wrong-one", "wrong-two", None])
    with pytest.raises(DatabaseUnavailable) as caught:
        open_asking_password(
            lambda u: open_database(u, migrate=False), url, lambda _: next(answers)
        )
    assert needs_password(caught.value)
    assert "wrong-one" not in str(caught.value) and "wrong-two" not in str(caught.value)


@pytest.mark.postgres
def test_nobody_to_ask_is_the_servers_refusal_in_words(no_stored_password):
    url, _ = no_stored_password
    with pytest.raises(DatabaseUnavailable, match="password"):
        open_asking_password(lambda u: open_database(u, migrate=False), url, None)


def test_other_failures_are_not_mistaken_for_a_password_question():
    assert not needs_password(DatabaseUnavailable("could not connect: connection refused"))
    assert needs_password(DatabaseUnavailable("fe_sendauth: no password supplied"))


def test_scram_verifier_has_the_servers_format():
    verifier = scram_verifier("pw", salt=b"0123456789abcdef")
    assert verifier.startswith("SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$")
    assert "pw" not in verifier.split("$", 2)[2]


def test_the_app_asks_for_a_missing_password_and_only_then():
    from ui.startup import _asked_password

    class Ui:
        asked: list[str] = []

        def password(self, prompt: str) -> str:
            self.asked.append(prompt)
            return "typed"

    ui = Ui()
    wants = DatabaseUnavailable("connection failed: fe_sendauth: no password supplied")
    url = "postgresql+psycopg://asha@db.example.org/vru"
    retry = _asked_password(ui, wants, url, typed=False)
    assert make_url(retry).password == "typed" and ui.asked == [
        "Password for asha on db.example.org:5432: "
    ]
    other = DatabaseUnavailable("connection refused")
    assert _asked_password(ui, other, url, typed=False) is None
    assert (
        _asked_password(ui, wants, retry, typed=False) is None
    )  # the URL's own password: not ours
    assert _asked_password(ui, wants, retry, typed=True) is not None  # a typed one was wrong: again
