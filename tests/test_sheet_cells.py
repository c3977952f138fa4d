"""A GENESIS list sent as a workbook is read as its CSV would be (CONTRACTS §1: "empty
field = unknown"; DESIGN: every row staged or quarantined with a reason): a cell holding a
spreadsheet error is no empty field, and a value right of the header's last column is a
field more than the header, as on a CSV line."""

from __future__ import annotations

import xlsxwriter

from data.synthetic.files import source_columns
from tests.builders import row
from tests.conftest import ingest


def _sheet(tmp_path):
    path = tmp_path / "inbox" / "genesis" / "GENESIS_E01301_20261101.xlsx"
    path.parent.mkdir(parents=True)
    columns = source_columns("genesis")
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("DETENUS")
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name)
    return workbook, sheet, columns


def _two_detainees(sheet, columns) -> None:
    for r, number in enumerate(("000101", "000102"), start=1):
        for c, name in enumerate(columns):
            value = row("genesis", NUM_ECROU=number)[name]
            if value:
                sheet.write_string(r, c, value)


def test_an_error_cell_of_a_sheet_is_quarantined_not_read_as_empty(tmp_path, con):
    workbook, sheet, columns = _sheet(tmp_path)
    for r, number in enumerate(("000101", "000102"), start=1):
        for c, name in enumerate(columns):
            value = row("genesis", NUM_ECROU=number)[name]
            if name == "QUANTUM_TOTAL_JOURS" and r == 1:
                sheet.write_formula(r, c, "=1/0", None, "#DIV/0!")
            elif value:
                sheet.write_string(r, c, value)
    workbook.close()
    ingest(con, tmp_path / "inbox")
    assert con.execute("SELECT rows_read, rows_staged, rows_quarantined FROM audit.files"
                       ).fetchone() == (2, 1, 1)
    assert con.execute("SELECT line_number, column_name, check_name FROM audit.quarantine"
                       ).fetchall() == [(2, "QUANTUM_TOTAL_JOURS", "cell_error")]


def test_a_sheet_row_with_a_value_beyond_the_header_is_quarantined_as_a_csv_line_is(
        tmp_path, con):
    workbook, sheet, columns = _sheet(tmp_path)
    _two_detainees(sheet, columns)
    sheet.write_string(2, len(columns), "15/01/2027")
    workbook.close()
    ingest(con, tmp_path / "inbox")
    assert con.execute("SELECT line_number, check_name, value FROM audit.quarantine"
                       ).fetchall() == [(3, "field_count", "1 field(s) more than the header")]
    assert con.execute("SELECT rows_read, rows_staged, rows_quarantined FROM audit.files"
                       ).fetchone() == (2, 1, 1)


def test_an_error_cell_right_of_the_header_is_a_field_too_many(tmp_path, con):
    workbook, sheet, columns = _sheet(tmp_path)
    _two_detainees(sheet, columns)
    sheet.write_formula(2, len(columns), "=1/0", None, "#DIV/0!")
    workbook.close()
    ingest(con, tmp_path / "inbox")
    assert con.execute("SELECT line_number, check_name FROM audit.quarantine").fetchall() == [
        (3, "field_count")]
