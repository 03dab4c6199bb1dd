"""``vru-crm import`` and ``vru-crm export csv``: what a user sees and the exit statuses."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from vru_crm.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def _run(capsys, db_url: str, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--db", db_url, "--user", "tester", *args])
    except SystemExit as exit_:  # argparse's own usage errors
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


def test_import_then_export_on_both_backends(db_url, capsys, tmp_path):
    status, out, _ = _run(
        capsys, db_url, "import", "organisations", str(FIXTURES / "organisations.csv")
    )
    assert status == 0
    assert out.splitlines() == [
        "organisations.csv: 5 rows, 5 valid, 0 with problems",
        "Imported 5 organisations.",
    ]
    status, out, _ = _run(
        capsys, db_url, "export", "csv", "organisations", "-o", str(tmp_path / "o.csv")
    )
    assert status == 0 and out.strip() == f"Exported 5 organisations to {tmp_path / 'o.csv'}"
    with (tmp_path / "o.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 5


def test_bad_rows_exit_1_and_import_nothing(db_url, capsys, tmp_path):
    source = tmp_path / "orgs.csv"
    shutil.copy(FIXTURES / "organisations_bad.csv", source)
    status, out, _ = _run(capsys, db_url, "import", "organisations", str(source))
    assert status == 1
    assert (
        "row 3, column 'borough': 'Hackny' is not a London borough. Did you mean 'Hackney'?" in out
    )
    assert out.rstrip().endswith("use --skip-invalid to import the 1 valid row.")
    status, out, _ = _run(
        capsys, db_url, "import", "organisations", str(source), "--dry-run", "--skip-invalid"
    )
    assert status == 1 and "Dry run: nothing was written. 1 organisation would be imported." in out
    assert not (tmp_path / "orgs.rejected.csv").exists()
    status, out, _ = _run(capsys, db_url, "import", "organisations", str(source), "--skip-invalid")
    assert status == 1  # documented: rows were rejected, even though the valid ones went in
    assert (
        f"Imported 1 organisation. The 5 rejected rows, with the reason, are in {tmp_path / 'orgs.rejected.csv'}."
        in out
    )
    status, _, _ = _run(
        capsys, db_url, "export", "csv", "organisations", "-o", str(tmp_path / "o.csv")
    )
    with (tmp_path / "o.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [r["name"] for r in csv.DictReader(handle)] == ["Hackney CVS"]


def test_broken_files_exit_1_with_a_plain_message(sqlite_database, capsys, tmp_path):
    url = sqlite_database.url
    # Bytes that are neither UTF-8 nor Windows-1252 (0x81, 0x8D are undefined in both).
    (tmp_path / "not_text.csv").write_bytes(b"name,sector,borough\nA\x81\x8d,faith,Hackney\n")
    status, out, err = _run(capsys, url, "import", "organisations", str(tmp_path / "not_text.csv"))
    assert status == 1 and out == ""
    assert err.startswith("vru-crm: not_text.csv is not UTF-8 text") and "Traceback" not in err
    status, _, err = _run(capsys, url, "import", "people", str(FIXTURES / "text_pretending.xlsx"))
    assert status == 1 and "is not an Excel workbook" in err
    status, _, err = _run(capsys, url, "import", "engagements", str(FIXTURES / "organisations.csv"))
    assert status == 1 and "has no 'date', 'kind', 'organisations', 'summary' columns" in err
    (tmp_path / "empty.csv").write_bytes(b"")
    status, _, err = _run(capsys, url, "import", "organisations", str(tmp_path / "empty.csv"))
    assert status == 1 and "empty.csv is empty" in err
    status, _, err = _run(capsys, url, "import", "organisations", str(tmp_path / "missing.csv"))
    assert status == 1 and "does not exist" in err
    status, _, err = _run(
        capsys, url, "export", "csv", "people", "-o", str(tmp_path / "nope" / "p.csv")
    )
    assert status == 1 and "does not exist" in err


@pytest.mark.parametrize(
    "args",
    [
        ["import"],
        ["import", "organisations"],
        ["import", "vehicles", "x.csv"],
        ["import", "--template", "vehicles"],
        ["import", "--template", "people", "people", "x.csv"],
        ["export", "csv", "organisations"],
        ["export", "csv", "actions", "-o", "x.csv"],
    ],
)
def test_usage_errors_exit_2(sqlite_database, capsys, args):
    status, out, err = _run(capsys, sqlite_database.url, *args)
    assert status == 2 and "usage:" in err and "Traceback" not in err


def test_templates_as_csv_and_xlsx(sqlite_database, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, _ = _run(capsys, sqlite_database.url, "import", "--template", "engagements")
    assert status == 0 and "engagements-template.csv" in out
    with (tmp_path / "engagements-template.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["date", "kind", "organisations", "borough", "summary", "people", "networks", "objectives",
             "outcome", "people_reached", "follow_up", "follow_up_done", "notable", "logged_by"]
        ]  # fmt: skip
    status, _, err = _run(capsys, sqlite_database.url, "import", "--template", "engagements")
    assert status == 1 and "already exists" in err  # never overwritten without -o
    status, _, _ = _run(
        capsys, sqlite_database.url, "import", "--template", "people", "-o", "people.xlsx"
    )
    sheet = openpyxl.load_workbook(tmp_path / "people.xlsx", read_only=True).worksheets[0]
    assert status == 0 and next(sheet.iter_rows(values_only=True))[:4] == (
        "name",
        "organisation",
        "role",
        "email",
    )


def test_help_documents_the_exit_statuses(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert "exit status" in out and "--skip-invalid" in out and "2 a usage error" in out


def test_real_console_entry_point(tmp_path):
    """``python main.py`` in a subprocess: the exit statuses a shell script sees."""
    env = {**os.environ, "VRU_CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )

    ok = run("import", "organisations", str(FIXTURES / "organisations.csv"))
    assert ok.returncode == 0, ok.stderr
    bad = run("import", "people", str(FIXTURES / "not_utf8.csv"))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    usage = run("import", "people")
    assert usage.returncode == 2 and "vru-crm import KIND FILE" in usage.stderr
    out = run("export", "csv", "organisations", "-o", "orgs.csv")
    assert out.returncode == 0 and (tmp_path / "orgs.csv").exists()
