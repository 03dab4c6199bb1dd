"""Networks as records a user makes and keeps: name, short name, kind, cadence, quorum.

A network is named by its name or its short name ("PRG"), any case, everywhere;
so short names are unique ignoring case, and neither may repeat another
network's name. The cadence is typed in words or as an RRULE and stored as an
RRULE with ordinal weekdays (``rule_words.parse_cadence``). Archiving keeps the
network's history and takes it out of lists and pickers; nothing is deleted.

Memberships (``vru_crm.governance.memberships``) and the matching of pasted names
(``vru_crm.governance.member_names``) are re-exported here: one module for the
network form and the members dialog to import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from db.enums import NetworkKind
from db.models import Network, saved_id
from db.session import Database
from db.types import utcnow
from vru_crm.errors import NotFound, ValidationError
from vru_crm.governance.common import find_network, label_with_short, network_label
from vru_crm.governance.rule_words import describe_cadence, parse_cadence
from vru_crm.london import today_in_london
from vru_crm.queries.networks import NETWORK_KIND_LABELS
from vru_crm.services.organisations import check_version
from vru_crm.validation import normalise_name, validate_length, validate_name

SHORT_NAME_MAX = 20
KIND_LABELS = NETWORK_KIND_LABELS


@dataclass
class NetworkInput:
    name: str
    short_name: str | None = None
    kind: str = "network"  # db.enums.NetworkKind value (or its label)
    description: str = ""
    cadence: str | None = None  # an RRULE or words ("quarterly, second Tuesday, 10:00 to 12:00")
    cadence_tolerance_days: int = 14
    minutes_publication_days: int | None = None
    quorum: int | None = None
    meeting_minutes: int | None = None  # filled from "10:00 to 12:00" when the words say so


@dataclass(frozen=True)
class NetworkRecord:
    id: int
    version: int
    name: str
    short_name: str | None
    kind: str
    description: str
    cadence_rrule: str | None
    cadence_words: str  # the rule in words, "" if none
    cadence_tolerance_days: int
    minutes_publication_days: int | None
    quorum: int | None
    meeting_minutes: int | None
    archived_on: date | None

    @property
    def label(self) -> str:
        return label_with_short(self.name, self.short_name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind,
            "description": self.description,
            "cadence_rrule": self.cadence_rrule,
            "cadence_words": self.cadence_words,
            "cadence_tolerance_days": self.cadence_tolerance_days,
            "minutes_publication_days": self.minutes_publication_days,
            "quorum": self.quorum,
            "meeting_minutes": self.meeting_minutes,
            "archived_on": self.archived_on.isoformat() if self.archived_on else None,
        }


def kind_value(text: str | None) -> str | None:
    """The NetworkKind value typed as a value or a label ("Youth group"), any case; else None."""
    wanted = " ".join((text or "").replace("_", " ").split()).casefold()
    for kind, label in KIND_LABELS.items():
        if wanted in (kind.replace("_", " "), label.casefold()):
            return str(kind)  # the plain value of the NetworkKind member
    return None


def _whole_number(value: object, label: str, required: bool = False) -> str | None:
    """None if ``value`` is a whole number, 0 or more (or blank when allowed); else the problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"give the {label} as a whole number of 0 or more" if required else None
    if isinstance(value, bool):
        return f"the {label} must be a whole number of 0 or more"
    if isinstance(value, str):
        text = value.strip()
        if not text.lstrip("-").isdigit():
            return f'"{text}" is not a whole number (the {label} must be 0 or more)'
        value = int(text)
    if not isinstance(value, int):
        return f'"{value}" is not a whole number (the {label} must be 0 or more)'
    if value < 0:
        return f"the {label} cannot be below zero ({value})"
    return None


def _as_int(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | str):  # what network_problems lets through
        return int(value)
    raise TypeError(f"{value!r} is not a whole number")


def network_problems(data: NetworkInput) -> dict[str, str]:
    """Field -> problem in plain words, without the database (a form's preview)."""
    problems: dict[str, str | None] = {
        "name": validate_name(data.name, "name"),
        "short_name": validate_length(data.short_name, SHORT_NAME_MAX, "short name"),
        "kind": None,
        "description": validate_length(data.description, 5000, "description"),
        "cadence": None,
        "cadence_tolerance_days": _whole_number(
            data.cadence_tolerance_days, "tolerance in days", required=True
        ),
        "minutes_publication_days": _whole_number(
            data.minutes_publication_days, "number of days to publish minutes in"
        ),
        "quorum": _whole_number(data.quorum, "quorum"),
        "meeting_minutes": _whole_number(data.meeting_minutes, "length of a meeting in minutes"),
    }
    if kind_value(data.kind) is None:
        kinds = ", ".join(f"{label} ({kind})" for kind, label in KIND_LABELS.items())
        typed = (data.kind or "").strip()
        problems["kind"] = f'"{typed}" is not a kind of network; use one of: {kinds}'
    if data.cadence and data.cadence.strip():
        try:
            parse_cadence(data.cadence)
        except ValueError as error:
            problems["cadence"] = str(error)
    return {name: problem for name, problem in problems.items() if problem}


def _clash_problems(s: Session, data: NetworkInput, network_id: int | None) -> dict[str, str]:
    """Names and short names another network already answers to (any case)."""
    problems: dict[str, str] = {}
    name = " ".join(data.name.split()).casefold()
    short = " ".join((data.short_name or "").split()).casefold()
    for other in s.exec(select(Network)).all():
        if other.id == network_id:
            continue
        other_name = other.name.casefold()
        other_short = (other.short_name or "").casefold()
        if name and name in (other_name, other_short) and "name" not in problems:
            problems["name"] = f'another network is already called "{network_label(other)}"'
        if short and short in (other_short, other_name) and "short_name" not in problems:
            problems["short_name"] = (
                f'"{(data.short_name or "").strip()}" already names "{network_label(other)}"'
                " (short names are unique, whatever the case)"
            )
    return problems


def _apply(s: Session, network: Network, data: NetworkInput) -> None:
    problems = {**_clash_problems(s, data, network.id), **network_problems(data)}
    order = list(NetworkInput.__dataclass_fields__)
    problems = dict(
        sorted(problems.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
    )
    if problems:
        raise ValidationError(problems)
    kind, tolerance = kind_value(data.kind), _as_int(data.cadence_tolerance_days)
    if kind is None or tolerance is None:  # network_problems refuses both, so never
        raise RuntimeError("a network was checked without its kind or tolerance")
    rule, minutes = None, _as_int(data.meeting_minutes)
    if data.cadence and data.cadence.strip():
        parsed = parse_cadence(data.cadence)
        rule = parsed.rrule
        if parsed.meeting_minutes is not None:  # the words said "10:00 to 12:00"
            minutes = parsed.meeting_minutes
    network.name = " ".join(data.name.split())
    network.short_name = " ".join((data.short_name or "").split()) or None
    network.kind = kind
    network.description = (data.description or "").strip()
    network.cadence_rrule = rule
    network.cadence_tolerance_days = tolerance
    network.minutes_publication_days = _as_int(data.minutes_publication_days)
    network.quorum = _as_int(data.quorum)
    network.meeting_minutes = minutes
    if network.id is not None:
        network.updated_at = utcnow()
    s.add(network)
    s.flush()


def record_of(network: Network) -> NetworkRecord:
    return NetworkRecord(
        id=saved_id(network),
        version=network.version,
        name=network.name,
        short_name=network.short_name,
        kind=network.kind,
        description=network.description or "",
        cadence_rrule=network.cadence_rrule,
        cadence_words=describe_cadence(network.cadence_rrule, network.meeting_minutes)
        if network.cadence_rrule
        else "",
        cadence_tolerance_days=network.cadence_tolerance_days,
        minutes_publication_days=network.minutes_publication_days,
        quorum=network.quorum,
        meeting_minutes=network.meeting_minutes,
        archived_on=network.archived_on,
    )


def _get(s: Session, network_id: int) -> Network:
    network = s.get(Network, network_id)
    if network is None:
        raise NotFound(f"There is no network with id {network_id} (it may have been deleted).")
    return network


def create_network(database: Database, data: NetworkInput) -> NetworkRecord:
    with database.session() as s:
        network = Network(name="", kind=NetworkKind.NETWORK.value)
        _apply(s, network, data)
        return record_of(network)


def get_network(database: Database, network_id: int) -> NetworkRecord:
    with database.session() as s:
        return record_of(_get(s, network_id))


def update_network(
    database: Database, network_id: int, data: NetworkInput, version: int
) -> NetworkRecord:
    """Save ``data`` over the network, if nobody changed it since ``version`` was loaded."""
    with database.session() as s:
        network = _get(s, network_id)
        check_version(network, version)
        _apply(s, network, data)
        return record_of(network)


def archive_network(
    database: Database, network_id: int, on: date | None = None, version: int | None = None
) -> NetworkRecord:
    """Take the network out of lists and pickers from ``on`` (today); its history stays."""
    with database.session() as s:
        network = _get(s, network_id)
        check_version(network, version)
        network.archived_on = on or today_in_london()
        network.updated_at = utcnow()
        s.add(network)
        s.flush()
        return record_of(network)


def unarchive_network(database: Database, network_id: int) -> NetworkRecord:
    with database.session() as s:
        network = _get(s, network_id)
        network.archived_on = None
        network.updated_at = utcnow()
        s.add(network)
        s.flush()
        return record_of(network)


def network_input(record: NetworkRecord) -> NetworkInput:
    """The form's values for an existing network (saving them unchanged changes nothing)."""
    return NetworkInput(
        name=record.name,
        short_name=record.short_name,
        kind=record.kind,
        description=record.description,
        cadence=record.cadence_rrule,
        cadence_tolerance_days=record.cadence_tolerance_days,
        minutes_publication_days=record.minutes_publication_days,
        quorum=record.quorum,
        meeting_minutes=record.meeting_minutes,
    )


def resolve_network(database: Database, name: str) -> NetworkRecord:
    """By name or short name, any case, spaces trimmed; ``NotFound`` lists the closest first."""
    with database.session() as s:
        return record_of(find_network(s, name))


def list_networks(database: Database, include_archived: bool = False) -> list[NetworkRecord]:
    """Networks by name; archived ones only when asked."""
    with database.session() as s:
        rows = s.exec(select(Network)).all()
        records = [record_of(n) for n in rows if include_archived or n.archived_on is None]
    return sorted(records, key=lambda r: (normalise_name(r.name), r.id))


def network_choices(database: Database, include_archived: bool = False) -> list[tuple[int, str]]:
    """(id, "Partnership Reference Group (PRG)") for pickers, by name."""
    return [(r.id, r.label) for r in list_networks(database, include_archived)]


from vru_crm.governance.member_names import NameMatch, match_member_names  # noqa: E402
from vru_crm.governance.memberships import (  # noqa: E402
    MembershipRecord,
    add_members,
    change_role,
    find_membership,
    join_network,
    leave_network,
    memberships,
    update_membership,
)

__all__ = [
    "KIND_LABELS",
    "MembershipRecord",
    "NameMatch",
    "NetworkInput",
    "NetworkRecord",
    "add_members",
    "archive_network",
    "change_role",
    "create_network",
    "find_membership",
    "get_network",
    "join_network",
    "kind_value",
    "leave_network",
    "list_networks",
    "match_member_names",
    "memberships",
    "network_choices",
    "network_input",
    "network_problems",
    "resolve_network",
    "unarchive_network",
    "update_membership",
    "update_network",
]
