"""Source files written as delivered: CSV (`;`, CRLF, the contract's encoding) and
XLSX (GENESIS), columns in the contract's order."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from schemas.sources import SOURCE_MODELS


def fmt(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


def _csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=";", lineterminator="\r\n",
                            quoting=csv.QUOTE_MINIMAL, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def source_columns(kind: str) -> list[str]:
    """The columns of a source file, in the contract's order: MESURES ends with the
    optional ETAT_MEMBRE (docs/contracts.md §1.3) whether or not this schema knows it yet."""
    columns = [c for c in SOURCE_MODELS[kind].to_schema().columns if c != "ETAT_MEMBRE"]
    if kind == "agdref_mesures":
        columns.append("ETAT_MEMBRE")
    return columns


def write_csv(path: Path, rows: list[dict], kind: str, encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = source_columns(kind)
    path.write_bytes(_csv_text(rows, columns).encode(encoding))


def write_xlsx(path: Path, rows: list[dict], kind: str, created: date,
               special: Callable | None = None) -> None:
    """The rows as a spreadsheet writes them, strings cell by cell; `special(workbook,
    sheet, columns)` then writes other cells (the tests' formulas, merges, numbers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = source_columns(kind)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    workbook.set_properties({"created": datetime.combine(created, datetime.min.time()),
                             "author": "GENESIS (synthetic)"})
    sheet = workbook.add_worksheet("DETENUS")
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(columns):
            value = row.get(name, "")
            if value:
                sheet.write_string(r, c, value)
    if special:
        special(workbook, sheet, columns)
    workbook.close()
