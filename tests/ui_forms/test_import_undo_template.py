"""The import dialog saves a template to fill in, and an import
is on the undo stack: undo deletes exactly the rows it added, redo imports them again."""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ui.dialogs.import_dialog import ImportDialog
from ui.undo import undo_stack
from vru_crm.io.importer import columns, import_file
from vru_crm.queries.common import Filters
from vru_crm.queries.organisations import OrganisationQuery

ROWS = """name,sector,borough,website,email
Peckham Parents Network,grassroots,Southwark,,hello@peckhamparents.org
Brixton Boxing Club,grassroots,Lambeth,brixtonboxing.org,
"""


def _names(database) -> set[str]:
    return {r.name for r in OrganisationQuery(database, Filters()).page(0, 500)}


def _open(qtbot, database) -> ImportDialog:
    dialog = ImportDialog(database)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_report_carries_the_ids_it_wrote(database, tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text(ROWS, encoding="utf-8")
    report = import_file(database, "organisations", path)
    assert len(report.ids) == report.imported == 2


def test_an_import_can_be_undone_and_redone(qtbot, database, tmp_path, partnership):
    before = _names(database)
    path = tmp_path / "partners.csv"
    path.write_text(ROWS, encoding="utf-8")
    dialog = _open(qtbot, database)
    dialog.path.setText(str(path))
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.job is None, timeout=10000)
    dialog.import_button.click()
    qtbot.waitUntil(
        lambda: dialog.job is None and "Imported" in dialog.summary.text(), timeout=10000
    )
    assert "undo" in dialog.summary.text().lower()
    added = {"Peckham Parents Network", "Brixton Boxing Club"}
    assert _names(database) == before | added
    stack = undo_stack()
    assert "import of 2 organisations" in stack.undoText()
    stack.undo()
    assert _names(database) == before  # exactly the imported rows went; the others stayed
    stack.redo()
    assert _names(database) == before | added
    stack.undo()
    assert _names(database) == before


def test_save_a_template(qtbot, database, tmp_path, monkeypatch):
    target = tmp_path / "people-template.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    dialog = _open(qtbot, database)
    dialog.kind.setCurrentIndex(dialog.kind.findData("people"))
    assert dialog.template_button.isVisible()
    dialog.template_button.click()
    header = Path(target).read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(",") == list(columns("people"))
    assert str(target) in dialog.summary.text()
