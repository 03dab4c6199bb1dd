"""An agenda as a document people can send: HTML and Markdown (PDF is drawn by Qt in ui/).

The HTML is kept to what Qt's rich-text engine renders (tables, simple CSS), so
the same markup makes the PDF.
"""

from __future__ import annotations

import html
import os
import tempfile
from datetime import datetime
from pathlib import Path

from db.session import Database
from vru_crm.errors import UserError
from vru_crm.governance.agenda import Agenda, ItemRow, get_agenda
from vru_crm.governance.common import format_day
from vru_crm.london import today_in_london

ORGANISATION = "London Violence Reduction Unit"
FORMATS = {".html": "HTML", ".htm": "HTML", ".md": "Markdown", ".pdf": "PDF"}


def _when(agenda: Agenda) -> str:
    start, end = agenda.starts_at, agenda.ends_at
    zone = start.tzname() or "London time"
    return f"{format_day(start.date())}, {start:%H:%M} to {end:%H:%M} ({zone}, London)"


def _header_lines(agenda: Agenda) -> list[tuple[str, str]]:
    lines = [("Date", _when(agenda))]
    if agenda.location:
        lines.append(("Location", agenda.location))
    if agenda.online_url:
        lines.append(("Online", agenda.online_url))
    if agenda.chair:
        lines.append(("Chair", agenda.chair))
    return lines


def _note_blocks(notes: str) -> list[tuple[str, list[str]]]:
    """Notes split into paragraphs and bullet lists: [("p", [text]) | ("ul", [items])]."""
    blocks: list[tuple[str, list[str]]] = []
    for line in (notes or "").splitlines():
        text = line.strip()
        if not text:
            continue
        if text.startswith("- "):
            if blocks and blocks[-1][0] == "ul":
                blocks[-1][1].append(text[2:])
            else:
                blocks.append(("ul", [text[2:]]))
        else:
            blocks.append(("p", [text]))
    return blocks


def _title(agenda: Agenda) -> str:
    return agenda.network or agenda.title


def _total_line(agenda: Agenda) -> str:
    line = f"Total time: {agenda.total_minutes} minutes of {agenda.length_minutes}"
    if agenda.over_by:
        line += f" (over by {agenda.over_by} minutes)"
    return line


# --- HTML ---------------------------------------------------------------------------------

_CSS = """
body { font-family: 'Helvetica', 'Arial', sans-serif; font-size: 10.5pt; color: #111; }
.org { font-size: 9pt; color: #555; text-transform: uppercase; letter-spacing: 1px; }
h1 { font-size: 20pt; margin: 4px 0 2px 0; }
h2 { font-size: 13pt; margin: 18px 0 6px 0; border-bottom: 1px solid #999; }
.subtitle { font-size: 12pt; color: #333; margin: 0 0 10px 0; }
table.meta td { padding: 2px 10px 2px 0; vertical-align: top; }
table.items { border-collapse: collapse; width: 100%; }
table.items th { text-align: left; background: #e8e8e8; padding: 5px; font-size: 9.5pt; }
table.items td { padding: 6px 5px; vertical-align: top; border-bottom: 1px solid #ccc; }
.num { font-weight: bold; width: 28px; }
.item-title { font-weight: bold; }
.notes { color: #333; font-size: 9.5pt; margin: 3px 0 0 0; }
.time { white-space: nowrap; width: 90px; }
.total { margin-top: 8px; font-size: 9.5pt; }
.over { color: #b00020; font-weight: bold; }
.footer { margin-top: 24px; font-size: 8.5pt; color: #666; }
"""


def _html_item(item: ItemRow, start: datetime, end: datetime) -> str:
    e = html.escape
    parts = [f'<div class="item-title">{e(item.title)}</div>']
    for kind, texts in _note_blocks(item.notes):
        if kind == "p":
            parts.append(f'<p class="notes">{e(texts[0])}</p>')
        else:
            bullets = "".join(f"<li>{e(t)}</li>" for t in texts)
            parts.append(f'<ul class="notes">{bullets}</ul>')
    if item.paper_url:
        parts.append(
            f'<p class="notes">Paper: <a href="{e(item.paper_url)}">{e(item.paper_url)}</a></p>'
        )
    minutes = f"{item.minutes_allotted} min" if item.minutes_allotted else ""
    return (
        f'<tr><td class="num">{item.number}.</td><td>{"".join(parts)}</td>'
        f"<td>{e(item.presenter or '')}</td>"
        f'<td class="time">{start:%H:%M}&ndash;{end:%H:%M}<br/>{minutes}</td></tr>'
    )


def agenda_html(agenda: Agenda) -> str:
    """A complete HTML document of the agenda."""
    e = html.escape
    meta = "".join(
        f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in _header_lines(agenda)
    )
    rows = "".join(
        _html_item(i, s, t) for i, (s, t) in zip(agenda.items, agenda.timings(), strict=True)
    )
    total = e(_total_line(agenda))
    total_html = f'<span class="over">{total}</span>' if agenda.over_by else total
    papers = "".join(
        f'<li>Item {p.number}, {e(p.title)}: <a href="{e(url)}">{e(url)}</a></li>'
        for p in agenda.papers
        if (url := p.paper_url)  # every paper has one; this narrows the type
    )
    papers_html = f"<h2>Papers</h2><ol>{papers}</ol>" if papers else ""
    subtitle = e(agenda.title) if agenda.network and agenda.title != agenda.network else ""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"/>'
        f"<title>Agenda: {e(_title(agenda))}, {e(format_day(agenda.starts_at.date()))}</title>"
        f"<style>{_CSS}</style></head><body>"
        f'<div class="org">{ORGANISATION}</div><h1>{e(_title(agenda))}</h1>'
        + (f'<p class="subtitle">{subtitle}</p>' if subtitle else "")
        + f'<table class="meta">{meta}</table>'
        "<h2>Agenda</h2>"
        '<table class="items" width="100%" cellspacing="0" cellpadding="5">'
        '<tr><th width="6%">No.</th><th width="61%">Item</th><th width="19%">Presenter</th>'
        '<th width="14%">Time</th></tr>'
        f"{rows}</table>"
        f'<p class="total">{total_html}</p>'
        f"{papers_html}"
        f'<p class="footer">{e(_status_line(agenda))}</p>'
        "</body></html>\n"
    )


def _status_line(agenda: Agenda) -> str:
    kind = "Agenda" if agenda.status == "held" else "Draft agenda"
    return f"{kind} prepared on {format_day(today_in_london())}. {ORGANISATION}."


# --- Markdown -----------------------------------------------------------------------------


def _md(text: str) -> str:
    """Escape the characters Markdown would read as formatting."""
    for char in ("\\", "*", "_", "`", "[", "]", "#", "|", "<", ">"):
        text = text.replace(char, "\\" + char)
    return text


def agenda_markdown(agenda: Agenda) -> str:
    lines = [f"*{ORGANISATION}*", "", f"# {_md(_title(agenda))}", ""]
    if agenda.network and agenda.title != agenda.network:
        lines += [f"## {_md(agenda.title)}", ""]
    lines += [f"**{k}:** {_md(v)}  " for k, v in _header_lines(agenda)]
    lines += ["", "## Agenda", ""]
    for item, (start, end) in zip(agenda.items, agenda.timings(), strict=True):
        extras = [p for p in (item.presenter, f"{start:%H:%M}-{end:%H:%M}") if p]
        if item.minutes_allotted:
            extras.append(f"{item.minutes_allotted} min")
        lines.append(f"{item.number}. **{_md(item.title)}** ({_md(', '.join(extras))})")
        for kind, texts in _note_blocks(item.notes):
            lines += (
                [f"    - {_md(t)}" for t in texts] if kind == "ul" else [f"    {_md(texts[0])}", ""]
            )
        if item.paper_url:
            lines.append(f"    Paper: <{item.paper_url}>")
        lines.append("")
    lines += [f"*{_md(_total_line(agenda))}*", ""]
    if agenda.papers:
        lines += ["## Papers", ""]
        lines += [f"- Item {p.number}, {_md(p.title)}: <{p.paper_url}>" for p in agenda.papers]
        lines.append("")
    lines.append(f"_{_md(_status_line(agenda))}_")
    return "\n".join(lines) + "\n"


# --- files --------------------------------------------------------------------------------


def format_of(path: Path) -> str:
    """``HTML``, ``Markdown`` or ``PDF`` from the file's extension, or a plain-words error."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise UserError(
            f'Cannot tell the format of "{path.name}": end the name with .html, .md or .pdf.'
        )
    return kind


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` then rename: never a half-written file."""
    path = Path(path)
    if not path.parent.exists():
        raise UserError(f"The folder {path.parent} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_agenda_text(database: Database, meeting_id: int, path: Path) -> Path:
    """Write the agenda as HTML or Markdown (by extension)."""
    kind = format_of(Path(path))
    agenda = get_agenda(database, meeting_id)
    if kind == "PDF":
        raise UserError("PDF agendas are drawn by the app's PDF writer; use export_agenda_pdf.")
    text = agenda_html(agenda) if kind == "HTML" else agenda_markdown(agenda)
    write_atomically(Path(path), text.encode("utf-8"))
    return Path(path)
