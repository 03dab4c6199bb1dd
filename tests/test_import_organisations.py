"""Importing organisations on both backends: all or nothing, --skip-invalid, --dry-run, progress, cancel."""

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import func, select

from db.models import AuditEntry, Organisation
from vru_crm.io.importer import import_file, rejected_path_for, write_template
from vru_crm.io.tables import FileProblem
from vru_crm.services import organisations as orgs
from vru_crm.services.reference import find_borough

FIXTURES = Path(__file__).parent / "fixtures"


def _count(database) -> int:
    with database.session() as s:
        return s.exec(select(func.count()).select_from(Organisation)).one()


def _names(database) -> list[str]:
    with database.session() as s:
        return sorted(s.exec(select(Organisation.name)).all())


def test_good_file_imports_every_row(database):
    report = import_file(database, "organisations", FIXTURES / "organisations.csv")
    assert report.ok and report.imported == 5
    assert report.lines()[-1] == "Imported 5 organisations."
    index = orgs.organisation_index(database)
    [hackney] = index.find("Hackney CVS", None, [])
    record = orgs.get_organisation(database, hackney.id)
    assert record.sector == "charity" and record.borough_names == ("Hackney",)
    assert record.tags == ("infrastructure", "vcs") and record.is_priority
    assert (
        record.website == "https://hackneycvs.org.uk"
        and record.notes == "Umbrella body, 400+ members"
    )
    [redthread] = index.find("Redthread", None, [])
    assert orgs.get_organisation(database, redthread.id).borough_names == ("Lambeth", "Southwark")
    sectors = {
        r.name: orgs.get_organisation(database, r.id).sector for r in index.find("x", None, [])
    } or None
    assert sectors is None  # nothing matches a made-up name
    with database.session() as s:
        croydon = s.exec(
            select(Organisation).where(Organisation.name == "London Borough of Croydon")
        ).one()
        assert croydon.sector == "local_authority"  # the label, in lower case, was accepted


def test_file_with_bad_rows_imports_nothing_and_says_why(database):
    report = import_file(database, "organisations", FIXTURES / "organisations_bad.csv")
    assert _count(database) == 0 and report.imported == 0
    lines = report.lines()
    assert lines[0] == "organisations_bad.csv: 6 rows, 1 valid, 5 with problems"
    assert (
        "  row 3, column 'borough': 'Hackny' is not a London borough. Did you mean 'Hackney'?"
        in lines
    )
    assert (
        "  row 4, column 'email': 'bob@' is not an e-mail address (expected something like name@example.org)"
        in lines
    )
    assert "  row 5, column 'name': a name is required" in lines
    assert any(
        line.startswith("  row 6, column 'sector': 'pub' is not a sector. Use one of: police,")
        for line in lines
    )
    assert "  row 7, column 'name': repeats row 2 (same name in the same borough)" in lines
    assert (
        lines[-1]
        == "Nothing was imported: fix the rows above, or use --skip-invalid to import the 1 valid row."
    )
    assert not rejected_path_for(FIXTURES / "organisations_bad.csv").exists()


def test_skip_invalid_imports_the_rest_and_writes_the_rejects_beside_the_input(database, tmp_path):
    source = tmp_path / "orgs.csv"
    shutil.copy(FIXTURES / "organisations_bad.csv", source)
    report = import_file(database, "organisations", source, skip_invalid=True)
    assert report.imported == 1 and _names(database) == ["Hackney CVS"]
    assert report.rejected_path == tmp_path / "orgs.rejected.csv"
    with report.rejected_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == [
        "St Giles",
        "Bad Email Org",
        "",
        "Pub Org",
        "The Hackney C.V.S. Ltd",
    ]
    assert rows[0]["reason"] == "borough: 'Hackny' is not a London borough. Did you mean 'Hackney'?"
    assert rows[0]["borough"] == "Hackny"  # the row as it was, ready to fix and import again


def test_duplicate_of_an_existing_record_is_refused(database):
    hackney = find_borough(database, "Hackney").id
    orgs.create_organisation(
        database,
        orgs.OrganisationInput(name="Hackney CVS", sector="charity", borough_ids=[hackney]),
    )
    report = import_file(database, "organisations", FIXTURES / "organisations.csv")
    assert report.problems[0].row == 2 and report.problems[0].column == "name"
    assert (
        report.problems[0].message
        == "already in the database as 'Hackney CVS' (same name in the same borough)"
    )
    assert _count(database) == 1


def test_dry_run_reports_and_writes_nothing(database):
    report = import_file(database, "organisations", FIXTURES / "organisations.csv", dry_run=True)
    assert report.ok and report.imported == 0 and _count(database) == 0
    assert report.lines()[-1] == "Dry run: nothing was written. 5 organisations would be imported."


def test_xlsx_is_imported_like_csv(database, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["NAME", "Sector", "borough", "Priority"])
    book.active.append(["Hackney CVS", "Charity / VCS", "Hackney", True])
    book.active.append(["Faith Forum", "faith", "Newham; Brent", None])
    book.save(tmp_path / "orgs.xlsx")
    report = import_file(database, "organisations", tmp_path / "orgs.xlsx")
    assert report.ok and _names(database) == ["Faith Forum", "Hackney CVS"]


def test_missing_required_column_is_a_file_problem(database, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,sector\nA,charity\n")
    with pytest.raises(FileProblem) as error:
        import_file(database, "organisations", path)
    assert str(error.value) == (
        "orgs.csv has no 'borough' column. An import of organisations needs the columns "
        "name, sector, borough (found: name, sector)."
    )


def test_unknown_columns_are_noted_and_duplicate_columns_refused(database, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,sector,borough,colour\nA,charity,Brent,blue\n")
    report = import_file(database, "organisations", path)
    assert report.ok and "column 'colour' not used" in report.lines()[1]
    path.write_text("name,sector,borough,Name\nA,charity,Brent,B\n")
    with pytest.raises(FileProblem, match="two columns called 'name'"):
        import_file(database, "organisations", path)


def test_header_only_file_has_nothing_to_import(database, tmp_path):
    path = write_template("organisations", tmp_path / "orgs.csv")
    with pytest.raises(FileProblem, match="has a header but no rows"):
        import_file(database, "organisations", path)


def test_progress_is_reported_and_cancel_writes_nothing(database, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "name,sector,borough\n"
        + "".join(f"Youth club {i},grassroots,Hackney\n" for i in range(250))
    )
    seen: list[tuple[int, int]] = []
    report = import_file(
        database, "organisations", path, progress=lambda done, total: seen.append((done, total))
    )
    assert report.imported == 250 and seen[-1] == (500, 500)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # never goes backwards

    path.write_text(
        "name,sector,borough\n" + "".join(f"Club {i},grassroots,Brent\n" for i in range(250))
    )
    calls = []

    def cancel_once_writing() -> bool:
        calls.append(1)
        return len(calls) > 2  # after the checks, during the writing

    report = import_file(database, "organisations", path, cancelled=cancel_once_writing)
    assert report.cancelled and report.imported == 0
    assert report.lines()[-1] == "Import cancelled: nothing was imported."
    assert _count(database) == 250
    with database.session() as s:
        assert (
            s.exec(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.summary.like("Club %"))
            ).one()
            == 0
        )


def test_huge_cells_are_refused_or_kept_whole(database, tmp_path):
    path = tmp_path / "orgs.csv"
    long_notes = "Minutes of many meetings. " * 4000  # about 100,000 characters: fine for notes
    path.write_text(
        f'name,sector,borough,notes\n{"N" * 5000},charity,Brent,\nBig Notes,charity,Brent,"{long_notes}"\n'
    )
    report = import_file(database, "organisations", path, skip_invalid=True)
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, "name")
    assert problem.message == "the name is too long (5000 characters; at most 200)"
    [made] = orgs.organisation_index(database).find("Big Notes", None, [])
    assert orgs.get_organisation(database, made.id).notes == long_notes.strip()
