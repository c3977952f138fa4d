"""Reading source files exactly as delivered, and splitting their rows into valid and
quarantined with Pandera (DESIGN.md, steps 1–2).

Errors that make a whole file unusable raise `UnreadableFile` with one line naming the
file, the line or column, and the reason; they never quote a person's data.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import islice

import duckdb
import fastexcel
import polars as pl
from pandera.errors import SchemaError, SchemaErrors

from schemas.checks import DATE_FORMAT
from schemas.published import FileRecord
from schemas.sources import NOT_AFTER_EXTRACTION, OPTIONAL_COLUMNS, SOURCE_MODELS
from transforms.ingest.inbox import InboxFile, PlannedFile
from transforms.ingest.standardise import check_staged, named_by_rows, standardise_rows
from transforms.warehouse import tables as warehouse

LINEAGE_COLUMNS = ("file_name", "line_number")
# Fields on the line minus fields in the header (0 for a well-formed line).
FIELDS_COLUMN = "_field_difference"
QUARANTINE_COLUMNS = ("file_name", "line_number", "column_name", "check_name", "value")
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


QUARANTINE_SCHEMA = {"file_name": pl.String, "line_number": pl.Int64,
                     "column_name": pl.String, "check_name": pl.String, "value": pl.String}


def line_checks(rows: pl.DataFrame, kind: str, extraction_date: date | pl.Expr | None
                ) -> pl.DataFrame:
    """Checks that need more than one field: the number of fields on the line, and dates
    that cannot be later than the file's extraction date (NOT_AFTER_EXTRACTION)."""
    difference = pl.col(FIELDS_COLUMN)
    found = [rows.filter(difference != 0).select(
        "file_name", "line_number", pl.lit(None, pl.String).alias("column_name"),
        pl.lit("field_count").alias("check_name"),
        pl.format("{} field(s) {} than the header", difference.abs(),
                  pl.when(difference < 0).then(pl.lit("fewer")).otherwise(pl.lit("more"))
                  ).alias("value"))]
    if extraction_date is not None:
        for column in NOT_AFTER_EXTRACTION.get(kind, ()):
            day = pl.col(column).str.to_date(DATE_FORMAT, strict=False)
            found.append(rows.filter(day > extraction_date).select(
                "file_name", "line_number", pl.lit(column).alias("column_name"),
                pl.lit("not_after_extraction_date").alias("check_name"),
                pl.col(column).alias("value")))
    return pl.concat(found).cast(QUARANTINE_SCHEMA)


def split_valid_rows(rows: pl.DataFrame, kind: str,
                     extraction_date: date | pl.Expr | None = None
                     ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate every row against the file's contract. Returns the valid rows and one
    quarantine row per (row, failed check). A schema-level failure rejects the file.
    `rows` may hold several files of one kind (`extraction_date` then an expression):
    rows are told apart by (file_name, line_number)."""
    model = SOURCE_MODELS[kind]
    if FIELDS_COLUMN not in rows.columns:  # rows not read from a CSV line by line
        rows = rows.with_columns(pl.lit(0, pl.Int32).alias(FIELDS_COLUMN))
    extra = line_checks(rows, kind, extraction_date)
    rows = rows.drop(FIELDS_COLUMN)
    try:
        model.validate(rows.drop(LINEAGE_COLUMNS), lazy=True)
        failures = None
    except SchemaError as err:  # raised instead of SchemaErrors for some schema failures
        raise UnreadableFile(f"{rows['file_name'][0]}: {str(err).splitlines()[0][:160]}") from None
    except SchemaErrors as err:
        failures = err.failure_cases
    if failures is None:
        return _without_lines(rows, extra), extra
    schema_level = failures.filter(pl.col("index").is_null())
    if schema_level.height:
        first = schema_level.row(0, named=True)
        raise UnreadableFile(
            f"{rows['file_name'][0]}: {first['check']} failed for {first['column']}"
        )
    lineage = rows.select(LINEAGE_COLUMNS).with_row_index("index")
    quarantine = (
        failures.with_columns(pl.col("index").cast(pl.UInt32))
        .join(lineage, on="index", how="left")
        .select(
            "file_name",
            "line_number",
            pl.col("column").alias("column_name"),
            pl.col("check").alias("check_name"),
            pl.col("failure_case").cast(pl.String).alias("value"),
        )
    )
    quarantine = pl.concat([quarantine.cast(QUARANTINE_SCHEMA), extra]).sort(
        "file_name", "line_number", "column_name", "check_name", nulls_last=True)
    return _without_lines(rows, quarantine), quarantine


def _without_lines(rows: pl.DataFrame, quarantine: pl.DataFrame) -> pl.DataFrame:
    return rows.join(quarantine.select(LINEAGE_COLUMNS).unique(), on=LINEAGE_COLUMNS,
                     how="anti", maintain_order="left")


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file: counts and a one-line reason, never personal data."""

    file_name: str
    system: str | None
    status: str
    rows_read: int = 0
    rows_staged: int = 0
    rows_quarantined: int = 0
    error: str | None = None


# Rows checked and written together: Pandera's cost is mostly per call, a national inbox
# holds thousands of small weekly lists, and each batch's commit costs the warehouse a
# write of its own. Nationally, batches of 250,000 rows spent 7 s of the second night's
# ingest committing (1 s at 1,000,000 rows); the night's first ingest peaks at 3.5 GB
# either way, the batch's frames being small beside DuckDB's own memory.
BATCH_ROWS = 1_000_000


def ingest_inbox(
    con: duckdb.DuckDBPyConnection,
    plans: list[PlannedFile],
    run_id: str,
    on_file: Callable[[FileOutcome | None], None] | None = None,
) -> list[FileOutcome]:
    """Ingest every planned file in order; one outcome per file that was not already
    registered under the same name and checksum. Consecutive files of one kind are
    checked and written in one batch, in one transaction: a run killed mid-batch leaves
    none of its files half-loaded."""
    outcomes: list[FileOutcome] = []
    batch: list[tuple[PlannedFile, SourceRows]] = []
    batch_names: set[str] = set()  # kept beside the batch: thousands of files a batch
    batch_rows = 0

    def report(done: list[FileOutcome | None]) -> None:
        for outcome in done:
            if on_file:
                on_file(outcome)
            if outcome is not None:
                outcomes.append(outcome)

    def flush() -> None:
        nonlocal batch_rows
        if batch:
            report(_load_batch(con, list(batch), run_id))
            batch.clear()
            batch_names.clear()
            batch_rows = 0

    for planned, reading in _read_ahead(plans):
        if reading is None:
            # Supersede what is written only, and know whether the file it repeats loaded.
            if batch_names & {*planned.supersedes, planned.repeats}:
                flush()
            report([_record_unloaded(con, planned, run_id)])
            continue
        if batch and (planned.file.kind != batch[0][0].file.kind
                      or batch_names & {planned.file.file_name, *planned.supersedes}):
            flush()
        try:
            source = reading.result()
        except UnreadableFile as err:
            report([_record(con, planned, FileOutcome(
                planned.file.file_name, planned.file.system, "REJECTED", error=str(err)),
                run_id)])
            continue
        batch.append((planned, source))
        batch_names.add(planned.file.file_name)
        batch_rows += source.rows.height
        if batch_rows >= BATCH_ROWS:
            flush()
    flush()
    return outcomes


# Files read ahead of the one being loaded, by threads: reading (decoding, parsing, the
# per-file polars calls) overlaps the checks and writes of the batch. Writing a batch of
# BATCH_ROWS takes seconds: with 16 files ahead the readers stopped meanwhile (nationally
# the night-2 ingest 25.7-25.9 s with 16, 24.2-24.6 s with 48, 25.4 s with 32, 25.8-26.1 s
# with 96; night 1 53.9 s -> 52.7 s; the same peak memory).
READ_AHEAD = 48
READERS = 2


def _read_ahead(plans: list[PlannedFile]
                ) -> Iterator[tuple[PlannedFile, Future[SourceRows] | None]]:
    """Each plan in order, with the reading of its file under way (None: not loaded)."""
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="read") as pool:
        pending: deque[tuple[PlannedFile, Future[SourceRows] | None]] = deque()
        upcoming = iter(plans)

        def submit(count: int) -> None:
            for planned in islice(upcoming, count):
                pending.append((planned, pool.submit(read_source_file, planned.file)
                                if planned.action == "LOAD" else None))

        submit(READ_AHEAD)
        while pending:
            yield pending.popleft()
            submit(1)


def _record_unloaded(con: duckdb.DuckDBPyConnection, planned: PlannedFile, run_id: str
                     ) -> FileOutcome | None:
    """A file that is not loaded: None when already registered under the same name and
    checksum (nothing to do), else its record (unchanged delivery, duplicate or rejected
    by name).

    An UNCHANGED delivery counts 0 rows read, staged and quarantined: its rows were read,
    staged or quarantined once, under the file it repeats (audit.files.repeats_file_name,
    also named in its `error` note), and counting them again would count rows twice in
    the marts; rows_read = rows_staged + rows_quarantined holds for it as for every file."""
    if planned.action == "SKIP_KNOWN":
        return None
    f = planned.file
    if planned.action == "UNCHANGED" and not warehouse.is_loaded(con, planned.repeats):
        # Planned before the file it repeats was read: the same bytes cannot load either.
        return _record(con, planned, FileOutcome(
            f.file_name, f.system, "REJECTED",
            error=f"{f.file_name}: same content as {planned.repeats}, which was rejected"),
            run_id)
    return _record(con, planned, FileOutcome(f.file_name, f.system, planned.action,
                                             error=planned.reason), run_id)


def _record(con: duckdb.DuckDBPyConnection, planned: PlannedFile, outcome: FileOutcome,
            run_id: str) -> FileOutcome:
    """Record one file not loaded; an unchanged delivery that corrects a delivery of
    its date supersedes it in the same transaction."""
    with warehouse.transaction(con):
        if outcome.status == "UNCHANGED":
            for earlier in planned.supersedes:
                warehouse.supersede_file(con, planned.file.kind, earlier,
                                         planned.file.file_name)
        _insert_file_records(con, [(planned, outcome)], run_id)
    return outcome


def _load_batch(con: duckdb.DuckDBPyConnection, batch: list[tuple[PlannedFile, SourceRows]],
                run_id: str) -> list[FileOutcome]:
    """Check, stage and write files of one kind together. A file-level failure found on
    the batch (a column Pandera cannot read) is attributed by loading its files one by
    one."""
    kind = batch[0][0].file.kind
    files = {p.file.file_name: p.file for p, _ in batch}
    rows = pl.concat([s.rows for _, s in batch])
    # each row's file's extraction date and unit
    extraction_dates = pl.col("file_name").replace_strict(
        {name: f.extraction_date for name, f in files.items()}, return_dtype=pl.Date)
    units = pl.col("file_name").replace_strict({name: f.unit for name, f in files.items()},
                                               return_dtype=pl.String)
    try:
        valid, quarantine = split_valid_rows(rows, kind, extraction_dates)
    except UnreadableFile as err:
        if len(batch) > 1:
            return [o for item in batch for o in _load_batch(con, [item], run_id)]
        planned = batch[0][0]
        return [_record(con, planned, FileOutcome(planned.file.file_name, planned.file.system,
                                                  "REJECTED", error=str(err)), run_id)]
    staged = check_staged(kind, standardise_rows(kind, valid, extraction_dates, units))
    read = dict(rows.group_by("file_name").len().iter_rows())
    kept = dict(staged.group_by("file_name").len().iter_rows())
    bad = dict(quarantine.group_by("file_name").agg(pl.col("line_number").n_unique())
               .iter_rows())
    done = [(planned, FileOutcome(
        planned.file.file_name, planned.file.system, "LOADED",
        rows_read=read.get(planned.file.file_name, 0),
        rows_staged=kept.get(planned.file.file_name, 0),
        rows_quarantined=bad.get(planned.file.file_name, 0),
        error="; ".join(source.notes) or None)) for planned, source in batch]
    shas = {name: f.sha256 for name, f in files.items()}
    with warehouse.transaction(con):
        # Supersede first: a correction often keeps the earlier file's name.
        for planned, _ in batch:
            for earlier in planned.supersedes:
                warehouse.supersede_file(con, kind, earlier, planned.file.file_name)
        warehouse.insert_frame(con, warehouse.raw_table(kind), rows.drop(
            FIELDS_COLUMN).with_columns(pl.col("file_name").replace_strict(shas)
                                        .alias("file_sha256")))
        warehouse.insert_frame(con, warehouse.staging_table(kind), staged)
        warehouse.insert_frame(con, "audit.quarantine", quarantine.with_columns(
            pl.lit(run_id).alias("run_id")).join(named_by_rows(kind, rows.join(
                quarantine.select(LINEAGE_COLUMNS).unique(), on=LINEAGE_COLUMNS), units),
                on=LINEAGE_COLUMNS, how="left"))
        _insert_file_records(con, done, run_id)
    return [outcome for _, outcome in done]


def _insert_file_records(con: duckdb.DuckDBPyConnection,
                         done: list[tuple[PlannedFile, FileOutcome]], run_id: str) -> None:
    warehouse.insert_frame(con, "audit.files", pl.DataFrame([{
        "file_name": p.file.file_name, "system": p.file.system, "file_kind": p.file.kind,
        "unit": p.file.unit, "extraction_date": p.file.extraction_date,
        "sha256": p.file.sha256, "rows_read": o.rows_read, "rows_staged": o.rows_staged,
        "rows_quarantined": o.rows_quarantined, "status": o.status, "error": o.error,
        "run_id": run_id, "superseded_by": None,
        "repeats_file_name": p.repeats if o.status == "UNCHANGED" else None,
    } for p, o in done], schema=warehouse.polars_schema(FileRecord)))


def quarantine_lines(con: duckdb.DuckDBPyConnection, file_name: str, run_id: str,
                     limit: int = 10) -> list[str]:
    """One line per quarantined (line, column, check) of a file: `<file>:<line> <column>:
    <check>`, without the value, which may be personal data (it stays in
    audit.quarantine). Past `limit`, one line says how many more there are."""
    rows = con.execute(
        "SELECT line_number, coalesce(column_name, '(line)'), "
        "split_part(check_name, '(', 1) FROM audit.quarantine "
        "WHERE file_name = ? AND run_id = ? ORDER BY 1, 2, 3", [file_name, run_id]).fetchall()
    lines = [f"{file_name}:{line} {column}: {check}" for line, column, check in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"{file_name}: {len(rows) - limit} more in audit.quarantine")
    return lines
