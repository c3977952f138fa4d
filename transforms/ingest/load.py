"""Loading the inbox (docs/design.md, steps 1–2): files read ahead, checked and written in
batches of one kind, one transaction a batch, and one outcome a file in audit.files."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import islice

import duckdb
import polars as pl

from schemas.published import FileRecord
from transforms.ingest.inbox import PlannedFile
from transforms.ingest.printable import printable
from transforms.ingest.read import (
    LINE_FACTS,
    LINEAGE_COLUMNS,
    SourceRows,
    UnreadableFile,
    read_source_file,
)
from transforms.ingest.standardise import check_staged, named_by_rows, standardise_rows
from transforms.ingest.validate import split_valid_rows
from transforms.warehouse import tables as warehouse


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
# write of its own: fewer, larger batches commit faster at the same peak memory, the
# batch's frames being small beside DuckDB's own memory (benchmarks/README.md).
BATCH_ROWS = 1_000_000


def ingest_inbox(
    con: duckdb.DuckDBPyConnection,
    plans: list[PlannedFile],
    run_id: str,
    on_file: Callable[[FileOutcome | None], None] | None = None,
    run_date: date | None = None,
) -> list[FileOutcome]:
    """Ingest every planned file in order; one outcome per file that was not already
    registered under the same name and checksum. Consecutive files of one kind are
    checked and written in one batch, in one transaction: a run killed mid-batch leaves
    none of its files half-loaded. Rows are checked against their file's extraction date
    and, when given, the run date (a birth date after either is impossible)."""
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
            report(_load_batch(con, list(batch), run_id, run_date))
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
                planned.file.file_name, planned.file.system, "REJECTED", error=printable(str(err))),
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
# BATCH_ROWS takes seconds, during which fewer files ahead left the readers idle
# (the counts tried and their timings: benchmarks/README.md).
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
                run_id: str, run_date: date | None) -> list[FileOutcome]:
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
        valid, quarantine = split_valid_rows(rows, kind, extraction_dates, run_date)
    except UnreadableFile as err:
        if len(batch) > 1:
            return [o for item in batch for o in _load_batch(con, [item], run_id, run_date)]
        planned = batch[0][0]
        return [_record(con, planned, FileOutcome(
            planned.file.file_name, planned.file.system, "REJECTED",
            error=printable(str(err))), run_id)]
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
        error="; ".join([*source.notes, *_dated_ahead(planned, run_date)]) or None))
        for planned, source in batch]
    shas = {name: f.sha256 for name, f in files.items()}
    with warehouse.transaction(con):
        # Supersede first: a correction often keeps the earlier file's name.
        for planned, _ in batch:
            for earlier in planned.supersedes:
                warehouse.supersede_file(con, kind, earlier, planned.file.file_name)
        warehouse.insert_frame(con, warehouse.raw_table(kind), rows.drop(
            LINE_FACTS).with_columns(pl.col("file_name").replace_strict(shas)
                                        .alias("file_sha256")))
        warehouse.insert_frame(con, warehouse.staging_table(kind), staged)
        warehouse.insert_frame(con, "audit.quarantine", quarantine.with_columns(
            pl.lit(run_id).alias("run_id")).join(named_by_rows(kind, rows.join(
                quarantine.select(LINEAGE_COLUMNS).unique(), on=LINEAGE_COLUMNS), units),
                on=LINEAGE_COLUMNS, how="left"))
        _insert_file_records(con, done, run_id)
    return [outcome for _, outcome in done]


def _dated_ahead(planned: PlannedFile, run_date: date | None) -> list[str]:
    """A file whose name says it was extracted after the run date: loaded, and read by
    the lists from that day on (core_latest_files.sql: an --as-of night in the past sees
    what was known then); said, for a date typed wrong (2027 for 2026) would keep a
    unit's earlier list the truth until then."""
    extracted = planned.file.extraction_date
    if run_date is None or extracted is None or extracted <= run_date:
        return []
    return [f"dated {extracted:%d/%m/%Y}, after the run date: read from that day on "
            "(if the date in its name is wrong, send it again named right)"]


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
