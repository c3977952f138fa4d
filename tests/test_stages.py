"""The run's stage clock (audit.run_stages): wall time and the peak memory of the run,
its child processes included (the rules of the departments, the writers of the lists)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref

import pyarrow as pa
import pytest

from flows.settings import usable_cores
from flows.stages import StageClock, private_bytes
from transforms.rules.facts import collection_paused
from transforms.warehouse import database as warehouse
from transforms.warehouse.database import WarehouseSettings, release_cache

HELD = 200 * 2**20


def test_a_stage_counts_the_memory_its_child_processes_hold():
    clock = StageClock()
    child = subprocess.Popen(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", f"import sys; b = bytearray({HELD}); b[::4096] = "
         f"b'1' * len(b[::4096]); print('ready', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        with clock("held") as stage:
            assert child.stdout.readline().strip() == b"ready"
            assert private_bytes(child.pid) >= HELD
            stage["rows"] = 1
    finally:
        child.communicate(b"")
    with clock("gone"):
        pass
    held, gone = clock.stages
    assert held["rows"] == 1
    assert held["peak_rss_mb"] >= gone["peak_rss_mb"] + HELD / 2**20 * 0.95


def test_collection_is_paused_and_restored():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_usable_cores_follow_the_affinity_or_else_the_machine(monkeypatch):
    """On Linux the process's CPU affinity; where the system keeps none (macOS), every
    core of the machine instead of an AttributeError."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert usable_cores() == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert usable_cores() == 16
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert usable_cores() == 1


def _cached_mb(con) -> float:
    return con.sql("SELECT sum(memory_usage_bytes) / 2**20 FROM duckdb_memory()").fetchall()[0][0]


@pytest.mark.parametrize("limit", ["1GB", None])
def test_the_night_connection_hands_its_cache_back_in_its_transaction(tmp_path, limit):
    """The night's one connection stays open all night: before the rules' processes are
    forked, DuckDB's cache of the earlier stages is handed back, uncommitted writes
    included; the transaction goes on when DuckDB cannot evict everything, and the
    limit the settings gave comes back as given (DuckDB reads it back rounded)."""
    settings = WarehouseSettings(memory_limit=limit)
    with warehouse.connect(tmp_path / "w.duckdb", settings=settings) as con:
        before = con.sql("SELECT current_setting('memory_limit')").fetchall()
        con.execute("CREATE TABLE t AS SELECT range AS i, md5(range::VARCHAR) AS s "
                    "FROM range(3000000)")
        con.execute("BEGIN TRANSACTION")
        con.execute("UPDATE t SET s = s || 'x' WHERE i % 3 = 0")
        assert con.sql("SELECT count(DISTINCT s) FROM t").fetchall() == [(3000000,)]
        cached = _cached_mb(con)
        assert cached > 150
        release_cache(con)  # DuckDB cannot go down to RELEASED_CACHE here (refused)
        assert _cached_mb(con) < cached / 2
        assert con.sql("SELECT current_setting('memory_limit')").fetchall() == before
        con.execute("COMMIT")
        assert con.sql("SELECT count(*) FILTER (WHERE s LIKE '%x') FROM t").fetchall() == \
            [(1000000,)]


def test_memory_duckdb_frees_goes_back_to_the_system_while_the_night_is_open(tmp_path):
    """The night's connection stays open all night: what DuckDB frees must not stay
    reserved by its allocator until the connection closes (its background threads
    return it)."""
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        assert con.sql("SELECT current_setting('allocator_background_threads')"
                       ).fetchall() == [(True,)]


def test_rows_read_in_the_night_transaction_are_let_go_at_once(tmp_path):
    """Every frame the night writes goes through run_reading inside one transaction: once
    its statement has run, the rows must be free to go (a registered view, dropped in a
    transaction, kept them until the commit). Checked both ways, so that the check can
    fail."""
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        con.execute("CREATE TABLE t (i BIGINT)")
        con.execute("BEGIN TRANSACTION")
        kept = {}
        for way in ("registered", "run_reading"):
            rows = pa.table({"i": list(range(1000))})
            kept[way] = weakref.ref(rows)
            if way == "registered":
                con.register("incoming", rows)
                con.execute("INSERT INTO t SELECT * FROM incoming")
                con.unregister("incoming")
            else:
                warehouse.run_reading(con, "incoming", rows, "INSERT INTO t SELECT * FROM incoming")
            del rows
        gc.collect()
        assert kept["registered"]() is not None  # what the night did before
        assert kept["run_reading"]() is None
        assert con.sql("SELECT count(*) FROM t").fetchall() == [(2000,)]
        con.execute("COMMIT")
