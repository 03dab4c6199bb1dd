"""Create or edit an organisation: every field of the record, checked as you type."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from ui.dialogs.base import RecordFormDialog
from ui.dialogs.widgets.error_label import with_error
from ui.dialogs.widgets.picker import MultiPicker
from ui.events import data_events


def line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def notes_box(name: str = "Notes") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 12)
    return box


class OrganisationDialog(RecordFormDialog):
    """New organisation (``organisation_id`` None) or an existing one."""

    kind = "organisation"
    noun = "organisation"
    field_labels = {"name": "name", "sector": "sector", "boroughs": "boroughs"}

    def __init__(
        self, database, parent: QWidget | None = None, organisation_id: int | None = None
    ) -> None:
        super().__init__(database, parent)
        self.open_record(organisation_id, "name")

    def _build(self) -> None:
        self.name = line("Name", "e.g. Hackney CVS")
        self.sector = QComboBox()
        self.sector.setAccessibleName("Sector")
        self.sector.addItem("Choose a sector…", "")
        self.boroughs = MultiPicker(self, accessible_name="Boroughs", placeholder="Type a borough…")
        self.website = line("Website", "https://example.org")
        self.email = line("E-mail", "name@example.org")
        self.phone = line("Phone", "020 7983 4000")
        self.tags = MultiPicker(
            self, accessible_name="Tags", placeholder="Type a tag, Enter to add", allow_new=True
        )
        self.is_priority = QCheckBox("A priority partner for the VRU")
        self.is_priority.setAccessibleName("Priority partner")
        self.notes = notes_box()
        form = QFormLayout()
        for label, name, widget in [
            ("&Name", "name", self.name),
            ("S&ector", "sector", self.sector),
            ("&Boroughs", "boroughs", self.boroughs),
            ("&Website", "website", self.website),
            ("E-&mail", "email", self.email),
            ("&Phone", "phone", self.phone),
            ("&Tags", "tags", self.tags),
            ("", "is_priority", self.is_priority),
            ("N&otes", "notes", self.notes),
        ]:
            box, error = with_error(widget, self)
            self.errors[name] = error
            form.addRow(label, box)
            if label:
                form.labelForField(box).setBuddy(widget)
        self.body.addLayout(form)
        for name, signal in [
            ("name", self.name.textChanged),
            ("sector", self.sector.currentIndexChanged),
            ("boroughs", self.boroughs.changed),
            ("website", self.website.textChanged),
            ("email", self.email.textChanged),
            ("phone", self.phone.textChanged),
            ("tags", self.tags.changed),
            ("is_priority", self.is_priority.toggled),
            ("notes", self.notes.textChanged),
        ]:
            self.watch(name, signal)
        self.delete_button = self.add_footer_button(
            "&Delete…", "Delete organisation", self.delete, left=True
        )
        self.assess_button = self.add_footer_button(
            "&Assess…", "Add a stakeholder assessment", self.assess
        )
        for button in (self.delete_button, self.assess_button):
            button.setVisible(self.record_id is not None)
        self.chain_tab_order(
            [
                self.name, self.sector, self.boroughs.edit, self.website, self.email, self.phone,
                self.tags.edit, self.is_priority, self.notes,
            ]
        )  # fmt: skip

    # -- values --------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "sector": self.sector.currentData(),
            "boroughs": tuple(self.boroughs.selected()),
            "website": self.website.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "tags": tuple(self.tags.labels()),
            "is_priority": self.is_priority.isChecked(),
            "notes": self.notes.toPlainText(),
        }

    def fill(self, values: dict[str, object]) -> None:
        self.name.setText(str(values["name"]))
        self.sector.setCurrentIndex(max(0, self.sector.findData(values["sector"])))
        self.boroughs.set_selected(values["boroughs"])  # type: ignore[arg-type]
        self.website.setText(str(values["website"]))
        self.email.setText(str(values["email"]))
        self.phone.setText(str(values["phone"]))
        known = {label.casefold(): tag_id for tag_id, label in self.tags.items()}
        self.tags.set_selected((known.get(t.casefold()), t) for t in values["tags"])  # type: ignore[attr-defined,union-attr]
        self.is_priority.setChecked(bool(values["is_priority"]))
        self.notes.setPlainText(str(values["notes"]))

    def read_choices(self):
        from vru_crm.services import pickers, reference

        return (
            reference.list_sectors(self.database),
            reference.list_boroughs(self.database),
            pickers.all_choices(self.database, "tag"),
        )

    def choice_widgets(self) -> list[QWidget]:
        return [self.sector, self.boroughs, self.tags]

    def show_choices(self, choices) -> None:
        sectors, boroughs, tags = choices
        for sector in sectors:
            self.sector.addItem(sector.label, sector.code)
        self.boroughs.set_items((b.id, b.name) for b in boroughs)
        self.tags.set_items(tags)

    def read_record(self):
        from vru_crm.services import organisations

        return organisations.get_organisation(self.database, self.record_id)  # type: ignore[arg-type]

    def record_values(self, record) -> dict[str, object]:
        self.version = record.version
        return {
            "name": record.name,
            "sector": record.sector,
            "boroughs": tuple(zip(record.borough_ids, record.borough_names, strict=True)),
            "website": record.website or "",
            "email": record.email or "",
            "phone": record.phone or "",
            "tags": tuple(record.tags),
            "is_priority": record.is_priority,
            "notes": record.notes,
        }

    def organisation_input(self):
        from vru_crm.services.organisations import OrganisationInput

        return OrganisationInput(
            name=self.name.text(),
            sector=self.sector.currentData() or "",
            borough_ids=self.boroughs.selected_ids(),
            website=self.website.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            notes=self.notes.toPlainText(),
            tags=self.tags.labels(),
            is_priority=self.is_priority.isChecked(),
        )

    def problems(self) -> dict[str, str]:
        from vru_crm.services.organisations import organisation_problems

        return organisation_problems(self.organisation_input())

    # -- saving --------------------------------------------------------------------
    def save_record(self) -> None:
        """Check for duplicates on the pool, ask here if there are any, then save on the pool."""
        from vru_crm.services import organisations

        data = self.organisation_input()
        if not self._identity_changed():
            self._write(data)
            return
        database, record_id = self.database, self.record_id
        self.run_save(
            lambda: organisations.find_duplicate_organisations(
                database, data, exclude_id=record_id
            ),
            lambda matches: self._checked_duplicates(data, matches),
            "Checking for possible duplicates…",
        )

    def _checked_duplicates(self, data, matches) -> None:
        if self.proceed_despite_duplicates(matches):
            self._write(data)

    def _write(self, data) -> None:
        """The create or update, and the undo's copy of the record before it, on the pool."""
        database, record_id, version = self.database, self.record_id, self.version
        self.run_save(
            lambda: _write_organisation(database, record_id, data, version),
            lambda answer: self._written(data, answer),
        )

    def _written(self, data, answer) -> None:
        from ui import undo

        record, before = answer
        if before is None:
            undo.push_created(self.database, self.kind, record.id, record.version, record.name)
        else:
            undo.push_edited(
                self.database, self.kind, record.id, before, data, record.version, record.name
            )
        self.record_id, self.version = record.id, record.version
        data_events().changed.emit(self.kind, record.id)
        self.accept()

    def _identity_changed(self) -> bool:
        """Check for duplicates on create, or when the name, e-mail or boroughs changed."""
        if self.record_id is None:
            return True
        now, loaded = self.values(), self._loaded_values
        return any(now[k] != loaded.get(k) for k in ("name", "email", "boroughs"))

    def delete(self) -> None:
        self.delete_record(f"“{self.name.text()}”", self.version)

    def assess(self) -> None:
        from ui.dialogs.assessment_dialog import AssessmentDialog

        AssessmentDialog(self.database, self.record_id, self).exec()  # type: ignore[arg-type]


def _write_organisation(database, record_id: int | None, data, version: int | None):
    """On the pool: create, or read the record as it was (for undo) and update it."""
    from vru_crm.services import form_inputs, organisations

    if record_id is None:
        return organisations.create_organisation(database, data), None
    before = form_inputs.organisation_input(organisations.get_organisation(database, record_id))
    return organisations.update_organisation(database, record_id, data, version), before  # type: ignore[arg-type]
