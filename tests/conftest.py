from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from data.synthetic.scales import read_manifest
from flows.prefect_server import answers, free_port, tied_to_this_process
from tests import remembered
from transforms.ingest.freshness import record_source_freshness
from transforms.ingest.inbox import plan_inbox
from transforms.ingest.load import FileOutcome, ingest_inbox
from transforms.night import rebuild_night
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables


def pytest_configure(config):
    """Splink passes and Pandera validations remembered for the process (tests/remembered.py),
    and polars' in-memory engine for the test process's own queries (`in_memory_queries`)."""
    remembered.install()
    in_memory_queries()


def in_memory_queries() -> None:
    """Polars' in-memory engine for the lazy queries of this process: Pandera runs one a
    check, on the few rows of a test, where the in-memory engine answers in half the time
    of the default one, which chooses the streaming engine (0.15 against 0.31 ms a query;
    about a tenth of a rule scenario's night). The nights of the commands the tests start
    (demo, run, serve) keep polars' default, as a prefecture's nights do: it validates
    their large files faster (1 M GENESIS rows in 2.8 s, against 5.3 s in memory). Polars
    keeps the setting for the process once set; the variable that carries it to child
    processes is taken out."""
    pl.Config.set_engine_affinity("in-memory")
    os.environ.pop("POLARS_ENGINE_AFFINITY", None)


def pytest_collection_modifyitems(config, items):
    """The files holding slow tests first, then the others by how many tests they hold:
    `make test` hands whole files to two workers in this order (--no-loadscope-reorder),
    so that a long file (the publication's kills, a minute and more) does not start last
    and leave one worker running alone at the end."""
    by_file: dict[str, list] = {}
    for item in items:
        by_file.setdefault(item.nodeid.split("::")[0], []).append(item)
    order = sorted(by_file, key=lambda f: (not any(i.get_closest_marker("slow")
                                                   for i in by_file[f]), -len(by_file[f])))
    items[:] = [item for f in order for item in by_file[f]]


PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
SAMPLE_AS_OF = date.fromisoformat(read_manifest(SAMPLE_DIR)["as_of"])
SAMPLE_LATE_AFTER_DAYS = {"genesis": 16, "telemofpra": 8, "agdref": 2}  # PRI-01 defaults
# Tools a unit's workstation has (LibreOffice, Chromium): CI installs them and sets this,
# so that the tests that need them fail there instead of being skipped.
REQUIRE_DESKTOP_TOOLS = os.environ.get("RECONCILE_REQUIRE_DESKTOP_TOOLS") == "1"


def desktop_tool(name: str) -> str:
    """Path of a program (soffice, chromium); skips the test when absent, except in CI."""
    path = shutil.which(name)
    if path is None:
        if REQUIRE_DESKTOP_TOOLS:
            pytest.fail(f"{name} is required here (RECONCILE_REQUIRE_DESKTOP_TOOLS=1)")
        pytest.skip(f"{name} is not installed (see .ci/run)")
    return path


# What a warehouse's catalog holds, to check that a copy is what create_warehouse makes.
# DuckDB reprints a table macro it copies (the columns of its REPLACE in another order):
# macros are compared by name and parameters.
CATALOG = (
    "SELECT schema_name, table_name, comment, sql FROM duckdb_tables() ORDER BY ALL",
    "SELECT schema_name, table_name, column_name, column_index, data_type, column_default, "
    "is_nullable, comment FROM duckdb_columns() ORDER BY ALL",
    "SELECT schema_name, view_name, comment, sql FROM duckdb_views() WHERE NOT internal "
    "ORDER BY ALL",
    "SELECT schema_name, function_name, function_type, parameters FROM duckdb_functions() "
    "WHERE NOT internal ORDER BY ALL",
    "SELECT schema_name, table_name, constraint_type, constraint_text, expression, "
    "constraint_column_names FROM duckdb_constraints() ORDER BY ALL",
    "SELECT schema_name, sequence_name FROM duckdb_sequences() ORDER BY ALL",
    "SELECT schema_name, table_name, sql FROM duckdb_indexes() ORDER BY ALL",
    "SELECT * FROM audit.layers ORDER BY ALL",
)


def catalog(connection: duckdb.DuckDBPyConnection) -> list[list[tuple]]:
    return [connection.execute(query).fetchall() for query in CATALOG]


def copy_of(template: Path) -> duckdb.DuckDBPyConnection:
    """A new in-memory warehouse holding a copy of the warehouse file `template`."""
    connection = warehouse.connect(":memory:")
    # one thread: each of the suite's two processes has a core (`make test`), and a
    # scenario's tables hold a few rows (about 5 % less CPU time on the rules' scenarios)
    connection.execute("SET threads = 1")
    connection.execute("ATTACH ? AS template (READ_ONLY)", [str(template)])
    connection.execute("COPY FROM DATABASE template TO memory")
    connection.execute("DETACH template")
    return connection


@pytest.fixture(scope="session")
def empty_warehouse(tmp_path_factory) -> Path:
    """A warehouse file as create_warehouse makes it, once per process: `con` copies it
    (0.06 s) instead of running create_warehouse's 1,100 statements (0.25 s) for each of
    some 300 tests. Checked once against a warehouse create_warehouse makes in memory."""
    path = tmp_path_factory.mktemp("warehouse") / "empty.duckdb"
    with duckdb.connect(str(path)) as template:
        tables.create_warehouse(template)
    made = warehouse.connect(":memory:")
    tables.create_warehouse(made)
    copied = copy_of(path)
    assert catalog(copied) == catalog(made), "a copied warehouse is not what create_warehouse makes"
    copied.close()
    made.close()
    return path


@pytest.fixture
def con(empty_warehouse) -> duckdb.DuckDBPyConnection:
    """An empty in-memory warehouse, as create_warehouse makes it."""
    connection = copy_of(empty_warehouse)
    yield connection
    connection.close()


def ingest(con: duckdb.DuckDBPyConnection, inbox: Path) -> list[FileOutcome]:
    """One ingestion pass over an inbox, as the flow does it, without Prefect."""
    return ingest_inbox(con, plan_inbox(con, inbox), run_id=uuid.uuid4().hex)


@pytest.fixture(scope="session")
def sample_warehouse():
    """The committed sample ingested and its worklists published as of its date
    (in memory, without Prefect). Read-only for the tests that share it."""
    con = warehouse.connect(":memory:")
    tables.create_warehouse(con)
    ingest(con, SAMPLE_DIR / "inbox")
    con.execute("INSERT INTO audit.runs BY NAME SELECT DISTINCT run_id, ? AS as_of_date, "
                "now() AS started_at, now() AS finished_at, 'SUCCEEDED' AS status "
                "FROM audit.files", [SAMPLE_AS_OF])
    (run_id,) = con.execute("SELECT min(run_id) FROM audit.files").fetchall()[0]
    record_source_freshness(con, run_id, SAMPLE_AS_OF, SAMPLE_LATE_AFTER_DAYS)
    rebuild_night(con, SAMPLE_AS_OF, horizon_days=120)
    yield con
    con.close()


@pytest.fixture
def ingest_into():
    return ingest


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory) -> tuple[Path, str, str]:
    """`reconcile demo` run once, as a user runs it (its own process, real Prefect flow):
    the output folder, what the command printed and what it logged. Prefect's own
    database and logs are in the folder's parent (prefect/)."""
    out = tmp_path_factory.mktemp("demo") / "demo-output"
    env = {**os.environ, "PREFECT_HOME": str(out.parent / "prefect"), "COLUMNS": "160"}
    result = subprocess.run([sys.executable, "-m", "flows", "demo", "--out", str(out)],
                            capture_output=True, text=True, env=env, timeout=900, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result.stdout, result.stderr


def start_prefect_server(home: Path) -> tuple[subprocess.Popen, dict]:
    """A Prefect server started for this process (not yet answering) and the environment
    that reaches it. Tied to this process (flows.prefect_server.tied_to_this_process): a
    test process killed, by a timeout or by hand, does not leave it running."""
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1",
           # The scheduler looks for deployments to schedule every 60 s by default.
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5"}
    server = subprocess.Popen(
        tied_to_this_process([sys.executable, "-m", "prefect", "server", "start", "--host",
                              "127.0.0.1", "--port", str(port)]),
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return server, {**env, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One local Prefect server shared by the tests that run the command several times
    (about 4 s to start, then each run saves starting a temporary server of its own)."""
    server, env = start_prefect_server(tmp_path_factory.mktemp("prefect"))
    url = env["PREFECT_API_URL"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if answers(url):
            break
        time.sleep(0.2)
    else:
        os.killpg(server.pid, signal.SIGTERM)
        pytest.fail("the Prefect server did not start")
    yield env
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


@pytest.fixture(scope="session")
def workspace_app(tmp_path_factory):
    """The units' workspace (Django, configured once per process) on a small published
    warehouse of departments 13 and 75, with one account per role (workspace_world.py)."""
    from tests.workspace_world import start_workspace

    return start_workspace(tmp_path_factory.mktemp("workspace"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def decisions_workspace(workspace_app, request):
    """The workspace on each storage it supports (issue 34 §5): its SQLite file, then a
    fresh PostgreSQL database (skipped without a server, except in CI)."""
    from tests.workspace_world import on_database

    with on_database(workspace_app, request.param) as ws:
        yield ws
