"""Atomic publication, one run at a time, determinism. The faulted runs kill themselves
with SIGKILL at a stage (flows.faults) and must leave the last good state; the next run
must end where an uninterrupted one ends. Runs share one Prefect server (slow tests)."""

from __future__ import annotations

import errno
import hashlib
import os
import random
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

def write_history(workspace: publication.Workspace, tag: str) -> None:
    """What a night writes in place into the history warehouse."""
    with duckdb.connect(str(workspace.history)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS worklists")
        con.execute("CREATE OR REPLACE TABLE worklists.t AS SELECT ? AS tag", [tag])


def build(workspace: publication.Workspace, night: Path, tag: str) -> None:
    """A night as a run builds it: its writes to the history, its exports, then its
    readers' warehouse built from the history."""
    write_history(workspace, tag)
    for department in ("13", "2A"):
        folder = publication.built_exports(night) / department
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "list.csv").write_text(tag)
    (publication.built_exports(night) / "national.html").write_text(tag)
    publication.publish(workspace, night)


def make_state(root: Path, tag: str) -> publication.Workspace:
    workspace = publication.Workspace(root / "w.duckdb", root / "exports")
    night = publication.prepare(workspace)
    build(workspace, night, tag)
    publication.commit(workspace, night)
    return workspace


def tags(warehouse: Path, exports: Path) -> tuple[str, ...]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (tag,) = con.execute("SELECT tag FROM worklists.t").fetchone()
    return (tag, *((exports / name).read_text()
                   for name in ("13/list.csv", "2A/list.csv", "national.html")))


def tag_of(workspace: publication.Workspace) -> tuple[str, ...]:
    """What a reader sees through the paths it is given."""
    return tags(workspace.warehouse, workspace.exports)


def test_a_transaction_inside_the_nights_is_part_of_it(tmp_path):
    """The night's writes are one transaction: a stage's own `transaction` inside it
    commits nothing, and a failure anywhere rolls back every stage's writes."""
    from transforms.warehouse.database import transaction

    with duckdb.connect(str(tmp_path / "h.duckdb")) as con:
        con.execute("CREATE TABLE t (n INTEGER)")
        with pytest.raises(RuntimeError), transaction(con):
            with transaction(con):  # a stage's, e.g. one ingest batch
                con.execute("INSERT INTO t VALUES (1)")
            con.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("a later stage fails")
        assert con.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
        with transaction(con):
            with transaction(con):
                con.execute("INSERT INTO t VALUES (3)")
            with duckdb.connect(str(tmp_path / "h.duckdb")).cursor() as other:
                assert other.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
        assert con.execute("SELECT n FROM t").fetchall() == [(3,)]


def test_a_discarded_run_leaves_the_published_state(tmp_path):
    workspace = make_state(tmp_path, "old")
    night = publication.prepare(workspace)
    build(workspace, night, "new")
    assert set(tag_of(workspace)) == {"old"}  # nothing published touched while building
    publication.discard(workspace, night)
    assert set(tag_of(workspace)) == {"old"}
    assert not night.exists()


def test_the_readers_paths_are_links_through_one_pointer(tmp_path):
    workspace = make_state(tmp_path, "old")
    assert workspace.warehouse.is_symlink() and workspace.exports.is_symlink()
    night = publication.prepare(workspace)
    build(workspace, night, "new")
    publication.commit(workspace, night)
    assert set(tag_of(workspace)) == {"new"}
    assert workspace.warehouse.resolve().parent == night
    assert workspace.exports.resolve() == publication.built_exports(night)


def test_a_night_copies_nothing_of_the_history(tmp_path):
    """The history warehouse is written in place (same file, night after night); a night's
    folder holds its exports and a readers' warehouse built from the history, never a
    copy of it."""
    workspace = make_state(tmp_path, "0")
    with duckdb.connect(str(workspace.history)) as con:  # history readers never see
        con.execute("CREATE SCHEMA raw")
        con.execute("CREATE TABLE raw.delivered AS SELECT md5(range::VARCHAR) AS row "
                    "FROM range(300000)")
        con.execute("CHECKPOINT")
    inode = workspace.history.stat().st_ino
    for n in range(1, 4):
        night = publication.prepare(workspace)
        assert sorted(p.name for p in night.iterdir()) == [publication.BUILDING, "exports"]
        build(workspace, night, str(n))
        publication.commit(workspace, night)
        assert workspace.history.stat().st_ino == inode
        assert tag_of(workspace) == (str(n),) * 4
        largest = max(p.stat().st_size for p in night.rglob("*") if p.is_file())
        assert largest < workspace.history.stat().st_size / 10
        with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM duckdb_tables() "
                               "WHERE schema_name = 'raw'").fetchone() == (0,)


def test_a_night_committed_but_not_published_is_published_by_the_next_run(tmp_path):
    """Killed between the history's commit and the pointer's switch: readers stay on the
    last published night, and the next run publishes the committed one first."""
    workspace = make_state(tmp_path, "old")
    night = publication.prepare(workspace)
    publication.record_run(night, "r2")
    build(workspace, night, "new")
    with duckdb.connect(str(workspace.history)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute("CREATE TABLE audit.runs AS SELECT 'r2' AS run_id, 'SUCCEEDED' AS status")
    assert set(tag_of(workspace)) == {"old"}
    assert publication.unpublished_night(workspace) == night
    following = publication.prepare(workspace)
    assert set(tag_of(workspace)) == {"new"}
    assert publication.published_night(workspace) == night
    assert following.exists() and publication.unpublished_night(workspace) is None
    # a night whose run the history does not hold as SUCCEEDED is dropped
    publication.record_run(following, "r3")
    publication.prepare(workspace)
    assert not following.exists() and set(tag_of(workspace)) == {"new"}


def test_a_warehouse_and_exports_of_an_earlier_version_are_adopted(tmp_path):
    """The warehouse file of a version before nights becomes the history warehouse (the
    same file, renamed), and a readers' warehouse is published from it."""
    workspace = publication.Workspace(tmp_path / "w.duckdb", tmp_path / "exports")
    with duckdb.connect(str(workspace.warehouse)) as con:
        con.execute("CREATE SCHEMA worklists")
        con.execute("CREATE TABLE worklists.t AS SELECT 'legacy' AS tag")
    inode = workspace.warehouse.stat().st_ino
    for name in ("13/list.csv", "2A/list.csv", "national.html"):
        (workspace.exports / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace.exports / name).write_text("legacy")
    night = publication.prepare(workspace)
    assert set(tag_of(workspace)) == {"legacy"}  # readers keep the published night
    assert workspace.history.stat().st_ino == inode
    assert workspace.warehouse.resolve().stat().st_ino != inode
    build(workspace, night, "new")
    publication.commit(workspace, night)
    assert set(tag_of(workspace)) == {"new"}


def test_a_published_whole_warehouse_of_an_earlier_version_is_copied_once(tmp_path):
    """A version before the history warehouse published the whole warehouse in each
    night: the next run copies it once into the history warehouse; readers stay on it
    until the next night is published. A history warehouse lost is not made up from a
    readers' warehouse."""
    workspace = publication.Workspace(tmp_path / "w.duckdb", tmp_path / "exports")
    night = publication.prepare(workspace)
    with duckdb.connect(str(publication.working_warehouse(night))) as con:
        con.execute("CREATE SCHEMA worklists")
        con.execute("CREATE TABLE worklists.t AS SELECT 'whole' AS tag")
    for name in ("13/list.csv", "2A/list.csv", "national.html"):
        (publication.built_exports(night) / name).parent.mkdir(parents=True, exist_ok=True)
        (publication.built_exports(night) / name).write_text("whole")
    publication.commit(workspace, night)
    assert not workspace.history.exists()
    following = publication.prepare(workspace)
    assert set(tag_of(workspace)) == {"whole"}
    with duckdb.connect(str(workspace.history), read_only=True) as con:
        assert con.execute("SELECT tag FROM worklists.t").fetchone() == ("whole",)
    with duckdb.connect(str(workspace.history)) as con:  # the layers, as a warehouse has
        con.execute("CREATE SCHEMA audit")
        con.execute("CREATE TABLE audit.layers AS SELECT 'raw' AS layer, 'As delivered.' "
                    "AS description")
    build(workspace, following, "new")
    publication.commit(workspace, following)
    assert set(tag_of(workspace)) == {"new"}
    workspace.history.unlink()
    with pytest.raises(FileNotFoundError, match="history warehouse .* is missing"):
        publication.prepare(workspace)


def test_republishing_swaps_the_readers_warehouse_in_one_rename(tmp_path):
    """A change to the history between nights (a failed run's line, a purge) reaches the
    published night's readers' warehouse, a new file renamed over it."""
    workspace = make_state(tmp_path, "old")
    before = workspace.warehouse.resolve().stat().st_ino
    write_history(workspace, "changed")
    assert publication.republish(workspace)
    assert tag_of(workspace) == ("changed", "old", "old", "old")
    assert workspace.warehouse.resolve().stat().st_ino != before
    assert not list(publication.published_night(workspace).glob(publication.REPUBLISHED))


# A commit run in a process of its own, killed (SIGKILL) at its k-th file system step.
KILLED_COMMIT = """
import os, shutil, signal, sys
from pathlib import Path
from transforms.publish import publication
root, night, k = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
calls = [0]
def counted(function):
    def step(*args, **kwargs):
        if calls[0] == k:
            os.kill(os.getpid(), signal.SIGKILL)
        calls[0] += 1
        return function(*args, **kwargs)
    return step
for module, name in ((os, "replace"), (os, "symlink"), (os, "fsync"), (os, "unlink"),
                     (os, "rmdir"), (shutil, "rmtree"), (shutil, "copyfile")):
    setattr(module, name, counted(getattr(module, name)))
publication.commit(publication.Workspace(root / "w.duckdb", root / "exports"), night)
print(calls[0])
"""


def test_a_publication_killed_at_every_step_shows_one_whole_night(tmp_path):
    """Killed at each of its steps, a publication leaves readers the old night or the new
    one, whole (warehouse, department folders, national page); the next run starts from
    what they see and publishes its own night."""
    step = 0
    while True:
        root = tmp_path / f"k{step}"
        workspace = make_state(root, "old")
        night = publication.prepare(workspace)
        build(workspace, night, "new")
        done = subprocess.run([sys.executable, "-c", KILLED_COMMIT, str(root), str(night),
                               str(step)], capture_output=True, text=True, check=False,
                              cwd=Path(__file__).parents[1])
        seen = tag_of(workspace)
        assert len(set(seen)) == 1 and seen[0] in ("old", "new"), (step, seen)
        resolved = publication.published_night(workspace)
        assert tags(publication.working_warehouse(resolved),
                    publication.built_exports(resolved)) == seen
        following = publication.prepare(workspace)  # the next run
        assert set(tag_of(workspace)) == set(seen)
        build(workspace, following, "next")
        publication.commit(workspace, following)
        assert set(tag_of(workspace)) == {"next"}
        # the published night, and the one before it for readers still on it
        assert {p.name for p in workspace.nights.iterdir()} <= {
            following.name, night.name, resolved.name}
        assert len(list(workspace.nights.iterdir())) <= 2
        if done.returncode == 0:
            break
        assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
        step += 1
    assert step >= 4  # the checkpoint, the mark, the pointer's link and rename, the readers'


def test_readers_see_one_whole_night_while_nights_are_published(tmp_path):
    """A reader resolving the pointer once reads one night's files, whatever the moment;
    a reader going through the paths always finds a whole file."""
    workspace = make_state(tmp_path, "0")
    publisher = subprocess.Popen([sys.executable, "-c", """
import sys
from pathlib import Path
from tests.test_publication import build
from transforms.publish import publication
workspace = publication.Workspace(Path(sys.argv[1]) / "w.duckdb", Path(sys.argv[1]) / "exports")
for n in range(1, 8):
    night = publication.prepare(workspace)
    build(workspace, night, str(n))
    publication.commit(workspace, night)
""", str(tmp_path)], cwd=Path(__file__).parents[1])
    seen = set()
    try:
        while publisher.poll() is None:
            night = publication.published_night(workspace)
            try:
                read = tags(publication.working_warehouse(night),
                            publication.built_exports(night))
            except (FileNotFoundError, duckdb.IOException):
                continue  # a night two publications old, dropped meanwhile
            assert len(set(read)) == 1, read
            seen.add(read[0])
            assert tag_of(workspace)[0].isdigit()
    finally:
        publisher.wait(timeout=120)
    assert publisher.returncode == 0
    assert tag_of(workspace) == ("7",) * 4 and len(seen) >= 2


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


def reconcile_run(env: dict, inbox: Path, state: Path, as_of: str, fault: str | None = None,
                  debug: bool = False) -> subprocess.CompletedProcess:
    run_env = {**env, "COLUMNS": "160"}
    run_env.pop("RECONCILE_FAULT_AT", None)
    if fault:
        run_env["RECONCILE_FAULT_AT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "flows", "run", "--inbox", str(inbox), "--warehouse",
         str(state / "warehouse.duckdb"), "--exports", str(state / "exports"),
         "--as-of", as_of, *(["--debug"] if debug else [])], env=run_env,
        capture_output=True, text=True, timeout=600, check=False)


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
    shutil.copytree(root / "night1", root / "night2", symlinks=True)
    result = reconcile_run(prefect_server, second, root / "night2", NIGHT_2)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "night1", root / "night2"


pytestmark_slow = pytest.mark.slow


# Kills at seeded random moments: RECONCILE_KILL_SEED replays a failure.
KILL_SEED = int(os.environ.get("RECONCILE_KILL_SEED", "20261202"))


def killed_at_random(env: dict, inbox: Path, state: Path, as_of: str) -> float:
    """Start a run and SIGKILL it after a delay drawn from KILL_SEED; returns the delay."""
    delay = random.Random(KILL_SEED).uniform(2.0, 14.0)
    run = subprocess.Popen(
        [sys.executable, "-m", "flows", "run", "--inbox", str(inbox), "--warehouse",
         str(state / "warehouse.duckdb"), "--exports", str(state / "exports"), "--as-of",
         as_of], env={**env, "COLUMNS": "160"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        run.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        run.send_signal(signal.SIGKILL)
        run.wait()
    return delay


@pytestmark_slow
@pytest.mark.parametrize("stage", ["after-ingest", "after-exports", "history-committed",
                                   "night-whole", "published", "random"])
def test_a_run_killed_at_any_stage_leaves_the_last_good_state(
        prefect_server, inboxes, nights, tmp_path, stage):
    night1, night2 = nights
    state = tmp_path / "state"
    shutil.copytree(night1, state, symlinks=True)
    before, after = snapshot(state), snapshot(night2)
    if stage == "random":
        delay = killed_at_random(prefect_server, inboxes[1], state, NIGHT_2)
        replay = f"killed after {delay:.2f} s (RECONCILE_KILL_SEED={KILL_SEED})"
    else:
        killed = reconcile_run(prefect_server, inboxes[1], state, NIGHT_2, fault=stage)
        assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
        replay = stage
    # Readers see one whole night: the last good one, or the new one if it was published.
    expected = after if stage == "published" else before
    assert snapshot(state) in ((before, after) if stage == "random" else (expected,)), replay
    history = publication.Workspace(state / "warehouse.duckdb", state / "exports").history
    with duckdb.connect(str(history), read_only=True) as con:  # the kill's log rolled back
        committed = con.execute("SELECT count(*) FROM audit.runs WHERE status = 'SUCCEEDED'"
                                ).fetchone()[0]
    assert committed == before["runs"] + (stage in ("history-committed", "night-whole",
                                                    "published")) or stage == "random"
    again = reconcile_run(prefect_server, inboxes[1], state, NIGHT_2)
    assert again.returncode == 0, again.stderr[-3000:]
    # The same lists and files, dashboards included, as an uninterrupted night 2 (one
    # more run when the killed one had published: the rerun changes nothing).
    again_seen = snapshot(state)
    assert again_seen["runs"] == after["runs"] + (again_seen["runs"] > after["runs"])
    assert {k: again_seen[k] for k in ("tables", "files")} == \
        {k: after[k] for k in ("tables", "files")}, replay
    leftovers = [p.name for p in state.iterdir()]
    nights_kept = list((state / ".warehouse.duckdb.nights").iterdir())
    assert not [n for n in leftovers if n.endswith(publication.STAGED_LINK)]
    assert len(nights_kept) <= 2
    assert not [n for n in nights_kept if (n / publication.BUILDING).exists()]
    assert not [p for folder in (state, *nights_kept) for p in folder.glob(f"{SPILL_FOLDER}/*")]


@pytestmark_slow
def test_a_night_writes_the_history_in_place_and_publishes_what_readers_need(
        prefect_server, inboxes, nights, tmp_path):
    """Night 2 on night 1's state: the history warehouse is the same file, grown in
    place; the night's folder holds no copy of it; the readers' warehouse holds no
    delivery history (AGDREF's latest deliveries only) and every table and column keeps
    its comment."""
    night1, night2 = nights
    state = tmp_path / "state"
    shutil.copytree(night1, state, symlinks=True)
    workspace = publication.Workspace(state / "warehouse.duckdb", state / "exports")
    inode = workspace.history.stat().st_ino
    result = reconcile_run(prefect_server, inboxes[1], state, NIGHT_2)
    assert result.returncode == 0, result.stderr[-3000:]
    assert workspace.history.stat().st_ino == inode
    size = workspace.history.stat().st_size
    night = publication.published_night(workspace)
    assert max(p.stat().st_size for p in night.rglob("*") if p.is_file()) < size
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        objects = {name for (name,) in con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() UNION ALL "
            "SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()}
        assert not [o for o in objects if o.endswith(("_contents", "_deliveries", "_history"))
                    and o.startswith(("raw.", "staging."))]
        assert {"raw.agdref_personnes", "staging.agdref_persons_latest",
                "worklists.flag_history"} <= objects
        assert con.execute("SELECT count(DISTINCT extraction_date) FROM "
                           "staging.agdref_persons WHERE department = '2A'").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM duckdb_columns() WHERE database_name = "
                           "current_database() AND comment IS NULL").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = "
                           "current_database() AND comment IS NULL").fetchone() == (0,)
    with duckdb.connect(str(workspace.history), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT extraction_date) FROM "
                           "staging.agdref_persons WHERE department = '2A'").fetchone()[0] > 1
    assert snapshot(state) == snapshot(night2)


@pytestmark_slow
def test_same_inbox_and_date_give_the_same_bytes_and_a_replay_changes_nothing(
        prefect_server, inboxes, nights, tmp_path):
    night1, _ = nights
    fresh = tmp_path / "fresh"
    result = reconcile_run(prefect_server, inboxes[0], fresh, NIGHT_1)
    assert result.returncode == 0, result.stderr[-3000:]
    assert snapshot(fresh) == snapshot(night1)  # byte-identical, dashboards included
    replay = tmp_path / "replay"
    shutil.copytree(night1, replay, symlinks=True)
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
def test_a_failed_run_ends_with_its_reason_and_is_not_retried(
        prefect_server, inboxes, nights, tmp_path):
    """The last line of a failed run is its reason, nothing after it (no retry of what
    is not transient, no report of the interpreter's shutdown); readers keep night 1 and
    audit.runs keeps the failure."""
    night1, _ = nights
    state = tmp_path / "state"
    shutil.copytree(night1, state, symlinks=True)
    before = snapshot(state)
    failed = reconcile_run(prefect_server, inboxes[1], state, NIGHT_2,
                           fault="after-ingest:error")
    assert failed.returncode == 1
    # CONTRACTS §4: one line, the reason (Prefect's run logs are on standard output)
    assert failed.stderr.rstrip("\n").splitlines() == [
        "reconcile: run failed: InjectedFault: fault injected at after-ingest"]
    assert "nanobind" not in failed.stderr and "Retrying" not in failed.stderr
    # an expected failure: no traceback on the console (Prefect's logs keep it; --debug)
    assert "Traceback" not in failed.stderr and "raise " not in failed.stderr
    assert {k: v for k, v in snapshot(state).items() if k != "runs"} == \
        {k: v for k, v in before.items() if k != "runs"}
    history = publication.Workspace(state / "warehouse.duckdb", state / "exports").history
    for warehouse in (state / "warehouse.duckdb", history):  # readers' and history
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert con.execute("SELECT status, failure_reason FROM audit.runs "
                               "ORDER BY started_at DESC LIMIT 1").fetchone() == (
                "FAILED", "InjectedFault: fault injected at after-ingest")
            assert con.execute("SELECT count(*) FROM audit.runs WHERE status = 'SUCCEEDED' "
                               "AND failure_reason IS NULL").fetchone() == (1,)
            assert con.execute("SELECT count(*) FROM audit.files WHERE run_id = ("
                               "SELECT run_id FROM audit.runs WHERE status = 'FAILED')"
                               ).fetchone() == (0,)  # the failed night's files rolled back
    debugged = reconcile_run(prefect_server, inboxes[1], state, NIGHT_2,
                             fault="after-ingest:error", debug=True)
    assert debugged.returncode == 1 and "Traceback" in debugged.stdout + debugged.stderr
    assert debugged.stderr.rstrip("\n").splitlines()[-1] == (
        "reconcile: run failed: InjectedFault: fault injected at after-ingest")


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
    assert transient(None, None, Failed(data=OSError(errno.ENOSPC, "No space left on device")))
    assert transient(None, None, Failed(data=duckdb.IOException(
        'IO Error: Could not set lock on file "w.duckdb": Conflicting lock is held')))
    # what fails the same way 20 seconds later
    assert not transient(None, None, Failed(data=IsADirectoryError(errno.EISDIR, "folder")))
    assert not transient(None, None, Failed(data=PermissionError(errno.EACCES, "refused")))
    assert not transient(None, None, Failed(data=FileNotFoundError(errno.ENOENT, "gone")))
    assert not transient(None, None, Failed(data=duckdb.IOException(
        'IO Error: Cannot open file "w.duckdb": Is a directory')))
    assert not transient(None, None, Failed(data=UnreadableFile("bad input")))
    assert not transient(None, None, Failed(data=ValueError("a bug")))
    assert not transient(None, None, Completed(data=1))
