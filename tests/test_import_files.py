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


def test_windows_1252_text_is_read_and_said(tmp_path):
    table = read_table(FIXTURES / "not_utf8.csv")  # "Café Créole" in cp1252
    assert table.rows[0].cells == ("Café Créole", "faith", "Hackney")
    assert any("read as Windows-1252" in note for note in table.notes)


def test_neither_utf8_nor_windows_1252_is_explained(tmp_path):
    # 0x81 and 0x8D are undefined in Windows-1252: this is no text a spreadsheet writes.
    path = _write(tmp_path, "x.csv", b"name,sector\nA\x81\x8d,faith\n")
    with pytest.raises(FileProblem) as error:
        read_table(path)
    assert "x.csv is not UTF-8 text" in str(error.value)
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
        ['\'=HYPERLINK("x")', "+44 20 7983 4000"],
        ["Café, Ltd", "line\nbreak"],
    ]
    assert read_table(path).rows[0].cells == ('=HYPERLINK("x")', "+44 20 7983 4000")
    assert not list(tmp_path.glob("*.partial"))


def test_written_workbook_is_read_back_by_openpyxl(tmp_path):
    """Text cells never run, so a workbook keeps every value as typed, with no apostrophe."""
    path = tmp_path / "out.xlsx"
    write_table(path, ["name", "notes"], [["-danger", "ok"], ["=1+1", "02079460019"]])
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    assert list(sheet.iter_rows(values_only=True)) == [
        ("name", "notes"),
        ("-danger", "ok"),
        ("=1+1", "02079460019"),
    ]
    cells = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(min_row=3))[0]
    assert [c.data_type for c in cells] == ["s", "s"]  # text, not a formula
    assert read_table(path).rows[1].cells == ("=1+1", "02079460019")
    assert read_table(path).notes == []


def test_unwritable_destination_is_a_plain_problem(tmp_path):
    with pytest.raises(FileProblem, match="Cannot write"):
        write_table(tmp_path / "no-such-folder" / "x.csv", ["a"], [])


# ---- what real spreadsheet programs write ------------------------------------------------
SHEETS = FIXTURES / "spreadsheets"


@pytest.mark.parametrize(
    "value",
    [
        "+44 20 7946 0018",
        "+44 (0)20 7946 0018",
        "-12.5",
        "+1",
        "-",
        "020 7946 0018",
        "07700 900123",
    ],
)
def test_phone_numbers_and_plain_numbers_are_left_as_typed(value):
    assert defuse(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        '+HYPERLINK("https://example.com","click me")',
        "-A1",
        "+44 20 7946 0018 ext. 12",  # letters: a spreadsheet could take it for a formula
    ],
)
def test_what_could_run_is_still_defused(value):
    assert defuse(value) == "'" + value
    assert undefuse(defuse(value)) == value


def test_an_old_export_with_defused_phone_numbers_still_reads_back(tmp_path):
    path = _write(tmp_path, "old.csv", b"name,phone\nA,'+44 20 7946 0018\n")
    assert read_table(path).rows[0].cells == ("A", "+44 20 7946 0018")


def test_semicolon_windows_1252_csv_from_a_spreadsheet_is_read():
    """LibreOffice's ';'-separated Windows-1252 text (what European Excel writes)."""
    table = read_table(SHEETS / "organisations-semicolon-cp1252.csv")
    assert table.headers == ("name", "sector", "borough", "phone", "notes")
    assert [r.cells for r in table.rows] == [
        ("Café Créole", "faith", "Hackney", "020 7946 0018", "Fund of £500; met twice, in May"),
        (
            "Naïve Arts Collective",
            "charity",
            "Southwark",
            "+44 20 7946 0019",
            "Zoë\u2019s group \u2013 \u201cyouth\u201d",
        ),
    ]
    notes = " ".join(table.notes)
    assert "semicolon-separated" in notes and "Windows-1252" in notes


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("name,sector,borough", ","),
        ("name;sector;borough", ";"),
        ("name\tsector\tborough", "\t"),
        ('"name; or title",sector,borough', ","),
        ("name", ","),
    ],
)
def test_the_separator_is_the_header_rows(tmp_path, header, delimiter):
    from vru_crm.io.tables import header_delimiter

    assert header_delimiter("\ufeff\n" + header + "\nA" + delimiter + "b\n") == delimiter


def test_utf8_semicolon_csv_with_bom(tmp_path):
    data = '\ufeffname;notes\r\nCafé;"a, b; c"\r\n'.encode()
    table = read_table(_write(tmp_path, "x.csv", data))
    assert [r.cells for r in table.rows] == [("Café", "a, b; c")]
    assert len(table.notes) == 1 and "semicolon" in table.notes[0]


def test_formula_cells_warn_and_import_what_the_spreadsheet_showed():
    """A LibreOffice workbook whose cells hold formulas: the shown values, and a warning."""
    table = read_table(SHEETS / "organisations-formulas-libreoffice.xlsx")
    assert [r.cells for r in table.rows] == [
        ("click me", "charity", "Hackney", "020 7946 0018", "planted link"),
        ("Peckham Parents", "grassroots", "Southwark", "+44 20 7946 0019", "met twice"),
        ("Youth Club", "grassroots", "Lambeth", "02079460020", "2"),
    ]
    (note,) = table.notes
    assert note.startswith("3 cells held formulas: the value the spreadsheet showed was imported")
    assert 'A2 =HYPERLINK("https://example.com/x","click me") (shown as \'click me\')' in note
    assert "E3 =CONCATENATE" in note and "E4 =1+1 (shown as '2')" in note


def test_a_workbook_without_formulas_has_no_warning(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["name", "notes"])
    book.active.append(["=not a formula, a text", "x"])
    book.active["A2"].data_type = "s"
    book.save(tmp_path / "x.xlsx")
    table = read_table(tmp_path / "x.xlsx")
    assert table.rows[0].cells == ("=not a formula, a text", "x") and table.notes == []


def test_the_import_report_says_how_the_files_were_read(sqlite_database):
    from vru_crm.io.importer import import_file
    from vru_crm.services import organisations as orgs

    report = import_file(
        sqlite_database, "organisations", SHEETS / "organisations-formulas-libreoffice.xlsx"
    )
    assert report.ok and report.imported == 3
    lines = "\n".join(report.lines())
    assert "3 cells held formulas" in lines and "(shown as 'click me')" in lines
    [found] = orgs.organisation_index(sqlite_database).find("click me", None, [])
    assert found.name == "click me"
    report = import_file(
        sqlite_database, "organisations", SHEETS / "organisations-semicolon-cp1252.csv"
    )
    assert report.ok and report.imported == 2, report.lines()
    lines = "\n".join(report.lines())
    assert "semicolon-separated" in lines and "Windows-1252" in lines
    [cafe] = orgs.organisation_index(sqlite_database).find("Café Créole", None, [])
    record = orgs.get_organisation(sqlite_database, cafe.id)
    assert record.notes == "Fund of £500; met twice, in May" and record.phone == "020 7946 0018"
