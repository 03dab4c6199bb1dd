"""iCalendar export and the partnership graph's layout and view.

The calendar is ``vru_crm.governance.ics.build_calendar`` over every meeting
(what ``vru-crm export ics`` and the meetings page write), against the
``icalendar`` library building the same number of bare events. That was the
export's floor while it built its events with icalendar; it now writes the event
lines itself (``vru_crm/governance/ics_writer.py``), so it can run under it.
The graph reuses ``bench/graph_layout.py``: our layout against igraph's
Fruchterman-Reingold on the same planted-partition graph, and the view's
time per pan and zoom step (offscreen, every node and tie drawn).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from common import Row, Size, Timing, measure

from db.session import Database


def ics_export(database: Database, runs: int) -> Row:
    from icalendar import Calendar, Event

    from vru_crm.governance.ics import build_calendar

    meetings = int(database.execute_scalar("SELECT count(*) FROM meeting"))
    exported: list[int] = []

    def ours() -> None:
        exported.append(build_calendar(database).events)

    def baseline() -> None:
        calendar = Calendar()
        calendar.add("prodid", "-//bench//")
        calendar.add("version", "2.0")
        start = datetime(2020, 1, 1, 10, tzinfo=UTC)
        for n in range(meetings):
            event = Event()
            event.add("uid", f"{n}@bench")
            event.add("summary", f"Meeting {n}")
            event.add("dtstart", start + timedelta(days=n))
            event.add("dtend", start + timedelta(days=n, hours=2))
            event.add("dtstamp", start)
            calendar.add_component(event)
        calendar.to_ical()

    mine, base = measure(ours, runs, warm=False), measure(baseline, runs, warm=False)
    row = Row(
        f"iCalendar export of {meetings:,} meetings", mine, base,
        "icalendar building as many bare events", "≤ 1 s", limit=1000,
        note=f"{exported[-1]:,} events with attendees, descriptions and the London time zone",
    )  # fmt: skip
    return row


def graph(size: Size, runs: int, log=print) -> list[Row]:
    import graph_layout as gl
    import numpy as np

    groups, group_size, edges = size.graph
    g = gl.make_graph(groups=groups, group_size=group_size, edge_count=edges)
    label = f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges"
    ours = measure(lambda: gl.ours(g), runs, warm=False)
    try:
        import igraph  # noqa: F401

        theirs: Timing | None = measure(lambda: gl.igraph_fr(g), runs, warm=False)
    except ImportError:
        log("  igraph is not installed (pip install -e '.[bench]'): the layout has no baseline")
        theirs = None
    layout = Row(
        f"graph layout, {label}", ours, theirs, "igraph layout_fruchterman_reingold", "≤ 1.5× baseline", limit_ratio=1.5,
        note="wall ratio; CPU ratio in brackets shows the share a busy machine takes from each",
    )  # fmt: skip
    frames = gl.view_frames(g, np.array(gl.ours(g)), steps=20 if size.name == "500k" else 12)
    rows = [layout]
    for what in ("pan", "zoom"):
        row = Row(
            f"graph view, one {what} step, {label}", Timing(frames[what], frames[f"cpu_{what}"], 1), None, "",
            "≤ 16 ms", limit=16,
            note=(f"offscreen 1200x800, a {'mouse drag' if what == 'pan' else 'wheel'} step sent as a user's, timed to the "
                  f"end of its repaints ({frames['paints']:.1f} a step, whole view); first draw {frames['first']:.0f} ms; "
                  f"labels placed once the view settles {frames['settle']:.0f} ms"),
        )  # fmt: skip
        rows.append(row)
    return rows
