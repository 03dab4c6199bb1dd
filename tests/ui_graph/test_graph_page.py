"""The graph page as a user meets it: click a node to open it, search to find it, save a picture."""

import math

from PySide6.QtCore import QPoint, Qt


def index_of(page, label: str) -> int:
    return page.snapshot.labels.index(label)


def test_clicking_a_node_opens_its_record(page, partnership, qtbot):
    _, ids = partnership
    view = page.view
    i = index_of(page, "Youth Club")
    with qtbot.waitSignal(page.open_record, timeout=2000) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.scene_point_of(i))
    assert opened.args == ["organisation", ids["F"]]


def test_clicking_empty_space_opens_nothing(page, qtbot):
    view = page.view
    corner = view.viewport().rect().topLeft() + view.viewport().rect().center() * 0.02
    with qtbot.assertNotEmitted(page.open_record, wait=200):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=corner)


def test_search_centres_and_rings_the_node(page, qtbot):
    page.view.setRange(xRange=(-500, -400), yRange=(-500, -400), padding=0)  # look far away first
    qtbot.keyClicks(page.search_box, "st giles")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    i = index_of(page, "St Giles Trust")
    x, y = page.snapshot.positions[i]
    (x0, x1), (y0, y1) = page.view.getPlotItem().getViewBox().viewRange()
    assert x0 < x < x1 and y0 < y < y1
    cx, cy = page.view.view_centre()
    assert math.hypot(cx - x, cy - y) < 0.1 * (x1 - x0)
    assert page.view.selected == i
    assert "St Giles Trust" in page.view.label_texts()


def test_search_for_nobody_says_so(page, qtbot):
    qtbot.keyClicks(page.search_box, "Atlantis")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    assert "Nothing called" in page.status.text()


def test_hover_shows_the_name(page, qtbot):
    view = page.view
    i = index_of(page, "Hackney CVS")

    moves = []

    def hovering() -> bool:
        # Moved afresh (a pixel either way) while the name is not shown: on a busy machine the
        # view can still be settling its range when the first move lands, and a pointer resting
        # where the node was drawn a moment before shows nothing.
        if not view.hover_text.isVisible():
            moves.append(1)
            nudge = QPoint(len(moves) % 2, 0)
            qtbot.mouseMove(view.viewport(), view.scene_point_of(i) + nudge)
        return view.hover_text.isVisible()

    qtbot.waitUntil(hovering, timeout=5000)
    assert view.hover_text.toPlainText() == "Hackney CVS"


def test_side_panel_lists_who_to_reach_next(page):
    tree = page.panel.lists["Reach next"]
    first = tree.topLevelItem(0)
    assert first.text(0) == "Youth Club" and "in no network" in first.text(1)
    page.panel.node_selected.emit(first.data(0, Qt.ItemDataRole.UserRole))
    assert page.view.selected == index_of(page, "Youth Club")


def test_colour_and_size_follow_the_choice(page):
    i = index_of(page, "Hackney CVS")
    sector_colour = page.view.colour_of(i)
    page.colour_box.setCurrentIndex(page.colour_box.findData("community"))
    assert page.view.colour_by == "community"
    page.size_box.setCurrentIndex(page.size_box.findData("none"))
    assert set(page.view.sizes[[index_of(page, "Hackney CVS"), index_of(page, "Youth Club")]]) == {
        8.0
    }
    assert sector_colour == (216, 27, 96)


def test_save_png_and_svg(page, tmp_path):
    png = page.view.save_image(tmp_path / "graph.png")
    svg = page.view.save_image(tmp_path / "graph.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svg.read_text(encoding="utf-8")[:400]


def test_second_opening_reuses_the_stored_positions(page, partnership, qtbot):
    from ui.graph import GraphPage

    first = page.snapshot.positions.copy()
    again = GraphPage(partnership[0])
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.loaded, timeout=30_000):
        again.show()
    assert again.snapshot.moved == 0 and (again.snapshot.positions == first).all()
    assert "as last time" in again.status.text()


def test_filter_by_network_redraws(page, partnership, qtbot):
    _, ids = partnership
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.network_box.setCurrentIndex(page.network_box.findData(ids["prg"]))
    assert sorted(page.snapshot.labels) == [
        "Alice Adams",
        "Met Police",
        "Partnership Reference Group",
    ]


def test_cancel_keeps_the_last_drawing(page, qtbot):
    before = page.snapshot
    page.reload(relayout=True)
    page.cancel()
    qtbot.waitUntil(lambda: page.status.text() == "Cancelled.", timeout=10_000)
    assert page.snapshot is before and not page.progress.isVisible()


def test_a_change_elsewhere_redraws_moving_only_what_changed(page, partnership, qtbot):
    from db.models import EngagementOrganisation, Organisation
    from ui.events import data_events

    database, ids = partnership
    with database.session() as s:
        org = Organisation(name="New Youth Trust", sector="charity")
        s.add(org)
        s.flush()
        table = EngagementOrganisation.__table__
        old_partner = s.exec(table.select().where(table.c.organisation_id == ids["E"])).first()
        s.add(
            EngagementOrganisation(engagement_id=old_partner.engagement_id, organisation_id=org.id)
        )
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        data_events().changed.emit("organisation", org.id)
    assert "New Youth Trust" in page.snapshot.labels
    assert page.snapshot.moved == 2  # the newcomer and the partner it met; the rest stay put


def test_filter_by_borough_and_weight(page, qtbot):
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.borough_box.setCurrentIndex(page.borough_box.findData("SWK"))
    orgs = [
        label
        for label, kind in zip(page.snapshot.labels, page.snapshot.kinds, strict=True)
        if kind == "organisation"
    ]
    assert orgs == ["St Giles Trust"]
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.borough_box.setCurrentIndex(0)
    ties = len(page.snapshot.edges)
    page.weight_box.setValue(1.0)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.weight_box.editingFinished.emit()
    assert len(page.snapshot.edges) < ties
