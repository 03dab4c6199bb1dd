"""``letter`` and ``recommendation``: the Committee's letters, their recommendations and replies.

``letter parse FILE`` shows what a letter's text holds without writing anything,
so a script (or a person) can check before ``letter add --text-file FILE``.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vru_crm.cli.cmd_cadence import parse_day

if TYPE_CHECKING:
    from vru_crm.governance.letter_parse import FoundRecommendation, ParsedLetter
    from vru_crm.governance.letters import LetterRecord
    from vru_crm.governance.recommendations import RecommendationRow

TEXT_LIMIT = 5_000_000  # a letter is a few pages; anything bigger is not one


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _register_letter(sub)
    _register_recommendation(sub)


def _register_letter(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    letter = sub.add_parser("letter", help="letters that carry recommendations, and replies")
    commands = letter.add_subparsers(dest="letter_command", metavar="COMMAND", required=True)

    parse = commands.add_parser(
        "parse", help="show the recommendations found in a letter's text (writes nothing)"
    )
    parse.add_argument("file", type=Path, metavar="FILE", help="the letter as text or Markdown")
    parse.add_argument("--json", action="store_true", help="print JSON instead of text")
    parse.set_defaults(func=run_parse)

    add = commands.add_parser("add", help="enter a letter (and the recommendations in its text)")
    add.add_argument("--from", dest="sender", metavar="SENDER", help="who sent it")
    add.add_argument("--date", type=parse_day, metavar="DATE", help="the letter's date")
    add.add_argument("--reply-due", type=parse_day, metavar="DATE", help="when a reply is due")
    add.add_argument("--subject", metavar="TEXT", help="what the letter is about")
    add.add_argument(
        "--text-file",
        type=Path,
        metavar="FILE",
        help="the letter's text: kept with it, and the recommendations found in it are added "
        "(sender, date and reply due are taken from it when not given)",
    )
    add.add_argument("--json", action="store_true", help="print the new letter as JSON")
    add.set_defaults(func=run_add)

    listing = commands.add_parser("list", help="every letter, newest first")
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    listing.set_defaults(func=run_list)

    show = commands.add_parser("show", help="one letter with its recommendations and replies")
    show.add_argument("letter_id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(func=run_show)

    delete = commands.add_parser("delete", help="remove a letter entered by mistake")
    delete.add_argument("letter_id", type=int, metavar="ID")
    delete.set_defaults(func=run_delete)


def _register_recommendation(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rec = sub.add_parser("recommendation", help="recommendations: add, reply, close, list")
    commands = rec.add_subparsers(dest="recommendation_command", metavar="COMMAND", required=True)

    add = commands.add_parser("add", help="add a recommendation to a letter")
    add.add_argument("--letter", type=int, required=True, metavar="ID", help="the letter's id")
    add.add_argument("--number", type=int, metavar="N", help="its number (default: the next)")
    add.add_argument("--text", required=True, metavar="TEXT")
    add.add_argument("--due", type=parse_day, metavar="DATE", help="when it is due")
    add.add_argument("--json", action="store_true", help="print the new record as JSON")
    add.set_defaults(func=run_rec_add)

    reply = commands.add_parser("reply", help="record the reply to a recommendation")
    reply.add_argument("recommendation_id", type=int, metavar="ID")
    reply.add_argument("--text", required=True, metavar="TEXT", help="what was replied")
    reply.add_argument("--date", type=parse_day, metavar="DATE", help="when (default: today)")
    reply.add_argument("--partial", action="store_true", help="a partial reply")
    reply.add_argument("--close", action="store_true", help="and close it: nothing more due")
    reply.add_argument("--json", action="store_true", help="print the record as JSON")
    reply.set_defaults(func=run_rec_reply)

    close = commands.add_parser("close", help="close a recommendation (nothing more due)")
    close.add_argument("recommendation_id", type=int, metavar="ID")
    close.add_argument("--json", action="store_true", help="print the record as JSON")
    close.set_defaults(func=run_rec_close)

    listing = commands.add_parser("list", help="the register: what is open, due and overdue")
    listing.add_argument("--open", action="store_true", help="only those still open")
    listing.add_argument("--overdue", action="store_true", help="only open ones past their date")
    listing.add_argument("--letter", type=int, metavar="ID", help="only this letter's")
    listing.add_argument(
        "--as-of", type=parse_day, metavar="DATE", help="the day to judge on (default: today)"
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of text")
    listing.set_defaults(func=run_rec_list)


# --- reading a letter's file ----------------------------------------------------------------


def read_text_file(path: Path) -> str:
    """The file's text, or a ``UserError`` saying in words why it cannot be read as a letter."""
    from vru_crm.errors import UserError

    try:
        if path.is_dir():
            raise UserError(f"{path} is a folder, not a letter's text file.")
        if path.stat().st_size > TEXT_LIMIT:
            raise UserError(f"{path} is too big to be a letter (more than 5 MB).")
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise UserError(f"There is no file {path}.") from error
    except PermissionError as error:
        raise UserError(f"{path} cannot be read: permission denied.") from error
    except OSError as error:
        raise UserError(f"{path} cannot be read: {error.strerror or error}.") from error
    if data.startswith(b"%PDF"):
        raise UserError(f"{path} is a PDF; save the letter as text (or copy its text) first.")
    if b"\x00" in data[:65536]:
        raise UserError(f"{path} is not a text file; save the letter as plain text first.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{path} is not readable text (not UTF-8 nor Windows text).")


# --- printing --------------------------------------------------------------------------------


def _day(value: date | None) -> str:
    return f"{value:%a %d %b %Y}" if value else "none"


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else "" for line in text.splitlines())


def _print_found(parsed: ParsedLetter) -> None:
    print(f"Sender:     {parsed.sender or 'not found'}")
    print(f"Date:       {_day(parsed.letter_date) if parsed.letter_date else 'not found'}")
    print(f"Reply due:  {_day(parsed.reply_due)}")
    found = parsed.recommendations
    if not found:
        print("No recommendations found.")
        return
    print(f"{len(found)} recommendation{'s' if len(found) != 1 else ''} found:")
    for item in found:
        number = f"{item.number}." if item.number is not None else "-"
        print(f"  {number} {item.text}")
        print(f"     Due: {_day(item.due_date)}")
        if item.reply:
            print("     Reply:")
            print(_indent(item.reply, "       "))


def _status(row: RecommendationRow) -> str:
    return row.status.replace("_", " ")


def _print_recommendation(row: RecommendationRow, as_of: date | None = None) -> None:
    from vru_crm.london import today_in_london

    day = as_of or today_in_london()
    due = _day(row.due_date)
    late = row.overdue_by(day)
    if late:
        due += f"  OVERDUE by {late} days"
    print(f"  [{row.id}] {row.number}. {row.text}")
    print(f"       Status: {_status(row)}; due {due}")
    if row.response:
        print(f"       Reply ({_day(row.response_date)}):")
        print(_indent(row.response, "         "))


def _print_letter(record: LetterRecord) -> None:
    print(f"Letter {record.id}: {record.title}")
    if record.subject:
        print(f"Subject:    {record.subject}")
    print(f"Reply due:  {_day(record.reply_due)}")
    count = len(record.recommendations)
    if not count:
        print("No recommendations.")
        return
    print(f"Recommendations: {count}, {record.open_count} open")
    for row in record.recommendations:
        _print_recommendation(row)


# --- commands ---------------------------------------------------------------------------------


def run_parse(args: argparse.Namespace) -> int:
    from vru_crm.governance.letter_parse import parse_letter

    parsed = parse_letter(read_text_file(args.file))
    if args.json:
        _print_json(parsed.to_dict())
    else:
        _print_found(parsed)
    return 0


def run_add(args: argparse.Namespace) -> int:
    from vru_crm.cli.main import UsageError
    from vru_crm.context import connect
    from vru_crm.governance.letter_parse import parse_letter
    from vru_crm.governance.letters import LetterInput, create_letter

    text = ""
    found: tuple[FoundRecommendation, ...] = ()
    sender, letter_date, reply_due = args.sender, args.date, args.reply_due
    if args.text_file is not None:
        text = read_text_file(args.text_file)
        parsed = parse_letter(text)
        found = parsed.recommendations
        sender = sender or parsed.sender
        letter_date = letter_date or parsed.letter_date
        reply_due = reply_due or parsed.reply_due
    missing = [flag for flag, value in (("--from", sender), ("--date", letter_date)) if not value]
    if missing:
        where = " (not found in the text either)" if args.text_file is not None else ""
        raise UsageError(f"say {' and '.join(missing)}{where}")
    database = connect(args.db, args.user)
    try:
        record = create_letter(
            database,
            LetterInput(sender, letter_date, reply_due, args.subject, text),
            found,
        )
    finally:
        database.dispose()
    if args.json:
        _print_json(record.to_dict())
    else:
        print(record.id)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.letters import list_letters

    database = connect(args.db, args.user)
    try:
        letters = list_letters(database)
    finally:
        database.dispose()
    if args.json:
        _print_json({"letters": [r.to_dict(with_text=False) for r in letters]})
        return 0
    if not letters:
        print("No letters yet.")
        return 0
    for r in letters:
        count = len(r.recommendations)
        due = f"; reply due {_day(r.reply_due)}" if r.reply_due else ""
        print(
            f"{r.id:>4}  {_day(r.letter_date)}  {r.sender}  "
            f"({count} recommendation{'s' if count != 1 else ''}, {r.open_count} open{due})"
        )
    return 0


def run_show(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.letters import get_letter

    database = connect(args.db, args.user)
    try:
        record = get_letter(database, args.letter_id)
    finally:
        database.dispose()
    if args.json:
        _print_json(record.to_dict())
    else:
        _print_letter(record)
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.letters import delete_letter, get_letter

    database = connect(args.db, args.user)
    try:
        record = get_letter(database, args.letter_id)
        delete_letter(database, args.letter_id, record.version)
    finally:
        database.dispose()
    print(f"Deleted letter {record.id} ({record.title}) and its recommendations.")
    return 0


def _print_rec_result(args: argparse.Namespace, row: RecommendationRow, text: str) -> None:
    if args.json:
        _print_json(row.to_dict())
    else:
        print(text)


def run_rec_add(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.recommendations import create_recommendation

    database = connect(args.db, args.user)
    try:
        row = create_recommendation(
            database, letter_id=args.letter, number=args.number, text=args.text, due_date=args.due
        )
    finally:
        database.dispose()
    _print_rec_result(args, row, str(row.id))
    return 0


def run_rec_reply(args: argparse.Namespace) -> int:
    from db.enums import RecommendationStatus
    from vru_crm.context import connect
    from vru_crm.governance.recommendations import close_recommendation, record_response

    status = (
        RecommendationStatus.PARTIALLY_ACCEPTED if args.partial else RecommendationStatus.RESPONDED
    )
    database = connect(args.db, args.user)
    try:
        row = record_response(
            database, args.recommendation_id, args.text, on=args.date, status=status.value
        )
        if args.close:
            row = close_recommendation(database, row.id, expected_version=row.version)
    finally:
        database.dispose()
    _print_rec_result(args, row, f"Recommendation {row.id} ({row.reference}): {_status(row)}.")
    return 0


def run_rec_close(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.recommendations import close_recommendation

    database = connect(args.db, args.user)
    try:
        row = close_recommendation(database, args.recommendation_id)
    finally:
        database.dispose()
    _print_rec_result(args, row, f"Recommendation {row.id} ({row.reference}): closed.")
    return 0


def run_rec_list(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.governance.recommendations import list_recommendations
    from vru_crm.london import today_in_london

    day = args.as_of or today_in_london()
    database = connect(args.db, args.user)
    try:
        rows = list_recommendations(
            database, open_only=args.open or args.overdue, letter_id=args.letter
        )
    finally:
        database.dispose()
    if args.overdue:
        rows = sorted(
            (r for r in rows if r.overdue_by(day) > 0), key=lambda r: r.due_date or date.max
        )
    if args.json:
        _print_json(
            {
                "as_of": day.isoformat(),
                "recommendations": [
                    {**r.to_dict(), "overdue_days": r.overdue_by(day)} for r in rows
                ],
            }
        )
        return 0
    if not rows:
        print("No overdue recommendations." if args.overdue else "No recommendations.")
        return 0
    current = None
    for row in rows:
        heading = (row.sender, row.letter_date)
        if heading != current:
            current = heading
            print(f"{row.sender}, letter of {_day(row.letter_date)}")
        _print_recommendation(row, day)
    return 0
