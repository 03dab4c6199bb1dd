"""The quarterly report dialog is wide enough for its whole title."""

from datetime import date

from PySide6.QtGui import QFont, QFontMetrics

from ui.reports.report_export import TITLE, ReportExporter


def test_the_dialog_fits_its_title_and_the_title_bar_buttons(qtbot, sqlite_database):
    exporter = ReportExporter(sqlite_database, date(2021, 1, 15))
    qtbot.addWidget(exporter)
    dialog, quarters = exporter.quarter_dialog()
    dialog.show()
    qtbot.waitExposed(dialog)
    bold = QFont(dialog.font())
    bold.setBold(True)
    assert dialog.windowTitle() == TITLE
    assert dialog.width() >= QFontMetrics(bold).horizontalAdvance(TITLE) + 150
    assert quarters.currentText() == "2020 Q4 (Oct-Dec 2020)"  # the last complete quarter
    dialog.reject()
