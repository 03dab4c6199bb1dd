"""CRM -> LibreOffice -> CRM: every export kind, as CSV and as .xlsx, opened and saved again by
LibreOffice Calc, comes back intact.

LibreOffice runs headless, as a user's "open, save" would: a workbook is saved
again as .xlsx; a CSV is read as UTF-8 with the standard column types (so
02079460019 becomes the number 2079460019, as it does on screen) and saved
again as UTF-8 CSV. Two ``soffice`` calls convert all eight files. Each file is
then imported into a fresh database (organisations, people, engagements) and
compared record by record with the original; meetings, which are not
imported, are compared cell by cell.

``.ci/run`` installs LibreOffice from Debian's packages; without ``soffice``
the test is skipped and says why.
"""

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_export_csv import _load_fixtures, _snapshot
from test_export_xlsx import _add_awkward, lf

from db.migrate import open_database
from db.models import Meeting, Network
from vru_crm.io.export_csv import export_csv
from vru_crm.io.export_xlsx import export_xlsx
from vru_crm.io.importer import import_file
from vru_crm.io.tables import read_table

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (no soffice on PATH): "
    "apt-get install libreoffice-calc-nogui to run the round trip through it",
)
KINDS = ("organisations", "people", "engagements", "meetings")
IMPORTED = ("organisations", "people", "engagements")
CSV_IN = "CSV:44,34,76,1"  # comma, double quotes, UTF-8, from line 1 (the Text Import dialog)
CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1"


def _add_meetings(database) -> None:
    with database.session() as s:
        prg = Network(name="Partnership Reference Group", kind="board")
        s.add(prg)
        s.flush()
        s.add(
            Meeting(
                network_id=prg.id,
                title="PRG, spring; 0th",
                starts_at=datetime(2019, 5, 1, 9, tzinfo=UTC),
                ends_at=datetime(2019, 5, 1, 11, tzinfo=UTC),
                location="City Hall, 020 7983 4000",
                status="held",
                minutes_status="published",
                minutes_url="https://www.london.gov.uk/prg-minutes",
            )
        )
        s.add(
            Meeting(
                title="=Community event",
                starts_at=datetime(2019, 1, 14, 18, tzinfo=UTC),
                ends_at=datetime(2019, 1, 14, 20, tzinfo=UTC),
            )
        )


def _soffice(profile: Path, target: str, files: list[Path], out: Path, infilter: str = "") -> None:
    command = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        target,
        "--outdir",
        str(out),
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    missing = [f.name for f in files if not (out / f.name).exists()]
    assert done.returncode == 0 and not missing, (done.returncode, missing, done.stderr[-2000:])


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """The exports of one database, and the same files after LibreOffice saved them."""
    root = tmp_path_factory.mktemp("libreoffice")
    database = open_database(str(root / "source.sqlite3"), username="tester")
    try:
        _load_fixtures(database)
        _add_awkward(database)
        _add_meetings(database)
        exported = root / "exported"
        exported.mkdir()
        for kind in KINDS:
            export_csv(database, kind, exported / f"{kind}.csv")
            export_xlsx(database, kind, exported / f"{kind}.xlsx")
        expected = _snapshot(database)
    finally:
        database.dispose()
    saved = root / "saved"
    profile = root / "profile"
    _soffice(profile, "xlsx", [exported / f"{k}.xlsx" for k in KINDS], saved)
    _soffice(profile, CSV_OUT, [exported / f"{k}.csv" for k in KINDS], saved, CSV_IN)
    return root, exported, saved, expected


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_records_come_back_intact_after_libreoffice(round_trip, suffix):
    root, exported, saved, expected = round_trip
    fresh = open_database(str(root / f"back{suffix}.sqlite3"), username="tester")
    notes = []
    try:
        for kind in IMPORTED:
            assert (saved / f"{kind}{suffix}").read_bytes() != (
                exported / f"{kind}{suffix}"
            ).read_bytes(), "LibreOffice wrote its own file"
            report = import_file(fresh, kind, saved / f"{kind}{suffix}")
            assert report.ok, report.lines()
            notes += report.notes
        assert _snapshot(fresh) == lf(expected)
    finally:
        fresh.dispose()
    restored = " ".join(notes)
    if suffix == ".xlsx":
        assert notes == []  # text cells stayed text: nothing to put back, no formulas
    else:  # LibreOffice read 02079460020 in the CSV as a number; the import puts the 0 back
        assert "2079460020 read as 02079460020" in restored
        assert "442079460021 read as +442079460021" in restored


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_every_cell_of_every_kind_reads_back_the_same(round_trip, suffix):
    _, exported, saved, _ = round_trip
    for kind in KINDS:
        before = read_table(exported / f"{kind}{suffix}")
        after = read_table(saved / f"{kind}{suffix}")
        assert after.headers == before.headers
        assert len(after.rows) == len(before.rows)
        for old, new in zip(before.rows, after.rows, strict=True):
            if suffix == ".xlsx":
                assert new.cells == lf(old.cells), (kind, old.number)
            else:  # only the phone numbers LibreOffice took for numbers may differ
                changed = [(o, n) for o, n in zip(old.cells, new.cells, strict=False) if lf(o) != n]
                assert all(o.lstrip("0+") == n for o, n in changed), (kind, changed)
