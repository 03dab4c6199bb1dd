"""Mailing lists: only people whose consent and preferences allow the channel, and why others are out."""

import csv
from datetime import timedelta

import pytest

from db.models import Affiliation, Membership, Network, Organisation
from vru_crm.errors import ValidationError
from vru_crm.london import today_in_london
from vru_crm.protection import mailing
from vru_crm.protection.consent import (
    ConsentInput,
    ProtectionInput,
    record_consent,
    save_protection,
    withdraw_consent,
)
from vru_crm.services.people import PersonInput, create_person

TODAY = today_in_london()
SINCE = TODAY - timedelta(days=30)


def _person(database, name, email, consent=None, **extra):
    pid = create_person(database, PersonInput(full_name=name, email=email, **extra)).id
    if consent:
        record_consent(database, pid, consent)
    return pid


def _network(database, name, people=(), organisations=()):
    with database.session() as s:
        network = Network(name=name, kind="network")
        s.add(network)
        s.flush()
        for pid in people:
            s.add(Membership(network_id=network.id, person_id=pid))
        for oid in organisations:
            s.add(Membership(network_id=network.id, organisation_id=oid))
        return network.id


def _everyone(database):
    """One person per reason to be left out, and two who may be e-mailed."""
    ok = ConsentInput("network_circulation", SINCE, channel="email")
    ids = {
        "yes": _person(database, "Amara Okafor", "amara@example.org", ok),
        "any": _person(
            database,
            '=HYPERLINK("x") Bilal',
            "bilal@example.org",
            ConsentInput("network_circulation", SINCE, channel="any"),
        ),
        "none": _person(database, "Chloe Doe", "chloe@example.org"),
        "phone_only": _person(
            database,
            "Dev Patel",
            "dev@example.org",
            ConsentInput("network_circulation", SINCE, channel="phone"),
        ),
        "opted_out": _person(database, "Erin Walsh", "erin@example.org", ok),
        "no_address": _person(database, "Femi Ade", None, ok),
        "withdrawn": _person(database, "Gita Rao", "gita@example.org", ok),
        "young": _person(
            database, "Hana Young", "hana@example.org", ok, is_young_person=True, age_band="16_17"
        ),
        "dup": _person(database, "Amara Okafor (work)", "AMARA@example.org", ok),
    }
    save_protection(database, ids["opted_out"], ProtectionInput("consent", no_email=True))
    from vru_crm.protection.consent import get_protection

    [consent] = get_protection(database, ids["withdrawn"]).consents
    withdraw_consent(database, consent.id, TODAY)
    ids["under_13"] = _person(
        database, "Ivo Small", "ivo@example.org", None, is_young_person=True, age_band="under_13"
    )
    network = _network(database, "Youth Practitioners Forum", list(ids.values()))
    return ids, network


def test_list_keeps_only_who_may_be_emailed_and_counts_the_rest(database):
    ids, network = _everyone(database)
    result = mailing.build_list(
        database, mailing.ListRequest("network", "email", network_ids=[network])
    )
    assert {r.person_id for r in result.recipients} == {ids["yes"], ids["any"]}
    assert dict(result.left_out) == {
        "no consent for this list by e-mail": 2,
        "asked not to be contacted by e-mail": 1,
        "no e-mail address or number": 1,
        "consent withdrawn": 1,
        "young person (include young people only by choice)": 2,
        "same e-mail address as someone already on the list": 1,
    }
    assert result.report_lines()[0] == "2 on the list; 8 left out."


def test_young_people_only_with_an_explicit_choice_and_under_13_only_with_a_parent(database):
    ids, network = _everyone(database)
    request = mailing.ListRequest(
        "network", "email", network_ids=[network], include_young_people=True
    )
    result = mailing.build_list(database, request)
    assert ids["young"] in {r.person_id for r in result.recipients}
    assert result.left_out["under 13 without a parent or carer's consent"] == 1
    record_consent(
        database,
        ids["under_13"],
        ConsentInput(
            "network_circulation",
            SINCE,
            channel="email",
            given_by="parent_carer",
            given_by_name="Olu Small",
            given_by_relationship="father",
        ),
    )
    result = mailing.build_list(database, request)
    assert ids["under_13"] in {r.person_id for r in result.recipients}


def test_organisation_members_bring_their_staff_and_filters_combine(database):
    ok = ConsentInput("newsletter", SINCE, channel="email")
    police = _person(database, "Sam Officer", "sam@met.example.org", ok)
    charity = _person(database, "Ray Worker", "ray@cvs.example.org", ok)
    with database.session() as s:
        met = Organisation(name="Metropolitan Police", sector="police")
        cvs = Organisation(name="Hackney CVS", sector="charity")
        s.add_all([met, cvs])
        s.flush()
        s.add_all(
            [
                Affiliation(person_id=police, organisation_id=met.id, role="Inspector"),
                Affiliation(person_id=charity, organisation_id=cvs.id),
            ]
        )
        met_id = met.id
    network = _network(database, "Violence Reduction Champions", organisations=[met_id])
    news = mailing.build_list(
        database, mailing.ListRequest("newsletter", "email", sectors=["police"])
    )
    assert [(r.full_name, r.organisation, r.job_title) for r in news.recipients] == [
        ("Sam Officer", "Metropolitan Police", None)
    ]
    circulation = mailing.build_list(
        database, mailing.ListRequest("network", "email", network_ids=[network])
    )
    # Sam consented to the newsletter, not to circulation lists
    assert circulation.recipients == [] and circulation.left_out_total == 1


def test_csv_defuses_formulas_and_vcard_is_version_3(database, tmp_path):
    ids, network = _everyone(database)
    result = mailing.build_list(
        database, mailing.ListRequest("network", "email", network_ids=[network])
    )
    csv_path = mailing.export(result, tmp_path / "list.csv")
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["Name", "E-mail", "Organisation", "Job title", "Borough"]
    assert ['\'=HYPERLINK("x") Bilal', "bilal@example.org", "", "", ""] in rows
    vcf = mailing.export(result, tmp_path / "list.vcf").read_bytes().decode("utf-8")
    assert vcf.count("BEGIN:VCARD\r\nVERSION:3.0\r\n") == 2
    assert "FN:Amara Okafor\r\nN:Okafor;Amara;;;\r\nEMAIL;TYPE=INTERNET:amara@example.org" in vcf
    assert all(len(line.encode()) <= 75 for line in vcf.split("\r\n"))
    with pytest.raises(ValidationError, match=r"\.csv or \.vcf"):
        mailing.export(result, tmp_path / "list.xlsx")


def test_vcard_escapes_and_folds_long_values():
    request = mailing.ListRequest("newsletter", "email")
    long_org = "Association of Londoners, Youth; Community & Faith Groups " * 3
    recipient = mailing.Recipient(1, "Zoë Ångström", "z@example.org", None, None, long_org, None)
    text = mailing.to_vcard(mailing.MailingList(request, [recipient], mailing.Counter()))
    assert "Londoners\\, Youth\\; Community" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_circulation_list_needs_a_network_and_post_is_explained(database):
    with pytest.raises(ValidationError) as caught:
        mailing.build_list(database, mailing.ListRequest("network", "post"))
    assert "no postal addresses" in caught.value.fields["channel"]
    assert "at least one network" in caught.value.fields["network"]
