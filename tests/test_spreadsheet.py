"""The exports opened the way a prefecture unit opens them: LibreOffice Calc (headless,
French locale) reads the CSV and the cells are read back from what it saved."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

import fastexcel
import polars as pl

from schemas import codes
from schemas import exports as contract
from tests.conftest import SAMPLE_AS_OF, desktop_tool
from transforms.publish import export

# CSV import options of LibreOffice: separator ';' (59), quote '"' (34), UTF-8 (76),
# from line 1, default column types, French (1036), quoted text as text, detect dates.
FRENCH_CSV_IMPORT = "CSV:59,34,76,1,,1036,false,true"


def open_in_calc(soffice: str, csv_path, out_dir, profile) -> pl.DataFrame:
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
         f"--infilter={FRENCH_CSV_IMPORT}", "--convert-to", "xlsx", "--outdir", str(out_dir),
         str(csv_path)],
        check=True, capture_output=True, timeout=180)
    saved = out_dir / csv_path.with_suffix(".xlsx").name
    return fastexcel.read_excel(saved).load_sheet(0).to_polars()


def test_calc_reads_dates_as_dates_accents_intact_one_column_per_field(
        sample_warehouse, tmp_path):
    soffice = desktop_tool("soffice")
    lists = export.load_lists(sample_warehouse)
    department = export.export_departments(sample_warehouse)[0]
    # A planted attack on each list's first row: it must come back as text, not a result.
    def first_row(name: str) -> pl.Expr:
        key = pl.col("alert_id" if name == codes.LEGAL_ALERTS else "flag_id")
        return key == key.filter(pl.col("department") == department).min()

    lists = {name: frame.with_columns(
        pl.when(first_row(name))
        .then(pl.lit(["=1+1", "@SUM(1;2)"])).otherwise(pl.col("source_rows"))
        .alias("source_rows"))
        for name, frame in lists.items() if "source_rows" in frame.columns}  # not handovers
    export.write_department(lists, department, tmp_path / "out", SAMPLE_AS_OF)
    for worklist, date_column in ((codes.REJECTED, "Date de connaissance"),
                                  (codes.RELEASES, "Libération prévisible"),
                                  (codes.MEASURES, "Exécutoire depuis"),
                                  (codes.LEGAL_ALERTS, "Date de l'événement")):
        csv_path = tmp_path / "out" / contract.FILE_NAME.format(worklist=worklist,
                                                                day=SAMPLE_AS_OF)
        sheet = open_in_calc(soffice, csv_path, tmp_path / "calc", tmp_path / "profile")
        expected = lists[worklist].filter(pl.col("department") == department)
        assert sheet.columns == contract.headers(worklist)  # accents, one column per field
        assert sheet.height == expected.height > 0
        assert sheet.schema[date_column] in (pl.Datetime("ms"), pl.Date)
        first_seen = sheet["Première apparition"].to_list()
        assert all(isinstance(v, datetime | date) for v in first_seen)
        # A spreadsheet reads "13" as the number 13 (hence the .xlsx copy for identifiers).
        read_back = {f"{v:02.0f}" if isinstance(v, float) else v for v in sheet["Département"]}
        assert read_back == {department}
        planted = sheet["Lignes sources"].to_list()
        assert "'=1+1 | @SUM(1;2)" in planted  # kept as text, never computed


def test_xlsx_copy_keeps_leading_zeros_and_dates(sample_warehouse, tmp_path):
    lists = export.load_lists(sample_warehouse)
    lists[codes.MEASURES] = lists[codes.MEASURES].with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("0012345678"))
        .otherwise(pl.col("num_agdref")).alias("num_agdref"))
    department = lists[codes.MEASURES]["department"][0]
    export.write_department(lists, department, tmp_path, SAMPLE_AS_OF)
    name = contract.FILE_NAME.format(worklist=codes.MEASURES, day=SAMPLE_AS_OF)
    sheet = fastexcel.read_excel(tmp_path / name.replace(".csv", ".xlsx")).load_sheet(0)
    frame = sheet.to_polars()
    assert "0012345678" in frame["N° AGDREF"].to_list()
    assert frame.schema["Exécutoire depuis"] in (pl.Datetime("ms"), pl.Date)
    assert frame.height == lists[codes.MEASURES].filter(
        pl.col("department") == department).height


def test_calc_opens_the_xlsx_copy_and_reads_every_cell(sample_warehouse, tmp_path):
    """The workbook's rows are rendered without xlsxwriter (transforms.publish.workbook): the
    spreadsheet a unit opens must read every cell of every list as written."""
    soffice = desktop_tool("soffice")
    lists = export.load_lists(sample_warehouse)
    department = export.export_departments(sample_warehouse)[0]
    export.write_department(lists, department, tmp_path / "out", SAMPLE_AS_OF)
    for worklist in codes.WORKLISTS:
        written = (tmp_path / "out" / contract.FILE_NAME.format(
            worklist=worklist, day=SAMPLE_AS_OF)).with_suffix(".xlsx")
        subprocess.run(
            [soffice, "--headless", "--norestore",
             f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to", "xlsx",
             "--outdir", str(tmp_path / "calc"), str(written)],
            check=True, capture_output=True, timeout=180)
        saved = fastexcel.read_excel(tmp_path / "calc" / written.name).load_sheet(0)
        ours = fastexcel.read_excel(written).load_sheet(0)
        expected = export.export_frame(
            lists[worklist].filter(pl.col("department") == department), worklist,
            SAMPLE_AS_OF, typed=True)
        assert ours.height == saved.height == expected.height > 0
        assert saved.to_polars().equals(ours.to_polars())
        read = saved.to_polars()
        assert read.columns == expected.columns
        for name, dtype in expected.schema.items():
            if dtype == pl.String:  # an empty text is an empty cell
                assert read[name].to_list() == [v or None for v in expected[name]], name


def written_xlsx(warehouse, worklist: str, tmp_path):
    """The night's lists, the first department, and its `worklist` written as XLSX."""
    lists = export.load_lists(warehouse)
    department = export.export_departments(warehouse)[0]
    export.write_department(lists, department, tmp_path / "out", SAMPLE_AS_OF)
    return lists, department, (tmp_path / "out" / contract.FILE_NAME.format(
        worklist=worklist, day=SAMPLE_AS_OF)).with_suffix(".xlsx")


def calc_resaves(soffice: str, written, out_dir, profile) -> dict[str, str]:
    """The parts of the workbook Calc saves after opening `written`: what it understood."""
    import zipfile

    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
         "--convert-to", "xlsx", "--outdir", str(out_dir), str(written)],
        check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(out_dir / written.name) as saved:
        return {name: saved.read(name).decode() for name in saved.namelist()
                if name.endswith(".xml")}


def test_calc_prints_the_list_legibly_with_its_header_and_the_persons_columns(
        sample_warehouse, tmp_path):
    """What a unit prints and filters: Calc reads the labels in French, an autofilter on
    the header, a bold header, A4 landscape at 65 % (not a whole list shrunk to the width
    of one page), pages across first, the header row and the person's columns repeated on
    every page (the frozen header is the file's view: tests/test_workbook.py)."""
    import re

    soffice = desktop_tool("soffice")
    lists, department, written = written_xlsx(sample_warehouse, codes.RELEASES, tmp_path)
    parts = calc_resaves(soffice, written, tmp_path / "calc", tmp_path / "profile")
    sheet = parts["xl/worksheets/sheet1.xml"]
    setup = re.search(r"<pageSetup [^>]*>", sheet)[0]
    assert 'orientation="landscape"' in setup and 'paperSize="9"' in setup
    assert 'scale="65"' in setup and 'pageOrder="overThenDown"' in setup
    assert not re.search(r'<pageSetUpPr fitToPage="(true|1)"/>', sheet)
    assert re.search(r'name="_xlnm.Print_Titles"[^>]*>[^<]*\$A:\$B,[^<]*\$1:\$1</definedName>',
                     parts["xl/workbook.xml"])
    filters = "".join(text for name, text in parts.items() if "table" in name) + sheet
    rows = lists[codes.RELEASES].filter(pl.col("department") == department).height
    assert re.search(rf'<autoFilter ref="A1:[A-Z]+{rows + 1}"', filters)
    header_style = int(re.search(r'<c r="A1" s="(\d+)"', sheet)[1])
    styles = parts["xl/styles.xml"]
    font = int(re.findall(r"<xf [^>]*fontId=\"(\d+)\"",
                          re.search(r"<cellXfs.*?</cellXfs>", styles)[0])[header_style])
    assert "<b" in re.findall(r"<font>.*?</font>", re.search(r"<fonts.*?</fonts>",
                                                             styles)[0])[font]
    read = fastexcel.read_excel(tmp_path / "calc" / written.name).load_sheet(0).to_polars()
    assert read.columns == contract.headers(codes.RELEASES)
    words = {code: text[:1].upper() + text[1:] for code, text in contract.REASONS_FR.items()}
    assert read["Situation (en clair)"].to_list() == [words[c] for c in read["Situation"]]


def pdf_pages(soffice: str, written, out_dir, profile) -> int:
    """The pages Calc prints of a workbook (its PDF export)."""
    import re

    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
         "--convert-to", "pdf", "--outdir", str(out_dir), str(written)],
        check=True, capture_output=True, timeout=180)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", (out_dir / written.with_suffix(
        ".pdf").name).read_bytes()))


def test_calc_prints_a_wide_list_on_pages_across_not_shrunk_onto_one(sample_warehouse,
                                                                       tmp_path):
    """The list's twenty columns fitted to the width of one page printed at a quarter of
    their size, on one page: now they take several pages across."""
    from transforms.publish import workbook

    soffice = desktop_tool("soffice")
    *_, written = written_xlsx(sample_warehouse, codes.REJECTED, tmp_path)
    pages = pdf_pages(soffice, written, tmp_path / "pdf", tmp_path / "profile")
    assert pages >= 2
    frame = fastexcel.read_excel(written).load_sheet(0).to_polars()
    widths = sum(workbook.column_widths(frame.cast(pl.String)).values())
    across = widths * workbook.PRINT_SCALE / 100 / printed_width()
    assert across > 2  # the page set-up's scale prints the columns on over two pages


def printed_width() -> float:
    """What an A4 landscape page (11.69 inches) holds between its margins, in pixels on
    screen (96 an inch)."""
    from transforms.publish import workbook

    return (11.69 - workbook.MARGINS["left"] - workbook.MARGINS["right"]) * 96


def test_calc_prints_several_rows_a_page_the_rules_wording_read_in_its_cell(sample_warehouse,
                                                                          tmp_path):
    """The rules' wording in full (some 600 characters on a detainee's row) set each row's
    height: rows of 13 to 20 lines, two to a printed page, 70 pages for the sample's 45
    detainees. It is now read in its cell; the other columns set the rows' heights."""
    import math

    from transforms.publish import workbook

    soffice = desktop_tool("soffice")
    *_, written = written_xlsx(sample_warehouse, codes.RELEASES, tmp_path)
    frame = fastexcel.read_excel(written).load_sheet(0).to_polars().cast(pl.String)
    wording = contract.LABELS["rule_ids"][0]
    assert frame[wording].str.len_chars().max() > 500  # long enough to have set heights
    pages = pdf_pages(soffice, written, tmp_path / "pdf", tmp_path / "profile")
    widths = workbook.column_widths(frame)
    page_width = printed_width() * 100 / workbook.PRINT_SCALE  # the sheet's pixels
    repeated = sum(list(widths.values())[:workbook.REPEATED_COLUMNS])
    across = math.ceil((sum(widths.values()) - repeated) / (page_width - repeated))
    rows_a_page = frame.height / (pages / across)
    assert rows_a_page >= 8, (pages, across, frame.height)
