"""Write what the rules decided: the flag history night by night, each list with the date
its flags were first seen and its state in the workspace, the exclusions, the legal alerts
and the asylum outcomes."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from schemas.published import AsylumOutcome, FlagHistory, LegalAlert
from transforms.publish.handling import read_decisions, with_handling
from transforms.rules.decide import LIST_MODELS
from transforms.rules.flags import (
    DETAIL_SCHEMA,
    HISTORY_SCHEMA,
    first_seen_dates,
    next_history,
    with_details,
)
from transforms.warehouse.database import read_sql
from transforms.warehouse.flag_intervals import write_run
from transforms.warehouse.tables import insert_frame, rows_frame


def write_alerts(con: duckdb.DuckDBPyConnection, run_date: date, alerts: list[dict]) -> None:
    """worklists.legal_alerts, each alert with the run date it was first seen (kept from
    the previous night's table for an alert still raised)."""
    seen = dict(con.execute("SELECT alert_id, first_seen_date FROM worklists.legal_alerts "
                            "WHERE first_seen_date <= ?", [run_date]).fetchall())
    rows = [{**a, "first_seen_date": seen.get(a["alert_id"], run_date)} for a in alerts]
    con.execute("DELETE FROM worklists.legal_alerts")
    insert_frame(con, "worklists.legal_alerts", LegalAlert.validate(
        with_handling(rows_frame(rows, LegalAlert), read_decisions(con), key="alert_id")))


def write_lists(con: duckdb.DuckDBPyConnection, run_date: date,
                 lists: dict[str, pl.DataFrame], exclusions: pl.DataFrame) -> pl.DataFrame:
    """Today's flag history, each list with the date its flags were first seen, and the
    exclusions; returns today's history."""
    current = pl.concat([rows.select("flag_id", *DETAIL_SCHEMA, worklist=pl.lit(name, pl.String))
                         .cast(DETAIL_SCHEMA) for name, rows in lists.items()])
    history = con.sql(read_sql("flag_history_read.sql"), params={"run_date": run_date}
                      ).pl().cast({**HISTORY_SCHEMA, **DETAIL_SCHEMA})
    # the run before, even one that left no row: a flag back after it is NEW, never OPEN
    # from a night before that one
    [(previous,)] = con.execute("SELECT max(run_date) FROM worklists.flag_history_runs "
                                "WHERE run_date < ?", [run_date]).fetchall()
    today = FlagHistory.validate(with_details(
        next_history(history, current, run_date, previous), current, history))
    write_run(con, run_date, today)  # replaces the run's rows, if it had any
    seen = first_seen_dates(pl.concat([history, today]))
    first_seen = pl.col("flag_id").replace_strict(
        list(seen), list(seen.values()), default=run_date, return_dtype=pl.Date)
    decisions = read_decisions(con)
    for name, rows in lists.items():
        con.execute(f"DELETE FROM worklists.{name}")  # noqa: S608 (fixed names)
        insert_frame(con, f"worklists.{name}", LIST_MODELS[name].validate(with_handling(
            rows.with_columns(first_seen.alias("first_seen_date")), decisions)))
    con.execute("DELETE FROM worklists.exclusions")
    insert_frame(con, "worklists.exclusions", exclusions)
    return today


def write_outcomes(con: duckdb.DuckDBPyConnection, outcomes: pl.DataFrame) -> int:
    """core.asylum_outcomes replaced (`outcomes`: rows of its model); returns its rows."""
    frame = AsylumOutcome.validate(outcomes)
    con.execute("DELETE FROM core.asylum_outcomes")
    insert_frame(con, "core.asylum_outcomes", frame)
    return frame.height
