"""The duplicates pass reuses the previous night (linkage.duplicates_pass): its results
must be those of a pass over every pair, to the last bit, or it must score every pair."""

from __future__ import annotations

import math
from dataclasses import replace

import duckdb
import polars as pl
import pytest

from transforms.identity import duplicates, linkage, model_file, splink_pass
from transforms.identity.memory import read_memories
from transforms.identity.thresholds import KEEP_DUPLICATES_ABOVE
from transforms.warehouse.database import read_sql

DUPLICATE = "agdref:9999999999"


@pytest.fixture(scope="module")
def night_one(sample_warehouse) -> pl.DataFrame:
    """The sample's records as Splink compares them (read only: the temp tables of the
    sample's run)."""
    return sample_warehouse.sql(read_sql("linkage_records.sql")).pl()


def next_night(records: pl.DataFrame) -> pl.DataFrame:
    """A night later: one file in 25 written differently (a surname corrected, a birth
    day entered), one file gone, a new file opened for a person who has one, and a file
    rewritten (identity corrected) into a duplicate of another."""
    keys = (records.filter(pl.col("dataset") == "agdref").get_column("record_key")
            .unique().sort())
    corrected, entered = keys.gather_every(50), keys.gather_every(50, offset=25)
    gone, copied, rewritten, model = keys[7], keys[11], keys[13], keys[17]
    return pl.concat([
        records.filter(~pl.col("record_key").is_in([gone, rewritten])).with_columns(
            surname=pl.when(pl.col("record_key").is_in(corrected.implode()))
            .then(pl.col("surname") + "E").otherwise(pl.col("surname")),
            birth_day=pl.when(pl.col("record_key").is_in(entered.implode())
                              & pl.col("birth_day").is_null())
            .then(14).otherwise(pl.col("birth_day")).cast(records.schema["birth_day"])),
        copy_of(records, copied, DUPLICATE),
        copy_of(records, model, rewritten),
    ])


def copy_of(records: pl.DataFrame, file: str, key: str) -> pl.DataFrame:
    """The rows of `file` under the file key `key`."""
    return records.filter(pl.col("record_key") == file).with_columns(
        record_key=pl.lit(key), unique_id=pl.col("unique_id").str.replace(file, key, literal=True),
        number_given=pl.lit(None, pl.String))


def remembering(records: pl.DataFrame, model: dict, memory: duplicates.DuplicatesMemory | None
                ) -> tuple[pl.DataFrame, duplicates.DuplicatesMemory | None]:
    """A night's scores and the memory of its duplicates pass, from `memory` (the pass over
    records and files remembering nothing)."""
    pairs, memories = linkage.score_remembering(records, model, linkage.Memories(None, memory))
    return pairs, memories.files


def pair_of(scores: pl.DataFrame, one: str, other: str) -> pl.DataFrame:
    """The scores of two files, whichever side each is on."""
    def on(lesser: str, greater: str) -> pl.Expr:
        return ((pl.col("record_key") == lesser)
                & (pl.col("num_agdref") == greater.removeprefix("agdref:")))
    return scores.filter(on(one, other) | on(other, one))


def test_a_night_reusing_its_memory_scores_as_a_pass_over_every_pair(night_one):
    model = model_file.read_model()
    _, memory = remembering(night_one, model, None)
    assert memory.ceiling == duplicates.REMEMBER_FROM_WEIGHT
    assert memory.pairs.height > 0
    night_two = next_night(night_one)

    reused, remembered = remembering(night_two, model, memory)
    everything = linkage.score_pairs(night_two, model)

    assert remembered.ceiling > memory.ceiling  # the memory was used, not a full pass
    assert reused.equals(everything)  # every column, to the last bit
    keys = night_one.filter(pl.col("dataset") == "agdref").get_column("record_key").unique().sort()
    for one, other in ((DUPLICATE, keys[11]), (keys[13], keys[17])):  # a new, a rewritten file
        duplicate = pair_of(reused, one, other)
        assert duplicate.height == 1 and duplicate["match_probability"][0] \
            >= KEEP_DUPLICATES_ABOVE
        assert pair_of(memory.pairs, one, other).height == 0  # not remembered: found tonight
    # and tomorrow's memory is the one a full pass would leave, above its ceiling
    _, full = remembering(night_two, model, None)
    above = pl.col("match_weight") >= remembered.ceiling
    assert remembered.pairs.filter(above).sort("record_key", "num_agdref").equals(
        full.pairs.filter(above).sort("record_key", "num_agdref"))


def test_a_night_without_change_leaves_the_memory_as_it_was(night_one):
    """The same files scored again (a rerun of the night): no weight moved, so the
    ceiling stays where it was instead of growing by the rounding slack every rerun."""
    model = model_file.read_model()
    _, memory = remembering(night_one, model, None)
    pairs, again = remembering(night_one, model, memory)
    assert again.ceiling == memory.ceiling
    def ordered(frame):
        return frame.sort(frame.columns[:2])
    assert ordered(again.pairs).equals(ordered(memory.pairs))
    assert ordered(again.digests).equals(ordered(memory.digests))
    assert ordered(pairs).equals(ordered(linkage.score_pairs(night_one, model)))


def test_every_pair_is_scored_when_the_memory_cannot_prove_the_result(night_one):
    model = model_file.read_model()
    _, memory = remembering(night_one, model, None)
    night_two = next_night(night_one)
    everything = linkage.score_pairs(night_two, model)
    duplicate_weight = math.log2(KEEP_DUPLICATES_ABOVE
                                 / (1 - KEEP_DUPLICATES_ABOVE))
    tonight = duplicates.common_terms(night_two.filter(pl.col("dataset") == "agdref"), model)
    shift = duplicates.weight_shift(memory, tonight, model_file.prior_for(model, 10**9))
    assert shift > 0
    for stale in (
            # too many nights of drift: a pair left out might now be a duplicate
            replace(memory, ceiling=duplicate_weight - 1e-6),
            # another model (or blocking, or columns): its weights say nothing tonight
            replace(memory, model_key="another model")):
        scores, remembered = remembering(night_two, model, stale)
        assert remembered.ceiling == duplicates.REMEMBER_FROM_WEIGHT
        assert scores.equals(everything)


def test_the_shift_bound_counts_the_prior_and_the_rarest_value_that_moved():
    model = model_file.read_model()
    files = pl.DataFrame({c: ["A", "A", "B", "B", "C", "C", "C", "C"]
                          for c in splink_pass.term_frequency_columns(model)})
    memory = duplicates.DuplicatesMemory(pl.DataFrame(), duplicates.common_terms(files, model),
                                      pl.DataFrame(), "key", 0.001, 0.0)
    # the same values, the same prior: nothing moved
    assert duplicates.weight_shift(memory, duplicates.common_terms(files, model), {
        **model, "probability_two_random_records_match": 0.001}) == 0
    # two rows more, surname B (held twice, now four times: 2/8 -> 4/10, log2(1.6) bits)
    # and C elsewhere (4/8 -> 6/10; A and B fall from 2/8 to 2/10, log2(10/8) bits)
    tonight = files.vstack(files.head(2).with_columns(pl.all().exclude("surname").replace(
        "A", "C"), surname=pl.lit("B")))
    prior = 0.002
    shift = duplicates.weight_shift(memory, duplicates.common_terms(tonight, model),
                                 {**model, "probability_two_random_records_match": prior})
    # every other term-frequency column (given name, other given names, nationality,
    # department, town of birth)
    other_columns = (len(splink_pass.term_frequency_columns(model)) - 1) * math.log2(10 / 8)
    expected = (math.log2(prior / (1 - prior)) - math.log2(0.001 / 0.999)
                + math.log2(1.6) + other_columns)
    assert shift == pytest.approx(expected)


def test_the_warehouse_keeps_the_memory_for_the_next_night(sample_warehouse, night_one):
    memory = read_memories(sample_warehouse).files
    assert memory is not None and memory.ceiling == duplicates.REMEMBER_FROM_WEIGHT
    agdref = night_one.filter(pl.col("dataset") == "agdref").drop("dataset")
    with duckdb.connect() as con:
        digests = duplicates.file_digests(con, agdref.to_arrow())
    assert memory.digests.height == agdref.get_column("record_key").n_unique()
    assert memory.digests.sort("record_key").equals(digests.sort("record_key"))
    terms = ("column_name", "value")
    assert memory.terms.sort(terms).equals(
        duplicates.common_terms(agdref, model_file.read_model()).sort(terms))
    assert memory.pairs.height > 0 and memory.pairs["match_weight"].min() >= 0


def test_a_file_digest_changes_with_any_cell_and_not_with_the_order_of_rows():
    rows = pl.DataFrame({"record_key": ["agdref:1", "agdref:1", "agdref:2"],
                         "unique_id": ["agdref:1~0", "agdref:1~1", "agdref:2~0"],
                         "surname": ["DIALLO", "DIALO", "SOW"],
                         "given_name": ["AMADOU", "AMADOU", None]})

    def digests(frame: pl.DataFrame) -> pl.DataFrame:
        with duckdb.connect() as con:
            return duplicates.file_digests(con, frame.to_arrow())

    def changed(frame: pl.DataFrame) -> set[str]:
        return set(duplicates.changed_files(digests(rows), digests(frame)).to_list())

    assert changed(rows.reverse()) == set()  # the same rows in another order
    assert changed(rows.with_columns(pl.col("given_name").fill_null(""))) == {"agdref:2"}
    assert changed(rows.with_columns(surname="given_name", given_name="surname")) \
        == {"agdref:1", "agdref:2"}  # values moved to another column
    assert changed(rows.with_columns(pl.col("surname").str.replace("DIALO", "DIALLO"))) \
        == {"agdref:1"}
    assert changed(rows.filter(pl.col("record_key") == "agdref:1")) == {"agdref:2"}  # gone


@pytest.mark.parametrize("package", ["splink", "duckdb"])
def test_an_upgrade_of_splink_or_duckdb_makes_the_next_night_score_every_pair(
        monkeypatch, package):
    """Another Splink may compute weights otherwise, another DuckDB hash files otherwise:
    what the memory proved no longer holds."""
    model = model_file.read_model()
    before = duplicates.model_key(model, ["surname"], "duckdb")
    installed = duplicates.version
    monkeypatch.setattr(duplicates, "version",
                        lambda name: "99.0" if name == package else installed(name))
    assert duplicates.model_key(model, ["surname"], "duckdb") != before


def test_a_release_changing_the_file_blocking_makes_the_next_night_score_every_pair(
        monkeypatch):
    """The memory's key names the rules file_blocking returns, not the constants they were
    built from: a rule added in a release (a custom one too) is another blocking, whose
    pairs the memory never saw."""
    from splink.blocking_rule_library import CustomRule

    model = model_file.read_model()
    before = duplicates.model_key(model, ["surname"], "duckdb")
    rules = duplicates.file_blocking()
    monkeypatch.setattr(duplicates, "file_blocking", lambda: [
        *rules, CustomRule('l."birth_year" = r."birth_year"', sql_dialect="duckdb")])
    assert duplicates.model_key(model, ["surname"], "duckdb") != before
    monkeypatch.setattr(duplicates, "file_blocking", lambda: rules)
    assert duplicates.model_key(model, ["surname"], "duckdb") == before
