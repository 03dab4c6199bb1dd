"""A dated stakeholder assessment of an organisation: influence, interest, support (1-5).

Each save adds a row; earlier ones stay, and the history below the form shows
them newest first with arrows where a score moved, so a change over time shows.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from ui.dialogs.base import FormDialog
from ui.dialogs.organisation_dialog import notes_box
from ui.dialogs.widgets.date_field import DateField, format_date
from ui.dialogs.widgets.error_label import with_error
from ui.events import data_events
from ui.models.rows_model import TableRow, read_only_table

SCALES = {
    "influence": "How much can they shape violence reduction locally?",
    "interest": "How much do they care about the VRU's work?",
    "support": "How far do they back the VRU?",
}


class _Scale(QWidget):
    """Five radio buttons, 1 (low) to 5 (high); arrow keys move between them."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("low", self))
        for value in range(1, 6):
            button = QRadioButton(str(value), self)
            button.setAccessibleName(f"{name} {value} of 5")
            self.group.addButton(button, value)
            layout.addWidget(button)
        layout.addWidget(QLabel("high", self))
        layout.addStretch(1)
        self.setFocusProxy(self.group.button(1))

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return checked if checked > 0 else None


class AssessmentDialog(FormDialog):
    field_labels = {"influence": "influence", "interest": "interest", "support": "support"}

    def __init__(self, database, organisation_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.organisation_id = organisation_id
        self._build()
        self._load_history()
        self.mark_loaded()
        self.resize(640, self.sizeHint().height())

    def _build(self) -> None:
        from vru_crm.services import organisations

        try:
            name = organisations.get_organisation(self.database, self.organisation_id).name
        except Exception as error:  # deleted meanwhile, database busy: say so, do not raise
            from ui.workers import describe_error

            self.banner.show_message(
                f"This organisation cannot be assessed: {describe_error(error)}"
            )
            self._unusable = True
            name = "?"
        self.setWindowTitle(f"Stakeholder assessment: {name}")
        self.assessed_on = DateField(self, default_today=True, accessible_name="Assessed on")
        self.assessed_on.setMaximumWidth(220)
        self.scales = {key: _Scale(key.capitalize(), self) for key in SCALES}
        self.assessed_by = QLineEdit(self.database.username, self)
        self.assessed_by.setAccessibleName("Assessed by")
        self.notes = notes_box()
        form = QFormLayout()
        rows = [("&Date", "assessed_on", self.assessed_on)]
        rows += [(f"&{key.capitalize()}", key, scale) for key, scale in self.scales.items()]
        rows += [("Assessed &by", "assessed_by", self.assessed_by), ("N&otes", "notes", self.notes)]
        for label, name, widget in rows:
            box, error = with_error(widget, self)
            self.errors[name] = error
            form.addRow(label, box)
            form.labelForField(box).setBuddy(widget.focusProxy() or widget)
            if name in SCALES:
                form.labelForField(box).setToolTip(SCALES[name])
                widget.setToolTip(SCALES[name])
        self.body.addLayout(form)
        self.history = read_only_table(
            ["Date", "Influence", "Interest", "Support", "By", "Notes"], self
        )
        self.history.setAccessibleName("Earlier assessments")
        self.history.setTabKeyNavigation(False)
        self.history.model().loaded.connect(lambda _rows: self.history.resizeColumnsToContents())
        self.body.addWidget(QLabel("History (newest first)", self))
        self.body.addWidget(self.history)
        self.watch("assessed_on", self.assessed_on.changed)
        for key, scale in self.scales.items():
            self.watch(key, scale.group.idClicked)
        self.watch("assessed_by", self.assessed_by.textChanged)
        self.watch("notes", self.notes.textChanged)

    def _load_history(self) -> None:
        """Read the earlier assessments on the thread pool; they show when they arrive."""
        if self._unusable:
            return
        self.history.model().load(_history_rows, self.database, self.organisation_id)

    def values(self) -> dict[str, object]:
        found: dict[str, object] = {key: scale.value() for key, scale in self.scales.items()}
        found.update(
            assessed_on=self.assessed_on.text(),
            assessed_by=self.assessed_by.text(),
            notes=self.notes.toPlainText(),
        )
        return found

    def problems(self) -> dict[str, str]:
        found = {
            k: f"choose the {k} from 1 (low) to 5 (high)"
            for k, s in self.scales.items()
            if s.value() is None
        }
        if self.assessed_on.problem():
            found["assessed_on"] = self.assessed_on.problem()
        elif self.assessed_on.value() is None:
            found["assessed_on"] = "the date is required (type t for today)"
        if len(self.assessed_by.text().strip()) > 80:
            found["assessed_by"] = "the name is too long (at most 80 characters)"
        return found

    def save_record(self) -> None:
        from vru_crm.services.organisations import AssessmentInput, add_assessment

        database = self.database
        data = AssessmentInput(
            organisation_id=self.organisation_id,
            assessed_on=self.assessed_on.value(),
            assessed_by=self.assessed_by.text().strip() or None,
            notes=self.notes.toPlainText().strip(),
            **{key: scale.value() for key, scale in self.scales.items()},  # type: ignore[arg-type]
        )
        self.run_save(lambda: add_assessment(database, data), self._added)

    def _added(self, _row: object) -> None:
        data_events().changed.emit("organisation", self.organisation_id)
        self.accept()


def _with_trend(value: int, earlier: int | None) -> str:
    if earlier is None or earlier == value:
        return str(value)
    return f"{value} {'↑' if value > earlier else '↓'}"


def _history_rows(database, organisation_id: int) -> list[TableRow]:
    """Runs on the pool: the assessments, newest first, each score with its change since the last."""
    from vru_crm.services import organisations

    rows = organisations.assessment_history(database, organisation_id)
    shown = []
    for r, row in enumerate(rows):
        earlier = rows[r + 1] if r + 1 < len(rows) else None
        cells = [format_date(row.assessed_on)]
        for key in SCALES:
            cells.append(_with_trend(getattr(row, key), getattr(earlier, key) if earlier else None))
        cells += [row.assessed_by or "", row.notes]
        shown.append(TableRow(cells, row.id))
    return shown
