"""The `reconcile` command end to end, through the real Prefect flow (one temporary
Prefect server per command, so these are few and marked slow)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import partial
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import SAMPLE_DIR

RECONCILE = [sys.executable, "-m", "flows"]


def _reconcile(*args: str, home: Path, **settings: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREFECT_HOME": str(home / "prefect"), "COLUMNS": "120", **settings}
    return subprocess.run([*RECONCILE, *args], capture_output=True, text=True, env=env,
                          timeout=600, check=False)


def test_the_command_line_answers_before_the_heavy_libraries_load():
    """Issue 35 (item 8): the first line comes at once because the command line imports
    none of the libraries that take seconds to load (Prefect, polars, DuckDB, Django,
    Pandera, Splink) before it has printed it. A structural check: timings belong to the
    benchmarks, not to the tests."""
    heavy = ("prefect", "polars", "duckdb", "django", "pandera", "splink")
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, flows.cli; "
         f"print(','.join(m for m in {heavy!r} if m in sys.modules))"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""


def test_help_lists_the_commands(tmp_path):
    result = _reconcile("--help", home=tmp_path)
    assert result.returncode == 0
    for command in ("run", "serve", "purge", "generate", "demo", "workspace", "users"):
        assert command in result.stdout
    # each command's summary whole; a flag takes no value, so none is shown after it
    assert "Remove what is past its retention (rows, values, files, audit)." in result.stdout
    run_help = _reconcile("run", "--help", home=tmp_path)
    assert run_help.returncode == 0 and "--simulate " in run_help.stdout
    assert "<bool>" not in run_help.stdout
    # placeholders say what to type, never a Python type
    assert "--as-of YYYY-MM-DD" in run_help.stdout and "<str>" not in run_help.stdout
    purge_help = _reconcile("purge", "--help", home=tmp_path)
    assert "--audit-days TABLE=DAYS" in purge_help.stdout and "<list" not in purge_help.stdout


def test_run_refuses_a_missing_inbox_in_one_line(tmp_path):
    result = _reconcile("run", "--inbox", str(tmp_path / "nowhere"), "--warehouse",
                        str(tmp_path / "w.duckdb"), "--exports", str(tmp_path / "x"),
                        home=tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "nowhere does not exist" in result.stderr


def test_a_mistyped_or_missing_option_is_said_in_one_line(tmp_path):
    """One clear line when something is wrong, a usage error included (click's own
    report is the usage, a hint, a blank line and the error): the error and where the
    help is, exit status 2 as click gives it. Called without anything, the help."""
    for args, says in ((("run", "--inbx", "x"), "No such option: --inbx"),
                       (("run", "--inbox", "x"), "Missing option '--warehouse'"),
                       (("generate", "--scale", "nope", "--out", "x"), "scale must be one of"),
                       (("run", "--inbox"), "Option '--inbox' requires an argument")):
        result = _reconcile(*args, home=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        line = result.stderr.strip()
        assert "\n" not in line and says in line, (args, result.stderr)
        assert line.startswith(f"reconcile {args[0]}: ")
        assert line.endswith(f"; see 'reconcile {args[0]} --help'")
    mistyped = _reconcile("rn", home=tmp_path)
    assert mistyped.returncode == 2 and mistyped.stderr.strip() == (
        "reconcile: No such command 'rn'. Did you mean 'run'? See 'reconcile --help'.")
    bare = _reconcile(home=tmp_path)
    assert bare.returncode == 2
    assert "Usage: reconcile [OPTIONS] COMMAND" in bare.stderr + bare.stdout


def test_demo_and_generate_refuse_a_folder_they_would_spoil_in_one_line(tmp_path):
    """A demo replaces its folder: never one holding anything it did not make (an
    analyst's files); generate never writes beside another data set (its truth/ would
    no longer match) nor into a file."""
    kept = tmp_path / "mine"
    kept.mkdir()
    (kept / "notes.md").write_text("mes notes", encoding="utf-8")
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    # laid out as a demo's folder, as an installation is (deploy/reconcile.env.example)
    installed = tmp_path / "srv"
    (installed / "inbox").mkdir(parents=True)
    (installed / "warehouse.duckdb").write_bytes(b"")
    for args, says in (
            (("demo", "--out", str(installed)), "holds files no demo made"),
            (("demo", "--out", str(kept)), "holds files no demo made"),
            (("demo", "--out", str(tmp_path / "a_file")), "is a file"),
            (("generate", "--out", str(kept), "--scale", "sample"), "is not empty"),
            (("generate", "--out", str(tmp_path / "a_file"), "--scale", "sample"),
             "is a file"),
            (("generate", "--out", str(tmp_path / "new"), "--as-of", "01/12/2026"),
             "--as-of 01/12/2026: not a date: give it as YYYY-MM-DD"),
            (("generate", "--out", str(tmp_path / "new"), "--as-of", "20261201"),
             "--as-of 20261201: not a date: give it as YYYY-MM-DD")):
        result = _reconcile(*args, home=tmp_path)
        assert result.returncode == 1, (args, result.stderr[-2000:])
        assert result.stderr.strip().count("\n") == 0 and says in result.stderr, args
    assert (kept / "notes.md").read_text(encoding="utf-8") == "mes notes"
    assert (installed / "warehouse.duckdb").exists()


@pytest.mark.slow
def test_run_twice_on_the_sample_is_idempotent_and_logs_no_identifiers(tmp_path,
                                                                        prefect_server):
    # the commands on the suite's Prefect server (a command starting a temporary server
    # of its own is tested in test_prefect_server.py)
    reconcile = partial(_reconcile, **prefect_server)
    warehouse = tmp_path / "warehouse.duckdb"
    args = ("run", "--inbox", str(SAMPLE_DIR / "inbox"), "--warehouse", str(warehouse),
            "--exports", str(tmp_path / "exports"), "--as-of", "2026-11-16")
    first = reconcile(*args, home=tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    # Issue 35 (item 8): a line at once, then one per stage as it ends, plain text
    assert first.stdout.startswith("reconcile run as of 2026-11-16: inbox ")
    assert "\x1b" not in first.stdout
    stage_lines = [line.split()[0] for line in first.stdout.splitlines()
                   if re.fullmatch(r"  [a-z-]+ +\d+\.\d s( .*)?", line)]
    assert [line for line in first.stdout.splitlines() if " completed: " in line][0].split(
        " completed: ")[1].startswith(
        "135 new files loaded (0 corrections), 0 duplicates skipped, 0 unchanged deliveries, "
        "0 files rejected; ")
    # the night's new and resolved flags are said of all the lists, not of the last one
    assert re.search(r", unexecuted_measures \d+; all lists: \d+ new, \d+ resolved tonight$",
                     [line for line in first.stdout.splitlines() if " completed: " in line][0])
    counts_query = ("SELECT (SELECT count(*) FROM staging.asylum_decisions), "
                    "(SELECT count(*) FROM staging.detainees), "
                    "(SELECT count(*) FROM raw.agdref_personnes), "
                    "(SELECT count(*) FROM audit.quarantine)")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        after_first = con.execute(counts_query).fetchone()
    # The second night is stricter with prison lists: the console ends with the late ones.
    second = reconcile(*args, home=tmp_path, RECONCILE_STALE_PRISON_LIST_DAYS="12")
    assert second.returncode == 0, second.stderr[-2000:]
    # the sample plants one late establishment (PRI-01: more than 16 days)
    assert [line for line in first.stdout.splitlines() if line.startswith("late:")] == [
        "late: genesis E01302: latest delivery 2026-10-20, 27 days old"]
    assert first.stdout.strip().splitlines()[-1].startswith("late: genesis E01302")
    # a night makes no account (the demo's are `reconcile demo`'s only)
    assert not (tmp_path / "workspace.sqlite3").exists() and "password" not in first.stdout
    assert second.stdout.strip().splitlines()[-3:] == [
        "late: genesis E01301: latest delivery 2026-11-03, 13 days old",
        "late: genesis E01302: latest delivery 2026-10-20, 27 days old",
        "late: genesis E02A01: latest delivery 2026-11-03, 13 days old"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(counts_query).fetchone() == after_first
        runs = con.execute("SELECT status FROM audit.runs ORDER BY started_at").fetchall()
        assert runs == [("SUCCEEDED",), ("SUCCEEDED",)]
        stages = con.execute("SELECT run_id, stage, rows, peak_rss_mb FROM audit.run_stages "
                             "ORDER BY started_at").fetchall()
        rows_read = con.execute("SELECT sum(rows_read) FROM audit.files").fetchone()[0]
        freshness = con.execute("SELECT count(DISTINCT run_id), count(*) FILTER (WHERE is_late) "
                                "FROM audit.source_freshness").fetchone()
    assert freshness == (2, 1 + 3)  # E01302 late on the first night; three at 12 days
    # What each night cost, stage by stage, in the order the stages ran: the night's writes
    # to the history warehouse committed at once, then its readers' warehouse built.
    order = ["prepare-workspace", "ingest", "core-sql", "identity-scoring", "identity-links",
             "worklist-rules", "worklist-tables", "marts", "exports", "history-commit",
             "publish"]
    assert [stage for _, stage, _, _ in stages] == order * 2
    assert sorted(stage_lines) == sorted(order)
    assert len({run for run, *_ in stages}) == 2
    ingest = [rows for _, stage, rows, _ in stages if stage == "ingest"]
    assert ingest == [rows_read, 0]
    assert all(peak > 0 for *_, peak in stages)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # a contract table may be a view of what stores it (the flag history's stretches)
        tables = {r[0] for r in con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() UNION ALL "
            "SELECT schema_name || '.' || view_name FROM duckdb_views()").fetchall()}
    assert {"core.person_links", "worklists.rejected_without_oqtf",
            "worklists.upcoming_releases", "worklists.unexecuted_measures",
            "worklists.exclusions", "worklists.flag_history"} <= tables
    assert "0 new files" in second.stdout
    # A night dated before the published one would put that day's lists before the
    # units (flags resolved since listed again): refused before any work, in one line.
    earlier = reconcile(*args[:-1], "2026-11-15", home=tmp_path)
    assert earlier.returncode == 1
    assert earlier.stderr.strip() == (
        "reconcile: --as-of 2026-11-15 is before the night already published (2026-11-16): "
        "the units' lists and exports would go back to that day; to see what was known "
        "then, run it on a copy (another --warehouse and --exports), or add --replay to "
        "publish it on purpose")
    # no flow was started: Prefect printed its failure twice more (ERROR lines)
    assert "Flow run" not in earlier.stdout and "ERROR" not in earlier.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM audit.runs").fetchone() == (2,)
    # on purpose: that day's lists are published, and the next night's refusal reads the
    # night published last, not the latest date
    replayed = reconcile(*args[:-1], "2026-11-14", "--replay", home=tmp_path)
    assert replayed.returncode == 0, replayed.stderr[-2000:]
    replayed_files = [p.name for p in (tmp_path / "exports" / "13").glob("*.csv")]
    assert replayed_files and all(n.endswith("_20261114.csv") for n in replayed_files)
    assert "(2026-11-14)" in reconcile(*args[:-1], "2026-11-13", home=tmp_path).stderr
    # Need to know: no AGDREF number or surname of the sample in any output.
    logs = first.stdout + first.stderr + second.stdout + second.stderr
    persons = pl.concat([pl.read_csv(p, separator=";", infer_schema=False)
                         for p in (SAMPLE_DIR / "inbox" / "agdref").glob("AGDREF_PERSONNES_*")])
    for number in persons["NUM_AGDREF"].drop_nulls().to_list():
        assert number not in logs
    for surname in persons["NOM"].drop_nulls().unique().to_list():
        assert f" {surname} " not in logs and f"{surname}," not in logs


def test_service_files_use_only_defined_settings_and_real_options(tmp_path):
    deploy = Path(__file__).resolve().parent.parent / "deploy"
    settings = dict(line.split("=", 1) for line in
                    (deploy / "reconcile.env.example").read_text().splitlines()
                    if line and not line.startswith("#"))
    nightly = (deploy / "systemd" / "reconcile-nightly.service").read_text()
    server = (deploy / "systemd" / "reconcile-prefect.service").read_text()
    used = set(re.findall(r"\$([A-Z_]+)", nightly))
    assert used and used <= set(settings)
    help_text = _reconcile("serve", "--help", home=tmp_path).stdout
    for option in re.findall(r"(--[a-z-]+) \"\$", nightly):
        assert option in help_text
    port = re.search(r"--port (\d+)", server).group(1)
    assert settings["PREFECT_API_URL"] == f"http://127.0.0.1:{port}/api"
    workspace = (deploy / "systemd" / "reconcile-workspace.service").read_text()
    used = set(re.findall(r"\$([A-Z_]+)", workspace))
    assert used and used <= set(settings)
    help_text = _reconcile("workspace", "--help", home=tmp_path).stdout
    for option in re.findall(r"(--[a-z-]+) \"\$", workspace):
        assert option in help_text


def test_the_default_run_date_is_the_day_in_paris(monkeypatch):
    """CONTRACTS §4 (--as-of defaults to today): the prefectures' today, as the scheduled
    runs date theirs (README, Europe/Paris). At 23:30 UTC on 1 March 2027 it is already
    2 March in Paris, whatever the machine's time zone."""
    from datetime import UTC, date, datetime

    import flows.cli

    class LateEvening(datetime):
        @classmethod
        def now(cls, tz=None):
            instant = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)
            return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)

    monkeypatch.setattr(flows.cli, "datetime", LateEvening)
    assert flows.cli._parse_day(None) == date(2027, 3, 2)
