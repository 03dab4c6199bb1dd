"""What the filter bars offer: sectors, boroughs, networks and objectives, in one round trip."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from db.session import Database
from vru_crm.queries import tables as t
from vru_crm.queries.common import Choice


@dataclass
class FilterChoices:
    sectors: list[Choice] = field(default_factory=list)
    boroughs: list[Choice] = field(default_factory=list)
    networks: list[Choice] = field(default_factory=list)
    objectives: list[Choice] = field(default_factory=list)


def filter_choices(database: Database) -> FilterChoices:
    """Drop-down entries; values are codes or ids as text, labels are words."""
    s, b, n, o = t.sector.c, t.borough.c, t.network.c, t.objective.c
    with database.engine.connect() as conn:
        sectors = conn.execute(sa.select(s.code, s.label).order_by(s.position)).all()
        boroughs = conn.execute(sa.select(b.id, b.name, b.is_priority).order_by(b.name)).all()
        networks = conn.execute(sa.select(n.id, n.name).order_by(sa.func.lower(n.name))).all()
        objectives = conn.execute(sa.select(o.id, o.number, o.title).order_by(o.number)).all()
    return FilterChoices(
        sectors=[Choice(r.code, r.label) for r in sectors],
        boroughs=[
            Choice(str(r.id), r.name + (" (priority)" if r.is_priority else "")) for r in boroughs
        ],
        networks=[Choice(str(r.id), r.name) for r in networks],
        objectives=[Choice(str(r.id), f"{r.number}. {r.title}") for r in objectives],
    )


def organisation_count(database: Database) -> int:
    """How many organisations there are (the app offers demo data when there are none)."""
    with database.engine.connect() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(t.organisation)).scalar_one()
        )
