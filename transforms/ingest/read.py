"""Reading source files exactly as delivered (docs/design.md, step 1): decoded with the
contract's encoding, parsed as ';' CSV or XLSX, the header checked against the contract.

Each row keeps the line a text editor shows it on (the header is line 1): a quoted field
may hold line ends (a free-text MOTIF typed on two lines), which the CSV reader reads
whole, so a row starts on the line after the last line of the row before it, not on the
line after the line before it (issue 37).

Errors that make a whole file unusable raise `UnreadableFile` with one line naming the
file, the line or column, and the reason; they never quote a person's data, and what they
name from the file (a column name) is escaped (transforms.ingest.printable).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import fastexcel
import polars as pl

from schemas.sources import OPTIONAL_COLUMNS, SOURCE_MODELS
from transforms.ingest.inbox import InboxFile
from transforms.ingest.printable import printable
from transforms.ingest.sheet_xml import SheetCells, sheet_cells

LINEAGE_COLUMNS = ("file_name", "line_number")
# Fields on the line minus fields in the header (0 for a well-formed line).
FIELDS_COLUMN = "_field_difference"
# The contract's columns whose sheet cell holds a spreadsheet error (#DIV/0!, #N/A, #REF!…),
# which the reader gives as an empty cell: not "unknown", a value lost (empty for a CSV).
CELL_ERRORS_COLUMN = "_cell_errors"
# What a row carries besides its fields until it is checked (transforms.ingest.validate).
LINE_FACTS = (FIELDS_COLUMN, CELL_ERRORS_COLUMN)
# Sheet rows count the header as row 1, so an XLSX's first data row is row 2.
FIRST_DATA_LINE = 2


class UnreadableFile(Exception):
    """The file cannot be read at all: it is REJECTED with this one-line reason."""


@dataclass(frozen=True)
class SourceRows:
    """Every row of a file as text, with its line number, and what was noticed."""

    rows: pl.DataFrame
    notes: tuple[str, ...] = ()


# The columns of each contract, read once, at import: Pandera builds a model's schema
# anew in each thread that asks for it, and the files are read in threads
# (load._read_ahead), where two such builds at once collided (RuntimeError: dictionary
# changed size during iteration, in a test run of the demo).
EXPECTED_COLUMNS = {kind: tuple(model.to_schema().columns)
                    for kind, model in SOURCE_MODELS.items()}
KNOWN_COLUMNS = frozenset(c for columns in EXPECTED_COLUMNS.values() for c in columns)


def expected_columns(kind: str) -> list[str]:
    return list(EXPECTED_COLUMNS[kind])


# The encoding each kind's contract gives (docs/contracts.md §1), as said to a sender.
ENCODING_NAMES = {"telemofpra": "Windows-1252"}
ENCODING_NAMES.update({kind: "UTF-8" for kind in SOURCE_MODELS if kind != "telemofpra"})


def decode_text(data: bytes, kind: str, file_name: str) -> tuple[str, list[str]]:
    """Decode with the encoding of the contract: Windows-1252 for TélémOfpra, UTF-8 (BOM
    optional) otherwise. A TélémOfpra file that is in fact valid UTF-8 with accents is
    read as UTF-8 (decoding it as Windows-1252 would stage mojibake) and noted."""
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(f"{file_name}: UTF-16 text (a spreadsheet's \"Unicode text\"), "
                             f"not {ENCODING_NAMES[kind]}: save it again as CSV in "
                             f"{ENCODING_NAMES[kind]}")
    if b"\x00" in data[:4096]:
        raise UnreadableFile(f"{file_name}: binary content, not a text file")
    if b"\r" in data and b"\n" not in data:
        raise UnreadableFile(f"{file_name}: its lines end with CR alone (an old Mac "
                             "format), so it reads as one line: save it again with Windows "
                             "or Unix line ends")
    text = None
    if kind == "telemofpra":
        if not data.isascii():
            try:
                text = data.decode("utf-8-sig")
                notes.append("encoded in UTF-8 instead of Windows-1252; read as UTF-8")
            except UnicodeDecodeError:
                pass
        if text is None:
            text = _decode_strictly(data, "cp1252", "Windows-1252", file_name)
    else:
        text = _decode_strictly(data, "utf-8-sig", "UTF-8", file_name)
    return _lone_crs_as_line_ends(text, notes), notes


LONE_CR = re.compile(r"\r(?!\n)")


def _lone_crs_as_line_ends(text: str, notes: list[str]) -> str:
    """A line ending in CR alone among lines ending otherwise (a header saved apart, a
    line pasted from an old Mac): read as a line end, and noted. Left as it was, the
    next line was glued to it: a row read as the header's extra column, counted
    nowhere, and its values written in the note about that column."""
    found = len(LONE_CR.findall(text))
    if not found:
        return text
    notes.append(f"{found} line end{'s' if found > 1 else ''} of CR alone read as "
                 f"line end{'s' if found > 1 else ''}")
    return LONE_CR.sub("\n", text)


def _decode_strictly(data: bytes, codec: str, label: str, file_name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        # err.start counts in what the codec decoded: after a byte-order mark, not in data
        decoded = err.object
        line = decoded[: err.start].count(b"\n") + 1
        raise UnreadableFile(
            f"{file_name}: line {line}: byte 0x{decoded[err.start]:02X} is not {label}"
        ) from None


def read_csv_text(text: str, file_name: str) -> pl.DataFrame:
    if not text.strip():
        raise UnreadableFile(f"{file_name}: empty file (no header line)")
    try:
        return pl.read_csv(
            io.StringIO(text),
            separator=";",
            infer_schema=False,
            quote_char='"',
            raise_if_empty=True,
            truncate_ragged_lines=True,  # an overlong line is quarantined (field_count)
        )
    except pl.exceptions.PolarsError as err:
        raise UnreadableFile(unpaired_quote(text, file_name) or (
            f"{file_name}: cannot be parsed as ';' CSV: {parser_reason(err)}")) from None


def unpaired_quote(text: str, file_name: str) -> str | None:
    """Where a quote that opens a field is never closed (or is closed with more text
    after it in the field), as one line naming the line the field starts on and its
    column: what a reader stops on, the rest of the file read as one field; None when
    there is none, or when it opens on the last line. A quote
    opens a field only at its start; '""' inside a quoted field is a quote."""
    opened = None
    record_start = outside_from = 0  # where the opening quote's record starts
    quotes = iter(m.start() for m in re.finditer('"', text))
    for at in quotes:
        if opened is None:
            if at == 0 or text[at - 1] in ";\n":
                opened = at
                record_start = text.rfind("\n", outside_from, at) + 1 or record_start
            continue
        after = text[at + 1: at + 2]
        if after == '"':
            next(quotes, None)  # an escaped quote
        elif after in (";", "\n", "\r", ""):
            opened, outside_from = None, at + 1
        else:
            break
    if opened is None or "\n" not in text[opened:].rstrip("\r\n"):
        # open on the last line (a file cut short): it swallows nothing but that line,
        # read field by field and quarantined (field_count), not the whole file
        return None
    before = re.sub('"[^"]*"', "", text[record_start:opened]).count(";")
    header = text.lstrip("\ufeff\r\n").split("\n", 1)[0].rstrip("\r").split(";")
    named = header[before].strip() if before < len(header) else None
    # a column of a contract only: a file whose first line is a row names a value there
    where = f"column {named}" if named in KNOWN_COLUMNS else f"field {before + 1}"
    return (f"{file_name}: line {text.count(chr(10), 0, opened) + 1}, {where}: the quote "
            "that opens the field is never properly closed, so the rest of the file "
            "cannot be read: correct that line")


# The CSV reader quotes the field it could not parse: a value, maybe a person's name.
_UNPARSED_FIELD = re.compile(r"^could not parse `.*?(?:` as dtype `[^`]*`|$)", re.S)


def parser_reason(err: Exception) -> str:
    """A reader's error as one printable line, without any field it quotes."""
    text = str(err).strip()
    if not text:
        return type(err).__name__
    text = _UNPARSED_FIELD.sub("could not parse a field", text)
    if text.startswith("could not parse a field") and "at column" not in text.split("\n")[0]:
        text = "could not parse a field (a quote opened and never closed?)"
    return printable(text.splitlines()[0][:160])


@dataclass(frozen=True)
class Parsed:
    """A file's rows as the reader gives them (columns named by the reader), with its
    header as written (a name twice stays twice), the line (sheet row for XLSX) each row
    starts on, the fields each row holds, and (a sheet) the header's names of its cells
    holding a spreadsheet error."""

    frame: pl.DataFrame
    header: list[str]
    lines: pl.Series
    fields: pl.Series
    errors: pl.Series | None = None


# Rows read from the top of a sheet to find its header (rows before it are empty).
TOP_ROWS = 64


def _text_named_xlsx(data: bytes, file_name: str) -> str | None:
    """The reason for a workbook that is a text file (a CSV saved or renamed `.xlsx`):
    what to do, rather than the reader's words. A workbook is a zip archive ("PK")."""
    if data[:2] == b"PK" or b"\x00" in data[:4096]:
        return None
    first = data.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    if b";" not in first:
        return None
    return (f"{file_name}: a text file (';' CSV) named .xlsx, not a workbook: send it "
            "again named .csv, or saved as a workbook")


def read_xlsx(data: bytes, file_name: str) -> Parsed:
    try:
        reader = fastexcel.read_excel(data)
        cells, cell_errors = reader.load_sheet(
            0, dtypes="string", skip_whitespace_tail_rows=True).to_arrow_with_errors()
        frame = pl.from_arrow(cells)
        header_row, first_row = sheet_header(reader)
        shown = sheet_cells(data)
    except Exception as err:  # fastexcel and zipfile raise several error types
        raise UnreadableFile(_text_named_xlsx(data, file_name) or (
            f"{file_name}: not a readable XLSX workbook: {parser_reason(err)}")) from None
    header = [name or "" for name in first_row] if first_row else []
    if len(header) != frame.width:  # cells the reader names itself (an empty header cell)
        header = frame.columns
    # A value right of the header's last name: a field more than the header, as on a CSV
    # line (the reader gives every row the sheet's width).
    named = max((i + 1 for i, name in enumerate(first_row or ()) if name), default=0)
    beyond = (frame.select(pl.sum_horizontal(pl.col(c).is_not_null()
                                             for c in frame.columns[named:])).to_series()
              if frame.width > named else pl.zeros(frame.height, pl.Int32, eager=True))
    errors = [[] for _ in range(frame.height)]
    beyond_errors = [0] * frame.height  # an error right of the header: a field too many
    for error in cell_errors.errors if cell_errors is not None else ():  # None: no error
        row, column = error.offset_position
        errors[row].append(header[column])
        beyond_errors[row] += column >= named
    beyond = beyond + pl.Series(beyond_errors, dtype=pl.Int32)
    first_line = FIRST_DATA_LINE + header_row
    frame = _as_the_sheet_shows(frame, header, shown, first_line, errors)
    # Date cells typed as dates come out as ISO text; the contract's text form is DD/MM/YYYY.
    iso = r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]00:00:00(?:\.0+)?)?$"
    frame = frame.with_columns(
        pl.when(pl.col(c).str.contains(iso))
        .then(pl.col(c).str.replace(iso, "$3/$2/$1"))
        .otherwise(pl.col(c))
        .alias(c)
        for c in frame.columns
    )
    return Parsed(frame, header,
                  pl.int_range(first_line, frame.height + first_line, dtype=pl.Int64,
                               eager=True),
                  (len(header) + beyond).cast(pl.Int32),
                  pl.Series(errors, dtype=pl.List(pl.String)))


def _as_the_sheet_shows(frame: pl.DataFrame, header: list[str], shown: SheetCells,
                        first_line: int, errors: list[list[str]]) -> pl.DataFrame:
    """The cells read as the sheet shows them (sheet_xml): a number shown with its zeros
    is read with them; a cell whose value the reader lost (a formula without its result,
    a cell a merged range covers) is an error of its row's, as a spreadsheet error is."""
    named = {letters: name for letters, name in shown.header.items() if name in header}
    padded: dict[str, dict[int, str]] = {}
    for (row, letters), text in shown.shown.items():
        index = row - first_line
        if letters in named and 0 <= index < frame.height:
            padded.setdefault(named[letters], {})[index] = text
    for (row, letters) in shown.lost:
        index = row - first_line
        if letters in named and 0 <= index < frame.height:
            errors[index].append(named[letters])
    for name, cells in padded.items():
        column = frame.columns[header.index(name)]
        values = frame.get_column(column).to_list()
        for index, text in cells.items():
            if values[index] is not None and values[index].removesuffix(".0") == text.lstrip(
                    "0").rjust(1, "0"):
                values[index] = text
        frame = frame.with_columns(pl.Series(column, values, dtype=pl.String))
    return frame


def sheet_header(reader) -> tuple[int, tuple]:
    """The first sheet's header: how many empty rows come before it (the reader passes
    them over, a sheet's row numbers do not: CONTRACTS §2, the sheet's row number) and its
    cells; (0, ()) for an empty sheet."""
    read = TOP_ROWS
    while True:
        top = reader.load_sheet(0, header_row=None, skip_rows=0, n_rows=read,
                                dtypes="string").to_polars()
        filled = top.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
        if filled.any():
            index = filled.arg_true()[0]
            return index, top.row(index)
        if top.height < read:
            return 0, ()
        read *= 8


def read_csv(text: str, file_name: str) -> Parsed:
    """The rows of a CSV text, each with the line it starts on and its fields. The
    records are found as the reader finds them (a line end inside quotes does not end a
    record); should the two ever disagree the file is read again field by field
    (read_quotes_as_written), or rejected when a quote opening a field is never closed,
    rather than any row given another's line."""
    try:
        frame = read_csv_text(text, file_name)
    except UnreadableFile:
        if not text.strip() or unpaired_quote(text, file_name):
            raise
        return read_quotes_as_written(text)
    records = split_records(text)
    data_records = records.slice(1)
    if data_records.height != frame.height:
        unpaired = unpaired_quote(text, file_name)
        if unpaired:
            raise UnreadableFile(unpaired)
        return read_quotes_as_written(text)
    header = pl.read_csv(io.StringIO(records["text"][0]), separator=";", has_header=False,
                         infer_schema=False, quote_char='"').row(0)
    return Parsed(frame, [name or "" for name in header], data_records["line"],
                  data_records["fields"])


def read_quotes_as_written(text: str) -> Parsed:
    """A CSV text holding a quote inside a field that does not start with one (a reason
    `refus 5" avant`, a name `O"BRIEN`), which the fast reader takes for the start of a
    quoted part, so that the rest of the file was one field and the whole file was
    rejected: read by Python's csv module, for which a quote opens a quoted part only at
    the start of a field (elsewhere it is a character of the field, as written). Each
    record keeps the line it starts on and its fields; empty lines before the header are
    passed over and a later one is a record of one empty field, as the fast reader
    reads them; a field left empty is missing, and a record's fields beyond the header's
    are dropped (its field count is kept: the line is quarantined, `field_count`)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    header: list[str] | None = None
    rows, lines, fields = [], [], []
    ended = 0  # the line the previous record ended on
    for record in reader:
        start, ended = ended + 1, reader.line_num
        if header is None:
            if record:
                header = [name.lstrip("\ufeff") if i == 0 else name
                          for i, name in enumerate(record)]
            continue
        rows.append(record)
        lines.append(start)
        fields.append(max(len(record), 1))
    names = _unique_names(header or [""])
    columns = {name: [(row[i] or None) if i < len(row) else None for row in rows]
               for i, name in enumerate(names)}
    return Parsed(pl.DataFrame(columns, schema=dict.fromkeys(names, pl.String)), header or [""],
                  pl.Series("line", lines, dtype=pl.Int64),
                  pl.Series("fields", fields, dtype=pl.Int32))


def _unique_names(header: list[str]) -> list[str]:
    """Column names for a frame (a name written twice stays twice in the header, which
    conform_columns reads)."""
    seen: dict[str, int] = {}
    names = []
    for name in header:
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(name if count == 0 else f"{name}_duplicated_{count - 1}")
    return names


def split_records(text: str) -> pl.DataFrame:
    """One row per record of a ';' CSV text: `text`, the `line` it starts on (a text
    editor's numbering: lines end at LF, CRLF counting once) and its `fields`. A record
    ends at a line end outside quotes (every '"' opens or closes a quoted part, '""'
    inside one closing and reopening it); its fields are counted outside the quoted
    parts that open at a field's start; empty lines before the header are passed over,
    as the reader passes them over; a later empty line is a record (of one empty field)."""
    lines = pl.Series("text", [text]).str.split("\n").explode()
    if text.endswith("\n"):
        lines = lines.head(lines.len() - 1)
    quotes = lines.str.count_matches('"', literal=True)
    records = pl.DataFrame({
        "text": lines,
        "line": pl.int_range(1, lines.len() + 1, dtype=pl.Int64, eager=True),
        "starts": (quotes.cum_sum() - quotes) % 2 == 0,  # outside quotes at its start
    })
    if not records["starts"].all():  # join the lines of each record spanning several
        record = pl.col("starts").cum_sum()
        spanning = record.is_duplicated()
        records = pl.concat([
            records.filter(~spanning),
            records.filter(spanning).group_by(record.alias("record"), maintain_order=True)
            .agg(pl.col("text").str.join("\n"), pl.col("line").first(), pl.col("starts").first())
            .drop("record"),
        ]).sort("line")
    blank = pl.col("text").is_in(["", "\r"])
    records = records.filter(~blank.cum_min())  # leading empty lines
    # a quoted part opens at a field's start only (a quote inside a field is a character
    # of it, as the reader reads it: O"BRIEN; a ';' after it still ends the field)
    fields = pl.col("text").str.replace_all(r'(^|;)"(?:[^"]|"")*"', "${1}") \
        .str.count_matches(";") + 1
    return records.select("text", "line", fields.cast(pl.Int32).alias("fields"))


# A header cell holding a number or a date, as a row's cells do and a column's name never.
_VALUE_CELL = re.compile(r"[0-9][0-9/.:\- ]*")


def conform_columns(
    frame: pl.DataFrame, header: list[str], kind: str, file_name: str
) -> tuple[pl.DataFrame, list[str]]:
    """Check the header as written against the contract: a missing column rejects the
    file, unless the contract added it later (OPTIONAL_COLUMNS: read as empty); a
    contract column named twice rejects it (which of the two holds the data cannot be
    told); an extra column is dropped and noted."""
    expected = expected_columns(kind)
    header = [c.strip().lstrip("\ufeff") for c in header]
    if len(header) != frame.width:
        raise UnreadableFile(f"{file_name}: line 1: the header cannot be read")
    twice = [c for c in expected if header.count(c) > 1]
    if twice:
        places = [str(i + 1) for i, c in enumerate(header) if c == twice[0]]
        raise UnreadableFile(
            f"{file_name}: line 1: column {twice[0]} appears {len(places)} times (columns "
            f"{', '.join(places)}): which one holds the data cannot be told")
    frame = frame.select(pl.col(name).alias(c)
                         for name, c in zip(frame.columns, header, strict=True) if c in expected)
    absent_optional = [c for c in OPTIONAL_COLUMNS.get(kind, ()) if c not in header]
    frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in absent_optional)
    # A header cell may hold a value: a row glued to the header (its line end lost)
    # fills about a row's worth of extra cells, among them a number or a date (every
    # contract row holds a date), and that row would be counted nowhere: the file is
    # refused. Extra columns named as columns are (NUM_TITRE, OBSERVATIONS: an extract with
    # columns the contract does not read) are no row: the file is read (a TITRES extract
    # of three extra columns was refused whole, and its valid cards lost with it; audit
    # of 2026-12-07). Checked before a missing column: a header without its trailing ';'
    # fuses its last name with the row's first cell (NUM_AGDREF000013), and "missing
    # column NUM_AGDREF" sent the operator looking for a column that is there (README
    # audit of 2026-12-07). An extra column is named when it is a column of one of the
    # systems' contracts (a list of another system's, a column of another file), otherwise
    # by its place: whatever else a header cell holds (a name, a number or a date typed
    # into it, written in any way) is never logged.
    extra = [(i, c) for i, c in enumerate(header) if c not in expected]
    unknown = [c for _, c in extra if c not in KNOWN_COLUMNS]
    values = [c for c in unknown if _VALUE_CELL.fullmatch(c)]
    if values and len(unknown) >= max(2, len(expected) - 2):
        raise UnreadableFile(
            f"{file_name}: line 1: the header has {len(unknown)} cells that are no "
            f"column of the contract's (which has {len(expected)}): a row is glued to it "
            "(its line end lost); ask for the file again")
    missing = [c for c in expected if c not in header and c not in absent_optional]
    if missing:
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in (",", "\t", "|")):
            hint = " (the separator is not ';')"
        raise UnreadableFile(
            f"{file_name}: line 1: missing column {', '.join(missing[:5])}"
            f"{' …' if len(missing) > 5 else ''}{hint}"
        )
    named = [c if c in KNOWN_COLUMNS else f"column {i + 1}" for i, c in extra]
    notes = [f"extra column ignored: {', '.join(named)}"] if named else []
    return frame.select(expected), notes


def without_empty_end(text: str) -> tuple[str, int]:
    """The text without the empty lines (or of spaces only) after its last row, and how
    many there were: an editor's or an export's blank lines at the end are no rows (an
    empty line between rows still is one, quarantined on its line)."""
    body = text.rstrip(" \t\r\n")
    tail = text[len(body):]
    if tail.count("\n") <= 1 or not body:
        return text, 0
    return body + ("\r\n" if "\r\n" in tail else "\n"), tail.count("\n") - 1


def read_source_file(f: InboxFile) -> SourceRows:
    """All rows of one file as text (empty field = null), with `file_name` and
    `line_number`, columns in contract order."""
    data = f.path.read_bytes()
    notes: list[str] = []
    if f.file_name.endswith(".xlsx"):
        parsed = read_xlsx(data, f.file_name)
    else:
        text, notes = decode_text(data, f.kind, f.file_name)
        text, blank = without_empty_end(text)
        if blank:
            notes.append(f"{blank} empty line(s) at the end of the file passed over")
        parsed = read_csv(text, f.file_name)
    frame, column_notes = conform_columns(parsed.frame, parsed.header, f.kind, f.file_name)
    notes += column_notes
    expected = expected_columns(f.kind)
    errors = (parsed.errors.list.eval(pl.element().filter(pl.element().is_in(expected)))
              if parsed.errors is not None
              else pl.repeat([], frame.height, dtype=pl.List(pl.String), eager=True))
    frame = frame.with_columns(
        pl.col(c).str.strip_chars().replace("", None).alias(c) for c in frame.columns
    ).with_columns(
        pl.lit(f.file_name).alias("file_name"),
        parsed.lines.alias("line_number"),
        (parsed.fields - len(parsed.header)).cast(pl.Int32).alias(FIELDS_COLUMN),
        errors.alias(CELL_ERRORS_COLUMN),
    )
    return SourceRows(frame.select(*LINEAGE_COLUMNS, *expected, *LINE_FACTS), tuple(notes))
