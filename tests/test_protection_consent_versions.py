"""Protection records are versioned like every other record, first save included."""

import threading

import pytest

from db.errors import ConcurrentEditError
from vru_crm.protection.consent import ProtectionInput, get_protection, save_protection
from vru_crm.services.people import PersonInput, create_person


def test_a_first_save_after_someone_elses_first_save_is_refused(database):
    pid = create_person(database, PersonInput(full_name="Jake Ferguson")).id
    opened = get_protection(database, pid)
    assert opened.version is None
    save_protection(database, pid, ProtectionInput("consent", no_email=True), opened.version)
    with pytest.raises(ConcurrentEditError, match="Reload it"):
        save_protection(database, pid, ProtectionInput("consent"), opened.version)
    assert get_protection(database, pid).no_email


def test_simultaneous_first_saves_leave_one_winner_and_no_raw_errors(database):
    pid = create_person(database, PersonInput(full_name="Amara Okafor")).id
    start = threading.Barrier(12)
    outcomes: list[str] = []

    def save(no_email: bool) -> None:
        start.wait()
        try:
            save_protection(database, pid, ProtectionInput("consent", no_email=no_email), None)
            outcomes.append("saved")
        except ConcurrentEditError:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 (any other error is the bug)
            outcomes.append(repr(error))

    threads = [threading.Thread(target=save, args=(i % 2 == 0,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(outcomes)) == ["refused", "saved"] and outcomes.count("saved") == 1
    assert get_protection(database, pid).version == 1
