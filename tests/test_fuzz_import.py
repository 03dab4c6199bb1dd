"""Fuzzing every import path: broken encodings, huge cells, formulas, bad dates, duplicate rows.

Each generated file either imports whole, or is refused with messages in words
and leaves the database exactly as it was (no partial write). The CSV exporter
is checked to defuse formula cells, and its output to read back unchanged.
Runs on a SQLite file created once per test; the budget is fixed and small.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from db.migrate import open_database
from vru_crm.errors import UserError
from vru_crm.io.export_csv import export_csv
from vru_crm.io.importer import import_file
from vru_crm.io.tables import FileProblem, read_table
from vru_crm.services.organisations import OrganisationInput, create_organisation

FUZZ = settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
MAX_MESSAGE = 500

formula = st.sampled_from(["=1+1", "+44", "-2", "@SUM(A1)", '=HYPERLINK("http://x")', "\t=x"])
text_cell = st.one_of(
    st.text(max_size=40).filter(lambda t: "\x00" not in t),
    formula,
    st.sampled_from(["é" * 6_000, ";" * 4_000, 'a, "b"' * 1_500]),  # huge cells, cheap to draw
)
date_cell = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["31/02/2024", "2024-13-40", "tomorrow", "", "1899-12-31", "01/01/2101"]),
)
sector_cell = st.one_of(st.sampled_from(["charity", "police", "faith", "Faith", ""]), text_cell)
borough_cell = st.one_of(
    st.sampled_from(["Hackney", "Lambeth; Croydon", "City of London", "Atlantis", ""]), text_cell
)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    database = open_database(str(folder / "fuzz.sqlite3"), username="fuzz")
    create_organisation(database, OrganisationInput(name="Hackney CVS", sector="charity"))
    yield database, folder
    database.dispose()


def _counts(database) -> dict[str, int]:
    with database.engine.connect() as conn:
        return {
            table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("organisation", "person", "engagement", "affiliation", "audit_entry")
        }


def _write(folder: Path, name: str, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path = folder / name
    with path.open("w", encoding=encoding, errors="replace", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _clear(message: str, limit: int = MAX_MESSAGE) -> None:
    assert message.strip() and "Traceback" not in message, message[:200]
    assert len(message) <= limit, f"{len(message)} characters: {message[:200]}"


def _import_all_or_nothing(database, kind: str, path: Path) -> None:
    before = _counts(database)
    try:
        report = import_file(database, kind, path)
    except UserError as error:  # the file as a whole cannot be read
        _clear(str(error))
        assert _counts(database) == before
        return
    for problem in report.problems:
        _clear(str(problem))
    after = _counts(database)
    if report.problems:
        assert after == before, "a file with problems must write nothing"
    else:
        key = {"organisations": "organisation", "people": "person", "engagements": "engagement"}
        assert after[key[kind]] - before[key[kind]] == report.imported == report.total


@FUZZ
@given(
    st.lists(st.tuples(text_cell, sector_cell, borough_cell, text_cell), min_size=1, max_size=6),
    st.booleans(),
)
@example(
    [
        ("St Giles Trust", "charity", "Lambeth", "info@stgiles.example.org"),
        ("=cmd|' /C calc'!A0", "faith", "Croydon", ""),
    ],
    False,
)
def test_organisation_files_import_whole_or_not_at_all(fuzz_db, rows, repeat):
    database, folder = fuzz_db
    body = [list(r) for r in rows] + ([list(rows[0])] if repeat else [])  # a duplicate row
    path = _write(folder, "organisations.csv", [["name", "sector", "borough", "email"], *body])
    _import_all_or_nothing(database, "organisations", path)


def test_a_huge_cell_is_quoted_cut_down_in_the_import_report(fuzz_db):
    database, folder = fuzz_db
    path = _write(folder, "huge.csv", [["name", "sector", "borough"], ["A", ";" * 4000, "Hackney"]])
    report = import_file(database, "organisations", path)
    assert report.problems
    for problem in report.problems:
        _clear(str(problem))


@FUZZ
@given(
    st.lists(
        st.tuples(
            text_cell,
            st.sampled_from(["Hackney CVS", "Nowhere Ltd", ""]),
            text_cell,
            text_cell,
            date_cell,
        ),
        min_size=1,
        max_size=5,
    )
)
@example([("Amina Yusuf", "Hackney CVS", "Director", "amina@example.org", "01/04/2020")])
def test_people_files_import_whole_or_not_at_all(fuzz_db, rows):
    database, folder = fuzz_db
    path = _write(
        folder, "people.csv", [["name", "organisation", "role", "email", "since"], *map(list, rows)]
    )
    _import_all_or_nothing(database, "people", path)


@FUZZ
@given(
    st.lists(
        st.tuples(
            date_cell,
            st.sampled_from(["visit", "call", "party", ""]),
            st.sampled_from(["Hackney CVS", "Hackney CVS; Hackney CVS", "Nobody"]),
            borough_cell,
            text_cell,
            st.sampled_from(["12", "-1", "1e9", "x", ""]),
        ),
        min_size=1,
        max_size=5,
    )
)
@example([("2024-05-01", "visit", "Hackney CVS", "Hackney", "Met the youth team", "12")])
def test_engagement_files_import_whole_or_not_at_all(fuzz_db, rows):
    database, folder = fuzz_db
    header = ["date", "kind", "organisations", "borough", "summary", "people_reached"]
    path = _write(folder, "engagements.csv", [header, *map(list, rows)])
    _import_all_or_nothing(database, "engagements", path)


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["x.csv", "x.xlsx"]))
def test_any_bytes_are_read_or_refused_in_words(fuzz_db, data, name):
    _, folder = fuzz_db
    path = folder / name
    path.write_bytes(data)
    try:
        read_table(path)
    except FileProblem as error:
        _clear(str(error))


@FUZZ
@given(
    st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-8-sig"]),
    st.text(alphabet="éüñ£€ ", min_size=1, max_size=20),
)
def test_other_encodings_import_or_are_refused_without_a_write(fuzz_db, encoding, accent):
    database, folder = fuzz_db
    rows = [["name", "sector", "borough"], [f"Caf{accent} Project", "charity", "Hackney"]]
    path = _write(folder, f"enc-{encoding}.csv", rows, encoding)
    _import_all_or_nothing(database, "organisations", path)


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(formula, st.text(alphabet="abc XYZ", min_size=1, max_size=12))
def test_exported_csv_defuses_formulas_and_reads_back(
    tmp_path_factory, sqlite_template, start, rest
):
    folder = tmp_path_factory.mktemp("export")
    source = open_database(str(_migrated(sqlite_template, folder / "source.sqlite3")))
    name = f"{start}{rest}".strip()
    create_organisation(source, OrganisationInput(name=name, sector="charity"))
    exported = folder / "organisations.csv"
    export_csv(source, "organisations", exported)
    source.dispose()
    raw = list(csv.reader(exported.read_text(encoding="utf-8-sig").splitlines()))
    assert raw[1][0] == "'" + name  # a spreadsheet shows it as text, never runs it
    target = open_database(str(_migrated(sqlite_template, folder / "target.sqlite3")))
    try:
        import_file(target, "organisations", _with_borough(exported))
        with target.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT name FROM organisation")).scalar_one() == name
    finally:
        target.dispose()


def _migrated(template: Path, path: Path) -> Path:
    """A new database file at ``path``: a copy of the migrated one conftest.py makes once."""
    shutil.copy2(template, path)
    return path


def _with_borough(path: Path) -> Path:
    """The exported file with a borough filled in (an organisation import requires one)."""
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    column = rows[0].index("borough")
    for row in rows[1:]:
        row[column] = row[column] or "Hackney"
    return _write(path.parent, "with-borough.csv", rows)
