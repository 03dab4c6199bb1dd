"""The search box finds and opens records; detail pages and Home show the right figures."""

from conftest import wait_loaded
from PySide6.QtCore import Qt

from ui.events import data_events


def _type_search(qtbot, window, text: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search, text)
    qtbot.waitUntil(
        lambda: window.search.popup.isVisible() and window.search.model.rowCount() > 0, timeout=3000
    )


def test_search_popup_finds_and_opens_an_organisation(qtbot, window):
    _type_search(qtbot, window, "hackn")
    hits = window.search.model.hits()
    assert [h.label for h in hits] == ["Hackney CVS"]
    qtbot.keyClick(window.search.popup, Qt.Key.Key_Return)
    page = window.details["organisation"]
    wait_loaded(qtbot, page)
    assert page.title.text() == "Hackney CVS"
    assert window.navigation.currentItem().text() == "Organisations"
    assert window.search.text() == "" and not window.search.popup.isVisible()


def test_search_is_accent_insensitive_and_finds_meetings_by_agenda(qtbot, window, qt_database):
    _type_search(qtbot, window, "Ofsted")
    hit = window.search.model.hits()[0]
    assert (hit.kind, hit.id) == ("meeting", qt_database.sample.meeting["ofsted"])
    window.search.clear()
    qtbot.keyClicks(window.search, "zoe")
    qtbot.waitUntil(
        lambda: [h.label for h in window.search.model.hits()] == ["Zoë Adebayo"], timeout=3000
    )


def test_search_says_when_nothing_matches(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search, "qqqzzz")
    qtbot.waitUntil(lambda: window.search.model.rowCount() == 1, timeout=3000)
    assert window.search.model.hits() == []
    assert "Nothing found" in window.search.model.index(0, 0).data()


def test_organisation_detail_shows_people_networks_history(qtbot, window, qt_database):
    window.open_record("organisation", qt_database.sample.org["Hackney CVS"])
    page = window.details["organisation"]
    wait_loaded(qtbot, page)
    assert "Priority partner" in page.subtitle.text()
    assert "(3 days ago)" in page.facts.values["Last contact"].text()
    assert [page.people.text(r, 0) for r in range(page.people.row_count())] == [
        "Jake Ferguson",
        "Former Volunteer",
    ]
    assert page.people.text(1, 3) == "1 May 2020"
    assert page.networks.text(0, 0) == "Partnership Reference Group"
    assert page.recent.row_count() == 2
    assert page.assessments.text(0, 1) == "5 / 5"  # newest assessment first
    assert sum(page.bars._counts) == 2


def test_a_row_in_a_detail_table_opens_that_record(qtbot, window, qt_database):
    window.open_record("organisation", qt_database.sample.org["Hackney CVS"])
    page = window.details["organisation"]
    wait_loaded(qtbot, page)
    page.people.setFocus()
    page.people.setCurrentIndex(page.people.model().index(0, 0))
    qtbot.keyClick(page.people, Qt.Key.Key_Return)
    person = window.details["person"]
    wait_loaded(qtbot, person)
    assert person.title.text() == "Jake Ferguson"
    assert person.meetings.text(0, 3) == "Apologies"


def test_network_detail_shows_members_roles_dates_and_cadence(qtbot, window, qt_database):
    window.open_record("network", qt_database.sample.network["YPF"])
    page = window.details["network"]
    wait_loaded(qtbot, page)
    assert page.subtitle.text() == "Forum · meets monthly"
    members = [
        (page.members.text(r, 0), page.members.text(r, 5)) for r in range(page.members.row_count())
    ]
    assert members == [("Jake Ferguson", "current"), ("Zoë Adebayo", "1 Jan 2021")]
    assert page.meetings.row_count() == 1


def test_meeting_and_engagement_details(qtbot, window, qt_database):
    window.open_record("meeting", qt_database.sample.meeting["ofsted"])
    meeting = window.details["meeting"]
    wait_loaded(qtbot, meeting)
    assert meeting.agenda.text(0, 1) == "Ofsted discussion"
    assert meeting.network_button.text() == "Open Partnership Reference Group →"
    window.open_record("engagement", qt_database.sample.engagement["recent_hackney"])
    engagement = window.details["engagement"]
    wait_loaded(qtbot, engagement)
    assert engagement.title.text().startswith("Visit on ")
    assert "(overdue)" in engagement.facts.values["Follow-up"].text()


def test_detail_follows_a_change_made_elsewhere(qtbot, window, qt_database):
    from db.models import Organisation

    hackney = qt_database.sample.org["Hackney CVS"]
    window.open_record("organisation", hackney)
    page = window.details["organisation"]
    wait_loaded(qtbot, page)
    with qt_database.database.session() as s:
        s.get(Organisation, hackney).name = "Hackney Council for Voluntary Service"
    data_events().changed.emit("organisation", hackney)
    qtbot.waitUntil(lambda: page.title.text() == "Hackney Council for Voluntary Service")


def test_a_deleted_record_says_so(qtbot, window, qt_database):
    from db.models import Organisation

    church = qt_database.sample.org["St Mary's Church"]
    window.open_record("organisation", church)
    page = window.details["organisation"]
    wait_loaded(qtbot, page)
    with qt_database.database.session() as s:
        s.delete(s.get(Organisation, church))
    data_events().removed.emit("organisation", church)
    qtbot.waitUntil(lambda: "no longer exists" in page.title.text())
    assert not page.body.isVisible()


def test_home_shows_follow_ups_meetings_and_quiet_partners(qtbot, window, qt_database):
    home = window.page("home")
    qtbot.waitUntil(lambda: home.figures is not None)
    assert home.follow_ups.row_count() == 2
    assert "(overdue)" in home.follow_ups.text(0, 0)
    assert home.meetings.text(0, 1) == "Youth Practitioners Forum"
    assert home.quiet.text(0, 0) == "Quiet Partners Trust"
    assert "1 overdue" in home.summary.text()
    home.quiet.setFocus()
    home.quiet.setCurrentIndex(home.quiet.model().index(0, 0))
    qtbot.keyClick(home.quiet, Qt.Key.Key_Return)
    page = window.details["organisation"]
    wait_loaded(qtbot, page)
    assert page.title.text() == "Quiet Partners Trust"
