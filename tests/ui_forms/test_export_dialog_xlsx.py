"""The File menu's export writes Excel workbooks too, chosen by keyboard."""

import openpyxl
from PySide6.QtCore import Qt

from ui.dialogs.export_dialog import ExportDialog
from vru_crm.io.tables import read_table
from vru_crm.reliability.files import mode_of


def _open(qtbot, database):
    dialog = ExportDialog(database)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_workbook_is_the_default_and_is_written_with_typed_cells(
    qtbot, database, partnership, tmp_path
):
    dialog = _open(qtbot, database)
    assert dialog.path.text().endswith(".xlsx")
    assert dialog.format.currentData() == "xlsx"
    dialog.path.setText(str(tmp_path / "orgs.xlsx"))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Enter exports (the default button)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert "Exported 3 rows" in dialog.message.text()
    path = tmp_path / "orgs.xlsx"
    assert mode_of(path) == 0o600
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.title == "Organisations"
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value)
    names = [r.cells[0] for r in read_table(path).rows]
    assert "Hackney CVS" in names
    assert not (tmp_path / "orgs.xlsx.part").exists()


def test_choosing_csv_changes_the_suggested_name_and_a_typed_suffix_wins(
    qtbot, database, partnership, tmp_path
):
    dialog = _open(qtbot, database)
    dialog.format.setFocus()
    qtbot.keyClick(dialog.format, Qt.Key.Key_Down)
    assert dialog.format.currentData() == "csv" and dialog.path.text().endswith(".csv")
    dialog.path.setText(str(tmp_path / "people.xlsx"))  # the name says workbook
    dialog.kind.setCurrentIndex(dialog.kind.findData("people"))
    dialog.path.setText(str(tmp_path / "people.xlsx"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert dialog.format.currentData() == "xlsx"
    assert (tmp_path / "people.xlsx").read_bytes().startswith(b"PK")
