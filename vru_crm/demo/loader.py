"""``load_demo``: fill a database with the demo data set, once.

The whole load is one unit of work, so a failure leaves the database as it
was. Per-row audit entries are off (a demo is not anyone's edit) and one
summary entry records that the demo was loaded and by whom.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.audit import write_summary
from db.enums import AuditAction
from db.models import (
    Action,
    Engagement,
    Letter,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
    Recommendation,
    StakeholderAssessment,
)
from db.session import Database
from vru_crm.demo import engagements, facts, governance, network_life, partners, protection
from vru_crm.demo.refs import Refs, read_reference
from vru_crm.london import LONDON

DEFAULT_SEED = 2018
DEFAULT_ENGAGEMENTS = 400
PRG_MEMBERS = 28

Progress = Callable[[str, int, int], None]
TOTALS = [
    ("organisations", Organisation),
    ("people", Person),
    ("networks", Network),
    ("memberships", Membership),
    ("meetings", Meeting),
    ("letters", Letter),
    ("recommendations", Recommendation),
    ("actions", Action),
    ("stakeholder assessments", StakeholderAssessment),
    ("engagements", Engagement),
]


@dataclass(frozen=True)
class DemoSummary:
    """What a load did: rows added per kind, and what the database holds afterwards."""

    already_loaded: bool
    added: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        if self.already_loaded:
            head = ["The demo data is already loaded; nothing was changed."]
        else:
            head = ["Loaded the demo data set (public facts, plus synthetic data marked as such)."]
            head += [f"  added {count:>5} {kind}" for kind, count in sorted(self.added.items())]
        return (
            head
            + ["The database now holds:"]
            + [f"  {count:>7} {kind}" for kind, count in self.totals.items()]
        )


def is_loaded(session: Session) -> bool:
    """The marker: the PRG with its 28 published members, and the demo's engagement log."""
    published = [m["person"] for m in facts.prg_members() if m.get("person")]
    members = session.exec(
        select(func.count())
        .select_from(Membership)
        .join(Network, col(Network.id) == Membership.network_id)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(Network.name == governance.PRG, col(Person.full_name).in_(published))
    ).one()
    return members >= PRG_MEMBERS and engagements.has_demo_log(session)


def totals(session: Session) -> dict[str, int]:
    return {
        name: session.exec(select(func.count()).select_from(model)).one() for name, model in TOTALS
    }


def load_demo(
    database: Database,
    progress: Progress | None = None,
    *,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    engagement_count: int = DEFAULT_ENGAGEMENTS,
) -> DemoSummary:
    """Load the demo, or top up what is missing; a second run changes nothing.

    ``today`` anchors the synthetic trail (quiet partners, overdue follow-ups,
    which PRG meetings are held); the same seed and day give the same data.
    """
    today = today or datetime.now(LONDON).date()
    with database.session(audit_rows=False) as session:
        if is_loaded(session):
            return DemoSummary(already_loaded=True, totals=totals(session))
        refs = Refs()
        for number, (label, step) in enumerate(_steps(refs, seed, today, engagement_count)):
            if progress:
                progress(label, number, len(STEP_LABELS))
            step(session)
        if progress:
            progress("Done", len(STEP_LABELS), len(STEP_LABELS))
        added = {kind: count for kind, count in refs.added.items() if count}
        if added:
            write_summary(
                session,
                AuditAction.CREATE,
                "demo",
                f"Loaded the demo data set: {sum(added.values())} rows",
            )
        return DemoSummary(already_loaded=not added, added=added, totals=totals(session))


STEP_LABELS = [
    "Reference data",
    "Organisations, people, networks and meetings",
    "Staff users",
    "Local groups in every borough",
    "Later PRG meetings",
    "PRG attendance",
    "Network members and meetings",
    "Actions",
    "Stakeholder assessments",
    "Engagements",
    "Data protection records",
]


def _steps(
    refs: Refs, seed: int, today: date, count: int
) -> list[tuple[str, Callable[[Session], None]]]:
    """(label, function of the session) in order; each step has its own seeded generator."""

    def rng(name: str) -> random.Random:
        return random.Random(f"{seed}:{name}")

    functions: list[Callable[[Session], None]] = [
        lambda s: read_reference(s, refs),
        lambda s: facts.load_public_facts(s, refs),
        lambda s: partners.load_staff(s, refs),
        lambda s: partners.load_local_groups(s, refs, rng("partners")),
        lambda s: governance.load_later_prg_meetings(s, refs, today),
        lambda s: governance.load_attendance(s, refs, rng("attendance")),
        lambda s: network_life.load_network_life(s, refs, rng("networks"), today),
        lambda s: governance.load_actions(s, refs, rng("actions"), today),
        lambda s: governance.load_assessments(s, refs, rng("assessments")),
        lambda s: engagements.load_engagements(s, refs, rng("engagements"), today, count),
        lambda s: protection.load_protection(s, refs, rng("protection"), today),
    ]
    return list(zip(STEP_LABELS, functions, strict=True))
