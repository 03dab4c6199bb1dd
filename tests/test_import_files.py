"""Reading files as users really send them: Excel's CSV quirks, workbooks, and broken files."""

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from vru_crm.io.tables import FileProblem, defuse, read_table, undefuse, write_table

FIXTURES = Path(__file__).parent / "fixtures"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_csv_with_or_without_bom_and_either_line_ending(tmp_path, bom, newline):
    body = newline.join(
        [b"name,notes", b'"Redthread, Youth","two', b'lines"', b"Caf\xc3\xa9,plain", b""]
    )
    table = read_table(_write(tmp_path, "x.csv", bom + body))
    assert table.headers == ("name", "notes")
    assert [r.cells for r in table.rows] == [
        ("Redthread, Youth", "two" + newline.decode() + "lines"),
        ("Café", "plain"),
    ]
    assert [r.number for r in table.rows] == [2, 3]


def test_blank_rows_are_skipped_but_row_numbers_stay_those_a_spreadsheet_shows(tmp_path):
    table = read_table(_write(tmp_path, "x.csv", b"name\n\nA\n,\nB\n"))
    assert [(r.number, r.cells[0]) for r in table.rows] == [(3, "A"), (5, "B")]


def test_fixture_from_excel_reads_cleanly():
    table = read_table(FIXTURES / "organisations.csv")
    assert table.headers[0] == "Name"  # trimmed; the BOM is gone
    assert len(table.rows) == 5
    assert table.rows[1].cells[6] == "Youth workers in A&E\r\nsince 2005"


def test_not_utf8_is_explained(tmp_path):
    with pytest.raises(FileProblem) as error:
        read_table(FIXTURES / "not_utf8.csv")
    assert "not_utf8.csv is not UTF-8 text" in str(error.value)
    assert "CSV UTF-8" in str(error.value)


def test_binary_file_is_not_a_csv(tmp_path):
    with pytest.raises(FileProblem, match="is not a CSV file"):
        read_table(_write(tmp_path, "x.csv", b"\x00\x01\x02binary"))


def test_workbook_saved_as_csv_name_is_not_a_csv(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["name"])
    book.save(tmp_path / "real.xlsx")
    disguised = _write(tmp_path, "x.csv", (tmp_path / "real.xlsx").read_bytes())
    with pytest.raises(FileProblem, match="looks like a binary file or a workbook"):
        read_table(disguised)


def test_text_file_named_xlsx_is_not_a_workbook():
    with pytest.raises(FileProblem) as error:
        read_table(FIXTURES / "text_pretending.xlsx")
    assert str(error.value).startswith(
        "text_pretending.xlsx is not an Excel workbook (.xlsx), or it is damaged"
    )


def test_truncated_workbook_is_damaged(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["name"])
    book.save(tmp_path / "real.xlsx")
    broken = _write(tmp_path, "broken.xlsx", (tmp_path / "real.xlsx").read_bytes()[:300])
    with pytest.raises(FileProblem, match="is not an Excel workbook"):
        read_table(broken)


def test_old_excel_format_is_named(tmp_path):
    with pytest.raises(FileProblem, match=r"old Excel format \(\.xls\)"):
        read_table(_write(tmp_path, "x.xls", b"whatever"))


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \n", b",,,\r\n"])
def test_empty_file_needs_a_header(tmp_path, data):
    with pytest.raises(FileProblem, match="x.csv is empty: it needs a header row"):
        read_table(_write(tmp_path, "x.csv", data))


def test_missing_file(tmp_path):
    with pytest.raises(FileProblem, match="does not exist"):
        read_table(tmp_path / "nope.csv")


def test_huge_cell_from_a_missing_quote_is_explained(tmp_path):
    data = b'name,notes\nA,"this quote never closes\n' + b"x" * 200_000 + b"\n"
    with pytest.raises(FileProblem) as error:
        read_table(_write(tmp_path, "x.csv", data))
    assert "A quote mark may be missing" in str(error.value)


def test_large_but_legal_cell_is_read(tmp_path):
    table = read_table(_write(tmp_path, "x.csv", b"name,notes\nA," + b"y" * 100_000 + b"\n"))
    assert len(table.rows[0].cells[1]) == 100_000


def test_workbook_cells_become_text_as_typed(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "People reached", "Notable", "Summary"])
    sheet.append([datetime(2019, 1, 14), 200, True, "  Community event  "])
    sheet.append([date(2019, 3, 6), 12.0, None, "Ofsted discussion"])
    sheet.append([None, None, None, None])
    book.save(tmp_path / "x.xlsx")
    table = read_table(tmp_path / "x.xlsx")
    assert table.headers == ("Date", "People reached", "Notable", "Summary")
    assert [r.cells for r in table.rows] == [
        ("2019-01-14", "200", "yes", "Community event"),
        ("2019-03-06", "12", "", "Ofsted discussion"),
    ]


def test_formula_defusing_round_trips_exactly():
    for value in [
        "=SUM(A1:A2)",
        "+44 20 7983 4000",
        "-3",
        "@user",
        "\tx",
        "plain",
        "'quoted already",
        "",
    ]:
        assert undefuse(defuse(value)) == value
    assert defuse("=1+1") == "'=1+1" and defuse("Hackney") == "Hackney"
    assert undefuse("'hello") == "'hello"  # only the apostrophe an export added is removed


def test_written_csv_is_read_back_by_the_csv_module_and_defused(tmp_path):
    path = tmp_path / "out.csv"
    write_table(
        path,
        ["name", "phone"],
        [['=HYPERLINK("x")', "+44 20 7983 4000"], ["Café, Ltd", "line\nbreak"]],
    )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["name", "phone"],
        ['\'=HYPERLINK("x")', "'+44 20 7983 4000"],
        ["Café, Ltd", "line\nbreak"],
    ]
    assert read_table(path).rows[0].cells == ('=HYPERLINK("x")', "+44 20 7983 4000")
    assert not list(tmp_path.glob("*.partial"))


def test_written_workbook_is_read_back_by_openpyxl(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, ["name", "notes"], [["-danger", "ok"]])
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    assert list(sheet.iter_rows(values_only=True)) == [("name", "notes"), ("'-danger", "ok")]


def test_unwritable_destination_is_a_plain_problem(tmp_path):
    with pytest.raises(FileProblem, match="Cannot write"):
        write_table(tmp_path / "no-such-folder" / "x.csv", ["a"], [])
