"""The agenda builder as the Director uses it: keyboard reordering, running total, exports."""

from datetime import date

import pytest
from governance_data import at, make_network, meeting, person, set_minutes
from pypdf import PdfReader
from PySide6.QtCore import Qt

from ui.governance.agenda_builder import AgendaBuilderDialog
from vru_crm.governance.actions import create_action
from vru_crm.governance.agenda import get_agenda
from vru_crm.governance.recommendations import create_recommendation


@pytest.fixture
def july(sqlite_database):
    db = sqlite_database
    prg = make_network(db)
    person(db, "Sadiq Khan", prg, "chair")
    may = meeting(db, prg, at(2019, 5, 1), "held")
    set_minutes(db, may, "draft")
    create_action(
        db,
        "Map community stakeholders",
        owner="VRU Director",
        due_date=date(2019, 6, 1),
        meeting_id=may,
    )
    create_recommendation(
        db,
        sender="Police and Crime Committee",
        letter_date=date(2020, 4, 7),
        number=3,
        text="Set out the VRU's data sharing",
        due_date=date(2020, 5, 31),
    )
    return meeting(db, prg, at(2019, 7, 30), hours=1, location="City Hall")


@pytest.fixture
def dialog(qtbot, sqlite_database, july):
    widget = AgendaBuilderDialog(sqlite_database, july)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: not widget.loading, timeout=10000)  # read on the pool
    return widget


def _titles(dialog):
    return [dialog.list.topLevelItem(i).text(1) for i in range(dialog.list.topLevelItemCount())]


def test_opens_with_a_draft_built_from_what_is_open(dialog):
    titles = _titles(dialog)
    assert titles[0] == "Welcome, introductions and apologies"
    assert "Minutes of the meeting of Wednesday 1 May 2019" in titles
    assert "Matters arising and actions from previous meetings" in titles
    assert dialog.total.text() == "Running total: 35 of 60 minutes — 25 minutes to spare"
    assert dialog.overdue_actions.count() == 1
    assert "Map community stakeholders" in dialog.overdue_actions.item(0).text()
    assert dialog.overdue_recommendations.count() == 1


def test_alt_up_and_down_reorder_and_are_saved(dialog, qtbot, sqlite_database, july):
    dialog.list.setCurrentItem(dialog.list.topLevelItem(2))
    moved = _titles(dialog)[2]
    qtbot.keyClick(dialog.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _titles(dialog)[1] == moved and dialog.list.currentItem().text(1) == moved
    qtbot.keyClick(dialog.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _titles(dialog)[0] == moved
    assert (
        dialog.list.topLevelItem(0).text(0) == "1."
        and dialog.list.topLevelItem(0).text(4) == "10:00"
    )
    assert get_agenda(sqlite_database, july).items[0].title == moved
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert get_agenda(sqlite_database, july).items[1].title == moved


def test_running_total_follows_the_minutes_allotted(dialog, qtbot):
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    dialog.minutes_spin.setValue(35)
    assert dialog.total.text().startswith("Running total: 65 of 60 minutes — over by 5 minutes")
    assert "b00020" in dialog.total.styleSheet()
    dialog.minutes_spin.setValue(25)
    assert dialog.total.text() == "Running total: 55 of 60 minutes — 5 minutes to spare"
    assert dialog.list.topLevelItem(1).text(4) == "10:25"


def test_add_edit_and_remove_an_item(dialog, qtbot, sqlite_database, july):
    dialog.add_item()
    assert dialog.list.currentItem().text(1) == "New item"
    dialog.title_edit.setText("Ofsted and exclusions")
    dialog.presenter_edit.setText("DfE")
    dialog.save_selected()
    assert _titles(dialog)[-1] == "Ofsted and exclusions"
    assert get_agenda(sqlite_database, july).items[-1].presenter == "DfE"
    dialog.paper_edit.setText("not a link")
    dialog.save_selected()
    assert dialog.banner.isVisible() and "web address" in dialog.banner.text()
    dialog.paper_edit.setText("")
    dialog.save_selected()
    dialog.remove_selected()
    assert "Ofsted and exclusions" not in _titles(dialog) and not dialog.banner.isVisible()


def test_exports_html_markdown_and_a_pdf_that_reads_back(dialog, tmp_path):
    assert dialog.export_to(tmp_path / "agenda.html") and dialog.export_to(tmp_path / "agenda.md")
    assert "<h1>Partnership Reference Group</h1>" in (tmp_path / "agenda.html").read_text()
    assert dialog.export_to(tmp_path / "agenda.pdf")
    pages = PdfReader(tmp_path / "agenda.pdf").pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Partnership Reference Group" in text
    assert "Map community stakeholders" in text and "Sadiq Khan" in text
    assert not dialog.export_to(tmp_path / "agenda.docx")
    assert ".html, .md or .pdf" in dialog.banner.text()


def test_screenshot(dialog, tmp_path):
    dialog.resize(1100, 680)
    assert not dialog.grab().isNull()
    dialog.grab().save(str(tmp_path / "agenda_builder.png"))
    dialog.grab().save(str(tmp_path / "agenda_builder.png"))


def test_meeting_exports_to_a_calendar_with_its_agenda(dialog, qtbot, tmp_path):
    from ical.calendar_stream import IcsCalendarStream

    with qtbot.waitSignal(dialog.calendar_written, timeout=10000):  # written on the pool
        dialog.export_calendar_to(tmp_path / "meeting.ics")
        assert not dialog.calendar_button.isEnabled()  # one export at a time
    assert dialog.calendar_button.isEnabled()
    [event] = IcsCalendarStream.calendar_from_ics((tmp_path / "meeting.ics").read_text()).events
    assert event.summary == "Partnership Reference Group" and event.location == "City Hall"
    assert "1. Welcome, introductions and apologies (10:00, Sadiq Khan)" in event.description


def test_a_drop_in_the_list_saves_the_new_order(dialog, sqlite_database, july):
    # What a drag ends in: QTreeWidget has moved the row; the dialog saves the order it shows.
    row = dialog.list.takeTopLevelItem(4)
    dialog.list.insertTopLevelItem(0, row)
    dialog.list.reordered.emit(dialog.list.item_ids())
    titles = [i.title for i in get_agenda(sqlite_database, july).items]
    assert titles[0] == "Any other business" and _titles(dialog)[0] == "Any other business"
    assert (
        dialog.list.topLevelItem(1).text(0) == "2."
        and dialog.list.topLevelItem(1).text(4) == "10:05"
    )


def test_views_render(qtbot, sqlite_database, july, tmp_path):
    from ui.governance.actions_view import ActionsView
    from ui.governance.recommendations_view import RecommendationsView

    for view, name in (
        (ActionsView(sqlite_database), "actions"),
        (RecommendationsView(sqlite_database), "recommendations"),
    ):
        qtbot.addWidget(view)
        view.filter.setCurrentText("All")
        view.resize(900, 300)
        qtbot.waitUntil(lambda v=view: not v.model.loading)  # read on the thread pool
        assert view.model.rowCount() == 1
        view.grab().save(str(tmp_path / f"{name}_view.png"))


def test_rebuilding_keeps_the_standing_items_numbered_from_one(qtbot, sqlite_database, july):
    from vru_crm.governance.agenda_items import StandingRow, set_standing_items

    assert get_agenda(sqlite_database, july).network == "Partnership Reference Group"
    set_standing_items(
        sqlite_database,
        1,
        [
            StandingRow("Welcome, introductions and apologies", None, 5, "standing"),
            StandingRow("Minutes of the previous meeting", None, 5, "minutes"),
            StandingRow("VRU Director's update", "VRU Director", 15, "update"),
            StandingRow("Thematic discussion", None, 30, "discussion"),
            StandingRow("Papers for decision", None, 15, "decision"),
            StandingRow("Any other business", None, 5, "aob"),
        ],
    )
    dialog = AgendaBuilderDialog(sqlite_database, july)
    qtbot.addWidget(dialog)
    dialog.build_draft(replace=True)
    titles = _titles(dialog)
    for standing in ("VRU Director's update", "Thematic discussion", "Papers for decision"):
        assert standing in titles
    assert titles[0] == "Welcome, introductions and apologies"
    assert titles[-1] == "Any other business"
    numbers = [dialog.list.topLevelItem(i).text(0) for i in range(dialog.list.topLevelItemCount())]
    assert numbers == [f"{n}." for n in range(1, len(titles) + 1)]


def test_raise_action_while_minuting_opens_the_action_form_for_the_meeting(
    dialog, monkeypatch, july
):
    from ui import launch

    calls = []
    monkeypatch.setattr(launch, "open_dialog", lambda *a, **k: calls.append((a[1:], k)))
    dialog.action_button.click()
    assert calls == [(("action", dialog.database), {"meeting_id": july})]


def test_a_calendar_that_cannot_be_written_says_why(dialog, qtbot, tmp_path):
    dialog.export_calendar_to(tmp_path / "no such folder" / "meeting.ics")
    qtbot.waitUntil(dialog.calendar_button.isEnabled, timeout=10000)
    assert dialog.banner.isVisible() and dialog.banner.text()
    assert "Traceback" not in dialog.banner.text()


def test_the_builder_opens_at_once_and_shows_the_agenda_when_it_arrives(
    qtbot, sqlite_database, july
):
    """The agenda (drafted if empty) and the overdue lists are read on the pool."""
    widget = AgendaBuilderDialog(sqlite_database, july)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.header.text() == "Loading…" and not widget.list.isEnabled()
    qtbot.waitUntil(lambda: not widget.loading, timeout=10000)
    assert widget.list.isEnabled() and _titles(widget)[0] == "Welcome, introductions and apologies"
    assert widget.overdue_actions.count() == 1
