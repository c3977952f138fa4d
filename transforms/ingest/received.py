"""What a night received, counted from audit.files (one row per file name and checksum
first seen by the run), for the console's summary (issue 35, items 1 and 8): "new files"
are the files loaded; a correction is a loaded file that replaced an earlier delivery
(often under the same name: told apart by checksum); duplicates and rejected files are
counted apart. Counts only."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

COUNT_SQL = """
SELECT count(*) FILTER (WHERE status IN ('LOADED', 'SUPERSEDED')),
       count(*) FILTER (WHERE status IN ('LOADED', 'SUPERSEDED') AND EXISTS (
           SELECT 1 FROM audit.files earlier
           WHERE earlier.status = 'SUPERSEDED' AND earlier.superseded_by = f.file_name
             AND earlier.sha256 IS DISTINCT FROM f.sha256)),
       count(*) FILTER (WHERE status = 'UNCHANGED'),
       count(*) FILTER (WHERE status = 'SKIPPED_DUPLICATE'),
       count(*) FILTER (WHERE status = 'REJECTED')
FROM audit.files f WHERE run_id = ?
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
    return ReceivedFiles(*con.execute(COUNT_SQL, [run_id]).fetchall()[0])
