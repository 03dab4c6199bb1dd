"""The signed-in login and role in the status bar, and the commands the role may not use.

On a team database the server refuses what a role may not do; greying the
commands out first saves someone filling in a form only to be told no. Each
greyed command says why in its tooltip. A SQLite file has one user: nothing shows.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow

from db.session import Database
from vru_crm.team.signed_in import CHANGES, CONTACT_HIDDEN_NOTE, SignedIn, signed_in

BADGE = "team_badge"  # the status-bar label's object name (tests find it by this)
_NEEDS = {  # the window's command -> the kind of record it changes
    "new_organisation": "organisation",
    "new_person": "person",
    "log_engagement": "engagement",
    "merge": "organisation",
}
_ANY_CHANGE = ("edit", "delete")
# Menu commands (by their text, without "&" and "…") -> what the role must be allowed.
_MENU_NEEDS = {
    "New network": "network",
    "New meeting": "meeting",
    "New letter": "letter",
    "New action": "action",
    "Build agenda for this meeting": "meeting",
    "Record this meeting as held": "meeting",
    "Consent for this person": "consent",
    "Subject access requests": "subject_access",
    "Erase this person": "erasure",
    "Mailing list": "consent",  # it lists people's e-mail and phone
    "Retention review": "retention",
    "Audit trail": "erasure",  # the trail holds everyone's earlier values
    "Restore from backup": "erasure",
}


def show_role(window: QMainWindow, database: Database) -> SignedIn | None:
    """Put who is signed in (and their role) in ``window``'s status bar; grey out the rest."""
    who = signed_in(database, fresh=True)  # the database (or the role) has just been set
    badge = window.findChild(QLabel, BADGE)
    if who is None:
        if badge is not None:
            badge.hide()
        return None
    if badge is None:
        badge = QLabel(window)
        badge.setObjectName(BADGE)
        window.statusBar().addPermanentWidget(badge)
    text = who.words + (f" · {CONTACT_HIDDEN_NOTE}" if who.contact_hidden else "")
    badge.setText(text)
    badge.setAccessibleName(text)
    badge.show()
    _grey_out(window, who)
    return who


def _grey_out(window: QMainWindow, who: SignedIn) -> None:
    actions = getattr(window, "actions_", None)
    if actions is None:
        return
    reason = f"Your role ({who.role}) cannot change these records"
    for name, kind in _NEEDS.items():
        _allow(getattr(actions, name, None), who.may_change(kind), who.refusal(kind) or "")
    changes_something = who.role is None or who.role != "viewer"
    for name in _ANY_CHANGE:
        _allow(getattr(actions, name, None), changes_something, reason)
    for action in window.findChildren(QAction):
        kind = _MENU_NEEDS.get(action.text().replace("&", "").rstrip("…").strip())
        if kind is not None:
            words = f"Your role ({who.role}) cannot use this: it is for the " + (
                "governance role" if kind in CHANGES["governance"] else "data protection role"
            )
            _allow(action, who.may_change(kind), words)


def _allow(action, allowed: bool, reason: str) -> None:
    if action is None:
        return
    action.setEnabled(allowed)
    if not allowed:
        action.setToolTip(reason)
        action.setStatusTip(reason)


def contact_note(database: Database | None) -> str:
    """What the people pages show in place of e-mail and phone a role may not read."""
    if database is None or database.is_sqlite:
        return ""
    who = signed_in(database)
    return CONTACT_HIDDEN_NOTE if who is not None and who.contact_hidden else ""
