"""The nightly flow: a list of named steps (docs/design.md data path).

No `from __future__ import annotations` here: Prefect validates the flow parameters of a
served run from the real annotations (with strings it cannot resolve `Path`)."""

import errno
import shutil
import sys
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dashboards import build as dashboard
from flows import console, faults
from flows.failures import failure_reason
from flows.night_warehouse import (
    last_published_date,
    night_transaction,
    open_warehouse,
    warehouse_connection,
)
from flows.preflight import check_not_before_published
from flows.rule_processes import rule_processes
from flows.settings import (
    RunSettings,
    objectives_file,
    read_objectives,
    usable_cores,
    warehouse_settings,
    workspace_database,
)
from flows.spark import linkage_backend, spark_session
from flows.stages import StageClock
from schemas.published import RunStage
from transforms.core.agent_decisions import load_agent_decisions
from transforms.identity.review import carry_link_decisions
from transforms.ingest import inbox as ingest_plan
from transforms.ingest.freshness import record_source_freshness
from transforms.ingest.inbox import PlannedFile
from transforms.ingest.load import FileOutcome, ingest_inbox, quarantine_lines
from transforms.ingest.printable import printable
from transforms.ingest.received import received_files
from transforms.night import rebuild_night
from transforms.publish import export, publication
from transforms.rules.decide import Decided
from transforms.rules.facts import Departments
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables
from transforms.warehouse.tables import insert_frame, model_frame
from workspace.decisions.in_force import database_found, decisions_in_force, identity_decisions

PARIS = ZoneInfo("Europe/Paris")


# What may pass on a second try: a full disk being cleared, a busy or flaky device, a
# file another process holds. A path that is a folder, a missing file or a refused
# permission fails the same way 20 seconds later: not retried.
TRANSIENT_ERRNOS = frozenset({errno.ENOSPC, errno.EBUSY, errno.EAGAIN, errno.EINTR, errno.EIO,
                              errno.ETIMEDOUT, errno.ESTALE, errno.EDQUOT})
TRANSIENT_DUCKDB = ("could not set lock", "conflicting lock", "no space left")


def transient(task, task_run, state) -> bool:
    """Retry only what may pass on a second try (TRANSIENT_ERRNOS, a lock DuckDB could not
    take); bad input never raises (it is quarantined) and a bug would fail again."""
    try:
        state.result()
    except duckdb.IOException as err:
        return any(words in str(err).lower() for words in TRANSIENT_DUCKDB)
    except OSError as err:
        return err.errno in TRANSIENT_ERRNOS
    except Exception:  # noqa: BLE001 (any other failure is not transient)
        return False
    return False


RETRY = {"retries": 2, "retry_delay_seconds": 20, "retry_condition_fn": transient}


@task(name="prepare-warehouse", **RETRY)
def prepare_warehouse(warehouse_path: Path) -> None:
    """Every layer and table that does not exist yet, and the conversions of an earlier
    version's tables, all or nothing: the history warehouse is written in place."""
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    with open_warehouse(warehouse_path) as con, warehouse.transaction(con):
        tables.create_warehouse(con)


def new_run_id(as_of: date) -> str:
    return f"{as_of:%Y%m%d}-{uuid.uuid4().hex[:12]}"


@task(name="start-run")
def start_run(warehouse_path: Path, run_id: str, as_of: date) -> None:
    with warehouse_connection(warehouse_path) as con:
        con.execute(
            "INSERT INTO audit.runs (run_id, as_of_date, started_at, status) "
            "VALUES (?, ?, ?, 'RUNNING')",
            [run_id, as_of, datetime.now()],
        )


def misplaced_notes(misplaced: list[tuple[str, str]]) -> list[str]:
    """What the operator hears of the lists the night does not read: each one at the
    inbox's root, and those of a folder beside the systems' by folder and system."""
    notes = [f"inbox: {printable(path)} is at the inbox's root, where it is not read: move "
             f"it into {system}/" for path, system in misplaced if "/" not in path]
    by_folder = Counter((path.split("/")[0], system) for path, system in misplaced
                        if "/" in path)
    notes += [f"inbox: {printable(folder)}/ holds {count} {system} list{'s' * (count > 1)} "
              "the night does not read (it reads telemofpra/, genesis/ and agdref/ only): "
              f"move {'them' if count > 1 else 'it'} into {system}/"
              for (folder, system), count in sorted(by_folder.items())]
    return notes


@task(name="plan-inbox")
def plan_inbox(inbox: Path, warehouse_path: Path, as_of: date
               ) -> tuple[list[PlannedFile], list[str]]:
    """The inbox's files planned against those registered, and what the operator should
    hear of the inbox itself (logged now, repeated at the end of the console)."""
    with warehouse_connection(warehouse_path) as con:
        plans = ingest_plan.plan_inbox(con, inbox, system_folders_only=True)
    actions = Counter(p.action for p in plans)
    notes = misplaced_notes(ingest_plan.misplaced_lists(inbox))
    earliest = ingest_plan.all_dated_after(plans, as_of)
    if earliest is not None:
        notes.append(f"inbox: every file is dated after --as-of {as_of:%Y-%m-%d} (the "
                     f"earliest {earliest:%Y-%m-%d}): tonight's lists read none of them; "
                     "check --as-of")
    if not plans:
        # a night on nothing is allowed (an empty list is news), but an empty inbox is
        # more often a share not mounted or a wrong --inbox
        notes.append(f"inbox: no file in {printable(str(inbox))} (telemofpra/, genesis/, "
                     "agdref/ are empty)")
    for note in notes:
        get_run_logger().warning("%s", note)
    if plans:
        get_run_logger().info("inbox: %d files (%s)", len(plans),
                              ", ".join(f"{k} {v}" for k, v in sorted(actions.items())))
    return plans, notes


@task(name="ingest-files")
def ingest_files(warehouse_path: Path, plans: list[PlannedFile], run_id: str,
                 as_of: date) -> tuple[list[dict], dict]:
    """Read the planned files; returns their outcomes and what the night received
    (transforms.ingest.received, from audit.files)."""
    logger = get_run_logger()
    todo = [p for p in plans if p.action != "SKIP_KNOWN"]
    with warehouse_connection(warehouse_path) as con, Progress(
        TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        transient=True, disable=not sys.stdout.isatty(),  # a bar on a terminal only
    ) as progress:
        bar = progress.add_task("ingest", total=len(todo))

        def report(outcome: FileOutcome | None) -> None:
            progress.advance(bar)
            if outcome is None:
                return
            # File names, lines, columns and checks only: never a value (personal data).
            if outcome.status == "REJECTED":
                logger.warning("REJECTED %s", rejected_line(outcome.file_name, outcome.error))
            elif outcome.error:
                logger.info("%s: %s", outcome.file_name, outcome.error)
            if outcome.rows_quarantined:
                for line in quarantine_lines(con, outcome.file_name, run_id):
                    logger.warning("QUARANTINED %s", line)

        outcomes = ingest_inbox(con, todo, run_id, on_file=report, run_date=as_of)
        received = received_files(con, run_id)
    by_status = Counter(o.status for o in outcomes)
    logger.info(
        "files: %s; rows read %d, staged %d, quarantined %d",
        ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())) or "none new",
        sum(o.rows_read for o in outcomes), sum(o.rows_staged for o in outcomes),
        sum(o.rows_quarantined for o in outcomes),
    )
    return [asdict(o) for o in outcomes], asdict(received)


def rejected_line(file_name: str, error: str | None) -> str:
    """A rejected file and why, in one line: its name and the reader's reason (file names,
    lines, columns and checks only, never a value)."""
    error = error or ""
    return error if error.startswith(file_name) else f"{file_name}: {error}"


@task(name="record-freshness")
def record_freshness(warehouse_path: Path, run_id: str, as_of: date,
                     late_after_days: dict[str, int]) -> list[str]:
    """audit.source_freshness for this run (PRI-01), in the run's working warehouse so
    that it is published with the rest; one warning per late unit (units and dates only)."""
    with warehouse_connection(warehouse_path) as con:
        late = record_source_freshness(con, run_id, as_of, late_after_days)
    logger = get_run_logger()
    for unit in late:
        logger.warning("%s", unit.describe())
    return [unit.describe() for unit in late]


@task(name="agent-decisions", **RETRY)
def copy_agent_decisions(warehouse_path: Path, published: Path, as_of: date) -> int:
    """The decisions units recorded in the workspace and in force tonight (OQ-02's
    examination on another ground, PRI-05's answer to the prison), read from the
    workspace's database beside the published warehouse and copied into
    core.agent_decisions for the rules (docs/contracts.md §2); and the identity decisions
    (a pair confirmed or rejected), added to audit.link_decisions where those of
    `reconcile link` already are, for the identity stage. Agents may write meanwhile: the
    night reads one consistent snapshot (SQLite WAL, PostgreSQL). The log counts those
    the rules read on `as_of`: a night run for an earlier date (`--as-of`) reads the
    events in effect by then, an examination closed after it still open, and leaves the
    later ones to the nights from their day."""
    database = workspace_database(published)
    with warehouse_connection(warehouse_path) as con:
        count, carried = copy_decisions(con, database, as_of)
    if count and not database_found(database):  # last night's, kept (copy_decisions)
        get_run_logger().warning(
            "base de l'espace de travail introuvable (%s) : les décisions de la nuit "
            "précédente restent en vigueur ; vérifiez --warehouse ou "
            "RECONCILE_WORKSPACE_DATABASE_URL", database["NAME"])
    get_run_logger().info(
        "agent decisions in force on %s: %d (those in effect after that date are left to "
        "the nights from their day); identity decisions new: %d",
        as_of.isoformat(), count, carried)
    return count


def copy_decisions(con: duckdb.DuckDBPyConnection, database: dict,
                   as_of: date | None = None) -> tuple[int, int]:
    """The workspace's decisions (its DATABASES entry) into the night's warehouse: those
    in force by `as_of` (None: every event) into core.agent_decisions, the identity
    decisions not copied yet into audit.link_decisions. Returns both counts."""
    if not database_found(database):
        # A workspace that held decisions last night cannot vanish: a night reading none
        # would list everyone an open examination keeps off the lists (OQ-02). The
        # decisions of last night stay in force until the path is mended (the task says
        # so); without a workspace ever, there are none.
        return con.sql("SELECT count(*) FROM core.agent_decisions").fetchall()[0][0], 0
    count = load_agent_decisions(con, decisions_in_force(database, as_of))
    return count, carry_link_decisions(con, identity_decisions(database))


def department_tasks(rules: Callable[[Departments], Decided], groups: list[Departments]
                     ) -> list[Decided]:
    """The rules of each department as a Prefect task of its own (`rules-<department>`),
    submitted to the flow's task runner; the results come back in the order of the
    groups. The tasks share the facts read once (in memory, never cached nor persisted:
    they hold persons); nationally the departments are decided by processes forked
    with the facts, one per core but one, and by the tasks themselves while those are
    busy (flows.rule_processes)."""
    with rule_processes(rules, len(groups)) as submit:
        per_department = task(lambda department, group: submit(group).result(),
                              name="rules", task_run_name="rules-{department}",
                              cache_policy=NO_CACHE)
        futures = [per_department.submit(
            ",".join(sorted(d or "unknown" for d in group)) if group else "all", group)
            for group in groups]
        return [future.result() for future in futures]


@task(name="build-worklists")
def build_worklists(warehouse_path: Path, as_of: date, horizon_days: int,
                    stale_days: int, keep_decisions: bool = False) -> tuple[dict, list[dict]]:
    """Rebuild core and the three worklists as of the run date, in one transaction;
    returns the counts and the timed stages."""
    clock = StageClock(on_end=console.stage_done)
    spark = spark_session() if linkage_backend() == "spark" else None
    with warehouse_connection(warehouse_path) as con:
        counts = rebuild_night(con, as_of, horizon_days, stage=clock, spark=spark,
                                   fan_out=department_tasks, stale_days=stale_days,
                                   keep_decisions=keep_decisions)
    # Counts only: worklists hold persons.
    get_run_logger().info(
        "worklists: %s; excluded %s; %d new flags, %d resolved",
        ", ".join(f"{k} {v}" for k, v in counts.listed.items()),
        ", ".join(f"{k} {v}" for k, v in sorted(counts.excluded.items())) or "none",
        counts.new, counts.resolved,
    )
    if keep_decisions:
        get_run_logger().info("rules: %d decisions of earlier nights kept, %d decided tonight",
                              counts.kept, counts.decided)
    return asdict(counts), clock.stages


def list_writers(departments: int) -> ThreadPoolExecutor:
    """Threads writing the departments' lists, one per core this process may use (at
    most one a department), while the dashboards are drawn in the run's thread: the rows
    of a list are rendered by polars and compressed by zlib, which let the other threads
    run (transforms.publish.workbook). Processes were slower (each starts its own polars, whose
    threads then compete for the same cores)."""
    return ThreadPoolExecutor(max_workers=max(1, min(departments, usable_cores())))


@task(name="build-exports", **RETRY)
def build_exports(warehouse_path: Path, built: Path, as_of: date, run_id: str,
                  objectives: dashboard.Objectives) -> dict:
    """Write every department's folder (lists as CSV and XLSX, README.txt, dashboard) and
    the national dashboard into the run's night (published with it at the commit); record
    every file in audit.exports. The lists are written by `list_writers` while the
    dashboards are drawn here."""
    if built.exists():
        shutil.rmtree(built)
    built.mkdir(parents=True)
    records: list[dict] = []
    with warehouse_connection(warehouse_path) as con:
        lists = export.load_lists(con, as_of)
        departments = export.export_departments(con, lists)
        with list_writers(len(departments)) as writers, Progress(
                TextColumn("exports"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                transient=True, disable=not sys.stdout.isatty()) as progress:
            folders = export.folder_lists(lists, departments, as_of)
            written = [writers.submit(export.write_folder, folders[department], department,
                                      built / department, as_of)
                       for department in departments]
            pages = [dashboard.write_page(con, dashboard.Scope(department, as_of, run_id),
                                          built / department / dashboard.PAGE_NAME, objectives)
                     for department in departments]
            for lists_written, page in progress.track(zip(written, pages, strict=True),
                                                      total=len(departments)):
                records += [*lists_written.result(), page]
        records.append(dashboard.write_page(con, dashboard.Scope(None, as_of, run_id,
                                                                 tuple(departments)),
                                            built / dashboard.NATIONAL_PAGE_NAME, objectives))
        export.record_exports(con, run_id, records)
    get_run_logger().info("exports: %d departments, %d files built", len(departments),
                          len(records))
    return {"departments": len(departments), "files": len(records),
            "rows": sum(r["rows"] for r in records)}


@task(name="prepare-workspace", **RETRY)
def prepare_workspace(workspace: publication.Workspace) -> Path:
    """Adopt an earlier layout, publish a night committed but not published, drop what
    killed runs left, make this run's night (an empty folder: nothing is copied); returns
    the night's folder (transforms.publish.publication)."""
    return publication.prepare(workspace, warehouse_settings())


@task(name="publish", **RETRY)
def publish(workspace: publication.Workspace, night: Path) -> None:
    """The night's readers' warehouse, built from the committed history."""
    publication.publish(workspace, night, warehouse_settings())


@task(name="commit", **RETRY)
def commit(workspace: publication.Workspace, night: Path) -> None:
    publication.commit(workspace, night, stage=faults.reach, settings=warehouse_settings())
    get_run_logger().info("published: warehouse %s, exports %s", workspace.warehouse,
                          workspace.exports)


@task(name="record-failure")
def record_failure(workspace: publication.Workspace, night: Path, run_id: str, as_of: date,
                   started_at: datetime, reason: str) -> None:
    """A failed run leaves the published state as it was, plus one line in audit.runs
    with its reason: in the history (rolled back to the last committed night), and in
    the published readers' warehouse, built again from it and swapped in one rename. A
    run that failed after its history was committed is not a failed run: its night is
    published by the next run (publication._recover)."""
    settings = warehouse_settings()
    if publication.committed_run(workspace, night, settings):
        get_run_logger().warning("the night's history is committed; the next run "
                                 "publishes it")
        return
    publication.discard(workspace, night, settings)
    with open_warehouse(workspace.history) as con, warehouse.transaction(con):
        tables.create_warehouse(con)
        con.execute("INSERT INTO audit.runs (run_id, as_of_date, started_at, finished_at, "
                    "status, failure_reason) VALUES (?, ?, ?, ?, 'FAILED', ?)",
                    [run_id, as_of, started_at, datetime.now(), reason])
    publication.republish(workspace, settings)


@task(name="finish-run")
def finish_run(warehouse_path: Path, run_id: str, status: str, stages: list[dict]) -> None:
    """Close the run and keep what each stage cost (one log line each: names, seconds,
    counts and memory, never a value)."""
    logger = get_run_logger()
    for s in stages:
        logger.info("stage %s: %.1f s, %s rows, peak %.0f MiB", s["stage"], s["seconds"],
                    "-" if s["rows"] is None else s["rows"], s["peak_rss_mb"])
    with warehouse_connection(warehouse_path) as con:
        con.execute(
            "UPDATE audit.runs SET finished_at = ?, status = ? WHERE run_id = ?",
            [datetime.now(), status, run_id],
        )
        insert_frame(con, "audit.run_stages",
                     model_frame([{"run_id": run_id, **s} for s in stages], RunStage))


PUBLICATION_STAGES = ("history-commit", "publish")


@task(name="record-publication")
def record_publication(workspace: publication.Workspace, night: Path, run_id: str,
                       stages: list[dict]) -> None:
    """What committing the history and building the readers' warehouse cost, timed after
    the run's other stages were recorded: added to both warehouses (the readers' one
    before it is published)."""
    rows = model_frame([{"run_id": run_id, **s} for s in stages
                        if s["stage"] in PUBLICATION_STAGES], RunStage)
    for path in (workspace.history, publication.working_warehouse(night)):
        with open_warehouse(path) as con:
            insert_frame(con, "audit.run_stages", rows)


@flow(name="reconcile-nightly", log_prints=False, persist_result=False)
def nightly_run(inbox: Path, warehouse_path: Path, exports: Path,
                as_of: date | None = None, objectives: Path | None = None,
                earlier_refused: bool = False) -> dict:
    """Ingest the inbox and publish the worklists, marts, exports and dashboards as of
    `as_of` (default: today in Paris, for scheduled runs): written to the history
    warehouse in one transaction, then published at once as a readers' warehouse and
    exports (transforms.publish.publication). The dashboards' targets come from
    `objectives` (flows.settings.objectives_file). With `earlier_refused` (the command
    line, unless --replay), a date before the night published last is refused under the
    run's lock, before any work (preflight.Refused); a scheduled night, dated today, is
    never refused so."""
    settings = RunSettings.from_environment()
    targets = read_objectives(objectives_file(objectives))
    as_of = as_of or datetime.now(PARIS).date()
    workspace = publication.Workspace(warehouse_path, exports)
    history = workspace.history
    clock = StageClock(on_end=console.stage_done)
    with publication.RunLock(workspace):
        if earlier_refused:
            check_not_before_published(as_of, last_published_date(workspace))
        started_at = datetime.now()
        run_id = new_run_id(as_of)
        with clock("prepare-workspace"):
            night = prepare_workspace(workspace)
            prepare_warehouse(history)
        try:
            # Every write of the night to the history in one transaction (commit point 1)
            with night_transaction(history, committing=partial(clock, "history-commit")):
                start_run(history, run_id, as_of)
                publication.record_run(night, run_id)
                with clock("ingest") as stage:
                    plans, inbox_notes = plan_inbox(inbox, history, as_of)
                    outcomes, received = ingest_files(history, plans, run_id, as_of)
                    stage["rows"] = sum(o["rows_read"] for o in outcomes)
                    late = record_freshness(history, run_id, as_of,
                                            settings.late_after_days())
                    copy_agent_decisions(history, workspace.warehouse, as_of)
                faults.reach("after-ingest")
                counts, stages = build_worklists(history, as_of,
                                                 settings.release_horizon_days,
                                                 settings.stale_prison_list_days,
                                                 settings.keep_decisions)
                faults.reach("after-worklists")
                with clock("exports") as stage:
                    built = build_exports(history, publication.built_exports(night), as_of,
                                          run_id, targets)
                    stage["rows"] = built["rows"]
                faults.reach("after-exports")
                finish_run(history, run_id, "SUCCEEDED",
                           sorted(clock.stages + stages, key=lambda s: s["started_at"]))
            faults.reach("history-committed")
            with clock("publish"):
                publish(workspace, night)
            record_publication(workspace, night, run_id, clock.stages)
            commit(workspace, night)
        except BaseException as err:
            record_failure(workspace, night, run_id, as_of, started_at, failure_reason(err))
            summarise(run_id, as_of, [], None, None, failure=type(err).__name__)
            raise
    summarise(run_id, as_of, outcomes, counts, built, late=late)
    return {"run_id": run_id, "files": len(outcomes), "received": received,
            "worklists": counts,
            "exports": built, "late_units": late, "inbox_notes": inbox_notes,
            "rejected_files": [rejected_line(o["file_name"], o["error"]) for o in outcomes
                               if o["status"] == "REJECTED"]}


def summarise(run_id: str, as_of: date, outcomes: list[dict], counts: dict | None,
              built: dict | None, failure: str | None = None,
              late: list[str] | None = None) -> None:
    """The run's Prefect artifact: counts and file names only, never a person."""
    lines = [f"# Run {run_id} as of {as_of:%Y-%m-%d}", ""]
    if failure:
        lines += [f"**FAILED** ({failure}): the published warehouse and exports are those "
                  "of the last good run. See the task logs.", ""]
    else:
        by_status = Counter(o["status"] for o in outcomes)
        lines += ["| files | rows read | staged | quarantined |", "|---|---|---|---|",
                  f"| {', '.join(f'{k} {v}' for k, v in sorted(by_status.items())) or 'none new'}"
                  f" | {sum(o['rows_read'] for o in outcomes)}"
                  f" | {sum(o['rows_staged'] for o in outcomes)}"
                  f" | {sum(o['rows_quarantined'] for o in outcomes)} |", "",
                  "| worklist | listed | excluded |", "|---|---|---|"]
        lines += [f"| {name} | {n} | {counts['excluded'].get(name, 0)} |"
                  for name, n in counts["listed"].items()]
        lines += ["", f"{counts['new']} new flags, {counts['resolved']} resolved; "
                  f"{built['files']} export files for {built['departments']} departments."]
        rejected = [o["file_name"] for o in outcomes if o["status"] == "REJECTED"]
        if rejected:
            lines += ["", "Rejected files: " + ", ".join(rejected)]
        if late:
            lines += ["", "Late sources (PRI-01):", *(f"- {line}" for line in late)]
    create_markdown_artifact("\n".join(lines), key="nightly-summary",
                             description="Files, rows, quarantine and worklist sizes")
