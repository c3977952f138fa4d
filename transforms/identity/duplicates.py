"""The pass over pairs of two AGDREF files, and what a night remembers of it for the
next (core.duplicates_memory*): only pairs touching a changed file are scored again
while the remembered bound proves the rest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version

import duckdb
import polars as pl
import pyarrow as pa

from transforms.identity.comparisons import file_blocking
from transforms.identity.splink_pass import (
    FILE_PAIRS,
    Connect,
    blocking_sql,
    log2_odds,
    predict_pairs,
    score_again,
    term_frequency_columns,
)
from transforms.identity.thresholds import KEEP_DUPLICATES_ABOVE
from transforms.warehouse.database import run_reading

# From one night to the next, a few AGDREF files change (about 1 %: 12,842 of 2,971,668
# on the national bench), and scoring every pair of two files is most of identity
# scoring. So each night remembers the pairs of two files weighing from this match
# weight (a probability of one half; 6.6 bits under the duplicate threshold of 0.99),
# and the next night scores afresh only the pairs touching a file that changed, and the
# remembered pairs again (duplicates_pass). On the national bench, 0.9 M pairs of
# spellings weigh that much (14 M from -8 bits), and a night moves weights by at most
# 1.8 bits: three nights out of four reuse, the fourth scores every pair.
REMEMBER_FROM_WEIGHT = 0.0
# Floating-point slack added to the proven bound (weights are sums of a few logarithms).
_ROUNDING = 1e-9


@dataclass(frozen=True)
class DuplicatesMemory:
    """What a night's duplicates pass leaves to the next (kept in the warehouse,
    core.duplicates_memory*): a digest of each AGDREF file as compared (`digests`,
    file_digests), the values of the term-frequency columns held by two rows or more
    (`terms`, common_terms), every pair of two files scoring from REMEMBER_FROM_WEIGHT
    (`pairs`, their best spelling), the key of the model and the prior it scored with,
    and `ceiling`: no pair of two files left out of `pairs` weighed as much as this."""

    digests: pl.DataFrame
    terms: pl.DataFrame
    pairs: pl.DataFrame
    model_key: str
    prior: float
    ceiling: float


# What a memory holds, and how (a memory of another format is not reused).
MEMORY_FORMAT = "64-bit file digests, common terms and spellings"


def model_key(model: dict, columns: list[str], backend: str) -> str:
    """What must not change for remembered weights to stay comparable: the model but for
    its nightly prior, the rules file_blocking holds (as SQL), the threshold of memory,
    the compared columns, the backend, the memory's format, and the versions of Splink
    (its SQL computes the weights) and DuckDB (it runs that SQL and hashes the files)."""
    fixed = {k: v for k, v in model.items() if k != "probability_two_random_records_match"}
    text = json.dumps([fixed, [blocking_sql(rule) for rule in file_blocking()],
                       REMEMBER_FROM_WEIGHT, sorted(columns), backend,
                       MEMORY_FORMAT, version("splink"), version("duckdb")],
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def duplicates_pass(files: pl.DataFrame, model: dict, memory: DuplicatesMemory | None,
                    digests: pl.DataFrame, connect: Connect = duckdb.connect, spark=None
                    ) -> tuple[pl.DataFrame, DuplicatesMemory]:
    """Pairs of two AGDREF files (`files`: their rows as compared), from
    REMEMBER_FROM_WEIGHT, exactly as a pass over every pair would score them.

    A pair of two files that did not change since `memory` was made keeps its
    comparison levels; only the prior and the term frequencies of the values it agrees
    on exactly move its weight, by at most `weight_shift` (computed, not assumed). So a
    pair left out of the memory still weighs under `ceiling + shift`. While that stays
    under the duplicate threshold, only the pairs touching a changed file and the
    remembered pairs are scored (Splink, tonight's term frequencies); otherwise, or
    without a memory of the same model, every pair is, and the ceiling starts again
    at REMEMBER_FROM_WEIGHT. `digests`: the files' file_digests."""
    backend = "duckdb" if spark is None else "spark"
    key = model_key(model, files.columns, backend)
    prior = model["probability_two_random_records_match"]
    every_file = files.to_arrow()  # scored, and counted in for the term frequencies
    terms = common_terms(files, model)
    if memory is not None and memory.model_key == key and spark is None:
        ceiling = raised(memory.ceiling, weight_shift(memory, terms, model))
        if ceiling < log2_odds(KEEP_DUPLICATES_ABOVE):
            changed = changed_files(memory.digests, digests)
            pairs = _rescore(files, every_file, model, memory.pairs, changed, connect)
            return pairs, DuplicatesMemory(digests, terms, pairs, key, prior, ceiling)
    with connect() as con:
        pairs = predict_pairs(con, {"agdref": every_file}, model, "dedupe_only",
                              file_blocking(), REMEMBER_FROM_WEIGHT, FILE_PAIRS, spark)
    return pairs, DuplicatesMemory(digests, terms, pairs, key, prior, REMEMBER_FROM_WEIGHT)


def raised(ceiling: float, shift: float) -> float:
    """A memory's ceiling after a night's drift of `shift` bits, with floating-point
    slack. No shift: tonight's weights are last night's to the bit, and so is the bound
    (a rerun of a night leaves the memory as it was)."""
    return ceiling + shift + _ROUNDING if shift else ceiling


def file_digests(con: duckdb.DuckDBPyConnection, files: pa.Table) -> pl.DataFrame:
    """One digest per AGDREF file (`record_key`) of its rows as compared, whatever their
    order: the sum modulo 2^64 of DuckDB's 64-bit hash of each row (every column, NULL
    told apart from any value). A file whose digest changed from one night to the next
    was written differently; a change leaves the digest as it was with a chance of
    2^-64 (about 10^-15 a night for 13,000 changed files). Cheaper than a digest of each
    row as text (benchmarks/README.md)."""
    return run_reading(con, "_digested", files, """
        SELECT record_key, (sum(hash(f)) % 18446744073709551616)::UBIGINT AS digest
        FROM _digested f GROUP BY record_key
    """).pl()


def changed_files(before: pl.DataFrame, tonight: pl.DataFrame) -> pl.Series:
    """The files new, gone or written differently between two nights' `file_digests`."""
    on = ["record_key", "digest"]
    return pl.concat([tonight.join(before, on=on, how="anti"),
                      before.join(tonight, on=on, how="anti")]
                     ).get_column("record_key").unique()



def term_frequencies(files: pl.DataFrame, column: str) -> pl.DataFrame:
    """Each value of `column`, its rows and its share of the rows where it is known, as
    Splink counts it (term_frequencies_for_single_column_sql)."""
    known = files.filter(pl.col(column).is_not_null())
    return known.group_by(column).agg(pl.len().cast(pl.Int64).alias("rows")).with_columns(
        (pl.col("rows").cast(pl.Float64) / known.height).alias(f"tf_{column}"))


def common_terms(files: pl.DataFrame, model: dict) -> pl.DataFrame:
    """For each term-frequency column of the model, the values held by two rows or more,
    their rows and share (term_frequencies): what weight_shift needs of a night (two
    files agreeing exactly on a value hold it twice)."""
    return pl.concat([
        term_frequencies(files, column).filter(pl.col("rows") >= 2).select(
            column_name=pl.lit(column), value=pl.col(column).cast(pl.String), rows="rows",
            share=f"tf_{column}")
        for column in term_frequency_columns(model)])


def weight_shift(memory: DuplicatesMemory, terms: pl.DataFrame, model: dict) -> float:
    """The most a pair of two unchanged files can have gained in match weight since
    `memory`: the change of prior in bits, plus for each term-frequency column the
    largest change of log2(share) of a value held by two rows or more on both nights
    (`terms`: tonight's common_terms)."""
    prior = model["probability_two_random_records_match"]
    return abs(log2_odds(prior) - log2_odds(memory.prior)) + term_shift(memory.terms, terms,
                                                                        model)


def term_shift(before: pl.DataFrame, tonight: pl.DataFrame, model: dict) -> float:
    """The most the term-frequency adjustments can have moved the weight of a pair of two
    unchanged rows between two nights' common_terms: for each term-frequency column, its
    adjustment's weight times the largest change of log2(share) of a value held by two
    rows or more on both nights (two unchanged rows agreeing on a value held it on both)."""
    changes = before.join(tonight, on=["column_name", "value"], suffix="_tonight").group_by(
        "column_name").agg((pl.col("share").log(2) - pl.col("share_tonight").log(2)).abs().max())
    weights = term_frequency_columns(model)
    return sum(abs(weights[column]) * change for column, change in changes.iter_rows())



def _rescore(files: pl.DataFrame, every_file: pa.Table, model: dict, remembered: pl.DataFrame,
             changed: pl.Series,
             connect: Connect) -> pl.DataFrame:
    """The pairs touching a `changed` file, scored against every file, and the
    `remembered` pairs of unchanged files, scored again; the term frequencies are
    tonight's, over every file (`every_file`, `files` as Arrow), as a full pass counts
    them."""
    changed = changed.implode()
    scored = []
    fresh = files.filter(pl.col("record_key").is_in(changed))
    if fresh.height:
        with connect() as con:
            scored.append(predict_pairs(
                con, {"changed": fresh.to_arrow(), "agdref": every_file}, model,
                "link_only", file_blocking(), REMEMBER_FROM_WEIGHT, FILE_PAIRS,
                count_terms_in=every_file))
    scored.append(score_again(remembered, changed, {"left": files, "right": files}, model,
                              file_blocking(), REMEMBER_FROM_WEIGHT, FILE_PAIRS, every_file,
                              connect))
    return pl.concat(scored)
