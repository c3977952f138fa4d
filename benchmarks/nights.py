"""Consecutive nights with realistic daily changes (issue 36): what a night costs as the
history grows, and what the warehouse keeps.

    python -m benchmarks.nights [--scale department] [--nights 60] [--seed 37]

Night 0 is the generated inbox (benchmarks/cache/<scale>-<seed>/inbox). Each following
night, as a prefecture receives them:
- AGDREF: every department's four tables again in full, under the night's date, a few
  rows changed (titles prolonged, events added to measures, a birth place corrected);
- TélémOfpra: each department's weekly list on its weekday, a few new decisions;
- GENESIS: each establishment's list every 15 days (a few detainees gone, the others
  listed again), a workbook list re-sent unchanged under its new date;
- every 10th night, a correction: one department's AGDREF titles of the night before
  re-sent under the same name with one row corrected (it supersedes the file);
- every 7th night, a late list: one establishment's GENESIS list arrives dated three days
  before the night.
Each night is `reconcile run --as-of <day> --simulate` in its own process. Recorded per
night: wall time and each stage (audit.run_stages), the warehouse's size, the rows of each
layer (raw, staging, core, worklists, marts, audit) and the publication (commit stage).
Results: results/nights_<scale>.json and .md.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks.datasets import AS_OF, generated, write_results
from benchmarks.nightly import run_night, same_results
from flows.settings import configure_warehouse
from transforms.warehouse import database as warehouse

LAYERS = ("raw", "staging", "core", "worklists", "marts", "audit")
CHANGED_ROWS = 0.002  # share of an AGDREF table's rows changed from one night to the next
# What changes in a row of each table (measures are left as they were)
EDITED = {"TITRES": "DATE_FIN", "PERSONNES": "LIEU_NAISSANCE"}


def _lines(path: Path) -> tuple[str, list[str], str]:
    """A CSV's header, rows and encoding, as delivered (CRLF line ends)."""
    encoding = "cp1252" if path.name.startswith("TELEMOFPRA_") else "utf-8"
    text = path.read_bytes().decode(encoding)
    header, *rows = [line for line in text.split("\r\n") if line]
    return header, rows, encoding


def _write(path: Path, header: str, rows: list[str], encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))


def _latest(folder: Path, prefix: str) -> Path | None:
    found = sorted(folder.glob(f"{prefix}_*"), key=lambda p: p.stem.rsplit("_", 1)[1])
    return found[-1] if found else None


def _agdref(inbox: Path, day: date, rng: random.Random) -> None:
    """Each AGDREF table of each department again in full, a few rows changed."""
    folder = inbox / "agdref"
    tables = {p.name.rsplit("_", 1)[0] for p in folder.glob("AGDREF_*.csv")}
    for stem in sorted(tables):
        previous = _latest(folder, stem)
        header, rows, encoding = _lines(previous)
        columns = header.split(";")
        changed = max(1, int(len(rows) * CHANGED_ROWS))
        if "_EVENEMENTS_" in stem:  # events are added, never edited
            rows += [_event_on(rng.choice(rows), day) for _ in range(changed)]
        else:
            edited = EDITED.get(stem.split("_")[1])
            for i in rng.sample(range(len(rows)), min(changed, len(rows))) if edited else ():
                cells = rows[i].split(";")
                cells[columns.index(edited)] = (
                    f"{day + timedelta(days=365):%d/%m/%Y}" if edited == "DATE_FIN"
                    else f"VILLE {rng.randint(1, 999)}, {cells[columns.index('NATIONALITE')]}")
                rows[i] = ";".join(cells)
        _write(folder / f"{stem}_{day:%Y%m%d}.csv", header, rows, encoding)


def _correction(inbox: Path, day: date, rng: random.Random) -> None:
    """One department's AGDREF titles of the night before, corrected under the same name."""
    yesterday = f"{day - timedelta(days=1):%Y%m%d}"
    files = sorted((inbox / "agdref").glob(f"AGDREF_TITRES_*_{yesterday}.csv"))
    if not files:
        return
    path = rng.choice(files)
    header, rows, encoding = _lines(path)
    columns = header.split(";")
    i = rng.randrange(len(rows))
    cells = rows[i].split(";")
    cells[columns.index("DATE_FIN")] = f"{day + timedelta(days=400):%d/%m/%Y}"
    rows[i] = ";".join(cells)
    _write(path, header, rows, encoding)


def _late_list(inbox: Path, day: date, rng: random.Random) -> None:
    """One establishment's CSV list, dated three days before the night it arrives."""
    folder = inbox / "genesis"
    codes = sorted({p.name.split("_")[1] for p in folder.glob("GENESIS_*.csv")})
    if not codes:
        return
    previous = _latest(folder, f"GENESIS_{rng.choice(codes)}")
    late = day - timedelta(days=3)
    if _day_of(previous) >= late:
        return
    try:
        header, rows, encoding = _lines(previous)
    except UnicodeDecodeError:  # a list planted unreadable: no late copy of it
        return
    _write(folder / f"{previous.name.rsplit('_', 1)[0]}_{late:%Y%m%d}.csv", header,
           [r for r in rows if rng.random() > 0.03], encoding)


def _event_on(row: str, day: date) -> str:
    measure, *_ = row.split(";")
    return f"{measure};ECHEC_EXECUTION;{day:%d/%m/%Y};REFUS_EMBARQUEMENT"


def _telemofpra(inbox: Path, day: date, night: int, rng: random.Random) -> None:
    """Each department's weekly list on its weekday: a few decisions of earlier lists
    delivered again for new claimants (new OFPRA numbers)."""
    folder = inbox / "telemofpra"
    for department in sorted({p.name.split("_")[1] for p in folder.glob("TELEMOFPRA_*")}):
        previous = _latest(folder, f"TELEMOFPRA_{department}")
        if previous is None or (day - _day_of(previous)).days < 7:
            continue
        header, rows, encoding = _lines(previous)
        picked = rng.sample(rows, min(len(rows), rng.randint(3, 12)))
        fresh = [f"OF{day:%y}N{night:03d}{i:04d}" + row[row.index(";"):]
                 for i, row in enumerate(picked)]
        _write(folder / f"TELEMOFPRA_{department}_{day:%Y%m%d}.csv", header, fresh, encoding)


def _genesis(inbox: Path, day: date, rng: random.Random) -> None:
    """Each establishment's list every 15 days: a few detainees gone (CSV lists), or the
    same bytes again (a workbook)."""
    folder = inbox / "genesis"
    for code in sorted({p.name.split("_")[1] for p in folder.glob("GENESIS_*")}):
        previous = _latest(folder, f"GENESIS_{code}")
        if (day - _day_of(previous)).days < 15:
            continue
        target = folder / f"GENESIS_{code}_{day:%Y%m%d}{previous.suffix}"
        if previous.suffix == ".xlsx":
            shutil.copyfile(previous, target)
            continue
        header, rows, encoding = _lines(previous)
        kept = [r for r in rows if rng.random() > 0.05]
        _write(target, header, kept, encoding)


def _day_of(path: Path) -> date:
    stamp = path.stem.rsplit("_", 1)[1]
    return date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))


def _layers(warehouse_path: Path, settings) -> dict[str, int]:
    with warehouse.connect(warehouse_path, read_only=True, settings=settings) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                             "WHERE schema_name IN ?", [list(LAYERS)]).fetchall()
        rows = dict.fromkeys(LAYERS, 0)
        for schema, table in tables:
            rows[schema] += con.execute(
                f'SELECT count(*) FROM "{schema}"."{table}"').fetchall()[0][0]  # noqa: S608
    return rows


def _megabytes(folder: Path) -> float:
    """What a folder holds on disk, links not followed (each file once)."""
    return round(sum(p.stat().st_size for p in folder.rglob("*")
                     if p.is_file() and not p.is_symlink()) / 2**20, 1)


def one_night(inbox: Path, work: Path, day: date, settings) -> dict:
    result = run_night(inbox, work, day, settings, extra=("--simulate",))
    published = (work / "warehouse.duckdb").resolve()
    history = work / ".warehouse.duckdb.history.duckdb"  # absent before the history file
    stages = {s["stage"]: s["seconds"] for s in result["stages"]}
    peaks = {s["stage"]: s["peak_rss_mb"] for s in result["stages"] if s["peak_rss_mb"]}
    return {"day": day.isoformat(), "seconds": result["seconds"],
            "peak_rss_mb": result["peak_rss_mb"], "stages": stages, "peaks_mb": peaks,
            "peak_stage": max(peaks, key=peaks.get) if peaks else None,
            "publication_seconds": stages.get("commit"),
            "warehouse_mb": round(published.stat().st_size / 2**20, 1),
            "history_mb": round(history.stat().st_size / 2**20, 1) if history.exists()
            else None,
            "state_mb": _megabytes(work), "written_mb": result["written_mb"],
            "rows": _layers(work / "warehouse.duckdb", settings)}


# What the units and the analysts read of a night, compared row for row both ways, every
# column (both warehouses have the same history: no column is left out).
COMPARED = dict.fromkeys(("worklists.rejected_without_oqtf", "worklists.upcoming_releases",
                          "worklists.unexecuted_measures", "worklists.exclusions",
                          "worklists.legal_alerts", "worklists.flag_history"))


def _kept(warehouse_path: Path, settings, day: date) -> tuple[int, int]:
    with warehouse.connect(warehouse_path, read_only=True, settings=settings) as con:
        return tuple(con.execute(
            "SELECT count(*) FILTER (WHERE decided_on < ?), count(*) "
            "FROM core.decision_memory", [day]).fetchall()[0])


def both_ways(inbox: Path, folder: Path, day: date, settings) -> dict:
    """The night run twice on its own warehouses: decisions kept from the night before,
    (RECONCILE_KEEP_DECISIONS=1), and every candidate decided again (the default); the
    rules' time of each, the decisions kept, and the rows found in one warehouse and not
    the other."""
    os.environ["RECONCILE_KEEP_DECISIONS"] = "1"
    try:
        kept = one_night(inbox, folder / "kept", day, settings)
    finally:
        del os.environ["RECONCILE_KEEP_DECISIONS"]
    again = one_night(inbox, folder / "all", day, settings)
    differing = same_results(folder / "kept" / "warehouse.duckdb",
                             folder / "all" / "warehouse.duckdb", settings,
                             COMPARED)["with_source_rows"]
    kept_count, candidates = _kept(folder / "kept" / "warehouse.duckdb", settings, day)
    return {**kept, "rules_kept_seconds": kept["stages"].get("worklist-rules"),
            "rules_all_seconds": again["stages"].get("worklist-rules"),
            "night_all_seconds": again["seconds"], "decisions_kept": kept_count,
            "candidates": candidates,
            "differing_rows": differing}


def markdown_both_ways(scale: str, nights: list[dict]) -> str:
    head = ("| night | day | candidates | kept | rules, kept (s) | rules, all again (s) | "
            "night, kept (s) | night, all again (s) | differing rows |\n"
            "|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
    body = "".join(
        f"| {i} | {n['day']} | {n['candidates']} | {n['decisions_kept']} | "
        f"{n['rules_kept_seconds']} | {n['rules_all_seconds']} | {n['seconds']} | "
        f"{n['night_all_seconds']} | {sum(n['differing_rows'].values())} |\n"
        for i, n in enumerate(nights))
    return (f"Consecutive nights at {scale} scale, each run twice (benchmarks/nights.py "
            f"--both-ways): decisions kept from the night before, and every candidate "
            f"decided again. Differing rows: rows of {', '.join(COMPARED)} found in one "
            f"warehouse and not in the other.\n\n{head}{body}")


# The early night compared in turn with the last (--in-turn): the third, the first whose
# warehouse already holds a steady night before it.
EARLY_NIGHT = 3


def kept_for_turns(inbox: Path, work: Path, folder: Path, night: int) -> None:
    """The state as the night found it and the night's inbox, kept to run it again."""
    shutil.copytree(work, folder / f"state_before_{night}", symlinks=True)  # links relative
    shutil.copytree(inbox, folder / f"inbox_{night}")


def in_turn(folder: Path, nights: tuple[int, int], turns: int, settings) -> list[dict]:
    """Each night run again on a copy of the state it found, the two nights in turn: on a
    machine whose speed moves with the hour, only their ratio within a pair measures what
    the history costs."""
    pairs = []
    for _ in range(turns):
        pair = {}
        for night in nights:
            again = folder / f"again_{night}"
            shutil.rmtree(again, ignore_errors=True)
            shutil.copytree(folder / f"state_before_{night}", again, symlinks=True)
            pair[night] = one_night(folder / f"inbox_{night}", again,
                                    AS_OF + timedelta(days=night), settings)
            shutil.rmtree(again)
        pairs.append(pair)
    return pairs


def markdown_in_turn(scale: str, nights: tuple[int, int], pairs: list[dict]) -> str:
    early, last = nights
    stages = list(pairs[0][early]["stages"])
    head = f"| pair | night {early} (s) | night {last} (s) | ratio |\n|---|---:|---:|---:|\n"
    body = "".join(f"| {i + 1} | {p[early]['seconds']} | {p[last]['seconds']} | "
                   f"{p[last]['seconds'] / p[early]['seconds']:.3f} |\n"
                   for i, p in enumerate(pairs))
    ratios = [p[last]["seconds"] / p[early]["seconds"] for p in pairs]
    per_stage = "".join(
        f"| {stage} | {statistics.median(p[early]['stages'].get(stage, 0) for p in pairs):.2f} "
        f"| {statistics.median(p[last]['stages'].get(stage, 0) for p in pairs):.2f} |\n"
        for stage in stages)
    return (f"Night {early} and night {last} at {scale} scale, each run again on a copy of "
            f"the state it found, in turn (benchmarks/nights.py --in-turn): the ratio of "
            f"each pair, median {statistics.median(ratios):.3f}.\n\n{head}{body}\n"
            f"Stages, medians (s):\n\n| stage | night {early} | night {last} |\n"
            f"|---|---:|---:|\n{per_stage}")


def markdown(scale: str, nights: list[dict]) -> str:
    head = ("| night | day | seconds | prepare | ingest | core | rules | exports | publish "
            "| commit | peak MB | at | warehouse MB | history MB | state MB | written MB "
            "| " + " | ".join(LAYERS) + " |\n|" + "---|" * (16 + len(LAYERS)) + "\n")
    body = "".join(
        f"| {i} | {n['day']} | {n['seconds']} | {n['stages'].get('prepare-workspace')} | "
        f"{n['stages'].get('ingest')} | "
        f"{n['stages'].get('core-sql')} | {n['stages'].get('worklist-rules')} | "
        f"{n['stages'].get('exports')} | {n['stages'].get('publish')} | "
        f"{n['publication_seconds'] or n['stages'].get('history-commit')} | "
        f"{n['peak_rss_mb']} | {n.get('peak_stage') or ''} | "
        f"{n['warehouse_mb']} | {n.get('history_mb')} | "
        f"{n.get('state_mb')} | {n.get('written_mb')} | "
        + " | ".join(str(n["rows"][layer]) for layer in LAYERS) + " |\n"
        for i, n in enumerate(nights))
    return (f"Consecutive nights at {scale} scale (benchmarks/nights.py). prepare: making "
            "the night's folder (and, before the history warehouse, copying the published "
            "warehouse into it); publish: building the readers' warehouse from the history "
            "one; commit: DuckDB's commit of the rebuild's transaction (before) or of the "
            "whole night's writes to the history warehouse (after); warehouse MB: the "
            "published warehouse; state MB: every file of the state folder (the published "
            "night, the one before it, the history warehouse); written MB: what the run's "
            "process wrote to disk; peak MB: the run's memory at its highest (its process and "
            "the ones it started), at: in which stage. Rows: of the published warehouse."
            f"\n\n{head}{body}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="department")
    parser.add_argument("--seed", type=int, default=37)
    parser.add_argument("--nights", type=int, default=60)
    parser.add_argument("--both-ways", action="store_true",
                        help="run each night twice: decisions kept, and all decided again")
    parser.add_argument("--in-turn", type=int, default=0, metavar="PAIRS",
                        help=f"then run night {EARLY_NIGHT} and the last night again on the "
                             "states they found, in turn, PAIRS times")
    parser.add_argument("--label", default="",
                        help="suffix of the results' name (nights_<scale>_<label>)")
    args = parser.parse_args()
    if args.in_turn and (args.both_ways or args.nights <= EARLY_NIGHT):
        parser.error(f"--in-turn runs one way, over more than {EARLY_NIGHT} nights")
    settings = configure_warehouse()
    rng = random.Random(args.seed)
    nights = []
    with tempfile.TemporaryDirectory(prefix="nights-") as folder:
        work, inbox = Path(folder) / "state", Path(folder) / "inbox"
        shutil.copytree(generated(args.scale, args.seed) / "inbox", inbox)
        for night in range(args.nights + 1):
            day = AS_OF + timedelta(days=night)
            if night:
                _agdref(inbox, day, rng)
                _telemofpra(inbox, day, night, rng)
                _genesis(inbox, day, rng)
                if night % 10 == 0:
                    _correction(inbox, day, rng)
                if night % 7 == 0:
                    _late_list(inbox, day, rng)
            if args.in_turn and night in (EARLY_NIGHT, args.nights):
                kept_for_turns(inbox, work, Path(folder), night)
            nights.append(both_ways(inbox, Path(folder), day, settings) if args.both_ways
                          else one_night(inbox, work, day, settings))
            print(f"night {night} ({day}): {nights[-1]['seconds']} s, "
                  f"warehouse {nights[-1]['warehouse_mb']} MB", flush=True)
        if args.in_turn:
            compared = (EARLY_NIGHT, args.nights)
            pairs = in_turn(Path(folder), compared, args.in_turn, settings)
            write_results(f"nights_{args.scale}_in_turn", {
                "scale": args.scale, "seed": args.seed, "nights": list(compared),
                "pairs": [{str(n): p[n] for n in compared} for p in pairs]},
                markdown_in_turn(args.scale, compared, pairs))
    if args.both_ways:
        write_results(f"nights_{args.scale}_both_ways", {
            "scale": args.scale, "seed": args.seed, "nights": nights},
            markdown_both_ways(args.scale, nights))
        return
    name = f"nights_{args.scale}" + (f"_{args.label}" if args.label else "")
    write_results(name, {"scale": args.scale, "seed": args.seed, "nights": nights},
                  markdown(args.scale, nights))


if __name__ == "__main__":
    main()
