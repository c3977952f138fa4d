"""Identity linkage on the generator's ground truth (issue 4, benchmark c).

    python -m benchmarks.linkage_synthetic train        # re-estimate the model (seed 11)
    python -m benchmarks.linkage_synthetic thresholds --scale region  # seed 23
    python -m benchmarks.linkage_synthetic measure [--scale national] [--seed 5] [--tag before]

`train` writes transforms/identity/models/identity_model.json from a department-scale inbox,
without its truth. `thresholds` chooses, on another seed, the most cautious thresholds
among those that link the most records (within 0.2 points) at precision >= 0.9995 with
no wrong merge of AGDREF files, and writes
transforms/identity/models/identity_thresholds.json
and benchmarks/results/identity_thresholds_<scale>.md (every combination tried).
`measure` runs the pipeline's linkage on a fresh seed (37 unless --seed) and writes
benchmarks/results/linkage_synthetic_<scale>[_seed<seed>][_<tag>].json and .md.
Datasets are generated once into benchmarks/cache/ (git-ignored).
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import time
from dataclasses import asdict

import duckdb
from rich.progress import track

from benchmarks.datasets import AS_OF, CACHE, generated, write_results
from data.synthetic.scales import SCALES
from data.synthetic.truth import linkage_metrics
from transforms.core.build import build_core
from transforms.identity import model_file
from transforms.identity.build import build_identity, identity_records, link_persons
from transforms.identity.thresholds import THRESHOLDS_FILE, Thresholds, read_thresholds
from transforms.ingest.inbox import plan_inbox
from transforms.ingest.load import ingest_inbox
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables

TRAIN_SEED, THRESHOLD_SEED, MEASURE_SEED = 11, 23, 37
PRECISION_FLOOR = 0.9995
RECALL_TIE = 0.002
LINK_TRIED = (0.98, 0.99, 0.995, 0.999, 0.9999)
# from linkage.KEEP_DUPLICATES_ABOVE: pairs of files below it are not kept
DUPLICATE_TRIED = (0.99, 0.995, 0.999, 0.9999)


def staged_dataset(scale: str, seed: int) -> duckdb.DuckDBPyConnection:
    """A generated inbox, ingested once into a cached warehouse; opened read-write so
    that core can be rebuilt inside a transaction that is rolled back."""
    folder = generated(scale, seed)
    database = folder / "warehouse.duckdb"
    if not database.exists():
        con = warehouse.connect(folder / "building.duckdb")
        tables.create_warehouse(con)
        ingest_inbox(con, plan_inbox(con, folder / "inbox"), run_id=f"bench-{seed}")
        con.close()
        (folder / "building.duckdb").rename(database)
    con = warehouse.connect(database)
    tables.create_warehouse(con)
    return con


def train() -> None:
    con = staged_dataset("department", TRAIN_SEED)
    con.execute("BEGIN")
    build_core(con, AS_OF)
    model = model_file.train_model(identity_records(con, AS_OF))
    con.execute("ROLLBACK")
    model_file.MODEL_FILE.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {model_file.MODEL_FILE}")


def choose_thresholds(scale: str) -> None:
    """Every combination tried on the same scores; safe when precision >= the floor and
    no AGDREF merge is wrong. Recall within RECALL_TIE of the best safe one is a tie, and
    a tie goes to the most cautious thresholds: the widest margin and the lowest review
    threshold (more candidates weighed against each other, and shown to agents), then
    the highest link thresholds; of the duplicate thresholds, the one merging the most
    files (a merge is guarded besides, core_person_links.sql)."""
    con = staged_dataset(scale, THRESHOLD_SEED)
    con.execute("BEGIN")
    build_core(con, AS_OF)
    build_identity(con, AS_OF, model_file.read_model(),
                   Thresholds(0.99, 0.5, 4, 0.9999, 0.9999))
    truth = CACHE / f"{scale}-{THRESHOLD_SEED}" / "truth"
    tried = []
    for t in track(threshold_grid(), description="thresholds"):
        link_persons(con, t)
        tried.append((t, linkage_metrics(con, truth)))
    con.execute("ROLLBACK")
    write_chosen(scale, tried)


def threshold_grid() -> list[Thresholds]:
    return [Thresholds(link, review, margin, duplicate, weak)
            for link, review, margin, duplicate, weak in itertools.product(
                LINK_TRIED, (0.5, 0.8, 0.95), (4.0, 8.0), DUPLICATE_TRIED,
                (0.9995, 0.9999, 0.99999))
            # a merge of two files weighs at least as much as a link
            if review < link <= weak and link <= duplicate]


def write_chosen(scale: str, tried: list[tuple[Thresholds, dict]]) -> None:
    """The choice (choose_thresholds says how) into the thresholds file, and every
    combination tried into benchmarks/results/."""
    safe = [(t, m) for t, m in tried
            if (m["precision"] or 0) >= PRECISION_FLOOR and m["duplicate_precision"] in (1.0, None)]
    best = max(m["recall"] for _, m in safe)
    t, m = max(((t, m) for t, m in safe if m["recall"] >= best - RECALL_TIE),
               key=lambda tm: (tm[0].margin, -tm[0].review, tm[0].link, tm[0].weak_birth_link,
                               tm[1]["duplicate_recall"] or 0, tm[0].duplicate))
    chosen = {"link": t.link, "review": t.review, "margin": t.margin, "duplicate": t.duplicate,
              "weak_birth_link": t.weak_birth_link,
              "chosen_on": f"reconcile generate --scale {scale} --seed {THRESHOLD_SEED}",
              "rule": f"precision >= {PRECISION_FLOOR} and no wrong merge; recall within "
                      f"{RECALL_TIE} of the best is a tie, won by the most cautious",
              "precision": m["precision"], "recall": m["recall"],
              "review_share": m["review_share"],
              "duplicate_precision": m["duplicate_precision"],
              "duplicate_recall": m["duplicate_recall"]}
    THRESHOLDS_FILE.write_text(json.dumps(chosen, indent=2) + "\n", encoding="utf-8")
    rows = "\n".join(
        f"| {t.link} | {t.review} | {t.margin} | {t.duplicate} | {t.weak_birth_link} "
        f"| {m['precision']} | {m['recall']} | {m['review_share']} "
        f"| {m['duplicate_precision']} | {m['duplicate_recall']} |" for t, m in tried)
    write_results(f"identity_thresholds_{scale}", {"chosen": chosen, "tried": [
        {**asdict(t), **{k: v for k, v in m.items() if k != "wrong_links"}} for t, m in tried]},
        "| link | review | margin | duplicate | weak birth | precision | recall | review "
        "share | duplicate precision | duplicate recall |\n|---|---|---|---|---|---|---|---|---|"
        f"---|\n{rows}\n\nChosen: {json.dumps(chosen)}\n")


def measure(scale: str, seed: int = MEASURE_SEED, tag: str = "") -> dict:
    started = time.perf_counter()
    con = staged_dataset(scale, seed)
    prepared = time.perf_counter()
    con.execute("BEGIN")
    build_core(con, AS_OF)
    build_identity(con, AS_OF, model_file.read_model(), read_thresholds())
    linked = time.perf_counter()
    metrics = linkage_metrics(con, CACHE / f"{scale}-{seed}" / "truth")
    # the weights of the levels of absence the night estimated (transforms/identity/absence.py)
    absence = {f"{c}: {level}": round(weight, 3) for c, level, weight in con.execute(
        "SELECT comparison, level, match_weight FROM audit.identity_weights").fetchall()}
    con.execute("ROLLBACK")
    result = {
        "scale": scale, "seed": seed,
        "files": con.sql("SELECT count(*) FROM staging.agdref_persons").fetchall()[0][0],
        "core_seconds": round(linked - prepared, 1),
        "generate_and_ingest_seconds": round(prepared - started, 1),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        **{k: v for k, v in metrics.items() if k != "wrong_links"},
        "wrong_links": len(metrics["wrong_links"]),
        "absence_weights": absence,
    }
    name = f"linkage_synthetic_{scale}" + (f"_seed{seed}" if seed != MEASURE_SEED else "")
    write_results(name + (f"_{tag}" if tag else ""), result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("train", "thresholds", "measure"))
    parser.add_argument("--scale", default="department", choices=sorted(SCALES))
    parser.add_argument("--seed", type=int, default=MEASURE_SEED, help="measure: the seed")
    parser.add_argument("--tag", default="", help="measure: a suffix of the results' name")
    args = parser.parse_args()
    if args.step == "train":
        train()
    elif args.step == "thresholds":
        choose_thresholds(args.scale)
    else:
        measure(args.scale, args.seed, args.tag)


if __name__ == "__main__":
    main()
