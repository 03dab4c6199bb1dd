"""Standing items typed in words take the kind their title names, so the draft agenda keeps
"Any other business" last and puts what it finds where the network's own items say."""

import pytest

from vru_crm.governance import agenda, agenda_items, networks
from vru_crm.governance.agenda_items import StandingRow, kind_from_title
from vru_crm.governance.meetings import create_meeting, next_expected_slot


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Any other business", "aob"),
        ("AOB", "aob"),
        ("Welcome and apologies", "standing"),
        ("Welcome, introductions and apologies", "standing"),
        ("VRU Director's update", "update"),
        ("Matters arising and action log", "matters_arising"),
        ("Minutes of the previous meeting", "minutes"),
        ("Papers for decision", "decision"),
        ("Thematic discussion", "discussion"),
    ],
)
def test_the_title_names_the_kind(title, kind):
    assert kind_from_title(title) == kind


def test_a_network_made_in_words_gets_an_agenda_that_ends_with_aob(sqlite_database):
    db = sqlite_database
    prg = networks.create_network(
        db,
        networks.NetworkInput(
            name="Partnership Reference Group",
            short_name="PRG",
            cadence="quarterly, second Tuesday, 10:00 to 12:00",
        ),
    ).id
    agenda_items.set_standing_items(
        db,
        prg,
        [
            StandingRow("Welcome and apologies", "Chair", 5),
            StandingRow("VRU Director's update", "VRU Director", 20),
            StandingRow("Any other business", "Chair", 10),
            StandingRow("Close", kind="aob"),  # a kind given is kept
        ],
    )
    kinds = [r.kind for r in agenda_items.standing_items(db, prg)]
    assert kinds == ["standing", "update", "aob", "aob"]
    start, end = next_expected_slot(db, prg)
    meeting = create_meeting(db, title="PRG", network_id=prg, starts_at=start, ends_at=end).id
    titles = [i.title for i in agenda.assemble_draft(db, meeting).items]
    assert titles[0] == "Welcome and apologies"
    assert titles[1] == "VRU Director's update"
    assert titles[-2:] == ["Any other business", "Close"]
