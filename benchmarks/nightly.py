"""The whole nightly run at department, region or national scale (issue 7).

    python -m benchmarks.nightly [--scale national] [--seed 37]     # make bench

1. The generated inbox (cached in benchmarks/cache/<scale>-<seed>/, generated once).
2. The physical reference: the time DuckDB alone takes to read the same input files into
   memory (CSV with read_csv; the GENESIS workbooks through fastexcel, since DuckDB's
   excel extension would be a download). Every figure is also given as a ratio to it,
   which holds from one machine to another. It is read again just before and just after
   each night, and each night's stages are given against the mean of those two reads: a
   shared machine can run 40 % slower for minutes, and a night run in such a window then
   shows it in its reads.
3. Night 1, a full run: `reconcile run` in its own process (Prefect start-up included),
   on an empty warehouse. Stage times, rows and peak memory come from audit.run_stages.
4. Night 2, incremental: the next day's files (next_night/) join the inbox; the run
   ingests only them and rebuilds the lists.
5. The check: a full run from an empty warehouse on the night-2 inbox must publish the
   same worklists, exclusions and links as the incremental night; and every XLSX copy of
   the incremental night's lists, its rows rendered by polars, must be the bytes
   xlsxwriter writes cell by cell (transforms.publish.workbook).

Results: benchmarks/results/nightly_<scale>.json and .md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from statistics import fmean

import duckdb
import fastexcel
import polars as pl

from benchmarks.datasets import CACHE, dataset_manifest, generated, write_results
from data.synthetic.scales import SCALES
from flows.settings import configure_warehouse, usable_cores
from schemas import codes
from transforms.publish import export, workbook
from transforms.warehouse import database as warehouse
from transforms.warehouse.database import WarehouseSettings

TARGETS = {  # issue 7, on 2 cores / 24 GB
    "national": {"full_seconds": 600, "reference_ratio": 5.0, "peak_rss_mb": 8192,
                 "incremental_seconds": 120},
    "department": {"full_seconds": 30},
}
# Compared between the incremental night and a full run of the same inbox. Left out:
# first_seen_date (a fresh warehouse sees every flag for the first time) and, in the
# "decisions" comparison, source_rows: the full run never saw the files a correction
# replaced, so a list re-delivered under another date cites different files.
COMPARED = {
    "worklists.rejected_without_oqtf": "first_seen_date",
    "worklists.upcoming_releases": "first_seen_date",
    "worklists.unexecuted_measures": "first_seen_date",
    "worklists.exclusions": None,
    "core.person_links": None,
    "core.link_review": None,
}


def input_files(inbox: Path) -> list[Path]:
    return sorted(p for p in inbox.rglob("*") if p.is_file())


def reference_read(files: list[Path]) -> dict:
    """DuckDB reads every input file into in-memory tables, as text columns: the CSV
    files of one layout in one read_csv call each (as DuckDB reads best), the GENESIS
    workbooks through fastexcel."""
    layouts: dict[tuple[str, str], list[str]] = defaultdict(list)
    workbooks = []
    for path in files:
        if path.suffix.lower() == ".xlsx":
            workbooks.append(path)
        else:  # AGDREF_<TABLE>_..., TELEMOFPRA_..., GENESIS_...; Windows-1252 for
            # TélémOfpra: latin-1 costs the same to read
            layout = "_".join(path.name.split("_")[:2]) if path.parent.name == "agdref" \
                else path.parent.name
            encoding = "latin-1" if path.parent.name == "telemofpra" else "utf-8"
            layouts[(layout, encoding)].append(str(path))
    con = duckdb.connect()
    started = time.perf_counter()
    for n, ((_, encoding), paths) in enumerate(sorted(layouts.items())):
        con.execute(
            f"CREATE TABLE csv_{n} AS FROM read_csv(?, delim = ';', header = true, "  # noqa: S608
            "all_varchar = true, encoding = ?, strict_mode = false, null_padding = true)",
            [paths, encoding])
    for n, path in enumerate(workbooks):
        con.register("sheet", fastexcel.read_excel(path.read_bytes()).load_sheet(0).to_arrow())
        con.execute(f"CREATE TABLE xlsx_{n} AS FROM sheet")  # noqa: S608 (our names)
        con.unregister("sheet")
    seconds = time.perf_counter() - started
    rows = sum(con.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # noqa: S608
               for (t,) in con.sql("SELECT table_name FROM duckdb_tables()").fetchall())
    con.close()
    return {"files": len(files), "rows": rows,
            "megabytes": round(sum(p.stat().st_size for p in files) / 2**20, 1),
            "seconds": round(seconds, 2)}


def forked_peak_mb(usage: resource.struct_rusage) -> float:
    """A child's peak memory from wait4, or 0 when it may be this process's own
    high-water mark, inherited through fork and exec rather than reached by the child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage.ru_maxrss / 1024 if usage.ru_maxrss > own else 0.0


def run_night(inbox: Path, work: Path, as_of: date, settings: WarehouseSettings,
              extra: tuple[str, ...] = ()) -> dict:
    """`reconcile run` in a child process (with `extra` options): wall time and the
    child's peak memory, then the stages the run recorded in audit.run_stages."""
    warehouse_path, exports = work / "warehouse.duckdb", work / "exports"
    command = [str(Path(sys.executable).with_name("reconcile")), "run", "--inbox", str(inbox),
               "--warehouse", str(warehouse_path), "--exports", str(exports),
               "--as-of", as_of.isoformat(), *extra]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603
    output = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"reconcile run failed ({child.returncode}):\n{output[-3000:]}")
    with warehouse.connect(warehouse_path, read_only=True, settings=settings) as con:
        stages = con.sql("""
            SELECT stage, seconds, rows, peak_rss_mb FROM audit.run_stages
            WHERE run_id = (SELECT run_id FROM audit.runs WHERE status = 'SUCCEEDED'
                            ORDER BY started_at DESC LIMIT 1)
            ORDER BY started_at""").pl().to_dicts()
    staged = sum(s["seconds"] for s in stages)
    # The largest process (wait4), or the whole run as its stages saw it (their processes
    # included: the rules of the departments, the writers of the lists), if more. Linux
    # carries a process's high-water mark through fork and exec: a child's ru_maxrss is at
    # least this process's at the fork, so where this process grew as large (it generated
    # the national inbox, 17 GB), wait4 tells nothing of the run and the stages' samples
    # are the measure (tests/test_benchmarks.py).
    peak_mb = max(forked_peak_mb(usage), *(s["peak_rss_mb"] for s in stages))
    stages.append({"stage": "other (Python and Prefect start-up, tasks, publication)",
                   "seconds": round(seconds - staged, 2), "rows": None, "peak_rss_mb": None})
    # Bytes the run's process dirtied on disk (ru_oublock: 512-byte blocks, counted when
    # written, whatever the writeback): a night copying its warehouse shows it here.
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak_mb),
            "written_mb": round(usage.ru_oublock * 512 / 2**20, 1), "stages": stages}


def same_results(incremental: Path, full: Path, settings: WarehouseSettings,
                 compared: dict[str, str | None] = COMPARED) -> dict[str, dict[str, int]]:
    """Rows in one warehouse and not the other, per compared table (0: identical; each
    table with the column it leaves out), on the decisions (source_rows left out) and on
    everything."""
    con = duckdb.connect()
    warehouse.attach(con, incremental, "incremental", read_only=True, settings=settings)
    warehouse.attach(con, full, "full_run", read_only=True, settings=settings)
    differences: dict[str, dict[str, int]] = {"decisions": {}, "with_source_rows": {}}
    for table, left_out in compared.items():
        columns = {c for (c,) in con.sql(f"SELECT column_name FROM (DESCRIBE full_run.{table})"  # noqa: S608
                                         ).fetchall()}
        for name, excluded in (("decisions", {left_out, "source_rows"}),
                               ("with_source_rows", {left_out})):
            kept = ", ".join(sorted(columns - excluded))
            a = f"SELECT {kept} FROM incremental.{table}"  # noqa: S608 (our names)
            b = f"SELECT {kept} FROM full_run.{table}"  # noqa: S608
            differences[name][table] = con.sql(
                f"SELECT (SELECT count(*) FROM ({a} EXCEPT ALL {b})) "  # noqa: S608
                f"+ (SELECT count(*) FROM ({b} EXCEPT ALL {a}))").fetchall()[0][0]
    con.close()
    return differences


def linked_inbox(sources: list[Path], target: Path) -> Path:
    """An inbox made of hard links to the files of `sources`, later folders replacing
    files of the same name (a corrected delivery)."""
    if target.exists():
        shutil.rmtree(target)
    for source in sources:
        for path in input_files(source):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.unlink(missing_ok=True)
            os.link(path, destination)
    return target


def bench(scale: str, seed: int, check: bool, settings: WarehouseSettings) -> dict:
    folder = generated(scale, seed)
    manifest = dataset_manifest(scale, seed)
    first, second = date.fromisoformat(manifest["as_of"]), date.fromisoformat(
        manifest["next_night"])
    runs = CACHE / f"runs-{scale}-{seed}"
    shutil.rmtree(runs, ignore_errors=True)
    night_1 = linked_inbox([folder / "inbox"], runs / "inbox-night-1")
    night_2 = linked_inbox([folder / "inbox", folder / "next_night"], runs / "inbox-night-2")

    files = input_files(night_1)

    def night(title: str, inbox: Path, work: Path, as_of: date) -> tuple[dict, dict]:
        """One night, with the reference read just before and just after it."""
        print("reference read ...", flush=True)
        before = reference_read(files)
        print(f"  {before}\n{title} ...", flush=True)
        measured = run_night(inbox, work, as_of, settings)
        after = reference_read(files)
        print(f"  {measured['seconds']} s (reference read after it: {after['seconds']} s)",
              flush=True)
        return {**measured, "reference_read_seconds": [before["seconds"], after["seconds"]]
                }, before

    full, reference = night("night 1, full", night_1, runs / "nightly", first)
    incremental, _ = night("night 2, incremental", night_2, runs / "nightly", second)
    result = {
        "scale": scale, "seed": seed, "cores": usable_cores(),
        "memory_limit": os.environ.get("RECONCILE_MEMORY_LIMIT") or "DuckDB's default",
        "persons": manifest["persons"], "input_files": reference["files"],
        "input_rows": reference["rows"], "input_megabytes": reference["megabytes"],
        "reference_read_seconds": reference["seconds"],
        "full_run": full, "incremental_night": incremental,
        "full_ratio_to_reference": round(
            full["seconds"] / fmean(full["reference_read_seconds"]), 1),
    }
    if check:
        result["full_run_night_2"], _ = night("night 2 as a full run, to compare", night_2,
                                              runs / "full-night-2", second)
        result["differences_incremental_vs_full"] = same_results(
            runs / "nightly" / "warehouse.duckdb", runs / "full-night-2" / "warehouse.duckdb",
            settings)
        print("workbooks against xlsxwriter cell by cell ...", flush=True)
        result["workbooks"] = workbooks_as_xlsxwriter_writes(
            runs / "nightly" / "warehouse.duckdb", second, runs / "workbooks", settings)
    result["targets"] = targets_met(scale, result)
    write_results(f"nightly_{scale}", result, markdown(result))
    return result


def workbooks_as_xlsxwriter_writes(warehouse_path: Path, run_date: date, folder: Path,
                                   settings: WarehouseSettings) -> dict:
    """Every department's lists written as XLSX the way the run writes them (rows rendered
    by polars, transforms.publish.workbook) and with xlsxwriter writing every cell: the files
    must be the same bytes. The time of each way, for the record."""
    folder.mkdir(parents=True, exist_ok=True)
    with warehouse.connect(warehouse_path, read_only=True, settings=settings) as con:
        lists = export.load_lists(con)
        departments = export.export_departments(con, lists)
    seconds = {"rendered": 0.0, "cell_by_cell": 0.0}
    different, cells = [], 0
    for department in departments:
        for worklist in codes.WORKLISTS:
            frame = export.export_frame(lists[worklist].filter(
                pl.col("department") == department), worklist, run_date, typed=True)
            cells += frame.height * frame.width
            paths = {way: folder / f"{way}.xlsx" for way in seconds}
            for way, write in (("rendered", workbook.write_xlsx),
                               ("cell_by_cell", workbook.write_xlsx_cell_by_cell)):
                started = time.perf_counter()
                write(frame, paths[way], worklist, run_date)
                seconds[way] += time.perf_counter() - started
            if paths["rendered"].read_bytes() != paths["cell_by_cell"].read_bytes():
                different.append(f"{department}/{worklist}")
    return {"workbooks": len(departments) * len(codes.WORKLISTS), "cells": cells,
            "different": different,
            "seconds": {way: round(s, 1) for way, s in seconds.items()}}


def targets_met(scale: str, result: dict) -> dict:
    targets = TARGETS.get(scale, {})
    found = {
        "full_seconds": result["full_run"]["seconds"],
        "reference_ratio": result["full_ratio_to_reference"],
        "peak_rss_mb": max(result["full_run"]["peak_rss_mb"],
                           result["incremental_night"]["peak_rss_mb"]),
        "incremental_seconds": result["incremental_night"]["seconds"],
    }
    met = {name: {"target": limit, "measured": found[name], "met": found[name] <= limit}
           for name, limit in targets.items()}
    if "differences_incremental_vs_full" in result:
        same = not any(result["differences_incremental_vs_full"]["decisions"].values())
        met["incremental_identical_to_full"] = {"target": True, "measured": same,
                                                "met": same}
    return met


def markdown(result: dict) -> str:
    reference = result["reference_read_seconds"]
    lines = [
        f"# Nightly run, {result['scale']} scale (seed {result['seed']}, "
        f"{result['cores']} cores; RECONCILE_MEMORY_LIMIT: "
        f"{result.get('memory_limit', 'unset')})", "",
        f"{result['persons']:,} persons; {result['input_files']:,} input files, "
        f"{result['input_rows']:,} rows, {result['input_megabytes']} MiB. "
        f"Reference: DuckDB alone reads them into memory in {reference} s (just before "
        "night 1). It is read again just before and after each night, whose stages are "
        "given against the mean of those two reads.", "",
    ]
    for title, key in (("Night 1: full run, empty warehouse", "full_run"),
                       ("Night 2: incremental (the next day's files)", "incremental_night"),
                       ("Night 2 as a full run (for the comparison)", "full_run_night_2")):
        if key not in result:
            continue
        night = result[key]
        reads = night.get("reference_read_seconds", [reference])
        around = fmean(reads)
        lines += [f"## {title}: {night['seconds']} s, peak {night['peak_rss_mb']} MiB", "",
                  f"Reference read just before and after: {' and '.join(map(str, reads))} s; "
                  f"the night is {night['seconds'] / around:.1f}× their mean.", "",
                  "| stage | seconds | × reference | rows | rows/s | peak MiB |",
                  "|---|---:|---:|---:|---:|---:|"]
        for s in night["stages"]:
            rate = (f"{s['rows'] / s['seconds']:,.0f}" if s["rows"] and s["seconds"] > 0
                    else "")
            lines.append(
                f"| {s['stage']} | {s['seconds']:.1f} | {s['seconds'] / around:.2f} | "
                f"{'' if s['rows'] is None else format(s['rows'], ',')} | {rate} | "
                f"{'' if s['peak_rss_mb'] is None else format(s['peak_rss_mb'], ',.0f')} |")
        lines.append("")
    if "differences_incremental_vs_full" in result:
        differences = result["differences_incremental_vs_full"]
        lines += ["## Incremental night against a full run of the same inbox", "",
                  "Rows found in one warehouse and not in the other. *Decisions*: every "
                  "column but first_seen_date and source_rows; *with source rows*: "
                  "source_rows too (a list re-delivered under another date is skipped as "
                  "a duplicate of a file that a correction later replaced; the full run "
                  "never saw that file and cites the copy).", "",
                  "| table | decisions | with source rows |", "|---|---:|---:|"]
        lines += [f"| {t} | {n} | {differences['with_source_rows'][t]} |"
                  for t, n in differences["decisions"].items()]
        lines.append("")
    if "workbooks" in result:
        books = result["workbooks"]
        lines += ["## XLSX copies against xlsxwriter writing every cell", "",
                  f"{books['workbooks']} workbooks of the incremental night, {books['cells']:,}"
                  f" cells: {len(books['different'])} differ by a byte. One process: rows "
                  f"rendered by polars {books['seconds']['rendered']} s, xlsxwriter cell by "
                  f"cell {books['seconds']['cell_by_cell']} s.", ""]
    if result["targets"]:
        lines += ["## Targets", "", "| measure | target | measured | met |", "|---|---|---|---|"]
        lines += [f"| {name} | {t['target']} | {t['measured']} | {'yes' if t['met'] else 'NO'} |"
                  for name, t in result["targets"].items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="national", choices=sorted(SCALES))
    parser.add_argument("--seed", type=int, default=37)
    parser.add_argument("--no-check", action="store_true",
                        help="skip the third run that compares the incremental night "
                             "with a full run")
    args = parser.parse_args()
    # The runs' key, if one is set: the bench reads what they wrote.
    bench(args.scale, args.seed, check=not args.no_check, settings=configure_warehouse())


if __name__ == "__main__":
    main()
