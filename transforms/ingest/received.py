"""What a night received, counted from audit.files (one row per file name and checksum
first seen by the run), for the console's summary (issue 35, items 1 and 8): "new files"
are the files loaded; a correction is a loaded file that replaced an earlier delivery
(often under the same name: told apart by checksum; file_corrections.sql); duplicates
and rejected files are counted apart. Counts only."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from transforms.warehouse.database import read_sql

COUNT_SQL = """
SELECT count(*) FILTER (WHERE status IN ('LOADED', 'SUPERSEDED')),
       (SELECT count(*) FROM file_corrections WHERE run_id = $run),
       count(*) FILTER (WHERE status = 'UNCHANGED'),
       count(*) FILTER (WHERE status = 'SKIPPED_DUPLICATE'),
       count(*) FILTER (WHERE status = 'REJECTED')
FROM audit.files WHERE run_id = $run
"""


@dataclass(frozen=True)
class ReceivedFiles:
    """The files a run saw first: loaded (its new files; a file loaded and replaced the
    same night counts, as does its correction), of which corrections; unchanged
    deliveries; duplicates (re-sent); rejected."""

    loaded: int
    corrections: int
    unchanged: int
    duplicates: int
    rejected: int

    def describe(self) -> str:
        """One clause for the console."""
        return (f"{_count(self.loaded, 'new file')} loaded "
                f"({_count(self.corrections, 'correction')}), "
                f"{_count(self.duplicates, 'duplicate')} skipped, "
                f"{_count(self.unchanged, 'unchanged delivery', 'unchanged deliveries')}, "
                f"{_count(self.rejected, 'file')} rejected")


def _count(n: int, one: str, several: str | None = None) -> str:
    return f"{n} {one if n == 1 else several or one + 's'}"


def received_files(con: duckdb.DuckDBPyConnection, run_id: str) -> ReceivedFiles:
    """A run's files; its corrections as marts.data_quality counts them (one definition,
    file_corrections.sql)."""
    con.execute(read_sql("file_corrections.sql"))
    return ReceivedFiles(*con.execute(COUNT_SQL, {"run": run_id}).fetchall()[0])
