"""The XLSX copy of a list: the rows rendered by polars are the bytes xlsxwriter writes
cell by cell, and a spreadsheet reads them back as written."""

from __future__ import annotations

import zipfile
from datetime import date
from xml.etree import ElementTree

import fastexcel
import polars as pl

from schemas import exports as contract
from transforms.publish import workbook

RUN_DATE = date(2026, 11, 17)

TRICKY = pl.DataFrame({
    "Identifiant": ["0012345678", "A & B <c> d", "  leading", "trailing ", "tab\there",
                    "bell\x07and\x1f", "_x0041_ stays", "émoji 😀 ok", "", None, "=1+1",
                    "http://example.invalid", "12", "x" * 40_000, "😀" * 20_000],
    "Depuis": [date(2026, 11, 17), None, date(1900, 2, 28), date(1900, 3, 1),
               date(2099, 12, 31), *[date(2024, 2, 29)] * 10],
    "Jours": [0, -5, None, 1459, 2**31 - 1, *range(10)],
    "Rang": [None, *range(14)],
}, schema={"Identifiant": pl.String, "Depuis": pl.Date, "Jours": pl.Int32,
           "Rang": pl.UInt32})


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as written:
        return {info.filename: written.read(info) for info in written.infolist()}


def test_rows_are_the_bytes_xlsxwriter_writes_cell_by_cell(tmp_path):
    workbook.write_xlsx(TRICKY, tmp_path / "fast.xlsx", "Liste", RUN_DATE)
    workbook.write_xlsx_cell_by_cell(TRICKY, tmp_path / "reference.xlsx", "Liste", RUN_DATE)
    fast, reference = parts(tmp_path / "fast.xlsx"), parts(tmp_path / "reference.xlsx")
    assert list(fast) == list(reference)
    different = [name for name in fast if fast[name] != reference[name]]
    assert different == []
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "reference.xlsx").read_bytes()
    sheet = fast[workbook.SHEET_PART].decode()
    assert sheet.count("<row ") == TRICKY.height + 1
    ElementTree.fromstring(fast[workbook.SHEET_PART])  # well-formed XML
    strings = fast[workbook.STRINGS_PART].decode()
    assert "_x0007_" in strings and "_x005F_x0041_" in strings and "&amp; B &lt;c&gt;" in strings


def test_a_spreadsheet_reads_back_every_value(tmp_path):
    path = tmp_path / "list.xlsx"
    workbook.write_xlsx(TRICKY.slice(0, 13), path, "Liste", RUN_DATE)
    read = fastexcel.read_excel(path).load_sheet(0, dtypes={"Identifiant": "string"}
                                                 ).to_polars()
    expected = TRICKY.slice(0, 13)
    assert read.columns == expected.columns
    # An empty text is an empty cell; dates are date cells, day counts numbers.
    assert read["Identifiant"].to_list() == [v or None for v in expected["Identifiant"]]
    assert [v and v.date() if hasattr(v, "date") else v for v in read["Depuis"]] == \
        expected["Depuis"].to_list()
    assert read["Jours"].to_list() == expected["Jours"].cast(pl.Float64).to_list()


def test_a_text_longer_than_a_cell_is_cut_where_xlsxwriter_cuts_it():
    long = TRICKY.slice(13, 2)
    assert workbook.text_columns(long) == ["Identifiant"]
    cut = workbook.fitted(long, workbook.text_columns(long))["Identifiant"].to_list()
    assert cut[0] == "x" * workbook.MAX_TEXT
    assert cut[1] == "😀" * (workbook.MAX_TEXT // 2)  # a pair is never split


def test_an_empty_list_is_a_table_with_its_header(tmp_path):
    path = tmp_path / "empty.xlsx"
    workbook.write_xlsx(TRICKY.clear(), path, "Liste", RUN_DATE)
    sheet = fastexcel.read_excel(path).load_sheet(0)
    assert sheet.to_polars().columns == TRICKY.columns and sheet.height == 0
    table = parts(path)["xl/tables/table1.xml"].decode()
    assert 'ref="A1:D2"' in table  # Excel requires a table to have a row


def test_a_column_of_another_type_is_refused():
    try:
        workbook.cell_kind(pl.Float64)
    except TypeError as error:
        assert "Float64" in str(error)
    else:
        raise AssertionError("a float column must not be written silently")


def test_xlsx_columns_fit_their_longest_text_and_header():
    from xlsxwriter.utility import xl_pixel_width

    frame = pl.DataFrame({"Numéro AGDREF": ["0123456789", None, "01"],
                          "Motifs": ["OQ-01", "OQ-01|OQ-04|OQ-08", None],
                          "Date": [date(2026, 1, 2), None, None],
                          "Lignes sources": ["x" * 400, "y", None]})
    widths = workbook.column_widths(frame)
    padding = workbook.CELL_PADDING
    assert widths["Numéro AGDREF"] == (xl_pixel_width("Numéro AGDREF") + workbook.FILTER_BUTTON
                                       + padding)  # the header is wider than the numbers
    assert widths["Motifs"] == xl_pixel_width("OQ-01|OQ-04|OQ-08") + padding
    assert widths["Date"] >= xl_pixel_width(contract.XLSX_DATE_FORMAT) + padding
    assert widths["Lignes sources"] == workbook.WIDEST_COLUMN
    empty = workbook.column_widths(frame.clear())
    assert empty["Date"] == widths["Date"]
    assert {name: empty[name] for name in ("Numéro AGDREF", "Motifs", "Lignes sources")} == {
        name: xl_pixel_width(name) + workbook.FILTER_BUTTON + padding
        for name in ("Numéro AGDREF", "Motifs", "Lignes sources")}


def test_the_header_is_bold_frozen_filtered_and_printed_on_every_page(tmp_path):
    workbook.write_xlsx(TRICKY.slice(0, 3), tmp_path / "list.xlsx", "Liste", RUN_DATE)
    written = parts(tmp_path / "list.xlsx")
    sheet = written[workbook.SHEET_PART].decode()
    assert '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' in sheet
    # A4 landscape at a legible scale, not shrunk to the width of one page; pages across
    # first; the header row and the person's two columns on every page; a footer.
    assert ('<pageSetup paperSize="9" scale="65" pageOrder="overThenDown" '
            'orientation="landscape"/>') in sheet
    assert "fitToPage" not in sheet
    assert "Liste!$A:$B,Liste!$1:$1</definedName>" in written["xl/workbook.xml"].decode()
    assert ("<oddFooter>&amp;LListe du 17/11/2026&amp;RPage &amp;P / &amp;N</oddFooter>"
            in sheet)
    assert '<autoFilter ref="A1:D4"/>' in written[workbook.TABLE_PART].decode()
    header_style = int(sheet.split('<c r="A1" s="')[1].split('"')[0])
    styles = written["xl/styles.xml"].decode()
    xfs = styles.split("<cellXfs")[1].split("</cellXfs>")[0].split("<xf ")[1:]
    font = int(xfs[header_style].split('fontId="')[1].split('"')[0])
    assert "<b/>" in styles.split("<fonts")[1].split("</fonts>")[0].split("<font>")[1:][font]


def test_a_row_is_as_tall_as_its_longest_wrapped_text():
    """Calc keeps rows one line high over wrapped texts: each row's height is written.
    Only a column at WIDEST_COLUMN wraps; a line break adds a line."""
    sentence = "Rejet définitif : les documents peuvent être demandés à l'OFPRA " * 3
    frame = pl.DataFrame({"Clé": ["1", "2", "3", "4"],
                          "Points": ["court", sentence, "a\nb\nc", None],
                          "Jours": [1, 2, 3, 4]})
    assert workbook.column_widths(frame)["Points"] == workbook.WIDEST_COLUMN
    lines = -(-len(sentence) * workbook.CHARACTER_PIXELS
              // (workbook.WIDEST_COLUMN - workbook.CELL_PADDING))
    assert lines > 1
    def points(rows: pl.DataFrame) -> list:
        return workbook.row_points(rows, workbook.column_widths(rows)).to_list()

    assert points(frame) == [None, lines * 15, 45, None]
    # A narrower column holds its longest text on one line: no height written.
    short = frame.with_columns(pl.lit("court").alias("Points"))
    assert points(short) == [None] * 4
    huge = frame.with_columns(pl.lit("x " * 20_000).alias("Points"))
    assert set(points(huge)) == {409 - 409 % 15}  # Excel's tallest row


def test_row_heights_are_written_as_xlsxwriter_writes_them(tmp_path):
    sentence = "Ne jamais saisir les autorités consulaires au sujet de cette personne " * 2
    frame = pl.DataFrame({"Clé": ["1", "2"], "Points": ["court", sentence]})
    workbook.write_xlsx(frame, tmp_path / "fast.xlsx", "Liste", RUN_DATE)
    workbook.write_xlsx_cell_by_cell(frame, tmp_path / "reference.xlsx", "Liste", RUN_DATE)
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "reference.xlsx").read_bytes()
    sheet = parts(tmp_path / "fast.xlsx")[workbook.SHEET_PART].decode()
    assert '<row r="2" spans="1:2">' in sheet
    lines = -(-len(sentence) * workbook.CHARACTER_PIXELS
              // (workbook.WIDEST_COLUMN - workbook.CELL_PADDING))
    assert f'<row r="3" spans="1:2" ht="{15 * lines:g}" customHeight="1">' in sheet


def test_the_rules_wording_does_not_set_a_row_s_height():
    """Read in its cell (READ_IN_THE_CELL): a row tall only for it is one line high; a
    long text in another column still sets the height."""
    wording = contract.LABELS["rule_ids"][0]
    long_text = "Ne jamais saisir les autorités consulaires au sujet de cette personne " * 6
    frame = pl.DataFrame({"Clé": ["1", "2"], wording: [long_text, long_text],
                          "Points": ["court", long_text]})
    widths = workbook.column_widths(frame)
    assert widths[wording] == widths["Points"] == workbook.WIDEST_COLUMN
    heights = workbook.row_points(frame, widths).to_list()
    assert heights[0] is None and heights[1] > 3 * workbook.LINE_POINTS
