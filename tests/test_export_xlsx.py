"""Excel workbooks with typed cells, read by openpyxl and by the import."""

import csv
from datetime import date
from pathlib import Path

import openpyxl
from test_export_csv import _load_fixtures, _snapshot

from db.migrate import open_database
from vru_crm.cli.main import main
from vru_crm.io.export_csv import export_csv
from vru_crm.io.export_xlsx import export_xlsx
from vru_crm.io.importer import columns, import_file
from vru_crm.reliability.files import mode_of
from vru_crm.services import organisations as orgs
from vru_crm.services import people

PHONES = ("020 7946 0018", "+44 20 7946 0019", "02079460020", "+442079460021")


def _add_awkward(database) -> None:
    """Phone numbers with a leading 0 or +, a formula-looking name and notes."""
    for number, phone in enumerate(PHONES):
        orgs.create_organisation(
            database,
            orgs.OrganisationInput(
                name=f'=HYPERLINK("x","Org {number}")' if number == 0 else f"-Org {number}",
                sector="charity",
                phone=phone,
                notes="@SUM(1)\nline two; three, four" if number == 1 else "",
            ),
        )
    people.create_person(
        database, people.PersonInput(full_name="Zoë Ångström", phone="07700 900123")
    )


def _cells(path: Path) -> list[list]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [list(row) for row in sheet.iter_rows()]


def test_cells_are_typed_dates_numbers_and_text(database, tmp_path):
    _load_fixtures(database)
    _add_awkward(database)
    for kind in ("organisations", "people", "engagements", "meetings"):
        export_xlsx(database, kind, tmp_path / f"{kind}.xlsx")
        assert mode_of(tmp_path / f"{kind}.xlsx") == 0o600
    header, *rows = _cells(tmp_path / "engagements.xlsx")
    assert tuple(c.value for c in header) == columns("engagements")
    at = {c.value: i for i, c in enumerate(header)}
    first = rows[0]
    assert first[at["date"]].is_date and first[at["date"]].number_format == "yyyy-mm-dd"
    assert first[at["date"]].value.date() == date(2018, 12, 20)
    assert first[at["people_reached"]].data_type == "n" and first[at["people_reached"]].value == 35
    assert all(r[at["summary"]].data_type == "s" for r in rows)
    header, *rows = _cells(tmp_path / "organisations.xlsx")
    at = {c.value: i for i, c in enumerate(header)}
    phones = {r[at["phone"]].value for r in rows}
    assert set(PHONES) <= phones
    assert all(r[at["phone"]].data_type == "s" for r in rows if r[at["phone"]].value)
    names = {r[at["name"]].value: r[at["name"]].data_type for r in rows}
    assert names['=HYPERLINK("x","Org 0")'] == "s"  # text, shown as typed, never run
    assert "-Org 1" in names and not any(str(n).startswith("'") for n in names)
    assert openpyxl.load_workbook(tmp_path / "people.xlsx").worksheets[0].title == "People"


def test_a_workbook_imports_into_a_fresh_database_as_the_same_records(database, tmp_path):
    _load_fixtures(database)
    _add_awkward(database)
    for kind in ("organisations", "people", "engagements"):
        export_xlsx(database, kind, tmp_path / f"{kind}.xlsx")
    fresh = open_database(str(tmp_path / "fresh.sqlite3"), username="tester")
    try:
        for kind in ("organisations", "people", "engagements"):
            report = import_file(fresh, kind, tmp_path / f"{kind}.xlsx")
            assert report.ok, report.lines()
            assert report.notes == []  # no formulas, nothing guessed
        assert _snapshot(fresh) == lf(_snapshot(database))
    finally:
        fresh.dispose()


def lf(value):
    """``value`` with CRLF line breaks as LF: inside a workbook's cell a line break is LF."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, dict):
        return {k: lf(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(lf(v) for v in value)
    return value


def test_csv_leaves_phone_numbers_as_typed_and_defuses_what_could_run(database, tmp_path):
    _add_awkward(database)
    export_csv(database, "organisations", tmp_path / "o.csv")
    with (tmp_path / "o.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["phone"]: r for r in csv.DictReader(handle)}
    assert set(PHONES) <= set(rows)  # no apostrophe in front of +44
    assert rows["020 7946 0018"]["name"] == '\'=HYPERLINK("x","Org 0")'
    assert rows["+44 20 7946 0019"]["notes"].startswith("'@SUM(1)")
    assert rows["02079460020"]["name"] == "'-Org 2"  # - then letters: could run


def _run(capsys, db_url: str, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--db", db_url, "--user", "tester", *args])
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_export_xlsx_and_csv_named_xlsx_refused_in_words(db_url, capsys, tmp_path):
    database = open_database(db_url, username="tester")
    try:
        _add_awkward(database)
    finally:
        database.dispose()
    target = tmp_path / "orgs.xlsx"
    status, out, _ = _run(capsys, db_url, "export", "xlsx", "organisations", "-o", str(target))
    assert status == 0 and out.strip() == f"Exported 4 organisations to {target}"
    assert target.read_bytes().startswith(b"PK") and mode_of(target) == 0o600
    status, out, err = _run(
        capsys, db_url, "export", "csv", "people", "-o", str(tmp_path / "p.xlsx")
    )
    assert status == 2 and not (tmp_path / "p.xlsx").exists()
    assert "`export csv` writes CSV text" in err and "vru-crm export xlsx people" in err
    status, _, err = _run(capsys, db_url, "export", "xlsx", "people", "-o", str(tmp_path / "p.csv"))
    assert status == 2 and "vru-crm export csv people" in err
    status, _, err = _run(
        capsys, db_url, "export", "xlsx", "meetings", "-o", str(tmp_path / "nope" / "m.xlsx")
    )
    assert status == 1 and "does not exist" in err
