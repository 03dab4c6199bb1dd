"""The quarterly report as CSV: one tidy table a spreadsheet or a script can read.

Each row is (section, item, measure, value), so the Home Office return or a
pivot table can pick the figures it needs without parsing a layout. Values
are plain numbers and ISO dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from vru_crm.reports.quarterly import TITLE, QuarterlyReport

HEADER = ("section", "item", "measure", "value")
Row = tuple[str, str, str, object]


def _report_rows(r: QuarterlyReport) -> Iterator[Row]:
    yield ("report", TITLE, "quarter", r.quarter.code)
    yield ("report", TITLE, "start", r.quarter.start.isoformat())
    yield ("report", TITLE, "end", r.quarter.end.isoformat())
    yield ("report", TITLE, "generated_on", r.generated_on.isoformat())
    yield ("report", TITLE, "synthetic_engagements", r.synthetic)
    if r.is_empty:
        yield ("report", TITLE, "note", "no engagements in this quarter")


def _totals_rows(r: QuarterlyReport) -> Iterator[Row]:
    for name in ("engagements", "people_reached", "boroughs_covered", "organisations_engaged",
                 "meetings_held", "minutes_published"):  # fmt: skip
        yield ("totals", "this_quarter", name, getattr(r.totals, name))
        yield ("totals", "previous_quarter", name, getattr(r.previous, name))


def _figure_rows(r: QuarterlyReport) -> Iterator[Row]:
    ot = r.figures.over_time
    for i, bucket in enumerate(ot.buckets):
        yield ("over_time", bucket.start.isoformat(), "all", ot.totals[i])
        for series in ot.series:
            yield ("over_time", bucket.start.isoformat(), series.label, series.values[i])
    for b in r.figures.boroughs:
        yield ("boroughs", b.name, "priority", "yes" if b.is_priority else "no")
        yield ("boroughs", b.name, "engagements", b.engagements)
        yield ("boroughs", b.name, "people_reached", b.people_reached)
    for o in r.figures.objectives:
        yield ("objectives", f"{o.number}. {o.title}", "engagements", o.engagements)
        yield ("objectives", f"{o.number}. {o.title}", "people_reached", o.people_reached)


def _governance_rows(r: QuarterlyReport) -> Iterator[Row]:
    g = r.figures.governance
    for m in g.meetings:
        item = f"{m.held_on.isoformat()} {m.title}"
        yield ("meetings", item, "network", m.network)
        yield ("meetings", item, "status", m.status)
        yield (
            "meetings",
            item,
            "minutes",
            "published" if m.minutes_published else m.minutes_status,
        )
        yield ("meetings", item, "days_late", m.days_late)
    for n in g.networks:
        yield ("cadence", n.name, "expected", "" if n.expected is None else n.expected)
        yield ("cadence", n.name, "held", n.held)
        yield ("cadence", n.name, "minutes_late", n.minutes_late)
    yield ("governance", "actions", "open", g.actions_open)
    yield ("governance", "actions", "overdue", g.actions_overdue)
    yield ("governance", "recommendations", "open", g.recommendations_open)
    yield ("governance", "recommendations", "overdue", g.recommendations_overdue)
    yield ("partners", "gone_quiet", "count", r.figures.quiet_count)
    yield ("partners", "follow_ups_overdue", "count", r.figures.follow_ups_count)


def rows(report: QuarterlyReport) -> Iterator[Row]:
    yield from _report_rows(report)
    yield from _totals_rows(report)
    yield from _figure_rows(report)
    yield from _governance_rows(report)


def render_csv(report: QuarterlyReport) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows(report))
    return out.getvalue()
