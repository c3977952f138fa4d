"""Retention (`reconcile purge`): rows as delivered, quarantined values and inbox files
past their source's period go; typed rows, counts and the worklists stay."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb

from tests.conftest import SAMPLE_AS_OF, SAMPLE_DIR, ingest
from transforms.night import rebuild_night
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables
from transforms.warehouse.purge import purge

LISTS = ("rejected_without_oqtf", "upcoming_releases", "unexecuted_measures", "exclusions")


def state(con: duckdb.DuckDBPyConnection) -> dict:
    return {
        "lists": {t: con.sql(f"SELECT * FROM worklists.{t} ORDER BY ALL").fetchall()  # noqa: S608
                  for t in LISTS},
        "files": con.sql("SELECT file_name, rows_read, rows_staged, rows_quarantined, status "
                         "FROM audit.files ORDER BY ALL").fetchall(),
        "staged": con.sql("SELECT count(*) FROM staging.asylum_decisions").fetchall(),
    }


def test_purge_removes_old_raw_rows_and_files_and_changes_no_list(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_DIR / "inbox", inbox)
    con = warehouse.connect(":memory:")
    tables.create_warehouse(con)
    ingest(con, inbox)
    rebuild_night(con, SAMPLE_AS_OF, horizon_days=120)
    before = state(con)
    purge_day = date(2026, 11, 20)  # 90 days back: 22/08/2026
    old_lists = {r[0] for r in con.execute(
        "SELECT file_name FROM audit.files WHERE system = 'telemofpra' "
        "AND extraction_date < DATE '2026-08-22'").fetchall()}
    assert 10 < len(old_lists) < len(list((inbox / "telemofpra").iterdir()))

    records = purge(con, inbox, purge_day, {"telemofpra": 90, "genesis": 3650, "agdref": 0})
    by_system = {r["system"]: r for r in records}
    assert by_system["telemofpra"]["files"] == len(old_lists)
    assert by_system["telemofpra"]["raw_rows"] > 0
    assert by_system["genesis"]["files"] == 0
    assert by_system["agdref"]["raw_rows"] > 0  # 0 days: every snapshot before that day
    assert by_system["agdref"]["quarantine_values"] > 0
    # Gone: rows as delivered, offending values, the files themselves.
    (left,) = con.execute("SELECT count(*) FROM raw.telemofpra WHERE file_name IN ?",
                          [sorted(old_lists)]).fetchone()
    assert left == 0
    assert not any((inbox / "telemofpra" / name).exists() for name in old_lists)
    assert (inbox / "genesis").is_dir() and any((inbox / "genesis").iterdir())
    (values,) = con.execute("SELECT count(*) FROM audit.quarantine q JOIN audit.files f "
                            "USING (file_name) WHERE f.system = 'agdref' "
                            "AND q.value IS NOT NULL").fetchone()
    assert values == 0
    # Kept: typed rows, the accounting, and so the very same lists.
    rebuild_night(con, SAMPLE_AS_OF, horizon_days=120)
    assert state(con) == before
    (purges,) = con.execute("SELECT count(*) FROM audit.purges").fetchone()
    assert purges == 3
    # A purged file sent again is recognised, not loaded twice.
    again = ingest(con, SAMPLE_DIR / "inbox")
    assert {o.status for o in again} <= {"SKIPPED_DUPLICATE"}
    assert purge(con, inbox, purge_day, {"telemofpra": 90})[0]["raw_rows"] == 0


def test_the_purge_command_writes_the_history_and_republishes(tmp_path):
    """With a history warehouse (transforms/publish/publication.py), `reconcile purge`
    purges the history, where the rows as delivered are, and the published readers'
    warehouse is built again from it and renamed over the night's: readers see the
    purge's record, the same lists, and no row the history no longer holds."""
    from typer.testing import CliRunner

    from flows.cli import app
    from transforms.publish import publication

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_DIR / "inbox", inbox)
    workspace = publication.Workspace(tmp_path / "warehouse.duckdb", tmp_path / "exports")
    night = publication.prepare(workspace)
    with warehouse.connect(workspace.history) as con:
        tables.create_warehouse(con)
        ingest(con, inbox)
        rebuild_night(con, SAMPLE_AS_OF, horizon_days=120)
    publication.publish(workspace, night)
    publication.commit(workspace, night)
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        before = state(con)
    published = workspace.warehouse.resolve().stat().st_ino
    result = CliRunner().invoke(app, ["purge", "--warehouse", str(workspace.warehouse),
                                      "--as-of", "2026-11-20", "--agdref-days", "0"])
    assert result.exit_code == 0, result.output
    assert workspace.warehouse.resolve().stat().st_ino != published
    assert publication.published_night(workspace) == night
    for path in (workspace.warehouse, workspace.history):
        with duckdb.connect(str(path), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM audit.purges").fetchall() == [(3,)]
            assert con.execute("SELECT count(*) FROM audit.quarantine q JOIN audit.files f "
                               "USING (file_name) WHERE f.system = 'agdref' "
                               "AND q.value IS NOT NULL").fetchall() == [(0,)]
            assert state(con) == before


def test_purge_keeps_an_inbox_file_no_night_has_read(con, tmp_path):
    """CONTRACTS §1: a corrected file may replace an earlier one, often under the same
    name. A correction waiting in the inbox under the name of a file past its retention
    is not that file: the purge keeps it for the next night (nothing lost); the file as
    it was read goes (audit of 2026-12-06: before, any file of that name was deleted)."""
    from tests.builders import row, write_file

    inbox = tmp_path / "inbox"
    first = [row("genesis", NUM_ECROU="000101")]
    write_file(inbox, "GENESIS_E01301_20260101.csv", "genesis", first)
    ingest(con, inbox)
    corrected = write_file(inbox, "GENESIS_E01301_20260101.csv", "genesis",
                           [row("genesis", NUM_ECROU="000102", NOM="KOUASSI")])
    [record] = purge(con, inbox, date(2026, 11, 20), {"genesis": 90})
    assert corrected.exists() and record["inbox_files"] == 0
    write_file(inbox, "GENESIS_E01301_20260101.csv", "genesis", first)  # as it was read
    [record] = purge(con, inbox, date(2026, 11, 20), {"genesis": 90})
    assert not corrected.exists() and record["inbox_files"] == 1
