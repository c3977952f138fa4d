"""Atomic publication, one run at a time, determinism. The faulted runs kill themselves
with SIGKILL at a stage (flows.faults) and must leave the last good state; the next run
must end where an uninterrupted one ends. Runs share one Prefect server (slow tests)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_DIR
from transforms.publish import publication
from transforms.warehouse.database import SPILL_FOLDER

NIGHT_1, NIGHT_2 = "2026-11-16", "2026-11-17"
LISTS = ("rejected_without_oqtf", "upcoming_releases", "unexecuted_measures", "exclusions")


# --- the mechanism, without Prefect ------------------------------------------------------

def make_state(root: Path, tag: str) -> publication.Workspace:
    workspace = publication.Workspace(root / "w.duckdb", root / "exports")
    with duckdb.connect(str(workspace.warehouse)) as con:
        con.execute("CREATE OR REPLACE TABLE t AS SELECT ? AS tag", [tag])
    (workspace.exports / "13").mkdir(parents=True, exist_ok=True)
    (workspace.exports / "13" / "list.csv").write_text(tag)
    return workspace


def tag_of(workspace: publication.Workspace) -> tuple[str, str]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        (tag,) = con.execute("SELECT tag FROM t").fetchone()
    return tag, (workspace.exports / "13" / "list.csv").read_text()


def build_next(workspace: publication.Workspace, run_id: str, tag: str) -> None:
    publication.prepare(workspace)
    with duckdb.connect(str(workspace.working_warehouse)) as con:
        con.execute("UPDATE t SET tag = ?", [tag])
    (workspace.built_exports(run_id) / "13").mkdir(parents=True)
    (workspace.built_exports(run_id) / "13" / "list.csv").write_text(tag)


def test_a_discarded_run_leaves_the_published_state(tmp_path):
    workspace = make_state(tmp_path, "old")
    build_next(workspace, "r1", "new")
    assert tag_of(workspace) == ("old", "old")  # nothing published touched while building
    publication.discard(workspace, "r1")
    assert tag_of(workspace) == ("old", "old")
    assert not workspace.working_warehouse.exists()
    assert [p.name for p in workspace.exports.iterdir()] == ["13"]


def test_a_commit_interrupted_after_its_journal_is_finished_by_the_next_run(tmp_path):
    workspace = make_state(tmp_path, "old")
    build_next(workspace, "r1", "new")

    class Killed(Exception):
        pass

    def die(stage: str) -> None:
        if stage == "warehouse-swapped":
            raise Killed

    with pytest.raises(Killed):
        publication.commit(workspace, "r1", stage=die)
    assert tag_of(workspace) == ("new", "old") and workspace.journal.exists()
    publication.discard(workspace, "r1")  # a failure handler must not undo a commit
    assert workspace.built_exports("r1").exists()
    publication.prepare(workspace)  # the next run starts: roll forward first
    assert tag_of(workspace) == ("new", "new") and not workspace.journal.exists()


def test_the_next_run_deletes_the_pages_a_killed_run_spilled(tmp_path):
    workspace = make_state(tmp_path, "old")
    spill = tmp_path / SPILL_FOLDER
    spill.mkdir()
    killed = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                            capture_output=True, text=True, check=True).stdout.strip()
    dead = [spill / f"duckdb_temp_{killed}_0_owner",
            spill / f"duckdb_temp_{killed}_0_storage_DEFAULT-0.tmp"]
    alive = spill / f"duckdb_temp_{os.getpid()}_0_storage_DEFAULT-0.tmp"  # a reader's
    for file in (*dead, alive):
        file.write_bytes(b"pages")
    publication.prepare(workspace)
    assert sorted(spill.iterdir()) == [alive]


def test_a_second_run_is_refused_with_a_clear_message(tmp_path):
    workspace = publication.Workspace(tmp_path / "w.duckdb", tmp_path / "exports")
    with publication.RunLock(workspace):
        with pytest.raises(publication.RunLocked, match="another run is using .*w.duckdb"):
            with publication.RunLock(workspace):
                pass
    with publication.RunLock(workspace):  # released: the next one gets it
        pass


# --- the whole command, killed at each stage -------------------------------------------

@pytest.fixture(scope="module")
def inboxes(tmp_path_factory):
    """A small inbox (department 2A) and the files of the next night."""
    root = tmp_path_factory.mktemp("inboxes")
    first = root / "night1"
    for system, pattern in (("telemofpra", "TELEMOFPRA_2A_202611*"),
                            ("genesis", "GENESIS_E02A0*_202611*"),
                            ("agdref", "AGDREF_*_2A_*")):
        (first / system).mkdir(parents=True)
        for path in (SAMPLE_DIR / "inbox" / system).glob(pattern):
            shutil.copy(path, first / system)
    second = root / "night2"
    shutil.copytree(first, second)
    for path in (SAMPLE_DIR / "next_night" / "agdref").glob("AGDREF_*_2A_*"):
        shutil.copy(path, second / "agdref")
    return first, second


def reconcile_run(env: dict, inbox: Path, state: Path, as_of: str, fault: str | None = None
                  ) -> subprocess.CompletedProcess:
    run_env = {**env, "COLUMNS": "160"}
    run_env.pop("RECONCILE_FAULT_AT", None)
    if fault:
        run_env["RECONCILE_FAULT_AT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "flows", "run", "--inbox", str(inbox), "--warehouse",
         str(state / "warehouse.duckdb"), "--exports", str(state / "exports"),
         "--as-of", as_of], env=run_env, capture_output=True, text=True, timeout=600,
        check=False)


def snapshot(state: Path, with_dashboards: bool = True) -> dict:
    """What readers see: the worklists and every exported file's bytes."""
    with duckdb.connect(str(state / "warehouse.duckdb"), read_only=True) as con:
        tables = {name: con.sql(f"SELECT * FROM worklists.{name} ORDER BY ALL").fetchall()  # noqa: S608
                  for name in LISTS}
        runs = con.execute("SELECT count(*) FROM audit.runs WHERE status = 'SUCCEEDED'"
                           ).fetchone()[0]
    exports = state / "exports"
    files = {str(p.relative_to(exports)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(exports.rglob("*")) if p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(exports).parts)
             and (with_dashboards or p.suffix != ".html")}
    return {"tables": tables, "files": files, "runs": runs}


def every_table(state: Path) -> dict[str, tuple[int, int]]:
    """Rows and an order-free digest of every table of the warehouse."""
    with duckdb.connect(str(state / "warehouse.duckdb"), read_only=True) as con:
        names = [f"{s}.{t}" for s, t in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL").fetchall()]
        return {name: con.execute(f"SELECT count(*), sum(hash(t)) FROM {name} t"  # noqa: S608
                                  ).fetchall()[0] for name in names}


@pytest.fixture(scope="module")
def nights(prefect_server, inboxes, tmp_path_factory):
    """Night 1 published, and night 2 run without interruption from it."""
    first, second = inboxes
    root = tmp_path_factory.mktemp("nights")
    result = reconcile_run(prefect_server, first, root / "night1", NIGHT_1)
    assert result.returncode == 0, result.stderr[-3000:]
    shutil.copytree(root / "night1", root / "night2")
    result = reconcile_run(prefect_server, second, root / "night2", NIGHT_2)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "night1", root / "night2"


pytestmark_slow = pytest.mark.slow


@pytestmark_slow
@pytest.mark.parametrize("stage", ["after-ingest", "after-exports", "committed",
                                   "warehouse-swapped"])
def test_a_run_killed_at_any_stage_leaves_the_last_good_state(
        prefect_server, inboxes, nights, tmp_path, stage):
    night1, night2 = nights
    state = tmp_path / "state"
    shutil.copytree(night1, state)
    before = snapshot(state)
    killed = reconcile_run(prefect_server, inboxes[1], state, NIGHT_2, fault=stage)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    if stage in ("after-ingest", "after-exports"):
        assert snapshot(state) == before  # not committed: readers still see night 1
    else:
        journal = json.loads((state / "warehouse.duckdb.publish.json").read_text())
        assert journal["built_exports"].startswith(str(state / "exports"))
    again = reconcile_run(prefect_server, inboxes[1], state, NIGHT_2)
    assert again.returncode == 0, again.stderr[-3000:]
    # The same lists and files as an uninterrupted night 2 (a dashboard counts the files
    # received by the run, and a rerun after the commit receives none).
    assert snapshot(state, with_dashboards=False)["tables"] == snapshot(night2)["tables"]
    assert snapshot(state, with_dashboards=False)["files"] == \
        snapshot(night2, with_dashboards=False)["files"]
    leftovers = [p.name for p in state.iterdir()] + [p.name for p in (state / "exports").iterdir()]
    assert not [n for n in leftovers if n.startswith(".") and n != SPILL_FOLDER
                or n.endswith((".next", ".json"))]
    assert not list((state / SPILL_FOLDER).iterdir())


@pytestmark_slow
def test_same_inbox_and_date_give_the_same_bytes_and_a_replay_changes_nothing(
        prefect_server, inboxes, nights, tmp_path):
    night1, _ = nights
    fresh = tmp_path / "fresh"
    result = reconcile_run(prefect_server, inboxes[0], fresh, NIGHT_1)
    assert result.returncode == 0, result.stderr[-3000:]
    assert snapshot(fresh) == snapshot(night1)  # byte-identical, dashboards included
    replay = tmp_path / "replay"
    shutil.copytree(night1, replay)
    result = reconcile_run(prefect_server, inboxes[0], replay, NIGHT_1)
    assert result.returncode == 0 and "0 new files" in result.stdout
    # A rerun changes no table, no export (dashboards included) and no audit row but the
    # rows of the run itself: audit.runs, its stages and the freshness it measured (one
    # row per source unit and run, docs/contracts.md §2).
    after = snapshot(replay)
    assert after["files"] == snapshot(night1)["files"]
    assert after["runs"] == snapshot(night1)["runs"] + 1
    per_run = {"audit.runs", "audit.run_stages", "audit.source_freshness"}
    before, again = every_table(night1), every_table(replay)
    assert {name: again[name] for name in again if name not in per_run} == \
        {name: before[name] for name in before if name not in per_run}
    with duckdb.connect(str(replay / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT run_id) FROM audit.source_freshness"
                           ).fetchone() == (2,)


@pytestmark_slow
def test_the_command_refuses_a_second_run_in_one_line(prefect_server, inboxes, tmp_path):
    workspace = publication.Workspace(tmp_path / "warehouse.duckdb", tmp_path / "exports")
    with publication.RunLock(workspace):
        result = reconcile_run(prefect_server, inboxes[0], tmp_path, NIGHT_1)
    assert result.returncode != 0
    assert "another run is using" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_only_disk_and_lock_errors_are_retried():
    from prefect.states import Completed, Failed

    from flows.pipeline import RETRY, transient
    from transforms.ingest.read import UnreadableFile

    assert RETRY["retries"] >= 1
    assert transient(None, None, Failed(data=OSError("No space left on device")))
    assert transient(None, None, Failed(data=duckdb.IOException("Could not set lock")))
    assert not transient(None, None, Failed(data=UnreadableFile("bad input")))
    assert not transient(None, None, Failed(data=ValueError("a bug")))
    assert not transient(None, None, Completed(data=1))
