"""Create or edit a person, with their affiliations to organisations.

Young people get an age band and never a date of birth: the form has no field
for one, and the band is required once "young person" is ticked.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QWidget

from ui.dialogs.base import RecordFormDialog
from ui.dialogs.organisation_dialog import line, notes_box
from ui.dialogs.widgets.affiliations import AffiliationsEditor
from ui.dialogs.widgets.error_label import with_error
from ui.events import data_events


class PersonDialog(RecordFormDialog):
    """New person (``person_id`` None) or an existing one."""

    kind = "person"
    noun = "person"
    field_labels = {"full_name": "full name", "age_band": "age band"}

    def __init__(
        self, database, parent: QWidget | None = None, person_id: int | None = None
    ) -> None:
        super().__init__(database, parent)
        self.open_record(person_id, "full_name")

    def _build(self) -> None:
        from db.enums import AGE_BAND_LABELS
        from vru_crm.services import pickers

        self.full_name = line("Full name", "e.g. Amina Yusuf")
        self.job_title = line("Job title")
        self.email = line("E-mail", "name@example.org")
        self.phone = line("Phone", "020 7983 4000")
        from ui.team.status import contact_note

        hidden = contact_note(self.database)
        if hidden:  # written, never read, below the data protection role
            for box in (self.email, self.phone):
                box.setPlaceholderText(f"{hidden}; typing here replaces them")
        self.borough = QComboBox()
        self.borough.setAccessibleName("Borough")
        self.borough.addItem("(not known)", None)
        self.is_young_person = QCheckBox("Yes, age band:")
        self.is_young_person.setAccessibleName("Young person")
        self.is_young_person.setToolTip(
            "Young people are recorded with an age band, never a date of birth."
        )
        self.age_band = QComboBox()
        self.age_band.setAccessibleName("Age band")
        self.age_band.addItem("(none)", None)
        for code, label in AGE_BAND_LABELS.items():
            self.age_band.addItem(label, code)
        self.affiliations = AffiliationsEditor(self)
        self.affiliations.set_search(
            lambda text: pickers.suggest(self.database, "organisation", text)
        )
        self.notes = notes_box()
        young = QWidget(self)
        row = QHBoxLayout(young)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.is_young_person)
        row.addWidget(self.age_band)
        row.addStretch(1)
        young.setFocusProxy(self.is_young_person)
        form = QFormLayout()
        for label, name, widget, buddy in [
            ("&Full name", "full_name", self.full_name, self.full_name),
            ("&Job title", "job_title", self.job_title, self.job_title),
            ("E-&mail", "email", self.email, self.email),
            ("&Phone", "phone", self.phone, self.phone),
            ("&Borough", "borough", self.borough, self.borough),
            ("&Young person", "age_band", young, self.is_young_person),
            ("&Affiliations", "affiliations", self.affiliations, self.affiliations.adder.edit),
            ("N&otes", "notes", self.notes, self.notes),
        ]:
            box, error = with_error(widget, self)
            self.errors[name] = error
            form.addRow(label, box)
            form.labelForField(box).setBuddy(buddy)
        self.body.addLayout(form)
        for name, signal in [
            ("full_name", self.full_name.textChanged),
            ("job_title", self.job_title.textChanged),
            ("email", self.email.textChanged),
            ("phone", self.phone.textChanged),
            ("borough", self.borough.currentIndexChanged),
            ("age_band", self.is_young_person.toggled),
            ("age_band", self.age_band.currentIndexChanged),
            ("affiliations", self.affiliations.changed),
            ("notes", self.notes.textChanged),
        ]:
            self.watch(name, signal)
        self.is_young_person.toggled.connect(self.age_band.setEnabled)
        self.age_band.setEnabled(False)
        self.delete_button = self.add_footer_button(
            "&Delete…", "Delete person", self.delete, left=True
        )
        self.delete_button.setVisible(self.record_id is not None)
        self.chain_tab_order(
            [
                self.full_name, self.job_title, self.email, self.phone, self.borough,
                self.is_young_person, self.age_band, *self.affiliations.focus_chain(), self.notes,
            ]
        )  # fmt: skip

    # -- values --------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        return {
            "full_name": self.full_name.text(),
            "job_title": self.job_title.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "borough": self.borough.currentData(),
            "is_young_person": self.is_young_person.isChecked(),
            "age_band": self.age_band.currentData(),
            "affiliations": self.affiliations.values(),
            "notes": self.notes.toPlainText(),
        }

    def fill(self, values: dict[str, object]) -> None:
        self.full_name.setText(str(values["full_name"]))
        self.job_title.setText(str(values["job_title"]))
        self.email.setText(str(values["email"]))
        self.phone.setText(str(values["phone"]))
        self.borough.setCurrentIndex(max(0, self.borough.findData(values["borough"])))
        self.is_young_person.setChecked(bool(values["is_young_person"]))
        self.age_band.setCurrentIndex(max(0, self.age_band.findData(values["age_band"])))
        if values["affiliations"] != self.affiliations.values():
            self.affiliations.set_values(values["affiliations"])  # type: ignore[arg-type]
        self.notes.setPlainText(str(values["notes"]))

    def read_choices(self):
        from vru_crm.services import reference

        return reference.list_boroughs(self.database)

    def choice_widgets(self) -> list[QWidget]:
        return [self.borough]

    def show_choices(self, choices) -> None:
        for b in choices:
            self.borough.addItem(b.name, b.id)

    def read_record(self):
        from vru_crm.services import people

        return people.get_person(self.database, self.record_id)  # type: ignore[arg-type]

    def record_values(self, record) -> dict[str, object]:
        from ui.dialogs.widgets.date_field import format_date
        from vru_crm.services import affiliations

        self.version = record.version
        affiliations = tuple(
            (
                a.organisation_id,
                a.organisation_name,
                a.role or "",
                format_date(a.start_date),
                format_date(a.end_date),
                a.id,
            )
            for a in affiliations.affiliation_rows(record)
        )
        return {
            "full_name": record.full_name,
            "job_title": record.job_title or "",
            "email": record.email or "",
            "phone": record.phone or "",
            "borough": record.borough_id,
            "is_young_person": record.is_young_person,
            "age_band": record.age_band,
            "affiliations": affiliations,
            "notes": record.notes,
        }

    def person_input(self):
        from vru_crm.services.people import PersonInput

        young = self.is_young_person.isChecked()
        return PersonInput(
            full_name=self.full_name.text(),
            job_title=self.job_title.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            borough_id=self.borough.currentData(),
            is_young_person=young,
            age_band=self.age_band.currentData() if young else None,
            notes=self.notes.toPlainText(),
        )

    def problems(self) -> dict[str, str]:
        from vru_crm.services.people import person_problems

        found = {k: p for k, p in person_problems(self.person_input()).items() if p}
        if self.affiliations.problem():
            found["affiliations"] = self.affiliations.problem()
        return found

    # -- saving --------------------------------------------------------------------
    def save_record(self) -> None:
        """Check for duplicates on the pool, ask here if there are any, then save on the pool."""
        from vru_crm.services import people

        data, rows = self.person_input(), self.affiliations.rows()
        if not self._identity_changed():
            self._write(data, rows)
            return
        database, record_id = self.database, self.record_id
        self.run_save(
            lambda: people.find_duplicate_people(database, data, exclude_id=record_id),
            lambda matches: self._checked_duplicates(data, rows, matches),
            "Checking for possible duplicates…",
        )

    def _checked_duplicates(self, data, rows, matches) -> None:
        if self.proceed_despite_duplicates(matches):
            self._write(data, rows)

    def _write(self, data, rows) -> None:
        """The save with affiliations, and the undo's copy of the person before it, on the pool."""
        database, record_id, version = self.database, self.record_id, self.version
        self.run_save(
            lambda: _write_person(database, record_id, data, version, rows),
            lambda answer: self._written(data, rows, answer),
        )

    def _written(self, data, rows, answer) -> None:
        from ui import undo

        record, before = answer
        self.record_id, self.version = record.id, record.version
        if before is None:
            undo.push_created(self.database, self.kind, record.id, record.version, record.full_name)
        else:
            undo.push_edited(
                self.database,
                self.kind,
                record.id,
                before,
                (data, rows),
                record.version,
                record.full_name,
            )
        data_events().changed.emit(self.kind, record.id)
        self.accept()

    def _identity_changed(self) -> bool:
        if self.record_id is None:
            return True
        now, loaded = self.values(), self._loaded_values
        return any(now[k] != loaded.get(k) for k in ("full_name", "email", "borough"))

    def delete(self) -> None:
        self.delete_record(f"“{self.full_name.text()}”", self.version)


def _write_person(database, record_id: int | None, data, version: int | None, rows):
    """On the pool: create, or read the person as they were (for undo) and save them."""
    from vru_crm.services import affiliations, form_inputs, people

    if record_id is None:
        return affiliations.save_person(database, None, data, None, rows), None
    old = people.get_person(database, record_id)
    before = (form_inputs.person_input(old), affiliations.affiliation_rows(old))
    return affiliations.save_person(database, record_id, data, version, rows), before
