"""The identity linkage on two test sets: the independent one (benchmarks/independent/,
written apart from the project's generator) and the project's own, on seeds the model
was neither trained nor tuned on (issue 33, items 4 and 5).

    python -m benchmarks.linkage_independent measure --set independent --seeds 1 2 3
    python -m benchmarks.linkage_independent measure --set project --scale national --seeds 1

Each (set, seed) runs in a process of its own (its peak memory is its own): the inbox
is generated once into benchmarks/cache/, ingested into a new warehouse as the nightly
run does (plan_inbox over the systems' folders, ingest_inbox with the run date), then
core and identity are built as transforms/night.py builds them (build_core,
identity_records, score_identities with the model file, link_persons with the thresholds
file) and rolled back. RECONCILE_MEMORY_LIMIT caps DuckDB as in the nightly run.

Results accumulate per scale in benchmarks/results/linkage_independent_<scale>.json and
.md (a run replaces the earlier run of the same set and seed): the measures against each
set's truth, the issue's targets met or missed with the gap, and for the independent set
what the misses carry (the slips the generator tagged).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.datasets import AS_OF, CACHE, RESULTS, write_results
from benchmarks.independent.causes import PATTERNS, miss_causes
from benchmarks.independent.generate import generate_independent
from benchmarks.independent.truth import linkage_measures, load_truth, misses

# Issue 33, item 5 (on both sets and every seed).
TARGETS = {
    "precision": (">=", 0.999),
    "recall": (">=", 0.97),
    "review_share": ("<=", 0.03),
    "unlinked_without_review_share": ("<=", 0.002),
    "duplicate_recall": (">=", 0.9),
    "duplicate_precision": (">=", 0.999),
}
NATIONAL_SECONDS = 300  # national linkage within 5 minutes on 2 cores


def dataset(set_name: str, scale: str, seed: int) -> Path:
    """The folder holding inbox/ and truth/records.csv, generated on first use."""
    if set_name == "project":
        from benchmarks.datasets import generated
        return generated(scale, seed)
    folder = CACHE / f"independent-{scale}-{seed}"
    if not (folder / "manifest.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        print(f"generating the independent {scale} set (seed {seed}) ...", flush=True)
        generate_independent(folder, scale, seed)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def measure_one(set_name: str, scale: str, seed: int) -> dict:
    """Ingest, core and identity of one dataset, measured against its truth."""
    from transforms.core.build import build_core
    from transforms.identity import model_file
    from transforms.identity.build import identity_records, link_persons, score_identities
    from transforms.identity.thresholds import read_thresholds
    from transforms.ingest.inbox import plan_inbox
    from transforms.ingest.load import ingest_inbox
    from transforms.warehouse import database as warehouse
    from transforms.warehouse import tables

    folder = dataset(set_name, scale, seed)
    path = folder / "measured.duckdb"
    for stale in (path, warehouse.wal_path(path)):
        stale.unlink(missing_ok=True)
    settings = warehouse.WarehouseSettings(
        memory_limit=os.environ.get("RECONCILE_MEMORY_LIMIT") or None)
    con = warehouse.connect(path, settings=settings)
    tables.create_warehouse(con)
    started = time.perf_counter()
    outcomes = ingest_inbox(con, plan_inbox(con, folder / "inbox", system_folders_only=True),
                            run_id=f"independent-{set_name}-{seed}", run_date=AS_OF)
    ingested = time.perf_counter()
    con.execute("BEGIN")
    build_core(con, AS_OF)
    records = identity_records(con, AS_OF)
    cored = time.perf_counter()
    score_identities(con, records, model_file.read_model())
    link_persons(con, read_thresholds())
    linked = time.perf_counter()
    load_truth(con, folder / "truth" / "records.csv")
    result = {
        "set": set_name, "scale": scale, "seed": seed,
        "agdref_files": con.sql("SELECT count(*) FROM staging.agdref_persons").fetchall()[0][0],
        "files_by_status": dict(Counter(o.status for o in outcomes)),
        "rows_quarantined": sum(o.rows_quarantined for o in outcomes),
        "rows_staged": sum(o.rows_staged for o in outcomes),
        "ingest_seconds": round(ingested - started, 1),
        "core_seconds": round(cored - ingested, 1),
        "identity_seconds": round(linked - cored, 1),
        "linkage_seconds": round(linked - ingested, 1),
        **linkage_measures(con),
        "absence_weights": {f"{c}: {level}": round(w, 3) for c, level, w in con.execute(
            "SELECT comparison, level, match_weight FROM audit.identity_weights").fetchall()},
    }
    if set_name == "independent":
        result["misses"] = misses(con)
        result["causes"] = miss_causes(con)
    con.execute("ROLLBACK")
    con.close()
    for stale in (path, warehouse.wal_path(path)):
        stale.unlink(missing_ok=True)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    result["memory_limit"] = settings.memory_limit or "DuckDB's default"
    result["targets"] = check_targets(result)
    return result


def check_targets(result: dict) -> dict:
    """Each target: the value, met or not, and the gap (value minus target: negative is
    short of a floor, positive is over a ceiling)."""
    checked = {}
    for measure, (sense, target) in TARGETS.items():
        value = result.get(measure)
        met = value is not None and (value >= target if sense == ">=" else value <= target)
        checked[measure] = {"target": f"{sense} {target}", "value": value, "met": met,
                            "gap": None if value is None else round(value - target, 5)}
    if result["scale"] == "national":
        seconds = result["linkage_seconds"]
        checked["linkage_seconds"] = {"target": f"<= {NATIONAL_SECONDS}", "value": seconds,
                                      "met": seconds <= NATIONAL_SECONDS,
                                      "gap": round(seconds - NATIONAL_SECONDS, 1)}
    return checked


def measure(set_name: str, scale: str, seeds: list[int]) -> None:
    """One process per seed (generation apart, so that peak memory is the linkage's),
    results merged into the scale's file."""
    name = f"linkage_independent_{scale}"
    stored = RESULTS / f"{name}.json"
    runs = json.loads(stored.read_text(encoding="utf-8"))["runs"] if stored.exists() else []
    for seed in seeds:
        subprocess.run([sys.executable, "-c", "import sys; from benchmarks.linkage_independent"
                        " import dataset; dataset(*sys.argv[1:3], int(sys.argv[3]))",
                        set_name, scale, str(seed)], check=True)
        out = subprocess.run([sys.executable, "-m", "benchmarks.linkage_independent", "one",
                              "--set", set_name, "--scale", scale, "--seeds", str(seed)],
                             check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        runs = [r for r in runs if (r["set"], r["seed"]) != (set_name, seed)] + [result]
        runs.sort(key=lambda r: (r["set"], r["seed"]))
        write_results(name, {"as_of": AS_OF, "runs": runs}, markdown(runs))


def markdown(runs: list[dict]) -> str:
    rows = "\n".join(
        f"| {r['set']} | {r['seed']} | {r['agdref_files']:,} | {r['records']:,} "
        f"| {r['precision']} ({r['wrong_links']} wrong) | {r['recall']} | {r['review_share']} "
        f"| {r['unlinked_without_review_share']} ({r['unlinked_without_review']}) "
        f"| {r['duplicate_recall']} / {r['duplicate_precision']} "
        f"({r['duplicate_pairs_right']} of {r['duplicate_pairs']}) "
        f"| {r['linkage_seconds']} | {r['peak_rss_mb']:,} "
        f"| {sum(1 for t in r['targets'].values() if not t['met'])} |" for r in runs)
    missed = "\n".join(
        f"| {r['set']} | {r['seed']} | {m} | {t['value']} | {t['target']} | {t['gap']} |"
        for r in runs for m, t in r["targets"].items() if not t["met"])
    text = (
        "| set | seed | AGDREF files | records | precision of LINKED | recall | review share "
        "| UNLINKED without review (share, count) | duplicates recall / precision (pairs) "
        "| linkage s | peak MB | targets missed |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|\n" + rows + "\n\n"
        "Targets missed (gap = value − target):\n\n| set | seed | measure | value | target "
        "| gap |\n|---|---|---|---|---|---|\n" + (missed or "| none | | | | | |") + "\n")
    independent = [r for r in runs if r["set"] == "independent"]
    if independent:  # runs measured before the causes were kept have none
        text += "\n" + causes_markdown([r for r in independent if "causes" in r]) \
            + "\n" + misses_markdown(independent)
    return text


def causes_markdown(runs: list[dict]) -> str:
    """One cause per miss (benchmarks/independent/causes.py), the seeds together."""
    recall: dict[str, Counter] = {}
    wrong: Counter = Counter()
    pairs: dict[str, Counter] = {}
    for r in runs:
        for row in r["causes"]["recall"]:
            recall.setdefault(row["cause"], Counter())[row["outcome"]] += row["records"]
        for row in r["causes"]["wrong_links"]:
            wrong[row["cause"]] += row["records"]
        for row in r["causes"]["duplicate_pairs"]:
            pairs.setdefault(row["cause"], Counter())[row["merged"]] += row["pairs"]
    seeds = ", ".join(str(r["seed"]) for r in runs)
    lines = [f"Causes of the misses on the independent set (seeds {seeds} together; one "
             "cause per record, the first that applies in `causes.RECALL_CAUSES`).", "",
             "Linkable records not linked to their person (recall; REVIEW counts in the "
             "review share, UNLINKED in the silent misses):", "",
             "| cause | REVIEW | UNLINKED | LINKED elsewhere | most frequent outcome "
             "| pattern |", "|---|---|---|---|---|---|"]
    for cause, outcomes in sorted(recall.items(), key=lambda kv: -sum(kv[1].values())):
        by = Counter()
        for outcome, n in outcomes.items():
            by[outcome.split()[0]] += n
        lines.append(f"| {cause} | {by['REVIEW']} | {by['UNLINKED']} | {by['LINKED']} "
                     f"| {outcomes.most_common(1)[0][0]} | {PATTERNS.get(cause, '')} |")
    lines += ["", "Wrong links (precision):", "", "| cause | records |", "|---|---|"]
    lines += [f"| {c} | {n} |" for c, n in wrong.most_common()]
    lines += ["", "Pairs of AGDREF files of one person (the first file and a second one):",
              "", "| what the second file holds | pairs | merged | left apart |",
              "|---|---|---|---|"]
    for cause, merged in sorted(pairs.items(), key=lambda kv: -kv[1][False]):
        lines.append(f"| {cause} | {merged[True] + merged[False]} | {merged[True]} "
                     f"| {merged[False]} |")
    return "\n".join(lines) + "\n"


def misses_markdown(runs: list[dict]) -> str:
    """The misses of the independent set's seeds together: per outcome, and per slip
    (records carrying it, how many missed)."""
    outcomes: Counter = Counter()
    tags: dict[str, Counter] = {}
    for r in runs:
        outcomes.update(r["misses"]["missed_by_outcome"])
        for t in r["misses"]["missed_by_tag"]:
            tags.setdefault(t["tag"], Counter()).update(
                {k: t[k] for k in ("records", "missed", "review", "unlinked")})
    seeds = ", ".join(str(r["seed"]) for r in runs)
    lines = [f"Independent set, seeds {seeds}: linkable records not linked to their person, "
             "by outcome:", "", "| status and rule | records |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in outcomes.most_common()]
    lines += ["", "By slip the generator tagged (a record may carry several):", "",
              "| slip | linkable records carrying it | missed | of which REVIEW | of which "
              "UNLINKED | miss rate |", "|---|---|---|---|---|---|"]
    for tag, c in sorted(tags.items(), key=lambda kv: -kv[1]["missed"]):
        if c["missed"]:
            lines.append(f"| {tag} | {c['records']} | {c['missed']} | {c['review']} "
                         f"| {c['unlinked']} | {c['missed'] / c['records']:.3f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("measure", "one", "report"))
    parser.add_argument("--set", dest="set_name", default="independent",
                        choices=("independent", "project"))
    parser.add_argument("--scale", default="department", choices=("tiny", "department",
                                                                   "national"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    if args.step == "report":  # the .md again from the .json (after a change of layout)
        name = f"linkage_independent_{args.scale}"
        runs = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))["runs"]
        write_results(name, {"as_of": AS_OF, "runs": runs}, markdown(runs))
    elif args.step == "one":
        print(json.dumps(measure_one(args.set_name, args.scale, args.seeds[0]), default=str))
    else:
        measure(args.set_name, args.scale, args.seeds)


if __name__ == "__main__":
    main()
