"""Build the identity stage over `core`, as of the run date bound by build_core: each
source record's identity and the AGDREF files it agrees with (identity candidates, SQL),
Splink's scores of the records Splink compares, then `core.person_links` and
`core.link_review`. The candidates reuse the previous build's decisions for the pairs of a
record and a file that both read as then (identity_memory_key)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import partial
from importlib.metadata import version

import duckdb
import polars as pl

from transforms.identity import linkage
from transforms.identity.absence import calibrate_absence
from transforms.identity.memory import read_memories, write_memories
from transforms.identity.thresholds import Thresholds
from transforms.warehouse import tables
from transforms.warehouse.database import read_sql, scratch_connection

# The SQL that decides core.identity_candidates, in order (one file per table it builds).
CANDIDATE_STEPS = (
    "identity_agreement.sql",
    "core_record_identities.sql",
    "identity_memory_read.sql",
    "identity_screened.sql",
    "identity_pairs_to_decide.sql",
    "core_identity_candidates.sql",
    "core_claim_candidates.sql",
    "core_identity_memory.sql",
)
# Whom the quarantined rows without any number name, by identity (DQ-01).
QUARANTINE_STEPS = ("core_quarantined_identities.sql",)
LINK_STEPS = (
    "core_person_links.sql",
    "core_link_review.sql",
)

# What the memory of core.identity_candidates holds: a memory of another format, or made
# by other CANDIDATE_STEPS or another DuckDB, is not used.
IDENTITY_MEMORY_FORMAT = "64-bit digests of screened records and AGDREF files"


def identity_memory_key() -> str:
    """What must not change for the previous build's identity candidates to be reused:
    the SQL that decides them, the memory's format and DuckDB (its functions compare the
    names and hash the rows)."""
    text = json.dumps([*(read_sql(step) for step in CANDIDATE_STEPS), IDENTITY_MEMORY_FORMAT,
                       version("duckdb")])
    return hashlib.sha256(text.encode()).hexdigest()


def identity_records(con: duckdb.DuckDBPyConnection, run_date: date) -> pl.DataFrame:
    """The identity candidates (core.record_identities, core.identity_candidates and their
    memory) and the files quarantined rows name by identity (core.quarantined_identities)
    over the core tables built for `run_date`, and the records and AGDREF files
    Splink compares (linkage_records.sql)."""
    con.execute("SET VARIABLE run_date = ?", [run_date])
    con.execute("SET VARIABLE identity_memory_key = ?", [identity_memory_key()])
    for step in (*CANDIDATE_STEPS, *QUARANTINE_STEPS):
        con.execute(read_sql(step))
    return con.sql(read_sql("linkage_records.sql")).pl()


def score_identities(con: duckdb.DuckDBPyConnection, records: pl.DataFrame,
                     model: dict, spark=None) -> None:
    """Splink scores, on connections of its own (spilling privately beside the
    warehouse), each record against the AGDREF files and the files among themselves,
    reusing what the previous night proved of the pairs (record_pairs.records_pass,
    duplicates.duplicates_pass); the scores come back as temp table identity_scores,
    tonight's memories replace the previous ones. Records are scored with the evidence of
    absence weighed on tonight's verified pairs (absence.py). With `spark` (a
    SparkSession), Splink scores on Spark."""
    scores, memories = linkage.score_remembering(
        records, model, read_memories(con), spark=spark,
        connect=partial(scratch_connection, con), record_model=weigh_absence(con, model))
    tables.replace_table(con, "identity_scores", scores, temporary=True)
    write_memories(con, memories)


def weigh_absence(con: duckdb.DuckDBPyConnection, model: dict) -> dict:
    """The model for the record pass, its levels of absence weighed on tonight's pairs
    verified by number; the weights used replace the run date's in audit.identity_weights."""
    counts = con.sql(read_sql("identity_absence_levels.sql")).pl()
    calibrated, weights = calibrate_absence(model, counts)
    con.execute("DELETE FROM audit.identity_weights WHERE run_date = getvariable('run_date')")
    tables.insert_frame(con, "audit.identity_weights", weights)
    return calibrated


def link_persons(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> None:
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


def build_identity(con: duckdb.DuckDBPyConnection, run_date: date, model: dict,
                   thresholds: Thresholds, spark=None) -> None:
    """The whole stage at once, over a core built for `run_date` (the night times its
    steps apart: transforms/night.py)."""
    score_identities(con, identity_records(con, run_date), model, spark)
    link_persons(con, thresholds)
