"""The person page says why we hold the data and how the person may be contacted; young people get the notice."""

from datetime import timedelta

from conftest import wait_loaded

from vru_crm.london import today_in_london
from vru_crm.protection.consent import (
    ConsentInput,
    ProtectionInput,
    record_consent,
    save_protection,
)
from vru_crm.protection.vocab import SAFEGUARDING_NOTICE
from vru_crm.services.people import PersonInput, create_person


def _facts(page) -> dict[str, str]:
    return {label: value.text() for label, value in page.protection.values.items()}


def test_a_young_persons_page_shows_the_notice_consent_and_contact_rules(
    qtbot, window, qt_database
):
    database = qt_database.database
    young = create_person(
        database, PersonInput(full_name="Tayo Young", is_young_person=True, age_band="under_13")
    )
    save_protection(
        database,
        young.id,
        ProtectionInput(
            lawful_basis="consent", no_phone=True, review_on=today_in_london() + timedelta(days=300)
        ),
    )
    record_consent(
        database,
        young.id,
        ConsentInput(
            "newsletter",
            today_in_london(),
            given_by="parent_carer",
            given_by_name="Ada Young",
            given_by_relationship="mother",
        ),
    )
    window.open_record("person", young.id)
    page = window.details["person"]
    wait_loaded(qtbot, page)
    assert page.safeguarding.isVisible() and page.safeguarding.text() == SAFEGUARDING_NOTICE
    facts = _facts(page)
    assert facts["Consent"] == "1 active (The VRU newsletter)"
    assert facts["Contact"] == "Not by phone"
    assert facts["Lawful basis"].startswith("Consent")
    assert not page.protection_warnings.isVisible()


def test_an_adult_without_a_basis_is_flagged_and_the_panel_opens(qtbot, window, qt_database):
    window.open_record("person", qt_database.sample.person["Jake Ferguson"])
    page = window.details["person"]
    wait_loaded(qtbot, page)
    assert not page.safeguarding.isVisible()
    assert "No lawful basis is recorded" in page.protection_warnings.text()
    assert _facts(page)["Consent"] == "None recorded"
    page.consent_button.click()
    qtbot.waitUntil(lambda: window.findChild(object, "panel_ConsentPanel") is not None)
    host = window.findChild(object, "panel_ConsentPanel")
    host.close()
