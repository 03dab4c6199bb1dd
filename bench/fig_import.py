"""Import of an engagements CSV, against a raw ``sqlite3`` executemany of the same rows.

The file is synthetic but importable as it stands: names the partners
database holds once, boroughs, networks and objectives that exist, a summary
of its own per row (so no row is a duplicate). Each run starts from a fresh
copy of the partners database (organisations and people, no engagements).
The import is ``vru_crm.io.importer.import_file`` as the command line and the
dialog call it: read, check every row, write in one transaction. The baseline
inserts the same rows, already resolved to ids, with ``executemany`` in one
transaction on the same kind of copy: the database's own cost, triggers
included, and nothing else.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path

from common import CACHE, SEED, TODAY, Row, Size, Timing, copy_sqlite, measure

KINDS = ("visit", "online_meeting", "call", "event", "email")
HEADER = (
    "date", "kind", "organisations", "borough", "summary", "networks", "objectives", "outcome",
    "people_reached", "follow_up", "follow_up_done", "notable", "logged_by",
)  # fmt: skip
LINKS = (
    "engagement_organisation",
    "engagement_borough",
    "engagement_network",
    "engagement_objective",
)


def _reference(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        orgs = conn.execute(
            "SELECT min(id), name FROM organisation GROUP BY name HAVING count(*) = 1 ORDER BY 1"
        ).fetchall()
        org_boroughs: dict[int, list[int]] = {}
        for org, borough in conn.execute(
            "SELECT organisation_id, borough_id FROM organisation_borough"
        ):
            org_boroughs.setdefault(org, []).append(borough)
        return {
            "orgs": orgs,
            "org_boroughs": org_boroughs,
            "boroughs": dict(conn.execute("SELECT id, name FROM borough")),
            "networks": conn.execute(
                "SELECT min(id), name FROM network GROUP BY name HAVING count(*) = 1"
            ).fetchall(),
            "objectives": conn.execute("SELECT id, number FROM objective").fetchall(),
            "staff": conn.execute("SELECT id, username FROM staff_user ORDER BY id").fetchone(),
        }
    finally:
        conn.close()


def make_rows(
    partners: Path, count: int
) -> tuple[list[list[str]], list[tuple], dict[str, list[tuple]]]:
    """The CSV's cells, and the same rows as the database will hold them (engagements, links)."""
    ref, rng = _reference(partners), random.Random(SEED)
    staff_id, staff_name = ref["staff"]
    first = TODAY - timedelta(days=3650)
    cells, engagements, links = [], [], {name: [] for name in LINKS}
    for n in range(1, count + 1):
        day, kind = first + timedelta(days=rng.randrange(3650)), rng.choice(KINDS)
        orgs = rng.sample(ref["orgs"], rng.choice((1, 1, 1, 2)))
        boroughs = sorted({b for o, _ in orgs for b in ref["org_boroughs"].get(o, [])}) or [
            rng.choice(list(ref["boroughs"]))
        ]
        networks = [rng.choice(ref["networks"])] if rng.random() < 0.25 else []
        objectives = rng.sample(ref["objectives"], rng.choice((0, 1, 1, 2)))
        reached, follow_up = (
            rng.randrange(0, 60),
            day + timedelta(days=14) if rng.random() < 0.2 else None,
        )
        done = follow_up is not None and rng.random() < 0.5
        summary = f"Bench import {n}: {kind.replace('_', ' ')} with {orgs[0][1]}"
        cells.append([
            day.isoformat(), kind, ";".join(name for _, name in orgs), ";".join(ref["boroughs"][b] for b in boroughs),
            summary, ";".join(name for _, name in networks), ";".join(str(number) for _, number in objectives),
            "", str(reached), follow_up.isoformat() if follow_up else "", "yes" if done else "no", "no", staff_name,
        ])  # fmt: skip
        stamp = "2026-06-30 12:00:00.000000"
        engagements.append((n, day.isoformat(), kind, staff_id, summary, "", reached,
                            follow_up.isoformat() if follow_up else None, done, False, False, 1, stamp, stamp))  # fmt: skip
        links["engagement_organisation"] += [(n, o) for o, _ in orgs]
        links["engagement_borough"] += [(n, b) for b in boroughs]
        links["engagement_network"] += [(n, i) for i, _ in networks]
        links["engagement_objective"] += [(n, i) for i, _ in objectives]
    return cells, engagements, links


def _write_csv(path: Path, cells: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(cells)
    return path


def _raw_insert(path: Path, engagements: list[tuple], links: dict[str, list[tuple]]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO engagement (id, occurred_on, kind, logged_by_id, summary, outcome, people_reached, "
        "follow_up_on, follow_up_done, is_notable, is_synthetic, version, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        engagements,
    )
    for table, rows in links.items():
        column = {"engagement_organisation": "organisation_id", "engagement_borough": "borough_id",
                  "engagement_network": "network_id", "engagement_objective": "objective_id"}[table]  # fmt: skip
        conn.executemany(f"INSERT INTO {table} (engagement_id, {column}) VALUES (?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()


def import_csv(size: Size, partners: Path, log=print) -> Row:
    from db.migrate import open_database
    from vru_crm.io.importer import import_file

    work = Path(tempfile.mkdtemp(prefix="vru_bench_import_"))
    cells, engagements, links = make_rows(partners, size.import_rows)
    csv_path = _write_csv(CACHE / f"import_{size.name}.csv", cells)
    imported: list[int] = []

    def ours() -> None:
        target = copy_sqlite(partners, work / "import.sqlite3")
        database = open_database(str(target), username="bench")
        try:
            report = import_file(database, "engagements", csv_path)
            imported.append(report.imported)
        finally:
            database.dispose()

    def baseline() -> None:
        _raw_insert(copy_sqlite(partners, work / "raw.sqlite3"), engagements, links)

    copy_ms = measure(
        lambda: copy_sqlite(partners, work / "copy.sqlite3"), size.import_runs, warm=False
    )
    mine = measure(ours, size.import_runs, warm=False)
    raw = measure(baseline, size.import_runs, warm=False)
    for timing in (mine, raw):  # the copy is set-up, not import
        timing.wall_ms -= copy_ms.wall_ms
        timing.cpu_ms -= copy_ms.cpu_ms
    if imported[-1] != size.import_rows:
        log(f"  warning: {size.import_rows - imported[-1]} rows were not imported")
    total_links = sum(len(rows) for rows in links.values())
    row = Row(
        f"import of a {size.import_rows:,}-row engagements CSV", Timing(mine.wall_ms, mine.cpu_ms, mine.runs),
        Timing(raw.wall_ms, raw.cpu_ms, raw.runs), "raw sqlite3 executemany of the same rows", "≤ 10× baseline", limit_ratio=10,
        note=(f"{imported[-1]:,} engagements and {total_links:,} links imported, every row checked; "
              "both sides fire the dashboard's rollup triggers"),
    )  # fmt: skip
    return row


if __name__ == "__main__":  # a quick look: python bench/fig_import.py
    from common import SMALL, ensure_sqlite, sqlite_path

    ensure_sqlite(SMALL, partners_only=True).dispose()
    print(import_csv(SMALL, sqlite_path(SMALL, "partners")))
