"""Who is signed in to a team database, and what their role lets the app offer them.

The server enforces every right (``vru_crm.team.roles``); this only lets the app
show the login and role, and grey out what the role may not do, instead of letting
someone fill in a form the server will refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import text

from db.session import Database
from db.team_access import contact_hidden, team_role

# What each role may change, as the app's record kinds (the server's grants, in short).
CHANGES = {
    "viewer": frozenset(),
    "engagement": frozenset({"organisation", "person", "engagement"}),
    "governance": frozenset(
        {"organisation", "person", "engagement", "network", "meeting", "letter", "action"}
    ),
    "protection": frozenset({"consent", "erasure", "subject_access", "retention"}),
}
EVERYTHING = frozenset(
    {"organisation", "person", "engagement", "network", "meeting", "letter", "action"}
    | CHANGES["protection"]
)
CONTACT_HIDDEN_NOTE = "Contact details hidden for your role"
# What a refusal calls each kind: "Your role (viewer) cannot change organisations".
KIND_WORDS = {
    "organisation": "change organisations",
    "person": "change people",
    "engagement": "change engagements",
    "network": "change networks",
    "meeting": "change meetings",
    "letter": "change letters and recommendations",
    "action": "change actions",
    "consent": "change consent (the data protection role does that)",
    "erasure": "erase people (the data protection role does that)",
    "subject_access": "handle subject access requests (the data protection role does that)",
    "retention": "apply retention (the data protection role does that)",
}


@dataclass(frozen=True)
class SignedIn:
    """A PostgreSQL login: its name, its team role (None outside the team), what it may see."""

    login: str
    role: str | None
    contact_hidden: bool

    def may_change(self, kind: str) -> bool:
        """Whether the role may change records of ``kind`` (the owner outside the team may)."""
        if self.role is None or self.role == "admin":
            return True
        return kind in CHANGES.get(self.role, frozenset())

    def refusal(self, kind: str) -> str | None:
        """Why the role may not change ``kind``, in the server's words; None when it may."""
        if self.may_change(kind):
            return None
        what = KIND_WORDS.get(kind, "change these records")
        return f"Your role ({self.role}) cannot {what}"

    @property
    def words(self) -> str:
        """``Signed in as asha (viewer)`` for the status bar."""
        role = self.role or "not in a team role"
        return f"Signed in as {self.login} ({role})"


_KNOWN: WeakKeyDictionary[Database, SignedIn] = WeakKeyDictionary()


def signed_in(database: Database, fresh: bool = False) -> SignedIn | None:
    """The login and role of a PostgreSQL database; None for a SQLite file (one user).

    Asked of the server once per opened database (``fresh`` asks again): every page
    that greys out its buttons asks, and each asking would otherwise be a round trip.
    """
    if database.is_sqlite:
        return None
    known = None if fresh else _KNOWN.get(database)
    if known is None:
        with database.engine.connect() as conn:
            login = str(conn.execute(text("SELECT session_user")).scalar_one())
            info = conn.info
            known = SignedIn(login, team_role(info), contact_hidden(info))
        _KNOWN[database] = known
    return known
