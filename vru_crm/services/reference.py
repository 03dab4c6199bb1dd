"""Reference data: boroughs, sectors and objectives, and matching what users type to them.

Forms fill their drop-downs from ``list_*``; imports load a ``ReferenceIndex`` once
and match thousands of cells against it without a query per cell. Both give the
same answers, so a value accepted in a form is accepted in a file and vice versa.
"""

import difflib
import logging
import re
from dataclasses import dataclass
from typing import cast

from sqlmodel import Session, col, select

from db.models import Borough, Objective, SectorRef
from db.session import Database
from vru_crm.errors import NotFound
from vru_crm.validation import short_value

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BoroughRow:
    id: int
    code: str
    name: str
    is_priority: bool


@dataclass(frozen=True)
class SectorRow:
    code: str
    label: str


@dataclass(frozen=True)
class ObjectiveRow:
    id: int
    number: int
    title: str


def reference_key(text: str) -> str:
    """Case, spacing, '&' and punctuation do not matter when matching a name."""
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def list_boroughs(database: Database) -> list[BoroughRow]:
    """The 33 London local authorities, by name."""
    with database.session() as s:
        rows = s.exec(select(Borough).order_by(Borough.name)).all()
        return [BoroughRow(b.id, b.code, b.name, b.is_priority) for b in rows]  # type: ignore[arg-type]


def list_sectors(database: Database) -> list[SectorRow]:
    """Partner sectors in their display order."""
    with database.session() as s:
        rows = s.exec(select(SectorRef).order_by(col(SectorRef.position))).all()
        return [SectorRow(x.code, x.label) for x in rows]


def list_objectives(database: Database) -> list[ObjectiveRow]:
    """The eight objectives, by number."""
    with database.session() as s:
        rows = s.exec(select(Objective).order_by(col(Objective.number))).all()
        return [ObjectiveRow(o.id, o.number, o.title) for o in rows]  # type: ignore[arg-type]


def find_borough(database: Database, text: str) -> BoroughRow | None:
    """The borough a user means by ``text`` (name in any case or spacing, or ONS code)."""
    return ReferenceIndex(list_boroughs(database), [], []).borough(text)


def set_borough_priority(database: Database, borough: int | str, is_priority: bool) -> BoroughRow:
    """Mark or unmark one of the VRU's directly targeted boroughs (by id, name or code)."""
    with database.session() as s:
        row = _borough_in_session(s, borough)
        row.is_priority = is_priority
        s.add(row)
        s.flush()
        log.info("borough %s priority set to %s", row.code, is_priority)
        return BoroughRow(row.id, row.code, row.name, row.is_priority)  # type: ignore[arg-type]


def _row(b: Borough) -> BoroughRow:
    return BoroughRow(cast(int, b.id), b.code, b.name, b.is_priority)  # a saved row has an id


def _borough_in_session(s: Session, borough: int | str) -> Borough:
    if isinstance(borough, int):
        found = s.get(Borough, borough)
    else:
        match = ReferenceIndex(
            [_row(b) for b in s.exec(select(Borough))],
            [],
            [],
        ).borough(borough)
        found = s.get(Borough, match.id) if match else None
    if found is None:
        raise NotFound(f"There is no London borough called '{short_value(str(borough))}'.")
    return found


class ReferenceIndex:
    """Boroughs, sectors and objectives in memory, with plain-words problems for bad values."""

    def __init__(
        self,
        boroughs: list[BoroughRow],
        sectors: list[SectorRow],
        objectives: list[ObjectiveRow],
    ) -> None:
        self.boroughs = boroughs
        self.sectors = sectors
        self.objectives = objectives
        self._borough_by_key = {reference_key(b.name): b for b in boroughs}
        self._borough_by_key.update({b.code.casefold(): b for b in boroughs})
        self._borough_by_id = {b.id: b for b in boroughs}
        self._sector_by_key = {reference_key(x.label): x for x in sectors}
        self._sector_by_key.update({reference_key(x.code): x for x in sectors})
        self._objective_by_key = {reference_key(o.title): o for o in objectives}
        self._objective_by_key.update({str(o.number): o for o in objectives})

    @classmethod
    def load(cls, database: Database) -> "ReferenceIndex":
        return cls(list_boroughs(database), list_sectors(database), list_objectives(database))

    def borough(self, text: str) -> BoroughRow | None:
        text = text.strip()
        return self._borough_by_key.get(text.casefold()) or self._borough_by_key.get(
            reference_key(text)
        )

    def borough_by_id(self, borough_id: int) -> BoroughRow | None:
        return self._borough_by_id.get(borough_id)

    def borough_problem(self, text: str) -> str:
        """Why ``text`` is not a borough, with the closest name when there is one."""
        names = {reference_key(b.name): b.name for b in self.boroughs}
        close = difflib.get_close_matches(reference_key(text), list(names), n=1, cutoff=0.75)
        hint = f" Did you mean '{names[close[0]]}'?" if close else ""
        return f"'{short_value(text.strip())}' is not a London borough.{hint}"

    def sector(self, text: str) -> SectorRow | None:
        """A sector by its code ('local_authority') or its label ('Local authority')."""
        return self._sector_by_key.get(reference_key(text))

    def sector_problem(self, text: str) -> str:
        valid = ", ".join(x.code for x in self.sectors)
        return f"'{short_value(text.strip())}' is not a sector. Use one of: {valid}."

    def objective(self, text: str) -> ObjectiveRow | None:
        """An objective by its number ('3') or its title, in any case."""
        return self._objective_by_key.get(reference_key(text).removeprefix("objective "))

    def objective_problem(self, text: str) -> str:
        return f"'{short_value(text.strip())}' is not one of the objectives: use a number from 1 to {len(self.objectives)} or a title."
