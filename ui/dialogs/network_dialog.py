"""Create, edit or archive a network: its names, cadence in words, quorum and standing items.

The cadence is typed as a committee says it ("quarterly, second Tuesday, 10:00
to 12:00") and read back live under the field, so the user sees what will be
stored before saving; a rule the app cannot use is explained there instead.
Every save is one step on the undo stack: a create, or an edit of the network
and of its standing items together (one Ctrl+Z puts both back).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.base import FormDialog, ask
from ui.dialogs.organisation_dialog import line, notes_box
from ui.dialogs.widgets.error_label import InlineError, with_error
from ui.dialogs.widgets.standing_items import ItemRow, StandingItemsEditor
from ui.events import data_events
from ui.style import format_date, muted

# Service field names that belong to a form field under another name.
FIELD_OF = {"cadence_rrule": "cadence", "meeting_minutes": "cadence"}
NETWORK_FIELDS = (
    "name",
    "short_name",
    "kind",
    "description",
    "cadence",
    "cadence_tolerance_days",
    "minutes_publication_days",
    "quorum",
)


def _spin(name: str, maximum: int, none_text: str = "", suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setAccessibleName(name)
    spin.setRange(0, maximum)
    if none_text:
        spin.setSpecialValueText(none_text)
    spin.setSuffix(suffix)
    spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("no set time, 365 days") + 40)
    spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return spin


class NetworkDialog(FormDialog):
    """New network (``network_id`` None) or an existing one; Archive when editing."""

    kind = "network"
    field_labels = {
        "name": "name",
        "short_name": "short name",
        "cadence": "cadence",
        "standing_items": "standing items",
    }

    def __init__(self, database, network_id: int | None = None, parent: QWidget | None = None):
        super().__init__(database, parent)
        self.record_id = network_id
        self.version: int | None = None
        self.archived_on = None
        self._meeting_minutes: int | None = None
        self.setWindowTitle("Edit network" if network_id else "New network")
        self._build()
        self._show_archive_state()
        self.mark_loaded()
        self._show_understood()
        self.resize(720, self.sizeHint().height())
        self.name.setFocus()
        if network_id is not None:
            self.load_existing_later(self._network_shown)

    def _network_shown(self) -> None:
        """The stored network is in the form: its name, archive state and cadence read back."""
        self.setWindowTitle(f"Network: {self.name.text()}")
        self._show_archive_state()
        self.mark_loaded()
        self._show_understood()
        self.name.setFocus()

    # -- the form --------------------------------------------------------------------
    def _build(self) -> None:
        from vru_crm.queries.networks import NETWORK_KIND_LABELS

        self.name = line("Name", "e.g. Partnership Reference Group")
        self.short_name = line("Short name", "e.g. PRG")
        self.short_name.setMaxLength(20)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Kind")
        for code, label in NETWORK_KIND_LABELS.items():
            self.kind_combo.addItem(label, str(code))
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData("network")))
        self.description = notes_box("Description")
        self.cadence = line("Cadence", "e.g. quarterly, second Tuesday, 10:00 to 12:00")
        self.cadence.setToolTip(
            "How often it meets, in words: “monthly, last Thursday”, “every six weeks on "
            "Wednesday”, “quarterly, second Tuesday, 10:00 to 12:00”; or an RRULE."
        )
        self.understood = muted("", self)
        self.understood.setWordWrap(True)
        self.understood.setAccessibleName("Cadence understood as")
        self.tolerance = _spin("Tolerance", 90, suffix=" days")
        self.tolerance.setValue(14)
        self.tolerance.setToolTip("How many days a meeting may fall from its expected date.")
        self.publish_within = _spin("Publish minutes within", 365, "no set time", " days")
        self.quorum = _spin("Quorum", 500, "no quorum", " present")
        self.standing = StandingItemsEditor(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, name, widget in [
            ("&Name", "name", self.name),
            ("S&hort name", "short_name", self.short_name),
            ("&Kind", "kind", self.kind_combo),
            ("&Description", "description", self.description),
        ]:
            self._add_row(form, label, name, widget)
        cadence_box = QWidget(self)
        box = QVBoxLayout(cadence_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.cadence)
        box.addWidget(self.understood)
        self.errors["cadence"] = InlineError(self.cadence, cadence_box)
        box.addWidget(self.errors["cadence"])
        cadence_box.setFocusProxy(self.cadence)
        form.addRow("&Cadence", cadence_box)
        form.labelForField(cadence_box).setBuddy(self.cadence)
        for label, name, widget in [
            ("T&olerance", "cadence_tolerance_days", self.tolerance),
            ("&Publish minutes within", "minutes_publication_days", self.publish_within),
            ("&Quorum", "quorum", self.quorum),
            ("Standing &items", "standing_items", self.standing),
        ]:
            self._add_row(form, label, name, widget)
        self.body.addLayout(form)
        for name, signal in [
            ("name", self.name.textChanged),
            ("short_name", self.short_name.textChanged),
            ("kind", self.kind_combo.currentIndexChanged),
            ("description", self.description.textChanged),
            ("cadence", self.cadence.textChanged),
            ("cadence_tolerance_days", self.tolerance.valueChanged),
            ("minutes_publication_days", self.publish_within.valueChanged),
            ("quorum", self.quorum.valueChanged),
            ("standing_items", self.standing.changed),
        ]:
            self.watch(name, signal)
        self.cadence.textChanged.connect(self._show_understood)
        self.archive_button = self.add_footer_button(
            "Archi&ve network…", "Archive network", self.archive, left=True
        )
        self.chain_tab_order(
            [
                self.name,
                self.short_name,
                self.kind_combo,
                self.description,
                self.cadence,
                self.tolerance,
                self.publish_within,
                self.quorum,
                *self.standing.focus_chain(),
            ]
        )

    def _add_row(self, form: QFormLayout, label: str, name: str, widget: QWidget) -> None:
        box, error = with_error(widget, self)
        self.errors[name] = error
        form.addRow(label, box)
        form.labelForField(box).setBuddy(widget)

    def _show_archive_state(self) -> None:
        self.archive_button.setVisible(self.record_id is not None)
        if self.archived_on is not None:
            self.archive_button.setText("Unarchi&ve network…")
            self.archive_button.setAccessibleName("Unarchive network")
            self.banner.show_message(
                f"This network was archived on {format_date(self.archived_on)}: it is kept as "
                "history and left out of lists and pickers."
            )

    # -- the cadence read back ----------------------------------------------------------
    def parsed_cadence(self):
        """The cadence typed as a ParsedCadence (None when empty); ValueError in words."""
        from vru_crm.governance.rule_words import parse_cadence

        text = self.cadence.text().strip()
        return parse_cadence(text) if text else None

    def _show_understood(self) -> None:
        from vru_crm.governance.rule_words import describe_cadence

        try:
            parsed = self.parsed_cadence()
        except ValueError as error:
            self.understood.setText(f"Not understood: {error}")
            return
        if parsed is None:
            self.understood.setText("No set cadence: the network meets when it decides to.")
            return
        words = describe_cadence(parsed.rrule, parsed.meeting_minutes)
        self.understood.setText(f"Understood as: {words[:1].upper()}{words[1:]}.")

    # -- values ----------------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "short_name": self.short_name.text(),
            "kind": self.kind_combo.currentData(),
            "description": self.description.toPlainText(),
            "cadence": self.cadence.text(),
            "cadence_tolerance_days": self.tolerance.value(),
            "minutes_publication_days": self.publish_within.value(),
            "quorum": self.quorum.value(),
            "standing_items": tuple(
                (r.title, r.presenter, r.minutes, r.kind) for r in self.standing.rows()
            ),
        }

    def fill(self, values: dict[str, object]) -> None:
        self.name.setText(str(values["name"]))
        self.short_name.setText(str(values["short_name"]))
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(values["kind"])))
        self.description.setPlainText(str(values["description"]))
        self.cadence.setText(str(values["cadence"]))
        self.tolerance.setValue(int(values["cadence_tolerance_days"]))  # type: ignore[call-overload]
        self.publish_within.setValue(int(values["minutes_publication_days"]))  # type: ignore[call-overload]
        self.quorum.setValue(int(values["quorum"]))  # type: ignore[call-overload]
        self.standing.set_rows([ItemRow(*row) for row in values["standing_items"]])  # type: ignore[attr-defined]

    def read_record(self):
        from vru_crm.governance import agenda_items, networks

        record = networks.get_network(self.database, self.record_id)  # type: ignore[arg-type]
        return record, agenda_items.standing_items(self.database, self.record_id)  # type: ignore[arg-type]

    def record_values(self, answer) -> dict[str, object]:
        from vru_crm.governance.rule_words import describe_cadence

        record, items = answer
        self.version, self.archived_on = record.version, record.archived_on
        self._meeting_minutes = record.meeting_minutes
        words = describe_cadence(record.cadence_rrule, record.meeting_minutes)
        if not record.cadence_rrule:
            words = ""
        elif words.startswith("custom rule"):
            words = record.cadence_rrule
        return {
            "name": record.name,
            "short_name": record.short_name or "",
            "kind": record.kind,
            "description": record.description or "",
            "cadence": words,
            "cadence_tolerance_days": record.cadence_tolerance_days,
            "minutes_publication_days": record.minutes_publication_days or 0,
            "quorum": record.quorum or 0,
            "standing_items": tuple(
                (i.title, i.presenter or "", i.minutes_allotted, i.kind) for i in items
            ),
        }

    def network_input(self):
        from vru_crm.governance.networks import NetworkInput

        minutes = self._meeting_minutes
        try:
            parsed = self.parsed_cadence()
            if parsed is not None and parsed.meeting_minutes:
                minutes = parsed.meeting_minutes
        except ValueError:
            pass
        return NetworkInput(
            name=self.name.text(),
            short_name=self.short_name.text().strip() or None,
            kind=self.kind_combo.currentData() or "network",
            description=self.description.toPlainText(),
            cadence=self.cadence.text().strip() or None,
            cadence_tolerance_days=self.tolerance.value(),
            minutes_publication_days=self.publish_within.value() or None,
            quorum=self.quorum.value() or None,
            meeting_minutes=minutes,
        )

    def standing_rows(self):
        from vru_crm.governance.agenda_items import StandingRow

        return [
            StandingRow(r.title.strip(), r.presenter.strip() or None, r.minutes, r.kind)
            for r in self.standing.rows()
        ]

    def problems(self) -> dict[str, str]:
        from vru_crm.governance.agenda_items import clean, item_problems
        from vru_crm.governance.networks import network_problems

        problems = self._own_fields(network_problems(self.network_input()))
        if "cadence" not in problems:
            try:
                self.parsed_cadence()
            except ValueError as error:
                problems["cadence"] = str(error)
        for n, row in enumerate(self.standing_rows(), start=1):
            found = item_problems(clean(vars(row)))
            if found:
                problems.setdefault("standing_items", f"item {n}: {'; '.join(found.values())}")
        return problems

    @staticmethod
    def _own_fields(fields: dict[str, str]) -> dict[str, str]:
        """Service field names as this form's fields (an item's problem goes to the list)."""
        mine: dict[str, str] = {}
        for name, problem in fields.items():
            if name.startswith("item "):
                mine.setdefault("standing_items", f"{name}: {problem}")
            else:
                mine.setdefault(FIELD_OF.get(name, name), problem)
        return mine

    def show_field_problems(self, fields: dict[str, str]) -> None:
        super().show_field_problems(self._own_fields(fields))

    # -- saving --------------------------------------------------------------------------
    def save_record(self) -> None:
        if self.record_id is None:
            self._create()
        else:
            self._update()
        self.accept()

    def _create(self) -> None:
        from ui import undo
        from vru_crm.governance import agenda_items, networks

        record = networks.create_network(self.database, self.network_input())
        self.record_id, self.version = record.id, record.version  # Save again edits it
        undo.push_created(self.database, "network", record.id, record.version, record.name)
        data_events().changed.emit("network", record.id)
        rows = self.standing_rows()
        if rows:
            try:
                agenda_items.set_standing_items(self.database, record.id, rows)
            except Exception:
                self._became_existing(record)
                raise

    def _became_existing(self, record) -> None:
        self.record_id, self.version = record.id, record.version
        self.setWindowTitle(f"Network: {record.name}")
        self._show_archive_state()

    def _update(self) -> None:
        from ui import undo
        from vru_crm.governance import agenda_items, networks
        from vru_crm.services import records

        network_id = self.record_id
        assert network_id is not None
        now, loaded = self.values(), self._loaded_values
        label = self.name.text().strip()
        pushes: list[Callable[[], None]] = []
        if any(now[k] != loaded.get(k) for k in NETWORK_FIELDS):
            before = records.row_values(self.database, "network", network_id)
            record = networks.update_network(
                self.database,
                network_id,
                self.network_input(),
                self.version,  # type: ignore[arg-type]
            )
            self.version, label = record.version, record.name
            after = records.row_values(self.database, "network", network_id)
            pushes.append(
                lambda: undo.push_edited(
                    self.database, "network", network_id, before, after, record.version, label
                )
            )
        if now["standing_items"] != loaded.get("standing_items"):
            old = agenda_items.standing_items(self.database, network_id)
            new = self.standing_rows()
            agenda_items.set_standing_items(self.database, network_id, new)
            pushes.append(lambda: push_standing_items(self.database, network_id, old, new, label))
        push_together(pushes, f"Edit network {label}")
        data_events().changed.emit("network", network_id)

    # -- archiving -----------------------------------------------------------------------
    def archive(self) -> None:
        if self.record_id is None:
            return
        if archive_with_undo(self.database, self.record_id, self, self.is_dirty()):
            super(FormDialog, self).accept()


def push_standing_items(database, network_id: int, old: list, new: list, label: str) -> None:
    """An undo step that puts a network's standing items back to ``old`` (redo: ``new``)."""
    from ui import undo
    from vru_crm.governance import agenda_items

    def put(rows: list) -> None:
        agenda_items.set_standing_items(database, network_id, rows)
        data_events().changed.emit("network", network_id)

    undo.push_step(f"Standing items of {label}", lambda: put(old), lambda: put(new))


def push_together(pushes: list[Callable[[], None]], text: str) -> None:
    """Record steps already done as one undo step (a macro when there are several)."""
    from ui.undo import undo_stack

    stack = undo_stack()
    if len(pushes) > 1:
        stack.beginMacro(text)
    for push in pushes:
        push()
    if len(pushes) > 1:
        stack.endMacro()


def archive_with_undo(database, network_id: int, parent: QWidget | None, unsaved: bool) -> bool:
    """Ask, then archive (or bring back) the network as of today; undoable. True if done."""
    from ui import undo
    from ui.workers import describe_error
    from vru_crm.governance import networks
    from vru_crm.london import today_in_london

    try:
        record = networks.get_network(database, network_id)
    except Exception as error:
        _warn(parent, "Could not archive", describe_error(error))
        return False
    archived = record.archived_on is not None
    verb = "Unarchive" if archived else "Archive"
    text = (
        f"Bring “{record.name}” back from the archive, into the lists and pickers?"
        if archived
        else f"Archive “{record.name}”? Its members, meetings and figures are kept as "
        "history; it leaves the lists, pickers and the cadence report. "
        "You can undo this with Ctrl+Z."
    )
    if unsaved:
        text += "\n\nThe changes typed in this form are not saved."
    if ask(parent, f"{verb} network", text, [verb, "Cancel"], default=1) != verb:
        return False

    def archive() -> None:
        networks.archive_network(database, network_id, today_in_london())
        data_events().changed.emit("network", network_id)

    def unarchive() -> None:
        networks.unarchive_network(database, network_id)
        data_events().changed.emit("network", network_id)

    try:
        if archived:
            unarchive()
        else:
            networks.archive_network(database, network_id, today_in_london(), record.version)
            data_events().changed.emit("network", network_id)
    except Exception as error:
        _warn(parent, f"Could not {verb.lower()}", describe_error(error))
        return False
    if archived:
        undo.push_step(f"Unarchive network {record.name}", archive, unarchive)
    else:
        undo.push_step(f"Archive network {record.name}", unarchive, archive)
    return True


def _warn(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, text)
