"""The side panel: the graph's figures and the ranked lists (who to reach next, brokers, gaps).

A click on a row centres its node in the drawing; a double-click opens the record.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from vru_crm.graph.service import GraphSnapshot

KEY_ROLE = Qt.ItemDataRole.UserRole
ROWS_SHOWN = 500  # a list longer than this shows its first rows and says how many more there are


class GraphSidePanel(QWidget):
    node_selected = Signal(str)  # a node key: centre it
    node_activated = Signal(str)  # open its record

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("No graph yet.")
        self.summary.setWordWrap(True)
        self.legend = QLabel("")
        self.legend.setWordWrap(True)
        self.tabs = QTabWidget()
        # Every tab stays in view: a narrow panel shortens the tab names with "…" (the
        # whole name in the tooltip) instead of hiding the last tab behind scroll arrows.
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.lists: dict[str, QTreeWidget] = {}
        for name, headers in (
            ("Reach next", ("Who", "Why")),
            ("Brokers", ("Who", "Betweenness", "Why")),
            ("Quiet", ("Partner", "Last contact")),
            ("Weak points", ("Who", "Why")),
            ("PRG reach", ("Borough", "On", "Near", "Of", "No network")),
        ):
            tree = QTreeWidget()
            tree.setHeaderLabels(list(headers))
            tree.setRootIsDecorated(False)
            tree.setAlternatingRowColors(True)
            tree.itemClicked.connect(self._clicked)
            tree.itemDoubleClicked.connect(self._double_clicked)
            self.lists[name] = tree
            index = self.tabs.addTab(tree, name)
            self.tabs.setTabToolTip(index, name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.legend)
        layout.addWidget(self.tabs, 1)

    def tabs_width(self) -> int:
        """The width at which every tab shows its whole name."""
        return self.tabs.tabBar().sizeHint().width() + 4

    def show_legend(self, entries: list[tuple[str, tuple[int, int, int]]]) -> None:
        self.legend.setText(
            "  ".join(
                f'<span style="color: rgb{rgb}">&#9632;</span>&nbsp;{html.escape(name)}'
                for name, rgb in entries
            )
        )

    def show_snapshot(self, snap: GraphSnapshot) -> None:
        r = snap.report
        at = snap.index_of(r.prg) if r.prg else None
        prg = snap.labels[at] if at is not None else "no PRG found"
        communities = len({int(c) for c in snap.communities} - {-1})
        self.summary.setText(
            f"<b>{r.nodes:,}</b> nodes, <b>{r.edges:,}</b> ties, {r.components} components, "
            f"{communities} communities. {len(r.isolates)} isolated, "
            f"{len(r.quiet)} quiet partners, {len(r.articulation_points)} single points of failure. "
            f"PRG: {prg}."
        )
        self._fill("Reach next", [((x.label, x.reason), x.key) for x in r.reach_next])
        self._fill("Brokers", [((x.label, f"{x.value:.3f}", x.reason), x.key) for x in r.brokers])
        self._fill("Quiet", [((x.label, x.reason), x.key) for x in r.quiet])
        weak = [
            ((_label(snap, k), "Single point of failure: the partnership splits without it"), k)
            for k in r.articulation_points
        ]
        weak += [((_label(snap, k), "No ties at all"), k) for k in r.isolates]
        self._fill("Weak points", weak)
        boroughs = sorted(
            (b for b in r.by_borough if b.partners or b.is_priority), key=lambda b: b.score
        )
        self._fill(
            "PRG reach",
            [
                (
                    (
                        b.label + (" (priority)" if b.is_priority else ""),
                        str(b.on_prg),
                        str(b.near_prg),
                        str(b.partners),
                        str(b.unlinked),
                    ),
                    "",
                )
                for b in boroughs
            ],
        )

    def _fill(self, name: str, rows: list[tuple[tuple[str, ...], str]]) -> None:
        """The rows of one tab, the first ``ROWS_SHOWN`` of them: at 2,000,000 engagements
        there are 45,000 single points of failure, and a tree item each took tens of MB."""
        tree = self.lists[name]
        tree.clear()
        items = []
        for texts, key in rows[:ROWS_SHOWN]:
            item = QTreeWidgetItem(list(texts))
            item.setData(0, KEY_ROLE, key)
            item.setToolTip(len(texts) - 1, texts[-1])
            items.append(item)
        if len(rows) > ROWS_SHOWN:
            more = QTreeWidgetItem([f"… and {len(rows) - ROWS_SHOWN:,} more"])
            more.setToolTip(0, "The whole list is in the graph's export (vru-crm export graph)")
            items.append(more)
        tree.addTopLevelItems(items)
        tree.resizeColumnToContents(0)
        tree.setColumnWidth(0, min(tree.columnWidth(0), 210))

    def _clicked(self, item: QTreeWidgetItem) -> None:
        if item.data(0, KEY_ROLE):
            self.node_selected.emit(item.data(0, KEY_ROLE))

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        if item.data(0, KEY_ROLE):
            self.node_activated.emit(item.data(0, KEY_ROLE))


def _label(snap: GraphSnapshot, key: str) -> str:
    i = snap.index_of(key)
    return snap.labels[i] if i is not None else key
