"""Render the main screens on the demo data to docs/screenshots/*.png.

    python scripts/screenshots.py [--out docs/screenshots] [--db FILE]

Loads the demo data set into a fresh database (or uses ``--db``), opens the
real main window offscreen as the demo's engagement lead "lead.a", and saves
Home, each list, an organisation, a network, the search popup and Home in a
dark palette. Re-run after a visual change and look at every picture.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QPoint, QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

SIZE = (1400, 860)
USER = "lead.a"


def wait_until(ready: Callable[[], bool], timeout_ms: int = 15000) -> None:
    """Let the event loop run (background loads deliver their rows) until ``ready()``."""
    waited = 0
    while not ready() and waited < timeout_ms:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 50
    if not ready():
        raise TimeoutError("the screen did not finish loading")


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def open_demo(path: str | None):
    from db.migrate import open_database
    from vru_crm.demo import load_demo

    target = path or str(Path(tempfile.mkdtemp()) / "demo.sqlite3")
    database = open_database(target, username=USER)
    load_demo(database)
    return database


def dark_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#171717", QPalette.ColorRole.AlternateBase: "#26272b",
        QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2d2e31",
        QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#3b78c2",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.ToolTipBase: "#2d2e31", QPalette.ColorRole.ToolTipText: "#e8eaed",
    }  # fmt: skip
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def with_popup(window: QWidget, box: QWidget, popup: QWidget):
    """The window's picture with the search popup painted under the box, right edges aligned.

    The offscreen screen is smaller than the window, so Qt pushes the popup
    left to keep it on that screen; on a real screen it sits under the box.
    """
    image = window.grab().toImage()
    painter = QPainter(image)
    corner = box.mapTo(window, QPoint(box.width() - popup.width(), box.height()))
    painter.drawPixmap(corner, popup.grab())
    painter.end()
    return image


def shoot(out: Path, db_path: str | None) -> list[Path]:
    from ui.app import make_application
    from ui.main_window import MainWindow
    from vru_crm.queries.search import search

    app = make_application(["screenshots"])
    app.setStyle("Fusion")
    database = open_demo(db_path)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(database, settings)
    window.resize(*SIZE)
    window.show()
    saved: list[Path] = []

    def save(name: str, image=None) -> None:
        settle()
        path = out / f"{name}.png"
        (image if image is not None else window.grab()).save(str(path))
        saved.append(path)

    home = window.page("home")
    wait_until(lambda: home.figures is not None)
    save("home")
    for key in ("organisations", "people", "networks", "meetings", "engagements"):
        window.show_page(key)
        page = window.page(key)
        wait_until(lambda page=page: page.model.rowCount() > 0 and not page.model.loading)
        save(key)
    hackney = next(h for h in search(database, "Hackney CVS") if h.kind == "organisation")
    window.open_record("organisation", hackney.id)
    wait_until(lambda: window.details["organisation"].detail is not None)
    save("organisation")
    young = next(h for h in search(database, "Grace Reid") if h.kind == "person")
    window.open_record("person", young.id)  # a young person: the safeguarding notice, consent
    wait_until(lambda: window.details["person"].detail is not None)
    save("person")
    prg = next(h for h in search(database, "Partnership Reference Group") if h.kind == "network")
    shoot_network_screens(window, database, prg.id, save)
    shoot_meeting_screens(window, database, prg.id, save)
    shoot_letter_screens(window, database, prg.id, save)
    for key in ("reports", "graph"):  # drawn in worker jobs: give them time to finish
        window.show_page(key)
        from ui.workers import wait_for_jobs

        settle(1500)
        wait_for_jobs(30000)
        settle(1500)
        save(key)
    window.show_page("home")
    window.activateWindow()
    window.focus_search()
    QTest.keyClicks(window.search, "hackn")
    wait_until(lambda: window.search.popup.isVisible() and window.search.model.rowCount() > 0)
    save("search", with_popup(window, window.search, window.search.popup))
    window.search.popup.hide()
    window.search.clear()
    app.setPalette(dark_palette())
    window.refresh_all()
    wait_until(lambda: home.figures is not None)
    save("home-dark")
    window.close()
    window.deleteLater()
    from ui.workers import wait_for_jobs

    wait_for_jobs(5000)
    database.dispose()
    return saved


def shoot_network_screens(window, database, network_id: int, save) -> None:
    """The PRG's page, its form, and Add members with pasted names matched, at 1024x700."""
    from PySide6.QtCore import Qt

    from ui.dialogs.network_dialog import NetworkDialog
    from ui.governance.members_dialog import AddMembersDialog
    from vru_crm.governance.networks import memberships
    from vru_crm.services.ui_support import suggest

    window.resize(1024, 700)
    window.open_record("network", network_id)
    wait_until(lambda: window.details["network"].detail is not None)
    save("network")
    form = NetworkDialog(database, network_id, parent=window)
    members = AddMembersDialog(database, network_id, parent=window)
    current = {m.member_name for m in memberships(database, network_id) if m.current}
    free = [name for _, name in suggest(database, "person", "a", 60) if name not in current]
    first, second = free[0], free[1]
    misspelt = second[:3] + second[4:]  # "Lib Peck" -> "Li Peck": a close match
    org_id, org_name = suggest(database, "organisation", "a", 1)[0]
    members.picker.add(-org_id, f"{org_name} (organisation)")  # the picker's ids for organisations
    members.paste.setPlainText(f"{first}\n{misspelt}\nJo Nobody-Known")
    members.match_pasted()
    for name, dialog in (("network-dialog", form), ("network-members", members)):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if dialog is members:
            wait_until(lambda: members.matches.count() >= 3)
        settle()
        save(name, dialog.grab())
        dialog.done(0)
    window.resize(*SIZE)


def shoot_meeting_screens(window, database, network_id: int, save) -> None:
    """A PRG meeting's page, the new-meeting form and the record-as-held form, at 1024x700."""
    from PySide6.QtCore import Qt

    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.governance.meeting_record import MeetingRecordDialog
    from vru_crm.governance.meetings import get_meeting
    from vru_crm.queries.meeting_detail import meeting_detail
    from vru_crm.queries.network_detail import network_detail

    # The PRG's latest held meeting with an agenda (numbered from 1), its minutes' link if online.
    held = [m for m in network_detail(database, network_id).meetings if m.status == "held"]
    with_agenda = [m for m in held if meeting_detail(database, m.id).agenda]
    linked = [m for m in with_agenda if get_meeting(database, m.id).minutes_url]
    latest = max(linked or with_agenda or held, key=lambda m: m.starts_at)
    window.resize(1024, 700)
    window.open_record("meeting", latest.id)
    wait_until(lambda: window.details["meeting"].detail is not None)
    save("meeting")
    for name, dialog in (
        ("meeting-dialog", MeetingDialog(database, network_id=network_id, parent=window)),
        ("meeting-held", MeetingRecordDialog(database, latest.id, parent=window)),
    ):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        settle()
        save(name, dialog.grab())
        dialog.done(0)
    window.resize(*SIZE)


def shoot_letter_screens(window, database, network_id: int, save) -> None:
    """A Committee letter pasted with its recommendations found, an action being raised from
    a PRG meeting, and the recommendations register, at 1024x700."""
    from PySide6.QtCore import Qt

    from ui.dialogs.action_dialog import ActionDialog
    from ui.dialogs.letter_dialog import LetterDialog
    from ui.governance.recommendations_view import RecommendationsView
    from vru_crm.governance.actions import owner_choices
    from vru_crm.queries.common import Filters
    from vru_crm.queries.meetings import MeetingQuery

    letter = LetterDialog(database, parent=window)
    letter.text.setPlainText(
        (ROOT / "tests" / "fixtures" / "letters" / "committee_2020_04_07.md").read_text("utf-8")
    )
    letter.find_recommendations()
    meetings = MeetingQuery(database, Filters(network_id=network_id, status="held"))
    prg_meeting = meetings.page(0, 1)[0]  # the latest held
    action = ActionDialog(database, meeting_id=prg_meeting.id, parent=window)
    action.text.setText("Circulate the draft work programme to members for comment")
    owner = owner_choices(database, "Lib Peck", 1)
    action.owner.set_owner(owner[0] if owner else None)
    action.due.edit.setText("28/06/2019")
    for name, dialog in (("letter-dialog", letter), ("action-dialog", action)):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if dialog is letter:
            dialog.resize(1000, 690)
        dialog.show()
        settle()
        save(name, dialog.grab())
        dialog._loaded_values = dialog.values()  # nothing to ask about on closing
        dialog.done(0)
    register = RecommendationsView(database)
    register.filter.setCurrentText("All")
    register.resize(1024, 700)
    register.show()
    register.table.selectRow(0)
    settle()
    save("recommendations", register.grab())
    register.close()
    register.deleteLater()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--db",
        help="use this database instead of a fresh demo file (demo data is added if missing)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in shoot(args.out, args.db):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
