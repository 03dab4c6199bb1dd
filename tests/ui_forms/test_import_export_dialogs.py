"""Import, export and backup dialogs: the per-row report, nothing half-done, work off the UI thread."""

from pathlib import Path

from ui.dialogs.backup_dialog import BackupDialog
from ui.dialogs.export_dialog import ExportDialog
from ui.dialogs.import_dialog import ImportDialog
from vru_crm.services import organisations as orgs
from vru_crm.services.pickers import suggest

GOOD_AND_ONE_BAD = """name,sector,borough,website,email
Peckham Parents Network,grassroots,Southwark,,hello@peckhamparents.org
Brixton Boxing Club,grassroots,Lambeth,brixtonboxing.org,
Tottenham Mums,grassroots,Haringey,,not-an-email
"""


def _write(tmp_path: Path, text: str, name: str = "partners.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _open(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_bad_row_is_reported_and_nothing_is_imported_until_the_user_skips_it(
    qtbot, database, tmp_path
):
    dialog = _open(qtbot, ImportDialog(database))
    dialog.path.setText(str(_write(tmp_path, GOOD_AND_ONE_BAD)))
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.job is None, timeout=10000)

    # The report names the row, the column and the problem, in a table.
    table = dialog.problems.model()
    assert table.rowCount() == 1
    row = [table.index(0, c).data() for c in range(3)]
    assert row[0] == "4" and row[1] == "email"
    assert "not an e-mail address" in row[2]
    assert "Nothing has been imported" in dialog.summary.text()
    assert dialog.import_button.isVisible()
    assert dialog.import_button.text().replace("&", "") == "Import the 2 valid rows"
    assert (
        orgs.find_duplicate_organisations(
            database, orgs.OrganisationInput("Peckham Parents Network", "grassroots")
        )
        == []
    )

    dialog.import_button.click()
    qtbot.waitUntil(
        lambda: dialog.job is None and "Imported" in dialog.summary.text(), timeout=10000
    )
    found = orgs.find_duplicate_organisations(
        database, orgs.OrganisationInput("Peckham Parents Network", "grassroots")
    )
    assert [m.name for m in found] == ["Peckham Parents Network"]
    assert not orgs.find_duplicate_organisations(
        database, orgs.OrganisationInput("Tottenham Mums", "grassroots")
    )
    assert (tmp_path / "partners.rejected.csv").exists()


def test_cancel_during_import_writes_nothing(qtbot, database, tmp_path):
    rows = "".join(f"Group {i},grassroots,Hackney,,\n" for i in range(600))
    path = _write(tmp_path, "name,sector,borough,website,email\n" + rows)
    dialog = _open(qtbot, ImportDialog(database))
    dialog.path.setText(str(path))
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert dialog.import_button.isVisible()

    # Cancel straight after starting: the importer checks between rows and
    # writes in one unit of work, so nothing of the 600 rows may remain.
    dialog.import_button.click()
    assert dialog.progress.isVisible() and dialog.progress.cancel_button.isEnabled()
    dialog.progress.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert dialog.summary.text() == "Cancelled: nothing was imported."
    assert suggest(database, "organisation", "Group ") == []


def test_export_writes_the_file_in_a_worker(qtbot, database, partnership, tmp_path):
    dialog = _open(qtbot, ExportDialog(database))
    dialog.path.setText(str(tmp_path / "orgs.csv"))
    dialog.export_button.click()
    assert not dialog.export_button.isEnabled()  # busy while the worker runs
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert "Exported 3 rows" in dialog.message.text()
    text = (tmp_path / "orgs.csv").read_text(encoding="utf-8")
    assert "Hackney CVS" in text and "Croydon Faith Forum" in text
    assert not (tmp_path / "orgs.csv.part").exists()


def test_backup_makes_a_copy_and_says_so(qtbot, sqlite_database, tmp_path):
    dialog = _open(qtbot, BackupDialog(sqlite_database))
    dialog.path.setText(str(tmp_path / "copy.sqlite3"))
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert dialog.message.text().startswith("Backup done")
    assert (tmp_path / "copy.sqlite3").stat().st_size > 0
