"""Build the `core` layer from staging, as of the run date: AGDREF persons, titles and
measures of the latest snapshots, asylum decisions with their knowledge dates, detainees
on the latest lists and every committal ever listed, identity candidates and person
links. Every table is rebuilt from staging each run (one SQL file each, values bound
through `getvariable`); the identity candidates reuse the previous build's decisions for
the pairs of a record and a file that both read as then (core_identity.sql, identity_memory_key)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from functools import partial
from importlib.metadata import version

import duckdb
import polars as pl

from transforms.identity import comparisons, duplicates, linkage, model_file
from transforms.identity.thresholds import Thresholds, read_thresholds
from transforms.warehouse import tables
from transforms.warehouse.database import read_sql, scratch_connection

CORE_STEPS = (
    "core_latest_files.sql",
    "core_name_keys.sql",
    "core_persons.sql",
    "core_residence_titles.sql",
    "core_measure_events.sql",
    "core_removal_measures.sql",
    "core_asylum_decisions.sql",
    "core_detentions.sql",
    "core_detention_history.sql",
    "core_identity.sql",
    "core_quarantined_references.sql",
)
LINK_STEPS = (
    "core_person_links.sql",
    "core_link_review.sql",
)

# What the memory of core.identity_candidates holds (core_identity.sql): a memory of
# another format, or made by another core_identity.sql or DuckDB, is not used.
IDENTITY_MEMORY_FORMAT = "64-bit digests of screened records and AGDREF files"


def identity_memory_key() -> str:
    """What must not change for the previous build's identity candidates to be reused:
    the SQL that decides them, the memory's format and DuckDB (its functions compare the
    names and hash the rows)."""
    text = json.dumps([read_sql("core_identity.sql"), IDENTITY_MEMORY_FORMAT,
                       version("duckdb")])
    return hashlib.sha256(text.encode()).hexdigest()


# A named stage of a run: `with stage("core-sql") as counts: ...; counts["rows"] = n`.
# The nightly flow passes a clock (flows/stages.py); by default nothing is measured.
Stage = Callable[[str], AbstractContextManager[dict]]


def untimed(name: str) -> AbstractContextManager[dict]:
    return nullcontext({})


def build_core(con: duckdb.DuckDBPyConnection, run_date: date,
               model: dict | None = None, thresholds: Thresholds | None = None,
               stage: Stage = untimed, spark=None) -> None:
    """`model` and `thresholds` default to the versioned files in transforms/identity/models/;
    with `spark` (a SparkSession), Splink scores on Spark."""
    with stage("core-sql") as counts:
        records = identity_records(con, run_date)
        counts["rows"] = records.height
    with stage("identity-scoring") as counts:
        score_identities(con, records, model or model_file.read_model(), spark)
        counts["rows"] = records.height
    with stage("identity-links") as counts:
        link_persons(con, thresholds or read_thresholds())
        counts["rows"] = con.sql("SELECT count(*) FROM core.person_links").fetchall()[0][0]


def identity_records(con: duckdb.DuckDBPyConnection, run_date: date) -> pl.DataFrame:
    """Core up to the identity candidates, and the records and AGDREF files Splink
    compares (linkage_records.sql)."""
    con.execute("SET VARIABLE run_date = ?", [run_date])
    con.execute("SET VARIABLE identity_memory_key = ?", [identity_memory_key()])
    for step in CORE_STEPS:
        con.execute(read_sql(step))
    return con.sql(read_sql("linkage_records.sql")).pl()


def score_identities(con: duckdb.DuckDBPyConnection, records: pl.DataFrame,
                     model: dict, spark=None) -> None:
    """Splink scores, on connections of its own (spilling privately beside the
    warehouse), each record against the AGDREF files and the files among themselves,
    reusing what the previous night proved of the pairs of files (linkage.duplicates_pass);
    the scores come back as temp table identity_scores, tonight's memory replaces the
    previous one."""
    scores, memory = linkage.score_remembering(
        records, model, read_duplicates_memory(con), spark=spark,
        connect=partial(scratch_connection, con))
    tables.replace_table(con, "identity_scores", scores, temporary=True)
    write_duplicates_memory(con, memory)


# What a night's pass over pairs of AGDREF files leaves to the next (linkage.DuplicatesMemory).
_WEIGHTS = "of the pair's best spelling, as in core.link_review"
MEMORY_TABLES = {
    "core.duplicates_memory_files": ("digests", (
        "one row per AGDREF file as the last duplicates pass compared it: the next night "
        "scores again the pairs of the files whose digest changed"), {
        "record_key": "the AGDREF file ('agdref:' and its number)",
        "digest": "64-bit hash of the file's rows as compared (linkage.file_digests)"}),
    "core.duplicates_memory_terms": ("terms", (
        "values held by two AGDREF rows or more in a column whose term frequency weighs "
        "on the match weight, as the last duplicates pass counted them (the next night "
        "bounds how far weights moved)"), {
        "column_name": "the compared column (linkage_records.sql)",
        "value": "its value",
        "rows": "AGDREF rows holding it (one per spelling of a file)",
        "share": "its share of the rows where the column is known"}),
    "core.duplicates_memory_pairs": ("pairs", (
        "pairs of two AGDREF files the last duplicates pass scored from "
        "linkage.REMEMBER_FROM_WEIGHT, scored again the next night"), {
        "record_key": "the lesser file of the pair ('agdref:' and its number)",
        "num_agdref": "the greater file's number",
        "match_weight": f"match weight {_WEIGHTS}",
        "match_probability": f"match probability {_WEIGHTS}",
        **{f"weight_{name}": f"weight of the {name} comparison {_WEIGHTS}"
           for name in comparisons.COMPARISON_COLUMNS}}),
}
MEMORY_STATE = "core.duplicates_memory"


def read_duplicates_memory(con: duckdb.DuckDBPyConnection) -> duplicates.DuplicatesMemory | None:
    """The previous night's memory, or None (first night, or none kept)."""
    known = {r[0] for r in con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE database_name = current_database()").fetchall()}
    if not {MEMORY_STATE, *MEMORY_TABLES} <= known:
        return None
    state = con.sql(f"SELECT model_key, prior, ceiling FROM {MEMORY_STATE}").fetchall()  # noqa: S608
    if len(state) != 1:
        return None
    frames = {field: con.sql(f"SELECT * FROM {table}").pl()  # noqa: S608 (fixed names)
              for table, (field, _, _) in MEMORY_TABLES.items()}
    return duplicates.DuplicatesMemory(**frames, model_key=state[0][0], prior=state[0][1],
                                       ceiling=state[0][2])


def write_duplicates_memory(con: duckdb.DuckDBPyConnection,
                            memory: duplicates.DuplicatesMemory | None) -> None:
    """Replace the memory (none: drop it, the next night scores every pair)."""
    if memory is None:
        for table in (MEMORY_STATE, *MEMORY_TABLES):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        return
    for table, (field, description, columns) in MEMORY_TABLES.items():
        tables.replace_table(con, table, getattr(memory, field))
        tables.describe(con, table, description, columns)
    tables.replace_table(con, MEMORY_STATE, pl.DataFrame(
        {"model_key": [memory.model_key], "prior": [memory.prior], "ceiling": [memory.ceiling]}))
    tables.describe(
        con, MEMORY_STATE, "the model and prior of the last duplicates pass, and the match "
        "weight no pair of two AGDREF files left out of core.duplicates_memory_pairs reached",
        {"model_key": "digest of what the pass scored with (linkage.model_key: model, "
                      "blocking, columns, backend, memory format, Splink and DuckDB versions)",
         "prior": "the prior (probability two random files are one person) it used",
         "ceiling": "no pair of files missing from the pairs table weighed this much"})


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
