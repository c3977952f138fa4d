"""The pass over records and files reuses the previous night (record_pairs.records_pass):
its pairs must be those of a pass over every pair, to the last bit, or it must score
every pair."""

from __future__ import annotations

import copy
import math
from dataclasses import replace
from datetime import date

import duckdb
import polars as pl
import pytest
from splink import block_on

from transforms.identity import linkage, model_file, record_pairs, splink_pass
from transforms.identity.comparisons import file_blocking, record_blocking
from transforms.identity.duplicates import file_digests
from transforms.identity.memory import read_memories
from transforms.identity.splink_pass import (
    FILE_PAIRS,
    RECORD_PAIRS,
    log2_odds,
    predict_pairs,
    split_datasets,
    term_frequency_columns,
)
from transforms.identity.thresholds import KEEP_ABOVE
from transforms.warehouse.database import read_sql

NEW_FILE, NEW_RECORD = "agdref:9999999999", "telemofpra:OF99T000001"
FLOOR = log2_odds(KEEP_ABOVE) - record_pairs.REMEMBER_FROM_BITS
WRITTEN_FROM = record_pairs.written_links_from()


@pytest.fixture(scope="module")
def night_one(sample_warehouse) -> pl.DataFrame:
    """The sample's records and files as Splink compares them."""
    return sample_warehouse.sql(read_sql("linkage_records.sql")).pl()


@pytest.fixture(scope="module")
def model() -> dict:
    return model_file.read_model()


@pytest.fixture(scope="module")
def ready(model) -> dict:
    """The model as Splink takes it (what score_remembering makes of it, prior_for)."""
    return model_file.prior_for(model, 0)


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


COMMON = 8  # rows holding each of a copied pair's values


def strongest_pair(records: pl.DataFrame, model: dict) -> tuple[str, str]:
    """The strongest pair of a record and a file whose every value a term frequency counts
    is held by COMMON rows or more: a copy of them moves the frequencies a little (a
    second file of a common name), as a night the memory absorbs (on a pair of rare
    values, a copy doubles each share: a bit a column, past the memory's margin)."""
    rare = set()
    for column in term_frequency_columns(model):
        held = records.group_by(column).len().filter(
            pl.col(column).is_not_null() & (pl.col("len") < COMMON))
        rare |= set(records.join(held, on=column, how="semi")["record_key"])
    pairs = linkage.score_pairs(records, model).filter(
        ~pl.col("record_key").str.starts_with("agdref:")
        & ~pl.col("record_key").is_in(list(rare))
        & ~("agdref:" + pl.col("num_agdref")).is_in(list(rare)))
    best = pairs.sort("match_weight", descending=True).row(0, named=True)
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
    # reused, not a full pass (which would also leave the ceiling at the floor): a level
    # weighed 1 % otherwise tonight raises it
    _, nudged = remembering(night_one, model, memory, reweighed(model, "asylum_claim", 2, 1.01))
    assert memory.ceiling < nudged.ceiling < log2_odds(KEEP_ABOVE)
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
        return record_pairs.record_model_key(m, ["surname"], "duckdb", FLOOR, WRITTEN_FROM)

    assert key(reweighed(model, "asylum_claim", 2, 3.0)) == key(model)
    assert key({**model, "probability_two_random_records_match": 0.5}) == key(model)
    other_u = copy.deepcopy(model)
    other_u["comparisons"][0]["comparison_levels"][1]["u_probability"] *= 2
    assert key(other_u) != key(model)
    assert record_pairs.record_model_key(model, ["surname"], "duckdb", FLOOR - 1,
                                         WRITTEN_FROM) != key(model)
    assert record_pairs.record_model_key(model, ["surname"], "duckdb", FLOOR,
                                         WRITTEN_FROM - 1) != key(model)


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


def passing(records: pl.DataFrame, model: dict, memory, keep: float = log2_odds(KEEP_ABOVE)):
    """records_pass alone, with the model as given (its prior unscaled)."""
    with duckdb.connect() as con:
        digests = file_digests(con, records.drop("dataset").to_arrow())
    return record_pairs.records_pass(records, model, memory, keep, digests)


def ordered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort("record_key", "num_agdref")


def test_a_prior_five_bits_higher_is_counted(night_one, ready):
    """Tonight's prior 2^5 times last night's (the sample has fewer files than the model
    was trained on, so prior_for never moves it here): pairs left out under the margin
    might now be kept, and the night scores every pair."""
    _, memory = passing(night_one, ready, None)
    tonight = {**ready, "probability_two_random_records_match":
               ready["probability_two_random_records_match"] * 32}
    reused, remembered = passing(night_one, tonight, memory)
    assert remembered.ceiling == pytest.approx(memory.ceiling)  # a full pass, from the floor
    assert ordered(reused).equals(ordered(passing(night_one, tonight, None)[0]))


def crafted_records(night_one: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """One record per rule of record_blocking: a copy of a file's row altered so that this
    rule alone blocks the pair (record key -> the rule's index)."""
    files = night_one.filter(pl.col("dataset") == "agdref")
    file = files.filter(pl.col("birth_date_swapped").is_not_null()
                        & pl.col("nationality").is_not_null()).row(0, named=True)
    year, month, day = file["birth_year"], file["birth_month"], file["birth_day"]
    other_day = 28 if day != 28 else 27  # over 12: no swapped date
    other_month = month % 12 + 1
    another_date = {"birth_date": date(year, other_month, other_day), "birth_day": other_day,
                    "birth_month": other_month, "birth_date_swapped": None}
    alter = {
        0: {"birth_date": date(year, month, other_day), "birth_day": other_day,
            "birth_date_swapped": None, "nationality": "ZZZ"},
        1: {"surname_skeleton": "QQQ", "given_skeleton": "QQQ"},
        2: {"given_skeleton": "QQQ", "nationality": "ZZZ"},
        3: {"surname_skeleton": "QQQ", "nationality": "ZZZ"},
        4: {"birth_date": file["birth_date_swapped"], "birth_date_swapped": file["birth_date"],
            "birth_month": day, "birth_day": month, "surname_skeleton": "QQQ",
            "given_skeleton": "QQQ"},
        5: {"birth_year": year + 1, "birth_date": date(year + 1, month, day),
            "birth_date_swapped": None, "nationality": "ZZZ"},
        6: {**another_date, "given_skeleton": file["given_skeleton"][0] + "QQ"},
        7: {**another_date, "surname_skeleton": file["surname_skeleton"][0] + "QQ"},
        8: {"birth_year": None, "birth_month": None, "birth_day": None, "birth_date": None,
            "birth_date_swapped": None, "undated_key": file["undated_key"]},
    }
    assert len(alter) == len(record_blocking())
    row = rows_of(night_one, file["record_key"]).head(1)
    crafted, rules = [], {}
    for rule, changes in alter.items():
        changes = {"undated_key": None, **changes}  # a record with a year has no such key
        key = f"telemofpra:RULE{rule}"
        crafted.append(row.with_columns(
            dataset=pl.lit("source"), record_key=pl.lit(key), unique_id=pl.lit(key + "~0~0"),
            **{c: pl.lit(v, dtype=night_one.schema[c]) for c, v in changes.items()}))
        rules[key] = rule
    return pl.concat([night_one, *crafted]), rules


def test_a_pair_blocked_by_one_rule_alone_is_scored_again_as_a_full_pass_blocks_it(
        night_one, ready):
    records, rules = crafted_records(night_one)
    full, memory = passing(records, ready, None)
    for key, rule in rules.items():
        found = full.filter(pl.col("record_key") == key)
        assert found.height >= 1, key
        others = [r for i, r in enumerate(record_blocking()) if i != rule]
        with duckdb.connect() as con:
            without = predict_pairs(con, split_datasets(records), ready, "link_only", others,
                                    -1000.0, RECORD_PAIRS)
        assert without.join(found, on=["record_key", "num_agdref"], how="semi").height == 0, key
    tonight = reweighed(ready, "asylum_claim", 2, 1.01)
    again, remembered = passing(records, tonight, memory)
    assert memory.ceiling < remembered.ceiling < log2_odds(KEEP_ABOVE)  # remembered pairs
    assert ordered(again).equals(ordered(passing(records, tonight, None)[0]))


def test_a_town_new_on_many_files_leaves_the_memory_usable(night_one, ready):
    """300 new files born in a town no record holds (its frequency up about 7 bits) cannot
    lift a pair left out: the night reuses its memory and scores as a full pass."""
    sources = night_one.filter(pl.col("dataset") == "source")
    files = night_one.filter(pl.col("dataset") == "agdref")
    towns = files.group_by("birth_town").agg(n=pl.col("record_key").n_unique()).filter(
        (pl.col("n") >= 2) & pl.col("birth_town").is_not_null()
        & ~pl.col("birth_town").is_in(sources["birth_town"].drop_nulls().implode()))
    town = towns.sort("n", "birth_town").row(0, named=True)["birth_town"]
    _, memory = passing(night_one, ready, None)
    donors = files.get_column("record_key").unique().sort().head(300)
    new = files.filter(pl.col("record_key").is_in(donors.implode())).with_columns(
        record_key=pl.lit("agdref:8") + pl.col("record_key").str.slice(8),
        unique_id=pl.lit("agdref:8") + pl.col("unique_id").str.slice(8),
        birth_town=pl.lit(town))
    night_two = pl.concat([night_one, new])
    reused, remembered = passing(night_two, ready, memory)
    assert memory.ceiling < remembered.ceiling < log2_odds(KEEP_ABOVE)  # reused
    assert ordered(reused).equals(ordered(passing(night_two, ready, None)[0]))


def test_a_release_changing_the_record_blocking_makes_the_night_score_every_pair(
        night_one, ready, monkeypatch):
    _, memory = passing(night_one, ready, None)
    looser = [*record_blocking(), block_on("birth_year", "surname_skeleton")]
    monkeypatch.setattr(record_pairs, "record_blocking", lambda: looser)
    everything, fresh = passing(night_one, ready, None)
    assert fresh.model_key != memory.model_key
    reused, remembered = passing(night_one, ready, memory)
    assert remembered.ceiling == pytest.approx(FLOOR)
    assert ordered(reused).equals(ordered(everything))


@pytest.mark.parametrize("kept", ["one file, two spellings", "records without files",
                                  "files without records"])
def test_tables_that_cannot_make_a_pair_give_what_a_splink_pass_gives(
        night_one, ready, kept, monkeypatch):
    files = night_one.filter(pl.col("dataset") == "agdref")
    one_file = files.filter(pl.col("record_key") == files.get_column("record_key")[0])
    one_file = pl.concat([one_file, one_file.with_columns(unique_id=pl.col("unique_id") + "b")])
    sides = split_datasets(night_one)
    tables, link_type, blocking, orient = {
        "one file, two spellings": ({"agdref": one_file.drop("dataset").to_arrow()},
                                    "dedupe_only", file_blocking(), FILE_PAIRS),
        "records without files": ({"source": sides["source"], "agdref": sides["agdref"][:0]},
                                  "link_only", record_blocking(), RECORD_PAIRS),
        "files without records": ({"source": sides["source"][:0], "agdref": sides["agdref"]},
                                  "link_only", record_blocking(), RECORD_PAIRS),
    }[kept]
    assert not splink_pass.can_pair(tables, link_type)
    with duckdb.connect() as con:
        skipped = predict_pairs(con, tables, ready, link_type, blocking, -1000.0, orient)
    monkeypatch.setattr(splink_pass, "can_pair", lambda *_: True)
    with duckdb.connect() as con:
        passed = predict_pairs(con, tables, ready, link_type, blocking, -1000.0, orient)
    assert skipped.height == passed.height == 0
    assert skipped.schema == passed.schema
