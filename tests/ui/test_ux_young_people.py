"""Young people can be found on the People list, by a column (with
their age band) and by a filter that says what it does."""

from PySide6.QtCore import Qt

from vru_crm.queries.common import Filters, Sort
from vru_crm.queries.people import PersonQuery
from vru_crm.services.people import PersonInput, create_person


def _young(database):
    create_person(
        database, PersonInput(full_name="Tayo Young", is_young_person=True, age_band="13_15")
    )
    create_person(
        database, PersonInput(full_name="Abi Small", is_young_person=True, age_band="under_13")
    )


def test_the_query_gives_the_age_band_and_sorts_young_people_first(qt_database):
    database = qt_database.database
    _young(database)
    rows = PersonQuery(database, sort=Sort("young")).page(0, 100)
    assert [r.full_name for r in rows[:2]] == ["Abi Small", "Tayo Young"]  # youngest band first
    assert [r.young_label for r in rows[:2]] == ["Young, Under 13", "Young, 13-15"]
    assert all(not r.is_young_person for r in rows[2:]) and rows[-1].young_label == ""
    young = PersonQuery(database, Filters(status="young")).page(0, 100)
    assert {r.full_name for r in young} >= {"Abi Small", "Tayo Young"}
    assert all(r.is_young_person for r in young)


def test_the_people_list_has_a_young_person_column_and_filter(qtbot, window, qt_database):
    _young(qt_database.database)
    window.show_page("people")
    page = window.page("people")
    qtbot.waitUntil(lambda: page.model.rowCount() > 2)
    column = page.model.column_index("young")
    assert page.model.headerData(column, Qt.Orientation.Horizontal) == "Young person"
    assert not page.table.isColumnHidden(column)
    combo = page.filter_bar._combos["status"]
    words = [combo.itemText(i) for i in range(combo.count())]
    assert words == ["Young people and adults", "Young people only", "Adults only"]
    assert "young" in combo.accessibleName().lower()
    total = page.model.rowCount()
    page.filter_bar.select("status", "young")
    qtbot.waitUntil(lambda: page.model.rowCount() < total)
    names = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    marks = [page.model.index(r, column).data() for r in range(page.model.rowCount())]
    assert {"Abi Small", "Tayo Young"} <= set(names)
    assert all(mark.startswith("Young") for mark in marks)
    assert page.count_label.text().startswith(f"{len(names)} ")
