"""Rebuild `core`, the worklists and the marts as of the run date and publish them in one
transaction: readers see the previous night's state or this one, never a mixture."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from schemas import codes
from schemas.published import (
    AsylumOutcome,
    Exclusion,
    FlagHistory,
    PersonLink,
    RejectedWithoutOqtf,
    UnexecutedMeasure,
    UpcomingRelease,
)
from transforms.core import Stage, build_core, untimed
from transforms.flags import HISTORY_SCHEMA, first_seen_dates, next_history
from transforms.warehouse import (
    comment_undescribed_columns,
    insert_frame,
    model_frame,
    read_sql,
)
from transforms.worklists import (
    Facts,
    asylum_outcomes,
    load_facts,
    rejected_without_oqtf,
    unexecuted_measures,
    upcoming_releases,
)

LIST_MODELS = {
    codes.REJECTED: RejectedWithoutOqtf,
    codes.RELEASES: UpcomingRelease,
    codes.MEASURES: UnexecutedMeasure,
}


@dataclass(frozen=True)
class WorklistCounts:
    """Sizes only: safe to log."""

    listed: dict[str, int]
    excluded: dict[str, int]
    new: int
    resolved: int


def decide(facts: Facts, run_date: date, horizon_days: int
           ) -> tuple[dict[str, list[dict]], pl.DataFrame]:
    """The three lists (without first_seen_date yet) and the exclusions, from `core`."""
    results = {
        codes.REJECTED: rejected_without_oqtf(facts, run_date),
        codes.RELEASES: upcoming_releases(facts, run_date, horizon_days),
        codes.MEASURES: unexecuted_measures(facts, run_date),
    }
    lists = {name: flags for name, (flags, _) in results.items()}
    exclusions = [row for _, excluded in results.values() for row in excluded]
    return ({name: sorted(rows, key=lambda r: r["flag_id"]) for name, rows in lists.items()},
            model_frame(sorted(exclusions, key=lambda r: r["candidate_id"]), Exclusion))


def publish_worklists(con: duckdb.DuckDBPyConnection, run_date: date, horizon_days: int,
                      stage: Stage = untimed, spark=None) -> WorklistCounts:
    """`spark`: a SparkSession for Splink's Spark backend (default: DuckDB)."""
    con.execute("BEGIN TRANSACTION")
    try:
        build_core(con, run_date, stage=stage, spark=spark)
        with stage("worklist-rules") as counts:
            PersonLink.validate(con.sql("SELECT * FROM core.person_links").pl())
            facts = load_facts(con)
            lists, exclusions = decide(facts, run_date, horizon_days)
            counts["rows"] = sum(map(len, lists.values())) + exclusions.height
        with stage("worklist-tables") as counts:
            today = _write_lists(con, run_date, lists, exclusions)
            outcomes = model_frame(asylum_outcomes(facts, run_date), AsylumOutcome)
            con.execute("DELETE FROM core.asylum_outcomes")
            insert_frame(con, "core.asylum_outcomes", outcomes)
            counts["rows"] = today.height + outcomes.height
        with stage("marts"):
            con.execute(read_sql("marts.sql"))
            comment_undescribed_columns(con, ("core", "marts"))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    excluded = exclusions.group_by("worklist").len()
    return WorklistCounts(
        listed={name: len(rows) for name, rows in lists.items()},
        excluded=dict(zip(excluded["worklist"], excluded["len"], strict=True)),
        new=today.filter(pl.col("status") == "NEW").height,
        resolved=today.filter(pl.col("status") == "RESOLVED").height,
    )


def _write_lists(con: duckdb.DuckDBPyConnection, run_date: date,
                 lists: dict[str, list[dict]], exclusions: pl.DataFrame) -> pl.DataFrame:
    """Today's flag history, each list with the date its flags were first seen, and the
    exclusions; returns today's history."""
    current = pl.DataFrame(
        [{"flag_id": r["flag_id"], "worklist": name}
         for name, rows in lists.items() for r in rows],
        schema={"flag_id": pl.String, "worklist": pl.String})
    history = con.sql("SELECT * FROM worklists.flag_history").pl().cast(HISTORY_SCHEMA)
    today = FlagHistory.validate(next_history(history, current, run_date))
    con.execute("DELETE FROM worklists.flag_history WHERE run_date = ?", [run_date])
    insert_frame(con, "worklists.flag_history", today)
    seen = first_seen_dates(pl.concat([history.filter(pl.col("run_date") < run_date), today]))
    for name, rows in lists.items():
        for r in rows:
            r["first_seen_date"] = seen.get(r["flag_id"], run_date)
        con.execute(f"DELETE FROM worklists.{name}")  # noqa: S608 (fixed names)
        insert_frame(con, f"worklists.{name}", model_frame(rows, LIST_MODELS[name]))
    con.execute("DELETE FROM worklists.exclusions")
    insert_frame(con, "worklists.exclusions", exclusions)
    return today
