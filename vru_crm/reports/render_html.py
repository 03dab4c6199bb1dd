"""The quarterly report as one HTML page, fit to send to the PRG.

The page is self-contained (charts embedded as PNG data, no scripts, no web
fonts) so it survives being attached to an e-mail. The markup keeps to what
Qt's rich-text engine also understands (tables, headings, simple CSS), since
the PDF is printed from the same HTML: one layout, two formats.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape

from db.enums import SECTOR_LABELS
from vru_crm.reports.figures import KIND_LABELS
from vru_crm.reports.quarterly import AUDIENCE, CHARTS, ORGANISATION, TITLE, QuarterlyReport

EMPTY_NOTICE = "No engagements in this quarter."

STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #1d1d1b; }
h1 { font-size: 18pt; color: #1b3a6b; margin-bottom: 2px; }
h2 { font-size: 13pt; color: #1b3a6b; margin-top: 18px; border-bottom: 1px solid #1b3a6b; }
p.meta { color: #555555; margin-top: 0; }
p.notice { background-color: #fff4ce; padding: 6px; font-weight: bold; }
p.caption { color: #555555; font-size: 9pt; }
table { border-collapse: collapse; margin-bottom: 8px; }
th { background-color: #e8edf5; text-align: left; padding: 3px 6px; }
td { padding: 3px 6px; border-bottom: 1px solid #dddddd; }
td.n, th.n { text-align: right; }
td.late { color: #b00020; font-weight: bold; }
table.totals td.big { font-size: 16pt; font-weight: bold; color: #1b3a6b; }
"""


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _n(value: int) -> str:
    return f"{value:,}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: set[int] | None = None,
           cls: str = "") -> str:  # fmt: skip
    numeric = numeric or set()
    head = "".join(
        f"<th{' class=n' if i in numeric else ''}>{_e(h)}</th>" for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = _n(cell) if isinstance(cell, int) and not isinstance(cell, bool) else cell
            cells.append(f"<td{' class=n' if i in numeric else ''}>{_e(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        return '<p class="caption">None.</p>'
    attrs = f' class="{cls}"' if cls else ""
    return f'<table{attrs} cellspacing="0" cellpadding="4" width="100%"><tr>{head}</tr>{"".join(body)}</table>'


def _change(now: int, before: int) -> str:
    if now == before:
        return "no change"
    return f"{'+' if now > before else '-'}{abs(now - before):,}"


def _header(report: QuarterlyReport) -> str:
    meta = (
        f"{ORGANISATION} &middot; prepared for the {AUDIENCE} &middot; "
        f"figures as at {report.figures.as_of:%d %B %Y}, generated {report.generated_on:%d %B %Y}"
    )
    parts = [f"<h1>{_e(TITLE)}</h1>", f"<h2 class='period'>{_e(report.quarter.label)}</h2>",
             f'<p class="meta">{meta}</p>']  # fmt: skip
    if report.is_empty:
        parts.append(f'<p class="notice">{EMPTY_NOTICE}</p>')
    if report.synthetic:
        parts.append(
            f'<p class="notice">{_n(report.synthetic)} of the engagements counted here are synthetic '
            "demo data, not real contacts.</p>"
        )
    return "".join(parts)


def _totals(report: QuarterlyReport) -> str:
    t, p = report.totals, report.previous
    rows = [
        ("Engagements", t.engagements, p.engagements),
        ("People reached", t.people_reached, p.people_reached),
        ("Boroughs covered (of 33)", t.boroughs_covered, p.boroughs_covered),
        ("Organisations engaged", t.organisations_engaged, p.organisations_engaged),
        ("Meetings held", t.meetings_held, p.meetings_held),
        ("of which minutes published", t.minutes_published, p.minutes_published),
    ]
    table = _table(
        ["Figure", "This quarter", f"Previous quarter ({report.quarter.previous().code})", "Change"],
        [(label, now, before, _change(now, before)) for label, now, before in rows],
        numeric={1, 2, 3}, cls="totals",
    )  # fmt: skip
    return "<h2>Key figures</h2>" + table


def _chart(name: str, images: dict[str, str]) -> str:
    src = images.get(name)
    if not src:
        return ""
    return f'<p><img src="{_e(src)}" width="640" alt="{_e(CHARTS[name])}"></p><p class="caption">{_e(CHARTS[name])}</p>'


def _over_time(report: QuarterlyReport, images: dict[str, str]) -> str:
    ot = report.figures.over_time
    kinds = [s.label for s in ot.series]
    rows = [
        (p.label, *[s.values[i] for s in ot.series], ot.totals[i]) for i, p in enumerate(ot.buckets)
    ]
    table = _table(["Week", *kinds, "All"], rows, numeric=set(range(1, len(kinds) + 2)))
    return "<h2>Engagements over the quarter</h2>" + _chart("over_time", images) + table


def _boroughs(report: QuarterlyReport, images: dict[str, str]) -> str:
    reached = report.boroughs_reached
    summary = (
        f"<p>{len(reached)} of 33 local authorities reached, {report.priority_reached} of the "
        f"{report.priority_count} priority boroughs.</p>"
    )
    missing = report.priority_not_reached
    if missing:
        summary += (
            "<p><b>Priority boroughs with no engagement:</b> "
            + _e(", ".join(b.name for b in missing))
            + "</p>"
        )
    rows = [
        (b.name, "yes" if b.is_priority else "", b.engagements, b.people_reached) for b in reached
    ]
    table = _table(
        ["Borough reached", "Priority", "Engagements", "People reached"], rows, numeric={2, 3}
    )
    return "<h2>Boroughs reached</h2>" + _chart("boroughs", images) + summary + table


def _objectives(report: QuarterlyReport, images: dict[str, str]) -> str:
    rows = [(o.number, o.title, o.engagements, o.people_reached) for o in report.figures.objectives]
    table = _table(["No.", "Objective", "Engagements", "People reached"], rows, numeric={0, 2, 3})
    return "<h2>Objectives</h2>" + _chart("objectives", images) + table


def _meetings(report: QuarterlyReport) -> str:
    g = report.figures.governance
    rows = [
        (
            f"{m.held_on:%d %b %Y}", m.network, m.title, m.status,
            "published" if m.minutes_published else m.minutes_status,
            f"{m.minutes_published_on:%d %b %Y}" if m.minutes_published_on else "",
            f"{m.days_late} days late" if m.days_late else "",
        )
        for m in g.meetings
    ]  # fmt: skip
    meetings = _table(
        ["Date", "Network", "Meeting", "Status", "Minutes", "Published", "Lateness"], rows
    )
    cadence = [
        (
            n.name, "" if n.expected is None else n.expected, n.held, n.cancelled,
            "no cadence set" if n.on_cadence is None else ("on cadence" if n.on_cadence else "behind"),
            n.minutes_published, n.minutes_late,
        )
        for n in g.networks
    ]  # fmt: skip
    cadence_table = _table(
        ["Network", "Expected", "Held", "Cancelled", "Cadence", "Minutes published", "Minutes late"],
        cadence, numeric={1, 2, 3, 5, 6},
    )  # fmt: skip
    held = report.totals.meetings_held
    line = f"<p>{held} meeting{'s' if held != 1 else ''} held; minutes published for {report.totals.minutes_published}.</p>"
    return (
        "<h2>Meetings held and minutes published</h2>"
        + line
        + meetings
        + "<h3>Cadence by network</h3>"
        + cadence_table
    )


def _open_items(report: QuarterlyReport) -> str:
    g = report.figures.governance
    line = (
        f"<p>As at {g.as_of:%d %B %Y}: {g.actions_open} open actions ({g.actions_overdue} overdue); "
        f"{g.recommendations_open} open recommendations ({g.recommendations_overdue} overdue).</p>"
    )
    rows = [
        (
            i.kind.capitalize(), i.text, i.source or i.owner,
            f"{i.due_date:%d %b %Y}" if i.due_date else "", f"{i.days_overdue} days" if i.days_overdue else "",
        )
        for i in g.open_items
    ]  # fmt: skip
    table = _table(["Kind", "Text", "From", "Due", "Overdue by"], rows)
    return "<h2>Open actions and recommendations</h2>" + line + table


def _follow_up(report: QuarterlyReport, images: dict[str, str]) -> str:
    d = report.figures
    quiet = [
        (
            p.name,
            SECTOR_LABELS.get(p.sector, p.sector),
            f"{p.last_engaged_on:%d %b %Y}",
            p.days_quiet,
        )
        for p in d.quiet[:15]
    ]
    follow = [
        (f"{x.follow_up_on:%d %b %Y}", x.organisations, x.summary, x.days_overdue)
        for x in d.follow_ups[:15]
    ]
    return (
        "<h2>Partners and follow-ups</h2>"
        + f"<p>Partners gone quiet (engaged in the year before, not in the last 90 days): {d.quiet_count}.</p>"
        + _table(["Organisation", "Sector", "Last engaged", "Days quiet"], quiet, numeric={3})
        + f"<p>Follow-ups due in the quarter and not done: {d.follow_ups_count}.</p>"
        + _table(["Due", "Organisations", "Engagement", "Days overdue"], follow, numeric={3})
        + _chart("stakeholders", images)
    )


def _notes() -> str:
    kinds = ", ".join(KIND_LABELS.values())
    return (
        "<h2>How these figures are counted</h2><p class='caption'>An engagement counts once in each borough, "
        "objective and network it is linked to, so those tables can add up to more than the total. People "
        f"reached is the sum recorded on each engagement. Kinds of engagement: {_e(kinds)}. Weeks run Monday "
        "to Sunday. Figures come from the VRU Partnership CRM, the same figures as its dashboard.</p>"
    )


def render_html(report: QuarterlyReport, images: dict[str, str] | None = None) -> str:
    """The report as HTML; ``images`` maps a chart name (see ``CHARTS``) to an image URL."""
    images = images or {}
    body = "".join([
        _header(report), _totals(report), _over_time(report, images), _boroughs(report, images),
        _objectives(report, images), _meetings(report), _open_items(report), _follow_up(report, images),
        _notes(),
    ])  # fmt: skip
    title = f"{TITLE}: {report.quarter.label}"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f"<style>{STYLE}</style></head><body>{body}</body></html>"
    )
