"""What a night's passes leave to the next, kept in the warehouse: over pairs of AGDREF
files (duplicates.DuplicatesMemory, `core.duplicates_memory*`) and over pairs of a record
and a file (record_pairs.RecordPairsMemory, `core.record_pairs_memory*`)."""

from __future__ import annotations

import duckdb
import polars as pl

from transforms.identity import comparisons, duplicates, linkage, record_pairs
from transforms.warehouse import tables
from transforms.warehouse.database import table_exists

_WEIGHTS = "of the pair's best spelling, as in core.link_review"
# The columns of a remembered pair's score (splink_pass.empty_pairs).
_SCORES = {
    "match_weight": f"match weight {_WEIGHTS}",
    "match_probability": f"match probability {_WEIGHTS}",
    **{f"weight_{name}": f"weight of the {name} comparison {_WEIGHTS}"
       for name in comparisons.COMPARISON_COLUMNS},
    "unsplit_weight": "the best match weight of the pair's spellings but those reading a "
                      "compound surname across the surname and the given names "
                      "(null: none scored; core_person_links.sql, SURNAME_SPLIT)"}
MEMORY_TABLES = {
    "core.duplicates_memory_files": ("digests", (
        "one row per AGDREF file as the last duplicates pass compared it: the next night "
        "scores again the pairs of the files whose digest changed"), {
        "record_key": "the AGDREF file ('agdref:' and its number)",
        "digest": "64-bit hash of the file's rows as compared (duplicates.file_digests)"}),
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
        "duplicates.REMEMBER_FROM_WEIGHT, scored again the next night"), {
        "record_key": "the lesser file of the pair ('agdref:' and its number)",
        "num_agdref": "the greater file's number",
        **_SCORES}),
}
MEMORY_STATE = "core.duplicates_memory"
_STATE_COLUMNS = {
    "model_key": "digest of what the pass scored with (its model but for what is compared "
                 "night to night, blocking, columns, backend, memory format, Splink and "
                 "DuckDB versions)",
    "prior": "the prior (probability two random rows are one person) it used",
    "ceiling": "no pair missing from the pairs table weighed this much"}

RECORD_MEMORY_TABLES = {
    "core.record_pairs_memory_rows": ("digests", (
        "one row per TélémOfpra or GENESIS record and AGDREF file as the last pass over "
        "records and files compared them: the next night scores again the pairs touching "
        "one whose digest changed"), {
        "record_key": "the record or file",
        "digest": "64-bit hash of its rows as compared (duplicates.file_digests)"}),
    "core.record_pairs_memory_terms": ("terms", (
        "values held by two rows or more (records and files together) in a column whose "
        "term frequency weighs on the match weight, as the last pass counted them"), {
        "column_name": "the compared column (linkage_records.sql)",
        "value": "its value",
        "rows": "rows holding it (one per spelling of a record or file)",
        "share": "its share of the rows where the column is known"}),
    "core.record_pairs_memory_levels": ("levels", (
        "the weight of each level of the record model the last pass scored with (the "
        "levels of absence are weighed each night)"), {
        "comparison": "the comparison", "level": "its level, in the model's order",
        "weight": "log2(m/u)"}),
    "core.record_pairs_memory_pairs": ("pairs", (
        "pairs of a record and an AGDREF file the last pass scored from "
        "record_pairs.REMEMBER_FROM_BITS under the weight kept, scored again the next "
        "night"), {
        "record_key": "the TélémOfpra or GENESIS record",
        "num_agdref": "the AGDREF file's number",
        **_SCORES}),
}
RECORD_MEMORY_STATE = "core.record_pairs_memory"


def _read(con: duckdb.DuckDBPyConnection, state: str, memory_tables: dict) -> dict | None:
    if not all(table_exists(con, table) for table in (state, *memory_tables)):
        return None
    row = con.sql(f"SELECT model_key, prior, ceiling FROM {state}").fetchall()  # noqa: S608
    if len(row) != 1:
        return None
    frames = {field: con.sql(f"SELECT * FROM {table}").pl()  # noqa: S608 (fixed names)
              for table, (field, _, _) in memory_tables.items()}
    return {**frames, "model_key": row[0][0], "prior": row[0][1], "ceiling": row[0][2]}


def _write(con: duckdb.DuckDBPyConnection, state: str, memory_tables: dict, memory,
           described: str) -> None:
    if memory is None:
        for table in (state, *memory_tables):
            con.execute(f"DROP TABLE IF EXISTS {table}")
        return
    for table, (field, description, columns) in memory_tables.items():
        tables.replace_table(con, table, getattr(memory, field))
        tables.describe(con, table, description, columns)
    tables.replace_table(con, state, pl.DataFrame(
        {"model_key": [memory.model_key], "prior": [memory.prior], "ceiling": [memory.ceiling]}))
    tables.describe(con, state, described, _STATE_COLUMNS)


def read_memories(con: duckdb.DuckDBPyConnection) -> linkage.Memories:
    """The previous night's memories, each None where there is none (first night, or
    none kept)."""
    records = _read(con, RECORD_MEMORY_STATE, RECORD_MEMORY_TABLES)
    files = _read(con, MEMORY_STATE, MEMORY_TABLES)
    return linkage.Memories(
        record_pairs.RecordPairsMemory(**records) if records else None,
        duplicates.DuplicatesMemory(**files) if files else None)


def write_memories(con: duckdb.DuckDBPyConnection, memories: linkage.Memories) -> None:
    """Replace the memories (none: drop it, the next night scores every pair)."""
    _write(con, RECORD_MEMORY_STATE, RECORD_MEMORY_TABLES, memories.records,
           "the model and prior of the last pass over records and files, and the match "
           "weight no pair left out of core.record_pairs_memory_pairs reached")
    _write(con, MEMORY_STATE, MEMORY_TABLES, memories.files,
           "the model and prior of the last duplicates pass, and the match weight no pair "
           "of two AGDREF files left out of core.duplicates_memory_pairs reached")


# Every table the identity stage keeps for the next night alone (digests of what it
# compared, pairs it scored, what it scored them with): read in the history warehouse by
# the next night, of no use to a reader, so not published (transforms/publish/readers.py).
IDENTITY_MEMORY_TABLES = (
    RECORD_MEMORY_STATE, *RECORD_MEMORY_TABLES, MEMORY_STATE, *MEMORY_TABLES,
    "core.identity_memory", "core.identity_memory_files", "core.identity_memory_records",
)
