"""The mailing list screen: who is on the list, who was left out and why, saved as CSV or vCard."""

from datetime import date

from PySide6.QtCore import QThreadPool

from db.models import Membership, Network
from ui.protection.mailing_dialog import MailingListDialog
from vru_crm.protection.consent import ConsentInput, record_consent
from vru_crm.services.people import PersonInput, create_person


def _forum(database):
    ok = create_person(database, PersonInput(full_name="Amara Okafor", email="amara@example.org"))
    record_consent(database, ok.id, ConsentInput("network_circulation", date(2025, 1, 1), "email"))
    none = create_person(database, PersonInput(full_name="Jake Ferguson", email="jake@example.org"))
    young = create_person(
        database,
        PersonInput(
            full_name="Tayo Young", email="tayo@example.org", is_young_person=True, age_band="16_17"
        ),
    )
    record_consent(
        database, young.id, ConsentInput("network_circulation", date(2025, 1, 1), "email")
    )
    with database.session() as s:
        network = Network(name="Youth Practitioners Forum", kind="forum")
        s.add(network)
        s.flush()
        s.add_all([Membership(network_id=network.id, person_id=p.id) for p in (ok, none, young)])
        return network.id


def _build(qtbot, dialog):
    dialog.build()
    qtbot.waitUntil(lambda: not dialog._job.is_running, timeout=5000)
    QThreadPool.globalInstance().waitForDone(5000)


def test_list_shows_who_is_in_and_why_others_are_out_then_saves(qtbot, sqlite_database, tmp_path):
    network = _forum(sqlite_database)
    dialog = MailingListDialog(sqlite_database)
    qtbot.addWidget(dialog)
    dialog.circulation.setChecked(True)
    dialog.networks.set_selected([(network, "Youth Practitioners Forum")])
    _build(qtbot, dialog)
    assert dialog.summary.text() == "1 on the list; 2 left out."
    assert dialog.people.model().index(0, 0).data() == "Amara Okafor"
    reasons = {
        dialog.reasons.model().index(r, 1).data() for r in range(dialog.reasons.model().rowCount())
    }
    assert reasons == {
        "no consent for this list by e-mail",
        "young person (include young people only by choice)",
    }
    dialog.save(tmp_path / "forum.vcf")
    assert "FN:Amara Okafor" in (tmp_path / "forum.vcf").read_text()
    assert dialog.summary.text().startswith("Saved 1 people to forum.vcf")

    dialog.young.setChecked(True)
    _build(qtbot, dialog)
    assert dialog.summary.text() == "2 on the list; 1 left out."


def test_a_circulation_list_without_a_network_is_explained(qtbot, sqlite_database):
    dialog = MailingListDialog(sqlite_database)
    qtbot.addWidget(dialog)
    dialog.circulation.setChecked(True)
    _build(qtbot, dialog)
    assert "choose at least one network" in dialog.summary.text()
    assert not dialog.csv_button.isEnabled()
