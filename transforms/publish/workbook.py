"""The XLSX copy of a list (transforms.publish.export): xlsxwriter writes the workbook, polars
renders its rows.

xlsxwriter writes one cell at a time in Python, about 20 µs a cell; nationally the lists
are about 4.5 M cells a night, a minute and a half of CPU. So xlsxwriter writes everything but
the rows (styles, the Excel table, column widths and formats, the frozen header, the
properties), and the rows and their shared strings are rendered set-based exactly as
xlsxwriter writes them, then put into the sheet after its header. The tests compare the
file, byte for byte, with xlsxwriter writing every cell (on the national lists too:
benchmarks/README.md)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_pixel_width
from xlsxwriter.worksheet import Worksheet

from schemas import exports as contract

# No string is ever turned into a formula, a number or a link. The parts are assembled
# in memory, not in temporary files (faster; the parts' dates in the archive are then
# 1 January 1980, not the 31st).
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False,
                    "strings_to_urls": False, "in_memory": True}
TABLE_STYLE = "Table Style Light 9"
FORMATS = {
    "text": {"valign": "vcenter", "text_wrap": True},
    "date": {"num_format": contract.XLSX_DATE_FORMAT, "valign": "vcenter"},
    "integer": {"num_format": "#,##0", "valign": "vcenter"},
}
SHEET_PART, STRINGS_PART = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"
TABLE_PART = "xl/tables/table1.xml"
# Excel's limit on a cell's text, in UTF-16 units (what xlsxwriter truncates to).
MAX_TEXT = 32_767
# Excel's day 1 is 1900-01-01, and it counts a 29 February 1900 that never was.
EXCEL_DAY_ZERO, EXCEL_PHANTOM_LEAP_DAY = date(1899, 12, 31), 60
# What XML cannot hold raw, written _xHHHH_ as Excel does; and a literal _xHHHH_ escaped.
CONTROL_CHARACTERS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20))]
ESCAPED_CONTROLS = [f"_x{ord(c):04X}_" for c in CONTROL_CHARACTERS]

HEADER_FORMAT = {"bold": True, "valign": "vcenter", "text_wrap": True}
# Printed as a unit reads it: A4 landscape at a scale that stays legible (a list of twenty
# columns fitted to the width of one page printed at a quarter of its size), the pages of
# a block of rows side by side before the next block, the header row and the person's
# columns (N° AGDREF, Clé personne: every list's first two) repeated on each page, the
# list's title, its date and the page number in the footer.
A4_PAPER = 9
PRINT_SCALE = 65  # per cent
REPEATED_COLUMNS = 2
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}  # inches
# A row of wrapped texts is as tall as its longest text's lines (Excel's 15 points a line
# of Calibri 11), estimated at CHARACTER_PIXELS a character: Calc does not work the
# heights out when it opens the file, and its rows stayed one line high over their texts.
LINE_POINTS, CHARACTER_PIXELS, MOST_LINES = 15, 7.0, 27  # 27 lines: Excel's 409 points
# Pixels around a cell's text, room for the header's filter button, and the widest column:
# a longer text (the source rows, the wordings of several points of attention) wraps
# within it, so that a list fitted to the page width stays legible.
CELL_PADDING, FILTER_BUTTON, WIDEST_COLUMN = 7, 16, 320
# The rules' wording in full (a sentence for each rule a flag cites, much the same on
# every row) is read in its cell when wanted: it does not set its row's height, which the
# columns read at a glance set. It made rows of 13 to 20 lines, two to a printed page.
READ_IN_THE_CELL = frozenset({contract.LABELS["rule_ids"][0]})


def column_widths(frame: pl.DataFrame) -> dict[str, int]:
    """Each column as wide as its longest text or its header, in pixels, measured as
    xlsxwriter's autofit does but on one value a column (the longest, found by polars):
    autofit measures every cell, a fifth of a workbook's time."""
    texts = [pl.col(name).cast(pl.String) for name in frame.columns]
    longest = frame.select(text.sort_by(text.str.len_chars(), descending=True,
                                        nulls_last=True).first() for text in texts).row(0)
    return {name: min(WIDEST_COLUMN, max(
        xl_pixel_width(contract.XLSX_DATE_FORMAT if dtype == pl.Date else value or ""),
        xl_pixel_width(name) + FILTER_BUTTON) + CELL_PADDING)
        for (name, dtype), value in zip(frame.schema.items(), longest, strict=True)}


def text_columns(frame: pl.DataFrame) -> list[str]:
    """The columns whose values are written as texts (shared strings)."""
    return [name for name, dtype in frame.schema.items() if dtype == pl.String]


def cell_kind(dtype: pl.DataType) -> str:
    """The kind of cell a column's values become (a key of FORMATS)."""
    if dtype == pl.String:
        return "text"
    if dtype == pl.Date:
        return "date"
    if dtype.is_integer():
        return "integer"
    raise TypeError(f"no XLSX cell is written for {dtype}")


@contextmanager
def sheet_for(frame: pl.DataFrame, path: Path, title: str, run_date: date,
              widths: dict[str, int], table_rows: int | None = None
              ) -> Iterator[tuple[Worksheet, list[Format]]]:
    """The workbook of a list, with everything but the rows: an Excel table over the
    header and `table_rows` rows (default: the frame's, at least one as Excel requires),
    each column's width and format, the header bold and frozen, the page set-up; yields
    the sheet and each column's format, to write the rows into before the workbook is
    closed."""
    with xlsxwriter.Workbook(path, WORKBOOK_OPTIONS) as workbook:
        # The run date, not the clock, as creation date: the same run, the same bytes.
        workbook.set_properties({"created": datetime.combine(run_date, time())})
        sheet = workbook.add_worksheet(title[:31])
        formats = [workbook.add_format(FORMATS[cell_kind(dtype)]) for dtype in frame.dtypes]
        header = workbook.add_format(HEADER_FORMAT)
        # An Excel table: its header row carries the filter buttons (autoFilter).
        sheet.add_table(0, 0, table_rows or max(frame.height, 1), frame.width - 1, {
            "style": TABLE_STYLE,
            "columns": [{"header": name, "format": cell_format, "header_format": header}
                        for name, cell_format in zip(frame.columns, formats, strict=True)]})
        for index, (width, cell_format) in enumerate(zip(
                widths.values(), formats, strict=True)):
            sheet.set_column_pixels(index, index, width, cell_format)
        sheet.freeze_panes(1, 0)
        set_up_pages(sheet, title, run_date)
        yield sheet, formats


def set_up_pages(sheet: Worksheet, title: str, run_date: date) -> None:
    """A4 landscape at PRINT_SCALE, pages across then down, the header row and the
    person's columns on every page, a footer naming the list, its date and the page."""
    sheet.set_paper(A4_PAPER)
    sheet.set_landscape()
    sheet.set_print_scale(PRINT_SCALE)
    sheet.print_across()
    sheet.repeat_rows(0)
    sheet.repeat_columns(0, REPEATED_COLUMNS - 1)
    sheet.set_margins(**MARGINS)
    sheet.set_footer(f"&L{title.replace('&', '&&')} du {run_date:%d/%m/%Y}"
                     "&RPage &P / &N")


def row_points(frame: pl.DataFrame, widths: dict[str, int]) -> pl.Series:
    """Each row's height in points where its texts wrap onto more than one line (null:
    one line, the sheet's default). A column narrower than WIDEST_COLUMN holds its
    longest text on one line (`widths`: `column_widths`); in the others a text takes
    about CHARACTER_PIXELS a character (6.5 on average in the lists, words kept whole),
    and a line break one line more. The columns READ_IN_THE_CELL do not count."""
    lines = [((pl.col(name).str.len_chars() * CHARACTER_PIXELS
               / (WIDEST_COLUMN - CELL_PADDING)).ceil().cast(pl.Int64)
              if widths[name] >= WIDEST_COLUMN else pl.lit(1, pl.Int64))
             + pl.col(name).str.count_matches("\n", literal=True).fill_null(0)
             for name in text_columns(frame) if name not in READ_IN_THE_CELL]
    most = pl.max_horizontal(*lines, pl.lit(1)).clip(upper_bound=MOST_LINES)
    return frame.select(pl.when(most > 1).then(most * LINE_POINTS).alias("points")
                        ).to_series()


def write_xlsx(frame: pl.DataFrame, path: Path, title: str, run_date: date) -> None:
    """The list as an XLSX workbook: identifiers stay text (leading zeros kept, which a
    CSV opened by double-click loses), dates are date cells, day counts numbers."""
    # The table is laid over one row, then stretched over the rows (TABLE_PART): xlsxwriter
    # checks every cell of a table's range for an overlap, a sixth of a workbook's time.
    widths = column_widths(frame)
    with sheet_for(frame, path, title, run_date, widths, table_rows=1):
        pass
    if frame.height:
        _insert_rows(path, frame, widths)


def write_xlsx_cell_by_cell(frame: pl.DataFrame, path: Path, title: str, run_date: date
                            ) -> None:
    """The same workbook with every cell written by xlsxwriter (`Worksheet.write`): the
    reference `write_xlsx` is checked against, byte for byte (tests, benchmarks)."""
    widths = column_widths(frame)
    with sheet_for(frame, path, title, run_date, widths) as (sheet, formats):
        for row, points in enumerate(row_points(fitted(frame, text_columns(frame)), widths),
                                     start=1):
            if points is not None:
                sheet.set_row(row, points)
        for row, values in enumerate(frame.iter_rows(), start=1):
            for column, value in enumerate(values):
                sheet.write(row, column, value, formats[column])


def _insert_rows(path: Path, frame: pl.DataFrame, widths: dict[str, int]) -> None:
    """Rewrite the header-only workbook with the rows in its sheet and their texts in its
    shared strings; every other part as xlsxwriter wrote it."""
    with zipfile.ZipFile(path) as written:
        parts = {info.filename: (info, written.read(info)) for info in written.infolist()}
    sheet, strings, table = (parts[name][1].decode()
                             for name in (SHEET_PART, STRINGS_PART, TABLE_PART))
    last_column = xl_col_to_name(frame.width - 1)
    header_only = f'<dimension ref="A1:{last_column}1"/>'
    if header_only not in sheet or sheet.count("</sheetData>") != 1:
        raise ValueError("the sheet xlsxwriter wrote is not the header-only sheet expected")
    one_row, all_rows = (f'ref="A1:{last_column}{n + 1}"' for n in (1, frame.height))
    if table.count(one_row) != 2:  # the table's and its filter's
        raise ValueError("the table xlsxwriter wrote is not over one row as expected")
    texts = text_columns(frame)
    cut = fitted(frame, texts)
    strings, indexed = _shared_strings(strings, cut, texts)
    rows = rendered_rows(indexed, _column_styles(sheet), shared=set(texts),
                         points=row_points(cut, widths))
    sheet = (sheet.replace(header_only, f'<dimension ref="A1:{last_column}{frame.height + 1}"/>')
             .replace("</sheetData>", rows + "</sheetData>"))
    rewritten = {SHEET_PART: sheet, STRINGS_PART: strings,
                 TABLE_PART: table.replace(one_row, all_rows)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as workbook:
        for name, (info, data) in parts.items():
            workbook.writestr(info, rewritten.get(name, data))


def _column_styles(sheet: str) -> dict[int, str]:
    """Each column's format index, as xlsxwriter gave it to the column (`<col min=..
    style=..>`): the format of its cells."""
    return {int(m["min"]) - 1: m["style"] for m in re.finditer(
        r'<col min="(?P<min>\d+)" max="\d+"[^>]* style="(?P<style>\d+)"', sheet)}


def _shared_strings(strings: str, frame: pl.DataFrame, texts: list[str]
                    ) -> tuple[str, pl.DataFrame]:
    """The shared strings part with the texts of the rows (`texts`: the text columns)
    added after the header's, each once in the order a reader meets them (row by row), as
    xlsxwriter adds them; and the frame with each text replaced by its index (an empty
    text: no cell value)."""
    headers = re.findall(r"<si>(.*?)</si>", strings)
    match = re.search(r' count="(\d+)" uniqueCount="(\d+)"', strings)
    if match is None or int(match[2]) != len(headers):
        raise ValueError("the shared strings xlsxwriter wrote are not the header's")
    cells = pl.concat([frame.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
                                    pl.lit(index, pl.UInt32).alias("column"),
                                    pl.col(name).alias("text"))
                       for index, name in enumerate(frame.columns) if name in texts]
                      or [pl.DataFrame(schema={"row": pl.UInt32, "column": pl.UInt32,
                                               "text": pl.String})]
                      ).filter(pl.col("text") != "").sort("row", "column")
    # The header's texts first (they are indices 0 to len(headers) - 1).
    table = pl.concat([pl.DataFrame({"text": list(frame.columns)}), cells.select("text")]
                      ).unique(maintain_order=True).with_row_index("index")
    added = table.slice(len(headers)).select(text=_escaped(pl.col("text"))).select(
        pl.concat_str([pl.lit("<si><t"), _preserved(pl.col("text")), pl.lit(">"),
                       pl.col("text"), pl.lit("</t></si>")]).str.join("")).item()
    strings = (strings.replace(match[0], f' count="{int(match[1]) + cells.height}" '
                                         f'uniqueCount="{table.height}"', 1)
               .replace("</sst>", added + "</sst>"))
    indexed = frame.with_columns(pl.col(name).replace_strict(
        table["text"], table["index"], default=None, return_dtype=pl.UInt32)
        for name in texts)
    return strings, indexed


def rendered_rows(frame: pl.DataFrame, styles: dict[int, str], shared: set[str],
                  points: pl.Series | None = None) -> str:
    """The `<row>` elements of the frame's rows (sheet rows 2 onwards), as xlsxwriter
    writes them: the `shared` columns hold shared string indices, the others numbers or
    dates; `styles`: each column's format index; `points`: each row's height (null: the
    default), as `Worksheet.set_row` writes it."""
    row = pl.int_range(2, pl.len() + 2, dtype=pl.Int64).cast(pl.String)
    cells = [_cell(pl.col(name), dtype, name in shared, xl_col_to_name(index),
                   styles[index], row)
             for index, (name, dtype) in enumerate(frame.schema.items())]
    height = pl.lit("")
    if points is not None:
        height = pl.when(points.is_not_null()).then(pl.concat_str([
            pl.lit(' ht="'), pl.lit(points).cast(pl.String), pl.lit('" customHeight="1"')])
        ).otherwise(pl.lit(""))
    xml = pl.concat_str([pl.lit('<row r="'), row, pl.lit(f'" spans="1:{frame.width}"'),
                         height, pl.lit(">"), *cells, pl.lit("</row>")])
    return frame.select(xml.str.join("")).item()


def _cell(column: pl.Expr, dtype: pl.DataType, text: bool, letter: str, style: str,
          row: pl.Expr) -> pl.Expr:
    start = pl.concat_str([pl.lit(f'<c r="{letter}'), row, pl.lit(f'" s="{style}"')])
    number = column
    if dtype == pl.Date:
        days = (column - pl.lit(EXCEL_DAY_ZERO)).dt.total_days()
        number = pl.when(days >= EXCEL_PHANTOM_LEAP_DAY).then(days + 1).otherwise(days)
    value = pl.concat_str([start, pl.lit(' t="s"><v>' if text else "><v>"),
                           number.cast(pl.String), pl.lit("</v></c>")])
    # A cell without a value keeps its format (as xlsxwriter writes a blank cell).
    return pl.when(column.is_null()).then(pl.concat_str([start, pl.lit("/>")])
                                          ).otherwise(value)


def _preserved(text: pl.Expr) -> pl.Expr:
    """The attribute that keeps a text's leading or trailing white space."""
    return pl.when(text.str.contains(r"^\s|\s$")).then(
        pl.lit(' xml:space="preserve"')).otherwise(pl.lit(""))


def _escaped(text: pl.Expr) -> pl.Expr:
    """A text as XML character data, as xlsxwriter writes a shared string: control
    characters as _xHHHH_ (a literal _xHHHH_ escaped too), & < > as entities."""
    return (text.str.replace_all(r"(_x[0-9a-fA-F]{4}_)", "_x005F${1}")
            .str.replace_many(CONTROL_CHARACTERS, ESCAPED_CONTROLS)
            .str.replace_all("&", "&amp;", literal=True)
            .str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True))


def fitted(frame: pl.DataFrame, texts: list[str]) -> pl.DataFrame:
    """Texts (`texts`: the text columns) longer than a cell holds cut where xlsxwriter
    cuts them (in UTF-16 units: a character beyond the BMP counts twice). Never seen in
    these lists, but never written as a cell Excel would refuse to open."""
    utf16_lengths = frame.select(
        (pl.col(name).str.len_chars() + pl.col(name).str.count_matches(
            r"[\x{10000}-\x{10FFFF}]")).max() for name in texts).row(0) if texts else ()
    too_long = [name for name, length in zip(texts, utf16_lengths, strict=True)
                if (length or 0) > MAX_TEXT]
    return frame.with_columns(pl.col(name).map_elements(_utf16_cut, pl.String)
                              for name in too_long)


def _utf16_cut(text: str) -> str:
    return text.encode("utf-16-le")[:2 * MAX_TEXT].decode("utf-16-le", errors="ignore")
