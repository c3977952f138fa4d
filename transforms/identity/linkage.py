"""Probabilistic identity linkage with Splink (docs/design.md step 3).

TélémOfpra and GENESIS records are scored against AGDREF files, and AGDREF files
against each other, by a Fellegi-Sunter model: surname, first given name, the other
given names, birth date, sex, nationality, department and, for an asylum claim, the
file's asylum attestation, each compared on levels suited to transliterated
names (exact with term-frequency adjustment, same skeleton, Jaro-Winkler, surname and
given name swapped).
Its parameters were estimated without labels (`train_model`) and are read from the
versioned model file in `transforms/identity/models/`, the prior scaled each night to the
number of AGDREF files (`prior_for`); the thresholds beside it were chosen on the
generator's labelled data (benchmarks/linkage_synthetic.py).

Splink runs on its own in-memory DuckDB connection, never on the warehouse: it writes
`__splink__*` tables into the connection it is given (a Splink 5 habit). Beyond one machine, the
same model scores on Splink's Spark backend when a Spark session is given
(`score_pairs(..., spark=session)`; flows/spark.py makes one). Pure: frames in, frames
out; nothing here reads the clock or the environment.

This module scores a night; the stages it runs are in comparisons (the model's
comparisons and blocking), model_file (training, the nightly prior), splink_pass (one
Splink pass, DuckDB or Spark), record_pairs (pairs of a record and a file and the night's
memory), duplicates (pairs of two files and the night's memory) and thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from transforms.identity.duplicates import DuplicatesMemory, duplicates_pass, file_digests
from transforms.identity.model_file import agdref_files, prior_for
from transforms.identity.record_pairs import RecordPairsMemory, records_pass
from transforms.identity.splink_pass import Connect, empty_pairs, log2_odds
from transforms.identity.thresholds import KEEP_ABOVE, KEEP_DUPLICATES_ABOVE


def score_pairs(records: pl.DataFrame, model: dict, keep_above: float = KEEP_ABOVE,
                connect: Connect = duckdb.connect, spark=None) -> pl.DataFrame:
    """Every blocked pair of a record and an AGDREF file (kept from `keep_above`), and of
    two AGDREF files (kept from KEEP_DUPLICATES_ABOVE), scored with the same m and u: one
    row per (record, file) with the best-scoring way of writing them, its match weight
    and probability and the weight of each comparison (what an agent reads to decide).
    Each pass runs on a connection of its own from `connect` (Splink writes its tables
    into it), or on `spark` (a SparkSession)."""
    return score_remembering(records, model, Memories(None, None), keep_above, connect,
                             spark)[0]


@dataclass(frozen=True)
class Memories:
    """What a night's passes leave to the next: of the pairs of a record and a file
    (record_pairs.py) and of two files (duplicates.py); None where there is none."""

    records: RecordPairsMemory | None
    files: DuplicatesMemory | None


def score_remembering(records: pl.DataFrame, model: dict, memories: Memories,
                      keep_above: float = KEEP_ABOVE, connect: Connect = duckdb.connect,
                      spark=None, record_model: dict | None = None
                      ) -> tuple[pl.DataFrame, Memories]:
    """score_pairs, the pairs scored again only where the previous night's `memories` do
    not already prove the result (records_pass, duplicates_pass); returns the pairs and
    tonight's memories (none without AGDREF files). `record_model`: the model for pairs
    of a record and a file, when it differs (absence.py); pairs of files use `model`."""
    files = records.filter(pl.col("dataset") == "agdref").drop("dataset")
    if files.height == 0:
        return empty_pairs(), Memories(None, None)
    tonight = agdref_files(records)
    model, record_model = prior_for(model, tonight), prior_for(record_model or model, tonight)
    with connect() as con:  # one digest per record and file, for both passes
        digests = file_digests(con, records.drop("dataset").to_arrow())
    record_pairs, remembered_records = records_pass(
        records, record_model, memories.records, log2_odds(keep_above), digests, connect, spark)
    file_pairs, remembered_files = duplicates_pass(
        files, model, memories.files,
        digests.filter(pl.col("record_key").str.starts_with("agdref:")), connect, spark)
    duplicates = file_pairs.filter(
        pl.col("match_weight") >= log2_odds(KEEP_DUPLICATES_ABOVE))
    return (pl.concat([record_pairs, duplicates]).sort("record_key", "num_agdref"),
            Memories(remembered_records, remembered_files))
