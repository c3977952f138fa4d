"""The pass over pairs of a TélémOfpra or GENESIS record and an AGDREF file, and what a
night remembers of it for the next (core.record_pairs_memory*): only pairs touching a
new or changed record or file are scored afresh while the remembered bound proves the
rest, as the duplicates pass does for pairs of two files (duplicates.py).

From one night to the next, a few AGDREF files change (0.2 to 0.5 % on the national
bench) and a few lists arrive, while scoring every record against the 3 million files
nationally took about 35 s of the night. Each night remembers the pairs weighing from
REMEMBER_FROM_BITS under the weight kept at all (KEEP_ABOVE), and a bound on the weights
of the pairs it left out (the memory's `ceiling`). The next night computes how far any
weight can have moved since: the prior, each comparison's largest change of level weight
(the levels of absence are weighed again each night, absence.py) and the term
frequencies of the values an unchanged record and an unchanged file both hold. While the
bound stays under the weight kept, a pair left out cannot be kept tonight, so the night
scores only the pairs of a changed record against every file, of an unchanged record
against a changed file, and the remembered pairs again: the same pairs, to the last bit,
as a pass over everything (tests/test_record_pairs_memory.py)."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

import duckdb
import polars as pl
import pyarrow as pa

from transforms.identity.comparisons import record_blocking
from transforms.identity.duplicates import (
    changed_files,
    common_terms,
    model_key,
    raised,
    term_shift,
)
from transforms.identity.splink_pass import (
    RECORD_PAIRS,
    Connect,
    as_written,
    blocking_sql,
    log2_odds,
    predict_pairs,
    score_again,
    split_datasets,
    term_frequency_columns,
)
from transforms.identity.thresholds import read_thresholds

# How far under the weight kept (KEEP_ABOVE, -6.6 bits) pairs are remembered: the nights'
# drift adds up in the ceiling until it reaches the weight kept, and then a night scores
# every pair again and starts from here.
REMEMBER_FROM_BITS = 4.0
MEMORY_FORMAT = "record pairs: 64-bit digests, common terms, level weights, spellings"


@dataclass(frozen=True)
class RecordPairsMemory:
    """What a night's pass over records and files leaves to the next (kept in the
    warehouse, core.record_pairs_memory*): a digest of each record and file as compared
    (`digests`), the values held by two rows or more of the term-frequency columns over
    records and files together (`terms`), the weight of each level of the record model
    (`levels`), the pairs scoring from the floor (`pairs`, their best spelling), the key
    of what must not change, the prior, and `ceiling`: no pair left out of `pairs`
    weighed as much as this."""

    digests: pl.DataFrame
    terms: pl.DataFrame
    levels: pl.DataFrame
    pairs: pl.DataFrame
    model_key: str
    prior: float
    ceiling: float


def level_weights(model: dict) -> pl.DataFrame:
    """Each comparison level's weight, log2(m/u), as the model scores it (the null
    levels, which hold no m and u and weigh nothing, are not listed)."""
    rows = [{"comparison": comparison["output_column_name"], "level": index,
             "weight": math.log2(level["m_probability"] / level["u_probability"])}
            for comparison in model["comparisons"]
            for index, level in enumerate(comparison["comparison_levels"])
            if "m_probability" in level and "u_probability" in level]
    return pl.DataFrame(rows, schema={"comparison": pl.String, "level": pl.Int64,
                                      "weight": pl.Float64})


def level_shift(before: pl.DataFrame, tonight: pl.DataFrame) -> float:
    """The most the levels' weights can have moved one pair's weight: for each
    comparison, its largest change of a level's weight (a pair sits at one level of
    each comparison)."""
    changes = before.join(tonight, on=["comparison", "level"], how="full", coalesce=True,
                          suffix="_tonight")
    if changes.select(pl.any_horizontal(pl.col("weight", "weight_tonight").is_null()).any()
                      ).item():
        return math.inf  # a level came or went: the weights say nothing of each other
    return changes.group_by("comparison").agg(
        (pl.col("weight") - pl.col("weight_tonight")).abs().max()).get_column("weight").sum()


def held_on_both_sides(records: pl.DataFrame, changed: pl.Series, model: dict
                       ) -> pl.DataFrame:
    """For each term-frequency column, the values (`column_name`, `value` as in
    common_terms) held by an unchanged record and by an unchanged file. A pair the night
    does not score again joins an unchanged record and an unchanged file, and a frequency
    moves its weight only on a value both hold (the adjustments apply on exact agreement
    alone): the frequencies of other values, however far they moved (a new town keyed on
    files only), cannot lift it."""
    unchanged = records.filter(~pl.col("record_key").is_in(changed.implode()))
    held = []
    for column in term_frequency_columns(model):
        sides = [unchanged.filter(pl.col("dataset") == side)
                 .select(value=pl.col(column).cast(pl.String)).drop_nulls().unique()
                 for side in ("source", "agdref")]
        held.append(sides[0].join(sides[1], on="value").select(
            column_name=pl.lit(column), value="value"))
    return pl.concat(held) if held else pl.DataFrame(
        schema={"column_name": pl.String, "value": pl.String})


def written_links_from() -> float:
    """The match weight at the link threshold (the thresholds file): a pair whose
    spellings as written reach it is scored on them, not on a split surname's reading
    (splink_pass._best_spelling)."""
    return log2_odds(read_thresholds().link)


def record_model_key(model: dict, columns: list[str], backend: str, floor: float,
                     written_from: float) -> str:
    """What must not change for remembered weights to stay comparable: the model but for
    its prior and its levels' m (their weights are compared instead, level_shift), the
    rules record_blocking holds (as SQL), the floor of memory, the weight from which the
    spellings as written are kept (`written_from`) and what duplicates.model_key names."""
    without_m = {**model, "comparisons": [
        {**comparison, "comparison_levels": [
            {k: v for k, v in level.items() if k != "m_probability"}
            for level in comparison["comparison_levels"]]}
        for comparison in model["comparisons"]]}
    text = json.dumps([model_key(without_m, columns, backend),
                       [blocking_sql(rule) for rule in record_blocking()], floor,
                       written_from, MEMORY_FORMAT])
    return hashlib.sha256(text.encode()).hexdigest()


def records_pass(records: pl.DataFrame, model: dict, memory: RecordPairsMemory | None,
                 keep_from: float, digests: pl.DataFrame, connect: Connect = duckdb.connect,
                 spark=None) -> tuple[pl.DataFrame, RecordPairsMemory]:
    """Pairs of a record and an AGDREF file (`records`: both, as compared, by `dataset`)
    weighing `keep_from` bits or more, exactly as a pass over every pair scores them, and
    tonight's memory (`digests`: duplicates.file_digests of every record and file).
    Without a usable memory (none, another model, Spark, or a drift that could lift a
    pair left out to `keep_from`), every pair is scored."""
    backend = "duckdb" if spark is None else "spark"
    floor = keep_from - REMEMBER_FROM_BITS
    columns = [c for c in records.columns if c != "dataset"]
    written_from = written_links_from()
    key = record_model_key(model, columns, backend, floor, written_from)
    prior = model["probability_two_random_records_match"]
    every_row = records.drop("dataset")
    counted = as_written(every_row)  # what the term frequencies count
    terms, levels = common_terms(counted, model), level_weights(model)
    if memory is not None and memory.model_key == key and spark is None:
        changed = changed_files(memory.digests, digests)
        moving = terms.join(held_on_both_sides(records, changed, model),
                            on=["column_name", "value"], how="semi")
        shift = (abs(log2_odds(prior) - log2_odds(memory.prior))
                 + level_shift(memory.levels, levels) + term_shift(memory.terms, moving, model))
        ceiling = raised(memory.ceiling, shift)
        if ceiling < keep_from:
            pairs = _rescore(records, counted.to_arrow(), model, floor, memory.pairs,
                             changed, connect, written_from)
            return (_kept(pairs, keep_from),
                    RecordPairsMemory(digests, terms, levels, pairs, key, prior, ceiling))
    with connect() as con:
        pairs = predict_pairs(con, split_datasets(records), model, "link_only",
                              record_blocking(), floor, RECORD_PAIRS, spark,
                              count_terms_in=counted.to_arrow(),
                              written_from=written_from)
    return (_kept(pairs, keep_from),
            RecordPairsMemory(digests, terms, levels, pairs, key, prior, floor))


def _kept(pairs: pl.DataFrame, keep_from: float) -> pl.DataFrame:
    return pairs.filter(pl.col("match_weight") >= keep_from)


def _rescore(records: pl.DataFrame, counted: pa.Table, model: dict, floor: float,
             remembered: pl.DataFrame, changed: pl.Series, connect: Connect,
             written_from: float) -> pl.DataFrame:
    """From `floor`: the pairs of a changed record against every file, of an unchanged
    record against a changed file, and the `remembered` pairs of an unchanged record and
    file, scored again; term frequencies counted over the rows as written (`counted`),
    as a full pass counts them, and spellings as written weighing `written_from` kept."""
    changed = changed.implode()
    touched = pl.col("record_key").is_in(changed)
    sources = records.filter(pl.col("dataset") == "source").drop("dataset")
    files = records.filter(pl.col("dataset") == "agdref").drop("dataset")
    scored = []
    for source, agdref in ((sources.filter(touched), files),
                           (sources.filter(~touched), files.filter(touched))):
        if source.height and agdref.height:
            with connect() as con:
                scored.append(predict_pairs(
                    con, {"source": source.to_arrow(), "agdref": agdref.to_arrow()}, model,
                    "link_only", record_blocking(), floor, RECORD_PAIRS,
                    count_terms_in=counted, written_from=written_from))
    scored.append(score_again(remembered, changed, {"source": sources, "agdref": files},
                              model, record_blocking(), floor, RECORD_PAIRS, counted,
                              connect, written_from))
    return pl.concat(scored)
