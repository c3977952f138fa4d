"""Build the `core` layer from staging, as of the run date: AGDREF persons (with their
name skeletons), titles and measures of the latest snapshots, asylum decisions with their
knowledge dates, detainees on the latest lists and every committal ever listed, and whom
each quarantined row names. Every other table is rebuilt from staging each run, one SQL file
each, values bound through `getvariable`; the towns of birth are kept from one night to
the next, each place read once (town_names.py)."""

from __future__ import annotations

from datetime import date

import duckdb

from transforms.core.town_names import register_birth_towns
from transforms.warehouse.database import read_sql

CORE_STEPS = (
    "core_latest_files.sql",
    "core_name_keys.sql",
    "core_persons.sql",
    "core_residence_titles.sql",
    "core_measure_events.sql",
    "core_removal_measures.sql",
    "core_asylum_decisions.sql",
    "core_detentions.sql",
    "core_detention_history.sql",
    "core_quarantined_references.sql",
)
# Python builds core.birth_towns (town_names.py) before this step, which reads it
# (and so does the identity stage).
BIRTH_TOWNS_BEFORE = "core_persons.sql"


def build_core(con: duckdb.DuckDBPyConnection, run_date: date) -> None:
    """The core tables as of `run_date` (bound as the session variable run_date, which the
    later stages' SQL reads too)."""
    con.execute("SET VARIABLE run_date = ?", [run_date])
    for step in CORE_STEPS:
        if step == BIRTH_TOWNS_BEFORE:
            register_birth_towns(con)
        con.execute(read_sql(step))
