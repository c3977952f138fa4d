"""The night's rebuild, as of the run date, in one transaction (readers see the previous
night's state or this one, never a mixture), as the list of its steps: core from staging,
identity over core, the rules over the facts, the lists written, the marts. Each step is a
named stage of the run (audit.run_stages): the nightly flow passes a clock."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from functools import partial

import duckdb
import polars as pl

from schemas.published import PersonLink
from transforms.core.build import build_core
from transforms.identity import model_file
from transforms.identity.build import identity_records, link_persons, score_identities
from transforms.identity.thresholds import read_thresholds
from transforms.publish.decision_memory import read_memory, write_memory
from transforms.publish.lists import write_alerts, write_lists, write_outcomes
from transforms.publish.marts import build_marts
from transforms.rules.decide import FanOut, decide, one_after_another
from transforms.rules.facts import collection_paused, load_facts
from transforms.rules.releases import STALE_PRISON_LIST_DAYS
from transforms.warehouse.database import release_cache, transaction

# A named stage of a run: `with stage("core-sql") as counts: ...; counts["rows"] = n`.
Stage = Callable[[str], AbstractContextManager[dict]]


def untimed(name: str) -> AbstractContextManager[dict]:
    return nullcontext({})


@dataclass(frozen=True)
class WorklistCounts:
    """Sizes only: safe to log."""

    listed: dict[str, int]
    excluded: dict[str, int]
    new: int
    resolved: int
    kept: int  # decisions of earlier nights kept (transforms.rules.reuse)
    decided: int  # decisions taken tonight


def rebuild_night(con: duckdb.DuckDBPyConnection, run_date: date, horizon_days: int,
                  stage: Stage = untimed, spark=None, fan_out: FanOut = one_after_another,
                  stale_days: int = STALE_PRISON_LIST_DAYS,
                  keep_decisions: bool = False, marts: bool = True) -> WorklistCounts:
    """`spark`: a SparkSession for Splink's Spark backend (default: DuckDB); `fan_out`:
    how the rules of each department are run (default: one after the other);
    `stale_days`: a prison list older than this is late (PRI-01); `keep_decisions`:
    keep the decisions of the night before whose facts and dates hold, and remember
    tonight's (core.decision_memory); otherwise every candidate is decided again and no
    memory is left (a later night keeping decisions starts afresh); `marts`: build the
    marts after the lists (the rules' scenario tests leave them out: nothing the lists
    hold reads them, and they took a tenth of each scenario)."""
    with transaction(con, committing=partial(stage, "commit")):
        with stage("core-sql") as counts:
            build_core(con, run_date)
            records = identity_records(con, run_date)
            counts["rows"] = records.height
        with stage("identity-scoring") as counts:
            release_cache(con)
            score_identities(con, records, model_file.read_model(), spark)
            counts["rows"] = records.height
        with stage("identity-links") as counts:
            link_persons(con, read_thresholds())
            counts["rows"] = con.sql("SELECT count(*) FROM core.person_links").fetchall()[0][0]
        # One pause for both stages: the collector, enabled between them, walked the
        # millions of objects of the facts once more.
        with collection_paused():
            with stage("worklist-rules") as counts:
                PersonLink.validate(con.sql("SELECT * FROM core.person_links").pl())
                facts = load_facts(con, run_date)
                memory = read_memory(con) if keep_decisions else None
                release_cache(con)  # before the rules' processes are forked
                decided = decide(facts, run_date, horizon_days, fan_out, stale_days, memory,
                                 keep_decisions)
                lists, exclusions, remembered = decided.lists, decided.exclusions, decided.memory
                counts["rows"] = sum(rows.height for rows in lists.values()) + exclusions.height
            with stage("worklist-tables") as counts:
                today = write_lists(con, run_date, lists, exclusions)
                write_memory(con, remembered if keep_decisions else None, decided.citations)
                write_alerts(con, run_date, decided.alerts)
                counts["rows"] = today.height + write_outcomes(con, decided.outcomes)
        if marts:
            with stage("marts"):
                build_marts(con)
    excluded = exclusions.group_by("worklist").len()
    return WorklistCounts(
        listed={name: rows.height for name, rows in lists.items()},
        excluded=dict(zip(excluded["worklist"], excluded["len"], strict=True)),
        new=today.filter(pl.col("status") == "NEW").height,
        resolved=today.filter(pl.col("status") == "RESOLVED").height,
        kept=remembered.filter(pl.col("decided_on") < run_date).height,
        decided=remembered.filter(pl.col("decided_on") >= run_date).height,
    )
