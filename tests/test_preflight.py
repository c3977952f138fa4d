"""`reconcile run` refuses what would fail later, before any work, in one line naming what
to fix (issue 35, item 3): the checks as functions, then the command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.preflight import (
    Refused,
    check_as_of,
    check_exports_content,
    check_inbox,
    check_not_before_published,
    check_output,
    check_run,
)
from tests.conftest import SAMPLE_AS_OF, SAMPLE_DIR

TODAY = date(2026, 11, 16)


def test_a_date_after_tomorrow_needs_simulate():
    check_as_of(date(2026, 11, 17), TODAY, simulate=False)
    check_as_of(date(2020, 1, 1), TODAY, simulate=False)
    with pytest.raises(Refused, match=r"^--as-of 2062-11-16 is after tomorrow: .*--simulate"):
        check_as_of(date(2062, 11, 16), TODAY, simulate=False)
    check_as_of(date(2062, 11, 16), TODAY, simulate=True)


def test_a_date_before_the_published_night_needs_replay():
    """The units read the published night: an earlier one would give them back that day's
    lists. The same night again, a later one, or a first night are run."""
    for published in (None, TODAY, date(2026, 11, 15)):
        check_not_before_published(TODAY, published)
    with pytest.raises(Refused, match=r"^--as-of 2026-11-16 is before the night already "
                                      r"published \(2026-11-17\): .*--replay"):
        check_not_before_published(TODAY, date(2026, 11, 17))


def test_an_inbox_one_level_too_high_is_refused_naming_the_folder_below(tmp_path):
    dataset = tmp_path / "synthetic"
    for night in ("inbox", "next_night"):
        for system in ("telemofpra", "genesis", "agdref"):
            (dataset / night / system).mkdir(parents=True)
    with pytest.raises(Refused) as refused:
        check_inbox(dataset)
    # two candidates below (the generator's inbox and next night): no guess, both named
    assert str(refused.value) == (
        f"inbox {dataset} has no telemofpra/, genesis/, agdref/ folder: give one of the "
        "folders below that hold them: inbox, next_night")
    shutil.rmtree(dataset / "next_night")
    with pytest.raises(Refused, match=f"give --inbox {dataset / 'inbox'}$"):
        check_inbox(dataset)
    check_inbox(dataset / "inbox")
    shutil.rmtree(dataset / "inbox" / "genesis")
    with pytest.raises(Refused, match="has no genesis/ folder"):
        check_inbox(dataset / "inbox")
    with pytest.raises(Refused, match="nowhere does not exist"):
        check_inbox(tmp_path / "nowhere")
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(Refused, match="a_file is not a folder"):
        check_inbox(tmp_path / "a_file")


def test_outputs_of_the_wrong_kind_or_in_no_folder_are_refused(tmp_path):
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(Refused, match="is a file: give the path of the exports folder"):
        check_output("exports", tmp_path / "a_file", expect_folder=True)
    with pytest.raises(Refused, match="is a folder: give the path of the warehouse file"):
        check_output("warehouse", tmp_path, expect_folder=False)
    with pytest.raises(Refused, match="a_file is not a folder"):
        check_output("warehouse", tmp_path / "a_file" / "w.duckdb", expect_folder=False)
    # an exports folder holding what no night wrote would be taken over and removed
    exports = tmp_path / "exports_kept"
    (exports / "13").mkdir(parents=True)
    (exports / "13" / "rejected_without_oqtf_20261116.csv").write_text("x")
    (exports / "tableau_de_bord_national.html").write_text("x")
    (exports / ".incoming-1234").mkdir()  # what a killed run of that version left
    (exports / "13" / ".~lock.rejected_without_oqtf_20261116.xlsx#").write_text("x")
    check_exports_content(exports)  # an earlier version's exports: taken over
    for notes, named in ((exports / "notes_du_bureau.txt", "notes_du_bureau.txt"),
                         (exports / "13" / "annotations.txt", "13")):
        notes.write_text("mes notes")
        with pytest.raises(Refused, match=f"holds what no night wrote \\({named}\\)"):
            check_run(SAMPLE_DIR / "inbox", tmp_path / "w.duckdb", exports, TODAY, TODAY,
                      simulate=False)
        notes.unlink()
    # folders still to be made are made in the nearest existing one
    check_output("exports", tmp_path / "new" / "deeper" / "exports", expect_folder=True)
    check_run(SAMPLE_DIR / "inbox", tmp_path / "w.duckdb", tmp_path / "exports",
              TODAY, TODAY, simulate=False)


def _unprivileged() -> list[str]:
    """Run as an account that cannot write a read-only folder (root can write anywhere)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root without setpriv cannot show a folder it may not write")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def shared_tmp():
    """A folder another account can walk (pytest's own are the owner's only)."""
    folder = Path(tempfile.mkdtemp(prefix="reconcile-preflight-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def _run(*args: str, prefix: list[str] | None = None) -> tuple[subprocess.CompletedProcess,
                                                               float]:
    started = time.monotonic()
    result = subprocess.run([*(prefix or []), sys.executable, "-m", "flows", "run", *args],
                            capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ, "COLUMNS": "120"})
    return result, time.monotonic() - started


def test_a_read_only_exports_folder_is_refused_at_once_in_one_line(shared_tmp):
    """The night used to be built, retried twice and fail after 55 s with a traceback."""
    state = shared_tmp / "state"
    state.mkdir()
    state.chmod(0o777)
    exports = state / "exports"
    exports.mkdir()
    exports.chmod(0o555)
    result, seconds = _run("--inbox", str(SAMPLE_DIR / "inbox"), "--warehouse",
                           str(state / "w.duckdb"), "--exports", str(exports),
                           "--as-of", "2026-11-16", prefix=_unprivileged())
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"reconcile: exports folder {exports} is not writable by this account: give "
        "--exports in a folder it may write to, or change its permissions"]
    assert seconds < 15 and sorted(p.name for p in state.iterdir()) == ["exports"]
    # and the folder that would hold a new warehouse
    state.chmod(0o555)
    result, _ = _run("--inbox", str(SAMPLE_DIR / "inbox"), "--warehouse",
                     str(state / "w.duckdb"), "--exports", str(shared_tmp / "x"),
                     "--as-of", "2026-11-16", prefix=_unprivileged())
    assert result.stderr.splitlines() == [
        f"reconcile: warehouse folder {state} is not writable by this account: give "
        "--warehouse in a folder it may write to, or change its permissions"]


@pytest.mark.parametrize(("args", "expected"), [
    (("--as-of", "2062-11-16"), "--as-of 2062-11-16 is after tomorrow"),
    (("--as-of", "16/11/2026"), "--as-of 16/11/2026: not a date: give it as YYYY-MM-DD"),
])
def test_a_wrong_date_is_refused_in_one_line(tmp_path, args, expected):
    result, _ = _run("--inbox", str(SAMPLE_DIR / "inbox"), "--warehouse",
                     str(tmp_path / "w.duckdb"), "--exports", str(tmp_path / "x"), *args)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "w.duckdb").exists()


def test_an_inbox_one_level_too_high_is_refused_by_the_command(tmp_path):
    result, _ = _run("--inbox", str(SAMPLE_DIR), "--warehouse", str(tmp_path / "w.duckdb"),
                     "--exports", str(tmp_path / "x"), "--as-of", "2026-11-16")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"reconcile: inbox {SAMPLE_DIR} has no telemofpra/, genesis/, agdref/ folder: give "
        "one of the folders below that hold them: inbox, next_night"]


def test_the_night_reads_only_the_systems_folders(con, tmp_path):
    """Nothing beside telemofpra/, genesis/ and agdref/ is read by the nightly run (the
    ingestion tests still read loose files)."""
    from transforms.ingest.inbox import plan_inbox

    shutil.copytree(SAMPLE_DIR / "inbox", tmp_path / "inbox")
    shutil.copytree(SAMPLE_DIR / "next_night", tmp_path / "inbox" / "next_night")
    (tmp_path / "inbox" / "notes.txt").write_text("à lire", encoding="utf-8")
    night = plan_inbox(con, tmp_path / "inbox", system_folders_only=True)
    sample = plan_inbox(con, SAMPLE_DIR / "inbox")
    assert sorted(p.file.file_name for p in night) == sorted(p.file.file_name for p in sample)
    everything = plan_inbox(con, tmp_path / "inbox")
    assert len(everything) > len(night)


def test_an_inbox_dated_after_the_run_date_is_said(con):
    """A year mistyped in --as-of (2025 for 2026) loads every file and lists nothing: the
    night says so (pipeline.plan_inbox logs it), naming the earliest file's date."""
    from transforms.ingest.inbox import all_dated_after, plan_inbox

    plans = plan_inbox(con, SAMPLE_DIR / "inbox", system_folders_only=True)
    earliest = min(p.file.extraction_date for p in plans)
    assert all_dated_after(plans, date(2025, 11, 16)) == earliest
    assert all_dated_after(plans, earliest) is None  # a file of the night's own date
    assert all_dated_after(plans, SAMPLE_AS_OF) is None
    assert all_dated_after([], date(2025, 11, 16)) is None


def test_the_night_published_last_is_read_in_any_layout(tmp_path, empty_warehouse):
    """The refusal of an earlier date reads the night published last (the latest to end
    well, not the latest date: a replay may be dated before others), in the history
    warehouse, else in a warehouse of an earlier layout the run will adopt (one file);
    none before the first night."""
    from flows.night_warehouse import last_published_date
    from transforms.publish.publication import Workspace

    layout = Workspace(tmp_path / "warehouse.duckdb", tmp_path / "exports")
    assert last_published_date(layout) is None
    shutil.copyfile(empty_warehouse, layout.warehouse)
    assert last_published_date(layout) is None
    runs = [("a", date(2026, 11, 16), "2026-11-16 03:00", "SUCCEEDED"),
            ("b", date(2026, 11, 14), "2026-11-16 10:00", "SUCCEEDED"),  # a replay
            ("c", date(2026, 11, 17), "2026-11-16 11:00", "FAILED")]
    with duckdb.connect(str(layout.warehouse)) as con:
        con.executemany("INSERT INTO audit.runs (run_id, as_of_date, started_at, finished_at, "
                        "status) VALUES (?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?)",
                        [(r, d, f, f, st) for r, d, f, st in runs])
    assert last_published_date(layout) == date(2026, 11, 14)
    shutil.copyfile(empty_warehouse, layout.history)  # the history's word counts
    with duckdb.connect(str(layout.history)) as con:
        con.execute("INSERT INTO audit.runs (run_id, as_of_date, started_at, finished_at, "
                    "status) VALUES ('d', DATE '2026-11-18', now(), now(), 'SUCCEEDED')")
    assert last_published_date(layout) == date(2026, 11, 18)


def test_a_system_folder_in_other_letters_is_named_to_rename(tmp_path):
    """README audit of 2026-12-07: with `Genesis/` beside telemofpra/ and agdref/, the
    refusal said only "has no genesis/ folder". The contract's folder names are lower
    case; the refusal now says which folder to rename."""
    for system in ("telemofpra", "Genesis", "agdref"):
        (tmp_path / system).mkdir()
    with pytest.raises(Refused) as refused:
        check_inbox(tmp_path)
    assert str(refused.value) == (
        f"inbox {tmp_path} has no genesis/ folder: rename Genesis/ to genesis/")
