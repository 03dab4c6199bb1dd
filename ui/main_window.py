"""The main window: navigation on the left, pages in a stack, one search box in the tool bar.

The window can be built before the database is open (``MainWindow(None)``):
it then imports only Qt and our light shell modules, so it appears at once,
and says "Opening the database…" on the page the user asks for while
``ui.app`` opens the database off the UI thread. The actions that need the
database are disabled until ``set_database`` hands it over; then the page
asked for is built and shown. Navigation, menus, resizing and Quit work
meanwhile.

Pages are built the first time they are shown, so the window opens fast
whatever the size of the database; lists load their first page only when
visible. Window geometry, the splitter, column widths and the last page are
remembered in QSettings (the caller may pass its own, as tests do).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import launch
from ui.events import data_events
from ui.menus import NEEDS_DATABASE, build_actions, build_menus, build_toolbar
from ui.navigation import LIST_OF_KIND, PAGE_KEYS, PAGES, Navigation
from ui.search.search_box import SearchBox
from ui.style import heading, muted, recolour, themed_icon

if TYPE_CHECKING:
    from db.session import Database
    from ui.views.detail_page import DetailPage

log = logging.getLogger(__name__)

APP_TITLE = "VRU Partnership CRM"
# key -> (record kind, noun, query class name, column list name); imported when first shown
LISTS = {
    "organisations": ("organisation", "organisations", "OrganisationQuery", "ORGANISATION_COLUMNS"),
    "people": ("person", "people", "PersonQuery", "PERSON_COLUMNS"),
    "networks": ("network", "networks", "NetworkQuery", "NETWORK_COLUMNS"),
    "meetings": ("meeting", "meetings", "MeetingQuery", "MEETING_COLUMNS"),
    "engagements": ("engagement", "engagements", "EngagementQuery", "ENGAGEMENT_COLUMNS"),
}
QUERY_MODULES = {
    "OrganisationQuery": "vru_crm.queries.organisations",
    "PersonQuery": "vru_crm.queries.people",
    "NetworkQuery": "vru_crm.queries.networks",
    "MeetingQuery": "vru_crm.queries.meetings",
    "EngagementQuery": "vru_crm.queries.engagements",
}
# Lists where Ctrl+N makes one of their own records instead of an organisation.
NEW_KIND_ON_PAGE = {"networks": "network"}
NEW_KIND_ON_PAGE.update({"meetings": "meeting", "meeting": "meeting"})
# Pages other features provide; a placeholder says "later" if the module is not there.
FEATURE_PAGES = {
    "graph": ("ui.graph.page", "GraphPage"),
    "reports": ("ui.reports.dashboard", "DashboardPage"),
}
PLACEHOLDERS = {
    "graph": (
        "Partnership graph",
        "The graph of partners, people and networks comes in a later version.",
    ),
    "reports": ("Reports", "Figures for the PRG and the Home Office come in a later version."),
}


def _list_parts(key: str) -> tuple[str, str, Any, Any]:
    """The list's kind, noun, query class and columns (importing them loads the database stack)."""
    from ui.models import columns

    kind, noun, query_name, columns_name = LISTS[key]
    query = getattr(importlib.import_module(QUERY_MODULES[query_name]), query_name)
    return kind, noun, query, getattr(columns, columns_name)


class OpeningPage(QWidget):
    """What the window shows until the database is open: the page asked for, and that it is coming."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = heading("Opening the database…", 1.6, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = muted("", self)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # moving: it is working, not stuck
        self.busy.setMaximumWidth(320)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Opening the database")
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def wanted(self, title: str) -> None:
        self.text.setText(f"{title} will show here as soon as it is open.")

    def problem(self) -> None:
        """A start-up dialog is asking the user what to do."""
        self.title.setText("The database could not be opened")
        self.text.setText("Choose what to do in the message over this window.")
        self.busy.hide()

    def retrying(self) -> None:
        self.title.setText("Opening the database…")
        self.busy.show()


def _detail_class(kind: str) -> type[DetailPage]:
    if kind == "organisation":
        from ui.views.organisation_page import OrganisationPage

        return OrganisationPage
    if kind == "person":
        from ui.views.person_page import PersonPage

        return PersonPage
    if kind == "network":
        from ui.views.network_page import NetworkPage

        return NetworkPage
    if kind == "meeting":
        from ui.views.meeting_page import MeetingPage

        return MeetingPage
    from ui.views.engagement_page import EngagementPage

    return EngagementPage


class MainWindow(QMainWindow):
    """The app's window; pass ``database=None`` to show it before the database is open."""

    database_ready = Signal()  # set_database has run: pages and commands work

    def __init__(
        self,
        database: Database | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.database: Database | None = None
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle(APP_TITLE)
        self.opening: OpeningPage | None = None
        self._wanted = "home"
        self.pages: dict[str, QWidget] = {}
        self.details: dict[str, DetailPage] = {}
        self.page_factories: dict[str, Callable[[], QWidget]] = {}
        self._history: list[tuple[str, int | None]] = []
        self.navigation = Navigation(self)
        self.stack = QStackedWidget(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([self.navigation.sizeHint().width(), 1100])
        self.setCentralWidget(self.splitter)
        self.search = SearchBox(None, self)
        self.search.open_record.connect(self.open_record)
        self.actions_ = build_actions(self)
        build_menus(self, self.actions_)
        build_toolbar(self, self.actions_)
        self.where = QLabel("", self)
        self.statusBar().addPermanentWidget(self.where)
        self.navigation.page_chosen.connect(self.show_page)
        self.stack.currentChanged.connect(self._name_new_action)
        data_events().removed.connect(self._record_removed)
        if database is None:
            self._wait_for_database()
        else:
            self.set_database(database)
        self._restore()

    # --- the database ------------------------------------------------------------------
    def _wait_for_database(self) -> None:
        """Until the database is open: the opening page, and no command that needs it."""
        self.opening = OpeningPage(self)
        self.stack.addWidget(self.opening)
        for action in self.database_actions():
            action.setEnabled(False)
        self.statusBar().showMessage("Opening the database…")

    def database_actions(self) -> list:
        """The window's actions that need the database (every one not marked otherwise)."""
        return [a for a in self.actions() if a.property(NEEDS_DATABASE) is not False]

    def set_database(self, database: Database) -> None:
        """Hand over the opened database: enable its commands and show the page the user asked for."""
        self.database = database
        # The platform adds " — VRU Partnership CRM" (the application display name) itself.
        self.setWindowTitle(database.display_name)
        self.where.setText(database.display_name)
        self.search.set_database(database)
        for action in self.database_actions():
            action.setEnabled(True)
        from ui.team.status import show_role

        show_role(self, database)  # a team login: who, which role, and what it may not do
        if self.opening is not None:
            self.statusBar().clearMessage()
            self.show_page(self._wanted, remember=False)
            self.stack.removeWidget(self.opening)
            self.opening.deleteLater()
            self.opening = None
        self.database_ready.emit()

    def database_problem(self, asking: bool) -> None:
        """A start-up dialog is (or is no longer) asking about the database: say so on the page."""
        if self.opening is not None:
            self.opening.problem() if asking else self.opening.retrying()

    # --- pages ---------------------------------------------------------------------------
    def register_page(self, key: str, factory: Callable[[], QWidget]) -> None:
        """Let a later feature (Graph, Reports) supply its page instead of the placeholder."""
        self.page_factories[key] = factory

    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            self.pages[key] = self._make_page(key)
            self.stack.addWidget(self.pages[key])
        return self.pages[key]

    def _make_page(self, key: str) -> QWidget:
        if key in self.page_factories:
            return self.page_factories[key]()
        if key == "home":
            from ui.views.home_page import HomePage

            home = HomePage(self.database, self)
            home.open_record.connect(self.open_record)
            return home
        if key in LISTS:
            from ui.views.list_page import ListPage

            kind, noun, query, specs = _list_parts(key)
            page = ListPage(self.database, key, kind, noun, query, specs, self.settings, self)
            page.open_record.connect(self.open_record)
            return page
        page = self._feature_page(key)
        if page is not None:
            return page
        from ui.views.placeholder import PlaceholderPage

        return PlaceholderPage(*PLACEHOLDERS[key], parent=self)

    def _feature_page(self, key: str) -> QWidget | None:
        """The Graph or Reports page if this version has it (imported on first visit: pyqtgraph is heavy)."""
        module_name, class_name = FEATURE_PAGES[key]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                return None
            raise
        page = getattr(module, class_name)(self.database, parent=self)
        if hasattr(page, "open_record"):
            page.open_record.connect(self.open_record)
        return page

    def detail(self, kind: str) -> DetailPage:
        if kind not in self.details:
            page = _detail_class(kind)(self.database, self)
            page.open_record.connect(self.open_record)
            page.back_requested.connect(self.go_back)
            page.edit_requested.connect(lambda k, i: launch.edit_record(self, self.database, k, i))
            page.delete_requested.connect(self._delete)
            if hasattr(page, "assessment_requested"):
                page.assessment_requested.connect(
                    lambda oid: launch.open_dialog(self, "assessment", self.database, oid)
                )
            self.details[kind] = page
            self.stack.addWidget(page)
        return self.details[kind]

    def show_page(self, key: str, remember: bool = True) -> None:
        if key not in PAGE_KEYS and key not in self.page_factories:
            key = "home"
        if self.database is None:
            self._show_opening(key, remember)
            return
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        self.navigation.highlight(key)
        if remember:
            self._push((key, None))

    def _show_opening(self, key: str, remember: bool) -> None:
        """The database is not open yet: note the page asked for and say it is coming."""
        assert self.opening is not None
        self._wanted = key
        titles = {page.key: page.title for page in PAGES}
        self.opening.wanted(titles.get(key, "The page"))
        self.stack.setCurrentWidget(self.opening)
        self.navigation.highlight(key)
        if remember:
            self._push((key, None))

    def open_record(self, kind: str, record_id: int, remember: bool = True) -> None:
        if kind not in LIST_OF_KIND or self.database is None:
            return
        page = self.detail(kind)
        page.show_record(record_id)
        self.stack.setCurrentWidget(page)
        self.navigation.highlight(LIST_OF_KIND[kind])
        if remember:
            self._push((kind, record_id))

    def current_key(self) -> str:
        """The page shown: a page key, or a record kind when a detail page is shown."""
        widget = self.stack.currentWidget()
        if widget is not None and widget is self.opening:
            return self._wanted
        for key, page in self.pages.items():
            if page is widget:
                return key
        for kind, page in self.details.items():
            if page is widget:
                return kind
        return ""

    # --- history -------------------------------------------------------------------------
    def _push(self, entry: tuple[str, int | None]) -> None:
        if not self._history or self._history[-1] != entry:
            self._history.append(entry)
            del self._history[:-50]

    def go_back(self) -> None:
        if len(self._history) < 2:
            return
        self._history.pop()
        key, record_id = self._history[-1]
        if record_id is None:
            self.show_page(key, remember=False)
        else:
            self.open_record(key, record_id, remember=False)

    def _record_removed(self, kind: str, record_id: int) -> None:
        self._history = [e for e in self._history if e != (kind, record_id)] or [("home", None)]

    # --- commands ------------------------------------------------------------------------
    def log_engagement(self) -> None:
        launch.open_dialog(self, "engagement", self.database)

    def new_organisation(self) -> None:
        """Ctrl+N: a new organisation, or the kind of record the list shown holds (a network)."""
        kind = NEW_KIND_ON_PAGE.get(self.current_key(), "organisation")
        launch.edit_record(self, self.database, kind)

    def _name_new_action(self, _index: int = 0) -> None:
        """The New button and menu item say what Ctrl+N makes on the page shown."""
        kind = NEW_KIND_ON_PAGE.get(self.current_key(), "organisation")
        action = self.actions_.new_organisation
        action.setText(f"New &{kind}…")
        themed_icon(action, kind)

    def new_person(self) -> None:
        launch.edit_record(self, self.database, "person")

    def open_tool(self, name: str) -> None:
        launch.open_dialog(self, name, self.database)

    def _current_record(self) -> tuple[str, int, str, int | None] | None:
        """The record the user is looking at: the detail page, or the row selected in a list."""
        if self.database is None:
            return None
        from ui.views.detail_page import DetailPage
        from ui.views.list_page import ListPage

        widget = self.stack.currentWidget()
        if (
            isinstance(widget, DetailPage)
            and widget.record_id is not None
            and widget.detail is not None
        ):
            return widget.kind, widget.record_id, widget.label(), widget.version()
        if isinstance(widget, ListPage) and widget.current_id() is not None:
            row = widget.table.currentIndex().row()
            label = widget.model.index(row, 0).data() or widget.kind
            return widget.kind, int(widget.current_id() or 0), str(label), None
        return None

    def edit_current(self) -> None:
        current = self._current_record()
        if current is None:
            self.statusBar().showMessage("Open or select a record to edit it.", 4000)
            return
        launch.edit_record(self, self.database, current[0], current[1])

    def delete_current(self) -> None:
        current = self._current_record()
        if current is None:
            self.statusBar().showMessage("Open or select a record to delete it.", 4000)
            return
        self._delete(*current)

    def _delete(self, kind: str, record_id: int, label: str, version: object) -> None:
        if launch.delete_record(
            self,
            self.database,
            kind,
            record_id,
            label,
            version if isinstance(version, int) else None,
        ):
            self.statusBar().showMessage(f"Deleted {label}. Ctrl+Z brings it back.", 8000)
            if self.stack.currentWidget() in self.details.values():
                self.go_back()

    def merge_current(self) -> None:
        current = self._current_record()
        if current is None or current[0] not in ("organisation", "person"):
            self.statusBar().showMessage(
                "Open an organisation or a person to merge it with another.", 4000
            )
            return
        from ui.views.pick_record import PickRecordDialog

        kind, record_id, label, _ = current
        picker = PickRecordDialog(self.database, kind, record_id, f"Merge “{label}” with…", self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.accepted.connect(lambda: self._merge(kind, record_id, picker.chosen))
        picker.open()

    def _merge(self, kind: str, keep_id: int, chosen: object) -> None:
        other_id = getattr(chosen, "id", None)
        if other_id is not None:
            launch.open_dialog(self, "merge", self.database, kind, keep_id, other_id)

    def refresh_all(self) -> None:
        data_events().changed.emit("*", 0)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def toggle_navigation(self, shown: bool) -> None:
        self.navigation.setVisible(shown)

    def show_undo_problem(self, message: str) -> None:
        QMessageBox.warning(self, "Could not undo", message)

    def search_spacer(self) -> QWidget:
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        return spacer

    # --- remembering -------------------------------------------------------------------
    def _first_size(self) -> QSize:
        """1280x800 on a first start, or less on a smaller screen: the window must fit on it.

        The title bar and frame come on top of the size given, so some height is left for them.
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return QSize(1280, 800)
        room = screen.availableGeometry()
        return QSize(min(1280, room.width()), min(800, max(room.height() - 40, 480)))

    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(self._first_size())
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray | bytes) and splitter:
            self.splitter.restoreState(QByteArray(splitter))
        last = str(self.settings.value("window/last_view", "home"))
        self.show_page(last if last in PAGE_KEYS else "home")

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        current = self.current_key()
        section = LIST_OF_KIND.get(current, current)
        self.settings.setValue("window/last_view", section if section in PAGE_KEYS else "home")
        for page in self.pages.values():
            if hasattr(page, "save_state"):  # the lists keep their columns and filters
                page.save_state()
        self.settings.sync()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt name
        """The system switched between light and dark: redraw icons in the new text colour."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            recolour(self)
            self.navigation.recolour()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        self.search.popup.hide()
        self.save_settings()
        super().closeEvent(event)
