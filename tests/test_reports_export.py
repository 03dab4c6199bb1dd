"""The quarterly report's files, read back by independent parsers: HTML, PDF (pypdf), CSV."""

import csv
import io
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from reports_fixture import TODAY, build

import main as entry
from ui.reports.renderers import install
from vru_crm.reports.export import export_quarterly


class _Page(HTMLParser):
    """Collects the visible text, the headings and the images of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.headings: list[str] = []
        self.images: list[str] = []
        self._tag: str | None = None

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_data(self, data):
        self.text.append(data)
        if self._tag in ("h1", "h2"):
            self.headings.append(data.strip())


def _parse(path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture
def loaded(database, qapp):
    install()
    build(database)
    return database


def _csv_values(path) -> dict[tuple[str, str, str], str]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return {(r["section"], r["item"], r["measure"]): r["value"] for r in rows}


def test_html_report_has_the_sections_figures_and_embedded_charts(loaded, tmp_path):
    out = tmp_path / "q4.html"
    result = export_quarterly(loaded, "2020Q4", out, today=TODAY)
    page = _parse(out)
    text = " ".join(" ".join(page.text).split())
    assert "2020 Q4 (Oct-Dec 2020)" in page.headings
    for heading in ("Key figures", "Boroughs reached", "Objectives", "Meetings held and minutes published",
                    "Open actions and recommendations"):  # fmt: skip
        assert heading in page.headings
    assert "People reached 138 51 +87" in text  # this quarter, previous quarter, change
    assert "3 of 33 local authorities reached, 3 of the 16 priority boroughs" in text
    assert "3 open actions (2 overdue); 3 open recommendations (2 overdue)" in text
    assert len(page.images) == 4 and all(
        src.startswith("data:image/png;base64,") for src in page.images
    )
    assert result.charts == 4 and result.engagements == 5


def test_pdf_report_pages_and_text(loaded, tmp_path):
    out = tmp_path / "q4.pdf"
    result = export_quarterly(loaded, "2020Q4", out, today=TODAY)
    reader = PdfReader(out)
    assert len(reader.pages) == result.pages >= 2
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Quarterly engagement and governance report" in text
    assert "2020 Q4 (Oct-Dec 2020)" in text
    assert f"page 1 of {result.pages}" in text
    assert "Partnership Reference Group" in text and "Hackney" in text
    assert any(p.images for p in reader.pages)  # the charts are in


def test_csv_report_values(loaded, tmp_path):
    out = tmp_path / "q4.csv"
    export_quarterly(loaded, "2020Q4", out, today=TODAY)
    values = _csv_values(out)
    assert values[("report", "Quarterly engagement and governance report", "quarter")] == "2020Q4"
    assert values[("totals", "this_quarter", "engagements")] == "5"
    assert values[("totals", "this_quarter", "people_reached")] == "138"
    assert values[("totals", "previous_quarter", "engagements")] == "2"
    assert values[("boroughs", "Lambeth", "people_reached")] == "120"
    assert values[("boroughs", "Bexley", "engagements")] == "0"
    assert values[("objectives", "3. Young people leading change", "engagements")] == "2"
    assert values[("governance", "recommendations", "overdue")] == "2"


def test_an_empty_quarter_renders_honestly_in_every_format(loaded, tmp_path):
    for suffix in ("html", "csv", "pdf"):
        export_quarterly(loaded, "2012Q2", tmp_path / f"empty.{suffix}", today=TODAY)
    text = " ".join(_parse(tmp_path / "empty.html").text)
    assert "No engagements in this quarter." in text
    values = _csv_values(tmp_path / "empty.csv")
    assert values[("totals", "this_quarter", "engagements")] == "0"
    assert (
        values[("report", "Quarterly engagement and governance report", "note")]
        == "no engagements in this quarter"
    )
    pdf_text = " ".join(PdfReader(tmp_path / "empty.pdf").pages[0].extract_text().split())
    assert "No engagements in this quarter." in pdf_text


def test_command_line_writes_the_report_and_refuses_bad_input(db_url, tmp_path, capsys, qapp):
    out = tmp_path / "report.pdf"
    assert (
        entry.main(["--db", db_url, "report", "quarterly", "--quarter", "2020Q4", "-o", str(out)])
        == 0
    )
    assert "2020 Q4" in capsys.readouterr().out and len(PdfReader(out).pages) >= 1
    assert (
        entry.main(["--db", db_url, "report", "quarterly", "--quarter", "2020Q5", "-o", str(out)])
        == 2
    )
    assert "2020Q4" in capsys.readouterr().err  # tells how to write a quarter
    assert (
        entry.main(["--db", db_url, "report", "quarterly", "--quarter", "2020Q4", "-o", "x.docx"])
        == 2
    )
    assert not (tmp_path / "x.docx").exists()
