"""Erased people are nowhere in the bytes of the files.

People with accented, apostrophised and hyphenated names, one of them with a
merged duplicate, are erased while another connection holds a read
transaction; then the raw bytes of the database, its -wal, every automatic
backup and every export made afterwards are searched for their names, e-mails
and phones, in UTF-8 and in case-folded and accent-free forms.
"""

import json
import sqlite3
import threading
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from db.models import Meeting
from vru_crm.io.export_csv import export_csv
from vru_crm.protection.erasure import erase_person
from vru_crm.protection.matching import fold
from vru_crm.protection.subject_access import export_person
from vru_crm.reliability import backups
from vru_crm.services.engagements import EngagementInput, create_engagement
from vru_crm.services.merge import merge_people
from vru_crm.services.organisations import OrganisationInput, create_organisation
from vru_crm.services.people import PersonInput, create_person, update_person

PEOPLE = [
    ("Łukasz Nowak", "lukasz.nowak@example.org", "07700 900111"),
    ("Émilie Laurent", "emilie.laurent@example.fr", "020 7946 0123"),
    ("Şebnem Yılmaz", "sebnem.yilmaz@example.org", "07700 900222"),
    ("Örs Kovács", "ors.kovacs@example.hu", "07700 900333"),
    ("Siobhan O'Brien", "siobhan.obrien@example.ie", "07700 900444"),
    ("Amelia Smith-Jones", "amelia.sj@example.co.uk", "07700 900555"),
]
DUPLICATE = ("Lukasz Nowak", "l.nowak@example.net", "07700 900666")
EARLIER_NAME = "Emilie Laurant"  # Émilie's name before it was corrected


def _forms(value: str) -> set[bytes]:
    """The ways a value can sit in a file."""
    texts = {
        value,
        value.casefold(),
        value.upper(),
        value.lower(),
        fold(value),
        unicodedata.normalize("NFD", value),
        json.dumps(value)[1:-1],  # JSON with \\u escapes
    }
    return {t.encode("utf-8") for t in texts}


@pytest.fixture(autouse=True)
def _register_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("VRU_CRM_REGISTER_DIR", str(tmp_path / "register"))


def test_erased_people_are_in_no_byte_of_the_database_its_wal_backups_or_exports(
    sqlite_database, tmp_path
):
    database = sqlite_database
    for i in range(40):  # enough pages that freed ones and old cells matter
        create_person(database, PersonInput(full_name=f"Other Person {i}", notes="x" * 400))
    kept = create_person(database, PersonInput(full_name="Amara Okafor", email="amara@example.org"))
    ids = []
    for name, email, phone in PEOPLE:
        first = EARLIER_NAME if name == "Émilie Laurent" else name
        record = create_person(database, PersonInput(full_name=first, email=email, phone=phone))
        if first != name:
            record = update_person(
                database,
                record.id,
                PersonInput(full_name=name, email=email, phone=phone),
                record.version,
            )
        ids.append(record.id)
    duplicate = create_person(
        database,
        PersonInput(full_name=DUPLICATE[0], email=DUPLICATE[1], phone=DUPLICATE[2]),
    )
    merge_people(database, ids[0], duplicate.id)
    org = create_organisation(
        database,
        OrganisationInput(
            name="Hackney CVS",
            sector="charity",
            notes="ŁUKASZ NOWAK and émilie laurent came; Siobhan O’Brien rang 07700900444.",
        ),
    )
    create_engagement(
        database,
        EngagementInput(
            kind="visit",
            occurred_on=date(2025, 2, 1),
            organisation_ids=[org.id],
            person_ids=[kept.id, *ids],
            summary="SEBNEM YILMAZ, Ors Kovacs and amelia smith–jones (amelia.sj@example.co.uk)",
        ),
    )
    start = datetime(2025, 2, 3, 18, tzinfo=UTC)
    with database.session() as s:
        s.add(Meeting(title="YPAG", starts_at=start, ends_at=start, notes="Lukasz Nowak chaired"))
    backups.take_backup(database.path, "startup")
    backups.take_backup(database.path, "manual")

    reader = sqlite3.connect(database.path, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM person").fetchone()
    threading.Timer(1.0, reader.close).start()  # a colleague's open window, closed a moment later
    reports = [erase_person(database, pid) for pid in ids]
    assert [r.unfinished for r in reports] == [None] * len(ids)

    exports = tmp_path / "exports"
    exports.mkdir()
    for kind in ("people", "organisations", "engagements", "meetings"):
        export_csv(database, kind, exports / f"{kind}.csv")
    export_person(database, kept.id, exports, stem="sar-amara")
    backups.take_backup(database.path, "manual")

    files = [database.path, Path(f"{database.path}-wal")]
    files += [b.path for b in backups.list_backups(database.path)]
    files += sorted(exports.iterdir())
    assert len(files) >= 2 + 3 + 6
    values = [v for person in [*PEOPLE, DUPLICATE] for v in person] + [EARLIER_NAME]
    found = [
        (path.name, value)
        for path in files
        if path.exists()
        for value in values
        for form in _forms(value)
        if form in path.read_bytes()
    ]
    assert found == []
    assert b"Amara Okafor" in database.path.read_bytes()  # the search would have seen a name
