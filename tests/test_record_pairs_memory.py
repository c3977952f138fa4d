"""The pass over records and files reuses the previous night (record_pairs.records_pass):
its pairs must be those of a pass over every pair, to the last bit, or it must score
every pair."""

from __future__ import annotations

import copy
import math
from dataclasses import replace

import polars as pl
import pytest

from transforms.identity import linkage, model_file, record_pairs, splink_pass
from transforms.identity.memory import read_memories
from transforms.identity.splink_pass import log2_odds
from transforms.identity.thresholds import KEEP_ABOVE
from transforms.warehouse.database import read_sql

NEW_FILE, NEW_RECORD = "agdref:9999999999", "telemofpra:OF99T000001"
FLOOR = log2_odds(KEEP_ABOVE) - record_pairs.REMEMBER_FROM_BITS


@pytest.fixture(scope="module")
def night_one(sample_warehouse) -> pl.DataFrame:
    """The sample's records and files as Splink compares them."""
    return sample_warehouse.sql(read_sql("linkage_records.sql")).pl()


@pytest.fixture(scope="module")
def model() -> dict:
    return model_file.read_model()


def reweighed(model: dict, comparison: str, level: int, factor: float) -> dict:
    """The model with one level's m multiplied by `factor` (as a night's absence weighs
    its levels again, absence.py)."""
    changed = copy.deepcopy(model)
    for c in changed["comparisons"]:
        if c["output_column_name"] == comparison:
            c["comparison_levels"][level]["m_probability"] *= factor
    return changed


def rows_of(records: pl.DataFrame, key: str) -> pl.DataFrame:
    return records.filter(pl.col("record_key") == key)


def copy_of(records: pl.DataFrame, key: str, new_key: str) -> pl.DataFrame:
    return rows_of(records, key).with_columns(
        record_key=pl.lit(new_key),
        unique_id=pl.col("unique_id").str.replace(key, new_key, literal=True))


def strongest_pair(records: pl.DataFrame, model: dict) -> tuple[str, str]:
    pairs = linkage.score_pairs(records, model)
    best = pairs.filter(~pl.col("record_key").str.starts_with("agdref:")).sort(
        "match_weight", descending=True).row(0, named=True)
    return best["record_key"], "agdref:" + best["num_agdref"]


def next_night(records: pl.DataFrame, model: dict) -> pl.DataFrame:
    """A night later: one record in 10 and one file in 40 written differently (a surname
    corrected), a record and a file gone, a new file copying the file of the night's
    strongest pair (a second file of that person), and a new record copying that record
    (a new list)."""
    record, file = strongest_pair(records, model)
    sources = records.filter(pl.col("dataset") == "source").get_column("record_key").unique().sort()
    files = records.filter(pl.col("dataset") == "agdref").get_column("record_key").unique().sort()
    corrected = pl.concat([sources.gather_every(10, offset=3), files.gather_every(40, offset=5)])
    gone = [k for k in (sources[1], files[2]) if k not in (record, file)]
    return pl.concat([
        records.filter(~pl.col("record_key").is_in(gone)).with_columns(
            surname=pl.when(pl.col("record_key").is_in(corrected.implode()))
            .then(pl.col("surname") + "E").otherwise(pl.col("surname"))),
        copy_of(records, file, NEW_FILE),
        copy_of(records, record, NEW_RECORD),
    ])


def remembering(records: pl.DataFrame, model: dict, memory, record_model: dict
                ) -> tuple[pl.DataFrame, record_pairs.RecordPairsMemory]:
    pairs, memories = linkage.score_remembering(
        records, model, linkage.Memories(memory, None), record_model=record_model)
    return pairs, memories.records


def records_only(pairs: pl.DataFrame) -> pl.DataFrame:
    return pairs.filter(~pl.col("record_key").str.starts_with("agdref:"))


def test_a_night_reusing_its_memory_scores_as_a_pass_over_every_pair(night_one, model):
    _, memory = remembering(night_one, model, None, model)
    assert memory.ceiling == pytest.approx(FLOOR)
    assert memory.pairs.height > 0 and memory.pairs["match_weight"].min() >= memory.ceiling
    night_two = next_night(night_one, model)
    # tonight the absence of an ADA weighs otherwise (absence.py)
    tonight_model = reweighed(model, "asylum_claim", 2, 1.25)

    reused, remembered = remembering(night_two, model, memory, tonight_model)
    everything, _ = remembering(night_two, model, None, tonight_model)

    assert memory.ceiling < remembered.ceiling < log2_odds(KEEP_ABOVE)  # reused, not a full pass
    assert remembered.ceiling - memory.ceiling >= math.log2(1.25)  # the level's move counted
    assert reused.equals(everything)  # every column, to the last bit
    record, file = strongest_pair(night_one, model)
    for new_pair in ((record, NEW_FILE), (NEW_RECORD, file)):  # found tonight, not remembered
        found = reused.filter((pl.col("record_key") == new_pair[0])
                              & (pl.col("num_agdref") == new_pair[1].removeprefix("agdref:")))
        assert found.height == 1 and found["match_probability"][0] > 0.99
    # and tomorrow's memory is the one a full pass would leave, above its ceiling
    _, full = remembering(night_two, model, None, tonight_model)
    above = pl.col("match_weight") >= remembered.ceiling
    assert remembered.pairs.filter(above).sort("record_key", "num_agdref").equals(
        full.pairs.filter(above).sort("record_key", "num_agdref"))


def test_a_night_without_change_leaves_the_memory_as_it_was(night_one, model):
    _, memory = remembering(night_one, model, None, model)
    pairs, again = remembering(night_one, model, memory, model)
    assert again.ceiling == memory.ceiling
    assert again.pairs.sort("record_key", "num_agdref").equals(
        memory.pairs.sort("record_key", "num_agdref"))
    assert records_only(pairs).equals(records_only(linkage.score_pairs(night_one, model)))


def test_every_pair_is_scored_when_the_memory_cannot_prove_the_result(night_one, model):
    _, memory = remembering(night_one, model, None, model)
    night_two = next_night(night_one, model)
    everything, _ = remembering(night_two, model, None, model)
    levels = memory.levels.with_columns(
        level=pl.when(pl.col("level") == 1).then(99).otherwise("level"))
    for stale in (
            # too many nights of drift: a pair left out might now be kept
            replace(memory, ceiling=log2_odds(KEEP_ABOVE) - 1e-6),
            # another model (or blocking, or columns): its weights say nothing tonight
            replace(memory, model_key="another model"),
            # levels that are not tonight's
            replace(memory, levels=levels)):
        scores, remembered = remembering(night_two, model, stale, model)
        assert remembered.ceiling == pytest.approx(FLOOR)
        assert scores.equals(everything)


def test_a_large_move_of_a_level_makes_the_night_score_every_pair(night_one, model):
    """Absence weighed far otherwise tonight (a department starting to key ADAs): the
    bound passes the weight kept, and every pair is scored."""
    _, memory = remembering(night_one, model, None, model)
    tonight_model = reweighed(model, "asylum_claim", 2, 2 ** 5)
    scores, remembered = remembering(night_one, model, memory, tonight_model)
    assert remembered.ceiling == pytest.approx(FLOOR)
    assert scores.equals(remembering(night_one, model, None, tonight_model)[0])


def test_the_level_shift_is_the_largest_move_within_each_comparison(model):
    before = record_pairs.level_weights(model)
    moved = reweighed(reweighed(reweighed(model, "asylum_claim", 2, 2.0),
                                "asylum_claim", 1, 0.5 ** 0.5), "other_given_names", 1, 1.5)
    # a pair sits at one level of each comparison: the larger of asylum_claim's two
    # moves (1 bit) and other_given_names' (log2 1.5)
    assert record_pairs.level_shift(before, record_pairs.level_weights(moved)) \
        == pytest.approx(1 + math.log2(1.5))
    assert record_pairs.level_shift(before, before) == 0
    assert record_pairs.level_shift(before, before.filter(pl.col("level") != 1)) == math.inf


def test_the_key_ignores_the_levels_m_and_the_prior_but_not_their_u(model):
    def key(m: dict) -> str:
        return record_pairs.record_model_key(m, ["surname"], "duckdb", FLOOR)

    assert key(reweighed(model, "asylum_claim", 2, 3.0)) == key(model)
    assert key({**model, "probability_two_random_records_match": 0.5}) == key(model)
    other_u = copy.deepcopy(model)
    other_u["comparisons"][0]["comparison_levels"][1]["u_probability"] *= 2
    assert key(other_u) != key(model)
    assert record_pairs.record_model_key(model, ["surname"], "duckdb", FLOOR - 1) != key(model)


def test_the_warehouse_keeps_the_memory_for_the_next_night(sample_warehouse, night_one):
    memory = read_memories(sample_warehouse).records
    assert memory is not None and memory.ceiling == pytest.approx(FLOOR)
    assert memory.digests.height == night_one.get_column("record_key").n_unique()
    assert memory.pairs.height > 0 and memory.pairs["match_weight"].min() >= FLOOR
    assert not memory.pairs["record_key"].str.starts_with("agdref:").any()


def test_only_values_held_by_an_unchanged_record_and_file_can_move_a_pair_left_out(model):
    """A town new on many files tonight (held by no record) moved its frequency far, but no
    pair of an unchanged record and file agrees on it: the bound leaves it out. A value
    held by a changed record only is left out too (its pairs are scored again)."""
    columns = list(splink_pass.term_frequency_columns(model))
    rows = pl.DataFrame({
        "dataset": ["source", "source", "agdref", "agdref", "agdref"],
        "record_key": ["genesis:1", "genesis:2", "agdref:1", "agdref:2", "agdref:3"],
        **{c: [None] * 5 for c in columns}}, schema_overrides={c: pl.String for c in columns})
    rows = rows.with_columns(
        surname=pl.Series(["DIALLO", "SOW", "DIALLO", "SOW", "BA"]),
        birth_town=pl.Series(["KAYES", None, "VILLE 952", "VILLE 952", "KAYES"]))
    held = record_pairs.held_on_both_sides(rows, pl.Series(["genesis:2"]), model)
    assert sorted(held.iter_rows()) == [("birth_town", "KAYES"), ("surname", "DIALLO")]
    assert record_pairs.held_on_both_sides(
        rows, pl.Series(["genesis:1", "genesis:2"]), model).height == 0
