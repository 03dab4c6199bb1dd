"""Schedule a meeting, change it, move it, or cancel it.

A new meeting of a network opens at the network's next expected date and time
(from its cadence) with a title made for it, so scheduling the next PRG is
"New meeting", Enter. A one-off event has no network. Saves go through
``vru_crm.governance.meetings``, which raises the iCalendar SEQUENCE once per
saved change of time, place or status and never changes the UID: calendars
that imported the meeting update their copy instead of adding a second one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from ui.dialogs.base import FormDialog, ask
from ui.dialogs.organisation_dialog import line, notes_box
from ui.dialogs.widgets.date_field import DateField, format_date
from ui.dialogs.widgets.error_label import with_error
from ui.events import data_events
from vru_crm.london import LONDON, london

ONE_OFF = "event"  # the network choice of a meeting that belongs to no network
_TIME = re.compile(r"(\d{1,2})(?:\s*[:.h]\s*(\d{2})|(\d{2}))?\s*(am|pm)?")


def parse_time(text: str) -> time | None:
    """``10:00``, ``9.30``, ``1430``, ``2pm`` -> a time; None when empty; ValueError in words."""
    value = text.strip().lower().replace(" ", "")
    if not value:
        return None
    match = _TIME.fullmatch(value)
    if match is None:
        raise ValueError(f"'{text.strip()}' is not a time: type it as 10:00 or 14:30")
    hour, minute = int(match[1]), int(match[2] or match[3] or 0)
    if match[4] == "pm" and hour < 12:
        hour += 12
    elif match[4] == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise ValueError(f"'{text.strip()}' is not a time of day (00:00 to 23:59)")
    return time(hour, minute)


def format_time(value: datetime) -> str:
    return f"{london(value):%H:%M}"


def web_address(text: str) -> str | None:
    """What the user typed as a link, with https:// added to "www.…" as a browser would."""
    value = text.strip()
    if not value:
        return None
    if value.lower().startswith("www."):
        return "https://" + value
    return value


def describe_moment(moment: datetime) -> str:
    from vru_crm.governance.common import format_day

    local = london(moment)
    return f"{format_day(local.date())} at {local:%H:%M}"


class MeetingDialog(FormDialog):
    """New meeting (of ``network_id``, or chosen in the form), or an existing one to edit.

    ``reschedule=True`` opens an existing meeting with the date selected, for
    moving it (the meeting page's "Reschedule…").
    """

    kind = "meeting"
    field_labels = {
        "network": "network (or One-off event)",
        "title": "title",
        "day": "date",
        "starts_at": "start time",
        "ends_at": "end time",
        "location": "location",
        "online_url": "online link",
        "chair": "chair",
    }

    def __init__(
        self,
        database,
        meeting_id: int | None = None,
        network_id: int | None = None,
        parent: QWidget | None = None,
        reschedule: bool = False,
    ) -> None:
        super().__init__(database, parent)
        self.meeting_id = meeting_id
        self.version: int | None = None
        self.uid: str | None = None
        self._auto_title = ""  # the title we made; replaced while the user has not changed it
        self._when_typed = False  # the user typed a date or time: the network no longer moves it
        self._end_days = 0  # an existing meeting that ends on a later day (say, past midnight)
        self._slot_pending = False  # the network's next expected date is being read
        self._build()
        self._slot_readers()
        if meeting_id is None:
            self.setWindowTitle("New meeting")
            self._networks_later(network_id)
        else:
            self.setWindowTitle("Reschedule meeting" if reschedule else "Edit meeting")
            self.load_existing_later(lambda: self._meeting_shown(reschedule))
        self.mark_loaded()
        self.resize(620, self.sizeHint().height())
        if reschedule:
            self.day.edit.setFocus()
            self.day.edit.selectAll()
        elif meeting_id is None and self.network.currentData() is None:
            self.network.setFocus()
        else:
            self.title.setFocus()
            self.title.selectAll()

    def _meeting_shown(self, reschedule: bool) -> None:
        """The stored meeting is in the form: its title in the window's, typing where it goes."""
        title = self.title.text() or self.meeting_id
        self.setWindowTitle(f"{'Reschedule' if reschedule else 'Meeting'}: {title}")
        edit = self.day.edit if reschedule else self.title
        edit.setFocus()
        edit.selectAll()

    # -- the form ------------------------------------------------------------------
    def _build(self) -> None:
        self.network = QComboBox()
        self.network.setAccessibleName("Network")
        self.network.addItem("Choose a network, or One-off event…", None)
        self.network.addItem("One-off event (no network)", ONE_OFF)
        self.slot_note = QLabel()
        self.slot_note.setWordWrap(True)
        self.slot_note.setAccessibleName("Next expected meeting")
        self.slot_note.setStyleSheet("color: palette(placeholder-text);")
        # Under the network it belongs to (word wrap leaves room for a second line).
        self.slot_note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.title = line("Title", "e.g. PRG meeting, May 2019")
        self.day = DateField(self, accessible_name="Date")
        self.starts = line("Start time", "10:00")
        self.ends = line("End time", "12:00")
        for edit in (self.starts, self.ends):
            edit.setMaximumWidth(90)
            edit.editingFinished.connect(lambda e=edit: self._normalise_time(e))
        self.end_note = QLabel()
        self.end_note.setAccessibleName("End day")
        ends_box = QWidget()
        ends_row = QHBoxLayout(ends_box)
        ends_row.setContentsMargins(0, 0, 0, 0)
        ends_row.addWidget(self.ends)
        ends_row.addWidget(self.end_note, 1)
        ends_box.setFocusProxy(self.ends)
        self.location = line("Location", "e.g. City Hall, Committee Room 4")
        self.online_url = line("Online link", "https://teams.microsoft.com/… (optional)")
        self.chair = line("Chair", "who chairs this meeting (optional)")
        self.notes = notes_box()
        form = QFormLayout()
        rows: list[tuple[str, str, QWidget]] = [
            ("&Network", "network", self.network),
            ("&Title", "title", self.title),
            ("D&ate", "day", self.day),
            ("Sta&rts", "starts_at", self.starts),
            ("&Ends", "ends_at", ends_box),
            ("&Location", "location", self.location),
            ("Online lin&k", "online_url", self.online_url),
            ("C&hair", "chair", self.chair),
            ("N&otes", "notes", self.notes),
        ]
        for label, name, widget in rows:
            box, error = with_error(widget, self)
            self.errors[name] = error
            form.addRow(label, box)
            form.labelForField(box).setBuddy(widget)
            if name == "network":
                form.addRow("", self.slot_note)
        self.body.addLayout(form)
        for name, signal in [
            ("network", self.network.currentIndexChanged),
            ("title", self.title.textChanged),
            ("day", self.day.changed),
            ("starts_at", self.starts.textChanged),
            ("ends_at", self.ends.textChanged),
            ("location", self.location.textChanged),
            ("online_url", self.online_url.textChanged),
            ("chair", self.chair.textChanged),
            ("notes", self.notes.textChanged),
        ]:
            self.watch(name, signal)
        for edit in (self.day.edit, self.starts, self.ends):
            edit.textEdited.connect(self._when_edited)
        self.day.edit.editingFinished.connect(self._refresh_auto_title)
        self.network.currentIndexChanged.connect(lambda _i: self._network_changed())
        self.delete_button = self.add_footer_button(
            "&Delete…", "Delete meeting", self.delete, left=True
        )
        self.delete_button.setVisible(self.meeting_id is not None)
        self.chain_tab_order([widget for _label, _name, widget in rows])
        self.errors["ends_at"]._field = self.ends

    def _fill_networks(self, answer: tuple[list, list]) -> None:
        """The networks read by ``_read_networks``, after the two fixed choices."""
        choices, _asked = answer
        for network_id, name in choices:
            self.network.addItem(name, network_id)

    def _networks_later(self, network_id: int | None) -> None:
        """A new meeting: the networks are read on the pool, the form held until they come."""
        from ui.models.loader import Loader

        self._networks_loader = Loader(self)
        self._networks_loader.loaded.connect(
            lambda answer: self._networks_arrived(answer, network_id)
        )
        self._networks_loader.failed.connect(self._networks_failed)
        self._hold(True)
        self._networks_loader.load(_read_networks, self.database, network_id)

    def _networks_arrived(self, answer: tuple[list, list], network_id: int | None) -> None:
        self._hold(False)
        self._fill_networks(answer)
        self._choose_first_network(network_id, answer[1])
        self.mark_loaded()
        if self.network.currentData() is None:
            self.network.setFocus()
        else:
            self.title.setFocus()
            self.title.selectAll()
        self.record_ready.emit()

    def _networks_failed(self, message: str, _error: object = None) -> None:
        self._hold(False)
        self.banner.show_message(f"The networks could not be read: {message}")
        self.record_ready.emit()

    def _choose_first_network(self, network_id: int | None, asked: list) -> None:
        """The network asked for; the only one if there is one; else the user chooses."""
        networks = [self.network.itemData(i) for i in range(2, self.network.count())]
        if network_id is not None and self.network.findData(network_id) < 0:
            for found_id, name in asked:
                self.network.addItem(name, found_id)  # an archived network, asked for by name
        wanted = (
            network_id if network_id is not None else (networks[0] if len(networks) == 1 else None)
        )
        index = self.network.findData(wanted) if wanted is not None else 0
        if index == self.network.currentIndex():
            self._network_changed()
        self.network.setCurrentIndex(max(0, index))

    def _when_edited(self, *_: object) -> None:
        self._when_typed = True

    def _slot_readers(self) -> None:
        """The network's next expected date and the title made for it are read on the pool."""
        from ui.models.loader import Loader

        self._slot_loader = Loader(self)
        self._slot_loader.loaded.connect(self._slot_arrived)
        self._slot_loader.failed.connect(self._slot_failed)
        self._title_loader = Loader(self)
        self._title_loader.loaded.connect(self._set_auto_title)
        self._title_loader.failed.connect(lambda _message, _error: None)  # the title stays typed

    def _network_changed(self) -> None:
        """A new meeting follows its network: next expected date and time, and a title.

        Both are read on the pool; meanwhile the note says so and Save waits. What the
        user types in the meantime wins: a date or time typed is never moved, a title
        typed is never replaced.
        """
        if self.meeting_id is not None:
            return  # an existing meeting keeps its date when moved to another network
        choice = self.network.currentData()
        if not isinstance(choice, int):
            self._slot_loader.cancel()
            self._slot_done()
            self.slot_note.setText(
                "A one-off event: type its date and time." if choice == ONE_OFF else ""
            )
            self.slot_note.setVisible(choice == ONE_OFF)
            self._set_auto_title("")
            return
        self.slot_note.setText("Finding the next expected date from the network's cadence…")
        self.slot_note.setVisible(True)
        if not self._slot_pending:
            self._slot_pending = True
            self.begin_read()
        self._title_loader.cancel()  # a title for the previous network must not arrive late
        self._slot_loader.load(_read_slot, self.database, choice)

    def _slot_done(self) -> None:
        if self._slot_pending:
            self._slot_pending = False
            self.end_read()

    def _slot_arrived(self, answer: tuple[tuple[datetime, datetime] | None, str]) -> None:
        slot, title = answer
        if slot is None:
            self.slot_note.setText("This network has no regular cadence: type the date and time.")
        else:
            start, end = slot
            self.slot_note.setText(
                f"Next expected from the network's cadence: {describe_moment(start)}."
            )
            if not self._when_typed:
                before = self.values()
                self.day.set_value(london(start).date())
                self.starts.setText(format_time(start))
                self.ends.setText(format_time(end))
                self._keep_clean(before, ("day", "starts_at", "ends_at"))
        self.slot_note.setVisible(True)
        self._slot_done()
        if slot is not None and not self._when_typed:
            before = self.values()
            self._set_auto_title(title)
            self._keep_clean(before, ("title",))
        else:
            self._refresh_auto_title()

    def _slot_failed(self, message: str, _error: object = None) -> None:
        self.slot_note.setText(f"The next expected date could not be read: {message}")
        self._slot_done()

    def _keep_clean(self, before: dict[str, object], names: tuple[str, ...]) -> None:
        """Fields the form filled in itself are not changes of the user's (Esc asks nothing)."""
        now = self.values()
        for name in names:
            if before[name] == self._loaded_values.get(name):
                self._loaded_values[name] = now[name]
        self.revalidate()

    def _refresh_auto_title(self) -> None:
        """The title made for the network and date, read on the pool (a typed title stays)."""
        if self.meeting_id is not None:
            return
        choice = self.network.currentData()
        starts_at = self._starts_at()
        if not isinstance(choice, int) or starts_at is None:
            return
        from vru_crm.governance import meetings

        self._title_loader.load(meetings.default_title, self.database, choice, starts_at)

    def _set_auto_title(self, title: str) -> None:
        if self.title.text().strip() in ("", self._auto_title):
            self.title.setText(title)
        self._auto_title = title

    def _normalise_time(self, edit: QLineEdit) -> None:
        """Show "930" or "2pm" as 09:30 and 14:00 once the user leaves the field."""
        try:
            value = parse_time(edit.text())
        except ValueError:
            return
        if value is not None and edit.text() != f"{value:%H:%M}":
            edit.setText(f"{value:%H:%M}")

    # -- values --------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        return {
            "network": self.network.currentData(),
            "title": self.title.text(),
            "day": self.day.text(),
            "starts_at": self.starts.text(),
            "ends_at": self.ends.text(),
            "location": self.location.text(),
            "online_url": self.online_url.text(),
            "chair": self.chair.text(),
            "notes": self.notes.toPlainText(),
        }

    def fill(self, values: dict[str, object]) -> None:
        index = self.network.findData(values["network"])
        self.network.setCurrentIndex(max(0, index))
        self.title.setText(str(values["title"]))
        self.day.edit.setText(str(values["day"]))
        self.starts.setText(str(values["starts_at"]))
        self.ends.setText(str(values["ends_at"]))
        self.location.setText(str(values["location"]))
        self.online_url.setText(str(values["online_url"]))
        self.chair.setText(str(values["chair"]))
        self.notes.setPlainText(str(values["notes"]))

    def read_choices(self) -> object:
        return _read_networks(self.database, None)

    def show_choices(self, choices) -> None:
        self._fill_networks(choices)

    def read_record(self) -> object:
        from vru_crm.governance import meetings

        return meetings.get_meeting(self.database, self.meeting_id)  # type: ignore[arg-type]

    def record_values(self, record) -> dict[str, object]:
        self.version, self.uid = record.version, record.uid
        if record.network_id is not None and self.network.findData(record.network_id) < 0:
            self.network.addItem(
                record.network_name or f"Network {record.network_id}", record.network_id
            )
        starts, ends = london(record.starts_at), london(record.ends_at)
        self.slot_note.setVisible(False)
        self._end_days = max(0, (ends.date() - starts.date()).days)
        later = {0: "", 1: "the next day"}.get(self._end_days, f"{self._end_days} days later")
        self.end_note.setText(later)
        return {
            "network": record.network_id if record.network_id is not None else ONE_OFF,
            "title": record.title,
            "day": format_date(starts.date()),
            "starts_at": f"{starts:%H:%M}",
            "ends_at": f"{ends:%H:%M}",
            "location": record.location or "",
            "online_url": record.online_url or "",
            "chair": record.chair or "",
            "notes": record.notes or "",
        }

    def _day(self) -> date | None:
        return self.day.value()

    def _time(self, edit: QLineEdit) -> time | None:
        try:
            return parse_time(edit.text())
        except ValueError:
            return None

    def _starts_at(self) -> datetime | None:
        day, start = self._day(), self._time(self.starts)
        return datetime.combine(day, start, LONDON) if day and start else None

    def _ends_at(self) -> datetime | None:
        day, end = self._day(), self._time(self.ends)
        if not (day and end):
            return None
        return datetime.combine(day + timedelta(days=self._end_days), end, LONDON)

    def meeting_values(self) -> dict[str, Any]:
        """What the services are given: the meeting's own fields."""
        choice = self.network.currentData()
        return {
            "network_id": choice if isinstance(choice, int) else None,
            "title": self.title.text().strip(),
            "starts_at": self._starts_at(),
            "ends_at": self._ends_at(),
            "location": self.location.text().strip() or None,
            "online_url": web_address(self.online_url.text()),
            "chair": self.chair.text().strip() or None,
            "notes": self.notes.toPlainText(),
        }

    def problems(self) -> dict[str, str]:
        from vru_crm.governance.meetings import meeting_problems

        problems: dict[str, str] = {}
        if self.network.currentData() is None:
            problems["network"] = "choose the network this meeting belongs to, or One-off event"
        if not self.day.text().strip():
            problems["day"] = "a date is required"
        elif self.day.problem():
            problems["day"] = self.day.problem()
        for name, edit, example in (
            ("starts_at", self.starts, "10:00"),
            ("ends_at", self.ends, "12:00"),
        ):
            try:
                if parse_time(edit.text()) is None:
                    problems[name] = f"a time is required (e.g. {example})"
            except ValueError as error:
                problems[name] = str(error)
        start, end = self._starts_at(), self._ends_at()
        if start and end and end <= start:
            problems["ends_at"] = "the meeting ends before it starts: the end time must be later"
        values = self.meeting_values()
        checked = {k: values[k] for k in ("title", "location", "online_url")}
        for name, problem in meeting_problems(checked).items():
            problems.setdefault(name, problem)
        if values["chair"] and len(values["chair"]) > 200:
            problems["chair"] = "the chair's name is too long (at most 200 characters)"
        return problems

    # -- saving --------------------------------------------------------------------
    def label(self) -> str:
        starts_at = self._starts_at()
        when = f", {format_date(starts_at.date())}" if starts_at else ""
        return f"“{self.title.text().strip()}”{when}"

    def save_record(self) -> None:
        """The create or the change (and the undo's copies around it) on the pool."""
        values = self.meeting_values()
        database, meeting_id, version = self.database, self.meeting_id, self.version
        self.run_save(lambda: _write_meeting(database, meeting_id, values, version), self._written)

    def _written(self, answer) -> None:
        from ui import undo

        meeting_id, version, change = answer
        self.meeting_id, self.version = meeting_id, version
        if change is None:
            undo.push_created(self.database, "meeting", meeting_id, version or 1, self.label())
        elif change:
            verb, before, after = change
            undo.push_edited(
                self.database,
                "meeting",
                meeting_id,
                before,
                after,
                version or 0,
                f"{self.label()} ({verb})",
            )
        data_events().changed.emit("meeting", meeting_id)
        self.accept()

    def delete(self) -> None:
        answer = ask(
            self,
            "Delete meeting",
            f"Delete the meeting {self.label()} with its agenda and attendance? "
            "To keep it on record as not happening, cancel it instead. "
            "You can undo this with Ctrl+Z.",
            ["Delete", "Keep it"],
            default=1,
        )
        if answer != "Delete":
            return
        self.delete_on_pool("meeting", self.meeting_id, self.label(), self.version)  # type: ignore[arg-type]


class CancelMeetingDialog(FormDialog):
    """Cancel a planned meeting, with the reason people will read on its page."""

    kind = "meeting"
    field_labels = {"cancel_reason": "reason"}

    def __init__(self, database, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(database, parent)
        self.meeting_id = meeting_id
        self.version: int | None = None
        self.record = None
        self.setWindowTitle("Cancel meeting")
        self.intro = QLabel("Loading the meeting…")
        self.intro.setWordWrap(True)
        # Room for the three lines that come with the meeting: the form does not jump.
        self.intro.setMinimumHeight(self.intro.fontMetrics().lineSpacing() * 3)
        self.reason = line("Reason", "e.g. not quorate: moved to the next date")
        self.reason.setMaxLength(500)
        box, error = with_error(self.reason, self)
        self.errors["cancel_reason"] = error
        form = QFormLayout()
        form.addRow(self.intro)
        form.addRow("&Reason", box)
        form.labelForField(box).setBuddy(self.reason)
        self.body.addLayout(form)
        self.watch("cancel_reason", self.reason.textChanged)
        self.save_button.setText("Ca&ncel the meeting")
        self.save_button.setAccessibleName("Cancel the meeting")
        self.cancel_button.setText("&Keep it")
        self.mark_loaded()
        self.resize(520, self.sizeHint().height())
        self.reason.setFocus()
        self.load_existing_later(self._meeting_shown)  # the meeting is read on the pool

    def _meeting_shown(self) -> None:
        """The meeting is here: say which one, and refuse one that is not planned."""
        record = self.record
        self.setWindowTitle(f"Cancel meeting: {record.title}")  # type: ignore[attr-defined]
        self.intro.setText(
            f"Cancel <b>{record.title}</b>, {describe_moment(record.starts_at)}? It stays on "  # type: ignore[attr-defined]
            "record as cancelled, and calendars that imported it show it as cancelled "
            "after the next export."
        )
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        if record.status != "planned":  # type: ignore[attr-defined]
            self.banner.show_message(
                f"This meeting is {record.status}: only a planned meeting can be cancelled."  # type: ignore[attr-defined]
            )
            self._unusable = True
            self.revalidate()
        self.reason.setFocus()

    def values(self) -> dict[str, object]:
        return {"cancel_reason": self.reason.text()}

    def fill(self, values: dict[str, object]) -> None:
        self.reason.setText(str(values["cancel_reason"]))

    def read_record(self) -> object:
        from vru_crm.governance import meetings

        return meetings.get_meeting(self.database, self.meeting_id)

    def record_values(self, record) -> dict[str, object]:
        self.record, self.version = record, record.version
        return {"cancel_reason": self.reason.text()}  # the reason is the user's alone

    def problems(self) -> dict[str, str]:
        return {}

    def save_record(self) -> None:
        """The cancel (and the undo's copies around it) on the pool."""
        from vru_crm.governance import meetings
        from vru_crm.services import records

        database, meeting_id, version = self.database, self.meeting_id, self.version
        reason = self.reason.text().strip() or None

        def work() -> tuple[dict, dict, int | None]:
            before = records.row_values(database, "meeting", meeting_id)
            meetings.cancel_meeting(database, meeting_id, reason=reason, expected_version=version)
            after = records.row_values(database, "meeting", meeting_id)
            return before, after, records.current_version(database, "meeting", meeting_id)

        self.run_save(work, self._cancelled)

    def _cancelled(self, answer) -> None:
        from ui import undo

        before, after, self.version = answer
        undo.push_edited(
            self.database,
            "meeting",
            self.meeting_id,
            before,
            after,
            self.version or 0,
            f"“{self.record.title}” (cancel)",  # type: ignore[attr-defined]
        )
        data_events().changed.emit("meeting", self.meeting_id)
        self.accept()


def _write_meeting(database, meeting_id: int | None, values: dict, version: int | None):
    """On the pool: create or change the meeting, with its values before and after (for undo).

    Returns (id, version, change): change is None for a create, () when nothing changed,
    else (verb, before, after).
    """
    from vru_crm.governance import meetings
    from vru_crm.services import records

    if meeting_id is None:
        row = meetings.create_meeting(database, **values)
        return row.id, records.current_version(database, "meeting", row.id), None
    before = records.row_values(database, "meeting", meeting_id)
    changes = {k: v for k, v in values.items() if before.get(k) != v}
    if not changes:
        return meeting_id, version, ()
    moved = set(changes) <= {"starts_at", "ends_at"}
    if moved:
        meetings.reschedule_meeting(
            database,
            meeting_id,
            values["starts_at"],
            values["ends_at"],
            expected_version=version,
        )
    else:
        meetings.update_meeting(database, meeting_id, expected_version=version, **changes)
    after = records.row_values(database, "meeting", meeting_id)
    new_version = records.current_version(database, "meeting", meeting_id)
    return meeting_id, new_version, ("reschedule" if moved else "edit", before, after)


def _read_slot(database, network_id: int) -> tuple[tuple[datetime, datetime] | None, str]:
    """On the pool: the network's next expected start and end, and the title made for it."""
    from vru_crm.governance import meetings

    slot = meetings.next_expected_slot(database, network_id)
    title = meetings.default_title(database, network_id, slot[0]) if slot else ""
    return slot, title


def _read_networks(database, network_id: int | None) -> tuple[list, list]:
    """On the pool: the networks to choose from, and ``network_id``'s name (archived ones too)."""
    from vru_crm.governance.networks import network_choices
    from vru_crm.services import pickers

    choices = list(network_choices(database))
    asked = [] if network_id is None else list(pickers.names(database, "network", [network_id]))
    return choices, asked
