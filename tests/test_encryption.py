"""Data at rest: the warehouse file is readable by its owner only; with a key it is
encrypted, and a key this machine cannot honour stops the run in one line."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_AS_OF, SAMPLE_DIR, ingest
from transforms.night import rebuild_night
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables
from transforms.warehouse.database import WarehouseSettings


def encrypted(key: str | None) -> WarehouseSettings:
    # DuckDB's built-in library stands in for the crypto extension this machine lacks.
    return WarehouseSettings(key=key, unsafe_crypto_for_tests=True)


def build(path, settings: WarehouseSettings) -> None:
    with warehouse.connect(path, settings=settings) as con:
        tables.create_warehouse(con)
        ingest(con, SAMPLE_DIR / "inbox")
        rebuild_night(con, SAMPLE_AS_OF, horizon_days=120)


def test_the_warehouse_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with warehouse.connect(path) as con:
        tables.create_warehouse(con)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_with_a_key_the_whole_pipeline_writes_an_encrypted_file(tmp_path):
    settings = encrypted("a-test-key-never-used-in-production")
    path = tmp_path / "warehouse.duckdb"
    build(path, settings)
    with warehouse.connect(path, read_only=True, settings=settings) as con:
        (flags,) = con.execute("SELECT count(*) FROM worklists.rejected_without_oqtf"
                               ).fetchone()
    assert flags > 0
    with pytest.raises(duckdb.Error, match="encrypted"):
        duckdb.connect(str(path), read_only=True).sql("SELECT 1").fetchall()
    persons = next((SAMPLE_DIR / "inbox" / "agdref").glob("AGDREF_PERSONNES_*"))
    surname = persons.read_text(encoding="utf-8").splitlines()[1].split(";")[1]
    stored = path.read_bytes()
    assert len(surname) >= 3 and surname.encode() not in stored
    assert persons.name.encode() not in stored


# A name that is in no other file: found in a spilled page, it was written in clear.
MARKER = "ZORGLUBOVITCH"


def spill(con: duckdb.DuckDBPyConnection, temporary: bool = True) -> list[bytes]:
    """Make DuckDB write pages of a table of names to disk, and return what it wrote."""
    kind = "TEMP TABLE" if temporary else "TABLE"
    con.execute("SET memory_limit = '24MB'; SET threads = 1")
    con.execute(f"CREATE {kind} names AS SELECT ? || i AS name "  # noqa: S608 (fixed words)
                "FROM range(600000) t(i)", [MARKER])
    con.execute(f"CREATE {kind} sorted AS SELECT name FROM names "  # noqa: S608 (fixed words)
                "ORDER BY name DESC")
    folder = con.sql("SELECT current_setting('temp_directory')").fetchall()[0][0]
    return [Path(f.path).read_bytes() for f in os.scandir(folder) if f.name.endswith(".tmp")]


@pytest.mark.parametrize("key", [None, "a-test-key-never-used-in-production"])
def test_what_does_not_fit_in_memory_spills_beside_the_warehouse_privately(
        tmp_path, key, monkeypatch):
    """The warehouse and Splink's own connection spill into one owner-only folder beside
    the warehouse, never into the working directory; with a key, in cipher."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data" / "warehouse.duckdb"
    path.parent.mkdir()
    with (warehouse.connect(path, settings=encrypted(key)) as con,
          warehouse.scratch_connection(con) as scratch):
        # Splink writes plain tables into its connection's database: the scratch one
        spilled = {"warehouse": spill(con), "splink": spill(scratch, temporary=False)}
        folder = path.parent / warehouse.SPILL_FOLDER
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert scratch.sql("SELECT current_setting('temp_directory')").fetchall()[0][0] \
            == str(folder)
    assert not (tmp_path / ".tmp").exists()
    for connection, pages in spilled.items():
        assert pages, f"{connection}: nothing spilled, the test proves nothing"
        in_clear = any(MARKER.encode() in page for page in pages)
        assert in_clear == (key is None), connection


def test_a_key_without_the_crypto_extension_stops_the_run_in_one_line(tmp_path):
    env = {**os.environ, "RECONCILE_WAREHOUSE_KEY": "k", "PREFECT_HOME": str(tmp_path)}
    env.pop("RECONCILE_UNSAFE_TEST_CRYPTO", None)
    try:
        duckdb.connect().execute("LOAD httpfs")
        pytest.skip("the crypto extension is installed here")
    except duckdb.Error:
        pass
    result = subprocess.run(
        [sys.executable, "-m", "flows", "run", "--inbox", str(SAMPLE_DIR / "inbox"),
         "--warehouse", str(tmp_path / "w.duckdb"), "--exports", str(tmp_path / "x")],
        env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "crypto extension" in result.stderr and "disk encryption" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_splink_works_in_a_scratch_database_of_the_warehouse_freed_at_the_end(tmp_path):
    """One DuckDB, one memory limit for the warehouse and Splink's tables; the scratch
    database sees none of the warehouse's tables and is gone once Splink is done."""
    with warehouse.connect(tmp_path / "warehouse.duckdb") as con:
        con.execute("SET memory_limit = '300MB'")
        con.execute("CREATE TABLE persons AS SELECT 1 AS person")
        with warehouse.scratch_connection(con) as scratch:
            scratch.execute("CREATE TABLE __splink__pairs AS SELECT 2 AS pair")
            assert scratch.sql("SELECT current_setting('memory_limit')").fetchall() == \
                con.sql("SELECT current_setting('memory_limit')").fetchall()
            with pytest.raises(duckdb.CatalogException):
                scratch.sql("SELECT * FROM persons")
            scratch_name = scratch.sql("SELECT current_database()").fetchall()[0][0]
        databases = {r[0] for r in con.sql("SELECT database_name FROM duckdb_databases()"
                                           ).fetchall()}
        assert scratch_name.startswith("scratch_") and scratch_name not in databases
        with pytest.raises(duckdb.CatalogException):
            con.sql("SELECT * FROM __splink__pairs")
        assert con.sql("SELECT person FROM persons").fetchall() == [(1,)]


@pytest.mark.parametrize("key", [None, "a-test-key-never-used-in-production"])
def test_a_warehouse_is_attached_with_its_key_to_be_compared(tmp_path, key):
    """What the benchmark does to compare two runs' warehouses, encrypted or not."""
    settings = encrypted(key)
    for name, value in (("one", 1), ("two", 2)):
        with warehouse.connect(tmp_path / f"{name}.duckdb", settings=settings) as con:
            con.execute("CREATE TABLE t AS SELECT ? AS v", [value])
    with duckdb.connect() as con:
        for name in ("one", "two"):
            warehouse.attach(con, tmp_path / f"{name}.duckdb", name, read_only=True,
                             settings=settings)
        assert con.sql("SELECT one.t.v, two.t.v FROM one.t, two.t").fetchall() == [(1, 2)]
        with pytest.raises(duckdb.Error):
            con.execute("INSERT INTO one.t VALUES (3)")
