"""The indicators for managers and analysts (marts), rebuilt each run from core,
worklists and audit."""

from __future__ import annotations

import duckdb

from transforms.warehouse.database import read_sql
from transforms.warehouse.tables import comment_undescribed_columns

# The indicators for managers and analysts (marts), in the order they are built: aggregates
# only, never a person, rebuilt each run from core, worklists and audit, as of
# getvariable('run_date'). Each indicator is defined once, in its file, and checked on a
# tiny inbox (tests/test_marts.py); columns without a COMMENT there are described from
# schemas/glossary.py.
MART_STEPS = (
    "marts_rejections_oqtf.sql",
    "marts_overdue_backlog.sql",
    "marts_unexecuted_measures.sql",
    "marts_events_for_marts.sql",
    "marts_execution_outcomes.sql",
    "marts_consular_passes.sql",
    "marts_consular_passes_pending.sql",
    "marts_return_aid.sql",
    "marts_upcoming_releases.sql",
    "marts_handovers_quarterly.sql",
    "marts_objectives_monthly.sql",
    "marts_file_departments.sql",
    "file_corrections.sql",
    "marts_data_quality.sql",
    "marts_quarantine_reasons.sql",
)


def build_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Every mart as of getvariable('run_date'), its columns described."""
    for step in MART_STEPS:
        con.execute(read_sql(step))
    comment_undescribed_columns(con, ("core", "marts"))
