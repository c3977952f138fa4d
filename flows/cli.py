"""The `reconcile` command (docs/contracts.md §4)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from typer.exceptions import TyperException

from flows import console, workspace_cli
from flows.console import say
from flows.failures import console_without_tracebacks, failure_reason
from flows.settings import (
    PROJECT_ROOT,
    SAMPLE_DIR,
    configure_prefect_offline,
    configure_warehouse,
    objectives_file,
    read_objectives,
)
from transforms.ingest.printable import printable

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    # click's plain help: options without a type after each flag, text wrapped to the
    # terminal (the framed layout cut sentences and wrote <bool> after every flag)
    rich_markup_mode=None,
    context_settings={"max_content_width": 100},
    help=(
        "Reconcile final asylum rejections (TélémOfpra), foreign-detainee lists (GENESIS) "
        "and the foreigners file (AGDREF) into three worklists per department.\n\n"
        "Flags are suggestions for human review, never decisions."
    ),
)


def paris_today() -> date:
    """The day in Paris: the prefectures' day, whatever the machine's time zone (a run
    just after midnight in Paris on a UTC server is already the new day), as the
    scheduled runs date theirs."""
    return datetime.now(ZoneInfo("Europe/Paris")).date()


def _parse_day(value: str | None) -> date:
    """--as-of: today in Paris when not given; a wrong one refused in one line (every
    command)."""
    if value is None:
        return paris_today()
    try:
        # as written, YYYY-MM-DD: fromisoformat also takes 20261116 or 2026-W47-1
        if len(value) != 10 or value[4::3] != "--":
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--as-of {value}: not a date: give it as YYYY-MM-DD")


def _fail(message: str) -> None:
    """One line, control characters escaped (a path or an error may hold any)."""
    typer.echo(f"reconcile: {printable(message)}", err=True)
    raise typer.Exit(code=1)


def _quiet_after_last_line() -> None:
    """Once every other exit handler has run (the Prefect client's shipping the run's
    logs included: registered later, they run first), stderr goes to /dev/null: what
    DuckDB's bindings report of their objects at the interpreter's shutdown ("nanobind:
    leaked …") would otherwise follow the command's last line."""
    sys.stderr.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


atexit.register(_quiet_after_last_line)


def _refuse_if_running(warehouse: Path, exports: Path) -> None:
    """One clear line before Prefect starts when another run holds the warehouse (the
    flow takes the lock itself for the whole run; this only answers early)."""
    from transforms.publish.publication import RunLock, RunLocked, Workspace

    try:
        with RunLock(Workspace(warehouse, exports)):
            pass
    except RunLocked as err:
        _fail(str(err))


def _refuse_an_earlier_night(day: date, warehouse: Path, exports: Path) -> None:
    """One clear line before Prefect starts when the date is before the night published
    last (the flow checks again under the run's lock; this only answers early, without
    Prefect's lines about a flow that failed)."""
    from flows.night_warehouse import last_published_date
    from flows.preflight import Refused, check_not_before_published
    from transforms.publish.publication import Workspace

    try:
        check_not_before_published(day, last_published_date(Workspace(warehouse, exports)))
    except Refused as refused:
        _fail(str(refused))


@contextmanager
def _maintenance_connection(warehouse: Path) -> Iterator:
    """The history warehouse, for a command that changes it between nightly runs: it
    must exist, a configured key must be usable, and no run may hold it meanwhile. The
    command writes in its own transactions; the published readers' warehouse is then built
    again from the history and swapped in (transforms.publish.publication.republish). A
    warehouse of a version before the history warehouse is changed in place (the next run
    adopts it)."""
    from transforms.publish.publication import (
        RunLock,
        RunLocked,
        Workspace,
        republish,
        unpublished_night,
    )
    from transforms.warehouse import database as store
    from transforms.warehouse import tables

    workspace = Workspace(warehouse, warehouse.parent)
    target = workspace.history if workspace.history.is_file() else warehouse
    if not target.is_file():
        _fail(f"warehouse {warehouse} does not exist")
    try:
        settings = configure_warehouse()
    except RuntimeError as err:
        _fail(str(err))
    with ExitStack() as stack:
        try:
            stack.enter_context(RunLock(workspace))
        except RunLocked as err:
            _fail(str(err))
        if target == workspace.history and unpublished_night(workspace, settings):
            _fail("the last night is committed but not published yet: run `reconcile run` "
                  "first (it publishes it)")
        with store.connect(target, settings=settings) as con:
            with store.transaction(con):
                tables.create_warehouse(con)
            yield con
        if target == workspace.history:
            republish(workspace, settings)


@contextmanager
def _nightly_pipeline(debug: bool = False) -> Iterator[Callable[..., dict]]:
    """The nightly flow, ready to run once or more: Prefect's server (prefect_api)
    starts first, and the pipeline is imported meanwhile; it is called with the inbox,
    the warehouse, the exports, the run date and optionally the objectives file. Without
    `debug`, a failure's traceback goes to the Prefect logs only, not to the console."""
    configure_prefect_offline()
    from flows.prefect_server import prefect_api

    with prefect_api() as api:
        configure_warehouse()
        from flows.pipeline import nightly_run

        if not debug:
            console_without_tracebacks()

        def execute(inbox: Path, warehouse: Path, exports: Path, as_of: date,
                    objectives: Path | None = None, replay: bool = False) -> dict:
            with api.reporting():
                return nightly_run(inbox=inbox, warehouse_path=warehouse, exports=exports,
                                   as_of=as_of, objectives=objectives,
                                   earlier_refused=not replay)

        yield execute


@app.command()
def run(
    inbox: Annotated[Path, typer.Option(help="Inbox folder (telemofpra/, genesis/, agdref/).")],
    warehouse: Annotated[Path, typer.Option(help="DuckDB warehouse file (created if absent).")],
    exports: Annotated[Path, typer.Option(
        help="Folder for the exports: per department, the lists as CSV and XLSX, a "
             "README.txt and dashboards.")],
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD",
        help="Run date; fixes every date computation. Default: today in Paris.",
    )] = None,
    simulate: Annotated[bool, typer.Option(
        "--simulate", help="Allow an --as-of after tomorrow (tests, simulations).")] = False,
    replay: Annotated[bool, typer.Option(
        "--replay", help="Allow an --as-of before the night already published: the units' "
                         "lists and exports go back to that day.")] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Show the traceback of a failure on the console.")] = False,
    objectives: Annotated[Path | None, typer.Option(help=(
        "Dashboard targets (TOML). Default: RECONCILE_OBJECTIVES_FILE, else the file "
        "shipped as flows/objectives.toml."))] = None,
) -> None:
    """Ingest the inbox and publish the worklists as of one date.

    Exits 0 when the run completed, even with quarantined rows or rejected files (see
    audit.files and audit.quarantine); non-zero with one line when it could not run. Only
    the inbox's telemofpra/, genesis/ and agdref/ folders are read.
    """
    from flows.preflight import Refused, check_run

    day = _parse_day(as_of)
    try:
        check_run(inbox, warehouse, exports, day, paris_today(), simulate)
        read_objectives(objectives_file(objectives))
    except (Refused, ValueError) as refused:
        _fail(str(refused))
    _refuse_if_running(warehouse, exports)
    if not replay:
        _refuse_an_earlier_night(day, warehouse, exports)
    say(f"reconcile run as of {day:%Y-%m-%d}: inbox {printable(str(inbox))}; starting "
        "(stages below as they end, seconds elapsed)")
    try:
        with _nightly_pipeline(debug) as execute:
            result = execute(inbox, warehouse, exports, day, objectives, replay)
    except Refused as refused:  # checked under the run's lock: nothing was done
        _fail(str(refused))
    except Exception as err:  # one line for the operator; details are in the Prefect logs
        _fail(f"run failed: {failure_reason(err)}")
    say(f"run {result['run_id']} completed: {console.files_summary(result)}; "
        f"{console.worklist_summary(result)}")
    typer.echo(console.outputs(warehouse, exports))
    console.echo_closing_lines(result)


@app.command()
def serve(
    inbox: Annotated[Path, typer.Option(help="Inbox folder the prisons, OFPRA and AGDREF feed.")],
    warehouse: Annotated[Path, typer.Option(help="DuckDB warehouse file (created if absent).")],
    exports: Annotated[Path, typer.Option(help="Folder for the per-department exports.")],
    cron: Annotated[str, typer.Option(help="When to run, in Paris time (cron syntax).")] = (
        "30 2 * * *"),
) -> None:
    """Run the nightly schedule (Prefect, Europe/Paris) until stopped.

    Needs a running Prefect server: PREFECT_API_URL must point to it (README, operations).
    Each scheduled run uses the date of the day in Paris as its as-of date.
    """
    import os

    if not os.environ.get("PREFECT_API_URL"):
        _fail("PREFECT_API_URL is not set: start a Prefect server and point to it "
              "(README, 'Running it every night')")
    if not inbox.is_dir():
        _fail(f"inbox {inbox} is not a folder")
    configure_prefect_offline()
    try:
        configure_warehouse()
    except RuntimeError as err:
        _fail(str(err))
    from prefect.schedules import Cron

    from flows.pipeline import PARIS, nightly_run

    nightly_run.serve(
        name="nightly",
        schedules=[Cron(cron, timezone=PARIS.key)],
        parameters={"inbox": str(inbox.resolve()), "warehouse_path": str(warehouse.resolve()),
                    "exports": str(exports.resolve())},
        description="Nightly reconciliation: inbox -> warehouse -> worklists, exports",
        pause_on_shutdown=False,
    )


@app.command(short_help="Remove what is past its retention (rows, values, files, audit).")
def purge(
    warehouse: Annotated[Path, typer.Option(help="DuckDB warehouse file.")],
    inbox: Annotated[Path | None, typer.Option(
        help="Inbox folder: its files past retention are deleted too.")] = None,
    telemofpra_days: Annotated[int | None, typer.Option(
        help="Keep TélémOfpra raw rows and files this many days (default 90, or "
             "RECONCILE_RETENTION_DAYS_TELEMOFPRA).")] = None,
    genesis_days: Annotated[int | None, typer.Option(help="Same for GENESIS.")] = None,
    agdref_days: Annotated[int | None, typer.Option(help="Same for AGDREF.")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD",
        help="Count the periods back from this date. Default: today in Paris.")] = None,
    audit_days: Annotated[list[str] | None, typer.Option(
        metavar="TABLE=DAYS",
        help="TABLE=DAYS (or TABLE=all): keep that audit table's rows this many days; "
             "tables run_stages, source_freshness, exports, quarantine (default 400 each, "
             "or RECONCILE_AUDIT_RETENTION_DAYS_<TABLE>). Repeatable.")] = None,
    simulate: Annotated[bool, typer.Option(
        "--simulate", help="Allow an --as-of after tomorrow (tests, simulations).")] = False,
) -> None:
    """Remove rows as delivered (raw), quarantined values and inbox files past retention,
    and the rows of the growing audit tables past theirs.

    Typed rows (staging) and the accounting (audit.files counts, audit.runs, audit.purges,
    audit.audit_purges) stay, so the worklists do not change. Runs under the same lock
    as a nightly run.
    """
    from flows.preflight import Refused, check_as_of
    from flows.settings import audit_retention_days, retention_days
    from transforms.warehouse.audit_retention import purge_audit
    from transforms.warehouse.purge import purge as purge_sources

    day = _parse_day(as_of)
    try:
        # a date typed a year ahead would purge everything: refused, as `run` refuses it
        check_as_of(day, paris_today(), simulate)
        days, audit = retention_days(), audit_retention_days()
    except (Refused, ValueError) as refused:
        _fail(str(refused))
    for system, value in (("telemofpra", telemofpra_days), ("genesis", genesis_days),
                          ("agdref", agdref_days)):
        if value is not None:
            if value < 0:
                raise typer.BadParameter(f"{system} retention must be 0 days or more")
            days[system] = value
    audit |= _audit_days(audit_days or [])
    with _maintenance_connection(warehouse) as con:
        records = purge_sources(con, inbox, day, days)
        removed = purge_audit(con, day, audit)
    for r in records:
        typer.echo(f"{r['system']}: kept {r['retention_days']} days; {r['files']} files: "
                   f"{r['raw_rows']} raw rows, {r['quarantine_values']} quarantined values, "
                   f"{r['inbox_files']} inbox files removed")
    for table, kept in sorted(audit.items()):
        typer.echo(f"audit.{table}: kept " + ("every row" if kept is None else
                   f"{kept} days; {removed.get(table, 0)} rows removed"))


def _audit_days(options: list[str]) -> dict[str, int | None]:
    """`--audit-days TABLE=DAYS` options, checked."""
    from flows.settings import AUDIT_RETENTION_DAYS

    days: dict[str, int | None] = {}
    for option in options:
        table, _, value = option.partition("=")
        if table not in AUDIT_RETENTION_DAYS:
            raise typer.BadParameter(f"--audit-days: {table!r} is not one of "
                                     f"{', '.join(AUDIT_RETENTION_DAYS)}")
        if value.strip().lower() == "all":
            days[table] = None
        elif value.isascii() and value.isdigit():
            days[table] = int(value)
        else:
            raise typer.BadParameter(f"--audit-days {table}: days must be 0 or more, or all")
    return days


@app.command(short_help="Record an agent's decision on an identity pair.")
def link(
    warehouse: Annotated[Path, typer.Option(help="DuckDB warehouse file.")],
    record: Annotated[str, typer.Option(help="Source record key, as in core.link_review "
                                             "(telemofpra:… or genesis:…:…), or agdref:<number> "
                                             "for a pair of AGDREF files.")],
    agdref: Annotated[str, typer.Option(help="AGDREF number of the candidate file.")],
    agent: Annotated[str, typer.Option(help="Your login (recorded with the decision).")],
    confirm: Annotated[bool, typer.Option(
        "--confirm/--reject", help="Same person (link them) or not (never link them).")],
    override_conflict: Annotated[bool, typer.Option(
        "--override-conflict", help="Record a confirmation that contradicts a confirmed "
                                    "pair (recorded with the pair it overrides).")] = False,
) -> None:
    """Record an agent's decision on an identity pair of core.link_review (the
    workspace's identity review queue does the same from a browser, and is the units'
    way; both tools' decisions meet in audit.link_decisions).

    The next run honours it: a confirmed pair is LINKED (acted on), a rejected pair is
    never linked. For two AGDREF files (evidence DUPLICATE), confirming merges them as
    one person and rejecting keeps them apart. The latest decision on a pair counts;
    audit.link_decisions keeps all. A confirmation that contradicts a confirmed pair (the
    record confirmed to another person's file, or another record of one of its lists, or
    another detainee held now, confirmed to this person) is refused unless
    --override-conflict is given.
    """
    from datetime import UTC, datetime

    from flows.settings import workspace_database
    from transforms.identity.review import InvalidDecision, record_decision
    from workspace.decisions.in_force import identity_decisions

    decision = "CONFIRMED" if confirm else "REJECTED"
    with _maintenance_connection(warehouse) as con:
        # the workspace's decisions the next night will add count for the guard already
        pending = identity_decisions(workspace_database(warehouse))
        try:
            # UTC, as the workspace records them: the latest on a pair counts
            record_decision(con, record, agdref, decision, agent,
                            datetime.now(UTC).replace(tzinfo=None),
                            override=override_conflict, pending=pending)
        except InvalidDecision as err:
            _fail(str(err))
    typer.echo(f"recorded: {decision}; the next run applies it")


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder to write inbox/, next_night/ and truth/ into.")],
    scale: Annotated[str, typer.Option(
        help="sample (committed demo), department (~1% of national), region (~10%) or national.",
    )] = "department",
    seed: Annotated[int, typer.Option(help="Random seed: same seed and date, same bytes.")] = 7,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="Inbox date. Default: today in Paris.")] = None,
) -> None:
    """Write a synthetic inbox (never real data) and its ground truth."""
    from data.synthetic.generate import generate_dataset
    from data.synthetic.scales import SCALES

    if scale not in SCALES:
        raise typer.BadParameter(f"scale must be one of {', '.join(SCALES)}")
    if out.exists() and not out.is_dir():
        _fail(f"--out {out} is a file: give a folder to write the inbox into")
    if out.is_dir() and any(out.iterdir()):
        # another seed's files left beside these would no longer match truth/
        _fail(f"--out {out} is not empty: give a new or empty folder")
    summary = generate_dataset(out, SCALES[scale], seed=seed, as_of=_parse_day(as_of))
    typer.echo(f"wrote {summary['files']} files, {summary['rows']} rows, "
               f"{summary['persons']} synthetic persons to {out}")


@app.command(short_help="Run two nights on the bundled synthetic sample into demo-output/.")
def demo(
    out: Annotated[Path, typer.Option(
        help="Output folder, replaced at each demo: a new folder or one an earlier demo "
             "made (any other is refused).")] = PROJECT_ROOT / "demo-output",
) -> None:
    """Run two nights on the bundled synthetic sample into demo-output/.

    Night 1 reads data/sample/inbox as of the sample's date; night 2 adds the files of
    data/sample/next_night (a corrected list, a duplicate, a late list, a new snapshot)
    as of the next day. Then the workspace's demo accounts are made and printed with
    their passwords, with the command that opens the workspace.
    """
    from data.synthetic.scales import read_manifest

    manifest = read_manifest(SAMPLE_DIR)
    first_night = date.fromisoformat(manifest["as_of"])
    next_night = date.fromordinal(first_night.toordinal() + 1)
    _demo_folder_replaceable(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / DEMO_MARK).write_text("reconcile demo\n", encoding="utf-8")
    inbox = out / "inbox"
    shutil.copytree(SAMPLE_DIR / "inbox", inbox)
    warehouse = out / "warehouse.duckdb"
    exports = out / "exports"
    with _nightly_pipeline() as execute:
        for night, day in ((1, first_night), (2, next_night)):
            if night == 2:
                shutil.copytree(SAMPLE_DIR / "next_night", inbox, dirs_exist_ok=True)
            typer.echo(f"night {night}: as of {day}")
            result = execute(inbox, warehouse, exports, day)
            say(f"  run {result['run_id']}: {console.files_summary(result)}; "
                f"{console.worklist_summary(result)}")
    typer.echo(console.outputs(warehouse, exports))
    console.echo_closing_lines(result)
    _make_demo_accounts(warehouse, exports)


# Written into the folder a demo makes, so that the next demo may replace it.
DEMO_MARK = ".reconcile-demo"


def _demo_folder_replaceable(out: Path) -> None:
    """A demo replaces its folder: only one a demo made (its mark) or an empty one; never
    another, not even one laid out as a demo's (an installation's inbox/ and warehouse
    are laid out the same)."""
    if not out.exists():
        return
    if not out.is_dir():
        _fail(f"--out {out} is a file: give a folder for the demo")
    if not (out / DEMO_MARK).is_file() and any(out.iterdir()):
        _fail(f"--out {out} holds files no demo made (or a demo older than its mark "
              f"{DEMO_MARK}): the demo replaces its folder; give a new or empty folder, or "
              "remove this one")


def _make_demo_accounts(warehouse: Path, exports: Path) -> None:
    """`reconcile users demo` in a process of its own: the pipeline's process never
    starts the web framework (its DuckDB objects outlived Django's at exit)."""
    sys.stdout.flush()
    made = subprocess.run([sys.executable, "-m", "flows", "users", "demo", "--warehouse",
                           str(warehouse), "--exports", str(exports)], check=False)
    if made.returncode != 0:
        raise typer.Exit(code=made.returncode)


app.command("workspace", short_help="Serve the units' workspace (lists, flags, decisions).")(
    workspace_cli.workspace)
app.add_typer(workspace_cli.users_app, name="users")


def _command_path(args: list[str] | None) -> str:
    """`reconcile` and the command words the arguments begin with (`reconcile users
    add`): where an error click reports without its command (an option's value missing)
    belongs."""
    words = list(sys.argv[1:] if args is None else args)
    command, path = typer.main.get_command(app), ["reconcile"]
    while words and words[0] in getattr(command, "commands", {}):
        command = command.commands[words[0]]
        path.append(words.pop(0))
    return " ".join(path)


def main(args: list[str] | None = None) -> None:
    """`reconcile`: a usage error (an option mistyped or missing, a value refused) is said
    in one line, as the commands' own refusals are, with the help to read; click's own
    report is four (the usage, a hint, a blank line, the error). Typer reports usage
    errors with click's exceptions, which it vendors, all TyperException."""
    try:
        result = app(args=args, prog_name="reconcile", standalone_mode=False)
    except TyperException as err:
        context = getattr(err, "ctx", None)
        message = err.format_message()
        if context is not None and message == context.get_help():
            err.show()  # a command or a group called without anything: its help
        else:
            where = context.command_path if context is not None else _command_path(args)
            said = printable(message.rstrip("."))
            help_ = (f" See '{where} --help'." if said.endswith("?")
                     else f"; see '{where} --help'")
            typer.echo(f"{where}: {said}{help_}", err=True)
        sys.exit(err.exit_code)
    except typer.Abort:
        typer.echo("reconcile: aborted", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)
