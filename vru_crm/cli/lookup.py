"""What a person types on the command line, matched to the record they mean.

An organisation, a person or a network is named by its name (any case, accents
and spacing ignored) or its id; a borough by its name or ONS code; a sector, a
kind of engagement or an age band by its value or its label. A name that
matches nothing is refused with the closest names first, so a typo shows what
was meant; a name two records share is refused with both ids, so the user can
give the one they mean. Nothing here guesses: only the same name counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.session import Database
from vru_crm.errors import NotFound, UserError, ValidationError

if TYPE_CHECKING:
    from vru_crm.services.reference import SectorRow

CLOSEST = 5  # names offered when nothing matched


class AmbiguousName(UserError):
    """Several records have the name typed; the message lists them with their ids."""


@dataclass(frozen=True)
class Found:
    id: int
    name: str


_NOUNS = {"organisation": ("organisation", "organisations"), "person": ("person", "people")}


def name_by_id(database: Database, kind: str, record_id: int) -> str | None:
    """The name of the person or organisation with this id, or None if there is none."""
    from db.models import Organisation, Person

    with database.session(audit_rows=False) as s:
        if kind == "person":
            person = s.get(Person, record_id)
            return None if person is None else person.full_name
        organisation = s.get(Organisation, record_id)
        return None if organisation is None else organisation.name


def find_record(database: Database, kind: str, text: str) -> Found:
    """The one organisation or person (``kind``) that ``text`` names: its id or its name."""
    from rapidfuzz import fuzz, process

    from vru_crm.validation import normalise_name

    one, many = _NOUNS[kind]
    typed = " ".join((text or "").split())
    if not typed:
        raise NotFound(f"Say which {one}: give a name or an id.")
    if typed.isdigit() and (name := name_by_id(database, kind, int(typed))) is not None:
        return Found(int(typed), name)
    rows = _names(database, kind)
    exact = [r for r in rows if r[1].casefold() == typed.casefold()]
    wanted = normalise_name(typed)
    exact = exact or [r for r in rows if wanted and normalise_name(r[1]) == wanted]
    if len(exact) == 1:
        return Found(*exact[0])
    if exact:
        listed = "; ".join(_described(database, kind, exact))
        raise AmbiguousName(
            f'{len(exact)} {many} are called "{typed}": {listed}. Give the id of the one you mean.'
        )
    if not rows:
        raise NotFound(f'There is no {one} called "{typed}": there are no {many} yet.')
    keys = [normalise_name(r[1]) or r[1].casefold() for r in rows]
    close = process.extract(wanted or typed.casefold(), keys, scorer=fuzz.WRatio, limit=CLOSEST)
    hint = "; ".join(f"{rows[i][1]} (id {rows[i][0]})" for _, score, i in close if score >= 50)
    by_id = f"with id {typed} or " if typed.isdigit() else ""
    raise NotFound(
        f'There is no {one} {by_id}called "{typed}".' + (f" Closest: {hint}." if hint else "")
    )


def _names(database: Database, kind: str) -> list[tuple[int, str]]:
    from sqlmodel import col, select

    from db.models import Organisation, Person

    with database.session(audit_rows=False) as s:
        if kind == "person":
            rows = s.exec(select(col(Person.id), Person.full_name)).all()
        else:
            rows = s.exec(select(col(Organisation.id), Organisation.name)).all()
    return [(i, n) for i, n in rows if i is not None]  # every row read back has its id


def _described(database: Database, kind: str, rows: list[tuple[int, str]]) -> list[str]:
    """``id 3: Ana López (Youth worker; Hackney CVS)``: enough to tell namesakes apart."""
    if kind == "organisation":
        from vru_crm.services.organisations import get_organisation

        found = [get_organisation(database, i) for i, _ in rows]
        return [f"id {r.id}: {r.name} ({'; '.join([r.sector, *r.borough_names])})" for r in found]
    from vru_crm.services.people import get_person

    described = []
    for record_id, _ in rows:
        p = get_person(database, record_id)
        about = [p.job_title or "", *(a.organisation_name for a in p.affiliations if a.is_current)]
        about += [p.borough_name or "", p.email or ""]
        shown = "; ".join(x for x in about if x)
        described.append(f"id {p.id}: {p.full_name}" + (f" ({shown})" if shown else ""))
    return described


def find_network(database: Database, text: str) -> Found:
    """A network by its id, name or short name ("PRG"), closest names listed when unknown."""
    from db.models import Network, saved_id
    from vru_crm.governance.common import find_network as by_name
    from vru_crm.governance.common import network_label

    typed = " ".join((text or "").split())
    with database.session(audit_rows=False) as s:
        if typed.isdigit() and (row := s.get(Network, int(typed))) is not None:
            return Found(saved_id(row), network_label(row))
        network = by_name(s, typed)
        return Found(saved_id(network), network_label(network))


# -- closed lists: boroughs, sectors, kinds, objectives ------------------------------
def _closest(typed: str, choices: dict[str, str], limit: int | None) -> list[str]:
    """Labels of ``choices`` (key -> label) nearest ``typed``, best first."""
    from rapidfuzz import fuzz, process

    from vru_crm.services.reference import reference_key

    found = process.extract(
        reference_key(typed), choices, scorer=fuzz.WRatio, limit=limit or len(choices)
    )
    return [label for _words, _score, label in found]


class References:
    """Boroughs, sectors and objectives loaded once for one command.

    A value that is none of them is noted in ``problems`` (by the field's name)
    rather than refused at once, so ``check`` can name every bad value of a
    command in one message, with the form's own checks of the other fields.
    """

    def __init__(self, database: Database) -> None:
        from vru_crm.services.reference import ReferenceIndex

        self.index = ReferenceIndex.load(database)
        self.problems: dict[str, str] = {}

    def check(self, more: dict[str, str] | None = None) -> None:
        """Refuse (``ValidationError``) if any value was wrong, ours first, then ``more``."""
        problems = {**(more or {}), **self.problems}
        if problems:
            raise ValidationError(problems)

    def borough_ids(self, names: list[str], field: str = "boroughs") -> list[int]:
        from vru_crm.services.reference import reference_key

        ids, unknown = [], []
        for name in names:
            row = self.index.borough(name)
            if row is None:
                choices = {b.name: reference_key(b.name) for b in self.index.boroughs}
                close = "; ".join(_closest(name, choices, CLOSEST))
                unknown.append(f"'{name.strip()}' is not a London borough (closest: {close})")
            else:
                ids.append(row.id)
        if unknown:
            self.problems[field] = "; ".join(unknown)
        return list(dict.fromkeys(ids))

    def borough_id(self, name: str, field: str = "borough") -> int | None:
        found = self.borough_ids([name], field)
        return found[0] if found else None

    def sector(self, text: str) -> str:
        row = self.index.sector(text)
        if row is None:
            close = "; ".join(_closest(text, _by_label(self.index.sectors), None))
            self.problems["sector"] = (
                f"'{text.strip()}' is not a sector. Use one of, closest first: {close}"
            )
            return text
        return row.code

    def sector_label(self, code: str) -> str:
        return next((x.label for x in self.index.sectors if x.code == code), code)

    def objective_ids(self, texts: list[str]) -> list[int]:
        ids, unknown = [], []
        for text in texts:
            row = self.index.objective(text)
            if row is None:
                unknown.append(self.index.objective_problem(text))
            else:
                ids.append(row.id)
        if unknown:
            self.problems["objective_ids"] = "; ".join(unknown)
        return list(dict.fromkeys(ids))

    def kind(self, text: str) -> str:
        try:
            return engagement_kind(text)
        except ValidationError as error:
            self.problems.update(error.fields)
            return text


def _by_label(sectors: Iterable[SectorRow]) -> dict[str, str]:
    """ "code (Label)" -> the words it is matched on (code and label)."""
    from vru_crm.services.reference import reference_key

    return {
        f"{x.code} ({x.label})": f"{reference_key(x.code)} {reference_key(x.label)}"
        for x in sectors
    }


# Words people use for the kinds besides their values and the list's labels.
_KIND_WORDS = {"phone call": "call", "phone": "call", "online": "online_meeting"}


def engagement_kind(text: str) -> str:
    """A kind of engagement by its value ("call") or its label ("Phone call")."""
    from vru_crm.queries.engagements import KIND_LABELS
    from vru_crm.services.reference import reference_key

    wanted = reference_key(text)
    for value, label in KIND_LABELS.items():
        if wanted in (reference_key(value), reference_key(label)):
            return str(value)
    if wanted in _KIND_WORDS:
        return _KIND_WORDS[wanted]
    choices = {
        f"{v} ({label})": f"{reference_key(v)} {reference_key(label)}"
        for v, label in KIND_LABELS.items()
    }
    close = "; ".join(_closest(text, choices, None))
    raise ValidationError(
        {
            "kind": f"'{text.strip()}' is not a kind of engagement. Use one of, closest first: {close}"
        }
    )
