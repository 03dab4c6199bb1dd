"""The graph side panel's last tab is never cut off or hidden behind scroll arrows."""

from PySide6.QtWidgets import QToolButton


def _all_tabs_in_view(panel) -> bool:
    bar = panel.tabs.tabBar()
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    return not arrows and all(bar.tabRect(i).right() < bar.width() for i in range(bar.count()))


def test_a_narrow_panel_shortens_its_tab_names_rather_than_hiding_the_last(qtbot):
    from ui.graph.panel import GraphSidePanel

    panel = GraphSidePanel()
    qtbot.addWidget(panel)
    panel.resize(260, 500)
    panel.show()
    qtbot.waitExposed(panel)
    assert _all_tabs_in_view(panel)
    assert panel.tabs.tabToolTip(panel.tabs.count() - 1) == "PRG reach"


def test_in_a_1024_window_the_panel_has_room_for_every_tab_name(page, qtbot):
    page.resize(860, 640)  # what the page gets in a 1024x700 window beside the sidebar
    qtbot.wait(50)
    panel = page.panel
    assert panel.width() >= panel.tabs_width()
    assert _all_tabs_in_view(panel)
