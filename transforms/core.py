"""Build the `core` layer from staging, as of the run date: AGDREF persons, titles and
measures of the latest snapshots, asylum decisions with their knowledge dates, detainees
on the latest lists, identity candidates and person links. Every table is rebuilt from
staging each run (one SQL file each, values bound through `getvariable`)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from functools import partial

import duckdb
import polars as pl

from transforms import linkage, warehouse
from transforms.warehouse import read_sql

CORE_STEPS = (
    "core_latest_files.sql",
    "core_name_keys.sql",
    "core_persons.sql",
    "core_residence_titles.sql",
    "core_measure_events.sql",
    "core_removal_measures.sql",
    "core_asylum_decisions.sql",
    "core_detentions.sql",
    "core_identity.sql",
)
LINK_STEPS = (
    "core_person_links.sql",
    "core_link_review.sql",
)

# A named stage of a run: `with stage("core-sql") as counts: ...; counts["rows"] = n`.
# The nightly flow passes a clock (flows/stages.py); by default nothing is measured.
Stage = Callable[[str], AbstractContextManager[dict]]


def untimed(name: str) -> AbstractContextManager[dict]:
    return nullcontext({})


def build_core(con: duckdb.DuckDBPyConnection, run_date: date,
               model: dict | None = None, thresholds: linkage.Thresholds | None = None,
               stage: Stage = untimed, spark=None) -> None:
    """`model` and `thresholds` default to the versioned files in transforms/models/;
    with `spark` (a SparkSession), Splink scores on Spark."""
    with stage("core-sql") as counts:
        records = identity_records(con, run_date)
        counts["rows"] = records.height
    with stage("identity-scoring") as counts:
        score_identities(con, records, model or linkage.read_model(), spark)
        counts["rows"] = records.height
    with stage("identity-links") as counts:
        link_persons(con, thresholds or linkage.read_thresholds())
        counts["rows"] = con.sql("SELECT count(*) FROM core.person_links").fetchall()[0][0]


def identity_records(con: duckdb.DuckDBPyConnection, run_date: date) -> pl.DataFrame:
    """Core up to the identity candidates, and the records and AGDREF files Splink
    compares (linkage_records.sql)."""
    con.execute("SET VARIABLE run_date = ?", [run_date])
    for step in CORE_STEPS:
        con.execute(read_sql(step))
    return con.sql(read_sql("linkage_records.sql")).pl()


def score_identities(con: duckdb.DuckDBPyConnection, records: pl.DataFrame,
                     model: dict, spark=None) -> None:
    """Splink scores, on connections of its own (spilling privately beside the
    warehouse), each record against the AGDREF files and the files among themselves; the
    scores come back as temp table identity_scores."""
    scores = linkage.score_pairs(records, model, spark=spark,
                                 connect=partial(warehouse.scratch_connection, con))
    con.register("_scores", scores.to_arrow())
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE identity_scores AS SELECT * FROM _scores")
    finally:
        con.unregister("_scores")


def link_persons(con: duckdb.DuckDBPyConnection, thresholds: linkage.Thresholds) -> None:
    """core.person_links and core.link_review from the scores, the thresholds bound as
    variables."""
    for name, value in (("link_threshold", thresholds.link),
                        ("review_threshold", thresholds.review),
                        ("candidate_margin", thresholds.margin),
                        ("weak_birth_link_threshold", thresholds.weak_birth_link),
                        ("duplicate_threshold", thresholds.duplicate)):
        con.execute(f"SET VARIABLE {name} = ?", [value])
    for step in LINK_STEPS:
        con.execute(read_sql(step))
