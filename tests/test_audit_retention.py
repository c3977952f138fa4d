"""Retention of the audit tables that grow by every run (issue 36): rows older than their
period go; the latest run's rows, the accounting and the lineage of kept rows stay."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from typer.testing import CliRunner

from flows.cli import app
from schemas.published import ExportRecord, Run, RunStage
from tests.builders import row, write_file
from tests.conftest import ingest
from tests.scenarios import LATE_AFTER_DAYS
from transforms.ingest.freshness import record_source_freshness
from transforms.publish.export import record_exports
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables
from transforms.warehouse.audit_retention import purge_audit
from transforms.warehouse.purge import purge

TODAY = date(2026, 11, 16)
FILE = "GENESIS_E01301_20250601.csv"  # a list delivered long ago, then corrected
BAD = {"DATE_ECROU": "31/02/2025"}  # quarantined: not a date


def count(con, sql: str, params=()) -> int:
    return con.execute(sql, list(params)).fetchall()[0][0]


def per_run(con, table: str) -> dict[str, int]:
    return dict(con.execute(f"SELECT run_id, count(*) FROM audit.{table} "  # noqa: S608
                            "GROUP BY ALL").fetchall())


def nights(con, inbox) -> list[str]:
    """A list with a quarantined row, then its correction (same name, new bytes, one bad
    row still); four runs: 500 and 401 days ago, 100 days ago, and tonight, each with its
    stages, freshness and exports (synthetic audit rows)."""
    good = row("genesis", NUM_ECROU="000102")
    write_file(inbox, FILE, "genesis", [row("genesis", **BAD), good])
    ingest(con, inbox)
    write_file(inbox, FILE, "genesis", [row("genesis", NUM_ECROU="000103", **BAD), good])
    ingest(con, inbox)
    runs = []
    for days in (500, 401, 100, 0):
        run_id, as_of = f"run-{days}", TODAY - timedelta(days=days)
        started = datetime.combine(as_of, datetime.min.time())
        tables.insert_frame(con, "audit.runs", tables.model_frame([{
            "run_id": run_id, "as_of_date": as_of, "started_at": started,
            "finished_at": started, "status": "SUCCEEDED"}], Run))
        tables.insert_frame(con, "audit.run_stages", tables.model_frame([
            {"run_id": run_id, "stage": s, "started_at": started, "seconds": 1.0, "rows": 1,
             "peak_rss_mb": 10.0} for s in ("ingest", "exports")], RunStage))
        tables.insert_frame(con, "audit.exports", tables.model_frame([{
            "run_id": run_id, "department": "13", "worklist": "upcoming_releases",
            "file_name": f"13/upcoming_releases_{as_of:%Y%m%d}.csv", "rows": 1,
            "sha256": "0" * 64}], ExportRecord))
        record_source_freshness(con, run_id, as_of, LATE_AFTER_DAYS)
        runs.append(run_id)
    return runs


def test_old_rows_go_recent_and_lineage_stay(con, tmp_path):
    inbox = tmp_path / "inbox"
    runs = nights(con, inbox)
    statuses = con.execute("SELECT status, rows_quarantined FROM audit.files "
                           "ORDER BY status").fetchall()
    assert statuses == [("LOADED", 1), ("SUPERSEDED", 1)]
    before = {t: per_run(con, t) for t in ("run_stages", "source_freshness", "exports")}
    assert all(set(rows) == set(runs) for rows in before.values())

    removed = removed_first = purge_audit(
        con, TODAY, {"run_stages": 400, "source_freshness": 400, "exports": None,
                     "quarantine": 400})
    # older than 400 days: the two oldest runs' rows; audit.exports kept whole (None)
    for table in ("run_stages", "source_freshness"):
        assert per_run(con, table) == {r: n for r, n in before[table].items()
                                       if r in ("run-100", "run-0")}
        assert removed[table] == sum(before[table][r] for r in ("run-500", "run-401"))
    assert per_run(con, "exports") == before["exports"]
    # the superseded list's rows as delivered are still in raw: its quarantine stays
    assert removed["quarantine"] == 0
    assert count(con, "SELECT count(*) FROM audit.quarantine") == 2

    purge(con, inbox, TODAY, {"genesis": 90})  # its rows as delivered go
    removed = purge_audit(con, TODAY, {"quarantine": 400, "exports": 0})
    # the superseded version's quarantined row goes; the loaded one's stays (DQ-01 reads
    # it, its rows are staged)
    assert removed["quarantine"] == 1
    kept = con.execute("SELECT q.file_name, f.status FROM audit.quarantine q "
                       "JOIN audit.files f USING (file_name, run_id)").fetchall()
    assert kept == [(FILE, "LOADED")]
    # 0 days: every run before today's goes, but the latest successful run keeps its rows
    assert set(per_run(con, "exports")) == {"run-0"}
    # the accounting is whole: every file, every run, and rows read = staged + quarantined
    assert count(con, "SELECT count(*) FROM audit.files") == 2
    assert count(con, "SELECT count(*) FROM audit.runs") == 4
    assert count(con, "SELECT count(*) FROM audit.files "
                      "WHERE rows_read <> rows_staged + rows_quarantined") == 0
    assert count(con, "SELECT count(*) FROM staging.detainees") == 1
    # each purge of a table with a period recorded, counts only (none for exports: None)
    assert con.execute("SELECT audit_table, retention_days, rows_removed "
                       "FROM audit.audit_purges ORDER BY purged_at, audit_table").fetchall() == [
        ("quarantine", 400, 0),
        ("run_stages", 400, removed_first["run_stages"]),
        ("source_freshness", 400, removed_first["source_freshness"]),
        ("exports", 0, removed["exports"]), ("quarantine", 400, 1)]


def test_the_latest_successful_run_keeps_its_rows_whatever_the_period(con, tmp_path):
    runs = nights(con, tmp_path / "inbox")
    con.execute("UPDATE audit.runs SET as_of_date = as_of_date - 30")  # no run tonight
    purge_audit(con, TODAY, {"run_stages": 0, "source_freshness": 0})
    assert set(per_run(con, "run_stages")) == set(per_run(con, "source_freshness")) == {
        runs[-1]}


def test_purge_command_takes_the_audit_periods(tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    con = warehouse.connect(path)
    tables.create_warehouse(con)
    nights(con, tmp_path / "inbox")
    con.close()
    monkeypatch.setenv("RECONCILE_AUDIT_RETENTION_DAYS_RUN_STAGES", "all")
    result = CliRunner().invoke(app, [
        "purge", "--warehouse", str(path), "--as-of", TODAY.isoformat(),
        "--audit-days", "source_freshness=450", "--audit-days", "exports=90"])
    assert result.exit_code == 0, result.output
    assert "audit.run_stages: kept every row" in result.output
    assert "audit.exports: kept 90 days; 3 rows removed" in result.output
    con = warehouse.connect(path)
    assert set(per_run(con, "run_stages")) == {"run-500", "run-401", "run-100", "run-0"}
    assert set(per_run(con, "source_freshness")) == {"run-401", "run-100", "run-0"}
    con.close()
    refused = CliRunner().invoke(app, ["purge", "--warehouse", str(path),
                                       "--audit-days", "files=10"])
    assert refused.exit_code != 0 and "not one of" in refused.output
    # days written in another script's digits (² passes str.isdigit, not int) are refused
    refused = CliRunner().invoke(app, ["purge", "--warehouse", str(path),
                                       "--audit-days", "exports=²"])
    assert refused.exit_code == 2 and "days must be 0 or more" in refused.output


def test_audit_retention_keeps_the_exports_of_the_latest_successful_run(con):
    """README, "Retention and data at rest": the audit tables "keep the rows of runs whose
    date is within --audit-days ... The latest successful run always keeps its rows."
    CONTRACTS §3: "Each export is recorded in audit.exports (file, rows, checksum, run)."

    A night is run twice (a rerun of the same date, the same inbox: the operator's usual
    recovery). record_exports writes nothing for the rerun (its files have the bytes
    they were last recorded with), so the files the latest successful run published are
    recorded only under the first run's id. Before (audit of 2026-12-07), purge_audit
    removed them as rows of an old run; now the runs of the night published keep theirs."""
    night = date(2026, 11, 16)
    runs = []
    for n, run_id in enumerate(("first", "rerun")):
        started = datetime(2026, 11, 17, 2, 30) + timedelta(hours=n)
        tables.insert_frame(con, "audit.runs", tables.model_frame([{
            "run_id": run_id, "as_of_date": night, "started_at": started,
            "finished_at": started + timedelta(minutes=5), "status": "SUCCEEDED"}], Run))
        runs.append(run_id)
    files = [{"department": "13", "worklist": w, "file_name": f"13/{w}_20261116.csv",
              "rows": 1, "sha256": "a" * 64}
             for w in ("rejected_without_oqtf", "upcoming_releases")]
    for run_id in runs:  # the same night written twice, the same bytes
        record_exports(con, run_id, files)
    recorded = {r[0] for r in con.execute("SELECT file_name FROM audit.exports").fetchall()}
    assert recorded == {f["file_name"] for f in files}

    purge_audit(con, night + timedelta(days=1), {"exports": 0})

    recorded = {r[0] for r in con.execute("SELECT file_name FROM audit.exports").fetchall()}
    assert recorded == {f["file_name"] for f in files}, (
        "the files the latest successful run published are no longer recorded")
