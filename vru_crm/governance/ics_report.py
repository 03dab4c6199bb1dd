"""The outcome of an .ics import, in sentences: what each event became and what was not.

``ImportReport.summary()`` is what ``import-ics`` prints (and a dialog would show):
counts first, then what was done with repeating events, what was taken as a calendar
program takes it (no title, no UID), notes said once each, and, with ``--skip-invalid``,
the events not imported with what is wrong with each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vru_crm.errors import UserError
from vru_crm.governance.ics_events import NO_TITLE

LISTED = 10  # names listed in a report line before "and N more"


@dataclass(frozen=True)
class EventProblem:
    number: int
    title: str
    uid: str
    problem: str

    def __str__(self) -> str:
        label = f"event {self.number}" + (f' "{self.title}"' if self.title else "")
        label += f" (UID {self.uid})" if self.uid else ""
        return f"{label}: {self.problem}"


class IcsImportError(UserError):
    """The file has problems; nothing was imported. ``problems`` lists them per event."""

    def __init__(self, message: str, problems: list[EventProblem] | None = None) -> None:
        self.problems = problems or []
        lines = [message, *(f"  {p}" for p in self.problems)]
        super().__init__("\n".join(lines))


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    dry_run: bool = False
    cancelled: list[str] = field(default_factory=list)  # dates no longer in their series
    series: int = 0  # repeating events read
    from_series: int = 0  # meetings (new, updated or unchanged) that are dates of one
    all_day: int = 0  # meetings (new, updated or unchanged) from all-day events
    cut: list[str] = field(default_factory=list)  # series with dates left out, and why
    not_added: int = 0  # cancelled dates of a series with no meeting here to cancel
    untitled: int = 0  # meetings (new, updated or unchanged) from events without a SUMMARY
    derived: int = 0  # events without a UID, given one made from their content
    notes: list[str] = field(default_factory=list)  # left out, guessed or done to a series
    invalid: list[str] = field(default_factory=list)  # with skip_invalid: events not imported

    def summary(self) -> str:
        """The report in plain sentences, one a line (the CLI prints it, a dialog shows it)."""
        verb = "would be" if self.dry_run else "were"
        parts = [
            f"{len(self.created)} new",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.cancelled:
            parts.append(f"{len(self.cancelled)} cancelled")
        lines = [f"Meetings {verb}: " + ", ".join(parts) + "."]
        lines += self._series_lines()
        if self.all_day:
            lines.append(
                f"{self.all_day} of them came from all-day events and last the whole day "
                "(00:00 to 00:00, London time)."
            )
        lines += self._made_up_lines()
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)}: " + "; ".join(self.skipped) + ".")
        lines += _indented("Notes:", self.notes)
        if self.invalid:
            events = len({line.split(":", 1)[0] for line in self.invalid})
            lines += _indented(
                f"Not imported: {events} event(s) with problems (fix them in the calendar "
                "program and import the file again):",
                self.invalid,
            )
        return "\n".join(lines)

    def _made_up_lines(self) -> list[str]:
        lines = []
        if self.untitled:
            lines.append(
                f"{self.untitled} of them came from events without a title (SUMMARY) and are "
                f'called "{NO_TITLE}".'
            )
        if self.derived:
            lines.append(
                f"{self.derived} event(s) had no UID: each was given one made from its start, "
                "title and place, so importing the file again finds the same meetings."
            )
        return lines

    def _series_lines(self) -> list[str]:
        lines = []
        if self.series:
            lines.append(
                f"{self.from_series} of them are the dates of {self.series} repeating "
                f"event{'s' if self.series != 1 else ''}, one meeting per date."
            )
        if self.cancelled:
            verb = "Would be cancelled" if self.dry_run else "Cancelled"
            lines.append(
                f"{verb} because the calendar no longer has their date: "
                + _listed(self.cancelled)
                + "."
            )
        if self.not_added:
            lines.append(
                f"Not added: {self.not_added} cancelled date(s) of repeating events "
                "(there was no meeting here to cancel)."
            )
        lines += [f"Cut short: {note}." for note in self.cut]
        return lines


def _indented(heading: str, lines: list[str], at_most: int = 2 * LISTED) -> list[str]:
    """A heading and its lines, indented, the first ``at_most`` of them."""
    if not lines:
        return []
    shown = [heading, *(f"  {line}" for line in lines[:at_most])]
    if len(lines) > at_most:
        shown.append(f"  and {len(lines) - at_most:,} more")
    return shown


def _listed(labels: list[str]) -> str:
    shown = "; ".join(labels[:LISTED])
    return shown + (f"; and {len(labels) - LISTED} more" if len(labels) > LISTED else "")
