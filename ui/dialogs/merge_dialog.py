"""Join two records of the same organisation or person, side by side.

For each field the user picks which value wins (the kept record's by default,
the other's where the kept one is blank; notes are joined). Below, what moves:
the other record's affiliations, memberships, engagements, attendance and
assessments, counted. Every link of both is kept (the merge service moves
them); Ctrl+Z undoes the whole merge.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.enums import AGE_BAND_LABELS, SECTOR_LABELS
from ui.dialogs.base import Banner

# field -> label, per kind. Links (boroughs, tags, affiliations...) are always joined.
FIELDS = {
    "organisation": [
        ("name", "Name"), ("sector", "Sector"), ("website", "Website"), ("email", "E-mail"),
        ("phone", "Phone"), ("is_priority", "Priority partner"), ("notes", "Notes"),
    ],
    "person": [
        ("full_name", "Full name"), ("job_title", "Job title"), ("email", "E-mail"), ("phone", "Phone"),
        ("borough_id", "Borough"), ("is_young_person", "Young person"), ("age_band", "Age band"),
        ("notes", "Notes"),
    ],
}  # fmt: skip
KEEP, OTHER, BOTH = 0, 1, 2


class MergeDialog(QDialog):
    def __init__(
        self, database, kind: str, keep_id: int, other_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if kind not in FIELDS:
            raise ValueError(f"cannot merge {kind!r}")
        self.database, self.kind = database, kind
        self.keep_id, self.other_id = keep_id, other_id
        self.result_of_merge = None
        self.setWindowTitle(f"Merge two {'organisations' if kind == 'organisation' else 'people'}")
        self.banner = Banner(self)
        self.grid_host = QWidget(self)
        self.moves = QLabel(self)
        self.moves.setWordWrap(True)
        self.moves.setAccessibleName("What moves")
        buttons = QDialogButtonBox(self)
        self.swap_button = buttons.addButton(
            "S&wap which is kept", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.swap_button.clicked.connect(self.swap)
        self.merge_button = buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.merge)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.grid_host)
        layout.addWidget(self.moves)
        layout.addWidget(buttons)
        self._load()

    # -- loading -------------------------------------------------------------------
    def _records(self):
        from vru_crm.services import organisations, people

        get = organisations.get_organisation if self.kind == "organisation" else people.get_person
        return get(self.database, self.keep_id), get(self.database, self.other_id)

    def _load(self) -> None:
        from vru_crm.services import snapshots

        try:
            self.keep, self.other = self._records()
        except Exception as error:
            from ui.workers import describe_error

            self.banner.show_message(describe_error(error))
            self.merge_button.setEnabled(False)
            return
        self._build_grid()
        self.kept_links = snapshots.snapshot(self.database, self.kind, self.keep_id)
        self.moved_links = snapshots.snapshot(self.database, self.kind, self.other_id)
        self.moves.setText(self._moves_text())
        self.merge_button.setText(f"&Merge into “{self._name(self.keep)}”")

    def _name(self, record) -> str:
        return record.name if self.kind == "organisation" else record.full_name

    def _shown(self, record, field: str) -> str:
        value = getattr(record, field)
        if field == "borough_id":
            return record.borough_name or ""
        if field == "sector":
            return SECTOR_LABELS.get(value, value)
        if field == "age_band":
            return AGE_BAND_LABELS.get(value, "") if value else ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return "" if value is None else str(value)

    def _build_grid(self) -> None:
        old = self.grid_host.layout()
        if old is not None:
            QWidget().setLayout(old)  # re-parent the old layout so it is deleted
        grid = QGridLayout(self.grid_host)
        grid.addWidget(_bold("Field"), 0, 0)
        grid.addWidget(_bold(f"Kept: {self._name(self.keep)}"), 0, 1)
        grid.addWidget(_bold(f"Merged into it: {self._name(self.other)}"), 0, 2)
        self.choices: dict[str, QButtonGroup] = {}
        for row, (field, label) in enumerate(FIELDS[self.kind], start=1):
            grid.addWidget(QLabel(label, self.grid_host), row, 0)
            group = QButtonGroup(self.grid_host)
            mine, theirs = self._shown(self.keep, field), self._shown(self.other, field)
            for column, (side, text) in enumerate(((KEEP, mine), (OTHER, theirs)), start=1):
                button = QRadioButton(_clip(text) or "(blank)", self.grid_host)
                button.setAccessibleName(f"{label}: use “{text or 'blank'}”")
                button.setToolTip(text)
                group.addButton(button, side)
                grid.addWidget(button, row, column)
            if field == "notes":
                both = QRadioButton("both, joined", self.grid_host)
                both.setAccessibleName("Notes: keep both, joined")
                group.addButton(both, BOTH)
                grid.addWidget(both, row, 3)
            default = BOTH if field == "notes" else (OTHER if not mine and theirs else KEEP)
            group.button(default).setChecked(True)
            if mine == theirs:
                group.button(OTHER).setEnabled(False)
            self.choices[field] = group
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

    def _moves_text(self) -> str:
        moved, kept = self.moved_links.describe(), self.kept_links.describe()
        return (
            f"<b>What moves</b> from “{self._name(self.other)}” to “{self._name(self.keep)}”: {moved}, "
            f"with their dates.<br>“{self._name(self.keep)}” keeps its own: {kept}.<br>"
            f"“{self._name(self.other)}” is then removed. Links both already had are kept once. "
            "Ctrl+Z undoes the merge."
        )

    # -- the result ----------------------------------------------------------------
    def chosen_values(self):
        """The kept record's fields as the user chose them, as the service's input."""
        from vru_crm.services import form_inputs

        to_input = (
            form_inputs.organisation_input
            if self.kind == "organisation"
            else form_inputs.person_input
        )
        values = to_input(self.keep)
        other = to_input(self.other)
        for field, group in self.choices.items():
            choice = group.checkedId()
            if choice == OTHER:
                setattr(values, field, getattr(other, field))
            elif choice == BOTH:
                parts = [p for p in (values.notes.strip(), other.notes.strip()) if p]
                values.notes = "\n\n".join(dict.fromkeys(parts))
        return values

    def swap(self) -> None:
        self.keep_id, self.other_id = self.other_id, self.keep_id
        self._load()

    def merge(self) -> None:
        from ui import undo

        label = f"“{self._name(self.other)}” into “{self._name(self.keep)}”"
        try:
            self.result_of_merge = undo.merge_with_undo(
                self.database, self.kind, self.keep_id, self.other_id, self.chosen_values(), label
            )
        except Exception as error:  # stays open with the choices made
            from ui.workers import describe_error

            self.banner.show_message(f"Not merged: {describe_error(error)}")
            return
        self.accept()


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
