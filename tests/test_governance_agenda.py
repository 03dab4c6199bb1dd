"""Agenda assembly from what is open, editing, and the HTML/Markdown documents read back."""

from datetime import date
from html.parser import HTMLParser

import pytest
from governance_data import at, engagement, make_network, meeting, person, set_minutes
from markdown_it import MarkdownIt

from vru_crm.errors import ValidationError
from vru_crm.governance.actions import close_action, create_action, overdue_actions
from vru_crm.governance.agenda import (
    StandingRow,
    add_item,
    assemble_draft,
    get_agenda,
    move_item,
    remove_item,
    reorder_items,
    set_standing_items,
    update_item,
)
from vru_crm.governance.agenda_export import export_agenda_text
from vru_crm.governance.recommendations import (
    create_recommendation,
    overdue_recommendations,
    record_response,
)

PCC = "Police and Crime Committee"


def _item(agenda, kind):
    return next(i for i in agenda.items if i.kind == kind)


def test_open_actions_are_carried_forward_until_closed(database):
    prg = make_network(database)
    other = make_network(database, name="Charities network")
    jan = meeting(database, prg, at(2019, 1, 22), "held")
    may = meeting(database, prg, at(2019, 5, 1), "held")
    july = meeting(database, prg, at(2019, 7, 30))
    october = meeting(database, prg, at(2019, 10, 29))
    kept = create_action(
        database,
        "Map community stakeholders",
        owner="VRU Director",
        due_date=date(2019, 3, 31),
        meeting_id=jan,
    ).id
    closed = create_action(
        database,
        "Circulate the draft work programme",
        owner="Lib Peck",
        due_date=date(2019, 6, 1),
        meeting_id=may,
    ).id
    create_action(
        database,
        "Another network's action",
        meeting_id=meeting(database, other, at(2019, 5, 2), "held"),
    )
    create_action(database, "Raised at the July meeting itself", meeting_id=july)

    july_notes = _item(assemble_draft(database, july), "matters_arising").notes
    assert (
        "Map community stakeholders (VRU Director; due 31/03/2019, overdue by 121 days"
        in july_notes
    )
    assert "Circulate the draft work programme (Lib Peck; due 01/06/2019" in july_notes
    assert "Another network" not in july_notes and "July meeting itself" not in july_notes

    close_action(database, closed, on=date(2019, 8, 1))
    october_notes = _item(assemble_draft(database, october), "matters_arising").notes
    assert "Map community stakeholders" in october_notes
    assert "Raised at the July meeting itself" in october_notes
    assert "Circulate the draft work programme" not in october_notes
    assert [a.id for a in overdue_actions(database, as_of=date(2019, 8, 2))] == [kept]


def test_recommendations_due_or_overdue_are_on_the_agenda(database):
    prg = make_network(database)
    july = meeting(database, prg, at(2019, 7, 30))
    overdue = create_recommendation(
        database,
        sender=PCC,
        letter_date=date(2019, 5, 14),
        number=1,
        text="Publish the PRG minutes",
        due_date=date(2019, 6, 30),
    )
    create_recommendation(
        database,
        sender=PCC,
        letter_date=date(2019, 5, 14),
        number=2,
        text="Set out the community engagement plan",
        due_date=date(2019, 8, 15),
    )
    create_recommendation(
        database,
        sender=PCC,
        letter_date=date(2019, 5, 14),
        number=3,
        text="Report on funding in December",
        due_date=date(2019, 12, 31),
    )
    answered = create_recommendation(
        database,
        sender=PCC,
        letter_date=date(2019, 5, 14),
        number=4,
        text="Already answered",
        due_date=date(2019, 6, 1),
    )
    record_response(
        database, answered.id, "See the Director's letter of 13 June 2019", on=date(2019, 6, 13)
    )
    notes = _item(assemble_draft(database, july), "update").notes
    assert "recommendation 1 (overdue since 30/06/2019): Publish the PRG minutes" in notes
    assert "recommendation 2 (due 15/08/2019)" in notes
    assert "recommendation 3" not in notes and "Already answered" not in notes
    assert [r.id for r in overdue_recommendations(database, as_of=date(2019, 7, 30))] == [
        overdue.id
    ]


def test_minutes_awaiting_approval_and_engagements_since_the_last_meeting(database):
    prg = make_network(database)
    jan = meeting(database, prg, at(2019, 1, 22), "held")
    may = meeting(database, prg, at(2019, 5, 1), "held")
    july = meeting(database, prg, at(2019, 7, 30))
    set_minutes(database, jan, "draft")
    set_minutes(database, may, "draft")
    engagement(database, date(2019, 4, 30), boroughs=["Hackney"], summary="Before the May meeting")
    engagement(
        database,
        date(2019, 5, 2),
        boroughs=["Hackney", "Lambeth"],
        networks=["Partnership Reference Group"],
        objectives=[3],
        reached=40,
    )
    engagement(
        database,
        date(2019, 6, 12),
        boroughs=["Hackney"],
        objectives=[3, 8],
        notable=True,
        summary="Youth summit with 200 young Londoners",
        reached=200,
    )
    engagement(database, date(2019, 7, 30), boroughs=["Croydon"], reached=5)

    agenda = assemble_draft(database, july)
    minutes = [i for i in agenda.items if i.kind == "minutes"]
    assert [m.subject_meeting_id for m in minutes] == [jan, may]
    assert minutes[1].title == "Minutes of the meeting of Wednesday 1 May 2019"
    summary = next(i for i in agenda.items if i.title.startswith("Community engagement")).notes
    assert "3 engagements logged from 02/05/2019 to 30/07/2019, reaching 245 people." in summary
    assert "By borough: Hackney 2, Croydon 1, Lambeth 1" in summary
    assert "By network: Partnership Reference Group 1" in summary
    assert "Young people leading change" in summary or "By objective:" in summary
    assert "- 12/06/2019: Youth summit with 200 young Londoners" in summary
    assert "Before the May meeting" not in summary


def test_standing_items_open_and_close_the_agenda(database):
    prg = make_network(database)
    person(database, "Sadiq Khan", prg, "chair")
    set_standing_items(
        database,
        prg,
        [
            StandingRow("Welcome and apologies", minutes_allotted=5),
            StandingRow("Director's update", "Lib Peck", 15, "update"),
            StandingRow("Any other business", minutes_allotted=5, kind="aob"),
        ],
    )
    agenda = assemble_draft(database, meeting(database, prg, at(2019, 7, 30)))
    titles = [i.title for i in agenda.items]
    assert titles[:2] == ["Welcome and apologies", "Director's update"]
    assert titles[-1] == "Any other business"
    assert agenda.items[0].presenter == "Sadiq Khan" and agenda.items[1].presenter == "Lib Peck"
    assert agenda.chair == "Sadiq Khan"


def test_building_twice_asks_before_replacing_edits(database):
    prg = make_network(database)
    july = meeting(database, prg, at(2019, 7, 30))
    assemble_draft(database, july)
    with pytest.raises(ValidationError, match="already has an agenda"):
        assemble_draft(database, july)
    assert len(assemble_draft(database, july, replace=True).items) == len(
        get_agenda(database, july).items
    )


def test_edit_reorder_add_and_the_running_total(database):
    prg = make_network(database)
    july = meeting(database, prg, at(2019, 7, 30), hours=1)
    agenda = assemble_draft(database, july)
    assert (agenda.total_minutes, agenda.length_minutes) == (20, 60)
    agenda = add_item(
        database,
        july,
        "Ofsted and exclusions",
        presenter="DfE",
        minutes_allotted=30,
        paper_url="https://example.org/ofsted-paper.pdf",
        number=2,
    )
    assert agenda.items[1].title == "Ofsted and exclusions" and agenda.total_minutes == 50
    agenda = update_item(database, agenda.items[1].id, minutes_allotted=45)
    assert agenda.total_minutes == 65 and agenda.over_by == 5
    first, second = agenda.items[0].id, agenda.items[1].id
    agenda = move_item(database, second, -1)
    assert [i.id for i in agenda.items[:2]] == [second, first]
    assert agenda.timings()[1][0].strftime("%H:%M") == "10:45"
    agenda = reorder_items(database, july, [i.id for i in reversed(agenda.items)])
    assert agenda.items[-1].id == second
    agenda = remove_item(database, second)
    assert agenda.total_minutes == 20 and [i.number for i in agenda.items] == [1, 2, 3]


def test_bad_item_edits_are_refused_in_words(database):
    prg = make_network(database)
    july = meeting(database, prg, at(2019, 7, 30))
    agenda = assemble_draft(database, july)
    with pytest.raises(ValidationError) as caught:
        add_item(database, july, "  ", minutes_allotted=-5, paper_url="not a link")
    assert set(caught.value.fields) == {"title", "minutes_allotted", "paper_url"}
    with pytest.raises(ValidationError, match="reload it"):
        reorder_items(database, july, [agenda.items[0].id])
    assert [i.id for i in get_agenda(database, july).items] == [i.id for i in agenda.items]


class _AgendaReader(HTMLParser):
    """Reads the exported HTML back: the heading, header facts and the item rows."""

    def __init__(self):
        super().__init__()
        self.h1, self.rows, self._cells, self._in = "", [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._cells = []
        elif tag in ("td", "th", "h1"):
            self._in = tag
            if tag != "h1":
                self._cells.append("")

    def handle_endtag(self, tag):
        if tag == "tr" and self._cells:
            self.rows.append(self._cells)
            self._cells = None
        elif tag in ("td", "th", "h1"):
            self._in = None

    def handle_data(self, data):
        if self._in == "h1":
            self.h1 += data
        elif self._in and self._cells is not None:
            self._cells[-1] += data


def _exported_meeting(database):
    prg = make_network(database)
    person(database, "Sadiq Khan", prg, "chair")
    july = meeting(database, prg, at(2019, 7, 30), location="City Hall, The Queen's Walk")
    assemble_draft(database, july)
    add_item(
        database,
        july,
        "Ofsted & exclusions <discussion>",
        presenter="DfE",
        minutes_allotted=30,
        paper_url="https://example.org/paper.pdf",
    )
    return july


def test_html_export_reads_back_as_a_real_agenda(database, tmp_path):
    july = _exported_meeting(database)
    path = export_agenda_text(database, july, tmp_path / "agenda.html")
    reader = _AgendaReader()
    reader.feed(path.read_text(encoding="utf-8"))
    assert reader.h1 == "Partnership Reference Group"
    facts = {r[0]: r[1] for r in reader.rows if len(r) == 2}
    assert facts["Date"] == "Tuesday 30 July 2019, 10:00 to 12:00 (BST, London)"
    assert facts["Location"] == "City Hall, The Queen's Walk" and facts["Chair"] == "Sadiq Khan"
    items = [r for r in reader.rows if len(r) == 4]
    assert items[0] == ["No.", "Item", "Presenter", "Time"]
    last = items[-1]
    assert [r[0] for r in items[1:]] == ["1.", "2.", "3.", "4."]
    assert last[1].startswith("Ofsted & exclusions <discussion>")
    assert last[2] == "DfE" and last[3] == "10:20–10:5030 min"


def test_markdown_export_reads_back_with_numbered_items(database, tmp_path):
    july = _exported_meeting(database)
    text = export_agenda_text(database, july, tmp_path / "agenda.md").read_text(encoding="utf-8")
    tokens = MarkdownIt().parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[:2] == ["Partnership Reference Group", "Agenda"]
    ordered = [t for t in tokens if t.type == "ordered_list_open"]
    assert ordered, "items are a numbered list"
    html = MarkdownIt().render(text)
    assert "<strong>Ofsted &amp; exclusions &lt;discussion&gt;</strong>" in html
    assert "Total time: 50 minutes of 120" in html


def test_unknown_export_extension_is_a_plain_error(database, tmp_path):
    july = _exported_meeting(database)
    from vru_crm.errors import UserError

    with pytest.raises(UserError, match=r"\.html, \.md or \.pdf"):
        export_agenda_text(database, july, tmp_path / "agenda.docx")
    assert not list(tmp_path.glob("*agenda*"))


PRG_STANDING = [
    StandingRow("Welcome, introductions and apologies", "Chair", 5),
    StandingRow("Minutes of the previous meeting", "Chair", 5, "minutes"),
    StandingRow("Matters arising and action log", "Secretariat", 10, "matters_arising"),
    StandingRow("VRU Director's update", "VRU Director", 20, "update"),
    StandingRow("Thematic discussion", None, 40, "discussion"),
    StandingRow("Papers for decision", None, 20, "decision"),
    StandingRow("Any other business", "Chair", 10, "aob"),
]


def test_build_keeps_every_standing_item_and_puts_what_is_open_in_its_place(database):
    prg = make_network(database)
    set_standing_items(database, prg, PRG_STANDING)
    may = meeting(database, prg, at(2019, 5, 1), "held")
    set_minutes(database, may, "draft")
    create_action(database, "Share the principles", owner="VRU Director", meeting_id=may)
    create_recommendation(
        database,
        sender=PCC,
        letter_date=date(2019, 3, 1),
        number=1,
        text="Publish the plan",
        due_date=date(2019, 7, 1),
    )
    july = meeting(database, prg, at(2019, 7, 30))
    agenda = assemble_draft(database, july)
    assert [(i.number, i.kind, i.title) for i in agenda.items] == [
        (1, "standing", "Welcome, introductions and apologies"),
        (2, "minutes", "Minutes of the meeting of Wednesday 1 May 2019"),
        (3, "matters_arising", "Matters arising and action log"),
        (4, "update", "VRU Director's update"),
        (5, "update", "Recommendations due or overdue for a response"),
        (6, "update", "Community engagement since the last meeting"),
        (7, "discussion", "Thematic discussion"),
        (8, "decision", "Papers for decision"),
        (9, "aob", "Any other business"),
    ]
    minutes, matters = agenda.items[1], agenda.items[2]
    assert minutes.subject_meeting_id == may and minutes.presenter == "Chair"
    assert "Share the principles (VRU Director; no due date; raised 01/05/2019)" in matters.notes
    assert matters.presenter == "Secretariat" and matters.minutes_allotted == 10
    # Nothing open: the standing minutes and matters-arising items stay as they are.
    board = make_network(database, name="New board")
    set_standing_items(database, board, PRG_STANDING)
    titles = [
        i.title for i in assemble_draft(database, meeting(database, board, at(2019, 7, 30))).items
    ]
    assert [t for t in titles if t in {r.title for r in PRG_STANDING}] == [
        r.title for r in PRG_STANDING
    ]


def test_items_are_numbered_and_stored_from_one(database):
    from sqlmodel import select

    from db.models import AgendaItem

    prg = make_network(database)
    set_standing_items(database, prg, PRG_STANDING)
    july = meeting(database, prg, at(2019, 7, 30))
    agenda = assemble_draft(database, july)
    agenda = add_item(database, july, "Ofsted and exclusions", number=2)
    with database.session() as s:
        query = select(AgendaItem.position).where(AgendaItem.meeting_id == july)
        positions = sorted(s.exec(query).all())
    assert positions == list(range(1, len(agenda.items) + 1))
    assert [i.number for i in agenda.items] == positions
    agenda = move_item(database, agenda.items[0].id, 3)
    with database.session() as s:
        first = s.exec(select(AgendaItem.position).where(AgendaItem.id == agenda.items[0].id)).one()
    assert first == 1


def test_actions_raised_in_the_app_are_carried_onto_every_later_agenda_until_closed(database):
    prg = make_network(database)
    other = make_network(database, name="Charities network")
    owner = person(database, "Lib Peck", prg)
    may = meeting(database, prg, at(2019, 5, 1), "held")
    july = meeting(database, prg, at(2019, 7, 30), "held")
    october = meeting(database, prg, at(2019, 10, 29))
    january = meeting(database, prg, at(2020, 1, 28))
    elsewhere = meeting(database, other, at(2019, 8, 1))
    first = create_action(
        database,
        "Map community stakeholders",
        meeting_id=may,
        owner_person_id=owner,
        due_date=date(2019, 6, 30),
    ).id
    second = create_action(database, "Circulate the work programme", meeting_id=july).id
    create_action(database, "Another network's action", meeting_id=elsewhere)

    def notes(meeting_id):
        agenda = assemble_draft(database, meeting_id, replace=True)
        found = [i for i in agenda.items if i.kind == "matters_arising"]
        return found[0].notes if found else ""

    assert "Map community stakeholders (Lib Peck; due 30/06/2019" in notes(july)
    assert "Circulate" not in notes(july)
    october_notes = notes(october)
    assert "Map community stakeholders" in october_notes and "Circulate" in october_notes
    assert "Another network" not in october_notes
    close_action(database, first, on=date(2019, 11, 1))
    assert "Map community" in notes(october)  # still open on the day of that meeting
    january_notes = notes(january)
    assert "Map community" not in january_notes and "Circulate the work programme" in january_notes
    close_action(database, second, on=date(2019, 12, 1))
    assert notes(january) == ""
