"""The quarterly report as PDF: the report's HTML laid out by QTextDocument on A4 pages.

The same HTML as the .html file is used, so both formats show the same
layout and figures. Pages are drawn one by one (rather than with
``QTextDocument.print_``) to put "page N of M" and the report's title in a
footer, as papers for the PRG have.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextOption,
)

from ui.reports.chart_images import ensure_gui

RESOLUTION = 96  # layout in screen pixels, so HTML widths mean what they say; text stays vector
FOOTER = 28.0


def _document(html: str, images: dict[str, bytes]) -> QTextDocument:
    doc = QTextDocument()
    font = QFont("DejaVu Sans")
    font.setPointSizeF(9.5)
    doc.setDefaultFont(font)
    # Break lines between words only. Qt's default also breaks inside a word when a
    # table column is narrow, which printed "Statu s" in the meetings table;
    # with word wrap the table gives each column at least its longest word.
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    doc.setDefaultTextOption(option)
    for name, png in images.items():
        doc.addResource(
            QTextDocument.ResourceType.ImageResource,
            QUrl(f"chart:{name}"),
            QImage.fromData(png, "PNG"),
        )
    doc.setHtml(html)
    return doc


def _writer(path: Path, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 12),
            QPageLayout.Unit.Millimeter,
        )  # fmt: skip
    )
    writer.setTitle(title)
    writer.setCreator("VRU Partnership CRM")
    return writer


def write_pdf(html: str, images: dict[str, bytes], path: Path) -> int:
    """Write ``html`` (images named "chart:<name>") to ``path``; returns the number of pages."""
    ensure_gui()
    doc = _document(html, images)
    title = doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
    writer = _writer(Path(path), title)
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    page = QSizeF(area.width(), area.height() - FOOTER)
    scale = _fit(doc, page)
    layout = QSizeF(page.width() / scale, page.height() / scale)
    pages = doc.pageCount()
    painter = QPainter(writer)
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            _draw_page(painter, doc, layout, index)
            painter.restore()
            _footer(
                painter, QRectF(0, page.height(), page.width(), FOOTER), title, index + 1, pages
            )
    finally:
        painter.end()
    return pages


def _fit(doc: QTextDocument, page: QSizeF) -> float:
    """Lay ``doc`` out on ``page``; the scale (<= 1) at which its widest table fits the width.

    Words are never split, so a table with many columns can need more than the
    page's width; it is then laid out wider and drawn smaller rather than cut
    off at the right edge.
    """
    doc.setPageSize(page)
    needed = doc.documentLayout().documentSize().width()
    if needed <= page.width() + 0.5:
        return 1.0
    scale = page.width() / needed
    doc.setPageSize(QSizeF(needed, page.height() / scale))
    return scale


def _draw_page(painter: QPainter, doc: QTextDocument, page: QSizeF, index: int) -> None:
    painter.save()
    painter.translate(QPointF(0, -index * page.height()))
    doc.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
    painter.restore()


def _footer(painter: QPainter, rect: QRectF, title: str, number: int, pages: int) -> None:
    font = QFont("DejaVu Sans")
    font.setPointSizeF(7.5)
    painter.setFont(font)
    painter.setPen(QColor("#777777"))
    painter.drawLine(rect.topLeft() + QPointF(0, 6), rect.topRight() + QPointF(0, 6))
    inner = rect.adjusted(0, 8, 0, 0)
    painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    painter.drawText(
        inner,
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        f"page {number} of {pages}",
    )
