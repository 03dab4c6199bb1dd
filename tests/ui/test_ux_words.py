"""One label per kind of engagement everywhere, one display format for
dates in lists and forms ("9 Sep 2026") and one input format, and a title bar that names the
app once."""

import re
from datetime import date
from pathlib import Path

from db.enums import ENGAGEMENT_KIND_LABELS
from ui.dialogs.widgets.date_field import parse_date
from ui.style import format_date

ROOT = Path(__file__).resolve().parents[2]


def test_each_kind_of_engagement_has_one_label_everywhere(qtbot, qt_database):
    from ui.dialogs.engagement_dialog import EngagementDialog
    from vru_crm.queries.engagements import KIND_LABELS as LIST_LABELS
    from vru_crm.reports.figures import KIND_LABELS as REPORT_LABELS

    dialog = EngagementDialog(qt_database.database)
    qtbot.addWidget(dialog)
    form = {dialog.kind.itemData(i): dialog.kind.itemText(i) for i in range(dialog.kind.count())}
    assert form == dict(LIST_LABELS) == dict(REPORT_LABELS) == ENGAGEMENT_KIND_LABELS
    dialog._loaded_values = dialog.values()


def test_the_title_bar_names_the_app_once(window, qt_database):
    """The app's display name (``ui.app.make_application``) is added by the platform to every
    window title, so the main window's own title is only the database."""
    import inspect

    from ui import app

    assert "setApplicationDisplayName(APP_NAME)" in inspect.getsource(app.make_application)
    assert window.windowTitle() == qt_database.database.display_name
    assert app.APP_NAME not in window.windowTitle()


DISPLAY_FORMATS = re.compile(r":(%a %d %b %Y|%d %b %Y|%d/%m/%Y|%d %B %Y|%d/%m/%Y %H:%M)\}")


def test_lists_and_forms_show_dates_one_way():
    """Dates shown in the app's windows go through ui.style.format_date ("9 Sep 2026"); only the
    date fields use the input format (31/12/2024). ui/reports belongs to the report pages,
    which are checked by their own tests."""
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if "reports" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DISPLAY_FORMATS.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
    assert format_date(date(2026, 9, 9)) == "9 Sep 2026"


def test_the_date_fields_take_the_input_format_and_the_shown_one():
    assert parse_date("09/09/2026") == date(2026, 9, 9)
    assert parse_date("9 Sep 2026") == date(2026, 9, 9)  # as a list shows it, pasted in
    assert parse_date(format_date(date(2026, 12, 1))) == date(2026, 12, 1)
