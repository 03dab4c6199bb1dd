"""The partnership graph page. ``GraphPage`` imports pyqtgraph only when first shown."""

from ui.graph.page import GraphPage

__all__ = ["GraphPage"]
