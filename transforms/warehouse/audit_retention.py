"""Retention of the audit tables that grow by every run (issue 36): what each night
measured (audit.run_stages, audit.source_freshness) and exported (audit.exports), and the
quarantined rows of files the warehouse no longer holds, are removed once older than a
period set per table. Nothing that the row accounting or the lineage of a kept row needs
is ever removed:

- audit.runs, audit.files (every file with its counts: rows_read = rows_staged +
  rows_quarantined, and how a file sent again is recognised), audit.purges,
  audit.audit_purges (what these purges removed), audit.link_decisions and
  audit.identity_weights are kept whole;
- the latest successful run keeps its rows (tonight's freshness, stages and exports);
- a quarantined row stays while its file is a loaded or unchanged delivery (the rules
  read it: DQ-01, and its rows are in staging), and while the rows as delivered of its
  version of the file are in raw: only a superseded version purged from raw loses it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb

from schemas.published import AuditPurgeRecord
from schemas.sources import SOURCE_MODELS
from transforms.warehouse import history
from transforms.warehouse.database import transaction
from transforms.warehouse.tables import insert_frame, model_frame, raw_table

# the tables kept per run, dated by their run's as-of date (audit.runs)
PER_RUN_TABLES = ("run_stages", "source_freshness", "exports")
AUDIT_RETAINED = (*PER_RUN_TABLES, "quarantine")

_OLD_RUNS = ("SELECT run_id FROM audit.runs WHERE as_of_date < ? AND run_id IS DISTINCT FROM "
             "(SELECT arg_max(run_id, started_at) FROM audit.runs WHERE status = 'SUCCEEDED')")


# The runs of the night the latest successful run published: a rerun of that night
# records in audit.exports only the files whose bytes changed (record_exports), so the
# files readers see may be recorded under an earlier run of the same night.
_PUBLISHED_NIGHT_RUNS = (
    "SELECT run_id FROM audit.runs WHERE as_of_date = (SELECT arg_max(as_of_date, "
    "started_at) FROM audit.runs WHERE status = 'SUCCEEDED')")


def _raw_rows() -> str:
    """The rows as delivered of every source kind, with their file and checksum."""
    return " UNION ALL ".join(
        f"SELECT file_name, file_sha256 FROM {history.deliveries(raw_table(kind))}"  # noqa: S608
        for kind in SOURCE_MODELS)


def _old_quarantine() -> str:
    """Quarantined rows of a superseded version of a file (audit.files row of the same
    name and run, whose rows left staging) older than the period, when no loaded or
    unchanged version of that name and run holds them and its rows as delivered are gone
    (reconcile purge): nothing kept can be traced to them any more."""
    return f"""FROM audit.quarantine q
    WHERE EXISTS (SELECT 1 FROM audit.files f
                  WHERE f.file_name = q.file_name AND f.run_id = q.run_id
                    AND f.status = 'SUPERSEDED' AND f.extraction_date < ?
                    AND NOT EXISTS (SELECT 1 FROM ({_raw_rows()}) r
                                    WHERE r.file_name = f.file_name
                                      AND r.file_sha256 = f.sha256))
      AND NOT EXISTS (SELECT 1 FROM audit.files f
                      WHERE f.file_name = q.file_name AND f.run_id = q.run_id
                        AND f.status IN ('LOADED', 'UNCHANGED'))"""  # noqa: S608


def purge_audit(con: duckdb.DuckDBPyConnection, as_of: date,
                retention_days: dict[str, int | None]) -> dict[str, int]:
    """Remove, in one transaction, each table's rows older than its period counted back
    from `as_of` (None: keep all), each purge recorded in audit.audit_purges. Returns the
    rows removed per table."""
    removed = {}
    purged_at = datetime.now()
    with transaction(con):
        for table, days in sorted(retention_days.items()):
            if table not in AUDIT_RETAINED:
                raise ValueError(f"no retention for audit.{table}")
            if days is None:
                continue
            cutoff = as_of - timedelta(days=days)
            if table == "quarantine":
                where, params = _old_quarantine(), [cutoff]
            else:
                where = f"FROM audit.{table} WHERE run_id IN ({_OLD_RUNS})"  # noqa: S608
                params = [cutoff]
                if table == "exports":  # a rerun of the night published records only
                    where += f" AND run_id NOT IN ({_PUBLISHED_NIGHT_RUNS})"  # what changed
            removed[table] = con.execute(f"SELECT count(*) {where}", params).fetchall()[0][0]
            con.execute(f"DELETE {where}", params)
        insert_frame(con, "audit.audit_purges", model_frame(
            [{"purged_at": purged_at, "as_of_date": as_of, "audit_table": table,
              "retention_days": retention_days[table], "rows_removed": rows}
             for table, rows in removed.items()], AuditPurgeRecord))
    return removed
