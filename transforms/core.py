"""Build the `core` layer from staging, as of the run date: AGDREF persons, titles and
measures of the latest snapshots, asylum decisions with their knowledge dates, detainees
on the latest lists, identity candidates and person links. Every table is rebuilt from
staging each run (one SQL file each, values bound through `getvariable`)."""

from __future__ import annotations

from datetime import date

import duckdb

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
    "core_person_links.sql",
    "core_link_review.sql",
)


def build_core(con: duckdb.DuckDBPyConnection, run_date: date) -> None:
    con.execute("SET VARIABLE run_date = ?", [run_date])
    for step in CORE_STEPS:
        con.execute(read_sql(step))
