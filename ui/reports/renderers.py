"""Hands the report exporter (``vru_crm.reports``) its Qt parts: chart images and PDF.

``install()`` is called by the top-level ``main.py`` before any command runs,
and by the dashboard. It imports nothing heavy: the Qt modules load only when
a chart or a PDF is actually drawn, so ``vru-crm --help`` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vru_crm.reports import renderers

if TYPE_CHECKING:
    from vru_crm.reports.quarterly import QuarterlyReport


def _charts(report: QuarterlyReport) -> dict[str, bytes]:
    from ui.reports.chart_images import render_report_charts

    return render_report_charts(report)


def _pdf(html: str, images: dict[str, bytes], path: Path) -> int:
    from ui.reports.pdf import write_pdf

    return write_pdf(html, images, path)


def install() -> None:
    renderers.register(charts=_charts, pdf=_pdf)
