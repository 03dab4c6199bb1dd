"""One person's data protection record: lawful basis, contact preferences, review date, consents.

Meant to sit in the person form or the person page (``ConsentPanel(database, person_id)``).
A young person's record opens with the safeguarding notice, and for an under-13
the panel only offers consent given by a parent or carer.

The record is read on the thread pool (``ui.models.loader.Loader``): the form and
the table stay disabled until it arrives, so nothing the user types is
overwritten by a record that arrives late; ``loaded`` fires when it is shown.
Saving and withdrawing run on the pool too (``ui.workers.Job``), the change and the
record read back in one trip; the panel is held meanwhile, and a refusal is said in
words with what the user chose still on screen (``failed``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.dialogs.widgets.date_field import DateField
from ui.events import data_events
from ui.models.loader import Loader
from ui.models.rows_model import fill, read_only_table, selected_id
from ui.protection.common import Notice, set_error_colour
from ui.protection.consent_dialog import ConsentDialog
from ui.style import format_date
from ui.team.rights import guard
from ui.workers import Job
from vru_crm.london import today_in_london
from vru_crm.protection import vocab
from vru_crm.protection.consent import (
    ProtectionInput,
    ProtectionRecord,
    get_protection,
    save_protection,
    withdraw_consent,
)
from vru_crm.reliability.readonly import is_read_only

CONSENT_COLUMNS = ["What for", "Channel", "Given by", "Given on", "How", "Status"]


class ConsentPanel(QWidget):
    """Shows and edits ``person_id``'s protection record; ``saved`` after each change."""

    saved = Signal()
    loaded = Signal(object)  # the ProtectionRecord, once shown
    failed = Signal(str)  # a save or a withdrawal refused, in the words shown

    def __init__(self, database: Database, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._person_id = person_id
        self._record: ProtectionRecord | None = None
        self._job: Job | None = None  # a save or a withdrawal on its way
        self._loader = Loader(self)
        self._loader.loaded.connect(self._show)
        self._loader.failed.connect(self._failed)
        self._loader.busy_changed.connect(self._set_busy)
        self.notice = Notice(kind="safeguarding", parent=self)
        self.warnings = Notice(kind="warning", parent=self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.warnings)
        self._boxes = (self._basis_box(), self._consent_box())
        layout.addWidget(self._boxes[0])
        layout.addWidget(self._boxes[1], 1)
        self._apply_read_only()
        buttons = (self.save_button, self.add_button, self.withdraw_button)
        guard(database, [(b, "consent") for b in buttons])
        self.reload()

    # -- building ----------------------------------------------------------------
    def _basis_box(self) -> QGroupBox:
        box = QGroupBox("Why we hold their data, and how they may be contacted", self)
        self.basis = QComboBox(box)
        self.basis.setAccessibleName("Lawful basis")
        self.basis.addItem("Not recorded", None)
        for code, label in vocab.LAWFUL_BASES.items():
            self.basis.addItem(label, code)
        self.basis_note = QLineEdit(box)
        self.basis_note.setAccessibleName("Note on the lawful basis")
        self.basis_note.setPlaceholderText("e.g. partner contact for PRG business")
        self.review_on = DateField(box, accessible_name="Review date")
        self.no_email = QCheckBox("No e-mail", box)
        self.no_phone = QCheckBox("No phone", box)
        self.no_post = QCheckBox("No post", box)
        prefs = QHBoxLayout()
        for check in (self.no_email, self.no_phone, self.no_post):
            prefs.addWidget(check)
        prefs.addStretch(1)
        self.save_button = QPushButton("&Save", box)
        self.save_button.clicked.connect(self.save)
        self.message = QLabel(box)
        self.message.setWordWrap(True)
        form = QFormLayout(box)
        form.addRow("&Lawful basis:", self.basis)
        form.addRow("Note:", self.basis_note)
        form.addRow("Contact preferences:", prefs)
        form.addRow("&Review by:", self.review_on)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        form.addRow(row)
        return box

    def _consent_box(self) -> QGroupBox:
        box = QGroupBox("Consent", self)
        self.table = read_only_table(CONSENT_COLUMNS, box)
        self.table.setAccessibleName("Consent records")
        self.add_button = QPushButton("&Add consent…", box)
        self.add_button.clicked.connect(self.add_consent)
        self.withdraw_button = QPushButton("&Withdraw", box)
        self.withdraw_button.setToolTip("Record that the selected consent was withdrawn today")
        self.withdraw_button.clicked.connect(self.withdraw)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.withdraw_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        return box

    def _apply_read_only(self) -> None:
        if is_read_only(self._database):
            reason = getattr(self._database, "message", "The database is open read-only.")
            for button in (self.save_button, self.add_button, self.withdraw_button):
                button.setEnabled(False)
                button.setToolTip(reason)

    # -- showing -----------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """True while the record is on its way (the form is disabled meanwhile)."""
        return self._loader.busy

    @property
    def working(self) -> bool:
        """A read, a save or a withdrawal is on its way (the panel is held meanwhile)."""
        return self._loader.busy or self._job is not None

    def reload(self) -> None:
        """Read the record again on the thread pool; it is shown when it arrives."""
        self._loader.load(get_protection, self._database, self._person_id)

    def _set_busy(self, _busy: bool = True) -> None:
        """No typing into a form that a late answer would overwrite."""
        for box in self._boxes:
            box.setEnabled(not self.working)

    def _failed(self, message: str, _error: object) -> None:
        self._say(message, error=True)  # in words; the panel stays usable

    def _show(self, record: ProtectionRecord) -> None:
        self._record = record
        self.notice.show_text(record.safeguarding_notice or "")
        self.warnings.show_text("\n".join(record.warnings))
        self.basis.setCurrentIndex(max(0, self.basis.findData(record.lawful_basis)))
        self.basis_note.setText(record.lawful_basis_note)
        self.review_on.set_value(record.review_on)
        self.no_email.setChecked(record.no_email)
        self.no_phone.setChecked(record.no_phone)
        self.no_post.setChecked(record.no_post)
        today = today_in_london()
        fill(
            self.table,
            [
                (
                    vocab.label(vocab.PURPOSES, c.purpose),
                    vocab.label(vocab.CHANNELS, c.channel),
                    c.given_by_text,
                    f"{format_date(c.given_on)}",
                    vocab.label(vocab.METHODS, c.method),
                    "active"
                    if c.is_active(today)
                    else (
                        f"withdrawn {format_date(c.withdrawn_on)}" if c.withdrawn_on else "not yet"
                    ),
                )
                for c in record.consents
            ],
            [c.id for c in record.consents],
        )
        self.loaded.emit(record)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        if error:
            set_error_colour(self.message)
        else:
            self.message.setStyleSheet("")

    # -- changing ----------------------------------------------------------------
    def save(self) -> None:
        problem = self.review_on.problem()
        if problem:
            self._say(f"Review date: {problem}", error=True)
            return
        data = ProtectionInput(
            lawful_basis=self.basis.currentData(),
            lawful_basis_note=self.basis_note.text(),
            no_email=self.no_email.isChecked(),
            no_phone=self.no_phone.isChecked(),
            no_post=self.no_post.isChecked(),
            review_on=self.review_on.value(),
        )
        version = self._record.version if self._record else None
        self._change("Saved.", _save_and_read, self._person_id, data, version)

    def _change(self, done: str, work, *args, busy: str = "Saving…") -> None:
        """Run a change on the pool; show the record it reads back, or say why it was refused."""
        if self._job is not None:
            return
        self._say(busy)
        self._job = Job(work, self._database, *args, pass_context=False)
        self._job.finished.connect(lambda record: self._change_done(record, done))
        self._job.failed.connect(self._change_refused)
        self._set_busy()
        self._job.start()

    def _change_done(self, record: ProtectionRecord, text: str) -> None:
        self._job = None
        self._set_busy()
        self._show(record)
        self._say(text)
        data_events().changed.emit("person", self._person_id)
        self.saved.emit()

    def _change_refused(self, message: str, _error: object = None) -> None:
        self._job = None
        self._set_busy()
        self._say(message, error=True)
        self.failed.emit(message)

    def add_consent(self) -> None:
        if self._record is None:
            return
        dialog = ConsentDialog(self._database, self._person_id, self._record, self)
        if dialog.exec():
            self._changed("Consent recorded.")

    def withdraw(self) -> None:
        consent_id = selected_id(self.table)
        if consent_id is None:
            self._say("Choose the consent that was withdrawn first.", error=True)
            return
        self._change(
            "Consent marked withdrawn today.",
            _withdraw_and_read,
            self._person_id,
            int(consent_id),
            busy="Recording the withdrawal…",
        )

    def _changed(self, text: str) -> None:
        self.reload()
        self._say(text)
        data_events().changed.emit("person", self._person_id)
        self.saved.emit()


def _save_and_read(
    database: Database, person_id: int, data: ProtectionInput, version: int | None
) -> ProtectionRecord:
    """On the pool: save the record (refused if it changed since ``version``), read it back."""
    save_protection(database, person_id, data, version)
    return get_protection(database, person_id)


def _withdraw_and_read(database: Database, person_id: int, consent_id: int) -> ProtectionRecord:
    """On the pool: mark the consent withdrawn today, then read the record back."""
    withdraw_consent(database, consent_id)
    return get_protection(database, person_id)
