"""Recording one consent: what for, which channel, given by whom, when and how.

For a young person under 13 (or of unknown age) only "a parent or carer" can be
chosen, and their name and relationship are required; the form says why. The
consent is saved on the thread pool: the form is held ("Saving…") until it is,
then closes; a refusal is said in words with everything typed still there.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.dialogs.widgets.date_field import DateField
from ui.protection.common import Notice, set_error_colour
from ui.workers import Job
from vru_crm.errors import ValidationError
from vru_crm.protection import vocab
from vru_crm.protection.consent import (
    ConsentInput,
    ProtectionRecord,
    consent_problems,
    record_consent,
)


def _combo(vocabulary: dict[str, str], name: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    for code, label in vocabulary.items():
        combo.addItem(label, code)
    return combo


class ConsentDialog(QDialog):
    def __init__(
        self,
        database: Database,
        person_id: int,
        record: ProtectionRecord,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record consent")
        self._database = database
        self._person_id = person_id
        self._record = record
        self.purpose = _combo(vocab.PURPOSES, "What the consent is for", self)
        self.channel = _combo(vocab.CHANNELS, "Channel", self)
        self.given_by = _combo(vocab.GIVEN_BY, "Given by", self)
        self.given_by.currentIndexChanged.connect(self._given_by_changed)
        self.parent_name = QLineEdit(self)
        self.parent_name.setAccessibleName("Parent or carer's name")
        self.relationship = QLineEdit(self)
        self.relationship.setAccessibleName("Relationship to the young person")
        self.relationship.setPlaceholderText("e.g. mother, foster carer, guardian")
        self.given_on = DateField(self, default_today=True, accessible_name="Date given")
        self.method = _combo(vocab.METHODS, "How it was given", self)
        self.notes = QLineEdit(self)
        self.notes.setAccessibleName("Notes")
        self.errors = QLabel(self)
        self.errors.setWordWrap(True)
        set_error_colour(self.errors)
        self._job: Job | None = None  # the save on its way
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons = buttons
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&What for:", self.purpose)
        form.addRow("&Channel:", self.channel)
        form.addRow("Given &by:", self.given_by)
        form.addRow("Parent or carer's &name:", self.parent_name)
        form.addRow("&Relationship:", self.relationship)
        form.addRow("Given &on:", self.given_on)
        form.addRow("&How:", self.method)
        form.addRow("Notes:", self.notes)
        layout = QVBoxLayout(self)
        if record.needs_parental_consent:
            layout.addWidget(
                Notice(
                    "Under 13, or age not recorded: consent must come from a parent or carer. "
                    "Record who gave it and their relationship.",
                    "safeguarding",
                    self,
                )
            )
            self.given_by.setCurrentIndex(self.given_by.findData("parent_carer"))
            self.given_by.setEnabled(False)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self._given_by_changed()

    def _given_by_changed(self) -> None:
        parent = self.given_by.currentData() == "parent_carer"
        self.parent_name.setEnabled(parent)
        self.relationship.setEnabled(parent)

    def data(self) -> ConsentInput:
        return ConsentInput(
            purpose=self.purpose.currentData(),
            given_on=self.given_on.value(),
            channel=self.channel.currentData(),
            given_by=self.given_by.currentData(),
            given_by_name=self.parent_name.text(),
            given_by_relationship=self.relationship.text(),
            method=self.method.currentData(),
            notes=self.notes.text(),
        )

    def _save(self) -> None:
        data = self.data()
        problems = consent_problems(data, self._record.is_young_person, self._record.age_band)
        if self.given_on.problem():
            problems["given_on"] = self.given_on.problem()
        if problems:
            self._show(problems)
            return
        if self._job is not None:
            return
        self.errors.setStyleSheet("")  # a word on progress, not an error
        self.errors.setText("Saving…")
        self._hold(True)
        self._job = Job(record_consent, self._database, self._person_id, data, pass_context=False)
        self._job.finished.connect(self._saved)
        self._job.failed.connect(self._refused)
        self._job.start()

    @property
    def saving(self) -> bool:
        return self._job is not None

    def _hold(self, saving: bool) -> None:
        """Nothing can be changed, nor saved twice, while the consent is on its way."""
        fields = (self.purpose, self.channel, self.given_by, self.parent_name, self.relationship)
        for widget in (*fields, self.given_on, self.method, self.notes, self.buttons):
            widget.setEnabled(not saving)
        if not saving:
            self.given_by.setEnabled(not self._record.needs_parental_consent)
            self._given_by_changed()

    def _saved(self, _consent: object) -> None:
        self._job = None
        self._hold(False)
        self.errors.clear()
        self.accept()

    def _refused(self, message: str, error: object = None) -> None:
        self._job = None
        self._hold(False)
        set_error_colour(self.errors)
        if isinstance(error, ValidationError):
            self._show(error.fields)
        else:
            self.errors.setText(message)

    def _show(self, problems: dict[str, str]) -> None:
        labels = {
            "given_by_name": "Parent or carer's name",
            "given_by_relationship": "Relationship",
            "given_on": "Given on",
            "given_by": "Given by",
        }
        self.errors.setText(
            "\n".join(
                f"{labels.get(k, k.replace('_', ' ').capitalize())}: {p}"
                for k, p in problems.items()
            )
        )
