"""``organisation``: add, edit, show, list, delete, merge and assess partner organisations.

The same services as the organisation form: the same checks, the same words
when a value is refused. An organisation is named by its name (any case,
accents ignored) or its id; boroughs by name, a sector by its code or label.
Exit statuses: 0 done, 1 a data problem said in words, 2 a usage error.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from vru_crm.cli.cmd_cadence import parse_day

if TYPE_CHECKING:
    from db.session import Database
    from vru_crm.cli.lookup import References
    from vru_crm.services.organisations import (
        AssessmentRecord,
        OrganisationInput,
        OrganisationRecord,
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    organisation = sub.add_parser(
        "organisation", help="add, edit, show, list, delete, merge and assess organisations"
    )
    actions = organisation.add_subparsers(
        dest="organisation_command", metavar="ACTION", required=True
    )

    add = actions.add_parser("add", help="a new organisation (prints its id)")
    add.add_argument("name", metavar="NAME")
    _fields(add, sector_required=True)
    add.add_argument("--priority", action="store_true", help="a priority partner for the VRU")
    _duplicate_flag(add)
    _json_flag(add)
    add.set_defaults(func=run_add)

    edit = actions.add_parser("edit", help="change an organisation: only the flags given change")
    edit.add_argument("organisation", metavar="ORG", help="its name or id")
    edit.add_argument("--name", help="a new name")
    _fields(edit, sector_required=False)
    priority = edit.add_mutually_exclusive_group()
    priority.add_argument(
        "--priority", action="store_true", default=None, help="mark as a priority partner"
    )
    priority.add_argument(
        "--no-priority", dest="priority", action="store_false", help="no longer a priority partner"
    )
    _duplicate_flag(edit)
    _json_flag(edit)
    edit.set_defaults(func=run_edit)

    show = actions.add_parser(
        "show", help="an organisation: its details, people, networks, assessments"
    )
    show.add_argument("organisation", metavar="ORG")
    _json_flag(show)
    show.set_defaults(func=run_show)

    listing = actions.add_parser("list", help="organisations by name, filtered")
    listing.add_argument("--sector", metavar="S", help="only this sector (code or label)")
    listing.add_argument("--borough", metavar="B", help="only those working in this borough")
    listing.add_argument("--search", metavar="TEXT", help="name, e-mail or website contains TEXT")
    listing.add_argument("--priority", action="store_true", help="only priority partners")
    listing.add_argument(
        "--limit", metavar="N", type=int, default=50, help="at most N (default 50)"
    )
    _json_flag(listing)
    listing.set_defaults(func=run_list)

    delete = actions.add_parser("delete", help="delete an organisation and its links (asks first)")
    delete.add_argument("organisation", metavar="ORG")
    delete.add_argument("--yes", action="store_true", help="do not ask (needed in a script)")
    _json_flag(delete)
    delete.set_defaults(func=run_delete)

    merge = actions.add_parser(
        "merge", help="fold OTHER into KEEP: its links move over, then OTHER is deleted"
    )
    merge.add_argument("keep", metavar="KEEP", help="the organisation that stays")
    merge.add_argument("other", metavar="OTHER", help="the duplicate that goes")
    merge.add_argument("--yes", action="store_true", help="do not ask (needed in a script)")
    _json_flag(merge)
    merge.set_defaults(func=run_merge)

    assess = actions.add_parser("assess", help="a dated stakeholder assessment (1 to 5 each)")
    assess.add_argument("organisation", metavar="ORG")
    assess.add_argument("--influence", metavar="N", type=int, required=True, help="1 to 5")
    assess.add_argument("--interest", metavar="N", type=int, required=True, help="1 to 5")
    assess.add_argument("--support", metavar="N", type=int, required=True, help="1 to 5")
    assess.add_argument("--on", metavar="DATE", type=parse_day, help="default today")
    assess.add_argument("--by", metavar="NAME", help="who judged (default: your user name)")
    assess.add_argument("--notes", metavar="T", default="")
    _json_flag(assess)
    assess.set_defaults(func=run_assess)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _duplicate_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="save even if it looks like an organisation already recorded",
    )


def _fields(parser: argparse.ArgumentParser, sector_required: bool) -> None:
    parser.add_argument(
        "--sector", metavar="S", required=sector_required, help="e.g. charity or 'Charity / VCS'"
    )
    parser.add_argument(
        "--borough",
        dest="boroughs",
        action="append",
        metavar="B",
        help="a borough it works in (repeat it; on edit the list replaces the old one; "
        '"none" clears it)',
    )
    parser.add_argument("--website", metavar="URL", help='("" clears it on edit)')
    parser.add_argument("--email", metavar="E")
    parser.add_argument("--phone", metavar="P")
    parser.add_argument(
        "--tag",
        dest="tags",
        action="append",
        metavar="T",
        help='a tag (repeat it; on edit the list replaces the old one; "none" clears it)',
    )
    parser.add_argument("--notes", metavar="T")


def _apply(data: OrganisationInput, args: argparse.Namespace, refs: References) -> None:
    """Copy the flags given onto an OrganisationInput (flags not given leave it as it is)."""
    from vru_crm.cli.record_output import given_list

    if args.name is not None:  # NAME on add, --name on edit
        data.name = args.name
    if args.sector is not None:
        data.sector = refs.sector(args.sector)
    if (boroughs := given_list(args.boroughs)) is not None:
        data.borough_ids = refs.borough_ids(boroughs)
    for name in ("website", "email", "phone", "notes"):
        if getattr(args, name) is not None:
            setattr(data, name, getattr(args, name))
    if (tags := given_list(args.tags)) is not None:
        data.tags = tags
    if args.priority is not None:
        data.is_priority = args.priority


def _check_duplicates(
    database: Database, data: OrganisationInput, exclude_id: int | None, allowed: bool
) -> None:
    from vru_crm.errors import ValidationError
    from vru_crm.services.organisations import find_duplicate_organisations

    if allowed:
        return
    matches = find_duplicate_organisations(database, data, exclude_id=exclude_id)
    if matches:
        listed = "; ".join(f"{m.name} (id {m.id}, {m.reason})" for m in matches[:5])
        raise ValidationError(
            {
                "name": f"this looks like an organisation already recorded: {listed}. "
                "Add --allow-duplicate to save it anyway, or edit that one instead"
            }
        )


def _record_json(record: OrganisationRecord, refs: References) -> dict[str, Any]:
    from vru_crm.cli.record_output import plain

    return {**plain(record), "sector_label": refs.sector_label(record.sector)}


def _lines(record: OrganisationRecord, refs: References) -> list[str]:
    lines = [f"{record.name}  (id {record.id}, version {record.version})"]
    rows = [
        ("Sector", refs.sector_label(record.sector)),
        ("Boroughs", ", ".join(record.borough_names) or "none"),
        ("Website", record.website or ""),
        ("E-mail", record.email or ""),
        ("Phone", record.phone or ""),
        ("Tags", ", ".join(record.tags)),
        ("Priority partner", "yes" if record.is_priority else "no"),
        ("Notes", record.notes),
    ]
    lines += [f"  {label + ':':<18}{value}" for label, value in rows if value]
    return lines


def run_add(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References
    from vru_crm.cli.record_output import print_json
    from vru_crm.context import connect
    from vru_crm.services.organisations import (
        OrganisationInput,
        create_organisation,
        organisation_problems,
    )

    database = connect(args.db, args.user)
    try:
        refs = References(database)
        data = OrganisationInput(name=args.name, sector="")
        _apply(data, args, refs)
        data.is_priority = bool(args.priority)
        refs.check(organisation_problems(data))
        _check_duplicates(database, data, None, args.allow_duplicate)
        record = create_organisation(database, data)
    finally:
        database.dispose()
    if args.json:
        print_json(_record_json(record, refs))
    else:
        print(record.id)
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References, find_record
    from vru_crm.cli.record_output import print_json
    from vru_crm.context import connect
    from vru_crm.services import form_inputs, organisations

    database = connect(args.db, args.user)
    try:
        refs = References(database)
        found = find_record(database, "organisation", args.organisation)
        record = organisations.get_organisation(database, found.id)
        before = form_inputs.organisation_input(record)
        data = form_inputs.organisation_input(record)
        _apply(data, args, refs)
        refs.check(organisations.organisation_problems(data))
        if data != before:
            identity = (data.name, data.email, sorted(data.borough_ids))
            if identity != (before.name, before.email, sorted(before.borough_ids)):
                _check_duplicates(database, data, record.id, args.allow_duplicate)
            record = organisations.update_organisation(database, record.id, data, record.version)
    finally:
        database.dispose()
    if args.json:
        print_json(_record_json(record, refs))
    else:
        print("Saved." if data != before else "Nothing to change.")
        for line in _lines(record, refs):
            print(line)
    return 0


def run_show(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References, find_record
    from vru_crm.cli.record_output import day, plain, print_json
    from vru_crm.context import connect
    from vru_crm.queries.organisation_detail import organisation_detail
    from vru_crm.services import organisations

    database = connect(args.db, args.user)
    try:
        refs = References(database)
        found = find_record(database, "organisation", args.organisation)
        record = organisations.get_organisation(database, found.id)
        detail = organisation_detail(database, found.id)
        assessments = organisations.assessment_history(database, found.id)
    finally:
        database.dispose()
    people = [
        {"person_id": p.person_id, "name": p.name, "role": p.role or None,
         "from": day(p.start_date) or None, "to": day(p.end_date) or None, "current": p.current}
        for p in detail.people
    ]  # fmt: skip
    networks = [
        {"network_id": n.network_id, "network": n.network, "role": n.role,
         "represents": n.represents or None, "from": day(n.start_date) or None,
         "to": day(n.end_date) or None, "current": n.current, "via": n.via or None}
        for n in detail.networks
    ]  # fmt: skip
    if args.json:
        print_json(
            {
                **_record_json(record, refs),
                "people": people,
                "networks": networks,
                "engagements": {
                    "total": detail.engagement_total,
                    "last_contact": day(detail.last_contact) or None,
                },
                "assessments": plain(assessments),
            }
        )
        return 0
    for line in _lines(record, refs):
        print(line)
    current = [p for p in detail.people if p.current]
    print(f"  People ({len(current)} current):")
    for p in current:
        print(f"    {p.name}" + (f" ({p.role})" if p.role else "") + f"  [person {p.person_id}]")
    if not current:
        print("    none")
    print(f"  Networks ({sum(n.current for n in detail.networks)} current):")
    for n in (n for n in detail.networks if n.current):
        via = f", through {n.via}" if n.via else ""
        print(f"    {n.network} ({n.role}{via})")
    if not any(n.current for n in detail.networks):
        print("    none")
    last = f", last on {day(detail.last_contact)}" if detail.last_contact else ""
    print(f"  Engagements: {detail.engagement_total}{last}")
    print(f"  Stakeholder assessments ({len(assessments)}, newest first):")
    for a in assessments:
        print(f"    {_assessment_line(a)}")
    if not assessments:
        print("    none")
    return 0


def _assessment_line(a: AssessmentRecord) -> str:
    from vru_crm.cli.record_output import day

    by = f" by {a.assessed_by}" if a.assessed_by else ""
    notes = f": {a.notes}" if a.notes else ""
    return (
        f"{day(a.assessed_on)}  influence {a.influence}, interest {a.interest}, "
        f"support {a.support}{by}{notes}"
    )


def run_list(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References
    from vru_crm.cli.record_output import check_limit, print_json
    from vru_crm.context import connect
    from vru_crm.queries.common import Filters
    from vru_crm.queries.organisations import OrganisationQuery

    limit = check_limit(args.limit)
    database = connect(args.db, args.user)
    try:
        refs = References(database)
        filters = Filters(
            text=args.search or "",
            sector=refs.sector(args.sector) if args.sector else None,
            borough_id=refs.borough_id(args.borough) if args.borough else None,
            status="priority" if args.priority else None,
        )
        refs.check()
        query = OrganisationQuery(database, filters)
        total = query.count()
        rows = query.page(0, limit)
    finally:
        database.dispose()
    if args.json:
        print_json({"total": total, "organisations": rows})
        return 0
    if not rows:
        print(
            "No organisations match." if total == 0 and _filtered(args) else "No organisations yet."
        )
        return 0
    for r in rows:
        star = "  [priority]" if r.is_priority else ""
        print(f"{r.id:>5}  {r.name}{star}")
        where = f"; {r.boroughs}" if r.boroughs else ""
        print(f"       {r.sector}{where}; {r.engagements} engagements")
    if total > len(rows):
        print(f"({len(rows)} of {total} shown; use --limit or --search for more.)")
    return 0


def _filtered(args: argparse.Namespace) -> bool:
    return bool(args.search or args.sector or args.borough or args.priority)


def run_delete(args: argparse.Namespace) -> int:
    import sys

    from vru_crm.cli.lookup import find_record
    from vru_crm.cli.record_output import confirm, print_json
    from vru_crm.context import connect
    from vru_crm.services import organisations, snapshots

    database = connect(args.db, args.user)
    try:
        found = find_record(database, "organisation", args.organisation)
        record = organisations.get_organisation(database, found.id)
        links = snapshots.snapshot(database, "organisation", found.id).describe()
        question = f'Delete "{record.name}" (id {record.id}) with {links}?'
        if not confirm(question, args.yes):
            print("Nothing was deleted.", file=sys.stderr)
            return 1
        organisations.delete_organisation(database, record.id, record.version)
    finally:
        database.dispose()
    if args.json:
        print_json(
            {"deleted": "organisation", "id": record.id, "name": record.name, "links": links}
        )
    else:
        print(f'Deleted "{record.name}" (id {record.id}) with {links}.')
    return 0


def run_merge(args: argparse.Namespace) -> int:
    import sys

    from vru_crm.cli.lookup import References, find_record
    from vru_crm.cli.record_output import confirm, print_json
    from vru_crm.context import connect
    from vru_crm.services import organisations, snapshots

    database = connect(args.db, args.user)
    try:
        refs = References(database)
        keep = find_record(database, "organisation", args.keep)
        other = find_record(database, "organisation", args.other)
        if keep.id != other.id:
            links = snapshots.snapshot(database, "organisation", other.id).describe()
            question = (
                f'Merge "{other.name}" (id {other.id}) into "{keep.name}" (id {keep.id})? '
                f"Its {links} move over and id {other.id} is deleted."
            )
            if not confirm(question, args.yes):
                print("Nothing was merged.", file=sys.stderr)
                return 1
        result = organisations.merge_organisations(database, keep.id, other.id)
        record = organisations.get_organisation(database, keep.id)
    finally:
        database.dispose()
    if args.json:
        print_json(
            {**_record_json(record, refs), "merged_id": result.removed_id, "moved": result.moved}
        )
        return 0
    print(f'Merged "{other.name}" (id {other.id}) into "{record.name}" (id {record.id}).')
    print("  Moved: " + moved_words(result.moved))
    return 0


def moved_words(moved: dict[str, int]) -> str:
    """``2 affiliations, 1 engagements``: only the kinds that had something to move."""
    parts = [f"{count} {name}" for name, count in moved.items() if count]
    return ", ".join(parts) or "nothing (it had no links)"


def run_assess(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import find_record
    from vru_crm.cli.record_output import plain, print_json
    from vru_crm.context import connect
    from vru_crm.london import today_in_london
    from vru_crm.services.organisations import AssessmentInput, add_assessment

    database = connect(args.db, args.user)
    try:
        found = find_record(database, "organisation", args.organisation)
        record = add_assessment(
            database,
            AssessmentInput(
                organisation_id=found.id,
                influence=args.influence,
                interest=args.interest,
                support=args.support,
                assessed_on=args.on or today_in_london(),
                assessed_by=args.by,
                notes=args.notes,
            ),
        )
    finally:
        database.dispose()
    if args.json:
        print_json({**plain(record), "organisation": found.name})
    else:
        print(f"Assessed {found.name} (id {found.id}): {_assessment_line(record)}")
    return 0
