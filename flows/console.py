"""What `reconcile run` prints for the person who runs it (issue 35, item 8): plain lines
on standard output, the same on a terminal or not: one at once, one per stage of the night
with its elapsed time as the stage ends, then the summary. Names, counts and seconds only,
never a person. Prefect's own log lines stay on standard error."""

from __future__ import annotations

import sys
from pathlib import Path

from transforms.ingest.printable import printable


def say(line: str) -> None:
    """One line, at once (a pipe or a file buffers otherwise until the run ends)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def stage_done(stage: dict) -> None:
    """A stage of the night has ended (flows.stages.StageClock's record)."""
    rows = "" if stage.get("rows") is None else f"  {stage['rows']:,} rows".replace(",", " ")
    say(f"  {stage['stage']:<18}{stage['seconds']:7.1f} s{rows}")


def files_summary(result: dict) -> str:
    """What the night received, from audit.files: new files are the files loaded."""
    from transforms.ingest.received import ReceivedFiles

    return ReceivedFiles(**result["received"]).describe()


def worklist_summary(result: dict) -> str:
    """Each list's size, then the flags new and resolved tonight on all of them: put in
    brackets after the last list, they read as that list's (outputs audit of
    2026-12-07)."""
    counts = result["worklists"]
    listed = ", ".join(f"{name} {n}" for name, n in counts["listed"].items())
    return (f"{listed}; all lists: {counts['new']} new, {counts['resolved']} resolved "
            "tonight")


def echo_closing_lines(result: dict) -> None:
    """The console ends with what was said of the inbox (a list left at its root, every
    file dated after the night), one line per file rejected tonight (name and reason:
    what to correct and send again) and one per source unit whose latest delivery is
    late (PRI-01, audit.source_freshness): system, unit, dates; never a person."""
    for line in result.get("inbox_notes", []):
        say(line)
    for line in result.get("rejected_files", []):
        say(f"rejected: {printable(line)}")
    for line in result.get("late_units", []):
        say(line)


def outputs(warehouse: Path, exports: Path) -> str:
    """Where each output of the last run is, for the person who just ran it."""
    from dashboards.build import NATIONAL_PAGE_NAME, PAGE_NAME

    departments = sorted(p.name for p in exports.iterdir()
                         if p.is_dir() and not p.name.startswith("."))
    folder = exports / departments[0] if departments else None
    files = sorted(p.name for p in folder.glob("*.csv")) if folder else []
    # each list with its XLSX copy, and the files without one (the quarters' handovers)
    both = [name.removesuffix(".csv") for name in files
            if (folder / name).with_suffix(".xlsx").exists()]
    alone = [name.removesuffix(".csv") for name in files
             if name.removesuffix(".csv") not in both]
    rows = [
        ("warehouse (DuckDB; docs/analysts.md)", str(warehouse)),
        ("national dashboard", str(exports / NATIONAL_PAGE_NAME)),
        (f"department folders ({', '.join(departments) or 'none tonight'})",
         f"{exports}/<department>/"),
        ("  worklists (.csv and .xlsx)", ", ".join(both) or "-"),
        *([("  .csv only (handovers by quarter)", ", ".join(alone))] if alone else []),
        ("  guide to columns and codes", "README.txt"),
        ("  department dashboard", PAGE_NAME),
        ("audit tables", "audit.runs, audit.run_stages, audit.files, audit.quarantine, "
                         "audit.source_freshness, audit.exports"),
    ]
    lines = ["outputs:", *(f"  {label:<40}{value}" for label, value in rows)]
    return "\n".join(lines)
