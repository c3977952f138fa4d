"""Build the `core` layer from staging, as of the run date: AGDREF persons, titles and
measures of the latest snapshots, asylum decisions with their knowledge dates, detainees
on the latest lists, identity candidates and person links. Every table is rebuilt from
staging each run (one SQL file each, values bound through `getvariable`)."""

from __future__ import annotations

from datetime import date

import duckdb

from transforms import linkage
from transforms.warehouse import read_sql

CORE_STEPS = (
    "core_latest_files.sql",
    "core_name_keys.sql",
    "core_persons.sql",
    "core_residence_titles.sql",
    "core_measure_events.sql",
    "core_removal_measures.sql",
    "core_asylum_decisions.sql",
    "core_detentions.sql",
    "core_identity.sql",
)
LINK_STEPS = (
    "core_person_links.sql",
    "core_link_review.sql",
)


def build_core(con: duckdb.DuckDBPyConnection, run_date: date,
               model: dict | None = None, thresholds: linkage.Thresholds | None = None
               ) -> None:
    """`model` and `thresholds` default to the versioned files in transforms/models/."""
    con.execute("SET VARIABLE run_date = ?", [run_date])
    for step in CORE_STEPS:
        con.execute(read_sql(step))
    score_identities(con, model or linkage.read_model(), thresholds or linkage.read_thresholds())
    for step in LINK_STEPS:
        con.execute(read_sql(step))


def score_identities(con: duckdb.DuckDBPyConnection, model: dict,
                     thresholds: linkage.Thresholds) -> None:
    """Splink scores, on its own connection, each record against the AGDREF files and
    the files among themselves; the scores come back as temp table identity_scores and
    the thresholds as variables, read by core_person_links.sql."""
    records = con.sql(read_sql("linkage_records.sql")).pl()
    scores = linkage.score_pairs(records, model)  # noqa: F841 - read by the next statement
    con.execute("CREATE OR REPLACE TEMP TABLE identity_scores AS SELECT * FROM scores")
    for name, value in (("link_threshold", thresholds.link),
                        ("review_threshold", thresholds.review),
                        ("candidate_margin", thresholds.margin),
                        ("weak_birth_link_threshold", thresholds.weak_birth_link),
                        ("duplicate_threshold", thresholds.duplicate)):
        con.execute(f"SET VARIABLE {name} = ?", [value])
