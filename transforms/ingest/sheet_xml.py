"""What a workbook's first sheet shows that the cell reader (fastexcel) does not give, read
from the sheet's XML: a GENESIS list sent as a workbook is read as the sheet shows it, or
its row quarantined (CONTRACTS §1: "empty field = unknown"; DESIGN: every row staged or
quarantined with a reason).

- A formula stored without its result (no cached value: files written by scripts and
  some tools) reads as empty to a reader that does not compute formulas: its value is
  lost, not unknown.
- A merged range shows its first cell's value over every cell it covers, which the
  reader gives as empty: those values are lost too (the first cell is read).
- A number shown with a format of zeros (`000000`) is the number padded with zeros:
  a committal or AGDREF number kept as a number shows its leading zeros (CONTRACTS §1.3:
  leading zeros matter), and is read so.

Cells are named by their sheet row (1-based, the line numbers' convention) and column
letters; read.read_xlsx ties them to the rows and header it read."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL = re.compile(r"^([A-Z]+)([0-9]+)$")
_ZEROS = re.compile(r"^0+$")
# Built-in number formats of zeros only (ECMA-376 18.8.30): 1 is "0".
_BUILT_IN_ZEROS = {1: "0"}


@dataclass
class SheetCells:
    """Cells (sheet row, column letters) whose value the reader loses, and cells to read
    as the sheet shows them (padded numbers); `header`: column letters -> the header's
    text, on the sheet row `header_row`."""

    lost: set[tuple[int, str]] = field(default_factory=set)
    shown: dict[tuple[int, str], str] = field(default_factory=dict)
    header: dict[str, str] = field(default_factory=dict)
    header_row: int = 0


def sheet_cells(data: bytes) -> SheetCells:
    """The first sheet's cells that read.read_xlsx must not take from the reader as is."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = set(book.namelist())
        shared = _shared_strings(book) if "xl/sharedStrings.xml" in names else []
        formats = _zero_formats(book) if "xl/styles.xml" in names else {}
        sheet = book.read(_first_sheet(book))
    found = SheetCells()
    merged: list[tuple[str, str]] = []
    valued: set[tuple[int, str]] = set()
    for _, element in ElementTree.iterparse(io.BytesIO(sheet)):
        if element.tag == f"{MAIN}mergeCell":
            first, _, last = element.get("ref", "").partition(":")
            if last:
                merged.append((first, last))
        elif element.tag == f"{MAIN}c":
            _read_cell(element, shared, formats, found, valued)
            element.clear()
    for first, last in merged:
        top = _position(first)
        if top is None or top not in valued:
            continue
        bottom = _position(last)
        if bottom is None:
            continue
        for row in range(top[0], bottom[0] + 1):
            for number in range(_column_number(top[1]), _column_number(bottom[1]) + 1):
                covered = (row, _column_letters(number))
                if covered != top:
                    found.lost.add(covered)
    return found


def _read_cell(element, shared: list[str], formats: dict[int, str], found: SheetCells,
               valued: set[tuple[int, str]]) -> None:
    position = _position(element.get("r", ""))
    if position is None:
        return
    value = element.find(f"{MAIN}v")
    text = value.text if value is not None else None
    kind = element.get("t", "n")
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in element.iter(f"{MAIN}t"))
    elif kind == "s" and text is not None:
        text = shared[int(text)]
    if element.find(f"{MAIN}f") is not None and value is None and kind != "inlineStr":
        found.lost.add(position)  # a formula whose result was not stored
        return
    if not text:
        return
    valued.add(position)
    if not found.header:  # the first row with a value is the header (read.sheet_header)
        found.header_row = position[0]
    if position[0] == found.header_row:
        found.header[position[1]] = text
    zeros = formats.get(int(element.get("s", "0")))
    if kind == "n" and zeros and re.fullmatch(r"[0-9]+", text):
        found.shown[position] = text.zfill(len(zeros))


def _position(reference: str) -> tuple[int, str] | None:
    match = _CELL.match(reference.replace("$", ""))
    return (int(match.group(2)), match.group(1)) if match else None


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in item.iter(f"{MAIN}t"))
            for item in root.iter(f"{MAIN}si")]


def _zero_formats(book: zipfile.ZipFile) -> dict[int, str]:
    """Cell style index -> its number format, for the formats of zeros only."""
    root = ElementTree.fromstring(book.read("xl/styles.xml"))
    codes = dict(_BUILT_IN_ZEROS)
    for number_format in root.iter(f"{MAIN}numFmt"):
        codes[int(number_format.get("numFmtId", "-1"))] = number_format.get("formatCode", "")
    cell_styles = root.find(f"{MAIN}cellXfs")
    styles = cell_styles.findall(f"{MAIN}xf") if cell_styles is not None else []
    return {index: codes[format_id] for index, style in enumerate(styles)
            if (format_id := int(style.get("numFmtId", "0"))) in codes
            and _ZEROS.match(codes[format_id] or "")}


def _first_sheet(book: zipfile.ZipFile) -> str:
    """The path of the workbook's first sheet (its order in workbook.xml)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    first = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    if first is None:
        raise KeyError("no sheet")
    target_id = first.get(f"{RELATIONSHIPS}id")
    relations = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for relation in relations.iter(f"{PACKAGE}Relationship"):
        if relation.get("Id") == target_id:
            target = relation.get("Target", "").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    raise KeyError("no first sheet")
