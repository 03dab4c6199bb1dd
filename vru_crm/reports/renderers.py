"""Where the report exporter finds the parts that need Qt: chart images and PDF.

``vru_crm`` may not import Qt (the layer contract), yet a report carries chart
images and can be a PDF, both drawn with Qt. So this module declares what it
needs (two callables) and the layer above provides them: ``ui.reports.renderers
.install()`` registers them, called by the top-level ``main.py`` at start-up
(for the command line) and by the dashboard (in the app). This is the same
inversion ``main.py`` already uses to hand the command line its app launcher.
Without them an HTML or CSV report still works, without pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vru_crm.reports.quarterly import QuarterlyReport

# report -> {chart name: PNG bytes}; chart names are the keys of quarterly.CHARTS.
ChartRenderer = Callable[["QuarterlyReport"], dict[str, bytes]]
# (html, {chart name: PNG bytes}, path) -> pages written. The HTML names images "chart:<name>".
PdfWriter = Callable[[str, dict[str, bytes], Path], int]

_charts: ChartRenderer | None = None
_pdf: PdfWriter | None = None


def register(*, charts: ChartRenderer | None = None, pdf: PdfWriter | None = None) -> None:
    global _charts, _pdf
    if charts is not None:
        _charts = charts
    if pdf is not None:
        _pdf = pdf


def chart_renderer() -> ChartRenderer | None:
    return _charts


def pdf_writer() -> PdfWriter | None:
    return _pdf
