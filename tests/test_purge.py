"""Retention (`reconcile purge`): rows as delivered, quarantined values and inbox files
past their source's period go; typed rows, counts and the worklists stay."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb

from tests.builders import row, write_file
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


# --- Audit of 2026-12-07 (operations): a delivery repeating a file older than the period

PURGE_DAY = date(2026, 11, 20)  # 90 days back: 22/08/2026
OLD_LIST = "GENESIS_E01301_20260101.csv"  # past the GENESIS period
RECENT_LIST = "GENESIS_E01301_20261001.csv"  # 50 days old: within the period
BAD = {"DATE_ECROU": "31/02/2025"}  # quarantined: not a date


def _same_list_twice(con, inbox):
    """An establishment sends the same two-row list (one row quarantined) in January and
    again in October: the October list is UNCHANGED (its rows are read from January's)."""
    rows = [row("genesis", NUM_ECROU="000101", **BAD), row("genesis", NUM_ECROU="000102")]
    write_file(inbox, OLD_LIST, "genesis", rows)
    ingest(con, inbox)
    write_file(inbox, RECENT_LIST, "genesis", rows)
    ingest(con, inbox)
    statuses = dict(con.execute("SELECT file_name, status FROM audit.files").fetchall())
    assert statuses == {OLD_LIST: "LOADED", RECENT_LIST: "UNCHANGED"}


def test_purge_keeps_the_rows_as_delivered_of_a_delivery_within_its_period(con, tmp_path):
    """README, "Retention and data at rest": `reconcile purge` "removes the rows as
    delivered (`raw`), the offending values kept in `audit.quarantine` and the inbox files
    older than a period per source". CONTRACTS §2: an UNCHANGED file "is that date's
    delivery (the latest list ...)".

    The October list is 50 days old, well within GENESIS's 90 days, and it is the
    establishment's latest list: tonight's upcoming_releases cites its line 3. Its rows
    as delivered are stored under January's file. Before (audit of 2026-12-07), purge
    deleted by file name: once January's list was purged, the October delivery's rows as
    delivered and its quarantined value were gone too, and the workspace said "Ligne non
    conservée (purge des données brutes)" for a row the period says must be kept. Now a
    file a delivery within the period repeats keeps its rows."""
    from workspace.lists.queries import source_rows

    inbox = tmp_path / "inbox"
    _same_list_twice(con, inbox)
    rebuild_night(con, PURGE_DAY, horizon_days=120)
    [(cited,)] = con.execute("SELECT source_rows FROM worklists.upcoming_releases").fetchall()
    assert cited == [f"{RECENT_LIST}:3"]  # the flag cites the recent, kept delivery
    [shown_before] = source_rows(con, cited)
    assert shown_before["values"]

    purge(con, inbox, PURGE_DAY, {"genesis": 90})

    assert (inbox / "genesis" / RECENT_LIST).exists()  # the recent file itself is kept
    [shown_after] = source_rows(con, cited)
    assert shown_after["values"] == shown_before["values"], (
        "the rows as delivered of a delivery within its retention period were purged")
    # the October delivery's quarantined row (line 2) keeps its offending value
    values = con.execute("SELECT value FROM audit.quarantine WHERE line_number = 2"
                         ).fetchall()
    assert values and all(v is not None for (v,) in values), (
        "the quarantined value of a delivery within its retention period was purged")


def test_a_list_delivered_after_a_purge_has_its_rows_as_delivered(con, tmp_path):
    """README, "Retention and data at rest": purge removes what is "older than a period
    per source"; "A purged file sent again is recognised and not loaded twice."
    CONTRACTS §2: an UNCHANGED file "is that date's delivery (the latest list ...), its
    rows are not staged twice".

    January's list is purged (rows as delivered gone, as its period says). In November
    the establishment sends a list with the same bytes: tonight's delivery, 0 days old.
    Before (audit of 2026-12-07), it was planned UNCHANGED, repeating January's file,
    whose rows as delivered no longer exist: neither raw nor the workspace could show the
    row of a list received tonight. Now a file whose rows were purged holds none
    (files_past_retention.sql): the same bytes delivered again are loaded."""
    from workspace.lists.queries import source_rows

    inbox = tmp_path / "inbox"
    rows = [row("genesis", NUM_ECROU="000102")]
    write_file(inbox, OLD_LIST, "genesis", rows)
    ingest(con, inbox)
    purge(con, inbox, PURGE_DAY, {"genesis": 90})
    tonight = "GENESIS_E01301_20261120.csv"
    write_file(inbox, tonight, "genesis", rows)  # the same bytes, delivered tonight
    ingest(con, inbox)
    rebuild_night(con, PURGE_DAY, horizon_days=120)
    [(cited,)] = con.execute("SELECT source_rows FROM worklists.upcoming_releases").fetchall()
    assert cited == [f"{tonight}:2"]
    [shown] = source_rows(con, cited)
    assert shown["values"], "tonight's delivery has no rows as delivered"


def test_the_purge_refuses_a_date_after_tomorrow_and_a_wrong_setting_in_one_line(tmp_path,
                                                                                 monkeypatch):
    """An --as-of typed a year ahead would purge every row as delivered: refused as `run`
    refuses it, unless --simulate; a retention set in the environment that is not a
    number of days is refused in one line, nothing purged (audit of 2026-12-07: before,
    the purge ran, or ended in a traceback)."""
    from typer.testing import CliRunner

    from flows.cli import app, paris_today

    path = tmp_path / "warehouse.duckdb"
    with warehouse.connect(path) as con:
        tables.create_warehouse(con)
    ahead = date(paris_today().year + 1, 1, 2).isoformat()
    refused = CliRunner().invoke(app, ["purge", "--warehouse", str(path), "--as-of", ahead])
    assert refused.exit_code == 1 and "is after tomorrow" in refused.output
    assert "--simulate" in refused.output
    with warehouse.connect(path) as con:
        assert con.execute("SELECT count(*) FROM audit.purges").fetchall() == [(0,)]
    simulated = CliRunner().invoke(app, ["purge", "--warehouse", str(path), "--as-of", ahead,
                                         "--simulate"])
    assert simulated.exit_code == 0, simulated.output
    monkeypatch.setenv("RECONCILE_RETENTION_DAYS_GENESIS", "-5")
    wrong = CliRunner().invoke(app, ["purge", "--warehouse", str(path)])
    assert wrong.exit_code == 1
    assert wrong.output.strip().splitlines() == [
        "reconcile: RECONCILE_RETENTION_DAYS_GENESIS='-5': give a whole number of days, "
        "0 or more"]
