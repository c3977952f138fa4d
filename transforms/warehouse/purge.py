"""Retention: remove the rows as delivered (`raw`), the offending values kept in
`audit.quarantine` and the inbox files once they are older than a period set per source.
Typed rows (`staging`) stay, since the rules need the history (a grant of protection years
ago still protects); the accounting stays (audit.files keeps every file with its counts,
audit.purges says what was removed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from schemas.published import PurgeRecord
from schemas.sources import SOURCE_MODELS
from transforms.warehouse import history
from transforms.warehouse.checksums import checksum
from transforms.warehouse.database import read_sql, transaction
from transforms.warehouse.tables import insert_frame, model_frame, raw_table


def kinds_of(system: str) -> list[str]:
    return [kind for kind in SOURCE_MODELS if kind.split("_")[0] == system]


def purge(con: duckdb.DuckDBPyConnection, inbox: Path | None, as_of: date,
          retention_days: dict[str, int]) -> list[dict]:
    """Purge each source of what is older than its retention, in one transaction (the
    inbox files are deleted after the commit). Returns one audit record per source."""
    records, to_delete = [], []
    with transaction(con):
        for system, days in sorted(retention_days.items()):
            cutoff = as_of - timedelta(days=days)
            # a file older than the period whose rows a later delivery within it repeats
            # keeps them: they are that delivery's rows as delivered
            files = [r[0] for r in con.execute(read_sql("files_past_retention.sql"), {
                "cutoffs": [{"system": system, "cutoff": cutoff}]}).fetchall()]
            raw_rows = 0
            for kind in kinds_of(system):
                table = history.deliveries(raw_table(kind))
                (count,) = con.execute(
                    f"SELECT count(*) FROM {table} WHERE file_name IN ?",  # noqa: S608
                    [files]).fetchall()[0]
                con.execute(f"DELETE FROM {table} WHERE file_name IN ?", [files])  # noqa: S608
                history.drop_unreferenced(con, raw_table(kind))
                raw_rows += count
            (values,) = con.execute(
                "SELECT count(*) FROM audit.quarantine WHERE file_name IN ? "
                "AND value IS NOT NULL", [files]).fetchall()[0]
            con.execute("UPDATE audit.quarantine SET value = NULL WHERE file_name IN ?",
                        [files])
            # a file is deleted only as it was read: a correction waiting under the same
            # name (CONTRACTS §1), not yet read by any night, is kept
            read = {(name, sha) for name, sha in con.execute(
                "SELECT file_name, sha256 FROM audit.files WHERE file_name IN ?",
                [files]).fetchall()}
            present = [inbox / system / name for name in files
                       if inbox is not None and (inbox / system / name).is_file()
                       and (name, checksum(inbox / system / name)) in read]
            to_delete += present
            records.append({"purged_at": datetime.now(), "as_of_date": as_of,
                            "system": system, "retention_days": days, "files": len(files),
                            "raw_rows": raw_rows, "quarantine_values": values,
                            "inbox_files": len(present)})
        insert_frame(con, "audit.purges", model_frame(records, PurgeRecord))
    for path in to_delete:
        path.unlink(missing_ok=True)
    return records
