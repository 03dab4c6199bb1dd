"""The main window: navigation on the left, pages in a stack, one search box in the tool bar.

Pages are built the first time they are shown, so the window opens fast
whatever the size of the database; lists load their first page only when
visible. Window geometry, the splitter, column widths and the last page are
remembered in QSettings (the caller may pass its own, as tests do).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from db.session import Database
from ui import launch
from ui.events import data_events
from ui.menus import build_actions, build_menus, build_toolbar
from ui.models import columns
from ui.navigation import LIST_OF_KIND, PAGE_KEYS, Navigation
from ui.search.search_box import SearchBox
from ui.style import recolour
from ui.views.detail_page import DetailPage
from ui.views.list_page import ListPage
from vru_crm.queries.engagements import EngagementQuery
from vru_crm.queries.meetings import MeetingQuery
from vru_crm.queries.networks import NetworkQuery
from vru_crm.queries.organisations import OrganisationQuery
from vru_crm.queries.people import PersonQuery

log = logging.getLogger(__name__)

LISTS = {
    "organisations": (
        "organisation",
        "organisations",
        OrganisationQuery,
        columns.ORGANISATION_COLUMNS,
    ),
    "people": ("person", "people", PersonQuery, columns.PERSON_COLUMNS),
    "networks": ("network", "networks", NetworkQuery, columns.NETWORK_COLUMNS),
    "meetings": ("meeting", "meetings", MeetingQuery, columns.MEETING_COLUMNS),
    "engagements": ("engagement", "engagements", EngagementQuery, columns.ENGAGEMENT_COLUMNS),
}
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
    def __init__(
        self, database: Database, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle(f"VRU Partnership CRM — {database.display_name}")
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
        self.search = SearchBox(database, self)
        self.search.open_record.connect(self.open_record)
        self.actions_ = build_actions(self)
        build_menus(self, self.actions_)
        build_toolbar(self, self.actions_)
        self.statusBar().addPermanentWidget(QLabel(database.display_name, self))
        self.navigation.page_chosen.connect(self.show_page)
        data_events().removed.connect(self._record_removed)
        self._restore()

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
            kind, noun, query, specs = LISTS[key]
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
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        self.navigation.highlight(key)
        if remember:
            self._push((key, None))

    def open_record(self, kind: str, record_id: int, remember: bool = True) -> None:
        if kind not in LIST_OF_KIND:
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
        launch.edit_record(self, self.database, "organisation")

    def new_person(self) -> None:
        launch.edit_record(self, self.database, "person")

    def open_tool(self, name: str) -> None:
        launch.open_dialog(self, name, self.database)

    def _current_record(self) -> tuple[str, int, str, int | None] | None:
        """The record the user is looking at: the detail page, or the row selected in a list."""
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
            if isinstance(self.stack.currentWidget(), DetailPage):
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
    def _restore(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1280, 800)
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
            if isinstance(page, ListPage):
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
