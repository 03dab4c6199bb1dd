"""Writing the quarterly report to a file: .html, .pdf or .csv, chosen by the name.

One function serves the command line and the app's "Quarterly report..."
button (which runs it in a worker thread and shows ``progress``). The file is
written to a temporary name beside the target and renamed at the end, so an
interrupted export never leaves half a report where the old one was.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db.session import Database
from vru_crm.errors import UserError
from vru_crm.reliability.files import create_private_file, private_files, tighten
from vru_crm.reports import renderers
from vru_crm.reports.period import Period
from vru_crm.reports.quarterly import QuarterlyReport, build_quarterly
from vru_crm.reports.render_csv import render_csv
from vru_crm.reports.render_html import png_data_uri, render_html

log = logging.getLogger(__name__)

FORMATS = {".html": "HTML", ".htm": "HTML", ".pdf": "PDF", ".csv": "CSV"}
STEPS = 3
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    quarter: Period
    engagements: int
    charts: int
    pages: int | None = None


def format_of(path: Path) -> str:
    """'HTML', 'PDF' or 'CSV' from the file name; UserError for anything else."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise UserError(f"{path.name}: the report can be written as .html, .pdf or .csv")
    return found


def _charts(report: QuarterlyReport) -> dict[str, bytes]:
    draw = renderers.chart_renderer()
    if draw is None:
        log.info("No chart renderer registered: the report is written without charts")
        return {}
    return draw(report)


def _write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write to a hidden partial file, private to its owner (the report names people), then rename."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        create_private_file(partial)  # the writers below open it again and keep its mode
        with private_files():
            write(partial)
        tighten(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def export_quarterly(
    database: Database, quarter: Period | str, path: Path | str, *,
    today: date | None = None, progress: Progress | None = None,
) -> ExportResult:  # fmt: skip
    """Build the report for ``quarter`` and write it to ``path``."""
    path = Path(path)
    kind = format_of(path)
    if not path.parent.is_dir():
        raise UserError(f"There is no folder {path.parent} to write the report into.")
    step = progress or (lambda done, total: None)
    step(0, STEPS)
    report = build_quarterly(database, quarter, today=today)
    step(1, STEPS)
    charts = _charts(report) if kind != "CSV" else {}
    step(2, STEPS)
    pages = None
    if kind == "CSV":
        _write_atomically(
            path, lambda p: p.write_text(render_csv(report), encoding="utf-8", newline="")
        )
    elif kind == "HTML":
        html = render_html(report, {name: png_data_uri(png) for name, png in charts.items()})
        _write_atomically(path, lambda p: p.write_text(html, encoding="utf-8"))
    else:
        pages = _write_pdf(report, charts, path)
    step(3, STEPS)
    return ExportResult(path, kind, report.quarter, report.totals.engagements, len(charts), pages)


def _write_pdf(report: QuarterlyReport, charts: dict[str, bytes], path: Path) -> int:
    writer = renderers.pdf_writer()
    if writer is None:
        raise UserError("PDF needs the desktop components (Qt); write .html or .csv instead.")
    html = render_html(report, {name: f"chart:{name}" for name in charts})
    pages: list[int] = []
    _write_atomically(path, lambda p: pages.append(writer(html, charts, p)))
    return pages[0]
