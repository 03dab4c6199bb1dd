"""``meeting``: schedule, edit, cancel and record meetings, and list them.

Times are London wall-clock times ("2019-05-14 10:00"), as on the invitation;
a time the clocks skip or repeat that night is refused in words. A network is
named by its name or short name, any case (``--network prg``).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from vru_crm.cli.cmd_cadence import parse_day

if TYPE_CHECKING:
    from db.session import Database
    from vru_crm.governance.attendance import MemberRow, Quorum
    from vru_crm.governance.meetings import MeetingRecord

_WHEN = re.compile(
    r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4}))[ T]+(\d{1,2})[:.](\d{2})$"
)
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_FORMAT_HINT = 'write it as "2019-05-14 10:00" (or "14/05/2019 10:00")'


def _usage(message: str) -> Exception:
    from vru_crm.cli.main import UsageError

    return UsageError(message)


def _wall_clock(day: date, hour: int, minute: int, typed: str) -> datetime:
    """The London instant of a wall-clock time, refusing times the clocks skip or repeat."""
    from zoneinfo import ZoneInfo

    from vru_crm.london import LONDON

    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _usage(f'"{typed}" is not a time of day (hours 00 to 23, minutes 00 to 59)')
    moment = datetime.combine(day, time(hour, minute), LONDON)
    utc = ZoneInfo("UTC")
    if moment.astimezone(utc).astimezone(LONDON).replace(tzinfo=None) != moment.replace(
        tzinfo=None
    ):
        raise _usage(f'"{typed}" does not exist in London: the clocks go forward that night')
    if moment.replace(fold=1).utcoffset() != moment.utcoffset():
        raise _usage(
            f'"{typed}" happens twice in London (the clocks go back that night); pick another time'
        )
    return moment


def parse_when(text: str) -> datetime:
    """``2019-05-14 10:00`` (or ``14/05/2019 10:00``) as a London time; UsageError in words."""
    value = " ".join(text.split())
    match = _WHEN.match(value)
    if not match:
        raise _usage(f'"{text}" is not a date and time; {_FORMAT_HINT}')
    y1, m1, d1, d2, m2, y2, hour, minute = match.groups()
    year, month, day = (int(y1), int(m1), int(d1)) if y1 else (int(y2), int(m2), int(d2))
    try:
        on = date(year, month, day)
    except ValueError as error:
        raise _usage(f'"{text}" is not a real date ({error})') from error
    return _wall_clock(on, int(hour), int(minute), text)


def parse_end(text: str, start: datetime) -> datetime:
    """An end: a full date and time, or just ``12:00`` on the start's day."""
    match = _CLOCK.match(text.strip())
    if match:
        return _wall_clock(start.date(), int(match[1]), int(match[2]), text)
    return parse_when(text)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    meeting = sub.add_parser("meeting", help="schedule, edit, cancel and record meetings")
    actions = meeting.add_subparsers(dest="meeting_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="schedule a network's meeting or a one-off event")
    which = add.add_mutually_exclusive_group(required=True)
    which.add_argument("--network", metavar="NETWORK", help="the network (name or short name)")
    which.add_argument("--event", action="store_true", help="a one-off event with no network")
    add.add_argument(
        "--start",
        metavar="WHEN",
        help='London time, "YYYY-MM-DD HH:MM"; left out with --network: its next expected slot',
    )
    add.add_argument(
        "--next", action="store_true", help="at the network's next expected date and time"
    )
    add.add_argument(
        "--end", metavar="WHEN", help='"YYYY-MM-DD HH:MM" or "HH:MM" (default: usual length)'
    )
    add.add_argument("--title", metavar="T", help='default: "PRG meeting, May 2019"')
    _place_arguments(add)
    add.add_argument("--json", action="store_true", help="print the new meeting as JSON")
    add.set_defaults(func=run_add)

    edit = actions.add_parser("edit", help="change a meeting (time, place, title, network)")
    edit.add_argument("meeting_id", type=int, metavar="ID")
    edit.add_argument("--start", metavar="WHEN", help="new start; the length is kept")
    edit.add_argument("--end", metavar="WHEN", help='"YYYY-MM-DD HH:MM" or "HH:MM"')
    edit.add_argument("--title", metavar="T")
    _place_arguments(edit)
    edit.add_argument("--network", metavar="NETWORK", help='the network, or "none" for an event')
    edit.add_argument(
        "--reinstate", action="store_true", help="a cancelled meeting becomes planned again"
    )
    edit.add_argument("--json", action="store_true", help="print the meeting as JSON")
    edit.set_defaults(func=run_edit)

    cancel = actions.add_parser("cancel", help="cancel a meeting, saying why")
    cancel.add_argument("meeting_id", type=int, metavar="ID")
    cancel.add_argument("--reason", metavar="R", help="why it is cancelled")
    cancel.add_argument("--json", action="store_true", help="print the meeting as JSON")
    cancel.set_defaults(func=run_cancel)

    held = actions.add_parser(
        "held", help="record a meeting as held, with attendance (members not named are absent)"
    )
    held.add_argument("meeting_id", type=int, metavar="ID")
    for flag, words in (
        ("--present", "members present"),
        ("--apologies", "members who sent apologies"),
        ("--absent", "members absent (with --all-present)"),
        ("--guest", "guests (not members) who attended, by name"),
    ):
        held.add_argument(flag, nargs="+", action="extend", default=[], metavar="NAME", help=words)
    held.add_argument(
        "--all-present",
        action="store_true",
        help="every member present except those named with --apologies or --absent",
    )
    held.add_argument("--json", action="store_true", help="print the attendance as JSON")
    held.set_defaults(func=run_held)

    show = actions.add_parser("show", help="a meeting: time, place, status, attendance, agenda")
    show.add_argument("meeting_id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(func=run_show)

    listing = actions.add_parser("list", help="meetings in time order")
    listing.add_argument("--network", metavar="NETWORK", help="only this network's")
    listing.add_argument("--from", dest="start", metavar="DATE", type=parse_day)
    listing.add_argument("--to", dest="end", metavar="DATE", type=parse_day)
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    listing.set_defaults(func=run_list)


def _place_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--location", metavar="L", help="where (blank clears it)")
    parser.add_argument("--online-url", metavar="URL", help="joining link (www.… is fine)")
    parser.add_argument("--chair", metavar="NAME", help="who chairs this meeting")
    parser.add_argument("--notes", metavar="TEXT")


# --- output -------------------------------------------------------------------------------


def _when(record: MeetingRecord) -> str:
    start, end = record.starts_at, record.ends_at
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %Y %H:%M}"
    return f"{start:%a %d %b %Y %H:%M} to {until}"


def _print_record(record: MeetingRecord) -> None:
    print(f"Meeting {record.id}: {record.title}")
    print(f"  When:     {_when(record)} (London)")
    print(f"  Network:  {record.network_name or 'none (an event)'}")
    status = record.status
    if record.cancel_reason:
        status += f" ({record.cancel_reason})"
    print(f"  Status:   {status}")
    for label, value in (
        ("Where", record.location),
        ("Online", record.online_url),
        ("Chair", record.chair),
        ("Notes", record.notes),
    ):
        if value:
            print(f"  {label + ':':<9} {value}")
    minutes = record.minutes_status
    if record.minutes_url:
        minutes += f" ({record.minutes_url})"
    print(f"  Minutes:  {minutes}")
    print(f"  Calendar: UID {record.uid}, SEQUENCE {record.sequence}")


def _emit(record: MeetingRecord, as_json: bool) -> None:
    if as_json:
        print(json.dumps(record.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_record(record)


# --- handlers -----------------------------------------------------------------------------


def _network_id(database: Database, name: str) -> int:
    from db.models import saved_id
    from vru_crm.governance.common import find_network

    with database.session() as s:
        return saved_id(find_network(s, name))


def _place_changes(args: argparse.Namespace) -> dict[str, Any]:
    changes = {}
    for name in ("location", "online_url", "chair", "notes"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    return changes


def run_add(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.meetings import (
        DEFAULT_MEETING_MINUTES,
        create_meeting,
        default_title,
        get_meeting,
        next_expected_slot,
    )
    from vru_crm.governance.networks import get_network

    if args.event and (args.next or not args.start):
        raise _usage("an event needs --start (only a network has expected dates)")
    if args.next and args.start:
        raise _usage("give --start or --next, not both")
    start = parse_when(args.start) if args.start else None
    end = parse_end(args.end, start) if args.end and start else None
    database = connect(args.db, args.user)
    try:
        network_id = None if args.event else _network_id(database, args.network)
        if start is None:
            if network_id is None:  # checked above: an event always has --start
                raise _usage("an event needs --start (only a network has expected dates)")
            slot = next_expected_slot(database, network_id)
            if slot is None:
                network = get_network(database, network_id)
                raise _usage(
                    f"{network.name} has no usable cadence, so it has no next expected date; "
                    "give --start"
                )
            start, end = slot[0], (parse_end(args.end, slot[0]) if args.end else slot[1])
        if end is None:
            minutes = DEFAULT_MEETING_MINUTES
            if network_id is not None:
                minutes = get_network(database, network_id).meeting_minutes or minutes
            end = start + timedelta(minutes=minutes)
        row = create_meeting(
            database,
            title=args.title or default_title(database, network_id, start),
            starts_at=start,
            ends_at=end,
            network_id=network_id,
            **_place_changes(args),
        )
        record = get_meeting(database, row.id)
    finally:
        database.dispose()
    if args.json:
        _emit(record, True)
    else:
        print(record.id)
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.meetings import get_meeting, update_meeting

    database = connect(args.db, args.user)
    try:
        current = get_meeting(database, args.meeting_id)
        changes = _place_changes(args)
        if args.title is not None:
            changes["title"] = args.title
        if args.start:
            start = parse_when(args.start)
            changes["starts_at"] = start
            changes["ends_at"] = start + (current.ends_at - current.starts_at)
        if args.end:
            changes["ends_at"] = parse_end(args.end, changes.get("starts_at", current.starts_at))
        if args.network is not None:
            none = args.network.strip().lower() in ("", "none")
            changes["network_id"] = None if none else _network_id(database, args.network)
        if args.reinstate:
            if current.status != "cancelled":
                raise _usage(f"meeting {current.id} is {current.status}, not cancelled")
            changes.update(status="planned", cancel_reason=None)
        if not changes:
            raise _usage("nothing to change: give at least one of the flags (see --help)")
        update_meeting(database, args.meeting_id, current.version, **changes)
        record = get_meeting(database, args.meeting_id)
    finally:
        database.dispose()
    _emit(record, args.json)
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.meetings import cancel_meeting, get_meeting

    database = connect(args.db, args.user)
    try:
        cancel_meeting(database, args.meeting_id, reason=args.reason)
        record = get_meeting(database, args.meeting_id)
    finally:
        database.dispose()
    if args.json:
        _emit(record, True)
    else:
        why = f": {record.cancel_reason}" if record.cancel_reason else ""
        print(f"Cancelled meeting {record.id}, {record.title} ({_when(record)}){why}")
    return 0


def _statuses(database: Database, args: argparse.Namespace) -> dict[int, str]:
    from vru_crm.governance.attendance import match_attendees, meeting_members

    named: dict[int, str] = {}
    for status, names in (
        ("present", args.present),
        ("apologies", args.apologies),
        ("absent", args.absent),
    ):
        for member in match_attendees(database, args.meeting_id, names):
            if member.person_id is None:  # people only: organisation members are refused
                continue
            if named.get(member.person_id, status) != status:
                raise _usage(
                    f"{member.name} is named as both {named[member.person_id]} and {status}"
                )
            named[member.person_id] = status
    if args.all_present:
        for member in meeting_members(database, args.meeting_id):
            if member.person_id is not None and member.kind != "guest":  # can attend
                named.setdefault(member.person_id, "present")
    return named


def _attendance_json(
    record: MeetingRecord, members: Sequence[MemberRow], guests: list[str], quorum: Quorum
) -> dict[str, Any]:
    return {
        "meeting": record.to_dict(),
        "attendance": [
            {
                "person_id": m.person_id,
                "organisation_id": m.organisation_id,
                "name": m.name,
                "role": m.role,
                "kind": m.kind,
                "status": m.status,
            }
            for m in members
        ],
        "guests": guests,
        "quorum": {"present": quorum.present, "needed": quorum.quorum, "quorate": quorum.quorate},
    }


def _quorum_words(quorum: Quorum) -> str:
    if quorum.quorum is None:
        return "the network sets no quorum"
    state = "quorate" if quorum.quorate else "NOT quorate"
    return f"quorum {quorum.quorum}: {state}"


def run_held(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.attendance import meeting_guests, meeting_members, record_meeting_held
    from vru_crm.governance.meetings import get_meeting

    if args.absent and not args.all_present:
        raise _usage("--absent is for exceptions to --all-present (members not named are absent)")
    if args.all_present and args.present:
        raise _usage("give --all-present or --present, not both")
    database = connect(args.db, args.user)
    try:
        statuses = _statuses(database, args)
        quorum = record_meeting_held(database, args.meeting_id, statuses, guests=args.guest or None)
        record = get_meeting(database, args.meeting_id)
        members = meeting_members(database, args.meeting_id)
        guests = meeting_guests(database, args.meeting_id)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(_attendance_json(record, members, guests, quorum), indent=2))
        return 0
    counts = {s: sum(m.status == s for m in members) for s in ("present", "apologies", "absent")}
    print(
        f"Recorded meeting {record.id}, {record.title}, as held: {counts['present']} present, "
        f"{counts['apologies']} apologies, {counts['absent']} absent, {len(guests)} "
        f"guest{'s' if len(guests) != 1 else ''}; {_quorum_words(quorum)}."
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.agenda import get_agenda
    from vru_crm.governance.attendance import meeting_guests, meeting_members, quorum_of
    from vru_crm.governance.meetings import get_meeting

    database = connect(args.db, args.user)
    try:
        record = get_meeting(database, args.meeting_id)
        members = meeting_members(database, args.meeting_id)
        guests = meeting_guests(database, args.meeting_id)
        quorum = quorum_of(database, args.meeting_id)
        agenda = get_agenda(database, args.meeting_id)
    finally:
        database.dispose()
    if args.json:
        data = _attendance_json(record, members, guests, quorum)
        data["agenda"] = [
            {
                "number": i.number,
                "title": i.title,
                "presenter": i.presenter,
                "minutes": i.minutes_allotted,
                "kind": i.kind,
            }
            for i in agenda.items
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    _print_record(record)
    if members:
        print("  Members:")
        for m in members:
            role = m.role + (", organisation" if m.kind == "organisation" else "")
            status = m.status or ("-" if m.kind == "organisation" else "not recorded")
            print(f"    {m.name} ({role}): {status}")
    if guests:
        print(f"  Guests:   {', '.join(guests)}")
    if record.status == "held":
        print(f"  Quorum:   {quorum.present} members present; {_quorum_words(quorum)}")
    if agenda.items:
        print("  Agenda:")
        for i in agenda.items:
            who = f" ({i.presenter})" if i.presenter else ""
            print(f"    {i.number}. {i.title}{who}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.meetings import list_meetings

    if args.start and args.end and args.end < args.start:
        raise _usage(f"--to ({args.end:%d/%m/%Y}) is before --from ({args.start:%d/%m/%Y})")
    database = connect(args.db, args.user)
    try:
        network_id = _network_id(database, args.network) if args.network else None
        records = list_meetings(database, network_id, args.start, args.end)
    finally:
        database.dispose()
    if args.json:
        print(json.dumps([r.to_dict() for r in records], indent=2, ensure_ascii=False))
    elif not records:
        print("No meetings.")
    else:
        for r in records:
            network = r.network_name or "event"
            print(
                f"{r.id:>5}  {r.starts_at:%a %d %b %Y %H:%M}  {r.status:<9}  {network}: {r.title}"
            )
    return 0
