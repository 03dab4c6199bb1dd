"""Importing people, each with their jobs at organisations that already exist.

``organisation`` may list several organisations separated by ';'; ``role``,
``since`` and ``until`` then give one value for all, or one per organisation in
the same order (the dates of the job there).
An organisation that is not in the database is a row problem: people are never
attached to an organisation made up from a typo.
"""

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from db.models import Organisation
from db.session import Database
from vru_crm import validation as v
from vru_crm.io.base import Cells, RowImporter, Tick
from vru_crm.io.lookups import NameLookup, saved
from vru_crm.services import people
from vru_crm.services.reference import ReferenceIndex

COLUMNS = (
    "name", "organisation", "role", "email", "job_title", "phone", "borough",
    "young_person", "age_band", "notes", "since", "until",
)  # fmt: skip

_FIELD_COLUMNS = {
    "full_name": "name",
    "job_title": "job_title",
    "email": "email",
    "phone": "phone",
    "age_band": "age_band",
    "is_young_person": "young_person",
}


class PersonImporter(RowImporter):
    kind = "people"
    columns = COLUMNS
    required = ("name", "organisation", "role", "email")
    # The most rows one file may hold; past it the file is refused up front. Each row goes
    # through the person service with its jobs and audit (about 8 ms) and is compared with
    # every name in its borough: 20,000 rows take two to three minutes.
    max_rows = 20_000

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self.reference = ReferenceIndex.load(database)
        with database.session() as s:
            self.organisations = NameLookup(
                "organisation", saved(s.exec(select(col(Organisation.id), Organisation.name)))
            )
        self.existing = people.person_index(database)
        self.in_file = v.DuplicateIndex()

    def check(
        self, cells: Cells
    ) -> tuple[people.PersonInput, list[people.AffiliationInput]] | None:
        data = people.PersonInput(
            full_name=cells.get("name"),
            job_title=cells.get("job_title"),
            email=cells.get("email"),
            phone=cells.phone("phone"),
            borough_id=self._borough(cells),
            is_young_person=self._young(cells),
            age_band=cells.get("age_band"),
            notes=cells.get("notes"),
        )
        for name, problem in people.person_problems(data).items():
            cells.problem(_FIELD_COLUMNS.get(name, name), problem)
        affiliations = self._affiliations(cells)
        if cells.problems or self._duplicate(cells, data):
            return None
        self.in_file.add(
            cells.number, data.full_name, data.email, [data.borough_id] if data.borough_id else []
        )
        return data, affiliations

    @staticmethod
    def _young(cells: Cells) -> bool:
        """The flag as given; left blank, the age band decides (a band under 18 is a young person).

        A flag that says "no" against a band under 18 is refused by ``person_problems``.
        """
        if cells.get("young_person"):
            return cells.flag("young_person")
        try:
            return v.parse_age_band(cells.get("age_band")) in v.UNDER_18_BANDS
        except ValueError:  # reported as the age band's problem
            return False

    def write(self, session: Session, items: list[Any], tick: Tick) -> int:
        self.written_ids = []
        for done, (data, affiliations) in enumerate(items, start=1):
            self.written_ids.append(people.insert_person(session, data, affiliations))
            if done % 200 == 0:
                tick(done)
        return len(items)

    def _borough(self, cells: Cells) -> int | None:
        text = cells.get("borough")
        if not text:
            return None
        borough = self.reference.borough(text)
        if borough is None:
            cells.problem("borough", self.reference.borough_problem(text))
            return None
        return borough.id

    def _affiliations(self, cells: Cells) -> list[people.AffiliationInput]:
        names = cells.items("organisation")
        roles = _spread(
            cells,
            "role",
            [x.strip() or None for x in v.split_positions(cells.values.get("role", ""))],
            len(names),
        )
        since = _spread(cells, "since", _dates(cells, "since"), len(names))
        until = _spread(cells, "until", _dates(cells, "until"), len(names))
        result = []
        for name, role, start, end in zip(names, roles, since, until, strict=False):
            organisation_id, problem = self.organisations.find(name)
            cells.problem("organisation", problem)
            cells.problem("role", v.validate_length(role, 200, "role"))
            if start and end and end < start:
                cells.problem("until", f"the job at '{v.short_value(name)}' ends before it starts")
            if organisation_id is not None:
                result.append(
                    people.AffiliationInput(
                        0, organisation_id, (role or "").strip() or None, start, end
                    )
                )
        return result

    def _duplicate(self, cells: Cells, data: people.PersonInput) -> bool:
        boroughs = [data.borough_id] if data.borough_id else []
        for index, prefix in (
            (self.existing, "already in the database as"),
            (self.in_file, "repeats row"),
        ):
            for match in index.find(data.full_name, data.email, boroughs):
                column = "email" if match.reason.startswith("same e-mail") else "name"
                what = f"'{match.name}'" if index is self.existing else str(match.id)
                cells.problem(column, f"{prefix} {what} ({match.reason})")
                return True
        return False


def _dates(cells: Cells, column: str) -> list[date | None]:
    result = []
    for text in v.split_positions(cells.values.get(column, "")):
        try:
            result.append(v.parse_date(text))
        except ValueError as error:
            cells.problem(column, str(error))
            result.append(None)
    return result


def _spread(cells: Cells, column: str, values: list[Any], count: int) -> list[Any]:
    """One value for every organisation, or one each; blank means none."""
    values = [x.strip() if isinstance(x, str) else x for x in values]
    if all(x in (None, "") for x in values):
        return [None] * count
    if len(values) == 1:
        return values * count
    if len(values) != count:
        cells.problem(
            column,
            f"give one {column} for all the organisations, or one each ({count} organisations, {len(values)} values)",
        )
        return [None] * count
    return values
