"""``graph``: the partnership graph's measures and the change between two periods, as text or JSON."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from vru_crm.cli.export_graph import add_filter_arguments, filters_from_args
from vru_crm.london import today_in_london


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    graph = sub.add_parser("graph", help="brokers, gaps and change in the partnership graph")
    actions = graph.add_subparsers(dest="graph_command", metavar="ACTION", required=True)

    measures = actions.add_parser(
        "measures", help="brokers, communities, isolates, PRG reach, who to reach next"
    )
    measures.add_argument("--json", action="store_true", help="print JSON instead of text")
    measures.add_argument(
        "--quiet-months",
        type=int,
        default=6,
        metavar="N",
        help="a partner is quiet after N months without an engagement (default 6)",
    )
    add_filter_arguments(measures)
    measures.set_defaults(func=run_measures)

    compare = actions.add_parser(
        "compare", help="ties gained and lost, partners joined and dropped"
    )
    compare.add_argument(
        "--by",
        choices=("quarter", "year"),
        default="quarter",
        help="this quarter against the last (default), or this year against the last",
    )
    compare.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_filter_arguments(compare)
    compare.set_defaults(func=run_compare)


def run_measures(args: argparse.Namespace) -> int:
    """The measures of the graph built as columns (``GraphFrame``): the report ``measure_all``
    gives, without a NetworkX graph of 250,000 nodes."""
    from vru_crm.context import connect
    from vru_crm.graph.build import build_frame
    from vru_crm.graph.frame_measures import measure_frame

    database = connect(args.db, args.user)
    try:
        frame = build_frame(database, filters_from_args(database, args))
    finally:
        database.dispose()
    found = measure_frame(frame, months=args.quiet_months)
    report, keys = found.report, frame.keys()
    report.community = dict(zip(keys, found.nodes.community.tolist(), strict=True))
    label = dict(zip(keys, frame.labels, strict=True))
    if args.json:
        print(json.dumps(report.summary(), indent=2, ensure_ascii=False))
        return 0
    print(
        f"{report.nodes} nodes, {report.edges} ties, {report.components} components, "
        f"{len(set(report.community.values()))} communities"
    )
    _section(
        "Brokers (betweenness)", [f"{r.label}: {r.value:.3f}. {r.reason}" for r in report.brokers]
    )
    _section("Who to reach next", [f"{r.label} ({r.kind}): {r.reason}" for r in report.reach_next])
    _section("Quiet partners", [f"{r.label}: {r.reason}" for r in report.quiet[:20]])
    _section("Single points of failure", [label[k] for k in report.articulation_points])
    _section("Isolated", [label[k] for k in report.isolates])
    _section(
        "Boroughs by closeness to the PRG",
        [
            f"{r.label}{' (priority)' if r.is_priority else ''}: {r.on_prg} on, {r.near_prg} near, "
            f"of {r.partners} partners"
            for r in sorted(report.by_borough, key=lambda r: r.score)
            if r.partners
        ],
    )
    return 0


def run_compare(args: argparse.Namespace) -> int:
    from vru_crm.context import connect
    from vru_crm.graph.compare import compare_periods, this_quarter_and_last, this_year_and_last

    as_of = args.as_of or args.end or today_in_london()
    before, after = (this_quarter_and_last if args.by == "quarter" else this_year_and_last)(as_of)
    database = connect(args.db, args.user)
    try:
        result = compare_periods(database, before, after, filters_from_args(database, args))
    finally:
        database.dispose()
    if args.json:
        print(json.dumps(asdict(result), indent=2, default=str, ensure_ascii=False))
        return 0
    print(f"{before[0]} to {before[1]} against {after[0]} to {after[1]}")
    _section("Ties gained", [f"{t.a_label} - {t.b_label} ({t.kinds})" for t in result.gained])
    _section("Ties lost", [f"{t.a_label} - {t.b_label} ({t.kinds})" for t in result.lost])
    _section("Joined", [p.label for p in result.joined])
    _section("Dropped out", [p.label for p in result.dropped])
    return 0


def _section(title: str, lines: list[str]) -> None:
    print(f"\n{title} ({len(lines)})")
    for line in lines or ["none"]:
        print(f"  {line}")
