"""``network``: make and keep networks and their members from a script.

A network is named by its name or its short name, any case (``PRG``); a person or
an organisation by their name (case and accents ignored) or their id. Exit
statuses: 0 done, 1 a data problem said in words, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from vru_crm.cli.cmd_cadence import parse_day

if TYPE_CHECKING:
    from db.session import Database
    from vru_crm.governance.agenda_items import StandingRow
    from vru_crm.governance.networks import NetworkInput, NetworkRecord
    from vru_crm.queries.network_detail import Member, NetworkDetail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    network = sub.add_parser(
        "network", help="add, edit, list and show networks; members join and leave"
    )
    actions = network.add_subparsers(dest="network_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="a new network (prints its id)")
    add.add_argument("name", metavar="NAME")
    _network_flags(add)
    _json_flag(add)
    add.set_defaults(func=run_add)

    edit = actions.add_parser("edit", help="change a network: only the flags given change")
    edit.add_argument("network", metavar="NETWORK", help="its name or short name")
    edit.add_argument("--name", help="a new name")
    _network_flags(edit)
    archive = edit.add_mutually_exclusive_group()
    archive.add_argument(
        "--archive", action="store_true", help="take it out of lists and pickers (history stays)"
    )
    archive.add_argument("--unarchive", action="store_true", help="bring an archived network back")
    edit.add_argument(
        "--archive-on",
        metavar="DATE",
        type=parse_day,
        help="the day it was archived (default today)",
    )
    _json_flag(edit)
    edit.set_defaults(func=run_edit)

    listing = actions.add_parser("list", help="the current networks (--all: archived ones too)")
    listing.add_argument("--all", action="store_true", help="include archived networks")
    _json_flag(listing)
    listing.set_defaults(func=run_list)

    show = actions.add_parser("show", help="a network: members current and past, meetings, cadence")
    show.add_argument("network", metavar="NETWORK")
    show.add_argument("--as-of", metavar="DATE", type=parse_day, help="judge cadence on this day")
    _json_flag(show)
    show.set_defaults(func=run_show)

    join = actions.add_parser("join", help="a person or an organisation joins the network")
    join.add_argument("network", metavar="NETWORK")
    _member_flags(join)
    join.add_argument("--role", default="member", help="chair, deputy, member (default), ...")
    join.add_argument("--represents", metavar="TEXT", help="whom they represent")
    join.add_argument("--from", dest="start", metavar="DATE", type=parse_day, help="default today")
    _json_flag(join)
    join.set_defaults(func=run_join)

    leave = actions.add_parser("leave", help="end a membership on a date (it is kept as history)")
    leave.add_argument("network", metavar="NETWORK")
    _member_flags(leave)
    leave.add_argument(
        "--on", metavar="DATE", type=parse_day, help="their last day (default today)"
    )
    _json_flag(leave)
    leave.set_defaults(func=run_leave)

    role = actions.add_parser("role", help="a member's new role from a date (the old one is kept)")
    role.add_argument("network", metavar="NETWORK")
    _member_flags(role)
    role.add_argument("--role", required=True, help="the new role")
    role.add_argument("--represents", metavar="TEXT", help="whom they represent from then")
    role.add_argument(
        "--on", metavar="DATE", type=parse_day, help="first day in the role (default today)"
    )
    _json_flag(role)
    role.set_defaults(func=run_role)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _network_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--short", metavar="S", help='short name, e.g. "PRG"')
    parser.add_argument(
        "--kind", metavar="K", help="board, network, forum, advisory, youth_group, ..."
    )
    parser.add_argument("--description", metavar="T")
    parser.add_argument(
        "--cadence",
        metavar="RRULE_OR_WORDS",
        help='e.g. "quarterly, second Tuesday, 10:00 to 12:00" or FREQ=MONTHLY;BYDAY=-1TH',
    )
    parser.add_argument("--tolerance", metavar="DAYS", type=int, help="days a meeting may move")
    parser.add_argument(
        "--publish-within", metavar="DAYS", type=int, help="days to publish minutes in"
    )
    parser.add_argument("--quorum", metavar="N", type=int)
    parser.add_argument("--minutes", metavar="N", type=int, help="usual length of a meeting")
    parser.add_argument(
        "--standing-item",
        dest="standing_items",
        action="append",
        metavar="TITLE[|PRESENTER[|MINUTES]]",
        help="an item that opens every agenda, in order (repeat it; on edit the list replaces "
        'the old one; "none" clears it), e.g. "VRU Director\'s update|VRU Director|20"',
    )


def _member_flags(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", metavar="NAME", help="a person, by name or id")
    who.add_argument("--organisation", metavar="NAME", help="an organisation, by name or id")


def _blank_is_none(text: str | None) -> str | None:
    value = (text or "").strip()
    return None if value.casefold() in ("", "none") else value


def _apply_flags(data: NetworkInput, args: argparse.Namespace) -> None:
    """Copy the flags given onto a NetworkInput (flags not given leave the value as it is)."""
    if args.short is not None:
        data.short_name = _blank_is_none(args.short)
    if args.kind is not None:
        data.kind = args.kind
    if args.description is not None:
        data.description = args.description
    if args.cadence is not None:
        data.cadence = _blank_is_none(args.cadence)
        if data.cadence is None:
            data.meeting_minutes = None
    if args.tolerance is not None:
        data.cadence_tolerance_days = args.tolerance
    if args.publish_within is not None:
        data.minutes_publication_days = args.publish_within
    if args.quorum is not None:
        data.quorum = args.quorum
    if args.minutes is not None:
        data.meeting_minutes = args.minutes


def standing_rows(values: list[str] | None) -> list[StandingRow] | None:
    """``TITLE|PRESENTER|MINUTES`` flags as StandingRows (None when the flag was not given)."""
    from vru_crm.cli.main import UsageError
    from vru_crm.governance.agenda_items import StandingRow

    if values is None:
        return None
    if [v.strip().lower() for v in values] == ["none"]:
        return []
    rows: list[StandingRow] = []
    for value in values:
        title, presenter, minutes = ([*value.split("|"), "", ""])[:3]
        if not title.strip():
            raise UsageError(f'--standing-item "{value}" has no title')
        if minutes.strip() and not minutes.strip().isdigit():
            raise UsageError(f'--standing-item "{value}": minutes must be a whole number')
        rows.append(
            StandingRow(
                title=title.strip(),
                presenter=presenter.strip() or None,
                minutes_allotted=int(minutes) if minutes.strip() else None,
            )
        )
    return rows


def _save_standing(database: Database, network_id: int, rows: list[StandingRow] | None) -> None:
    from vru_crm.governance.agenda_items import set_standing_items

    if rows is not None:
        set_standing_items(database, network_id, rows)


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _network_lines(record: NetworkRecord) -> list[str]:
    lines = [f"{record.label}  (id {record.id}, {record.kind})"]
    if record.description:
        lines.append(f"  {record.description}")
    cadence = f"{record.cadence_words} ({record.cadence_rrule})" if record.cadence_rrule else "none"
    lines.append(f"  Cadence:    {cadence}, tolerance {record.cadence_tolerance_days} days")
    publish = (
        f"{record.minutes_publication_days} days"
        if record.minutes_publication_days is not None
        else "no set time"
    )
    lines.append(f"  Quorum:     {record.quorum if record.quorum is not None else 'none set'}")
    lines.append(f"  Minutes published within: {publish}")
    if record.archived_on:
        lines.append(f"  Archived on {_day(record.archived_on)}")
    return lines


def run_add(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.networks import NetworkInput, create_network

    data = NetworkInput(name=args.name)
    _apply_flags(data, args)
    rows = standing_rows(args.standing_items)
    database = connect(args.db, args.user)
    try:
        record = create_network(database, data)
        _save_standing(database, record.id, rows)
    finally:
        database.dispose()
    if args.json:
        _print_json(record.to_dict())
    else:
        print(record.id)
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from vru_crm.cli.main import UsageError
    from vru_crm.context import connect
    from vru_crm.governance import networks as n

    if args.archive_on and not args.archive:
        raise UsageError("--archive-on goes with --archive")
    database = connect(args.db, args.user)
    try:
        record = n.resolve_network(database, args.network)
        data = n.network_input(record)
        if args.name is not None:
            data.name = args.name
        _apply_flags(data, args)
        if data != n.network_input(record):
            record = n.update_network(database, record.id, data, record.version)
        _save_standing(database, record.id, standing_rows(args.standing_items))
        if args.archive:
            record = n.archive_network(database, record.id, args.archive_on, record.version)
        elif args.unarchive:
            record = n.unarchive_network(database, record.id)
    finally:
        database.dispose()
    if args.json:
        _print_json(record.to_dict())
    else:
        print(f"Saved {record.label} (id {record.id}).")
        for line in _network_lines(record)[1:]:
            print(line)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.memberships import memberships
    from vru_crm.governance.networks import list_networks

    database = connect(args.db, args.user)
    try:
        records = list_networks(database, include_archived=args.all)
        counts = {r.id: sum(m.current for m in memberships(database, r.id)) for r in records}
    finally:
        database.dispose()
    if args.json:
        _print_json([{**r.to_dict(), "current_members": counts[r.id]} for r in records])
        return 0
    if not records:
        print("No networks yet." if args.all else "No current networks.")
        return 0
    for r in records:
        archived = f"  [archived {_day(r.archived_on)}]" if r.archived_on else ""
        cadence = r.cadence_words or "no set cadence"
        print(f"{r.id:>4}  {r.label}{archived}")
        print(f"      {r.kind}; {cadence}; {counts[r.id]} current members")
    return 0


def _detail_json(record: NetworkRecord, detail: NetworkDetail) -> dict[str, Any]:
    return {
        **record.to_dict(),
        "cadence": {
            "words": record.cadence_words,
            "rrule": record.cadence_rrule,
            "last_held": _day(detail.last_held) or None,
            "next_due": _day(detail.next_due) or None,
            "next_scheduled": _day(detail.next_scheduled) or None,
            "overdue": detail.overdue,
            "days_overdue": detail.days_overdue,
        },
        "members": [
            {
                "id": m.membership_id,
                "version": m.membership_version,
                "kind": m.kind,
                "member_id": m.member_id,
                "name": m.name,
                "role": m.role,
                "represents": m.represents or None,
                "from": _day(m.start_date) or None,
                "to": _day(m.end_date) or None,
                "current": m.current,
                "attended": m.attended,
                "meetings_while_member": m.meetings_while_member,
                "attendance_share": m.attendance_share,
            }
            for m in detail.members
        ],
        "meetings": [
            {
                "id": mt.id,
                "starts_at": mt.starts_at.isoformat(),
                "title": mt.title,
                "status": mt.status,
                "minutes_status": mt.minutes_status,
                "present": mt.attendees,
            }
            for mt in detail.meetings
        ],
    }


def _member_line(m: Member) -> str:
    represents = f", for {m.represents}" if m.represents else ""
    dates = f"from {_day(m.start_date) or '?'}" + (f" to {_day(m.end_date)}" if m.end_date else "")
    share = ""
    if m.attendance_share is not None:
        share = f"; attended {m.attended} of {m.meetings_while_member} in 12 months"
    return f"    {m.name} ({m.role}{represents}), {dates}{share}  [membership {m.membership_id}]"


def run_show(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.agenda_items import standing_items
    from vru_crm.governance.common import format_time
    from vru_crm.governance.networks import resolve_network
    from vru_crm.queries.network_detail import network_detail

    database = connect(args.db, args.user)
    try:
        record = resolve_network(database, args.network)
        detail = network_detail(database, record.id, as_of=args.as_of)
        standing = standing_items(database, record.id)
    finally:
        database.dispose()
    if args.json:
        data = _detail_json(record, detail)
        data["standing_items"] = [
            {"number": n, "title": i.title, "presenter": i.presenter, "minutes": i.minutes_allotted}
            for n, i in enumerate(standing, start=1)
        ]
        _print_json(data)
        return 0
    for line in _network_lines(record):
        print(line)
    due = _day(detail.next_due) or "none"
    if detail.overdue:
        due += f"  OVERDUE by {detail.days_overdue} days"
    if detail.next_scheduled:
        due += f"  (next scheduled {_day(detail.next_scheduled)})"
    print(f"  Standing items ({len(standing)}):")
    for number, item in enumerate(standing, start=1):
        extra = ", ".join(
            x
            for x in (
                item.presenter,
                f"{item.minutes_allotted} min" if item.minutes_allotted else "",
            )
            if x
        )
        print(f"    {number}. {item.title}" + (f" ({extra})" if extra else ""))
    print(f"  Last held:  {_day(detail.last_held) or 'never'}")
    print(f"  Next due:   {due}")
    current = [m for m in detail.members if m.current]
    past = [m for m in detail.members if not m.current]
    print(f"  Current members ({len(current)}):")
    for m in current:
        print(_member_line(m))
    if not current:
        print("    none")
    print(f"  Past members ({len(past)}):")
    for m in past:
        print(_member_line(m))
    if not past:
        print("    none")
    print(f"  Meetings ({len(detail.meetings)}):")
    for mt in detail.meetings:
        when = f"{mt.starts_at.date().isoformat()} {format_time(mt.starts_at)}"
        present = f", {mt.attendees} present" if mt.status == "held" else ""
        print(f"    {when}  {mt.status}{present}  {mt.title}  [meeting {mt.id}]")
    if not detail.meetings:
        print("    none")
    return 0


def _member(database: Database, args: argparse.Namespace) -> tuple[str, int, str]:
    """("person" or "organisation", id, name) of the member named by --person/--organisation."""
    from vru_crm.governance.member_names import resolve_member

    kind = "person" if args.person is not None else "organisation"
    text = (args.person if kind == "person" else args.organisation).strip()
    if text.isdigit():
        name = _name_by_id(database, kind, int(text))
        if name is not None:
            return kind, int(text), name
    member_id, name = resolve_member(database, kind, text)
    return kind, member_id, name


def _name_by_id(database: Database, kind: str, record_id: int) -> str | None:
    from vru_crm.cli.lookup import name_by_id

    return name_by_id(database, kind, record_id)


def _ids(kind: str, member_id: int) -> dict[str, int]:
    return {"person_id": member_id} if kind == "person" else {"organisation_id": member_id}


def run_join(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.networks import join_network, resolve_network

    database = connect(args.db, args.user)
    try:
        network = resolve_network(database, args.network)
        kind, member_id, _ = _member(database, args)
        record = join_network(
            database,
            network.id,
            role=args.role,
            represents=args.represents,
            start_date=args.start,
            **_ids(kind, member_id),
        )
    finally:
        database.dispose()
    if args.json:
        _print_json(record.to_dict())
    else:
        print(
            f"{record.member_name} joined {network.label} as {record.role} "
            f"from {_day(record.start_date)} (membership {record.id})."
        )
    return 0


def run_leave(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.networks import find_membership, leave_network, resolve_network

    database = connect(args.db, args.user)
    try:
        network = resolve_network(database, args.network)
        kind, member_id, _ = _member(database, args)
        current = find_membership(database, network.id, **_ids(kind, member_id))
        record = leave_network(database, current.id, args.on, current.version)
    finally:
        database.dispose()
    if args.json:
        _print_json(record.to_dict())
    else:
        print(
            f"{record.member_name} left {network.label} on {_day(record.end_date)} "
            f"(membership {record.id}, kept as history)."
        )
    return 0


def run_role(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.networks import change_role, find_membership, resolve_network

    database = connect(args.db, args.user)
    try:
        network = resolve_network(database, args.network)
        kind, member_id, _ = _member(database, args)
        current = find_membership(database, network.id, **_ids(kind, member_id))
        record = change_role(
            database, current.id, args.role, args.on, args.represents, current.version
        )
    finally:
        database.dispose()
    if args.json:
        _print_json(record.to_dict())
    else:
        print(
            f"{record.member_name} is {record.role} of {network.label} from "
            f"{_day(record.start_date)} (membership {record.id}; the earlier role is kept)."
        )
    return 0
