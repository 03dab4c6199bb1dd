"""The item column uses the page, so six items with notes
fit on one or two pages; the export says where the file went and offers to open it."""

from governance_data import at, make_network, meeting
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from ui.governance.agenda_builder import AgendaBuilderDialog
from ui.governance.agenda_pdf import export_agenda_pdf
from vru_crm.governance.agenda import add_item

NOTE = (
    "The Director sets out what the partnership has done since the last meeting, what the "
    "boroughs have reported and what is asked of members before the next one; members are "
    "invited to comment and to say where their own organisations can help."
)


def _six_items(database):
    prg = make_network(database)
    when = meeting(database, prg, at(2019, 7, 30), hours=2, location="City Hall")
    for n in range(6):
        add_item(
            database,
            when,
            f"Item {n + 1}: an update from the partnership on its work",
            presenter="Lib Peck",
            minutes_allotted=15,
            notes=NOTE,
        )
    return when


def test_six_items_with_notes_fit_on_two_pages(qapp, sqlite_database, tmp_path):
    when = _six_items(sqlite_database)
    path = export_agenda_pdf(sqlite_database, when, tmp_path / "agenda.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) <= 2
    # The page is used: text starts near the 18 mm margin, not 18 mm plus Qt's own 2 cm.
    left: list[float] = []

    def where(text, cm, tm, *_args) -> None:
        if text.strip():
            left.append(cm[0] * tm[4] + cm[4])

    reader.pages[0].extract_text(visitor_text=where)
    assert min(left) < 25 * 72 / 25.4  # in points: within 25 mm of the page's edge


def test_the_export_says_where_it_went_and_offers_to_open_it(
    qtbot, sqlite_database, tmp_path, monkeypatch
):
    when = _six_items(sqlite_database)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url)))
    dialog = AgendaBuilderDialog(sqlite_database, when)
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "agenda.pdf"
    assert dialog.export_to(target)
    assert str(target) in dialog.export_note.label.text()
    assert dialog.export_note.isVisible()
    dialog.export_note.open_button.click()
    assert opened and opened[0].toLocalFile() == str(target)
