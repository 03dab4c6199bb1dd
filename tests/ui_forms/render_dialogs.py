"""Render every editing dialog to PNG files, on a small seeded database, to look at them.

    QT_QPA_PLATFORM=offscreen python -m tests.ui_forms.render_dialogs /tmp/dialogs

Each picture shows a dialog in a telling state (a problem next to a field, a
duplicate, a merge preview, an import report with a bad row). Not a test: a
screen nobody has looked at is not done, and this makes looking cheap.
"""

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

BAD_CSV = (
    "name,sector,borough,website,email\n"
    "Peckham Parents Network,grassroots,Southwark,,hello@pp.org\n"
    "Brixton Boxing Club,grassroots,Lambeth,brixtonboxing.org,\n"
    "Tottenham Mums,grassroots,Haringey,,not-an-email\n"
    "Walworth Youth,youth,Southwork,,\n"
)


def _save(app: QApplication, widget: QWidget, folder: Path, name: str) -> Path:
    widget.show()
    app.processEvents()
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    return path


def _wait(app: QApplication, dialog) -> None:
    while dialog.job is not None:
        app.processEvents()


def render(folder: Path) -> list[Path]:
    from db.migrate import open_database
    from tests.ui_forms.conftest import seed
    from ui.dialogs.assessment_dialog import AssessmentDialog
    from ui.dialogs.engagement_dialog import EngagementDialog
    from ui.dialogs.import_dialog import ImportDialog
    from ui.dialogs.merge_dialog import MergeDialog
    from ui.dialogs.organisation_dialog import OrganisationDialog
    from ui.dialogs.person_dialog import PersonDialog
    from vru_crm.services import organisations as orgs

    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp())
    database = open_database(str(work / "render.sqlite3"), username="demo")
    p = seed(database)
    orgs.add_assessment(database, orgs.AssessmentInput(p.hackney_cvs, 3, 4, 3, date(2024, 1, 10)))
    other = orgs.create_organisation(
        database,
        orgs.OrganisationInput("Hackney C.V.S.", "charity", [p.hackney], phone="020 7923 1962"),
    )
    shots = []
    engagement = EngagementDialog(database)
    engagement.organisations.add(p.hackney_cvs, "Hackney CVS")
    engagement.people.add(p.amina, "Amina Yusuf")
    engagement.summary.setPlainText("Met the director about the summer programme")
    shots.append(_save(app, engagement, folder, "engagement"))
    organisation = OrganisationDialog(database)
    organisation.email.setText("info@hcvs")
    organisation.name.setText("x")
    organisation.name.clear()
    shots.append(_save(app, organisation, folder, "organisation-problems"))
    shots.append(_save(app, PersonDialog(database, person_id=p.amina), folder, "person"))
    shots.append(_save(app, AssessmentDialog(database, p.hackney_cvs), folder, "assessment"))
    shots.append(
        _save(app, MergeDialog(database, "organisation", p.hackney_cvs, other.id), folder, "merge")
    )
    (work / "partners.csv").write_text(BAD_CSV, encoding="utf-8")
    importer = ImportDialog(database)
    importer.path.setText(str(work / "partners.csv"))
    importer.check_button.click()
    _wait(app, importer)
    shots.append(_save(app, importer, folder, "import-report"))
    for widget in app.topLevelWidgets():
        if hasattr(widget, "mark_loaded"):
            widget._loaded_values = widget.values()  # nothing unsaved: close without asking
        widget.close()
    database.dispose()
    return shots


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/dialogs")
    target.mkdir(parents=True, exist_ok=True)
    for shot in render(target):
        print(shot)
