"""Accents and case, merged duplicates, subject access, concurrency."""

import json
import threading
from datetime import date

import pytest
from sqlmodel import select

from db.models import (
    AnonymousParticipant,
    AuditEntry,
    Meeting,
    Organisation,
    StakeholderAssessment,
)
from vru_crm.protection.erasure import erase_person
from vru_crm.protection.matching import fold, matcher
from vru_crm.protection.sar_document import collect
from vru_crm.services.engagements import EngagementInput, create_engagement
from vru_crm.services.merge import merge_people
from vru_crm.services.organisations import (
    OrganisationInput,
    create_organisation,
    get_organisation,
    update_organisation,
)
from vru_crm.services.people import PersonInput, create_person


def _texts(database) -> list[str]:
    """Every audit entry and every free-text column that could hold a name."""
    with database.session() as s:
        found = [f"{e.summary} {e.changes}" for e in s.exec(select(AuditEntry))]
        found += [o.notes for o in s.exec(select(Organisation))]
        found += [m.notes for m in s.exec(select(Meeting))]
        found += [a.notes for a in s.exec(select(StakeholderAssessment))]
    return found


def _held(database, values) -> list[str]:
    """The values still found anywhere, compared folded (any case, any accents)."""
    texts = [fold(t) for t in _texts(database)]
    return [v for v in values if any(fold(v) in t for t in texts)]


def test_the_matcher_folds_case_accents_apostrophes_and_dashes():
    found = matcher(["Łukasz Nowak", "Siobhan O'Brien", "Amelia Smith-Jones", "020 7983 4000"])
    for text in (
        "ŁUKASZ NOWAK came",
        "lukasz  nowak",
        "Siobhan O’Brien",
        "amelia smith–jones",
        "on 02079834000",
    ):
        assert found.finds(text), text
        assert "[erased]" in found.replace(text, "[erased]")
    assert not found.finds("Nowakowski") and not found.finds("Łukasz")  # whole values only
    assert found.replace("Émilie met ŁUKASZ NOWAK.", "[x]") == "Émilie met [x]."


def test_accented_names_are_scrubbed_from_every_record_and_the_trail(database):
    people = {
        name: create_person(database, PersonInput(full_name=name, email=email))
        for name, email in [
            ("Łukasz Nowak", "lukasz.nowak@example.org"),
            ("Émilie Laurent", "emilie@example.org"),
            ("Şebnem Yılmaz", "sebnem@example.org"),
            ("Örs Kovács", "ors@example.org"),
        ]
    }
    org = create_organisation(database, OrganisationInput(name="Hackney CVS", sector="charity"))
    current = get_organisation(database, org.id)
    update_organisation(
        database,
        org.id,
        OrganisationInput(
            name="Hackney CVS",
            sector="charity",
            notes="ŁUKASZ NOWAK and emilie laurent came; SEBNEM YILMAZ sent apologies; "
            "Ors Kovacs will follow up.",
        ),
        current.version,
    )
    with database.session() as s:
        s.add(Meeting(title="PRG", starts_at=_noon(), ends_at=_noon(), notes="łukasz nowak spoke"))
        s.add(
            StakeholderAssessment(
                organisation_id=org.id,
                assessed_on=date(2025, 1, 2),
                influence=3,
                interest=3,
                support=3,
                notes="Contact: Émilie Laurent (EMILIE@EXAMPLE.ORG)",
            )
        )
    assert len(_held(database, list(people))) == 4  # the notes and the trail hold them all
    reports = [erase_person(database, p.id) for p in people.values()]
    assert _held(database, [*people, *(p.email for p in people.values())]) == []
    assert reports[0].text_rows_scrubbed >= 2  # the organisation's notes and the meeting's
    assert reports[0].audit_entries_scrubbed >= 2
    assert "Hackney CVS" in " ".join(_texts(database))  # the rest of the record stays


def test_erasure_covers_every_record_merged_into_the_person(database):
    kept = create_person(
        database,
        PersonInput(full_name="Amelia Smith-Jones", email="amelia@example.org"),
    )
    duplicate = create_person(
        database,
        PersonInput(
            full_name="Amy Smith-Jones",
            email="amy.sj@example.net",
            phone="07700 900123",
            notes="Prefers texts; met at Tottenham Hotspur Foundation",
        ),
    )
    older = create_person(database, PersonInput(full_name="A. Smith-Jones", email="asj@old.org"))
    merge_people(database, duplicate.id, older.id)  # merged twice: older -> duplicate -> kept
    merge_people(database, kept.id, duplicate.id)
    secrets = ["Amy Smith-Jones", "amy.sj@example.net", "07700 900123", "asj@old.org"]
    assert len(_held(database, secrets)) == 4
    report = erase_person(database, kept.id)
    assert report.merged_records == 2
    assert _held(database, [*secrets, "Amelia Smith-Jones", "Tottenham Hotspur"]) == []


def test_subject_access_shows_everything_erasure_would_scrub(database):
    person = create_person(
        database,
        PersonInput(full_name="Şebnem Yılmaz", email="sebnem@example.org", phone="020 7983 4000"),
    )
    other = create_person(database, PersonInput(full_name="Amara Okafor"))
    org = create_organisation(
        database,
        OrganisationInput(name="Hackney CVS", sector="charity", notes="SEBNEM YILMAZ leads"),
    )
    create_engagement(
        database,
        EngagementInput(
            kind="call",
            occurred_on=date(2025, 2, 3),
            organisation_ids=[org.id],
            person_ids=[other.id],
            summary="Amara passed on sebnem@example.org and 0207 983 4000",
        ),
    )
    export = collect(database, person.id)
    exported = {(a["record"], a["record_id"], a["at"]) for a in export["audit_entries"]}
    mentioned = {(m["record"], m["field"]) for m in export["mentions"]}
    before = _trail(database)

    erase_person(database, person.id)

    after = _trail(database)
    changed = {key for key, text in before.items() if after.get(key) != text}
    assert changed and changed <= exported  # every entry the erasure rewrote was in the export
    assert {("organisation", "notes"), ("engagement", "summary")} <= mentioned


def _trail(database) -> dict[tuple, str]:
    with database.session() as s:
        return {
            (e.entity, e.entity_id, e.at.isoformat()): f"{e.summary} {e.changes}"
            for e in s.exec(select(AuditEntry))
        }


def test_concurrent_erasures_of_people_sharing_engagements_count_exactly(database):
    a = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    b = create_person(database, PersonInput(full_name="Amara Okafor")).id
    c = create_person(database, PersonInput(full_name="Tayo Adeyemi")).id
    engagements = [
        create_engagement(
            database,
            EngagementInput(
                kind="visit",
                occurred_on=date(2025, 3, 1 + i % 28),
                person_ids=[a, b, c],
                summary=f"Workshop {i}",
            ),
        ).id
        for i in range(30)
    ]
    erase_person(database, c)  # each engagement already counts one person anonymously
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def erase(pid: int) -> None:
        start.wait()
        try:
            erase_person(database, pid)
        except BaseException as error:  # noqa: BLE001 (reported below)
            failures.append(error)

    threads = [threading.Thread(target=erase, args=(pid,)) for pid in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with database.session() as s:
        counts = {r.engagement_id: r.count for r in s.exec(select(AnonymousParticipant))}
    assert [counts.get(e) for e in engagements] == [3] * 30


def test_the_merge_entry_names_no_personal_values(database):
    kept = create_person(database, PersonInput(full_name="Örs Kovács", email="ors@example.org"))
    other = create_person(database, PersonInput(full_name="Ors Kovacs", email="o@example.org"))
    merge_people(database, kept.id, other.id)
    with database.session() as s:
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "merge")).one()
    assert entry.entity_id == kept.id and json.loads(entry.changes)["merged_id"] == other.id
    assert "Kov" not in entry.summary + entry.changes


def _noon():
    from datetime import UTC, datetime

    return datetime(2025, 2, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _register_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("VRU_CRM_REGISTER_DIR", str(tmp_path / "register"))
