"""The suite's memory of Splink passes and Pandera validations (tests/remembered.py)
answers a repeated call with what the library answers, and calls the library again for
anything that differs; a validation that fails fails every time. The test process's
queries run on polars' in-memory engine, and only they (conftest.in_memory_queries)."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import duckdb
import pandera.polars as pandera
import polars as pl
import pytest
from pandera.api.polars.model import DataFrameModel
from polars._plr import get_engine_affinity  # what a query without an engine runs on

from tests import remembered
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


def one_pass(records: pl.DataFrame, model: dict, through_memory: bool) -> pl.DataFrame:
    run = remembered.remembering_predict_pairs if through_memory else predict_pairs
    with duckdb.connect() as con:
        return run(con, split_datasets(records), model, "link_only", record_blocking(),
                   -10.0, RECORD_PAIRS, written_from=math.inf)


def ordered(pairs: pl.DataFrame) -> pl.DataFrame:
    return pairs.sort(pairs.columns)


def test_the_night_s_passes_go_through_the_memory():
    assert record_pairs.predict_pairs is remembered.remembering_predict_pairs
    assert duplicates.predict_pairs is remembered.remembering_predict_pairs


def test_a_repeated_pass_answers_what_splink_answers(records, ready):
    first = one_pass(records, ready, through_memory=True)
    run = remembered.COUNTS["splink"]["called"]
    again = one_pass(records, ready, through_memory=True)
    assert remembered.COUNTS["splink"]["called"] == run  # answered from the memory
    splink = one_pass(records, ready, through_memory=False)
    assert splink.height > 0
    assert ordered(again).equals(ordered(splink)) and ordered(first).equals(ordered(splink))


@pytest.mark.parametrize("change", ["a row", "the model"])
def test_a_pass_that_differs_runs_splink(records, ready, change):
    one_pass(records, ready, through_memory=True)
    run = remembered.COUNTS["splink"]["called"]
    if change == "a row":
        source = records.filter(pl.col("dataset") == "source")
        key = source.get_column("record_key")[0]
        records = records.with_columns(
            surname=pl.when(pl.col("record_key") == key).then(pl.lit("ZZYZX"))
            .otherwise(pl.col("surname")))
    else:
        ready = {**ready, "probability_two_random_records_match": 0.5 *
                 ready["probability_two_random_records_match"]}
    changed = one_pass(records, ready, through_memory=True)
    assert remembered.COUNTS["splink"]["called"] == run + 1
    assert ordered(changed).equals(ordered(one_pass(records, ready, through_memory=False)))


class Counted(DataFrameModel):
    """A model of this test's own: a count, never negative."""

    count: int = pandera.Field(ge=0)


class Other(Counted):
    """Another model of the same columns."""


def test_every_model_validates_through_the_memory():
    assert DataFrameModel.validate.__func__ is remembered.remembering_validate


def test_a_frame_validated_again_gets_what_pandera_gives():
    frame = pl.DataFrame({"count": [1, 2, 3]})
    first = Counted.validate(frame)
    validated = remembered.COUNTS["pandera"]["called"]
    again = Counted.validate(frame)
    assert remembered.COUNTS["pandera"]["called"] == validated  # answered from the memory
    assert again.equals(first) and again.equals(remembered._VALIDATE(Counted, frame))
    other = pl.DataFrame({"count": [1, 2, 4]})
    Counted.validate(other)
    assert remembered.COUNTS["pandera"]["called"] == validated + 1


def test_a_frame_that_fails_fails_every_time():
    frame = pl.DataFrame({"count": [1, -2]})
    for _ in range(2):
        with pytest.raises(pandera.errors.SchemaError):
            Counted.validate(frame)
    # nor does a frame of another model answer for it
    assert remembered.validation_key(Counted, frame, {}) != remembered.validation_key(
        Other, frame, {})


def test_the_test_process_queries_in_memory_and_the_commands_it_starts_keep_the_default():
    """conftest.in_memory_queries: this process's lazy queries on polars' in-memory
    engine, and a child process (a command a test runs) on polars' default, as a
    prefecture's night is."""
    asked = "from polars._plr import get_engine_affinity; print(get_engine_affinity())"
    child = subprocess.run([sys.executable, "-c", asked], capture_output=True, text=True,
                           env=os.environ, check=True)
    assert get_engine_affinity() == "in-memory"
    assert child.stdout.strip() == "auto"
