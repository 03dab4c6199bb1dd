"""Importing organisations: name, sector and borough at least, one organisation a row."""

from sqlmodel import Session

from db.session import Database
from vru_crm import validation as v
from vru_crm.io.base import Cells, RowImporter, Tick
from vru_crm.services import organisations as orgs
from vru_crm.services.reference import ReferenceIndex

COLUMNS = ("name", "sector", "borough", "website", "email", "phone", "notes", "tags", "priority")


class OrganisationImporter(RowImporter):
    kind = "organisations"
    columns = COLUMNS
    required = ("name", "sector", "borough")
    # The most rows one file may hold; past it the file is refused up front. Each row goes
    # through the organisation service with its links and audit (about 8 ms) and is compared
    # with every name in its borough: 20,000 rows take two to three minutes.
    max_rows = 20_000

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self.reference = ReferenceIndex.load(database)
        self.existing = orgs.organisation_index(database)
        self.in_file = v.DuplicateIndex()

    def check(self, cells: Cells) -> orgs.OrganisationInput | None:
        data = orgs.OrganisationInput(
            name=cells.get("name"),
            sector=self._sector(cells),
            borough_ids=self._boroughs(cells),
            website=cells.get("website"),
            email=cells.get("email"),
            phone=cells.phone("phone"),
            notes=cells.get("notes"),
            tags=cells.items("tags"),
            is_priority=cells.flag("priority"),
        )
        for name, problem in orgs.organisation_problems(data).items():
            cells.problem(name if name in COLUMNS else "sector", problem)
        if cells.problems:
            return None
        if self._duplicate(cells, data):
            return None
        self.in_file.add(cells.number, data.name, data.email, data.borough_ids)
        return data

    def write(self, session: Session, items: list[orgs.OrganisationInput], tick: Tick) -> int:
        self.written_ids = []
        for done, data in enumerate(items, start=1):
            self.written_ids.append(orgs.insert_organisation(session, data))
            if done % 200 == 0:
                tick(done)
        return len(items)

    def _sector(self, cells: Cells) -> str:
        text = cells.get("sector")
        if not text:
            cells.problem(
                "sector",
                "a sector is required. " + self.reference.sector_problem("").split(". ", 1)[1],
            )
            return ""
        sector = self.reference.sector(text)
        if sector is None:
            cells.problem("sector", self.reference.sector_problem(text))
            return ""
        return sector.code

    def _boroughs(self, cells: Cells) -> list[int]:
        ids = []
        for text in cells.items("borough"):
            borough = self.reference.borough(text)
            if borough is None:
                cells.problem("borough", self.reference.borough_problem(text))
            else:
                ids.append(borough.id)
        return ids

    def _duplicate(self, cells: Cells, data: orgs.OrganisationInput) -> bool:
        for match in self.existing.find(data.name, data.email, data.borough_ids):
            column = "email" if match.reason.startswith("same e-mail") else "name"
            cells.problem(column, f"already in the database as '{match.name}' ({match.reason})")
            return True
        for match in self.in_file.find(data.name, data.email, data.borough_ids):
            column = "email" if match.reason.startswith("same e-mail") else "name"
            cells.problem(column, f"repeats row {match.id} ({match.reason})")
            return True
        return False
