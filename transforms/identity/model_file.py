"""The versioned model file: parameters estimated without labels (`train_model`), read
each night with the prior scaled to the number of AGDREF files (`prior_for`)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
from splink import block_on
from splink.backends.duckdb import DuckDBAPI

from transforms.identity.absence import neutral_absence
from transforms.identity.comparisons import settings
from transforms.identity.splink_pass import make_linker, split_datasets

MODELS = Path(__file__).parent / "models"
MODEL_FILE = MODELS / "identity_model.json"
# Key of the model file: how many AGDREF files the prior was estimated among.
TRAINED_ON_FILES = "agdref_files_at_training"


def train_model(records: pl.DataFrame, seed: int = 7) -> dict:
    """Estimate the model from the data alone, without ground truth: u by random
    sampling of records and files; m from the pairs that share an AGDREF number (the
    number a TélémOfpra or GENESIS row carries, `number_given`: partial and sometimes
    wrong, which keeps m honest about noise), but at the levels of absence, neutral
    (absence.neutral_absence: each night weighs them); the prior from exact identities.
    Expectation maximisation was tried and is not used: under non-match, names and
    nationality agree together (names come from the same countries), so EM takes
    namesakes for matches."""
    linker = make_linker(split_datasets(records), settings(), DuckDBAPI(duckdb.connect(":memory:")))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("surname", "given_name", "birth_date")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
    linker.training.estimate_m_from_label_column("number_given")
    model = neutral_absence(linker.misc.save_model_to_json())
    _entry_date_u_among_files(model, records, seed)
    return {**model, TRAINED_ON_FILES: agdref_files(records)}


def _entry_date_u_among_files(model: dict, records: pl.DataFrame, seed: int) -> None:
    """u of the date-of-entry levels, by random sampling of pairs of two AGDREF files:
    only files carry the date, so the pairs of a record and a file tell nothing of it
    (its m is set by judgment, comparisons.ENTRY_DATE_M)."""
    files = {"agdref": split_datasets(records)["agdref"]}
    linker = make_linker(files, settings("dedupe_only"), DuckDBAPI(duckdb.connect(":memory:")))
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    among_files = linker.misc.save_model_to_json()
    estimated = next(c for c in among_files["comparisons"]
                     if c["output_column_name"] == "entry_date")
    for c in model["comparisons"]:
        if c["output_column_name"] == "entry_date":
            for level, measured in zip(c["comparison_levels"], estimated["comparison_levels"],
                                       strict=True):
                if "u_probability" in measured:
                    level["u_probability"] = measured["u_probability"]


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
