"""``generate``: fill a database with large, realistic synthetic data, reproducibly.

One transaction for the whole run (all or nothing), per-row audit entries off
and one summary entry instead, rows written with Core executemany in batches.
"""

import gc
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func as sa_func
from sqlalchemy import select, text
from sqlmodel import SQLModel

from db.audit import write_summary
from db.enums import AuditAction
from db.models import (
    Affiliation,
    AgendaItem,
    Engagement,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
    StaffUser,
    Tag,
)
from db.search_index import PG_TABLE
from db.session import Database
from vru_crm.errors import UserError
from vru_crm.generate import engagements, meetings, networks, partners
from vru_crm.generate.world import World, read_reference
from vru_crm.generate.writer import Writer, fast_sqlite, table_of
from vru_crm.london import LONDON

Progress = Callable[[str, int, int], None]
ID_TABLES = [
    Organisation,
    Person,
    Affiliation,
    Network,
    Membership,
    Meeting,
    AgendaItem,
    Engagement,
    StaffUser,
    Tag,
]


@dataclass(frozen=True)
class Counts:
    organisations: int = 0
    people: int = 0
    engagements: int = 0
    meetings: int = 0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if value < 0:
                raise UserError(f"--{name} must be zero or more, not {value}.")


@dataclass(frozen=True)
class GenerateSummary:
    rows: dict[str, int]
    seconds: float

    def lines(self) -> list[str]:
        total = sum(self.rows.values())
        return [f"Generated {total} rows of synthetic data in {self.seconds:.1f} s:"] + [
            f"  {count:>9} {table}" for table, count in self.rows.items() if count
        ]


class RealDataPresent(UserError):
    pass


def refuse_real_data(writer: Writer) -> None:
    """Generated data in a database of real records would be hard to take out again."""
    table = table_of(Engagement)
    real = writer.conn.execute(
        select(table.c.id).where(table.c.is_synthetic.is_(False)).limit(1)
    ).first()
    if real:
        raise RealDataPresent(
            "This database holds real engagement records. Generate into a new database "
            "(--db another file), or pass --force if you really mean to mix them."
        )


@contextmanager
def no_cycle_collector() -> Iterator[None]:
    """Pause Python's cycle collector while millions of row tuples are made.

    The rows hold no reference cycles, so reference counting frees them; but
    each batch triggers full collections that walk every live object (half a
    million draws, tens of thousands of partners): they took a quarter of the
    run's CPU time before this.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate(
    database: Database,
    counts: Counts,
    seed: int = 1,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> GenerateSummary:
    """Add ``counts`` of synthetic records; the same seed and day give the same records."""
    started = time.perf_counter()
    world = World(rng=random.Random(seed), seed=seed, today=today or datetime.now(LONDON).date())
    report = progress or (lambda _label, _done, _total: None)
    with database.session(audit_rows=False) as session:
        writer = Writer(session.connection())
        if not force:
            refuse_real_data(writer)
        with fast_sqlite(writer.conn), no_cycle_collector():
            before = _highest_ids(writer)
            _run(writer, world, counts, report)
            writer.fix_sequences([table_of(model) for model in ID_TABLES])
        write_summary(
            session,
            AuditAction.CREATE,
            "generate",
            f"Generated synthetic data (seed {seed}): {sum(writer.counts.values())} rows",
            _generated_changes(writer, world, seed, before),
        )
    analyze(database)
    return GenerateSummary(writer.counts, time.perf_counter() - started)


def _highest_ids(writer: Writer) -> dict[str, int]:
    return {
        model.__tablename__: writer.conn.execute(  # type: ignore[attr-defined]
            select(sa_func.coalesce(sa_func.max(table_of(model).c.id), 0))
        ).scalar_one()
        for model in ID_TABLES
    }


def _generated_changes(
    writer: Writer, world: World, seed: int, before: dict[str, int]
) -> dict[str, Any]:
    """The summary entry's values: which ids were added per table, and how to
    make the very same rows again (seed and day: generation is reproducible)."""
    after = _highest_ids(writer)
    return {
        "seed": seed,
        "today": world.today.isoformat(),
        "rows": dict(writer.counts),
        "ids": {t: [before[t] + 1, after[t]] for t in after if after[t] > before[t]},
    }


def analyze(database: Database) -> None:
    """PostgreSQL: gather the planner's statistics for the rows just written.

    Until autovacuum gets round to it (never, where it is off, as in CI), the
    planner guesses at tables it believes empty or a tenth of their size and
    may scan where an index would serve. About a second for 500,000 engagements.
    Only the app's tables: a plain ANALYZE also visits the system catalogs and
    warns about each one that only a superuser may analyse. SQLite has no
    statistics unless asked, and its plans here are chosen without.
    """
    if database.is_sqlite:
        return
    ours = {table.name for table in SQLModel.metadata.sorted_tables} | {PG_TABLE}
    with database.engine.begin() as conn:
        present = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
        names = sorted(ours.intersection(present))  # an older schema has fewer (tests fill one)
        quote = conn.dialect.identifier_preparer.quote
        conn.execute(text("ANALYZE " + ", ".join(quote(name) for name in names)))


def _run(writer: Writer, world: World, counts: Counts, report: Progress) -> None:
    read_reference(writer.conn, world)
    report("staff and networks", 0, 1)
    partners.staff(writer, world)
    networks.networks(writer, world)
    report("organisations", 0, counts.organisations)
    partners.organisations(writer, world, counts.organisations)
    report("people", 0, counts.people)
    partners.people(writer, world, counts.people)
    networks.memberships(writer, world)
    report("meetings", 0, counts.meetings)
    meetings.meetings(writer, world, counts.meetings)
    report("engagements", 0, counts.engagements)
    engagements.engagements(
        writer,
        world,
        counts.engagements,
        lambda done: report("engagements", done, counts.engagements),
    )
