"""The report PDF never breaks a word across lines ("Statu s" in a narrow column)."""

from pypdf import PdfReader
from reports_fixture import TODAY, build

from ui.reports.pdf import write_pdf
from ui.reports.renderers import install
from vru_crm.reports.export import export_quarterly

HEADERS = ["Date", "Network", "Meeting", "Status", "Minutes", "Published", "Lateness"]


def _lines(path) -> list[str]:
    """The PDF's text, one cell or line of text a line (pypdf puts each table cell on its own)."""
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    return [" ".join(line.split()) for line in text.splitlines()]


def test_the_meetings_table_headers_are_whole_words(sqlite_database, qapp, tmp_path):
    install()
    build(sqlite_database)
    out = tmp_path / "q4.pdf"
    export_quarterly(sqlite_database, "2020Q4", out, today=TODAY)
    lines = _lines(out)
    start = lines.index("Date")
    assert lines[start : start + len(HEADERS)] == HEADERS


def test_many_narrow_columns_keep_their_words_whole_and_on_the_page(qapp, tmp_path):
    for columns in (12, 16):
        cells = "".join(f"<td>Status{i}</td>" for i in range(columns))
        html = (
            "<html><head><title>t</title></head><body>"
            f'<table width="100%" cellpadding="4"><tr>{cells}<td>{"word " * 200}</td></tr>'
            "</table></body></html>"
        )
        out = tmp_path / f"narrow-{columns}.pdf"
        write_pdf(html, {}, out)
        lines = _lines(out)
        assert lines[:columns] == [f"Status{i}" for i in range(columns)]
        assert lines[columns] == "word"  # the last column is drawn, not pushed off the page
