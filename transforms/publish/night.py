"""Rebuild `core`, the worklists and the marts as of the run date and publish them in one
transaction: readers see the previous night's state or this one, never a mixture."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import duckdb
import polars as pl

from schemas import codes
from schemas.published import (
    AsylumOutcome,
    Exclusion,
    FlagHistory,
    LegalAlert,
    PersonLink,
    RejectedWithoutOqtf,
    UnexecutedMeasure,
    UpcomingRelease,
)
from transforms.core.build import Stage, build_core, untimed
from transforms.rules.alerts import legal_alerts
from transforms.rules.facts import (
    Departments,
    Facts,
    collection_paused,
    department_order,
    load_facts,
)
from transforms.rules.flags import HISTORY_SCHEMA, first_seen_dates, next_history
from transforms.rules.outcomes import asylum_outcomes
from transforms.rules.rejected import rejected_without_oqtf
from transforms.rules.releases import STALE_PRISON_LIST_DAYS, upcoming_releases
from transforms.rules.unexecuted import unexecuted_measures
from transforms.warehouse.database import read_sql, transaction
from transforms.warehouse.tables import (
    comment_undescribed_columns,
    insert_frame,
    model_frame,
    rows_frame,
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


# The lists and the exclusions decided for some departments, as frames of their models
# (the lists' first_seen_date still empty), not validated yet: built where the rules ran,
# a forked process sends back frames, cheaper than the rows they hold.
Decided = tuple[dict[str, pl.DataFrame], pl.DataFrame]
# Runs the rules once per group of departments and returns the results in the same order:
# the nightly flow makes each a Prefect task; by default they run one after the other.
FanOut = Callable[[Callable[[Departments], Decided], list[Departments]], list[Decided]]


def one_after_another(rules: Callable[[Departments], Decided], groups: list[Departments]
                      ) -> list[Decided]:
    return [rules(group) for group in groups]


def decide_for(facts: Facts, run_date: date, horizon_days: int,
               departments: Departments = None,
               stale_days: int = STALE_PRISON_LIST_DAYS) -> Decided:
    """The three lists (without first_seen_date yet) and the exclusions of the candidates
    of these departments (None: all)."""
    results = {
        codes.REJECTED: rejected_without_oqtf(facts, run_date, departments),
        codes.RELEASES: upcoming_releases(facts, run_date, horizon_days, departments,
                                          stale_days),
        codes.MEASURES: unexecuted_measures(facts, run_date, departments),
    }
    return ({name: rows_frame(flags, LIST_MODELS[name]) for name, (flags, _) in results.items()},
            rows_frame([row for _, excluded in results.values() for row in excluded],
                       Exclusion))


def decide(facts: Facts, run_date: date, horizon_days: int,
           fan_out: FanOut = one_after_another,
           stale_days: int = STALE_PRISON_LIST_DAYS) -> Decided:
    """The three lists (without first_seen_date yet) and the exclusions (validated), from
    `core`: the rules run per department (each candidate is decided alone over the shared
    facts), the parts put together in one order whatever the fan-out."""
    # Indexed once, before the parts read it side by side: one group per department
    # that has candidates.
    index = facts.index_departments(run_date)
    groups: list[Departments] = [frozenset({d}) for d in sorted(
        set().union(*index.values()), key=department_order)]
    parts = fan_out(partial(decide_for, facts, run_date, horizon_days,
                            stale_days=stale_days), groups)
    lists = {name: pl.concat([part[name] for part, _ in parts] or [rows_frame([], model)])
             .sort("flag_id") for name, model in LIST_MODELS.items()}
    exclusions = pl.concat([excluded for _, excluded in parts]
                           or [rows_frame([], Exclusion)]).sort("candidate_id")
    return lists, Exclusion.validate(exclusions)


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
    "marts_return_aid.sql",
    "marts_upcoming_releases.sql",
    "marts_handovers_quarterly.sql",
    "marts_file_departments.sql",
    "marts_data_quality.sql",
    "marts_quarantine_reasons.sql",
)


def publish_worklists(con: duckdb.DuckDBPyConnection, run_date: date, horizon_days: int,
                      stage: Stage = untimed, spark=None,
                      fan_out: FanOut = one_after_another,
                      stale_days: int = STALE_PRISON_LIST_DAYS) -> WorklistCounts:
    """`spark`: a SparkSession for Splink's Spark backend (default: DuckDB); `fan_out`:
    how the rules of each department are run (default: one after the other);
    `stale_days`: a prison list older than this is late (PRI-01)."""
    with transaction(con, committing=partial(stage, "commit")):
        build_core(con, run_date, stage=stage, spark=spark)
        # One pause for both stages: the collector, enabled between them, walked the
        # millions of objects of the facts once more.
        with collection_paused():
            with stage("worklist-rules") as counts:
                PersonLink.validate(con.sql("SELECT * FROM core.person_links").pl())
                facts = load_facts(con)
                lists, exclusions = decide(facts, run_date, horizon_days, fan_out, stale_days)
                counts["rows"] = sum(rows.height for rows in lists.values()) + exclusions.height
            with stage("worklist-tables") as counts:
                today = _write_lists(con, run_date, lists, exclusions)
                _write_alerts(con, run_date, legal_alerts(facts, run_date))
                outcomes = model_frame(asylum_outcomes(facts, run_date), AsylumOutcome)
                con.execute("DELETE FROM core.asylum_outcomes")
                insert_frame(con, "core.asylum_outcomes", outcomes)
                counts["rows"] = today.height + outcomes.height
        with stage("marts"):
            for step in MART_STEPS:
                con.execute(read_sql(step))
            comment_undescribed_columns(con, ("core", "marts"))
    excluded = exclusions.group_by("worklist").len()
    return WorklistCounts(
        listed={name: rows.height for name, rows in lists.items()},
        excluded=dict(zip(excluded["worklist"], excluded["len"], strict=True)),
        new=today.filter(pl.col("status") == "NEW").height,
        resolved=today.filter(pl.col("status") == "RESOLVED").height,
    )


def _write_alerts(con: duckdb.DuckDBPyConnection, run_date: date, alerts: list[dict]) -> None:
    """worklists.legal_alerts, each alert with the run date it was first seen (kept from
    the previous night's table for an alert still raised)."""
    seen = dict(con.execute("SELECT alert_id, first_seen_date FROM worklists.legal_alerts "
                            "WHERE first_seen_date <= ?", [run_date]).fetchall())
    rows = [{**a, "first_seen_date": seen.get(a["alert_id"], run_date)} for a in alerts]
    con.execute("DELETE FROM worklists.legal_alerts")
    insert_frame(con, "worklists.legal_alerts", LegalAlert.validate(rows_frame(rows, LegalAlert)))


def _write_lists(con: duckdb.DuckDBPyConnection, run_date: date,
                 lists: dict[str, pl.DataFrame], exclusions: pl.DataFrame) -> pl.DataFrame:
    """Today's flag history, each list with the date its flags were first seen, and the
    exclusions; returns today's history."""
    current = pl.concat([rows.select("flag_id", worklist=pl.lit(name, pl.String))
                         for name, rows in lists.items()])
    history = con.sql(read_sql("flag_history_read.sql"), params={"run_date": run_date}
                      ).pl().cast(HISTORY_SCHEMA)
    today = FlagHistory.validate(next_history(history, current, run_date))
    con.execute("DELETE FROM worklists.flag_history WHERE run_date = ?", [run_date])
    insert_frame(con, "worklists.flag_history", today)
    seen = first_seen_dates(pl.concat([history, today]))
    first_seen = pl.col("flag_id").replace_strict(
        list(seen), list(seen.values()), default=run_date, return_dtype=pl.Date)
    for name, rows in lists.items():
        con.execute(f"DELETE FROM worklists.{name}")  # noqa: S608 (fixed names)
        insert_frame(con, f"worklists.{name}", LIST_MODELS[name].validate(
            rows.with_columns(first_seen.alias("first_seen_date"))))
    con.execute("DELETE FROM worklists.exclusions")
    insert_frame(con, "worklists.exclusions", exclusions)
    return today
