"""Render the main screens on the demo data to docs/screenshots/*.png, at scale 1 and 2, light and dark.

    python scripts/screenshots.py [--out docs/screenshots] [--db FILE]
                                  [--scale 1 2] [--appearance light dark]

Loads the demo data set into a fresh database (or uses ``--db``), opens the
real main window offscreen as the demo's engagement lead "lead.a", and saves
Home, each list, an organisation, a person, the log form, a network, a
meeting, the letter and action forms, the graph, the dashboard and the search
popup. Each screen is saved once per scale and appearance (View > Appearance:
light or dark): ``home.png``, ``home-2x.png``, ``home-dark.png``,
``home-2x-dark.png``. A scale needs its own process (Qt reads QT_SCALE_FACTOR
when it starts), so each scale is rendered by a child run of this script.
Re-run after a visual change and look at the pictures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QPoint, QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QPainter  # noqa: E402
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


def name_for(screen: str, scale: int, appearance: str) -> str:
    """``home``, ``home-2x``, ``home-dark``, ``home-2x-dark``."""
    return (
        screen
        + ("-2x" if scale == 2 else f"-{scale}x" if scale != 1 else "")
        + ("-dark" if appearance == "dark" else "")
    )


def shoot(out: Path, db_path: str | None, scale: int, appearances: list[str]) -> list[Path]:
    """Every screen in each of ``appearances``, at the scale this process was started with."""
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.workers import wait_for_jobs

    make_application(["screenshots"])
    database = open_demo(db_path)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    saved: list[Path] = []
    for appearance in appearances:
        window = MainWindow(database, settings)
        window.appearance_actions[appearance].trigger()  # View > Appearance > Light or Dark
        window.resize(*SIZE)
        window.show()

        def save(name: str, image=None, window=window, appearance=appearance) -> None:
            settle()
            path = out / f"{name_for(name, scale, appearance)}.png"
            (image if image is not None else window.grab()).save(str(path))
            saved.append(path)

        shoot_screens(window, database, save)
        window.close()
        window.deleteLater()
        wait_for_jobs(5000)
        settle()
    database.dispose()
    return saved


def shoot_screens(window, database, save) -> None:
    from vru_crm.queries.search import search

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
    shoot_log_form(window, database, hackney.id, save)
    prg = next(h for h in search(database, "Partnership Reference Group") if h.kind == "network")
    shoot_network_screens(window, database, prg.id, save)
    shoot_meeting_screens(window, database, prg.id, save)
    shoot_letter_screens(window, database, prg.id, save)
    from ui.workers import wait_for_jobs

    for key in ("reports", "graph"):  # drawn in worker jobs: give them time to finish
        window.show_page(key)
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


def shoot_log_form(window, database, organisation_id: int, save) -> None:
    """The log form filled in as a person would: one organisation, two objectives, a summary."""
    from PySide6.QtCore import Qt

    from ui.dialogs.engagement_dialog import EngagementDialog

    dialog = EngagementDialog(database, parent=window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    QTest.keyClicks(dialog.organisations.edit, "Hackney CVS")
    popup = dialog.organisations._completer.popup()
    wait_until(lambda: popup.isVisible())
    QTest.keyClick(popup, Qt.Key.Key_Return)
    wait_until(lambda: dialog.organisations.labels() != [])
    for number in (1, 3):
        QTest.keyClick(dialog, Qt.Key(Qt.Key.Key_0.value + number), Qt.KeyboardModifier.AltModifier)
    dialog.summary.setPlainText("Talked about the summer youth programme and who else to invite")
    dialog.summary.setFocus()
    settle()
    save("log-form", dialog.grab())
    dialog._loaded_values = dialog.values()  # nothing to ask about on closing
    dialog.done(0)


def shoot_network_screens(window, database, network_id: int, save) -> None:
    """The PRG's page, its form, and Add members with pasted names matched, at 1024x700."""
    from PySide6.QtCore import Qt

    from ui.dialogs.network_dialog import NetworkDialog
    from ui.governance.members_dialog import AddMembersDialog
    from vru_crm.governance.networks import memberships
    from vru_crm.services.pickers import suggest

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
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 2], help="1, 2 or both")
    parser.add_argument(
        "--appearance", nargs="+", choices=["light", "dark"], default=["light", "dark"]
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.child:  # one scale, started with QT_SCALE_FACTOR set
        for path in shoot(args.out, args.db, args.scale[0], args.appearance):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path, flush=True)
        return 0
    db = args.db or str(Path(tempfile.mkdtemp()) / "demo.sqlite3")
    open_demo(db).dispose()  # loaded once, shared by the runs
    for scale in args.scale:
        env = {**os.environ, "QT_SCALE_FACTOR": str(scale), "QT_QPA_PLATFORM": "offscreen"}
        command = [sys.executable, __file__, "--child", "--out", str(args.out), "--db", db,
                   "--scale", str(scale), "--appearance", *args.appearance]  # fmt: skip
        if subprocess.run(command, env=env).returncode:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
