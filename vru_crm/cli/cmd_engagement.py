"""``engagement``: log, edit, show, list and delete engagements from a script.

As in the engagement form: the date is today unless given, and the boroughs and
networks come from the organisations met unless given. Organisations, people and
networks are named by name or id, boroughs by name, the kind by its value or
label ("call" or "Phone call"), objectives by number or title.
Exit statuses: 0 done, 1 a data problem said in words, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from vru_crm.cli.cmd_cadence import parse_day

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Connection

    from db.session import Database
    from vru_crm.cli.lookup import References
    from vru_crm.queries.common import Filters
    from vru_crm.queries.engagement_detail import EngagementDetail
    from vru_crm.queries.engagements import EngagementQuery
    from vru_crm.services.engagements import EngagementInput


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    engagement = sub.add_parser("engagement", help="log, edit, show, list and delete engagements")
    actions = engagement.add_subparsers(dest="engagement_command", metavar="ACTION", required=True)

    log = actions.add_parser("log", help="log an engagement (prints its id)")
    log.add_argument("--date", type=parse_day, metavar="DATE", help="when (default today)")
    log.add_argument(
        "--kind", required=True, metavar="KIND", help="visit, online_meeting, call, event, email"
    )
    _fields(log, summary_required=True)
    _json_flag(log)
    log.set_defaults(func=run_log)

    edit = actions.add_parser("edit", help="change an engagement: only the flags given change")
    edit.add_argument("engagement_id", type=int, metavar="ID")
    edit.add_argument("--date", type=parse_day, metavar="DATE")
    edit.add_argument("--kind", metavar="KIND")
    _fields(edit, summary_required=False)
    edit.add_argument("--no-follow-up", action="store_true", help="clear the follow-up date")
    done = edit.add_mutually_exclusive_group()
    done.add_argument(
        "--done",
        dest="follow_up_done",
        action="store_true",
        default=None,
        help="the follow-up is done",
    )
    done.add_argument(
        "--not-done",
        dest="follow_up_done",
        action="store_false",
        help="the follow-up is still open",
    )
    edit.add_argument("--not-notable", dest="notable", action="store_false", help="unflag it")
    _json_flag(edit)
    edit.set_defaults(func=run_edit)

    show = actions.add_parser("show", help="an engagement in full")
    show.add_argument("engagement_id", type=int, metavar="ID")
    _json_flag(show)
    show.set_defaults(func=run_show)

    listing = actions.add_parser("list", help="engagements, newest first")
    listing.add_argument("--from", dest="date_from", type=parse_day, metavar="DATE")
    listing.add_argument("--to", dest="date_to", type=parse_day, metavar="DATE")
    listing.add_argument("--borough", metavar="B")
    listing.add_argument("--organisation", metavar="ORG")
    listing.add_argument("--kind", metavar="KIND")
    listing.add_argument("--search", metavar="TEXT", help="summary, outcome or a name contains it")
    listing.add_argument(
        "--limit", metavar="N", type=int, default=50, help="at most N (default 50)"
    )
    _json_flag(listing)
    listing.set_defaults(func=run_list)

    delete = actions.add_parser("delete", help="delete an engagement (asks first)")
    delete.add_argument("engagement_id", type=int, metavar="ID")
    delete.add_argument("--yes", action="store_true", help="do not ask (needed in a script)")
    _json_flag(delete)
    delete.set_defaults(func=run_delete)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _fields(parser: argparse.ArgumentParser, summary_required: bool) -> None:
    lists = ' (repeat it; on edit the list replaces the old one; "none" clears it)'
    parser.add_argument(
        "--organisation",
        dest="organisations",
        action="append",
        metavar="ORG",
        help="an organisation met" + lists,
    )
    parser.add_argument(
        "--person", dest="people", action="append", metavar="NAME", help="a person met" + lists
    )
    parser.add_argument(
        "--borough",
        dest="boroughs",
        action="append",
        metavar="B",
        help="default: the organisations'" + lists,
    )
    parser.add_argument(
        "--network",
        dest="networks",
        action="append",
        metavar="NETWORK",
        help="by name or short name; default: the organisations'" + lists,
    )
    parser.add_argument(
        "--objective",
        dest="objectives",
        action="append",
        metavar="N",
        help="an objective by number or title" + lists,
    )
    parser.add_argument("--people-reached", type=int, metavar="N")
    parser.add_argument(
        "--summary", required=summary_required, metavar="TEXT", help="a line on what happened"
    )
    parser.add_argument("--outcome", metavar="TEXT")
    parser.add_argument(
        "--follow-up", type=parse_day, metavar="DATE", help="a date to follow it up"
    )
    parser.add_argument("--notable", action="store_true", default=None, help="flag it for the next PRG agenda")  # fmt: skip


def _apply(
    database: Database, data: EngagementInput, args: argparse.Namespace, refs: References
) -> None:
    """Copy the flags given onto an EngagementInput (flags not given leave it as it is)."""
    from vru_crm.cli.lookup import find_network, find_record
    from vru_crm.cli.record_output import given_list
    from vru_crm.services.engagements import engagement_problems

    if args.date is not None:
        data.occurred_on = args.date
    if args.kind is not None:
        data.kind = refs.kind(args.kind)
    if (names := given_list(args.organisations)) is not None:
        data.organisation_ids = _unique(find_record(database, "organisation", n).id for n in names)
    if (names := given_list(args.people)) is not None:
        data.person_ids = _unique(find_record(database, "person", n).id for n in names)
    if (names := given_list(args.boroughs)) is not None:
        data.borough_ids = refs.borough_ids(names, "borough_ids")
    if (names := given_list(args.networks)) is not None:
        data.network_ids = _unique(find_network(database, n).id for n in names)
    if (names := given_list(args.objectives)) is not None:
        data.objective_ids = refs.objective_ids(names)
    if args.people_reached is not None:
        data.people_reached = args.people_reached
    for name in ("summary", "outcome"):
        if getattr(args, name) is not None:
            setattr(data, name, getattr(args, name))
    if args.follow_up is not None:
        data.follow_up_on = args.follow_up
    if args.notable is not None:
        data.is_notable = args.notable
    refs.check(engagement_problems(data))


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _detail_json(detail: EngagementDetail) -> dict[str, Any]:
    from vru_crm.cli.record_output import plain

    data: dict[str, Any] = plain(detail)
    data["kind_label"] = detail.kind_label
    for name in ("organisations", "people", "networks"):
        data[name] = [{"id": r.id, "name": r.label} for r in getattr(detail, name)]
    return data


def _lines(detail: EngagementDetail) -> list[str]:
    from vru_crm.cli.record_output import day

    lines = [
        f"Engagement {detail.id} (version {detail.version}): {day(detail.occurred_on)}, {detail.kind_label}"
    ]
    follow = ""
    if detail.follow_up_on:
        follow = f"{day(detail.follow_up_on)}" + (" (done)" if detail.follow_up_done else " (open)")
    rows = [
        ("Organisations", "; ".join(f"{r.label} [{r.id}]" for r in detail.organisations)),
        ("People", "; ".join(f"{r.label} [{r.id}]" for r in detail.people)),
        ("Boroughs", ", ".join(detail.boroughs)),
        ("Networks", "; ".join(r.label for r in detail.networks)),
        ("Objectives", "; ".join(detail.objectives)),
        ("Summary", detail.summary),
        ("Outcome", detail.outcome),
        ("People reached", str(detail.people_reached) if detail.people_reached else ""),
        ("Follow-up on", follow),
        ("Notable", "yes, for the next PRG agenda" if detail.is_notable else ""),
        ("Logged by", detail.logged_by),
    ]
    lines += [f"  {label + ':':<16}{value}" for label, value in rows if value]
    return lines


def _show(database: Database, engagement_id: int, as_json: bool, heading: str = "") -> None:
    from vru_crm.cli.record_output import print_json
    from vru_crm.queries.engagement_detail import engagement_detail

    detail = engagement_detail(database, engagement_id)
    if as_json:
        print_json(_detail_json(detail))
        return
    if heading:
        print(heading)
    for line in _lines(detail):
        print(line)


def run_log(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References
    from vru_crm.cli.record_output import print_json
    from vru_crm.context import connect
    from vru_crm.london import today_in_london
    from vru_crm.services import engagements

    database = connect(args.db, args.user)
    try:
        refs = References(database)
        data = engagements.EngagementInput(kind="", occurred_on=today_in_london())
        _apply(database, data, args, refs)
        if args.networks is None:  # as the form does: the networks of the organisations met
            data.network_ids = engagements.organisation_context(database, data.organisation_ids)[1]
        record = engagements.create_engagement(database, data)
        if args.json:
            from vru_crm.queries.engagement_detail import engagement_detail

            print_json(_detail_json(engagement_detail(database, record.id)))
        else:
            print(record.id)
    finally:
        database.dispose()
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References
    from vru_crm.cli.main import UsageError
    from vru_crm.context import connect
    from vru_crm.services import engagements, form_inputs

    if args.no_follow_up and args.follow_up is not None:
        raise UsageError("--no-follow-up and --follow-up do not go together")
    database = connect(args.db, args.user)
    try:
        refs = References(database)
        record = engagements.get_engagement(database, args.engagement_id)
        before = form_inputs.engagement_input(record)
        data = form_inputs.engagement_input(record)
        _apply(database, data, args, refs)
        if args.no_follow_up:
            data.follow_up_on, data.follow_up_done = None, False
        if args.follow_up_done is not None:
            data.follow_up_done = args.follow_up_done
        changed = data != before
        if changed:
            engagements.update_engagement(database, record.id, data, record.version)
        _show(database, record.id, args.json, "Saved." if changed else "Nothing to change.")
    finally:
        database.dispose()
    return 0


def run_show(args: argparse.Namespace) -> int:
    from vru_crm.context import connect

    database = connect(args.db, args.user)
    try:
        _show(database, args.engagement_id, args.json)
    finally:
        database.dispose()
    return 0


def _engagement_query(
    database: Database, filters: Filters, organisation_id: int | None
) -> EngagementQuery:
    """The engagement list, narrowed to one organisation's when asked."""
    from vru_crm.queries import tables as t
    from vru_crm.queries.engagements import EngagementQuery

    if organisation_id is None:
        return EngagementQuery(database, filters)

    class WithOrganisation(EngagementQuery):
        def _conditions(self) -> list[ColumnElement[bool]]:
            import sqlalchemy as sa

            eo = t.engagement_organisation.c
            linked = sa.select(eo.engagement_id).where(eo.organisation_id == organisation_id)
            return [*super()._conditions(), t.engagement.c.id.in_(linked)]

        def _count(
            self, conn: Connection
        ) -> int:  # the rollup counts the whole log, not one organisation's
            import sqlalchemy as sa

            statement = sa.select(sa.func.count()).select_from(self._from())
            return int(conn.execute(statement.where(*self._conditions())).scalar_one())

    return WithOrganisation(database, filters)


def run_list(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References, find_record
    from vru_crm.cli.main import UsageError
    from vru_crm.cli.record_output import check_limit, day, print_json
    from vru_crm.context import connect
    from vru_crm.queries.common import Filters

    limit = check_limit(args.limit)
    if args.date_from and args.date_to and args.date_to < args.date_from:
        raise UsageError("--to is before --from")
    database = connect(args.db, args.user)
    try:
        refs = References(database)
        organisation = (
            find_record(database, "organisation", args.organisation) if args.organisation else None
        )
        filters = Filters(
            text=args.search or "",
            borough_id=refs.borough_id(args.borough) if args.borough else None,
            date_from=args.date_from,
            date_to=args.date_to,
            kind=refs.kind(args.kind) if args.kind else None,
        )
        refs.check()
        query = _engagement_query(database, filters, organisation.id if organisation else None)
        total = query.count()
        rows = query.page(0, limit)
    finally:
        database.dispose()
    if args.json:
        print_json({"total": total, "engagements": rows})
        return 0
    if not rows:
        filtered = any((args.search, args.borough, args.organisation, args.kind, args.date_from, args.date_to))  # fmt: skip
        print("No engagements match." if filtered else "No engagements yet.")
        return 0
    for r in rows:
        follow = ""
        if r.follow_up_on and not r.follow_up_done:
            follow = f"  [follow up {day(r.follow_up_on)}]"
        print(f"{r.id:>6}  {day(r.occurred_on)}  {r.kind_label:<14} {r.summary}{follow}")
        about = "; ".join(x for x in (r.organisations, r.boroughs) if x)
        if about:
            print(f"        {about}")
    if total > len(rows):
        print(f"({len(rows)} of {total} shown; use --limit, --from or --search for more.)")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from vru_crm.cli.record_output import confirm, day, print_json
    from vru_crm.context import connect
    from vru_crm.services import engagements

    database = connect(args.db, args.user)
    try:
        record = engagements.get_engagement(database, args.engagement_id)
        label = f'engagement {record.id} of {day(record.occurred_on)} ("{_short(record.summary)}")'
        if not confirm(f"Delete {label}?", args.yes):
            print("Nothing was deleted.", file=sys.stderr)
            return 1
        engagements.delete_engagement(database, record.id, record.version)
    finally:
        database.dispose()
    if args.json:
        print_json({"deleted": "engagement", "id": record.id, "summary": record.summary})
    else:
        print(f"Deleted {label}.")
    return 0


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
