"""The network form, the members dialogs and the network page, driven from the keyboard.

A new user on an empty database makes the PRG with its cadence in words and its
standing items, adds members by picking and by pasting names, changes a role and
ends a membership; each step is undone and redone; the page shows who is a member
now and who was, how often each came, and the cadence health.
"""

from datetime import date, timedelta

import pytest
from governance_data import at, meeting, person
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.models import Attendance, Organisation
from tests.ui_forms.conftest import Keyboard, answer_next_question, forget_changes
from ui.dialogs.network_dialog import NetworkDialog
from ui.governance.members_dialog import AddMembersDialog
from ui.undo import undo_stack
from ui.views.network_page import NetworkPage
from ui.workers import wait_for_jobs
from vru_crm.governance import agenda_items, networks
from vru_crm.governance.networks import NetworkInput
from vru_crm.london import today_in_london
from vru_crm.queries.common import Filters
from vru_crm.queries.networks import NetworkQuery

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
PRG_RULE = "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;BYHOUR=10;BYMINUTE=0"


@pytest.fixture(autouse=True)
def _fresh_undo_stack():
    undo_stack().clear()
    yield
    undo_stack().clear()
    wait_for_jobs(5000)


def _open(qtbot, dialog):
    qtbot.addWidget(dialog, before_close_func=forget_changes)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)  # the record is read on the pool
    return dialog, Keyboard(qtbot, dialog)


def _problem(dialog, field: str) -> str:
    label = dialog.errors[field]
    return "" if label.isHidden() else label.text()


def _add_item(keys: Keyboard, title: str, presenter: str, minutes: str) -> None:
    editor = keys.window.standing
    count = editor.list.count()
    keys.press(Qt.Key.Key_A, ALT)  # "Add item": a new row, the cursor in its title
    # A mnemonic "animates" the click: the row comes a moment later, as on a desktop.
    keys.qtbot.waitUntil(lambda: editor.list.count() == count + 1 and editor.title.hasFocus())
    keys.type(title)
    keys.press(Qt.Key.Key_Tab)
    keys.type(presenter)
    keys.press(Qt.Key.Key_Tab)
    keys.type(minutes)


def _prg(database, **changes) -> int:
    values = {
        "name": "Partnership Reference Group",
        "short_name": "PRG",
        "kind": "board",
        "cadence": "quarterly, second Tuesday, 10:00 to 12:00",
        **changes,
    }
    return networks.create_network(database, NetworkInput(**values)).id


def _rows(database, network_id):
    return [(m.member_name, m.role, m.end_date) for m in networks.memberships(database, network_id)]


# -- the network form ------------------------------------------------------------------------
def test_create_the_prg_by_keyboard_on_an_empty_database(qtbot, database):
    dialog, keys = _open(qtbot, NetworkDialog(database))
    keys.type("Partnership Reference Group")
    keys.press(Qt.Key.Key_Tab)
    keys.type("PRG")
    keys.press(Qt.Key.Key_Tab)
    keys.type("Board")  # type-ahead in the Kind list
    keys.press(Qt.Key.Key_Tab)
    keys.type("The Mayor's partnership board for violence reduction.")
    keys.press(Qt.Key.Key_Tab)
    keys.type("quarterly, second Tuesday, 10:00 to 12:00")
    assert dialog.understood.text() == (
        "Understood as: Quarterly, on the second Tuesday, 10:00 to 12:00."
    )
    keys.press(Qt.Key.Key_Tab)
    keys.type("10")  # tolerance
    keys.press(Qt.Key.Key_Tab)
    keys.type("28")  # publish minutes within
    keys.press(Qt.Key.Key_Tab)
    keys.type("5")  # quorum
    _add_item(keys, "Welcome and apologies", "Chair", "5")
    _add_item(keys, "VRU Director's update", "VRU Director", "20")
    _add_item(keys, "Any other business", "Chair", "10")
    assert dialog.save_button.isEnabled()
    keys.press(Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    prg = networks.resolve_network(database, "prg")
    assert (prg.name, prg.short_name, prg.kind) == ("Partnership Reference Group", "PRG", "board")
    assert prg.cadence_rrule == PRG_RULE and prg.meeting_minutes == 120
    assert (prg.cadence_tolerance_days, prg.minutes_publication_days, prg.quorum) == (10, 28, 5)
    assert [
        (i.title, i.presenter, i.minutes_allotted)
        for i in agenda_items.standing_items(database, prg.id)
    ] == [
        ("Welcome and apologies", "Chair", 5),
        ("VRU Director's update", "VRU Director", 20),
        ("Any other business", "Chair", 10),
    ]
    undo_stack().undo()  # the create goes, standing items with it
    assert networks.network_choices(database, include_archived=True) == []
    undo_stack().redo()
    assert networks.get_network(database, prg.id).short_name == "PRG"
    assert len(agenda_items.standing_items(database, prg.id)) == 3


def test_bad_input_is_said_next_to_the_field_and_nothing_typed_is_lost(qtbot, sqlite_database):
    db = sqlite_database
    _prg(db)
    dialog, keys = _open(qtbot, NetworkDialog(db))
    keys.type("Youth Advisory Group")
    keys.press(Qt.Key.Key_Tab)
    keys.type("prg")  # another network's short name, in another case
    for _ in range(3):  # Kind, Description, then Cadence
        keys.press(Qt.Key.Key_Tab)
    keys.type("now and then, roughly")
    assert dialog.understood.text().startswith("Not understood:")
    assert "how often is not clear" in _problem(dialog, "cadence")
    assert not dialog.save_button.isEnabled()
    dialog.cadence.selectAll()
    keys.type("monthly, last Thursday")
    assert _problem(dialog, "cadence") == ""
    assert dialog.understood.text() == "Understood as: Monthly, on the last Thursday."
    keys.press(Qt.Key.Key_Return)  # the duplicate short name is found on saving
    assert dialog.isVisible()
    assert "already names" in _problem(dialog, "short_name")
    assert dialog.banner.label.text() == "Not saved. See the fields marked below."
    assert dialog.name.text() == "Youth Advisory Group"
    assert dialog.cadence.text() == "monthly, last Thursday"
    dialog.name.setFocus()
    dialog.name.selectAll()
    keys.press(Qt.Key.Key_Delete)
    assert _problem(dialog, "name") != "" and not dialog.save_button.isEnabled()
    keys.type("Youth Advisory Group")
    dialog.short_name.setFocus()
    dialog.short_name.selectAll()
    keys.type("YPAG")
    keys.press(Qt.Key.Key_Return)
    assert not dialog.isVisible()
    ypag = networks.resolve_network(db, "ypag")
    assert ypag.cadence_rrule == "FREQ=MONTHLY;BYDAY=-1TH"


def test_an_empty_standing_item_title_is_refused_by_the_list(qtbot, sqlite_database):
    dialog, keys = _open(qtbot, NetworkDialog(sqlite_database))
    keys.type("Knife Crime Forum")
    keys.press(Qt.Key.Key_A, ALT)
    qtbot.waitUntil(dialog.standing.title.hasFocus)
    dialog._save_attempted = True
    dialog.revalidate()
    assert "item 1" in _problem(dialog, "standing_items")
    assert not dialog.save_button.isEnabled()
    keys.type("Welcome")
    assert _problem(dialog, "standing_items") == "" and dialog.save_button.isEnabled()


def test_edit_moves_items_and_one_undo_puts_everything_back(qtbot, sqlite_database):
    db = sqlite_database
    prg = _prg(db, quorum=4)
    agenda_items.set_standing_items(
        db,
        prg,
        [agenda_items.StandingRow("Welcome", "Chair", 5), agenda_items.StandingRow("AOB")],
    )
    dialog, keys = _open(qtbot, NetworkDialog(db, prg))
    assert dialog.cadence.text() == "quarterly, on the second Tuesday, 10:00 to 12:00"
    assert dialog.quorum.value() == 4
    dialog.quorum.setFocus(Qt.FocusReason.TabFocusReason)
    dialog.quorum.selectAll()
    keys.type("6")
    dialog.standing.list.setFocus()
    keys.press(Qt.Key.Key_Down)  # to "AOB"
    keys.press(Qt.Key.Key_Up, ALT)  # move it up
    keys.press(Qt.Key.Key_Insert)  # a new item after it
    keys.type("Papers for decision")
    keys.press(Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert networks.get_network(db, prg).quorum == 6
    titles = [i.title for i in agenda_items.standing_items(db, prg)]
    assert titles == ["AOB", "Papers for decision", "Welcome"]
    undo_stack().undo()
    assert networks.get_network(db, prg).quorum == 4
    assert [i.title for i in agenda_items.standing_items(db, prg)] == ["Welcome", "AOB"]
    undo_stack().redo()
    assert networks.get_network(db, prg).quorum == 6
    assert len(agenda_items.standing_items(db, prg)) == 3


def test_a_concurrent_edit_is_said_in_words(qtbot, sqlite_database):
    db = sqlite_database
    prg = _prg(db)
    dialog, keys = _open(qtbot, NetworkDialog(db, prg))
    other = networks.network_input(networks.get_network(db, prg))
    other.description = "Changed by a colleague"
    networks.update_network(db, prg, other, networks.get_network(db, prg).version)
    dialog.quorum.setFocus(Qt.FocusReason.TabFocusReason)
    dialog.quorum.selectAll()
    keys.type("3")
    keys.press(Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Reload" in dialog.banner.label.text()
    assert dialog.quorum.value() == 3


def test_archive_hides_it_from_the_list_and_undo_brings_it_back(qtbot, sqlite_database):
    db = sqlite_database
    prg = _prg(db)
    dialog, keys = _open(qtbot, NetworkDialog(db, prg))
    answer_next_question(qtbot, "Archive")
    keys.press(Qt.Key.Key_V, ALT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert networks.get_network(db, prg).archived_on == today_in_london()
    assert NetworkQuery(db).count() == 0
    assert NetworkQuery(db, Filters(status="archived")).count() == 1
    assert NetworkQuery(db, Filters(status="all")).count() == 1
    undo_stack().undo()
    assert networks.get_network(db, prg).archived_on is None
    assert NetworkQuery(db).count() == 1
    undo_stack().redo()
    assert networks.get_network(db, prg).archived_on is not None


# -- members ----------------------------------------------------------------------------------
@pytest.fixture
def people(sqlite_database):
    db = sqlite_database
    prg = _prg(db)
    ids = {name: person(db, name) for name in ("Amina Yusuf", "Sadiq Khan", "Lib Peck")}
    with db.session() as s:
        org = Organisation(name="Hackney CVS", sector="charity")
        s.add(org)
        s.flush()
        ids["Hackney CVS"] = org.id
    return prg, ids


def test_add_members_by_picking_and_by_pasting_names(qtbot, sqlite_database, people):
    db = sqlite_database
    prg, ids = people
    dialog, keys = _open(qtbot, AddMembersDialog(db, prg))
    keys.type("Amina")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.picker.labels() == ["Amina Yusuf (person)"])
    keys.type("Hackney")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(dialog.picker.selected()) == 2)
    keys.press(Qt.Key.Key_Tab)
    QApplication.clipboard().setText("Sadiq Khan\nLib Pek\nZed Nobody")
    keys.press(Qt.Key.Key_V, CTRL)
    qtbot.waitUntil(lambda: dialog.matches.count() >= 3, timeout=5000)
    lines = [dialog.matches.item(r).text() for r in range(dialog.matches.count())]
    assert lines[0] == "“Sadiq Khan”: Sadiq Khan (person)"
    assert "“Lib Pek”: did you mean Lib Peck (person)?" in lines
    assert "“Zed Nobody”: nobody of that name; add them first" in lines
    assert dialog.ticked() == [("person", ids["Sadiq Khan"])]  # exact ones are ticked for you
    keys.press(Qt.Key.Key_Tab)  # into the list of names found
    keys.press(Qt.Key.Key_Home)
    while "did you mean" not in QApplication.focusWidget().currentItem().text():
        keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Space)  # yes, that one
    assert ("person", ids["Lib Peck"]) in dialog.ticked()
    keys.press(Qt.Key.Key_Tab)
    keys.type("Observer")
    keys.press(Qt.Key.Key_Tab)
    keys.type("Hackney partners")
    keys.press(Qt.Key.Key_Return)
    assert not dialog.isVisible()
    added = {m.member_name: m for m in networks.memberships(db, prg)}
    assert set(added) == {"Amina Yusuf", "Hackney CVS", "Sadiq Khan", "Lib Peck"}
    assert {m.role for m in added.values()} == {"observer"}
    assert added["Lib Peck"].represents == "Hackney partners"
    assert added["Lib Peck"].start_date == today_in_london()
    undo_stack().undo()  # one undo takes the four out again
    assert networks.memberships(db, prg) == []
    undo_stack().redo()
    assert len(networks.memberships(db, prg)) == 4


def test_adding_nobody_is_refused_in_words(qtbot, sqlite_database, people):
    prg, _ = people
    dialog, keys = _open(qtbot, AddMembersDialog(sqlite_database, prg))
    keys.press(Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible()
    assert _problem(dialog, "members") == "choose at least one person or organisation to add"


def _page(qtbot, database, network_id) -> NetworkPage:
    page = NetworkPage(database)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    qtbot.waitExposed(page)
    page.show_record(network_id)
    qtbot.waitUntil(lambda: page.detail is not None and page.body.isVisible(), timeout=5000)
    return page


def _choose(page: NetworkPage, name: str) -> None:
    row = next(r for r in range(page.members.row_count()) if page.members.text(r, 0) == name)
    page.members.setFocus()
    page.members.setCurrentIndex(page.members.model().index(row, 0))


def _reloaded(qtbot, page: NetworkPage, check) -> None:
    qtbot.waitUntil(lambda: page.detail is not None and check(page.detail), timeout=5000)


def test_change_a_role_from_the_page_keeps_the_history(qtbot, sqlite_database, people):
    db = sqlite_database
    prg, ids = people
    start = today_in_london() - timedelta(days=200)
    networks.join_network(db, prg, person_id=ids["Sadiq Khan"], start_date=start)
    page = _page(qtbot, db, prg)
    _choose(page, "Sadiq Khan")
    keys = Keyboard(qtbot, page)
    keys.press(Qt.Key.Key_R, ALT)  # Change role…
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible())
    dialog = page.last_dialog
    keys = Keyboard(qtbot, dialog)
    keys.type("Chair")
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    today = today_in_london()
    assert sorted(_rows(db, prg), key=str) == sorted(
        [("Sadiq Khan", "chair", None), ("Sadiq Khan", "member", today - timedelta(days=1))],
        key=str,
    )
    _reloaded(qtbot, page, lambda d: any(m.role == "chair" for m in d.members))
    assert page.members.text(0, 2) == "Chair"
    assert page.members.text(1, 5) != "current"  # the old role, ended
    undo_stack().undo()
    assert _rows(db, prg) == [("Sadiq Khan", "member", None)]
    undo_stack().redo()
    assert ("Sadiq Khan", "chair", None) in _rows(db, prg)


def test_end_a_membership_on_a_date_and_undo_it(qtbot, sqlite_database, people):
    db = sqlite_database
    prg, ids = people
    start = today_in_london() - timedelta(days=400)
    networks.join_network(db, prg, person_id=ids["Lib Peck"], start_date=start)
    page = _page(qtbot, db, prg)
    _choose(page, "Lib Peck")
    Keyboard(qtbot, page).press(Qt.Key.Key_N, ALT)  # End membership…
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible())
    dialog = page.last_dialog
    keys = Keyboard(qtbot, dialog)
    dialog.end_date.edit.selectAll()
    last_day = today_in_london() - timedelta(days=10)
    keys.type(last_day.strftime("%d/%m/%Y"))
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert _rows(db, prg) == [("Lib Peck", "member", last_day)]
    _reloaded(qtbot, page, lambda d: not d.members[0].current)
    undo_stack().undo()
    assert _rows(db, prg) == [("Lib Peck", "member", None)]
    undo_stack().redo()
    assert _rows(db, prg) == [("Lib Peck", "member", last_day)]


def test_change_role_without_a_member_chosen_says_how(qtbot, sqlite_database, people):
    prg, _ = people
    page = _page(qtbot, sqlite_database, prg)
    seen = answer_next_question(qtbot, "OK")
    page.change_role()
    assert "Choose a current member" in seen[0]


# -- the page ------------------------------------------------------------------------------------
def test_the_page_shows_members_attendance_and_cadence_health(qtbot, sqlite_database, tmp_path):
    db = sqlite_database
    prg = _prg(db, quorum=2)
    today = today_in_london()
    chair = person(db, "Sadiq Khan", prg, "chair", start=date(2019, 1, 1))
    peck = person(db, "Lib Peck", prg, start=date(2019, 1, 1))
    person(db, "Sophie Linden", prg, start=date(2019, 1, 1), end=date(2020, 3, 31))
    held = []
    for months_ago in (8, 5):
        day = today - timedelta(days=30 * months_ago)
        held.append(meeting(db, prg, at(day.year, day.month, day.day), "held"))
    with db.session() as s:
        for meeting_id in held:
            s.add(Attendance(meeting_id=meeting_id, person_id=chair, status="present"))
        s.add(Attendance(meeting_id=held[0], person_id=peck, status="present"))
        s.add(Attendance(meeting_id=held[1], person_id=peck, status="apologies"))
    page = _page(qtbot, db, prg)
    assert page.subtitle.text().startswith("PRG · Board · meets quarterly")
    facts = {k: v.text() for k, v in page.facts.values.items()}
    assert facts["Quorum"] == "2 present"
    assert facts["Members"] == "2 current, 1 past"
    last = today - timedelta(days=150)
    assert facts["Last held"] == f"{last.day} {last:%b %Y}"
    assert "overdue by" in facts["Next due"]  # a quarterly network that last met 5 months ago
    assert "color" in page.facts.values["Next due"].styleSheet()
    assert facts["Next scheduled"] == "none scheduled"
    shown = [
        [page.members.text(r, c) for c in (0, 2, 5, 6)] for r in range(page.members.row_count())
    ]
    assert shown == [
        ["Sadiq Khan", "Chair", "current", "100% (2 of 2)"],
        ["Lib Peck", "Member", "current", "50% (1 of 2)"],
        ["Sophie Linden", "Member", "31 Mar 2020", ""],
    ]
    page.show_past.setChecked(False)
    assert page.members.row_count() == 2
    page.grab().save(str(tmp_path / "network_page.png"))


def test_ctrl_n_on_the_networks_list_makes_a_network_and_ctrl_e_edits_one(
    qtbot, sqlite_database, tmp_path
):
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(sqlite_database, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("networks")
    assert window.actions_.new_organisation.text() == "New &network…"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), NetworkDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.windowTitle() == "New network"
    dialog.reject()
    prg = _prg(sqlite_database)
    window.open_record("network", prg)
    page = window.details["network"]
    qtbot.waitUntil(lambda: page.detail is not None and page.body.isVisible())
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)  # edit the network shown
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), NetworkDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10000)  # the record is read on the pool
    assert dialog.windowTitle() == "Network: Partnership Reference Group"
    assert dialog.short_name.text() == "PRG"
    dialog.reject()
    window.show_page("home")
    assert window.actions_.new_organisation.text() == "New &organisation…"
    window.close()


def test_the_networks_list_hides_archived_ones_unless_asked(sqlite_database):
    db = sqlite_database
    prg = _prg(db)
    networks.create_network(db, NetworkInput(name="Youth Advisory Group", short_name="YPAG"))
    networks.archive_network(db, prg)
    assert [r.name for r in NetworkQuery(db).page(0, 10)] == ["Youth Advisory Group"]
    assert [r.name for r in NetworkQuery(db, Filters(text="ypag")).page(0, 10)] == [
        "Youth Advisory Group"
    ]
    assert NetworkQuery(db, Filters(status="all")).count() == 2
