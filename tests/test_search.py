"""The search box's index and query, on both backends."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from perf.sample import seed_sample

from db import search_index
from db.migrate import current_revision, head_revision, open_database, upgrade
from db.session import Database
from vru_crm.queries import search as search_module
from vru_crm.queries.search import normalise_words, search


@pytest.fixture
def sample(database):
    return seed_sample(database)


def labels(hits):
    return [h.label for h in hits]


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("mopa", "Mayor's Office for Policing And Crime (MOPAC)"),
        ("hackn", "Hackney CVS"),
        ("HACKNEY cv", "Hackney CVS"),
        ("cafe", "Café Rouge Youth Club"),  # accent-insensitive one way...
        ("Zoé", "Zoë Adebayo"),  # ...and the other
        ("priya nai", "Priya Nair"),
        ("youth pract", "Youth Practitioners Forum"),
    ],
)
def test_prefix_and_accent_insensitive(database, sample, typed, expected):
    assert expected in labels(search(database, typed))


def test_an_agenda_item_finds_its_meeting(database, sample):
    hits = search(database, "Ofsted")
    assert [(h.kind, h.id) for h in hits] == [("meeting", sample.meeting["ofsted"])]
    assert hits[0].detail.startswith("Meeting, 6 Mar 2019")


def test_every_word_must_match(database, sample):
    assert labels(search(database, "hackney mopac")) == []
    assert search(database, "   ") == [] and search(database, "!!") == []


def test_a_typo_still_finds_with_fuzzy_marker(database, sample):
    hits = search(database, "hakney")
    assert labels(hits)[:1] == ["Hackney CVS"] and hits[0].fuzzy
    assert not search(database, "hackney")[0].fuzzy


def test_hits_carry_kind_and_detail(database, sample):
    hit = search(database, "jake")[0]
    assert (hit.kind, hit.id, hit.detail) == (
        "person",
        sample.person["Jake Ferguson"],
        "Coordinator, Hackney CVS",
    )
    org = search(database, "st mary")[0]
    assert org.detail == "Faith · Lambeth, Southwark"


def test_index_follows_inserts_updates_and_deletes(database, sample):
    hackney = sample.org["Hackney CVS"]
    with database.engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE organisation SET name = 'Hackney Council for Voluntary Service' WHERE id = :i"
            ),
            {"i": hackney},
        )
    assert labels(search(database, "voluntary")) == ["Hackney Council for Voluntary Service"]
    assert "Hackney CVS" not in labels(search(database, "hackney"))
    with database.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM organisation WHERE id = :i"), {"i": hackney})
    assert "Hackney Council for Voluntary Service" not in labels(search(database, "voluntary"))


def test_index_follows_orm_writes(database, sample):
    from db.models import Network

    with database.session() as s:
        s.add(
            Network(
                name="Parent Carer Champions",
                kind="network",
                description="One parenting network per borough",
            )
        )
    assert labels(search(database, "parent car")) == ["Parent Carer Champions"]
    assert labels(search(database, "parenting")) == ["Parent Carer Champions"]


def test_limit_is_respected(database, sample):
    with database.engine.begin() as conn:
        for i in range(30):
            conn.execute(
                sa.text(
                    "INSERT INTO organisation (name, sector, notes, is_priority, created_at, updated_at, version)"
                    " VALUES (:n, 'charity', '', :f, :t, :t, 1)"
                ),
                {"n": f"Youth Club {i}", "f": False, "t": datetime(2024, 1, 1, tzinfo=UTC)},
            )
    assert len(search(database, "youth", limit=7)) == 7


def _add(database, model, **values):
    from db.models import Network, Organisation

    cls = {"organisation": Organisation, "network": Network}[model]
    extra = {"sector": "charity"} if model == "organisation" else {"kind": "network"}
    with database.session() as s:
        row = cls(**extra, **values)
        s.add(row)
        s.flush()
        return row.id


@pytest.mark.parametrize("typed", ["prg", "PRG", "Prg"])
def test_a_network_is_found_by_its_initials_first(database, sample, typed):
    hits = search(database, typed)
    assert (hits[0].kind, hits[0].id) == ("network", sample.network["PRG"])
    assert hits[0].label == "Partnership Reference Group" and not hits[0].fuzzy


def test_initials_find_the_youth_practitioners_forum(database, sample):
    assert labels(search(database, "ypf"))[:1] == ["Youth Practitioners Forum"]


def test_initials_skip_or_keep_small_words_and_ignore_accents(database, sample):
    _add(database, "organisation", name="London Borough of Hackney")
    _add(database, "network", name="Équipe Jeunesse Sud")
    for typed in ("lbh", "LBoH"):
        assert labels(search(database, typed))[:1] == ["London Borough of Hackney"]
    for typed in ("ejs", "ÉJS"):
        assert labels(search(database, typed))[:1] == ["Équipe Jeunesse Sud"]
    # the real acronym keeps "And" but not "for"; the bracket does not count as a word
    assert labels(search(database, "mopc"))[:1] == ["Mayor's Office for Policing And Crime (MOPAC)"]


def test_initials_come_first_then_the_words_without_duplicates(database, sample):
    advice = _add(database, "organisation", name="Hackney Advice Centre")
    hits = search(database, "hac")
    assert labels(hits)[:2] == ["Hackney Advice Centre", "Hackney CVS"]
    assert [h.id for h in hits if h.kind == "organisation"].count(advice) == 1


def test_a_renamed_organisation_is_found_by_its_new_initials(database, sample):
    from db.models import Organisation

    quiet = sample.org["Quiet Partners Trust"]
    assert labels(search(database, "qpt"))[:1] == ["Quiet Partners Trust"]
    assert "London Crime Reduction Board" not in labels(search(database, "lcrb"))
    with database.session() as s:
        s.get(Organisation, quiet).name = "London Crime Reduction Board"
    hits = search(database, "lcrb")
    assert (hits[0].kind, hits[0].id, hits[0].label) == (
        "organisation",
        quiet,
        "London Crime Reduction Board",
    )
    assert "London Crime Reduction Board" not in labels(search(database, "qpt"))


def test_only_a_single_token_of_two_to_six_letters_is_taken_for_initials(database, sample):
    _add(database, "network", name="Safer Lambeth Youth Violence Reduction Action Board")
    assert search(database, "slyvrab") == []  # seven letters: a word, not initials
    assert search(database, "prg group") == []  # two words: every word must match


def test_names_of_one_word_still_search_as_before(database, sample):
    _add(database, "organisation", name="Barnardos")
    _add(database, "network", name="Ofsted")
    assert labels(search(database, "barnardos")) == ["Barnardos"]
    assert labels(search(database, "ba")) == ["Barnardos"]
    assert labels(search(database, "ofsted"))[:1] == ["Ofsted"]


def test_query_and_index_agree_on_accents():
    assert (search_module.ACCENTED, search_module.PLAIN) == (
        search_index.ACCENTED,
        search_index.PLAIN,
    )
    assert normalise_words("Łódź Øresund Ça-va") == ["lodz", "oresund", "ca", "va"]


def test_a_0002_database_with_organisations_is_searchable_after_upgrade(empty_db_url):
    old = Database(empty_db_url, username="tester")
    upgrade(old, "0002", backup=False)
    with old.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO organisation (name, sector, notes, is_priority, created_at, updated_at, version)"
                " VALUES ('Hackney CVS', 'charity', '', :f, :t, :t, 1)"
            ),
            {"f": False, "t": datetime(2020, 1, 1, tzinfo=UTC)},
        )
    old.dispose()
    database = open_database(empty_db_url, username="tester")
    try:
        assert current_revision(database) == head_revision()
        assert labels(search(database, "hackn")) == ["Hackney CVS"]
    finally:
        database.dispose()


def test_triggers_dropped_by_a_table_rebuild_are_restored(sqlite_database):
    """A later migration may rebuild a table (SQLite batch mode), which drops its triggers."""
    with sqlite_database.engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER search_organisation_ai"))
        conn.execute(
            sa.text(
                "INSERT INTO organisation (name, sector, notes, is_priority, created_at, updated_at, version)"
                " VALUES ('Written While Broken', 'charity', '', 0, '2024-01-01', '2024-01-01', 1)"
            )
        )
    assert search(sqlite_database, "written") == []
    upgrade(sqlite_database, backup=False)
    assert labels(search(sqlite_database, "written")) == ["Written While Broken"]
    with sqlite_database.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO organisation (name, sector, notes, is_priority, created_at, updated_at, version)"
                " VALUES ('Written After', 'charity', '', 0, '2024-01-01', '2024-01-01', 1)"
            )
        )
    assert labels(search(sqlite_database, "written after")) == ["Written After"]


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Zöe adebyo", "Zoë Adebayo"),  # an accent typed where the name has none, and a typo
        ("cafe rouje", "Café Rouge Youth Club"),  # the name's accent, not typed, and a typo
        ("Hackny cvs", "Hackney CVS"),
    ],
)
def test_a_typo_next_to_an_accent_finds_the_name(database, sample, typed, expected):
    hits = search(database, typed)
    assert labels(hits)[:1] == [expected] and hits[0].fuzzy


def test_check_says_whether_postgres_search_is_indexed(database, capsys):
    from vru_crm.cli.main import main

    assert main(["--db", database.url, "check"]) == 0
    out = capsys.readouterr().out
    if database.is_sqlite:
        assert "search:" not in out  # FTS5 is part of SQLite: nothing to report
    else:
        assert "search: indexed (pg_trgm)" in out


def _is_superuser(database: Database) -> bool:
    with database.engine.connect() as conn:
        return bool(
            conn.execute(
                sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            ).scalar()
        )


def test_without_pg_trgm_the_upgrade_carries_on_and_search_still_works(empty_db_url, capsys):
    """A role that may not create extensions (as on a managed server): 0008 logs, search scans.

    Once the extension is there (an administrator created it), the next opening
    adds the indexes.
    """
    from vru_crm.cli.main import main

    if empty_db_url.startswith("sqlite"):
        pytest.skip("pg_trgm is PostgreSQL's")
    old = Database(empty_db_url, username="tester")
    upgrade(old, "0007", backup=False)
    if _is_superuser(old):
        old.dispose()
        pytest.skip("a superuser may always create extensions: run as a role like CI's")
    with old.engine.begin() as conn:
        conn.execute(
            sa.text(f'REVOKE CREATE ON DATABASE "{old.engine.url.database}" FROM CURRENT_USER')
        )
        conn.execute(
            sa.text(
                "INSERT INTO organisation (name, sector, notes, is_priority, created_at, updated_at, version)"
                " VALUES ('Café Hackney CVS', 'charity', '', :f, :t, :t, 1)"
            ),
            {"f": False, "t": datetime(2020, 1, 1, tzinfo=UTC)},
        )
    old.dispose()

    database = open_database(empty_db_url, username="tester")
    try:
        assert current_revision(database) == head_revision()
        assert labels(search(database, "hackn")) == ["Café Hackney CVS"]
        typo = search(database, "hakney")
        assert labels(typo) == ["Café Hackney CVS"] and typo[0].fuzzy
        assert main(["--db", database.url, "check"]) == 0
        assert "search: unindexed" in capsys.readouterr().out
        with database.engine.begin() as conn:  # an administrator steps in
            conn.execute(
                sa.text(
                    f'GRANT CREATE ON DATABASE "{database.engine.url.database}" TO CURRENT_USER'
                )
            )
            conn.execute(sa.text("CREATE EXTENSION pg_trgm"))
    finally:
        database.dispose()
    assert main(["--db", empty_db_url, "check"]) == 0
    assert "search: indexed (pg_trgm)" in capsys.readouterr().out
