"""The suite's memory of Splink passes (tests/splink_memo.py) answers a repeated pass with
what Splink answers, and runs Splink again for a pass that differs in anything."""

from __future__ import annotations

import math

import duckdb
import polars as pl
import pytest

from tests import splink_memo
from transforms.identity import duplicates, model_file, record_pairs
from transforms.identity.comparisons import record_blocking
from transforms.identity.splink_pass import RECORD_PAIRS, predict_pairs, split_datasets
from transforms.warehouse.database import read_sql


@pytest.fixture(scope="module")
def records(sample_warehouse) -> pl.DataFrame:
    return sample_warehouse.sql(read_sql("linkage_records.sql")).pl()


@pytest.fixture(scope="module")
def ready() -> dict:
    return model_file.prior_for(model_file.read_model(), 0)


def one_pass(records: pl.DataFrame, model: dict, remembered: bool) -> pl.DataFrame:
    run = splink_memo.remembering_predict_pairs if remembered else predict_pairs
    with duckdb.connect() as con:
        return run(con, split_datasets(records), model, "link_only", record_blocking(),
                   -10.0, RECORD_PAIRS, written_from=math.inf)


def ordered(pairs: pl.DataFrame) -> pl.DataFrame:
    return pairs.sort(pairs.columns)


def test_the_night_s_passes_go_through_the_memory():
    assert record_pairs.predict_pairs is splink_memo.remembering_predict_pairs
    assert duplicates.predict_pairs is splink_memo.remembering_predict_pairs


def test_a_repeated_pass_answers_what_splink_answers(records, ready):
    first = one_pass(records, ready, remembered=True)
    run = splink_memo.COUNTS["run"]
    again = one_pass(records, ready, remembered=True)
    assert splink_memo.COUNTS["run"] == run  # answered from the memory
    splink = one_pass(records, ready, remembered=False)
    assert splink.height > 0
    assert ordered(again).equals(ordered(splink)) and ordered(first).equals(ordered(splink))


@pytest.mark.parametrize("change", ["a row", "the model"])
def test_a_pass_that_differs_runs_splink(records, ready, change):
    one_pass(records, ready, remembered=True)
    run = splink_memo.COUNTS["run"]
    if change == "a row":
        source = records.filter(pl.col("dataset") == "source")
        key = source.get_column("record_key")[0]
        records = records.with_columns(
            surname=pl.when(pl.col("record_key") == key).then(pl.lit("ZZYZX"))
            .otherwise(pl.col("surname")))
    else:
        ready = {**ready, "probability_two_random_records_match": 0.5 *
                 ready["probability_two_random_records_match"]}
    changed = one_pass(records, ready, remembered=True)
    assert splink_memo.COUNTS["run"] == run + 1
    assert ordered(changed).equals(ordered(one_pass(records, ready, remembered=False)))
