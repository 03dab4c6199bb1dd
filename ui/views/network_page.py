"""A network's page: cadence health, quorum, current and past members, and its meetings.

What the Director asks of a network before its next meeting is on the page: when
it last met, when it is next due (in red, with the days, when overdue), what is
scheduled, and how often each member came over the last 12 months. The actions
(add members, change a role, end a membership, new meeting, archive) are buttons
with mnemonics; Ctrl+E edits the network. Figures load off the UI thread as on
every detail page; the dialogs do their own short reads.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QMessageBox, QPushButton, QWidget

from db.session import Database
from ui.style import format_date, format_datetime, warning_colour
from ui.views.detail_page import DetailPage
from ui.views.organisation_page import period, role_words
from ui.views.widgets import Cell, FactGrid, LinkedRow, RecordTable, Section
from vru_crm.queries.meetings import MEETING_STATUS_LABELS, MINUTES_STATUS_LABELS
from vru_crm.queries.network_detail import NetworkDetail, network_detail

# A busy network has thousands of members and a few hundred distinct dates; formatting a date
# (strftime, through PySide6's import hook) costs more than looking one up.
_period = lru_cache(maxsize=4096)(period)


def attendance_words(member) -> str:
    """ "75% (3 of 4)" over the last 12 months; people only (organisations send someone)."""
    if member.kind != "person":
        return ""
    share = member.attendance_share
    held = member.meetings_while_member
    if share is None or not held:
        return "no meetings yet"
    return f"{round(share * 100)}% ({member.attended} of {held})"


def _attendance_cell(member) -> Cell | str:
    words = attendance_words(member)
    share = member.attendance_share
    if share is not None and share < 0.5 and member.meetings_while_member:
        return Cell(words, warning_colour())  # under half: worth a word from the chair
    return words


class NetworkPage(DetailPage):
    kind = "network"
    noun = "network"
    editable = True

    def build(self) -> None:
        self.edit_button.setToolTip(
            "Edit this network: names, cadence, quorum, standing items (Ctrl+E)"
        )
        self._build_actions()
        self.facts = FactGrid(self.body)
        self.body_layout.addWidget(self.facts)
        self.members_section = Section("Members", self.body)
        self.members_section.note.setWordWrap(True)
        self.show_past = QCheckBox("Show &past members", self.body)
        self.show_past.setChecked(True)
        self.show_past.setToolTip("Members who left, and roles held before, shown faded")
        self.show_past.toggled.connect(lambda _on: self.detail and self._show_members(self.detail))
        self.members_section.add(self.show_past)
        self.members = self.link(
            RecordTable(
                ["Name", "Type", "Role", "Represents", "From", "To", "Attended"],
                "Members of this network",
            )
        )
        self.members.fit_columns([5, 2, 2, 5, 3, 2, 3])
        self.members_section.add(self.members)
        self.body_layout.addWidget(self.members_section)
        self.meetings_section = Section("Meetings", self.body)
        self.meetings = self.link(
            RecordTable(
                ["Date", "Title", "Status", "Minutes", "Attendees"], "Meetings of this network"
            )
        )
        self.meetings.fit_columns([3, 6, 2, 2, 2])
        self.meetings_section.add(self.meetings)
        self.body_layout.addWidget(self.meetings_section)
        self._member_rows: list = []
        self.last_dialog: QWidget | None = None  # the dialog an action opened (tests look at it)

    def _build_actions(self) -> None:
        bar = QWidget(self.body)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)

        def button(text: str, tip: str, slot) -> QPushButton:
            made = QPushButton(text, bar)
            made.setToolTip(tip)
            made.setAccessibleName(text.replace("&", "").rstrip("…"))
            made.clicked.connect(slot)
            row.addWidget(made)
            return made

        self.add_members_button = button(
            "Add &members…",
            "Add people or organisations, picked or pasted (Alt+M)",
            self.add_members,
        )
        self.change_role_button = button(
            "Change &role…",
            "A new role for the member chosen below, from a date (Alt+R)",
            self.change_role,
        )
        self.end_membership_button = button(
            "E&nd membership…",
            "End the chosen member's membership on a date (Alt+N)",
            self.end_membership,
        )
        self.new_meeting_button = button(
            "New mee&ting…", "Schedule this network's next meeting (Alt+T)", self.new_meeting
        )
        row.addStretch(1)
        self.archive_button = button(
            "&Archive…", "Archive this network: its history stays (Alt+A)", self.archive
        )
        self.body_layout.addWidget(bar)

    def team_needs(self) -> list[tuple[QWidget | None, str]]:
        """Edit and Delete, and the page's own buttons (members and archiving change the network; a meeting is its own kind)."""
        changes = (self.add_members_button, self.change_role_button, self.end_membership_button)
        changes += (self.archive_button,)
        return (
            super().team_needs()
            + [(b, "network") for b in changes]
            + [(self.new_meeting_button, "meeting")]
        )

    @staticmethod
    def fetch(database: Database, record_id: int) -> NetworkDetail:
        return network_detail(database, record_id)

    # -- showing -----------------------------------------------------------------------
    def populate(self, d: NetworkDetail) -> None:
        self.title.setText(d.name)
        short = d.short_name
        archived = d.archived_on
        parts = [short] if short else []
        parts.append(d.kind_label)
        parts.append(f"meets {d.cadence}" if d.cadence_rule else "no set cadence")
        if archived:
            parts.append(f"archived on {format_date(archived)}")
        self.subtitle.setText(" · ".join(parts))
        self.archive_button.setText("Un&archive…" if archived else "&Archive…")
        self.archive_button.setToolTip(
            "Bring this network back into lists and pickers (Alt+A)"
            if archived
            else "Archive this network: its history stays (Alt+A)"
        )
        self._show_facts(d)
        self._show_members(d)
        self.meetings.set_rows(
            [
                LinkedRow(
                    [
                        format_datetime(m.starts_at),
                        m.title,
                        MEETING_STATUS_LABELS.get(m.status, m.status),
                        MINUTES_STATUS_LABELS.get(m.minutes_status, m.minutes_status),
                        str(m.attendees),
                    ],
                    "meeting",
                    m.id,
                )
                for m in d.meetings
            ],
            "No meetings recorded",
        )

    def _show_facts(self, d: NetworkDetail) -> None:
        published = (
            f"within {d.minutes_publication_days} days"
            if d.minutes_publication_days is not None
            else ""
        )
        past = len(d.members) - d.current_members
        self.facts.set_facts(
            [
                ("Short name", d.short_name or ""),
                ("Cadence", d.cadence if d.cadence_rule else "no set cadence"),
                ("Last held", self._last_held(d)),
                ("Next due", self._next_due(d)),
                (
                    "Next scheduled",
                    format_date(d.next_scheduled, "none scheduled"),
                ),
                ("Quorum", f"{d.quorum} present" if d.quorum else "no quorum set"),
                ("Members", f"{d.current_members} current, {past} past"),
                ("Minutes published", published),
                ("Engagements linked", f"{d.engagement_total:,}"),
                ("Archived", format_date(d.archived_on)),
                ("Description", d.description),
            ]
        )
        due = self.facts.values.get("Next due")
        if due is not None and d.overdue:
            due.setStyleSheet(f"color: {warning_colour().name()}; font-weight: bold;")

    @staticmethod
    def _last_held(d: NetworkDetail) -> str:
        return format_date(d.last_held, "not yet held")

    @staticmethod
    def _next_due(d: NetworkDetail) -> str:
        due = d.next_due
        if not d.cadence_rule:
            return "no set cadence"
        if due is None:
            return "not known"
        if d.overdue:
            days = d.days_overdue
            return f"{format_date(due)}: overdue by {days} day{'s' if days != 1 else ''}"
        return format_date(due)

    def _show_members(self, d: NetworkDetail) -> None:
        """Current members first, then (unless hidden) past ones, faded, with their dates."""
        current = [m for m in d.members if m.current]
        past = [m for m in d.members if not m.current]
        shown = current + (past if self.show_past.isChecked() else [])
        self._member_rows = shown
        self.members.set_rows(
            [
                LinkedRow(
                    [
                        m.name,
                        "Person" if m.kind == "person" else "Organisation",
                        role_words(m.role),
                        m.represents,
                        *_period(m.start_date, m.end_date),
                        _attendance_cell(m) if m.current else "",
                    ],
                    m.kind,
                    m.member_id,
                    not m.current,
                )
                for m in shown
            ],
            "No members yet: press Add members (Alt+M)",
        )
        notes = [
            f"{len(current)} current, {len(past)} past. Attended: of the meetings held in the "
            "last 12 months while a member."
        ]
        if current:
            notes.append("Choose a current member, then Change role or End membership.")
        if past and self.show_past.isChecked():
            notes.append("Past members are shown faded.")
        self.members_section.set_note(" ".join(notes))
        self.show_past.setVisible(bool(past))

    # -- acting ----------------------------------------------------------------------------
    def chosen_member(self):
        """The current member chosen in the table, or None (then the user is told how)."""
        row = self.members.current_row()
        if self.detail is None or not 0 <= row < len(self._member_rows):
            return None
        member = self._member_rows[row]
        return member if member.current else None

    def _need_member(self, what: str):
        member = self.chosen_member()
        if member is None:
            QMessageBox.information(
                self,
                what,
                "Choose a current member in the Members list first (click one, or Tab to the "
                f"list and use the arrow keys), then press {what} again.",
            )
            self.members.setFocus()
        return member

    def _open(self, dialog: QWidget) -> None:
        from PySide6.QtCore import Qt

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def add_members(self) -> None:
        from ui import launch

        if self.record_id is not None and self.detail is not None:
            self.last_dialog = launch.open_dialog(self, "members", self.database, self.record_id)

    def change_role(self) -> None:
        from ui.governance.members_dialog import ChangeRoleDialog

        member = self._need_member("Change role")
        if member is not None:
            self._open(ChangeRoleDialog(self.database, member.membership_id, parent=self))

    def end_membership(self) -> None:
        from ui.governance.members_dialog import EndMembershipDialog

        member = self._need_member("End membership")
        if member is not None:
            self._open(EndMembershipDialog(self.database, member.membership_id, parent=self))

    def new_meeting(self) -> None:
        from ui import launch

        if self.record_id is None:
            return
        if "meeting" not in launch.DIALOGS:
            launch.not_available(self, "Scheduling a meeting")
            return
        self.last_dialog = launch.open_dialog(
            self, "meeting", self.database, network_id=self.record_id
        )

    def archive(self) -> None:
        from ui.dialogs.network_dialog import archive_with_undo

        if self.record_id is not None and self.detail is not None:
            archive_with_undo(self.database, self.record_id, self, unsaved=False)
