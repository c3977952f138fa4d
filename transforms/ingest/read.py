"""Reading source files exactly as delivered (docs/design.md, step 1): decoded with the
contract's encoding, parsed as ';' CSV or XLSX, the header checked against the contract.

Errors that make a whole file unusable raise `UnreadableFile` with one line naming the
file, the line or column, and the reason; they never quote a person's data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import fastexcel
import polars as pl

from schemas.sources import OPTIONAL_COLUMNS, SOURCE_MODELS
from transforms.ingest.inbox import InboxFile

LINEAGE_COLUMNS = ("file_name", "line_number")
# Fields on the line minus fields in the header (0 for a well-formed line).
FIELDS_COLUMN = "_field_difference"
# Line numbers count the header as line 1, so the first data row is line 2.
FIRST_DATA_LINE = 2


class UnreadableFile(Exception):
    """The file cannot be read at all: it is REJECTED with this one-line reason."""


@dataclass(frozen=True)
class SourceRows:
    """Every row of a file as text, with its line number, and what was noticed."""

    rows: pl.DataFrame
    notes: tuple[str, ...] = ()


def expected_columns(kind: str) -> list[str]:
    return list(SOURCE_MODELS[kind].to_schema().columns)


def decode_text(data: bytes, kind: str, file_name: str) -> tuple[str, list[str]]:
    """Decode with the encoding of the contract: Windows-1252 for TélémOfpra, UTF-8 (BOM
    optional) otherwise. A TélémOfpra file that is in fact valid UTF-8 with accents is
    read as UTF-8 (decoding it as Windows-1252 would stage mojibake) and noted."""
    notes: list[str] = []
    if b"\x00" in data[:4096]:
        raise UnreadableFile(f"{file_name}: binary content, not a text file")
    if kind == "telemofpra":
        if not data.isascii():
            try:
                text = data.decode("utf-8-sig")
                notes.append("encoded in UTF-8 instead of Windows-1252; read as UTF-8")
                return text, notes
            except UnicodeDecodeError:
                pass
        return _decode_strictly(data, "cp1252", "Windows-1252", file_name), notes
    return _decode_strictly(data, "utf-8-sig", "UTF-8", file_name), notes


def _decode_strictly(data: bytes, codec: str, label: str, file_name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise UnreadableFile(
            f"{file_name}: line {line}: byte 0x{data[err.start]:02X} is not {label}"
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
        )
    except pl.exceptions.PolarsError as err:
        first_line = str(err).strip().splitlines()[0][:160]
        raise UnreadableFile(f"{file_name}: cannot be parsed as ';' CSV: {first_line}") from None


def read_xlsx(data: bytes, file_name: str) -> pl.DataFrame:
    try:
        reader = fastexcel.read_excel(data)
        sheet = reader.load_sheet(0, dtypes="string", skip_whitespace_tail_rows=True)
        frame = sheet.to_polars()
    except Exception as err:  # fastexcel raises several private error types
        reason = str(err).strip().splitlines()[0][:160] if str(err).strip() else type(err).__name__
        raise UnreadableFile(f"{file_name}: not a readable XLSX workbook: {reason}") from None
    # Date cells typed as dates come out as ISO text; the contract's text form is DD/MM/YYYY.
    iso = r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00(?:\.0+)?)?$"
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(iso))
        .then(pl.col(c).str.replace(iso, "$3/$2/$1"))
        .otherwise(pl.col(c))
        .alias(c)
        for c in frame.columns
    )


def conform_columns(
    frame: pl.DataFrame, kind: str, file_name: str
) -> tuple[pl.DataFrame, list[str]]:
    """Check the header against the contract: a missing column rejects the file, unless
    the contract added it later (OPTIONAL_COLUMNS: read as empty); an extra column is
    dropped and noted."""
    expected = expected_columns(kind)
    header = [c.strip().lstrip("\ufeff") for c in frame.columns]
    frame = frame.rename(dict(zip(frame.columns, header, strict=True)))
    absent_optional = [c for c in OPTIONAL_COLUMNS.get(kind, ()) if c not in header]
    frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in absent_optional)
    missing = [c for c in expected if c not in header and c not in absent_optional]
    if missing:
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in (",", "\t", "|")):
            hint = " (the separator is not ';')"
        raise UnreadableFile(
            f"{file_name}: line 1: missing column {', '.join(missing[:5])}"
            f"{' …' if len(missing) > 5 else ''}{hint}"
        )
    extra = [c for c in header if c not in expected]
    notes = [f"extra column ignored: {', '.join(extra)}"] if extra else []
    return frame.select(expected), notes


def read_source_file(f: InboxFile) -> SourceRows:
    """All rows of one file as text (empty field = null), with `file_name` and
    `line_number`, columns in contract order."""
    data = f.path.read_bytes()
    notes: list[str] = []
    field_counts = None
    if f.file_name.endswith(".xlsx"):
        frame = read_xlsx(data, f.file_name)
    else:
        text, notes = decode_text(data, f.kind, f.file_name)
        frame = read_csv_text(text, f.file_name)
        field_counts = fields_per_line(text, frame.height)
    header_width = frame.width
    frame, column_notes = conform_columns(frame, f.kind, f.file_name)
    notes += column_notes
    frame = frame.with_columns(
        pl.col(c).str.strip_chars().replace("", None).alias(c) for c in frame.columns
    ).with_columns(
        pl.lit(f.file_name).alias("file_name"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + FIRST_DATA_LINE).alias("line_number"),
        pl.Series(FIELDS_COLUMN, field_counts if field_counts is not None
                  else [header_width] * frame.height, dtype=pl.Int32),
    )
    return SourceRows(frame.select(*LINEAGE_COLUMNS, *expected_columns(f.kind),
                                   pl.col(FIELDS_COLUMN) - header_width), tuple(notes))


def fields_per_line(text: str, rows: int) -> list[int]:
    """Fields on each data line (a quoted field may hold ';'), to find truncated or
    overlong lines, which the CSV reader pads or cuts silently."""
    lines = pl.Series(text.splitlines()[1:], dtype=pl.String)
    counts = (lines.str.replace_all(r'"[^"]*"', "").str.count_matches(";") + 1)
    counts = counts.filter(lines.str.strip_chars() != "").to_list()
    return (counts + [0] * rows)[:rows]
