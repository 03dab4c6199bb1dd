"""The data protection and restore commands, end to end through ``vru_crm.cli.main``."""

import json
from datetime import date

import pytest

from db.migrate import open_database
from db.models import Membership, Network
from vru_crm.cli.main import main
from vru_crm.errors import NotFound
from vru_crm.protection.consent import ConsentInput, record_consent
from vru_crm.reliability import backups
from vru_crm.services.engagements import EngagementInput, create_engagement
from vru_crm.services.people import PersonInput, create_person


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "vru.sqlite3"
    database = open_database(str(path), username="tester")
    jake = create_person(database, PersonInput(full_name="Jake Ferguson", email="jake@example.org"))
    record_consent(
        database, jake.id, ConsentInput("network_circulation", date(2025, 1, 1), "email")
    )
    create_person(database, PersonInput(full_name="Amara Okafor", email="amara@example.org"))
    with database.session() as s:
        network = Network(name="Youth Practitioners Forum", kind="forum")
        s.add(network)
        s.flush()
        s.add_all([Membership(network_id=network.id, person_id=pid) for pid in (1, 2)])
    create_engagement(
        database,
        EngagementInput(
            kind="visit", occurred_on=date(2015, 1, 1), person_ids=[jake.id], summary="Old visit"
        ),
    )
    database.dispose()
    return str(path)


def _run(capsys, *argv):
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_sar_log_list_answer_export(data_file, capsys, tmp_path):
    status, out, _ = _run(capsys, "--db", data_file, "sar", "log", "1", "--received", "31/01/2025")
    assert status == 0 and "due 28/02/2025" in out
    status, out, _ = _run(capsys, "--db", data_file, "sar", "list", "--open")
    assert "OVERDUE" in out
    assert _run(capsys, "--db", data_file, "sar", "answered", "1")[0] == 0
    assert (
        "No open subject access requests."
        in _run(capsys, "--db", data_file, "sar", "list", "--open")[1]
    )
    status, out, _ = _run(
        capsys, "--db", data_file, "sar", "export", "1", "-o", str(tmp_path / "out")
    )
    assert status == 0 and (tmp_path / "out").glob("*.json")
    assert len(list((tmp_path / "out").iterdir())) == 2


def test_erase_needs_confirmation_then_reports_counts_only(data_file, capsys):
    status, out, err = _run(capsys, "--db", data_file, "erase", "1")
    assert (
        status == 1
        and "Nothing was erased" in err
        and "1 consent record, 1 engagement, 1 network membership" in out
    )
    status, out, _ = _run(capsys, "--db", data_file, "erase", "1", "--yes")
    assert status == 0 and "Person 1 erased." in out and "Jake" not in out
    status, _, err = _run(capsys, "--db", data_file, "erase", "1", "--yes")
    assert status == 1 and "no person with id 1" in err


def test_retention_lists_then_applies(data_file, capsys):
    status, out, _ = _run(capsys, "--db", data_file, "retention")
    assert status == 0 and "due\tengagement\t1\t01/01/2015 visit" in out and "--apply" in out
    status, out, _ = _run(capsys, "--db", data_file, "retention", "--apply")
    assert "1 engagements anonymised" in out
    assert "Nothing is due." in _run(capsys, "--db", data_file, "retention")[1]


def test_mailing_list_writes_only_consenting_people_and_says_who_is_left_out(
    data_file, capsys, tmp_path
):
    target = tmp_path / "forum.csv"
    status, out, _ = _run(
        capsys,
        "--db",
        data_file,
        "mailing-list",
        "--network",
        "youth practitioners forum",
        "--channel",
        "email",
        "-o",
        str(target),
    )
    assert status == 0
    text = target.read_text(encoding="utf-8-sig")
    assert "jake@example.org" in text and "amara" not in text
    assert "1 on the list; 1 left out." in out and "no consent for this list by e-mail" in out
    status, _, err = _run(
        capsys,
        "--db",
        data_file,
        "mailing-list",
        "--network",
        "Nope",
        "-o",
        str(tmp_path / "x.vcf"),
    )
    assert status == 1 and "no network called Nope" in err


def test_audit_filters_by_entity_and_user(data_file, capsys):
    status, out, _ = _run(capsys, "--db", data_file, "audit", "--entity", "consent_record")
    assert status == 0 and "create\tconsent_record 1" in out and "1 of 1 entries shown." in out
    assert "0 of 0" in _run(capsys, "--db", data_file, "audit", "--user", "nobody")[1]


def test_backups_list_and_restore(data_file, capsys, tmp_path):
    from pathlib import Path

    path = Path(data_file)
    copy = backups.take_backup(path, "manual")
    status, out, _ = _run(capsys, "--db", data_file, "backups", "list", "--preview")
    assert status == 0 and "made by hand" in out and "2 people" in out
    _run(capsys, "--db", data_file, "erase", "2", "--yes")
    status, out, err = _run(capsys, "--db", data_file, "restore", str(copy))
    assert status == 1 and "Nothing was restored" in err
    status, out, _ = _run(capsys, "--db", data_file, "restore", str(copy), "--yes")
    assert status == 0 and "The file it replaced was kept as" in out
    database = open_database(data_file)
    from vru_crm.services.people import get_person

    with pytest.raises(NotFound):  # a restore never brings back someone erased
        get_person(database, 2)
    database.dispose()


def test_restore_on_postgresql_is_refused_in_words(capsys, tmp_path):
    status, _, err = _run(
        capsys,
        "--db",
        "postgresql+psycopg://vru@127.0.0.1:1/x",
        "restore",
        str(tmp_path / "a.sqlite3"),
        "--yes",
    )
    assert status == 1 and "pg_restore" in err


def test_erase_then_erasures_list_and_reapply(data_file, capsys):
    status, out, _ = _run(capsys, "--db", data_file, "erase", "1", "--yes")
    assert status == 0 and "Person 1 erased." in out
    status, out, _ = _run(capsys, "--db", data_file, "erasures", "list", "--json")
    listed = json.loads(out)
    assert status == 0 and [(e["person_id"], e["kind"]) for e in listed] == [(1, "erased")]
    status, out, _ = _run(capsys, "--db", data_file, "erasures", "reapply")
    assert status == 0 and "none was back" in out
