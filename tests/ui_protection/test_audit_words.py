"""The audit trail says what a user expects ("Consent of Grace Reid:
withdrawn on 1 Dec 2026"), by record and field labels, with its "What" column filled."""

from datetime import date

from PySide6.QtCore import Qt

from ui.protection.audit_trail_view import COLUMNS, AuditTrailView
from vru_crm.protection import audit_view
from vru_crm.protection.audit_view import AuditFilter
from vru_crm.protection.consent import ConsentInput, record_consent, withdraw_consent
from vru_crm.services.organisations import OrganisationInput, create_organisation
from vru_crm.services.people import AffiliationInput, PersonInput, add_affiliation, create_person


def _history(database):
    grace = create_person(database, PersonInput(full_name="Grace Reid"))
    org = create_organisation(database, OrganisationInput(name="Hackney CVS", sector="charity"))
    add_affiliation(database, AffiliationInput(grace.id, org.id, "Trustee", date(2024, 4, 1)))
    consent = record_consent(database, grace.id, ConsentInput("newsletter", date(2026, 1, 5)))
    withdraw_consent(database, consent.id, date(2026, 12, 1))
    return grace


def test_entries_in_words(database):
    _history(database)
    rows = audit_view.page_entries(database, AuditFilter())
    withdrawn = next(r for r in rows if r.entity == "consent_record" and r.action == "update")
    assert withdrawn.record == "Consent of Grace Reid"
    assert withdrawn.what == "Consent of Grace Reid: withdrawn on 1 Dec 2026"
    assert withdrawn.action_words == "Changed"
    added = next(r for r in rows if r.entity == "consent_record" and r.action == "create")
    assert added.what == "Consent of Grace Reid: added"
    assert "Given on: 5 Jan 2026" in added.details and "given_on" not in added.details
    link = next(r for r in rows if r.entity == "affiliation")
    assert link.record == "Affiliation of Grace Reid at Hackney CVS"
    assert "Person: Grace Reid" in link.details
    assert all(r.what for r in rows)  # the "What" column is never empty


def test_the_view_shows_words_not_table_names(qtbot, sqlite_database):
    _history(sqlite_database)
    view = AuditTrailView(sqlite_database)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view.model.loading)  # read on the thread pool
    model = view.model
    what, record, action = (COLUMNS.index(c) for c in ("What", "Record", "Action"))
    cells = [
        [model.index(r, c).data(Qt.ItemDataRole.DisplayRole) for c in range(len(COLUMNS))]
        for r in range(model.rowCount())
    ]
    assert all(row[what] for row in cells)
    assert not any("consent_record" in row[record] or "_" in row[record] for row in cells)
    assert [
        row[what] for row in cells if row[action] == "Changed" and "Consent" in row[record]
    ] == ["Consent of Grace Reid: withdrawn on 1 Dec 2026"]
    qtbot.waitUntil(lambda: view.entity.count() > 1)  # the filter's values come from the pool
    kinds = [view.entity.itemText(i) for i in range(view.entity.count())]
    assert "Consent" in kinds and "consent_record" not in kinds
    view.table.selectRow(0)
    assert "Traceback" not in view.details.toPlainText()
