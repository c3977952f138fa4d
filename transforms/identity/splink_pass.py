"""One Splink pass: the backend (DuckDB, or Spark with the model's SQL translated), the
linker over the named tables, the pairs predicted and the best spelling of each."""

from __future__ import annotations

import copy
import itertools
import logging
import math
import weakref
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import sqlglot
from splink import Linker, SettingsCreator
from splink.backends.duckdb import DuckDBAPI
from splink.blocking_rule_library import CustomRule
from splink.internals.input_column import InputColumn
from splink.internals.term_frequencies import term_frequencies_for_single_column_sql

if TYPE_CHECKING:  # pyspark is the optional `spark` extra
    from splink.backends.spark import SparkAPI

from transforms.identity.comparisons import COMPARISON_COLUMNS


def _backend(con: duckdb.DuckDBPyConnection, spark=None) -> DuckDBAPI | SparkAPI:
    if spark is None:
        return DuckDBAPI(con)
    from splink.backends.spark import SparkAPI

    # persist, not checkpoint: no copy of the names written to a checkpoint folder
    return SparkAPI(spark_session=spark, break_lineage_method="persist")


def make_linker(tables: dict[str, pa.Table], model: SettingsCreator | dict,
                db_api: DuckDBAPI | SparkAPI) -> Linker:
    """A linker over the named tables (`source` records, `agdref` files), on DuckDB or on
    Spark with the model's SQL translated to Spark's dialect."""
    if not isinstance(db_api, DuckDBAPI):
        spark = db_api.spark
        model = for_spark(model)
        tables = {name: spark.createDataFrame(table) for name, table in tables.items()}
    # A table name of its own each time: a Spark session keeps its views from one pass
    # (and one night, under `reconcile serve`) to the next.
    frames = [db_api.register(table, dataset_display_name=name,
                              table_name=f"{name}_{next(_REGISTERED)}")
              for name, table in tables.items()]
    training = isinstance(model, SettingsCreator)
    # Splink logs timings at INFO (counts only); a nightly run keeps its log to warnings.
    return Linker(frames, model, validate_settings=training,
                  log_level=logging.INFO if training else logging.WARNING)


_REGISTERED = itertools.count(1)

# Opens the DuckDB connection a Splink pass runs on (`with connect() as con`).
Connect = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


def split_datasets(records: pl.DataFrame) -> dict[str, pa.Table]:
    return {name: records.filter(pl.col("dataset") == name).drop("dataset").to_arrow()
            for name in ("source", "agdref")}



# DuckDB functions the model's conditions use, by their Splink name on Spark (the UDF
# jar that flows/spark.py puts on Spark's class path).
SPARK_FUNCTIONS = {"JAROWINKLER_SIMILARITY(": "jaro_winkler("}


def for_spark(model: dict) -> dict:
    """The model with its SQL (comparison levels, blocking rules) in Spark's dialect: the
    saved file is DuckDB's, where "name" is a column; in Spark it would be a string."""
    def translate(sql: str) -> str:
        if sql == "ELSE":
            return sql
        spark_sql = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        for duckdb_name, spark_name in SPARK_FUNCTIONS.items():
            spark_sql = spark_sql.replace(duckdb_name, spark_name)
        return spark_sql

    def walk(value):
        if isinstance(value, list):
            return [walk(v) for v in value]
        if not isinstance(value, dict):
            return value
        return {k: translate(v) if k in ("sql_condition", "blocking_rule")
                else "spark" if k == "sql_dialect" else walk(v) for k, v in value.items()}

    return walk(model)



def predict_pairs(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table], model: dict,
                  link_type: str, blocking: Sequence, from_weight: float,
                  orient: tuple[str, str, str], spark=None,
                  count_terms_in: pa.Table | None = None,
                  written_from: float = math.inf) -> pl.DataFrame:
    """One Splink pass over `tables`: the blocked pairs weighing at least `from_weight`,
    the best spelling of each (`_best_spelling`, where spellings as written weighing
    `written_from` are preferred to a split surname's readings). Term frequencies are counted in
    `tables` together, as Splink counts them, or in `count_terms_in` when given (with
    Splink's own SQL, so that the weights are those of a pass over it to the last bit).
    Tables that cannot make a pair (a side without rows; fewer than two records to
    deduplicate) give no pairs without a Splink pass."""
    if not can_pair(tables, link_type):
        return empty_pairs()
    db_api = _backend(con, spark)
    linker = make_linker(tables, {
        **model, "link_type": link_type,
        "blocking_rules_to_generate_predictions": [blocking_dict(rule) for rule in blocking],
    }, db_api)
    # Splink's own SQL for each column, in one statement each on a table it reads once:
    # Splink's compute_tf_table materialises each lookup through its pipeline, which a
    # small night pays more for than the counting itself.
    con.register("_counted", pa.concat_tables(tables.values()) if count_terms_in is None
                 else count_terms_in)
    for column in term_frequency_columns(model):
        counted = con.sql(term_frequencies_for_single_column_sql(
            InputColumn(column, sqlglot_dialect_str="duckdb"), "_counted")).to_arrow_table()
        linker.table_management.register_term_frequency_lookup(
            db_api.register(counted, table_name=f"tf_{column}_{next(_REGISTERED)}"), column)
    predictions = linker.inference.predict(threshold_match_weight=from_weight,
                                           warning_mode="never")
    if spark is None:
        table = predictions.physical_name
    else:  # the pairs come back from Spark; the choice of spellings is the same SQL
        table = "spark_predictions"
        con.register(table, predictions.as_spark_dataframe().toArrow())
    return _best_spelling(con, table, orient, written_from)


def can_pair(tables: dict[str, pa.Table], link_type: str) -> bool:
    """Whether `tables` hold two different records that a pass of `link_type` compares:
    a row on each side to link, or two records (`record_key`) to deduplicate."""
    if link_type == "dedupe_only":
        (table,) = tables.values()
        return pc.count_distinct(table.column("record_key")).as_py() > 1
    return all(table.num_rows for table in tables.values())


# Each rule's dict, made once per rule object (record_blocking and file_blocking are made
# once a process): sqlglot writes it, 80 ms for the record pass's nine rules, and a night
# asked for it five times (the memories' keys, each pass).
_BLOCKING_DICTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def blocking_dict(rule) -> dict:
    """A blocking rule as Splink's settings take it, in DuckDB's SQL (a copy: Splink's
    settings may be changed by their reader)."""
    made = _BLOCKING_DICTS.get(rule)
    if made is None:
        made = _BLOCKING_DICTS[rule] = rule.create_blocking_rule_dict("duckdb")
    return copy.deepcopy(made)


def blocking_sql(rule) -> str:
    """A blocking rule's condition, in DuckDB's SQL."""
    return blocking_dict(rule)["blocking_rule"]


def score_again(remembered: pl.DataFrame, changed: pl.Series, sides: dict[str, pl.DataFrame],
                model: dict, blocking: Sequence, from_weight: float, orient: tuple[str, str, str],
                count_terms_in: pa.Table, connect: Connect,
                written_from: float = math.inf) -> pl.DataFrame:
    """The `remembered` pairs (`record_key` and `num_agdref`, as scored) of which neither
    side is `changed` (record keys, imploded), scored again each apart: joined to the
    rows of the two named frames of `sides` (the record's, then the file's), each
    spelling tagged with its pair, so that Splink compares within one pair the spellings
    that each rule of `blocking` joins in a full pass, with the term frequencies of
    `count_terms_in`."""
    pairs = (remembered.select(left="record_key", right="agdref:" + pl.col("num_agdref"))
             .filter(~pl.col("left").is_in(changed) & ~pl.col("right").is_in(changed))
             .with_row_index("pair").with_columns(pl.col("pair").cast(pl.String)))
    if pairs.height == 0:
        return empty_pairs()
    tables = {name: pairs.select("pair", record_key=side).join(frame, on="record_key")
              .with_columns(unique_id=pl.col("unique_id") + "#" + pl.col("pair")).to_arrow()
              for (name, frame), side in zip(sides.items(), ("left", "right"), strict=True)}
    within = [CustomRule(f'l."pair" = r."pair" AND ({blocking_sql(rule)})',
                         sql_dialect="duckdb") for rule in blocking]
    with connect() as con:
        return predict_pairs(con, tables, model, "link_only", within, from_weight, orient,
                             count_terms_in=count_terms_in, written_from=written_from)


def term_frequency_columns(model: dict) -> dict[str, float]:
    """Column → weight of its term-frequency adjustment, as the model applies them."""
    return {level["tf_adjustment_column"]: level.get("tf_adjustment_weight", 1.0)
            for comparison in model["comparisons"]
            for level in comparison["comparison_levels"] if level.get("tf_adjustment_column")}



def log2_odds(probability: float) -> float:
    return math.log2(probability / (1 - probability))



# How a record's name is read in linkage_records.sql when a compound surname is split
# between its surname and its given names (the second part of its row's `unique_id`:
# the record key, the reading and the attestation, joined by `~`).
SPLIT_SPELLINGS = (-3, -4)


def as_written(rows: pl.DataFrame) -> pl.DataFrame:
    """The rows of names as a list or a file writes them, the split readings left out: a
    reading is a guess, not a spelling of a person, and counted in the term frequencies
    it would make the compound surname it guesses look twice as common."""
    reading = pl.col("unique_id").str.split("~").list.get(1).cast(pl.Int32)
    return rows.filter(~reading.is_in(SPLIT_SPELLINGS))


# Which side of a scored pair is the record: the source record against a file; of two
# files, the lower number (file keys are `agdref:<number>`); and that side's `unique_id`.
RECORD_PAIRS = ("CASE WHEN source_dataset_l = 'agdref' THEN record_key_r ELSE record_key_l END",
                "CASE WHEN source_dataset_l = 'agdref' THEN record_key_l ELSE record_key_r END",
                "CASE WHEN source_dataset_l = 'agdref' THEN unique_id_r ELSE unique_id_l END")
FILE_PAIRS = ("least(record_key_l, record_key_r)", "greatest(record_key_l, record_key_r)",
              "CASE WHEN record_key_l < record_key_r THEN unique_id_l ELSE unique_id_r END")


def _best_spelling(con: duckdb.DuckDBPyConnection, table: str, orient: tuple[str, str, str],
                   written_from: float) -> pl.DataFrame:
    record, file, record_row = orient
    columns = set(con.sql(f"SELECT * FROM {table} LIMIT 0").columns)  # noqa: S608
    # Each comparison's weight, its term-frequency adjustment included.
    weights = ", ".join(
        f"mw_{c}" + (f" + coalesce(mw_tf_adj_{c}, 0)" if f"mw_tf_adj_{c}" in columns else "")
        + f" AS weight_{name}" for name, c in COMPARISON_COLUMNS.items())
    # Spellings of equal weight: the same one whichever pass or side scored them.
    ties = ", ".join(f"weight_{name} DESC" for name in COMPARISON_COLUMNS)
    # A reading of a compound surname across the surname and the given names
    # (SPLIT_SPELLINGS) is the pair's best spelling only where the spellings as written
    # weigh under `written_from`, the link threshold (`unsplit_weight`, their best weight,
    # null when none was scored): a pair they link is scored as it was without the
    # readings, and one that a reading alone brings to the threshold goes to an agent
    # (core_person_links.sql, SURNAME_SPLIT).
    split = f"CAST(split_part({record_row}, '~', 2) AS INTEGER) IN {SPLIT_SPELLINGS}"
    return con.sql(f"""
        SELECT * EXCLUDE (split) FROM (
            SELECT {record} AS record_key, substr({file}, 8) AS num_agdref,
                   match_weight, match_probability, {weights}, {split} AS split,
                   max(match_weight) FILTER (WHERE NOT ({split}))
                       OVER (PARTITION BY record_key, num_agdref) AS unsplit_weight
            FROM {table}
            WHERE record_key_l <> record_key_r)
        QUALIFY row_number() OVER (
            PARTITION BY record_key, num_agdref
            ORDER BY split AND coalesce(unsplit_weight >= ?, false), match_weight DESC,
                     {ties}) = 1
    """, params=[written_from]).pl()  # noqa: S608 - table and column names come from Splink, no value is formatted



def empty_pairs() -> pl.DataFrame:
    return pl.DataFrame(schema={
        "record_key": pl.String, "num_agdref": pl.String, "match_weight": pl.Float64,
        "match_probability": pl.Float64,
        **{f"weight_{name}": pl.Float64 for name in COMPARISON_COLUMNS},
        "unsplit_weight": pl.Float64,
    })
