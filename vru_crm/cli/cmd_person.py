"""``person``: add, edit, show, list, delete and merge people, and record their consent.

The same services as the person form, so the data protection rules hold here
too: a young person has an age band and never a date of birth (there is no
flag for one), and an under-13's consent can only be recorded as given by a
parent or carer. A person is named by their name (any case, accents ignored)
or their id; two people with one name are listed with their ids to choose.
Exit statuses: 0 done, 1 a data problem said in words, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from vru_crm.cli.cmd_cadence import parse_day

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from db.session import Database
    from vru_crm.cli.lookup import References
    from vru_crm.queries.common import Filters
    from vru_crm.queries.people import PersonQuery
    from vru_crm.services.affiliations import AffiliationRow
    from vru_crm.services.people import PersonInput, PersonRecord


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    person = sub.add_parser(
        "person", help="add, edit, show, list, delete and merge people; record consent"
    )
    actions = person.add_subparsers(dest="person_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="a new person (prints their id)")
    add.add_argument("name", metavar="NAME", help="their full name")
    _fields(add)
    add.add_argument(
        "--young-person",
        action="store_true",
        default=None,
        help="a young person: give --age-band too (never a date of birth)",
    )
    _duplicate_flag(add)
    _json_flag(add)
    add.set_defaults(func=run_add)

    edit = actions.add_parser("edit", help="change a person: only the flags given change")
    edit.add_argument("person", metavar="PERSON", help="their name or id")
    edit.add_argument("--name", help="a new full name")
    _fields(edit)
    young = edit.add_mutually_exclusive_group()
    young.add_argument("--young-person", action="store_true", default=None)
    young.add_argument(
        "--not-young-person", dest="young_person", action="store_false", help="an adult"
    )
    edit.add_argument(
        "--leave",
        action="append",
        metavar="ORG",
        help="end their current affiliation with ORG (repeat it); kept as history",
    )
    edit.add_argument(
        "--left-on", metavar="DATE", type=parse_day, help="the day they left (default today)"
    )
    _duplicate_flag(edit)
    _json_flag(edit)
    edit.set_defaults(func=run_edit)

    show = actions.add_parser("show", help="a person: details, organisations, networks")
    show.add_argument("person", metavar="PERSON")
    _json_flag(show)
    show.set_defaults(func=run_show)

    listing = actions.add_parser("list", help="people by name, filtered")
    listing.add_argument("--search", metavar="TEXT", help="name, e-mail or job title contains it")
    listing.add_argument("--organisation", metavar="ORG", help="only those there now")
    listing.add_argument("--borough", metavar="B", help="only those in this borough")
    listing.add_argument("--young-people", action="store_true", help="only young people")
    listing.add_argument(
        "--limit", metavar="N", type=int, default=50, help="at most N (default 50)"
    )
    _json_flag(listing)
    listing.set_defaults(func=run_list)

    delete = actions.add_parser("delete", help="delete a person and their links (asks first)")
    delete.add_argument("person", metavar="PERSON")
    delete.add_argument("--yes", action="store_true", help="do not ask (needed in a script)")
    _json_flag(delete)
    delete.set_defaults(func=run_delete)

    merge = actions.add_parser(
        "merge", help="fold OTHER into KEEP: their links move over, then OTHER is deleted"
    )
    merge.add_argument("keep", metavar="KEEP", help="the person who stays")
    merge.add_argument("other", metavar="OTHER", help="the duplicate that goes")
    merge.add_argument("--yes", action="store_true", help="do not ask (needed in a script)")
    _json_flag(merge)
    merge.set_defaults(func=run_merge)

    consent = actions.add_parser(
        "consent", help="record a consent (an under-13's only from a parent or carer)"
    )
    consent.add_argument("person", metavar="PERSON")
    consent.add_argument("--purpose", required=True, help="newsletter, contact, photos, ...")
    consent.add_argument("--channel", default="any", help="any (default), email, phone, post")
    consent.add_argument("--given-on", metavar="DATE", type=parse_day, help="default today")
    consent.add_argument("--parent", metavar="NAME", help="the parent or carer who gave it")
    consent.add_argument("--relationship", metavar="R", help="e.g. mother, foster carer")
    consent.add_argument(
        "--method", default="written", help="written (default), online_form, email, verbal"
    )
    consent.add_argument("--notes", default="")
    _json_flag(consent)
    consent.set_defaults(func=run_consent)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _duplicate_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="save even if they look like someone already recorded",
    )


def _fields(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--job-title", metavar="T")
    parser.add_argument("--email", metavar="E")
    parser.add_argument("--phone", metavar="P")
    parser.add_argument("--borough", metavar="B", help='where they live or work ("none" clears it)')
    parser.add_argument(
        "--organisation",
        dest="organisations",
        action="append",
        metavar="ORG[:ROLE]",
        help="an organisation they work for, with their role there (repeat it)",
    )
    parser.add_argument(
        "--age-band", metavar="BAND", help="Under 13, 13-15, 16-17, 18-24, 25 and over"
    )
    parser.add_argument("--notes", metavar="T")


def _apply(data: PersonInput, args: argparse.Namespace, refs: References) -> None:
    """Copy the flags given onto a PersonInput (flags not given leave it as it is)."""
    from vru_crm.cli.record_output import blank_is_none

    if args.name is not None:
        data.full_name = args.name
    for flag, name in (("job_title", "job_title"), ("email", "email"), ("phone", "phone")):
        if getattr(args, flag) is not None:
            setattr(data, name, getattr(args, flag))
    if args.notes is not None:
        data.notes = args.notes
    if args.borough is not None:
        borough = blank_is_none(args.borough)
        data.borough_id = refs.borough_id(borough) if borough else None
    if args.young_person is not None:
        data.is_young_person = args.young_person
        if not args.young_person and args.age_band is None and data.age_band in _UNDER_18:
            data.age_band = None
    if args.age_band is not None:
        data.age_band = blank_is_none(args.age_band)


_UNDER_18 = ("under_13", "13_15", "16_17")


def _organisation_roles(
    database: Database, values: list[str] | None
) -> list[tuple[int, str, str | None]]:
    """``ORG[:ROLE]`` flags as (organisation id, name, role); a name with a colon still works."""
    from vru_crm.cli.lookup import find_record
    from vru_crm.errors import UserError

    found: list[tuple[int, str, str | None]] = []
    for value in values or []:
        name, _, role = value.rpartition(":") if ":" in value else (value, "", "")
        try:
            org = find_record(database, "organisation", name)
        except UserError:
            if ":" not in value:
                raise
            try:
                org, role = find_record(database, "organisation", value), ""
            except UserError:
                org = find_record(database, "organisation", name)  # its words, not the whole text's
        found.append((org.id, org.name, role.strip() or None))
    return found


def _check_duplicates(
    database: Database, data: PersonInput, exclude_id: int | None, allowed: bool
) -> None:
    from vru_crm.errors import ValidationError
    from vru_crm.services.people import find_duplicate_people

    if allowed:
        return
    matches = find_duplicate_people(database, data, exclude_id=exclude_id)
    if matches:
        listed = "; ".join(f"{m.name} (id {m.id}, {m.reason})" for m in matches[:5])
        raise ValidationError(
            {
                "full_name": f"this looks like someone already recorded: {listed}. "
                "Add --allow-duplicate to save anyway, or edit that record instead"
            }
        )


def _check_rows(rows: Iterable[AffiliationRow]) -> None:
    from vru_crm.errors import ValidationError
    from vru_crm.services.affiliations import affiliation_problem

    problems = [f"{r.organisation_name}: {p}" for r in rows if (p := affiliation_problem(r))]
    if problems:
        raise ValidationError({"affiliations": "; ".join(problems)})


def _record_json(record: PersonRecord) -> dict[str, Any]:
    from db.enums import AGE_BAND_LABELS
    from vru_crm.cli.record_output import plain

    data: dict[str, Any] = plain(record)
    data["age_band_label"] = AGE_BAND_LABELS.get(record.age_band or "")
    for item, affiliation in zip(data["affiliations"], record.affiliations, strict=True):
        item["current"] = affiliation.is_current
    return data


def _lines(record: PersonRecord) -> list[str]:
    from db.enums import AGE_BAND_LABELS
    from vru_crm.cli.record_output import day

    lines = [f"{record.full_name}  (id {record.id}, version {record.version})"]
    young = ""
    if record.is_young_person:
        young = "yes, age band " + AGE_BAND_LABELS.get(record.age_band or "", "not recorded")
    rows = [
        ("Job title", record.job_title or ""),
        ("E-mail", record.email or ""),
        ("Phone", record.phone or ""),
        ("Borough", record.borough_name or ""),
        ("Young person", young),
        ("Notes", record.notes),
    ]
    lines += [f"  {label + ':':<14}{value}" for label, value in rows if value]
    current = [a for a in record.affiliations if a.is_current]
    past = [a for a in record.affiliations if not a.is_current]
    lines.append(f"  Organisations ({len(current)} current):")
    for a in current:
        role = f" ({a.role})" if a.role else ""
        since = f", since {day(a.start_date)}" if a.start_date else ""
        since += f", until {day(a.end_date)}" if a.end_date else ""
        lines.append(f"    {a.organisation_name}{role}{since}  [organisation {a.organisation_id}]")
    if not current:
        lines.append("    none")
    for a in past:
        role = f" ({a.role})" if a.role else ""
        lines.append(f"    formerly {a.organisation_name}{role}, to {day(a.end_date)}")
    return lines


def _consent_note(database: Database, record: PersonRecord) -> None:
    """Say so when an under-13 (or a young person of unknown age) has no parent's consent yet."""
    from vru_crm.protection.consent import get_protection, needs_parental_consent

    if not needs_parental_consent(record.is_young_person, record.age_band):
        return
    consents = get_protection(database, record.id).consents
    if any(c.given_by == "parent_carer" and c.is_active() for c in consents):
        return
    print(
        f"Note: {record.full_name} is under 13 (or their age is not known): contact them only "
        "with a parent or carer's consent; record it with "
        f"`vru-crm person consent {record.id} --purpose contact --parent NAME --relationship R`.",
        file=sys.stderr,
    )


def run_add(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References
    from vru_crm.cli.record_output import print_json
    from vru_crm.context import connect
    from vru_crm.services import affiliations, people

    database = connect(args.db, args.user)
    try:
        refs = References(database)
        data = people.PersonInput(full_name=args.name)
        _apply(data, args, refs)
        rows = [
            affiliations.AffiliationRow(org_id, name, role)
            for org_id, name, role in _organisation_roles(database, args.organisations)
        ]
        refs.check({k: p for k, p in people.person_problems(data).items() if p})
        _check_rows(rows)
        _check_duplicates(database, data, None, args.allow_duplicate)
        record = affiliations.save_person(database, None, data, None, rows)
        _consent_note(database, record)
    finally:
        database.dispose()
    if args.json:
        print_json(_record_json(record))
    else:
        print(record.id)
    return 0


def _edited_rows(
    database: Database, record: PersonRecord, args: argparse.Namespace
) -> list[AffiliationRow]:
    """The affiliations after ``--organisation`` (added, or its role changed) and ``--leave``."""
    from vru_crm.cli.lookup import find_record
    from vru_crm.errors import ValidationError
    from vru_crm.london import today_in_london
    from vru_crm.services import affiliations

    rows = affiliations.affiliation_rows(record)
    current = {a.id for a in record.affiliations if a.is_current}
    for org_id, name, role in _organisation_roles(database, args.organisations):
        mine = [r for r in rows if r.organisation_id == org_id and r.id in current]
        if not mine:
            rows.append(affiliations.AffiliationRow(org_id, name, role))
        elif role is not None:
            mine[0].role = role
    for text in args.leave or []:
        org = find_record(database, "organisation", text)
        mine = [r for r in rows if r.organisation_id == org.id and r.id in current]
        if not mine:
            raise ValidationError(
                {"affiliations": f"{record.full_name} has no current affiliation with {org.name}"}
            )
        for row in mine:
            row.end_date = args.left_on or today_in_london()
    _check_rows(rows)
    return rows


def run_edit(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References, find_record
    from vru_crm.cli.main import UsageError
    from vru_crm.cli.record_output import print_json
    from vru_crm.context import connect
    from vru_crm.services import affiliations, form_inputs, people

    if args.left_on and not args.leave:
        raise UsageError("--left-on goes with --leave")
    database = connect(args.db, args.user)
    try:
        refs = References(database)
        found = find_record(database, "person", args.person)
        record = people.get_person(database, found.id)
        before = form_inputs.person_input(record)
        data = form_inputs.person_input(record)
        _apply(data, args, refs)
        refs.check({k: p for k, p in people.person_problems(data).items() if p})
        rows = _edited_rows(database, record, args)
        links_changed = rows != affiliations.affiliation_rows(record)
        if data != before:
            identity = (data.full_name, data.email, data.borough_id)
            if identity != (before.full_name, before.email, before.borough_id):
                _check_duplicates(database, data, record.id, args.allow_duplicate)
        if data != before or links_changed:  # the person and their affiliations: one unit
            record = affiliations.save_person(database, record.id, data, record.version, rows)
        _consent_note(database, record)
    finally:
        database.dispose()
    if args.json:
        print_json(_record_json(record))
    else:
        print("Saved." if data != before or links_changed else "Nothing to change.")
        for line in _lines(record):
            print(line)
    return 0


def run_show(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import find_record
    from vru_crm.cli.record_output import day, print_json
    from vru_crm.context import connect
    from vru_crm.queries.person_detail import person_detail
    from vru_crm.services import people

    database = connect(args.db, args.user)
    try:
        found = find_record(database, "person", args.person)
        record = people.get_person(database, found.id)
        detail = person_detail(database, found.id)
    finally:
        database.dispose()
    networks = [
        {"network_id": n.network_id, "network": n.network, "role": n.role,
         "represents": n.represents or None, "from": day(n.start_date) or None,
         "to": day(n.end_date) or None, "current": n.current}
        for n in detail.memberships
    ]  # fmt: skip
    if args.json:
        print_json(
            {
                **_record_json(record),
                "networks": networks,
                "meetings_attended": sum(m.status == "present" for m in detail.meetings),
                "engagements": {
                    "total": detail.engagement_total,
                    "last_contact": day(detail.last_contact) or None,
                },
            }
        )
        return 0
    for line in _lines(record):
        print(line)
    current = [n for n in detail.memberships if n.current]
    print(f"  Networks ({len(current)} current):")
    for n in current:
        print(f"    {n.network} ({n.role})")
    if not current:
        print("    none")
    last = f", last on {day(detail.last_contact)}" if detail.last_contact else ""
    print(f"  Engagements: {detail.engagement_total}{last}")
    return 0


def _people_query(database: Database, filters: Filters, organisation_id: int | None) -> PersonQuery:
    """The people list, narrowed to those currently at one organisation when asked."""
    import sqlalchemy as sa

    from vru_crm.london import today_in_london
    from vru_crm.queries import tables as t
    from vru_crm.queries.people import PersonQuery, current_affiliation

    if organisation_id is None:
        return PersonQuery(database, filters)

    class AtOrganisation(PersonQuery):
        def _conditions(self) -> list[ColumnElement[bool]]:
            a = t.affiliation.c
            there = sa.select(a.person_id).where(
                a.organisation_id == organisation_id, current_affiliation(today_in_london())
            )
            return [*super()._conditions(), t.person.c.id.in_(there)]

    return AtOrganisation(database, filters)


def run_list(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import References, find_record
    from vru_crm.cli.record_output import check_limit, print_json
    from vru_crm.context import connect
    from vru_crm.queries.common import Filters

    limit = check_limit(args.limit)
    database = connect(args.db, args.user)
    try:
        refs = References(database)
        organisation = (
            find_record(database, "organisation", args.organisation) if args.organisation else None
        )
        filters = Filters(
            text=args.search or "",
            borough_id=refs.borough_id(args.borough) if args.borough else None,
            status="young" if args.young_people else None,
        )
        refs.check()
        query = _people_query(database, filters, organisation.id if organisation else None)
        total = query.count()
        rows = query.page(0, limit)
    finally:
        database.dispose()
    if args.json:
        print_json({"total": total, "people": rows})
        return 0
    if not rows:
        filtered = args.search or args.organisation or args.borough or args.young_people
        print("No people match." if filtered else "No people yet.")
        return 0
    for r in rows:
        young = "  [young person]" if r.is_young_person else ""
        print(f"{r.id:>5}  {r.full_name}{young}")
        about = "; ".join(x for x in (r.job_title, r.organisations, r.borough) if x)
        if about:
            print(f"       {about}")
    if total > len(rows):
        print(f"({len(rows)} of {total} shown; use --limit or --search for more.)")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import find_record
    from vru_crm.cli.record_output import confirm, print_json
    from vru_crm.context import connect
    from vru_crm.services import people, snapshots

    database = connect(args.db, args.user)
    try:
        found = find_record(database, "person", args.person)
        record = people.get_person(database, found.id)
        links = snapshots.snapshot(database, "person", found.id).describe()
        if not confirm(f'Delete "{record.full_name}" (id {record.id}) with {links}?', args.yes):
            print("Nothing was deleted.", file=sys.stderr)
            return 1
        people.delete_person(database, record.id, record.version)
    finally:
        database.dispose()
    if args.json:
        print_json({"deleted": "person", "id": record.id, "name": record.full_name, "links": links})
    else:
        print(f'Deleted "{record.full_name}" (id {record.id}) with {links}.')
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from vru_crm.cli.cmd_organisation import moved_words
    from vru_crm.cli.lookup import find_record
    from vru_crm.cli.record_output import confirm, print_json
    from vru_crm.context import connect
    from vru_crm.services import people, snapshots

    database = connect(args.db, args.user)
    try:
        keep = find_record(database, "person", args.keep)
        other = find_record(database, "person", args.other)
        if keep.id != other.id:
            links = snapshots.snapshot(database, "person", other.id).describe()
            question = (
                f'Merge "{other.name}" (id {other.id}) into "{keep.name}" (id {keep.id})? '
                f"Their {links} move over and id {other.id} is deleted."
            )
            if not confirm(question, args.yes):
                print("Nothing was merged.", file=sys.stderr)
                return 1
        result = people.merge_people(database, keep.id, other.id)
        record = people.get_person(database, keep.id)
    finally:
        database.dispose()
    if args.json:
        print_json({**_record_json(record), "merged_id": result.removed_id, "moved": result.moved})
        return 0
    print(f'Merged "{other.name}" (id {other.id}) into "{record.full_name}" (id {record.id}).')
    print("  Moved: " + moved_words(result.moved))
    return 0


def run_consent(args: argparse.Namespace) -> int:
    from vru_crm.cli.lookup import find_record
    from vru_crm.cli.record_output import print_json
    from vru_crm.context import connect
    from vru_crm.london import today_in_london
    from vru_crm.protection.consent import ConsentInput, record_consent

    parent = args.parent is not None or args.relationship is not None
    data = ConsentInput(
        purpose=args.purpose,
        given_on=args.given_on or today_in_london(),
        channel=args.channel,
        given_by="parent_carer" if parent else "self",
        given_by_name=args.parent,
        given_by_relationship=args.relationship,
        method=args.method,
        notes=args.notes,
    )
    database = connect(args.db, args.user)
    try:
        found = find_record(database, "person", args.person)
        view = record_consent(database, found.id, data)
    finally:
        database.dispose()
    if args.json:
        print_json(view)
    else:
        print(f"Consent {view.id} recorded for {found.name} (id {found.id}): {view.summary}.")
    return 0
