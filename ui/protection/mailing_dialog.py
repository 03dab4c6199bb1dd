"""Newsletter and network circulation lists, with only the people whose consent allows them.

The list is built in a worker thread; the dialog then shows who is on it and,
as plainly, how many were left out and why, before it is saved as CSV or vCard.
Young people are left out unless "Include young people" is ticked.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.dialogs.widgets.picker import MultiPicker
from ui.dialogs.widgets.progress_panel import ProgressPanel
from ui.models.loader import Loader
from ui.models.rows_model import fill, read_only_table
from ui.protection.common import set_error_colour
from ui.workers import Job, describe_error
from vru_crm.protection import mailing


def _build(_context, database: Database, request: mailing.ListRequest) -> mailing.MailingList:
    return mailing.build_list(database, request)


class MailingListDialog(QDialog):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mailing list")
        self.resize(820, 640)
        self._database = database
        self._result: mailing.MailingList | None = None
        self._job: Job | None = None
        self._sector_codes: list[object] = []
        self.newsletter = QRadioButton("The &newsletter", self)
        self.circulation = QRadioButton("A network's &circulation list", self)
        self.newsletter.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.newsletter)
        group.addButton(self.circulation)
        self.networks = self._picker("Networks", [])
        self.sectors = self._picker("Sectors", [])
        self.boroughs = self._picker("Boroughs", [])
        self._choices = Loader(self)  # the pickers' networks and boroughs, read on the pool
        self._choices.loaded.connect(self._choices_arrived)
        self._choices.failed.connect(lambda message, _error: self.summary.setText(message))
        self._choices.load(mailing.filter_choices, database)
        self.channel = QComboBox(self)
        self.channel.setAccessibleName("Channel")
        for code, label in (("email", "E-mail"), ("phone", "Phone")):
            self.channel.addItem(label, code)
        self.young = QCheckBox("Include &young people whose consent allows it", self)
        self.young.setToolTip(
            "Left out unless ticked. A young person under 13 is included only with a parent "
            "or carer's consent."
        )
        self.build_button = QPushButton("&Build the list", self)
        self.build_button.clicked.connect(self.build)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.reasons = read_only_table(["How many", "Left out because"], self)
        self.reasons.setAccessibleName("Why people were left out")
        self.people = read_only_table(["Name", "Address", "Organisation"], self)
        self.people.setAccessibleName("People on the list")
        self.csv_button = QPushButton("Save as &CSV…", self)
        self.vcf_button = QPushButton("Save as &vCard…", self)
        self.csv_button.clicked.connect(lambda: self.choose_file(".csv"))
        self.vcf_button.clicked.connect(lambda: self.choose_file(".vcf"))
        self.progress = ProgressPanel(self)
        self._layout()
        self._enable_saving(False)

    def _choices_arrived(self, choices: dict[str, list[tuple[object, str]]]) -> None:
        """Give the pickers their items; anything already chosen stays chosen."""
        self._sector_codes = [code for code, _ in choices["sector"]]
        self.networks.set_items(choices["network"])
        self.sectors.set_items([(i, label) for i, (_c, label) in enumerate(choices["sector"])])
        self.boroughs.set_items(choices["borough"])

    def _picker(self, name: str, items) -> MultiPicker:
        picker = MultiPicker(
            self, accessible_name=name, placeholder=f"Any — type to choose {name.lower()}"
        )
        picker.set_items(items)
        return picker

    def _layout(self) -> None:
        form = QFormLayout()
        purpose = QHBoxLayout()
        purpose.addWidget(self.newsletter)
        purpose.addWidget(self.circulation)
        purpose.addStretch(1)
        form.addRow("List:", purpose)
        form.addRow("&Networks:", self.networks)
        form.addRow("&Sectors:", self.sectors)
        form.addRow("&Boroughs:", self.boroughs)
        form.addRow("C&hannel:", self.channel)
        form.addRow("", self.young)
        tables = QSplitter(self)
        tables.addWidget(self.people)
        tables.addWidget(self.reasons)
        tables.setStretchFactor(0, 3)
        tables.setStretchFactor(1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.build_button)
        buttons.addStretch(1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.vcf_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(tables, 1)
        layout.addWidget(self.progress)
        layout.addWidget(close)

    def request(self) -> mailing.ListRequest:
        return mailing.ListRequest(
            purpose="network" if self.circulation.isChecked() else "newsletter",
            channel=self.channel.currentData(),
            network_ids=self.networks.selected_ids(),
            sectors=[self._sector_codes[i] for i in self.sectors.selected_ids()],
            borough_ids=self.boroughs.selected_ids(),
            include_young_people=self.young.isChecked(),
        )

    def build(self) -> None:
        if self._job is not None and self._job.is_running:
            return
        self._enable_saving(False)
        self._job = Job(_build, self._database, self.request())
        self._job.finished.connect(self._built)
        self._job.failed.connect(lambda message, _e: self._say(message, True))
        self.progress.follow(self._job, "Building the list…", determinate=False)
        self._job.start()

    def _built(self, result: mailing.MailingList) -> None:
        self._result = result
        email = result.request.channel == "email"
        fill(
            self.people,
            [
                (r.full_name, (r.email if email else r.phone) or "", r.organisation or "")
                for r in result.recipients
            ],
        )
        fill(self.reasons, [(str(n), reason) for reason, n in result.left_out.most_common()])
        self._say(result.report_lines()[0])
        self._enable_saving(bool(result.recipients))

    def choose_file(self, suffix: str) -> None:
        kind = "CSV files (*.csv)" if suffix == ".csv" else "vCard files (*.vcf)"
        name, _ = QFileDialog.getSaveFileName(self, "Save the list", f"mailing-list{suffix}", kind)
        if name:
            self.save(Path(name).with_suffix(suffix))

    def save(self, path: Path) -> None:
        if self._result is None:
            return
        try:
            written = mailing.export(self._result, path)
        except Exception as error:
            self._say(describe_error(error), True)
            return
        self._say(
            f"Saved {len(self._result.recipients)} people to {written.name}; "
            f"{self._result.left_out_total} were left out (see the reasons)."
        )

    def _enable_saving(self, enabled: bool) -> None:
        self.csv_button.setEnabled(enabled)
        self.vcf_button.setEnabled(enabled)

    def _say(self, text: str, error: bool = False) -> None:
        self.summary.setText(text)
        if error:
            set_error_colour(self.summary)
        else:
            self.summary.setStyleSheet("")
