"""Probabilistic identity linkage with Splink (DESIGN.md step 3).

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
`__splink__*` tables into the connection it is given (STACK.md). Beyond one machine, the
same model scores on Splink's Spark backend when a Spark session is given
(`score_pairs(..., spark=session)`; flows/spark.py makes one). Pure: frames in, frames
out; nothing here reads the clock or the environment.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
import sqlglot
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI
from splink.internals.input_column import InputColumn
from splink.internals.term_frequencies import term_frequencies_for_single_column_sql

if TYPE_CHECKING:  # pyspark is the optional `spark` extra
    from splink.backends.spark import SparkAPI

# Having no other given name is a level of its own (other_given_names_comparison), not a
# missing value: Splink's warning that the comparison has no null level is expected.
logging.getLogger("splink.internals.settings").addFilter(
    lambda record: "No null level found for comparison other_given_names"
    not in record.getMessage())

MODELS = Path(__file__).parent / "models"
MODEL_FILE = MODELS / "identity_model.json"
THRESHOLDS_FILE = MODELS / "identity_thresholds.json"
# Pairs scored below this never reach the warehouse: far under any threshold.
KEEP_ABOVE = 0.01
# Pairs of two AGDREF files matter only as duplicates; their threshold is chosen from
# 0.99 up (benchmarks/linkage_synthetic.py): namesakes below it are not kept (at
# national volume they are tens of millions).
KEEP_DUPLICATES_ABOVE = 0.99
# Key of the model file: how many AGDREF files the prior was estimated among.
TRAINED_ON_FILES = "agdref_files_at_training"

COMPARISON_COLUMNS = {
    "surname": "surname",
    "given_name": "given_name",
    "other_given_names": "other_given_names",
    "birth": "birth_date",
    "sex": "sex",
    "nationality": "nationality",
    "department": "department",
    "asylum_claim": "asylum_claim",
}
# Share of one person's record and file in the same department (DESIGN.md: a list comes
# from the department of domicile or of the prison, a file from its managing prefecture).
# Set by judgment, not estimated: the model is trained on one department, where every
# pair agrees. Lists and files mostly stay in one prefecture, but detainees are often
# held elsewhere, and a second file is mostly opened by another prefecture; 0.85 is under
# the generator's mix (0.95 TélémOfpra, 0.8 GENESIS), which keeps the evidence modest.
SAME_DEPARTMENT = 0.85
# Chance that two strangers share a department, nationally (about a hundred
# departments). Term frequencies replace it on agreement (the department's share of
# tonight's records and files); on disagreement the national figure stays, so among
# fewer departments the penalty for a person who moved is somewhat overstated (0.14 bits
# among a region's ten, 1 bit among two).
STRANGERS_SAME_DEPARTMENT = 0.01


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities that decide a record's outcome: at or above `link`, the best
    candidate is linked (when no other reaches `review`); between `review` and `link`,
    the record goes to an agent; another candidate within `margin` bits of match weight
    of the best makes the choice an agent's too; a candidate agreeing only on a partial
    or placeholder birth date needs `weak_birth_link`. Two AGDREF files at or above
    `duplicate` are one person."""

    link: float
    review: float
    margin: float
    duplicate: float
    weak_birth_link: float


def read_thresholds(path: Path = THRESHOLDS_FILE) -> Thresholds:
    chosen = json.loads(path.read_text(encoding="utf-8"))
    return Thresholds(chosen["link"], chosen["review"], chosen["margin"], chosen["duplicate"],
                      chosen["weak_birth_link"])


def _same_birth_parts(part: str) -> str:
    return (f'("{part}_l" IS NULL OR "{part}_r" IS NULL OR "{part}_l" = "{part}_r")')


def name_comparison(column: str, skeleton: str, description: str,
                    jaro_winkler: tuple[float, ...], above_skeleton: tuple[float, ...] = ()
                    ) -> cl.CustomComparison:
    """Exact (term-frequency adjusted), Jaro-Winkler at `above_skeleton` thresholds, same
    skeleton (core_name_keys.sql), then Jaro-Winkler at `jaro_winkler` thresholds."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=description,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=True),
            *(cll.JaroWinklerLevel(column, t) for t in above_skeleton),
            cll.CustomLevel(f'"{skeleton}_l" = "{skeleton}_r"', "same skeleton"),
            *(cll.JaroWinklerLevel(column, t) for t in jaro_winkler),
            cll.ElseLevel(),
        ],
    )


def comparisons() -> list:
    surname = name_comparison("surname", "surname_skeleton", "surname (ASCII, letters only)",
                              (0.92, 0.8))
    given_name = name_comparison("given_name", "given_skeleton",
                                 "first given name (ASCII, letters only)", (0.88,))
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="birth date: a 01/01 placeholder counts as its year only",
        comparison_levels=[
            cll.CustomLevel('"birth_year_l" IS NULL OR "birth_year_r" IS NULL', "unknown")
            .configure(is_null_level=True),
            cll.CustomLevel('"birth_date_l" = "birth_date_r"', "same date")
            .configure(m_probability=0.85),
            cll.CustomLevel('"birth_year_l" = "birth_year_r" AND "birth_day_l" = "birth_month_r"'
                            ' AND "birth_month_l" = "birth_day_r"', "day and month swapped")
            .configure(m_probability=0.01),
            cll.CustomLevel('"birth_year_l" = "birth_year_r" AND '
                            f'{_same_birth_parts("birth_month")} AND '
                            f'{_same_birth_parts("birth_day")}',
                            "same year, the known parts agree").configure(m_probability=0.1),
            cll.CustomLevel('"birth_year_l" = "birth_year_r"', "same year, another day")
            .configure(m_probability=0.02),
            cll.CustomLevel('abs("birth_year_l" - "birth_year_r") = 1', "one year apart")
            .configure(m_probability=0.01),
            cll.ElseLevel().configure(m_probability=0.01),
        ],
    )
    sex = cl.ExactMatch("sex")
    nationality = cl.ExactMatch("nationality").configure(term_frequency_adjustments=True)
    return [surname, given_name, other_given_names_comparison(), birth, sex, nationality,
            department_comparison(), asylum_claim_comparison()]


# Days from an AGDREF file's asylum attestation (ADA) to the date a TélémOfpra claim was
# introduced at OFPRA, on whichever side of the pair each is (the other side's is null).
_REGISTERED_DAYS_BEFORE_CLAIM = (
    "date_diff('day', coalesce(\"attestation_start_l\", \"attestation_start_r\"), "
    "coalesce(\"claim_introduced_l\", \"claim_introduced_r\"))")


def asylum_claim_comparison() -> cl.CustomComparison:
    """For a TélémOfpra record: does the AGDREF file hold the asylum attestation of this
    claim? The prefecture registers a claim and issues its ADA first, then the claimant
    has 21 days to send it to OFPRA, whose date of introduction the list shows: an ADA
    starting up to 45 days before it (a few days after, for a slip) is the claim's. A file
    without any ADA, or with the ADAs of other claims only, is evidence against (whoever
    claimed asylum holds one), weighed by the model's m like the rest. GENESIS records
    and pairs of files: unknown."""
    days = _REGISTERED_DAYS_BEFORE_CLAIM
    return cl.CustomComparison(
        output_column_name="asylum_claim",
        comparison_description="the file's asylum attestation against the claim's date",
        comparison_levels=[
            cll.CustomLevel('"claim_introduced_l" IS NULL AND "claim_introduced_r" IS NULL',
                            "no claim date on the record").configure(is_null_level=True),
            cll.CustomLevel(f"{days} BETWEEN -7 AND 45", "an ADA issued for this claim"),
            cll.CustomLevel('"attestation_start_l" IS NULL AND "attestation_start_r" IS NULL',
                            "the file holds no ADA"),
            cll.ElseLevel(),  # ADAs of other claims only
        ],
    )


def other_given_names_comparison() -> cl.CustomComparison:
    """The given names after the first (linkage_records.sql), which tell apart namesakes
    who share surname and first given name. Having none is itself a level, not unknown:
    a row keeping only the first given name where the file has several is a common slip
    (a register with one field), weighed by the model's m like any other disagreement,
    while two different second given names are strong evidence against."""
    both, one = ('"other_given_names_l" IS NULL AND "other_given_names_r" IS NULL',
                 '"other_given_names_l" IS NULL OR "other_given_names_r" IS NULL')
    return cl.CustomComparison(
        output_column_name="other_given_names",
        comparison_description="given names after the first (ASCII, letters only)",
        comparison_levels=[
            cll.CustomLevel(both, "neither has another given name"),
            cll.CustomLevel(one, "only one has other given names"),
            cll.ExactMatchLevel("other_given_names", term_frequency_adjustments=True),
            cll.CustomLevel('"other_given_skeleton_l" = "other_given_skeleton_r"',
                            "same skeleton"),
            cll.JaroWinklerLevel("other_given_names", 0.88),
            cll.ElseLevel(),
        ],
    )


def department_comparison() -> cl.CustomComparison:
    """Same department or not, with fixed m and u (SAME_DEPARTMENT says why). Agreeing
    weighs log2(m / share of the department tonight): nothing on a one-department night,
    about 6 bits among a hundred departments, which is what tells namesakes born the same
    day apart nationally; disagreeing costs about 2.7 bits."""
    fixed = {"fix_m_probability": True, "fix_u_probability": True}
    return cl.CustomComparison(
        output_column_name="department",
        comparison_description="department of the list, or managing the file",
        comparison_levels=[
            cll.NullLevel("department"),
            cll.ExactMatchLevel("department", term_frequency_adjustments=True).configure(
                m_probability=SAME_DEPARTMENT, u_probability=STRANGERS_SAME_DEPARTMENT,
                **fixed),
            cll.ElseLevel().configure(m_probability=1 - SAME_DEPARTMENT,
                                      u_probability=1 - STRANGERS_SAME_DEPARTMENT, **fixed),
        ],
    )


# Columns a pair must share to be scored (record_blocking says why).
BLOCKING_KEYS = (
    ("birth_year", "surname_skeleton", "given_skeleton"),
    ("birth_date", "nationality"),
    ("birth_date", "surname_skeleton"),
    ("birth_date", "given_skeleton"),
)


def record_blocking() -> list:
    """Pairs of a record and an AGDREF file worth scoring at national volume (millions of
    files, names drawn from a few hundred): the birth year with both name skeletons, or
    the complete birth date with the nationality or either skeleton. On the generator's
    region set they keep 99.7 % of the true pairs of spellings, and cost one linked record
    of 15,934 against the looser (birth year, surname skeleton) (benchmarks/README.md)."""
    return [block_on(*keys) for keys in BLOCKING_KEYS]


def file_blocking() -> list:
    """Pairs of two AGDREF files worth scoring: the same rules as for a record. Pairs of
    files grow with the square of their number, so no looser rule fits nationally."""
    return record_blocking()


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=record_blocking(),
        additional_columns_to_retain=["record_key"],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
    )


def _backend(con: duckdb.DuckDBPyConnection, spark=None) -> DuckDBAPI | SparkAPI:
    if spark is None:
        return DuckDBAPI(con)
    from splink.backends.spark import SparkAPI

    # persist, not checkpoint: no copy of the names written to a checkpoint folder
    return SparkAPI(spark_session=spark, break_lineage_method="persist")


def _linker(tables: dict[str, pa.Table], model: SettingsCreator | dict,
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


def _split(records: pl.DataFrame) -> dict[str, pa.Table]:
    return {name: records.filter(pl.col("dataset") == name).drop("dataset").to_arrow()
            for name in ("source", "agdref")}


def train_model(records: pl.DataFrame, seed: int = 7) -> dict:
    """Estimate the model from the data alone, without ground truth: u by random
    sampling of records and files; m from the pairs that share an AGDREF number (the
    number a TélémOfpra or GENESIS row carries, `number_given`: partial and sometimes
    wrong, which keeps m honest about noise); the prior from exact identities.
    Expectation maximisation was tried and is not used: under non-match, names and
    nationality agree together (names come from the same countries), so EM takes
    namesakes for matches."""
    linker = _linker(_split(records), settings(), DuckDBAPI(duckdb.connect(":memory:")))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("surname", "given_name", "birth_date")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
    linker.training.estimate_m_from_label_column("number_given")
    return {**linker.misc.save_model_to_json(), TRAINED_ON_FILES: agdref_files(records)}


def agdref_files(records: pl.DataFrame) -> int:
    """How many AGDREF files the records hold (a file has a row per way it is written)."""
    return records.filter(pl.col("dataset") == "agdref").get_column("record_key").n_unique()


def prior_for(model: dict, files: int) -> dict:
    """The model with its prior (`probability_two_random_records_match`) for `files`
    AGDREF files tonight, ready for Splink. The prior was estimated among the files at
    training (TRAINED_ON_FILES): a record has at most one file, and a file few
    duplicates, so the chance that a random pair is one person falls as 1/files, for
    pairs of a record and a file as for pairs of two files. Left unscaled, a national
    night (a hundred times a department's files) would overstate every match by
    log2(100) = 6.6 bits and take namesakes born the same day for one person. Never
    raised above the trained prior: on fewer files than at training, probabilities stay
    as the thresholds were chosen (understated, so no more links than chosen)."""
    scored = {k: v for k, v in model.items() if k != TRAINED_ON_FILES}
    trained_on = model.get(TRAINED_ON_FILES)
    if trained_on and files > trained_on:
        scored["probability_two_random_records_match"] = (
            model["probability_two_random_records_match"] * trained_on / files)
    return scored


def read_model(path: Path = MODEL_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


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


def score_pairs(records: pl.DataFrame, model: dict, keep_above: float = KEEP_ABOVE,
                connect: Connect = duckdb.connect, spark=None) -> pl.DataFrame:
    """Every blocked pair of a record and an AGDREF file (kept from `keep_above`), and of
    two AGDREF files (kept from KEEP_DUPLICATES_ABOVE), scored with the same m and u: one
    row per (record, file) with the best-scoring way of writing them, its match weight
    and probability and the weight of each comparison (what an agent reads to decide).
    Each pass runs on a connection of its own from `connect` (Splink writes its tables
    into it), or on `spark` (a SparkSession)."""
    return score_remembering(records, model, None, keep_above, connect, spark)[0]


def score_remembering(records: pl.DataFrame, model: dict, memory: DuplicatesMemory | None,
                      keep_above: float = KEEP_ABOVE, connect: Connect = duckdb.connect,
                      spark=None) -> tuple[pl.DataFrame, DuplicatesMemory | None]:
    """score_pairs, the pairs of two files scored again only where the previous night's
    `memory` does not already prove the result (duplicates_pass); returns the pairs and
    tonight's memory (None without AGDREF files)."""
    files = records.filter(pl.col("dataset") == "agdref").drop("dataset")
    if files.height == 0:
        return _empty_pairs(), None
    model = prior_for(model, agdref_files(records))
    with connect() as con:
        record_pairs = _predict(con, _split(records), model, "link_only", record_blocking(),
                                _log2_odds(keep_above), _RECORD_PAIRS, spark)
    file_pairs, remembered = duplicates_pass(files, model, memory, connect, spark)
    duplicates = file_pairs.filter(
        pl.col("match_weight") >= _log2_odds(KEEP_DUPLICATES_ABOVE))
    return pl.concat([record_pairs, duplicates]).sort("record_key", "num_agdref"), remembered


def _predict(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table], model: dict,
             link_type: str, blocking: list, from_weight: float, orient: tuple[str, str],
             spark=None, count_terms_in: pa.Table | None = None) -> pl.DataFrame:
    """One Splink pass over `tables`: the blocked pairs weighing at least `from_weight`,
    the best spelling of each (`_best_spelling`). With `count_terms_in`, term
    frequencies are counted there instead of in `tables` (with Splink's own SQL, so
    that the weights are those of a pass over it to the last bit)."""
    db_api = _backend(con, spark)
    linker = _linker(tables, {
        **model, "link_type": link_type,
        "blocking_rules_to_generate_predictions": [
            rule.create_blocking_rule_dict("duckdb") for rule in blocking],
    }, db_api)
    if count_terms_in is not None:
        con.register("_counted", count_terms_in)
        for column in term_frequency_columns(model):
            counted = con.sql(term_frequencies_for_single_column_sql(
                InputColumn(column, sqlglot_dialect_str="duckdb"), "_counted")).to_arrow_table()
            linker.table_management.register_term_frequency_lookup(
                db_api.register(counted, table_name=f"tf_{column}_{next(_REGISTERED)}"),
                column)
    predictions = linker.inference.predict(threshold_match_weight=from_weight,
                                           warning_mode="never")
    if spark is None:
        table = predictions.physical_name
    else:  # the pairs come back from Spark; the choice of spellings is the same SQL
        table = "spark_predictions"
        con.register(table, predictions.as_spark_dataframe().toArrow())
    return _best_spelling(con, table, orient)


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
MEMORY_FORMAT = "64-bit file digests and common terms"


def model_key(model: dict, columns: list[str], backend: str) -> str:
    """What must not change for remembered weights to stay comparable: the model but for
    its nightly prior, the blocking, the threshold of memory, the compared columns, the
    backend, the memory's format, and the versions of Splink (its SQL computes the
    weights) and DuckDB (it runs that SQL and hashes the files)."""
    fixed = {k: v for k, v in model.items() if k != "probability_two_random_records_match"}
    text = json.dumps([fixed, BLOCKING_KEYS, REMEMBER_FROM_WEIGHT, sorted(columns), backend,
                       MEMORY_FORMAT, version("splink"), version("duckdb")],
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def duplicates_pass(files: pl.DataFrame, model: dict, memory: DuplicatesMemory | None,
                    connect: Connect = duckdb.connect, spark=None
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
    at REMEMBER_FROM_WEIGHT."""
    backend = "duckdb" if spark is None else "spark"
    key = model_key(model, files.columns, backend)
    prior = model["probability_two_random_records_match"]
    every_file = files.to_arrow()  # scored, and counted in for the term frequencies
    with connect() as con:
        digests = file_digests(con, every_file)
    terms = common_terms(files, model)
    if memory is not None and memory.model_key == key and spark is None:
        ceiling = memory.ceiling + weight_shift(memory, terms, model) + _ROUNDING
        if ceiling < _log2_odds(KEEP_DUPLICATES_ABOVE):
            changed = changed_files(memory.digests, digests)
            pairs = _rescore(files, every_file, model, memory.pairs, changed, connect)
            return pairs, DuplicatesMemory(digests, terms, pairs, key, prior, ceiling)
    with connect() as con:
        pairs = _predict(con, {"agdref": every_file}, model, "dedupe_only",
                         file_blocking(), REMEMBER_FROM_WEIGHT, _FILE_PAIRS, spark)
    return pairs, DuplicatesMemory(digests, terms, pairs, key, prior, REMEMBER_FROM_WEIGHT)


def file_digests(con: duckdb.DuckDBPyConnection, files: pa.Table) -> pl.DataFrame:
    """One digest per AGDREF file (`record_key`) of its rows as compared, whatever their
    order: the sum modulo 2^64 of DuckDB's 64-bit hash of each row (every column, NULL
    told apart from any value). A file whose digest changed from one night to the next
    was written differently; a change leaves the digest as it was with a chance of
    2^-64 (about 10^-15 a night for 13,000 changed files). MD5 of each row as JSON, tried
    first, took 7.5 s nationally against 1.5 s."""
    con.register("_digested", files)
    digests = con.sql("""
        SELECT record_key, (sum(hash(f)) % 18446744073709551616)::UBIGINT AS digest
        FROM _digested f GROUP BY record_key
    """).pl()
    con.unregister("_digested")
    return digests


def changed_files(before: pl.DataFrame, tonight: pl.DataFrame) -> pl.Series:
    """The files new, gone or written differently between two nights' `file_digests`."""
    on = ["record_key", "digest"]
    return pl.concat([tonight.join(before, on=on, how="anti"),
                      before.join(tonight, on=on, how="anti")]
                     ).get_column("record_key").unique()


def term_frequency_columns(model: dict) -> dict[str, float]:
    """Column → weight of its term-frequency adjustment, as the model applies them."""
    return {level["tf_adjustment_column"]: level.get("tf_adjustment_weight", 1.0)
            for comparison in model["comparisons"]
            for level in comparison["comparison_levels"] if level.get("tf_adjustment_column")}


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
    bits = abs(_log2_odds(prior) - _log2_odds(memory.prior))
    changes = memory.terms.join(terms, on=["column_name", "value"], suffix="_tonight").group_by(
        "column_name").agg((pl.col("share").log(2) - pl.col("share_tonight").log(2)).abs().max())
    weights = term_frequency_columns(model)
    return bits + sum(abs(weights[column]) * change for column, change in changes.iter_rows())


def _log2_odds(probability: float) -> float:
    return math.log2(probability / (1 - probability))


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
            scored.append(_predict(
                con, {"changed": fresh.to_arrow(), "agdref": every_file}, model,
                "link_only", file_blocking(), REMEMBER_FROM_WEIGHT, _FILE_PAIRS,
                count_terms_in=every_file))
    kept = (remembered.select(left="record_key", right="agdref:" + pl.col("num_agdref"))
            .filter(~pl.col("left").is_in(changed) & ~pl.col("right").is_in(changed))
            .with_row_index("pair").with_columns(pl.col("pair").cast(pl.String)))
    if kept.height:
        sides = {side: kept.select("pair", record_key=side).join(files, on="record_key")
                 .with_columns(unique_id=pl.col("unique_id") + "#" + pl.col("pair")).to_arrow()
                 for side in ("left", "right")}
        with connect() as con:
            scored.append(_predict(
                con, sides, model, "link_only", [block_on("pair", *keys) for keys in BLOCKING_KEYS],
                REMEMBER_FROM_WEIGHT, _FILE_PAIRS, count_terms_in=every_file))
    return pl.concat(scored) if scored else _empty_pairs()


# Which side of a scored pair is the record: the source record against a file; of two
# files, the lower number (file keys are `agdref:<number>`).
_RECORD_PAIRS = ("CASE WHEN source_dataset_l = 'agdref' THEN record_key_r ELSE record_key_l END",
                 "CASE WHEN source_dataset_l = 'agdref' THEN record_key_l ELSE record_key_r END")
_FILE_PAIRS = ("least(record_key_l, record_key_r)", "greatest(record_key_l, record_key_r)")


def _best_spelling(con: duckdb.DuckDBPyConnection, table: str, orient: tuple[str, str]
                   ) -> pl.DataFrame:
    record, file = orient
    columns = set(con.sql(f"SELECT * FROM {table} LIMIT 0").columns)  # noqa: S608
    # Each comparison's weight, its term-frequency adjustment included.
    weights = ", ".join(
        f"mw_{c}" + (f" + coalesce(mw_tf_adj_{c}, 0)" if f"mw_tf_adj_{c}" in columns else "")
        + f" AS weight_{name}" for name, c in COMPARISON_COLUMNS.items())
    # Spellings of equal weight: the same one whichever pass or side scored them.
    ties = ", ".join(f"weight_{name} DESC" for name in COMPARISON_COLUMNS)
    return con.sql(f"""
        SELECT {record} AS record_key, substr({file}, 8) AS num_agdref,
               match_weight, match_probability, {weights}
        FROM {table}
        WHERE record_key_l <> record_key_r
        QUALIFY row_number() OVER (PARTITION BY record_key, num_agdref
                                   ORDER BY match_weight DESC, {ties}) = 1
    """).pl()  # noqa: S608 - table and column names come from Splink, no value is formatted


def _empty_pairs() -> pl.DataFrame:
    return pl.DataFrame(schema={
        "record_key": pl.String, "num_agdref": pl.String, "match_weight": pl.Float64,
        "match_probability": pl.Float64,
        **{f"weight_{name}": pl.Float64 for name in COMPARISON_COLUMNS},
    })
