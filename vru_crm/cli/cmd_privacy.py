"""Data protection commands: ``sar``, ``erase``, ``erasures``, ``retention``, ``mailing-list``, ``audit``.

Each prints what it did in plain words. Nothing here logs personal data: the
erasure and retention reports hold counts only.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.session import Database


def _date(text: str) -> date:
    from vru_crm.validation import parse_date

    try:
        value = parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if value is None:
        raise argparse.ArgumentTypeError("a date is required")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _register_sar(sub)
    erase = sub.add_parser("erase", help="erase a person everywhere, keeping the figures true")
    erase.add_argument("person_id", type=int, metavar="PERSON_ID")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.add_argument(
        "--anonymise",
        action="store_true",
        help="keep an anonymous record with its links instead of deleting it",
    )
    erase.set_defaults(func=run_erase)

    retention = sub.add_parser("retention", help="list what the retention policies say is due")
    retention.add_argument("--apply", action="store_true", help="apply it, in one step")
    retention.add_argument(
        "--today",
        type=_date,
        metavar="DATE",
        help="a dry-run aid: list what will be due on DATE instead of today. With --apply, "
        "a DATE after today must be confirmed by typing it (never from a script)",
    )
    retention.set_defaults(func=run_retention)

    _register_mailing(sub)
    _register_audit(sub)
    _register_erasures(sub)


def _register_erasures(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    erasures = sub.add_parser(
        "erasures", help="the erasure register: erased records a restore must not bring back"
    )
    actions = erasures.add_subparsers(dest="erasures_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the register (ids and dates only)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_erasures_list)
    again = actions.add_parser(
        "reapply",
        help="erase again any registered record that is back (run after a pg_restore), "
        "and finish tidying the file",
    )
    again.set_defaults(func=run_erasures_reapply)


def _register_sar(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sar = sub.add_parser("sar", help="subject access requests: log, list, answer, export")
    actions = sar.add_subparsers(dest="sar_action", metavar="ACTION", required=True)
    log = actions.add_parser("log", help="log a request (due one calendar month later)")
    log.add_argument("person_id", type=int, metavar="PERSON_ID")
    log.add_argument("--received", type=_date, help="date received (default today)")
    log.add_argument("--by", default="", help="who made the request, if not the person")
    log.set_defaults(func=run_sar_log)
    listing = actions.add_parser("list", help="requests with their due dates")
    listing.add_argument("--open", action="store_true", help="only those not yet answered")
    listing.set_defaults(func=run_sar_list)
    answered = actions.add_parser("answered", help="mark a request answered")
    answered.add_argument("request_id", type=int, metavar="REQUEST_ID")
    answered.add_argument("--on", type=_date, help="date answered (default today)")
    answered.set_defaults(func=run_sar_answered)
    export = actions.add_parser("export", help="write everything held about a person")
    export.add_argument("person_id", type=int, metavar="PERSON_ID")
    export.add_argument("-o", "--output", type=Path, required=True, help="folder to write to")
    export.set_defaults(func=run_sar_export)


def _register_mailing(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mailing = sub.add_parser(
        "mailing-list",
        help="newsletter or network circulation list, only people whose consent allows it",
    )
    mailing.add_argument("--network", action="append", default=[], metavar="NAME")
    mailing.add_argument("--sector", action="append", default=[], metavar="CODE")
    mailing.add_argument("--borough", action="append", default=[], metavar="NAME")
    mailing.add_argument("--channel", choices=["email", "phone"], default="email")
    mailing.add_argument(
        "--newsletter",
        action="store_true",
        help="the newsletter list (default when no --network is given)",
    )
    mailing.add_argument(
        "--include-young-people",
        action="store_true",
        help="include young people whose consent allows it (left out unless chosen)",
    )
    mailing.add_argument("-o", "--output", type=Path, required=True, help="FILE.csv or FILE.vcf")
    mailing.set_defaults(func=run_mailing)


def _register_audit(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="read the audit trail (newest first)")
    audit.add_argument("--entity", help="kind of record, e.g. person, organisation")
    audit.add_argument("--id", type=int, dest="entity_id", help="the record's id")
    audit.add_argument("--user", dest="audit_user", help="who made the change")
    audit.add_argument("--action", choices=["create", "update", "delete", "erase", "retention"])
    audit.add_argument("--text", default="", help="words in the summary or the values")
    audit.add_argument("--since", type=_date)
    audit.add_argument("--until", type=_date)
    audit.add_argument("--limit", type=int, default=50)
    audit.set_defaults(func=run_audit)


def run_sar_log(args: argparse.Namespace) -> int:
    from vru_crm.protection.subject_access import log_request

    with _database(args) as database:
        request = log_request(database, args.person_id, args.received, requested_by=args.by)
    print(
        f"Request {request.id} logged: received {request.received_on:%d/%m/%Y}, "
        f"due {request.due_on:%d/%m/%Y}."
    )
    return 0


def run_sar_list(args: argparse.Namespace) -> int:
    from vru_crm.protection.subject_access import list_requests

    with _database(args) as database:
        requests = list_requests(database, open_only=args.open)
    if not requests:
        print("No open subject access requests." if args.open else "No subject access requests.")
    for r in requests:
        print(
            f"{r.id}\tperson {r.person_id or '(erased)'}\treceived {r.received_on:%d/%m/%Y}"
            f"\tdue {r.due_on:%d/%m/%Y}\t{r.status()}"
        )
    return 0


def run_sar_answered(args: argparse.Namespace) -> int:
    from vru_crm.protection.subject_access import mark_answered

    with _database(args) as database:
        request = mark_answered(database, args.request_id, args.on)
    print(f"Request {request.id} marked answered on {request.answered_on:%d/%m/%Y}.")
    return 0


def run_sar_export(args: argparse.Namespace) -> int:
    from vru_crm.protection.subject_access import export_person

    with _database(args) as database:
        files = export_person(database, args.person_id, args.output)
    print(f"Written {files.html} (to read) and {files.json} (machine-readable).")
    print("Check both for other people's details before sending them.")
    return 0


def run_erase(args: argparse.Namespace) -> int:
    from vru_crm.protection.erasure import erase_person, preview_erasure

    mode = "anonymise" if args.anonymise else "delete"
    with _database(args) as database:
        preview = preview_erasure(database, args.person_id)
        print(
            f"Person {args.person_id}: {preview.links_text()}; "
            f"{preview.audit_entries} audit entries about them."
        )
        if not args.yes and not _confirm("Type ERASE to erase them for good: ", "ERASE"):
            print("Nothing was erased (confirm with --yes, or type ERASE).", file=sys.stderr)
            return 1
        report = erase_person(database, args.person_id, mode)
    for line in report.lines():
        print(line)
    return 0


def run_erasures_list(args: argparse.Namespace) -> int:
    import json

    from vru_crm.protection import register

    with _database(args) as database:
        entries = register.all_entries(database)
    if args.json:
        print(json.dumps([e.to_json() for e in entries], indent=2))
        return 0
    if not entries:
        print("Nobody has been erased.")
    for e in entries:
        print(f"person {e.person_id}\t{e.kind}\t{e.mode}\t{e.until:%d/%m/%Y %H:%M}")
    return 0


def run_erasures_reapply(args: argparse.Namespace) -> int:
    from vru_crm.protection.erasure import reapply_register

    with _database(args) as database:
        report = reapply_register(database)
    for line in report.lines():
        print(line)
    return 0


def _confirm(prompt: str, word: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return input(prompt).strip() == word


def run_retention(args: argparse.Namespace) -> int:
    from vru_crm.protection import retention

    with _database(args) as database:
        due = retention.due(database, args.today)
        for policy in retention.list_policies(database):
            print(f"Policy: {policy.label}")
        if not due.items:
            print("Nothing is due.")
            return 0
        for item in due.items:
            print(f"due\t{item.kind}\t{item.record_id}\t{item.label}\t{item.reason}")
        if not args.apply:
            print(f"{len(due.items)} due. Run with --apply to apply them in one step.")
            return 0
        report = retention.apply(database, due, future_confirmed=_future_confirmed(due.today))
    for line in report.lines():
        print(line)
    return 0


def _future_confirmed(day: date) -> bool:
    """A --today after today is applied only when typed again at a terminal."""
    from vru_crm.london import today_in_london

    if day <= today_in_london():
        return False  # nothing to confirm: retention.apply accepts today and earlier days
    shown = f"{day:%d/%m/%Y}"
    return _confirm(
        f"This removes what is due on {shown}, before its time. Type {shown} to apply: ", shown
    )


def run_mailing(args: argparse.Namespace) -> int:
    from vru_crm.protection import mailing

    with _database(args) as database:
        request = mailing.ListRequest(
            purpose="newsletter" if args.newsletter or not args.network else "network",
            channel=args.channel,
            network_ids=mailing.lookup_ids(database, "network", args.network),
            sectors=args.sector,
            borough_ids=mailing.lookup_ids(database, "borough", args.borough),
            include_young_people=args.include_young_people,
        )
        result = mailing.build_list(database, request)
        path = mailing.export(result, args.output)
    print(f"Written {path}.")
    for line in result.report_lines():
        print(line)
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from vru_crm.protection.audit_view import AuditFilter, count_entries, page_entries

    where = AuditFilter(
        username=args.audit_user,
        entity=args.entity,
        entity_id=args.entity_id,
        action=args.action,
        text=args.text,
        since=args.since,
        until=args.until,
    )
    with _database(args) as database:
        total = count_entries(database, where)
        rows = page_entries(database, where, 0, max(1, args.limit))
    for row in rows:
        print(
            f"{row.at_local:%d/%m/%Y %H:%M}\t{row.username}\t{row.action}\t"
            f"{row.entity} {row.entity_id or ''}\t{row.summary}"
        )
        for line in row.changes_text.splitlines():
            print(f"\t\t{line}")
    print(f"{len(rows)} of {total} entries shown.")
    return 0


class _database:
    """``with _database(args) as database``: connect, and always close."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args

    def __enter__(self) -> Database:
        from vru_crm.context import connect

        self._db = connect(self._args.db, self._args.user)
        return self._db

    def __exit__(self, *_exc: object) -> None:
        self._db.dispose()
