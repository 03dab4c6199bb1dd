"""Log an engagement in seconds, or edit and delete one.

Built for the end of a day of visits: the date starts at today, organisations
and people are found by typing, boroughs and networks fill themselves in from
the organisations chosen, and "Save and log another" keeps the date and clears
the rest so five engagements go in one after the other.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from db.enums import ENGAGEMENT_KIND_LABELS
from ui.dialogs.base import FormDialog, ask
from ui.dialogs.widgets.date_field import DateField
from ui.dialogs.widgets.error_label import with_error
from ui.dialogs.widgets.objectives import ObjectivesBox
from ui.dialogs.widgets.picker import MultiPicker
from ui.events import data_events

KIND_LABELS = ENGAGEMENT_KIND_LABELS  # one label per kind, as in the lists and reports


def _text_box(name: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


class EngagementDialog(FormDialog):
    """New engagement (``engagement_id`` None) or an existing one to edit or delete."""

    field_labels = {"summary": "summary", "occurred_on": "date", "kind": "kind"}

    def __init__(
        self, database, parent: QWidget | None = None, engagement_id: int | None = None
    ) -> None:
        super().__init__(database, parent)
        self.engagement_id = engagement_id
        self.version: int | None = None
        self.saved_ids: list[int] = []
        self._auto_boroughs: set[int] = set()
        self._auto_networks: set[int] = set()
        self.setWindowTitle("Edit engagement" if engagement_id else "Log an engagement")
        self._build_fields()
        self._build_buttons()
        self._set_searches()
        self._chain()
        self.mark_loaded()
        self.resize(self.sizeHint().expandedTo(self.minimumSizeHint()))
        # Where typing starts: the date is today and the kind a visit unless changed.
        self.organisations.setFocus() if engagement_id is None else self.summary.setFocus()
        # The lists (and the engagement being edited) are read on the pool.
        if engagement_id is None:
            self.load_choices_later([self.boroughs, self.networks, self.objectives])
        else:
            self.load_existing_later(self.summary.setFocus)

    def _chain(self) -> None:
        self.chain_tab_order(
            [
                self.occurred_on, self.kind,
                *(p.edit for p in (self.organisations, self.people, self.boroughs, self.networks)),
                *self.objectives.boxes.values(),
                self.summary, self.outcome, self.people_reached, self.follow_up_on, self.follow_up_done,
                self.is_notable,
            ]
        )  # fmt: skip

    # -- layout ------------------------------------------------------------------
    def _build_fields(self) -> None:
        form = QFormLayout()
        self.occurred_on = DateField(self, default_today=True, accessible_name="Date")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of engagement")
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.organisations = MultiPicker(
            self, accessible_name="Organisations", placeholder="Type an organisation…"
        )
        self.people = MultiPicker(
            self, accessible_name="People", placeholder="Type a person's name…"
        )
        self.boroughs = MultiPicker(
            self, accessible_name="Boroughs", placeholder="Filled in from the organisations"
        )
        self.networks = MultiPicker(
            self, accessible_name="Networks", placeholder="Filled in from the organisations"
        )
        self.summary = _text_box("Summary", 3)
        self.outcome = _text_box("Outcome", 2)
        self.people_reached = QSpinBox(self)
        self.people_reached.setRange(0, 1_000_000)
        self.people_reached.setAccessibleName("People reached")
        self.follow_up_on = DateField(self, accessible_name="Follow-up date")
        self.follow_up_done = QCheckBox("Done", self)
        self.follow_up_done.setAccessibleName("Follow-up done")
        self.is_notable = QCheckBox("Notable: flag for the next PRG agenda", self)
        self.is_notable.setAccessibleName("Notable")
        for narrow in (self.occurred_on, self.follow_up_on, self.kind, self.people_reached):
            narrow.setMaximumWidth(220)
        rows = [
            ("&Date", "occurred_on", self.occurred_on),
            ("&Kind", "kind", self.kind),
            ("&Organisations", "organisation_ids", self.organisations),
            ("&People", "person_ids", self.people),
            ("&Boroughs", "borough_ids", self.boroughs),
            ("Net&works", "network_ids", self.networks),
        ]
        for label, name, widget in rows:
            self._add_row(form, label, name, widget)
        form.addRow("Ob&jectives\n(Alt+1…8)", self._objectives_box())
        form.labelForField(self.objectives).setBuddy(self.objectives)
        for label, name, widget in [
            ("S&ummary", "summary", self.summary),
            ("Ou&tcome", "outcome", self.outcome),
            ("People &reached", "people_reached", self.people_reached),
            ("&Follow-up on", "follow_up_on", self._follow_up_row()),
        ]:
            self._add_row(form, label, name, widget)
        form.addRow("", self.is_notable)
        self.body.addLayout(form)
        self._watch_all()

    def _add_row(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        box, error = with_error(widget, self)
        self.errors[name] = error
        form.addRow(label, box)
        target = widget
        while target.focusProxy() is not None:  # a label's mnemonic needs the real field
            target = target.focusProxy()
        form.labelForField(box).setBuddy(target)

    def _follow_up_row(self) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.follow_up_on)
        layout.addWidget(self.follow_up_done)
        layout.addStretch(1)
        row.setFocusProxy(self.follow_up_on)
        return row

    def _objectives_box(self) -> ObjectivesBox:
        """The eight objectives: one Tab stop, toggled by their number (Alt+1…8 anywhere).

        Empty until ``show_choices`` brings them from the pool.
        """
        self.objectives = ObjectivesBox([], self)
        self.objectives.setToolTip("Toggle an objective by its number: Alt+1 … Alt+8")
        self.objective_boxes = self.objectives.boxes
        self.watch("objective_ids", self.objectives.changed)
        return self.objectives

    def _build_buttons(self) -> None:
        self.delete_button = self.add_footer_button(
            "&Delete…", "Delete engagement", self.delete, left=True
        )
        self.another_button = self.add_footer_button(
            "Save and log &another", "Save and log another", self.save_and_another
        )
        self.another_button.setToolTip("Save, keep the date, and start the next one (Ctrl+Shift+S)")
        QShortcut(QKeySequence("Ctrl+Shift+S"), self).activated.connect(self.save_and_another)
        self.delete_button.setVisible(self.engagement_id is not None)
        self.another_button.setVisible(self.engagement_id is None)
        self.follow_up_done.setVisible(self.engagement_id is not None)

    def _set_searches(self) -> None:
        """The pickers that search as the user types (on the pool, ``MultiPicker``)."""
        from ui.models.loader import Loader
        from vru_crm.services import pickers

        self.organisations.set_search(
            lambda text: pickers.suggest(self.database, "organisation", text)
        )
        self.people.set_search(lambda text: pickers.suggest(self.database, "person", text))
        self._context_loader = Loader(self)
        self._context_loader.loaded.connect(self._context_arrived)
        self._context_loader.failed.connect(self._context_failed)
        self._context_pending = False

    def read_choices(self) -> object:
        """On the pool: the objectives, boroughs and networks the form offers."""
        from vru_crm.services import pickers, reference

        return (
            [(o.id, o.number, o.title) for o in reference.list_objectives(self.database)],
            [(b.id, b.name) for b in reference.list_boroughs(self.database)],
            list(pickers.all_choices(self.database, "network")),
        )

    def show_choices(self, choices) -> None:
        objectives, boroughs, networks = choices
        self.objectives.set_objectives(objectives)
        self.objectives.install_shortcuts(self)
        self._chain()
        self.boroughs.set_items(boroughs)
        self.networks.set_items(networks)

    def _watch_all(self) -> None:
        self.watch("occurred_on", self.occurred_on.changed)
        self.watch("kind", self.kind.currentIndexChanged)
        self.watch("organisation_ids", self.organisations.changed)
        self.organisations.changed.connect(self._infer_from_organisations)
        self.watch("person_ids", self.people.changed)
        self.watch("borough_ids", self.boroughs.changed)
        self.watch("network_ids", self.networks.changed)
        self.watch("summary", self.summary.textChanged)
        self.watch("outcome", self.outcome.textChanged)
        self.watch("people_reached", self.people_reached.valueChanged)
        self.watch("follow_up_on", self.follow_up_on.changed)
        self.watch("follow_up_done", self.follow_up_done.toggled)
        self.watch("is_notable", self.is_notable.toggled)

    # -- boroughs and networks from the organisations ---------------------------------
    def _infer_from_organisations(self) -> None:
        """Add the chosen organisations' boroughs and networks; drop ones added for an
        organisation no longer chosen. What the user added or removed by hand stays so."""
        from vru_crm.services import engagements

        if not self._context_pending:
            self._context_pending = True
            self.begin_read()  # Save waits: the boroughs are part of what is saved
        self._context_loader.load(
            engagements.organisation_context, self.database, self.organisations.selected_ids()
        )

    def _context_done(self) -> None:
        if self._context_pending:
            self._context_pending = False
            self.end_read()

    def _context_arrived(self, context) -> None:
        boroughs, networks = context
        self._auto_boroughs = _sync(self.boroughs, self._auto_boroughs, set(boroughs))
        self._auto_networks = _sync(self.networks, self._auto_networks, set(networks))
        self._context_done()

    def _context_failed(self, message: str, _error: object = None) -> None:
        self.banner.show_message(
            f"The boroughs and networks of these organisations could not be read: {message} "
            "Add them by hand if needed."
        )
        self._context_done()

    # -- values --------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        return {
            "occurred_on": self.occurred_on.text(),
            "kind": self.kind.currentData(),
            "organisation_ids": tuple(self.organisations.selected()),
            "person_ids": tuple(self.people.selected()),
            "borough_ids": tuple(self.boroughs.selected()),
            "network_ids": tuple(self.networks.selected()),
            "objective_ids": tuple(i for i, box in self.objective_boxes.items() if box.isChecked()),
            "summary": self.summary.toPlainText(),
            "outcome": self.outcome.toPlainText(),
            "people_reached": self.people_reached.value(),
            "follow_up_on": self.follow_up_on.text(),
            "follow_up_done": self.follow_up_done.isChecked(),
            "is_notable": self.is_notable.isChecked(),
        }

    def fill(self, values: dict[str, object]) -> None:
        self.occurred_on.edit.setText(str(values["occurred_on"]))
        self.kind.setCurrentIndex(max(0, self.kind.findData(values["kind"])))
        self.organisations.set_selected(values["organisation_ids"])  # type: ignore[arg-type]
        self._context_loader.cancel()  # the values say the boroughs: no late answer adds to them
        self._context_done()
        self.people.set_selected(values["person_ids"])  # type: ignore[arg-type]
        self.boroughs.set_selected(values["borough_ids"])  # type: ignore[arg-type]
        self.networks.set_selected(values["network_ids"])  # type: ignore[arg-type]
        self._auto_boroughs, self._auto_networks = set(), set()
        for objective_id, box in self.objective_boxes.items():
            box.setChecked(objective_id in values["objective_ids"])  # type: ignore[operator]
        self.summary.setPlainText(str(values["summary"]))
        self.outcome.setPlainText(str(values["outcome"]))
        self.people_reached.setValue(int(values["people_reached"]))  # type: ignore[call-overload]
        self.follow_up_on.edit.setText(str(values["follow_up_on"]))
        self.follow_up_done.setChecked(bool(values["follow_up_done"]))
        self.is_notable.setChecked(bool(values["is_notable"]))

    def read_record(self) -> object:
        """On the pool: the engagement, with the names of what it links to."""
        from vru_crm.services import engagements, pickers

        record = engagements.get_engagement(self.database, self.engagement_id)  # type: ignore[arg-type]
        names = {
            kind: tuple(pickers.names(self.database, kind, list(ids)))
            for kind, ids in (
                ("organisation", record.organisation_ids),
                ("person", record.person_ids),
                ("network", record.network_ids),
            )
        }
        return record, names

    def record_values(self, answer) -> dict[str, object]:
        from ui.dialogs.widgets.date_field import format_date

        record, names = answer
        self.version = record.version
        boroughs = dict(self.boroughs.items())  # the list shown with the choices
        return {
            "occurred_on": format_date(record.occurred_on),
            "kind": record.kind,
            "organisation_ids": names["organisation"],
            "person_ids": names["person"],
            "borough_ids": tuple((i, boroughs[i]) for i in record.borough_ids if i in boroughs),
            "network_ids": names["network"],
            "objective_ids": tuple(record.objective_ids),
            "summary": record.summary,
            "outcome": record.outcome,
            "people_reached": record.people_reached,
            "follow_up_on": format_date(record.follow_up_on),
            "follow_up_done": record.follow_up_done,
            "is_notable": record.is_notable,
        }

    def engagement_input(self):
        from vru_crm.services.engagements import EngagementInput

        return EngagementInput(
            kind=self.kind.currentData(),
            occurred_on=self.occurred_on.value(),
            organisation_ids=self.organisations.selected_ids(),
            person_ids=self.people.selected_ids(),
            borough_ids=self.boroughs.selected_ids(),
            network_ids=self.networks.selected_ids(),
            objective_ids=[i for i, box in self.objective_boxes.items() if box.isChecked()],
            summary=self.summary.toPlainText(),
            outcome=self.outcome.toPlainText(),
            people_reached=self.people_reached.value(),
            follow_up_on=self.follow_up_on.value(),
            follow_up_done=self.follow_up_done.isChecked(),
            is_notable=self.is_notable.isChecked(),
        )

    def problems(self) -> dict[str, str]:
        from vru_crm.services.engagements import engagement_problems

        found = {name: field.problem() for name, field in self._date_fields() if field.problem()}
        if not self.occurred_on.text().strip():
            found["occurred_on"] = "the date is required (type t for today)"
        for name, problem in engagement_problems(self.engagement_input()).items():
            found.setdefault(name, problem)
        return found

    def _date_fields(self):
        return [("occurred_on", self.occurred_on), ("follow_up_on", self.follow_up_on)]

    # -- saving --------------------------------------------------------------------
    def save_record(self) -> None:
        self._save(self.accept)

    def _save(self, then: Callable[[], None]) -> None:
        """The create or update (and the undo's copy from before) on the pool; ``then`` after."""
        data = self.engagement_input()
        database, record_id, version = self.database, self.engagement_id, self.version
        self.run_save(
            lambda: _write_engagement(database, record_id, data, version),
            lambda answer: self._written(data, answer, then),
        )

    def _written(self, data, answer, then: Callable[[], None]) -> None:
        from ui import undo

        record, before = answer
        label = _short(data.summary)
        if before is None:
            undo.push_created(self.database, "engagement", record.id, record.version, label)
        else:
            undo.push_edited(
                self.database, "engagement", record.id, before, data, record.version, label
            )
        self.version = record.version
        self.saved_ids.append(record.id)
        data_events().changed.emit("engagement", record.id)
        then()

    def save_and_another(self) -> None:
        """Save, then clear everything but the date for the next engagement."""
        if self.engagement_id is not None or not self.another_button.isEnabled():
            return
        if self.saving or self.save_when_read(self.save_and_another):
            return
        self._save_attempted = True
        if not self.revalidate():
            self._focus_first_problem()
            return
        self.banner.clear()
        self._save(self._next_engagement)

    def _next_engagement(self) -> None:
        """Saved: a blank form for the next one, keeping the date."""
        kept_date = self.occurred_on.text()
        blank = dict.fromkeys(self.values(), "")
        blank.update(
            kind=self.kind.currentData(), people_reached=0, follow_up_done=False, is_notable=False,
            organisation_ids=(), person_ids=(), borough_ids=(), network_ids=(), objective_ids=(),
        )  # fmt: skip
        blank["occurred_on"] = kept_date
        self.fill(blank)
        self.mark_loaded()
        count = len(self.saved_ids)
        self.banner.show_message(
            f"Saved. {count} engagement{'s' if count > 1 else ''} logged; here is the next."
        )
        self.organisations.setFocus()

    def revalidate(self) -> bool:
        ok = super().revalidate()
        self.another_button.setEnabled(ok)
        return ok

    def delete(self) -> None:
        if self.engagement_id is None:
            return
        answer = ask(
            self,
            "Delete engagement",
            "Delete this engagement? You can undo this with Ctrl+Z.",
            ["Delete", "Cancel"],
            default=1,
        )
        if answer != "Delete":
            return
        self.delete_on_pool(
            "engagement", self.engagement_id, _short(self.summary.toPlainText()), self.version
        )


def _sync(picker: MultiPicker, auto: set[int], wanted: set[int]) -> set[int]:
    """Make the automatically added items of ``picker`` follow ``wanted``; return the new auto set."""
    chosen = set(picker.selected_ids())
    for stale in auto - wanted:
        picker.remove(stale)
    added = set()
    labels = dict(picker.items())
    for item_id in sorted(wanted - chosen):
        if item_id in labels:
            picker.add(item_id, labels[item_id])
            added.add(item_id)
    return (auto & wanted) | added


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return f"“{text[: limit - 1]}…”" if len(text) > limit else f"“{text}”"


def _write_engagement(database, record_id: int | None, data, version: int | None):
    """On the pool: create, or read the engagement as it was (for undo) and update it."""
    from vru_crm.services import engagements, form_inputs

    if record_id is None:
        return engagements.create_engagement(database, data), None
    before = form_inputs.engagement_input(engagements.get_engagement(database, record_id))
    return engagements.update_engagement(database, record_id, data, version), before  # type: ignore[arg-type]
