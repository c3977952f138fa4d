"""What a night's pass over pairs of AGDREF files leaves to the next
(duplicates.DuplicatesMemory), kept in `core.duplicates_memory*`."""

from __future__ import annotations

import duckdb
import polars as pl

from transforms.identity import comparisons, duplicates
from transforms.warehouse import tables

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
