"""``export graph``: the partnership graph as GraphML, GEXF (Gephi) or CSV node and edge lists.

The filter flags are shared with ``vru-crm graph`` (``add_filter_arguments`` and
``filters_from_args``), so a file and the measures always describe the same view.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vru_crm.errors import ValidationError

if TYPE_CHECKING:  # the database stack loads when a command runs, not for --help
    from db.session import Database
    from vru_crm.graph.build import GraphFilters


def register(formats: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = formats.add_parser(
        "graph",
        help="the partnership graph (GraphML, GEXF or CSV)",
        description="Write the partnership graph: organisations, people, networks (and boroughs) with "
        "their ties, each node carrying its sector, boroughs, last engagement and measures. "
        "GraphML and GEXF open in Gephi, yEd or Cytoscape; CSV writes FILE_nodes.csv and FILE_edges.csv.",
    )
    parser.add_argument("-f", "--format", required=True, choices=("graphml", "gexf", "csv"))
    parser.add_argument("-o", "--output", required=True, type=Path, help="the file to write")
    parser.add_argument(
        "--young-names",
        action="store_true",
        help="write young people's names (by default they appear as 'Young person <id>')",
    )
    add_filter_arguments(parser)
    parser.set_defaults(func=run_export_graph)


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("what to include")
    group.add_argument(
        "--from",
        dest="start",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="engagements and meetings on or after this day",
    )
    group.add_argument(
        "--to",
        dest="end",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="engagements and meetings on or before this day",
    )
    group.add_argument(
        "--sector",
        action="append",
        default=[],
        metavar="CODE",
        help="only organisations of this sector (repeatable), e.g. charity, police",
    )
    group.add_argument(
        "--borough",
        action="append",
        default=[],
        metavar="CODE_OR_NAME",
        help="only organisations in this borough (repeatable), e.g. HAC or Hackney",
    )
    group.add_argument(
        "--network",
        action="append",
        default=[],
        metavar="NAME_OR_ID",
        help="only this network and its members (repeatable)",
    )
    group.add_argument(
        "--min-weight",
        type=float,
        default=0.0,
        metavar="W",
        help="leave out ties lighter than W (an engagement this year weighs about 1)",
    )
    group.add_argument(
        "--half-life",
        type=float,
        default=365.0,
        metavar="DAYS",
        help="an engagement's weight halves every DAYS days (default 365)",
    )
    group.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the day ages are counted from (default: --to, else today)",
    )
    group.add_argument(
        "--boroughs",
        dest="include_boroughs",
        action="store_true",
        help="draw boroughs as nodes too",
    )
    group.add_argument(
        "--no-people",
        dest="include_people",
        action="store_false",
        help="leave people out (organisations and networks only)",
    )


def filters_from_args(database: Database, args: argparse.Namespace) -> GraphFilters:
    """The filters named on the command line, with borough and network names resolved."""
    from db.enums import SECTOR_LABELS
    from vru_crm.graph.build import GraphFilters

    unknown = [s for s in args.sector if s not in SECTOR_LABELS]
    if unknown:
        raise ValidationError(
            {
                "sector": f"unknown sector {', '.join(unknown)}; "
                f"choose from {', '.join(SECTOR_LABELS)}"
            }
        )
    return GraphFilters(
        start=args.start,
        end=args.end,
        sectors=frozenset(args.sector),
        boroughs=frozenset(_borough_codes(database, args.borough)),
        network_ids=frozenset(_network_ids(database, args.network)),
        min_weight=args.min_weight,
        half_life_days=args.half_life,
        as_of=args.as_of,
        include_people=args.include_people,
        include_boroughs=args.include_boroughs,
    )


def _borough_codes(database: Database, given: list[str]) -> list[str]:
    from sqlmodel import select

    from db.models import Borough

    with database.session() as s:
        boroughs = s.exec(select(Borough)).all()
    by_name = {b.code.lower(): b.code for b in boroughs} | {
        b.name.lower(): b.code for b in boroughs
    }
    missing = [g for g in given if g.lower() not in by_name]
    if missing:
        raise ValidationError({"borough": f"no borough called {', '.join(missing)}"})
    return [by_name[g.lower()] for g in given]


def _network_ids(database: Database, given: list[str]) -> list[int]:
    from sqlmodel import select

    from db.models import Network

    with database.session() as s:
        networks = s.exec(select(Network)).all()
    by_name = {str(n.id): int(n.id or 0) for n in networks} | {
        n.name.lower(): int(n.id or 0) for n in networks
    }
    missing = [g for g in given if g.lower() not in by_name]
    if missing:
        raise ValidationError({"network": f"no network called {', '.join(missing)}"})
    return [by_name[g.lower()] for g in given]


def run_export_graph(args: argparse.Namespace) -> int:
    """Build the graph as columns, measure it and stream the file (never a NetworkX graph:
    at 2,000,000 engagements that alone took a gigabyte)."""
    from vru_crm.context import connect
    from vru_crm.graph.build import build_frame
    from vru_crm.graph.export import export_frame
    from vru_crm.graph.measures import node_measures
    from vru_crm.graph.positions import frame_positions
    from vru_crm.reliability.files import private_files, tighten

    if not args.output.parent.is_dir():
        raise ValidationError({"output": f"the folder {args.output.parent} does not exist"})
    database = connect(args.db, args.user)
    try:
        filters = filters_from_args(database, args)
        frame = build_frame(database, filters)
        places = frame_positions(database, frame, filters.scope())
    finally:
        database.dispose()
    measures = node_measures(frame)
    with private_files():  # names of people and organisations: readable by their owner only
        written = export_frame(
            frame,
            args.format,
            args.output,
            measures=measures,
            places=places,
            young_names=args.young_names,
        )
    for path in written:
        tighten(path)
    print(
        f"Wrote {len(frame):,} nodes and {frame.edge_count:,} ties to "
        + " and ".join(str(p) for p in written)
    )
    return 0
