"""Members of a network: add several at once, change a role on a date, end a membership.

Adding: pick people and organisations by typing (as in every other picker), or
paste a list of names as it came in an e-mail. Pasted names are matched with the
imports' duplicate check and each line says what it found: an exact match
(ticked), a close one ("did you mean …?", for the user to tick), or nothing. One
Save adds them all in one unit of work, and one Ctrl+Z takes them all out again.

A change of role is dated: the old membership ends the day before and a new one
starts, so the history of who held which role stays. Ending a membership sets
its last day; nothing is deleted. Both are undoable.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from ui.dialogs.base import FormDialog
from ui.dialogs.widgets.date_field import DateField, format_date
from ui.dialogs.widgets.error_label import with_error
from ui.dialogs.widgets.picker import MultiPicker
from ui.events import data_events
from ui.models.loader import Loader
from ui.style import muted

MATCH_DELAY_MS = 400
MEMBER_ROLE = Qt.ItemDataRole.UserRole + 1  # (kind, id) of the record a pasted line matched
ROLE_WORDS = {
    "chair": "Chair",
    "deputy": "Deputy chair",
    "member": "Member",
    "observer": "Observer",
    "secretariat": "Secretariat",
    "adviser": "Adviser",
}


def role_combo(name: str = "Role") -> QComboBox:
    from db.enums import MembershipRole

    combo = QComboBox()
    combo.setAccessibleName(name)
    for role in MembershipRole:
        combo.addItem(ROLE_WORDS.get(role.value, role.value.capitalize()), role.value)
    combo.setCurrentIndex(max(0, combo.findData("member")))
    return combo


def _encode(kind: str, record_id: int) -> int:
    """One picker holds people and organisations: organisations get negative ids."""
    return record_id if kind == "person" else -record_id


def _decode(value: int) -> tuple[str, int]:
    return ("person", value) if value > 0 else ("organisation", -value)


def network_label(database, network_id: int) -> str:
    from vru_crm.governance import networks

    return networks.get_network(database, network_id).label


class AddMembersDialog(FormDialog):
    """Add one or several people and organisations to the network, with one role and start date."""

    field_labels = {"members": "members", "start_date": "from", "represents": "represents"}

    def __init__(self, database, network_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.network_id = network_id
        self.network_name = network_label(database, network_id)
        self.added: list = []  # the MembershipRecords made by the last save
        self.setWindowTitle(f"Add members to {self.network_name}")
        self._matcher = Loader(self)
        self._matcher.loaded.connect(self._show_matches)
        self._matcher.failed.connect(lambda message, _e: self.match_note.setText(message))
        self._match_timer = QTimer(self, singleShot=True, interval=MATCH_DELAY_MS)
        self._match_timer.timeout.connect(self.match_pasted)
        self._build()
        self.mark_loaded()
        self.resize(680, self.sizeHint().height())
        self.picker.setFocus()

    def _build(self) -> None:
        from vru_crm.services import pickers

        self.picker = MultiPicker(
            self, accessible_name="Members", placeholder="Type a person's or organisation's name…"
        )

        def search(text: str) -> list[tuple[int | None, str]]:
            people = pickers.suggest(self.database, "person", text, 8)
            orgs = pickers.suggest(self.database, "organisation", text, 7)
            return [(_encode("person", i), f"{n} (person)") for i, n in people] + [
                (_encode("organisation", i), f"{n} (organisation)") for i, n in orgs
            ]

        self.picker.set_search(search)
        self.paste = QPlainTextEdit(self)
        self.paste.setAccessibleName("Paste names")
        self.paste.setPlaceholderText("Or paste names, one a line (or separated by ;)")
        self.paste.setTabChangesFocus(True)
        self.paste.setFixedHeight(self.paste.fontMetrics().lineSpacing() * 4 + 12)
        self.paste.textChanged.connect(self._match_timer.start)
        self.matches = QListWidget(self)
        self.matches.setAccessibleName("Names found")
        self.matches.setToolTip("Space ticks or unticks a name: ticked ones are added.")
        self.matches.setMinimumHeight(self.matches.fontMetrics().lineSpacing() * 5 + 8)
        self.matches.itemChanged.connect(lambda _item: self._touch("members"))
        self.match_note = muted("", self)
        self.match_note.setWordWrap(True)
        self.role = role_combo()
        self.represents = QLineEdit(self)
        self.represents.setAccessibleName("Represents")
        self.represents.setPlaceholderText("e.g. Metropolitan Police (optional)")
        self.start_date = DateField(self, accessible_name="From")
        self.start_date.set_value(_today())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows: list[tuple[str, str, QWidget]] = [
            ("&Pick", "members", self.picker),
            ("P&aste names", "paste", self.paste),
            ("&Found", "matches", self.matches),
            ("&Role", "role", self.role),
            ("Repr&esents", "represents", self.represents),
            ("Fr&om", "start_date", self.start_date),
        ]
        for label, name, widget in rows:
            box, error = with_error(widget, self)
            self.errors[name] = error
            form.addRow(label, box)
            form.labelForField(box).setBuddy(widget)
            if name == "matches":
                form.addRow("", self.match_note)
        self.body.addLayout(form)
        self.watch("members", self.picker.changed)
        self.watch("represents", self.represents.textChanged)
        self.watch("start_date", self.start_date.changed)
        self.chain_tab_order(
            [
                self.picker,
                self.paste,
                self.matches,
                self.role,
                self.represents,
                self.start_date,
            ]
        )

    # -- pasted names -----------------------------------------------------------------
    def match_pasted(self) -> None:
        """Match the pasted lines off the UI thread (every name in the database is compared)."""
        from vru_crm.governance.networks import match_member_names

        self._match_timer.stop()
        text = self.paste.toPlainText()
        if not text.strip():
            self._show_matches([])
            return
        self.match_note.setText("Looking the names up…")
        self._matcher.load(match_member_names, self.database, text)

    def _show_matches(self, found: list) -> None:
        self.matches.blockSignals(True)
        self.matches.clear()
        exact = close = none = 0
        for match in found:
            if match.record_id is None:
                none += 1
                self._match_line(f"“{match.typed}”: nobody of that name; add them first", None)
                continue
            if match.exact:
                exact += 1
                self._match_line(
                    f"“{match.typed}”: {match.name} ({match.kind})",
                    (match.kind, match.record_id),
                    checked=True,
                )
            else:
                close += 1
                self._match_line(
                    f"“{match.typed}”: did you mean {match.name} ({match.kind})?",
                    (match.kind, match.record_id),
                )
            if match.exact:
                continue  # the name as typed: look-alikes would only be noise
            for kind, record_id, name in match.alternatives:
                self._match_line(f"    or {name} ({kind})?", (kind, record_id))
        self.matches.blockSignals(False)
        parts = [f"{exact} found", f"{close} close (tick the right one)", f"{none} not found"]
        self.match_note.setText(" · ".join(parts) + "." if found else "")
        self._touch("members")

    def _match_line(self, text: str, member: tuple[str, int] | None, checked: bool = False):
        item = QListWidgetItem(text, self.matches)
        item.setData(MEMBER_ROLE, member)
        if member is None:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            return
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def ticked(self) -> list[tuple[str, int]]:
        """The pasted names the user keeps (exact ones are ticked for them)."""
        found = []
        for row in range(self.matches.count()):
            item = self.matches.item(row)
            member = item.data(MEMBER_ROLE)
            if member is not None and item.checkState() == Qt.CheckState.Checked:
                found.append(tuple(member))
        return found

    def chosen(self) -> list[tuple[str, int]]:
        """Picked and ticked members, each once, in the order given."""
        members = [_decode(i) for i in self.picker.selected_ids()] + self.ticked()
        return list(dict.fromkeys(members))

    # -- the form ---------------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        return {
            "members": tuple(self.chosen()),
            "paste": self.paste.toPlainText(),
            "role": self.role.currentData(),
            "represents": self.represents.text(),
            "start_date": self.start_date.text(),
        }

    def problems(self) -> dict[str, str]:
        problems = {}
        if not self.chosen():
            problems["members"] = "choose at least one person or organisation to add"
        if self.start_date.problem():
            problems["start_date"] = self.start_date.problem()
        if len(self.represents.text().strip()) > 200:
            problems["represents"] = "too long (at most 200 characters)"
        return problems

    def show_field_problems(self, fields: dict[str, str]) -> None:
        mine = {
            ("members" if k in ("person_id", "organisation_id") else k): v
            for k, v in fields.items()
        }
        super().show_field_problems(mine)

    def save_record(self) -> None:
        from ui import undo
        from vru_crm.governance import networks

        members = self.chosen()
        role = self.role.currentData()
        represents = self.represents.text().strip() or None
        start = self.start_date.value() or _today()
        added = networks.add_members(
            self.database, self.network_id, members, role, represents, start
        )
        if not added:
            self.banner.show_message(
                f"Not added: every one of them is a current member of {self.network_name} already."
            )
            return
        self.added = added
        state = {"ids": [m.id for m in added]}
        database, network_id = self.database, self.network_id
        wanted = [
            ("person", m.person_id) if m.person_id else ("organisation", m.organisation_id)
            for m in added
        ]

        def take_out() -> None:
            from vru_crm.services import records

            for membership_id in state["ids"]:
                records.delete_row(database, "membership", membership_id)
                data_events().removed.emit("membership", membership_id)
            data_events().changed.emit("network", network_id)

        def put_back() -> None:
            again = networks.add_members(database, network_id, wanted, role, represents, start)
            state["ids"] = [m.id for m in again]
            data_events().changed.emit("network", network_id)

        names = ", ".join(m.member_name for m in added[:3]) + ("…" if len(added) > 3 else "")
        undo.push_step(f"Add {len(added)} to {self.network_name} ({names})", take_out, put_back)
        data_events().changed.emit("network", network_id)
        self.accept()


def _today() -> date:
    from vru_crm.london import today_in_london

    return today_in_london()


def _membership(database, membership_id: int):
    """The membership as a MembershipRecord (its network's list holds it)."""
    from vru_crm.errors import NotFound
    from vru_crm.governance import networks
    from vru_crm.services import records

    network_id = records.row_values(database, "membership", membership_id)["network_id"]
    for record in networks.memberships(database, network_id):
        if record.id == membership_id:
            return record
    raise NotFound(f"There is no membership with id {membership_id}.")


class ChangeRoleDialog(FormDialog):
    """A new role from a date: the old membership ends the day before (history kept)."""

    field_labels = {"role": "role", "start_date": "from", "represents": "represents"}

    def __init__(self, database, membership_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.record = _membership(database, membership_id)
        self.new_record = None
        self.setWindowTitle(f"Change role: {self.record.member_name}")
        self.role = role_combo("New role")
        self.role.setCurrentIndex(max(0, self.role.findData(self.record.role)))
        self.represents = QLineEdit(self)
        self.represents.setAccessibleName("Represents")
        self.represents.setText(self.record.represents or "")
        self.start_date = DateField(self, accessible_name="From")
        self.start_date.set_value(_today())
        note = muted(
            f"Now: {ROLE_WORDS.get(self.record.role, self.record.role)} since "
            f"{format_date(self.record.start_date) or 'an unknown date'}. The present membership "
            "ends the day before the new role starts, so the history is kept.",
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("", note)
        for label, name, widget in [
            ("New &role", "role", self.role),
            ("Repr&esents", "represents", self.represents),
            ("&From", "start_date", self.start_date),
        ]:
            box, error = with_error(widget, self)
            self.errors[name] = error
            form.addRow(label, box)
            form.labelForField(box).setBuddy(widget)
        self.body.addLayout(form)
        self.watch("role", self.role.currentIndexChanged)
        self.watch("represents", self.represents.textChanged)
        self.watch("start_date", self.start_date.changed)
        self.chain_tab_order([self.role, self.represents, self.start_date])
        self.mark_loaded()
        self.resize(520, self.sizeHint().height())
        self.role.setFocus()

    def values(self) -> dict[str, object]:
        return {
            "role": self.role.currentData(),
            "represents": self.represents.text(),
            "start_date": self.start_date.text(),
        }

    def problems(self) -> dict[str, str]:
        problems = {}
        if self.start_date.problem():
            problems["start_date"] = self.start_date.problem()
        elif self.start_date.value() is None:
            problems["start_date"] = "give the day the new role starts"
        if self.role.currentData() == self.record.role and self.represents.text().strip() == (
            self.record.represents or ""
        ):
            problems["role"] = "choose a different role (or change whom they represent)"
        return problems

    def save_record(self) -> None:
        from ui import undo
        from vru_crm.governance import networks
        from vru_crm.services import records

        database, old = self.database, self.record
        role, on = self.role.currentData(), self.start_date.value()
        represents = self.represents.text()
        before = records.row_values(database, "membership", old.id)
        new = networks.change_role(database, old.id, role, on, represents, old.version)
        self.new_record = new
        state = {"new_id": new.id}

        def revert() -> None:
            records.delete_row(database, "membership", state["new_id"])
            records.save_row_values(database, "membership", old.id, before, None)
            data_events().changed.emit("network", old.network_id)

        def again() -> None:
            state["new_id"] = networks.change_role(database, old.id, role, on, represents).id
            data_events().changed.emit("network", old.network_id)

        words = ROLE_WORDS.get(role, role)
        undo.push_step(f"Change role of {old.member_name} to {words}", revert, again)
        data_events().changed.emit("network", old.network_id)
        self.accept()


class EndMembershipDialog(FormDialog):
    """End a membership on a day (their last day as a member); the row stays as history."""

    field_labels = {"end_date": "last day"}

    def __init__(self, database, membership_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.record = _membership(database, membership_id)
        self.setWindowTitle(f"End membership: {self.record.member_name}")
        self.end_date = DateField(self, accessible_name="Last day")
        self.end_date.set_value(_today())
        note = muted(
            f"{self.record.member_name} stays in the network's history as a past member.", self
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("", note)
        box, error = with_error(self.end_date, self)
        self.errors["end_date"] = error
        form.addRow("&Last day", box)
        form.labelForField(box).setBuddy(self.end_date)
        self.body.addLayout(form)
        self.save_button.setText("&End membership")
        self.watch("end_date", self.end_date.changed)
        self.mark_loaded()
        self.resize(460, self.sizeHint().height())
        self.end_date.setFocus()

    def values(self) -> dict[str, object]:
        return {"end_date": self.end_date.text()}

    def problems(self) -> dict[str, str]:
        if self.end_date.problem():
            return {"end_date": self.end_date.problem()}
        if self.end_date.value() is None:
            return {"end_date": "give their last day as a member"}
        return {}

    def save_record(self) -> None:
        from ui import undo
        from vru_crm.governance import networks
        from vru_crm.services import records

        record = self.record
        before = records.row_values(self.database, "membership", record.id)
        done = networks.leave_network(
            self.database, record.id, self.end_date.value(), record.version
        )
        after = records.row_values(self.database, "membership", record.id)
        command = undo.EditCommand(
            self.database, "membership", record.id, before, after, done.version, record.member_name
        )
        command.setText(f"End membership of {record.member_name}")
        undo.undo_stack().push(command)
        data_events().changed.emit("network", record.network_id)
        self.accept()
