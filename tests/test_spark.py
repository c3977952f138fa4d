"""Splink's Spark backend (issue 7): the same model scores the same pairs on Spark as on
DuckDB. Marked `spark` (Spark takes a minute to start on 2 cores): `make bench` runs it,
`pytest -m spark` alone too; it needs the `spark` extra (pyspark) and Java 17."""

from __future__ import annotations

import polars as pl
import pytest

from tests.conftest import SAMPLE_AS_OF
from transforms.core.build import build_core
from transforms.identity import comparisons, linkage, model_file, splink_pass
from transforms.identity.build import identity_records

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    from flows.spark import spark_session

    session = spark_session()
    yield session
    session.stop()


def test_spark_scores_the_same_pairs_as_duckdb(sample_warehouse, spark):
    sample_warehouse.execute("BEGIN")
    try:
        build_core(sample_warehouse, SAMPLE_AS_OF)
        records = identity_records(sample_warehouse, SAMPLE_AS_OF)
    finally:
        sample_warehouse.execute("ROLLBACK")
    model = model_file.read_model()
    on_duckdb = linkage.score_pairs(records, model)
    on_spark = linkage.score_pairs(records, model, spark=spark)
    assert on_duckdb.height > 500
    assert on_spark.select("record_key", "num_agdref").equals(
        on_duckdb.select("record_key", "num_agdref"))
    both = on_duckdb.join(on_spark, on=["record_key", "num_agdref"], suffix="_spark")
    for column in ("match_weight", "match_probability", *(
            f"weight_{name}" for name in comparisons.COMPARISON_COLUMNS)):
        assert (both[column] - both[f"{column}_spark"]).abs().max() < 1e-6, column


def test_the_model_reads_in_spark_dialect():
    model = splink_pass.for_spark(model_file.read_model())
    levels = [level["sql_condition"] for c in model["comparisons"]
              for level in c["comparison_levels"]]
    assert "`surname_l` = `surname_r`" in levels
    assert any(level.startswith("jaro_winkler(") for level in levels)
    assert all(rule["sql_dialect"] == "spark"
               for rule in model["blocking_rules_to_generate_predictions"])
    assert pl.Series(levels).str.contains('"').sum() == 0
