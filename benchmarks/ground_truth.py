"""The lists against the generator's ground truth on several seeds (the test suite runs
one): protected persons listed (must be none), flaggable persons missed, markers and legal
alerts missed, per seed, into results/ground_truth_<scale>.json and .md.

    python -m benchmarks.ground_truth --scale department --seeds 11 23 5
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.datasets import AS_OF, write_results
from data.synthetic.generate import generate_dataset
from data.synthetic.scales import SCALES
from tests.conftest import ingest
from tests.truth import check_against_truth
from transforms.night import rebuild_night
from transforms.warehouse import database as warehouse
from transforms.warehouse import tables

CHECKS = ("protected_listed", "missed", "markers_missed", "alerts_missed")


def one_seed(scale: str, seed: int, root: Path) -> dict:
    generate_dataset(root, SCALES[scale], seed=seed, as_of=AS_OF)
    con = warehouse.connect(root / "warehouse.duckdb")
    tables.create_warehouse(con)
    ingest(con, root / "inbox")
    rebuild_night(con, AS_OF, horizon_days=120)
    result = check_against_truth(con, root / "truth")
    con.close()
    return {"seed": seed, "flaggable": result["flaggable"], "found": result["found"],
            "explained": result["explained"],
            **{name: sorted(result[name]) for name in CHECKS}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="department", choices=["department"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 23, 5])
    args = parser.parse_args()
    seeds = []
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as folder:
            seeds.append(one_seed(args.scale, seed, Path(folder)))
    rows = "\n".join(
        f"| {s['seed']} | {s['flaggable']} | {s['found']} | {s['explained']} | "
        + " | ".join(", ".join(s[name]) or "none" for name in CHECKS) + " |" for s in seeds)
    write_results(f"ground_truth_{args.scale}", {"as_of": AS_OF, "seeds": seeds},
                  "| seed | flaggable | found | explained | protected listed | missed | "
                  "markers missed | alerts missed |\n|---|---|---|---|---|---|---|---|\n"
                  + rows + "\n")


if __name__ == "__main__":
    main()
