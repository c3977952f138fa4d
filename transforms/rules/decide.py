"""Decide every candidate onto a list or into the exclusions: the rules of the three
lists run per group of departments (each candidate is decided alone over the shared facts),
the parts put together in one order whatever the fan-out. Writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import NamedTuple

import polars as pl

from schemas import codes
from schemas.published import (
    AsylumOutcome,
    Exclusion,
    RejectedWithoutOqtf,
    UnexecutedMeasure,
    UpcomingRelease,
)
from transforms.rules.alerts import legal_alerts
from transforms.rules.facts import Departments, Facts, department_order
from transforms.rules.outcomes import asylum_outcomes
from transforms.rules.rejected import rejected_without_oqtf
from transforms.rules.releases import STALE_PRISON_LIST_DAYS, upcoming_releases
from transforms.rules.reuse import Memory, memory_frame, rules_version
from transforms.rules.unexecuted import unexecuted_measures
from transforms.warehouse.tables import rows_frame

LIST_MODELS = {
    codes.REJECTED: RejectedWithoutOqtf,
    codes.RELEASES: UpcomingRelease,
    codes.MEASURES: UnexecutedMeasure,
}


class Decided(NamedTuple):
    """The lists (their first_seen_date still empty) and the exclusions decided for some
    departments, as frames of their models, not validated yet; `memory`, each candidate's
    decision as core.decision_memory keeps it (transforms.rules.reuse); `kept`, per list,
    the flag ids and the exclusions' candidate ids kept from the night before, whose rows
    are not in `lists` and `exclusions` yet (`finish` adds them); `citations`, tonight's
    citations of the facts whose citations the rules only pass on, by read (the memory's
    core.decision_citations); `rewrites`, each citation of the night before in a kept
    row and tonight's (`finish` brings the kept rows to them). Built where the rules
    ran with no polars computation (a forked process must not start polars' threads):
    it sends back frames, cheaper than the rows they hold. With them, read where each
    right to remain was just assessed: `outcomes`, where the right to remain of each
    person of the rejected list stands (core.asylum_outcomes), and `alerts`, the legal
    alerts about the measures of these departments (worklists.legal_alerts, without
    first_seen_date)."""

    lists: dict[str, pl.DataFrame]
    exclusions: pl.DataFrame
    memory: pl.DataFrame
    kept: dict[str, tuple[list[str], list[str]]]
    citations: dict[str, tuple[str, ...]]
    rewrites: dict[str, str]
    outcomes: pl.DataFrame
    alerts: list[dict]


# Runs the rules once per group of departments and returns the results in the same order:
# the nightly flow makes each a Prefect task; by default they run one after the other.
FanOut = Callable[[Callable[[Departments], Decided], list[Departments]], list[Decided]]


def one_after_another(rules: Callable[[Departments], Decided], groups: list[Departments]
                      ) -> list[Decided]:
    return [rules(group) for group in groups]


def decide_part(facts: Facts, run_date: date, horizon_days: int,
                departments: Departments = None,
                stale_days: int = STALE_PRISON_LIST_DAYS,
                memory: Memory | None = None, remember: bool = True) -> Decided:
    """The candidates of these departments (None: all), each decided now or kept from
    `memory` (the night before) when its decision still holds; `remember`: each
    decision watched, for the memory."""
    version = rules_version(horizon_days, stale_days)
    results = {
        codes.REJECTED: rejected_without_oqtf(facts, run_date, departments, memory, version,
                                              remember),
        codes.RELEASES: upcoming_releases(facts, run_date, horizon_days, departments,
                                          stale_days, memory, version, remember),
        codes.MEASURES: unexecuted_measures(facts, run_date, departments, memory, version,
                                            remember),
    }
    return Decided(
        {name: rows_frame(deciding.flags, LIST_MODELS[name])
         for name, deciding in results.items()},
        rows_frame([row for deciding in results.values() for row in deciding.exclusions],
                   Exclusion),
        memory_frame([entry for deciding in results.values() for entry in deciding.entries]),
        {name: (deciding.kept_flags, deciding.kept_exclusions)
         for name, deciding in results.items()},
        {read: cited for deciding in results.values()
         for read, cited in deciding.citations.items()},
        cited_tonight([deciding.rewrites for deciding in results.values()]),
        rows_frame(asylum_outcomes(facts, run_date, departments), AsylumOutcome),
        legal_alerts(facts, run_date, departments))


def finish(parts: list[Decided], run_date: date, memory: Memory | None,
           validated: bool = True) -> Decided:
    """The parts put together in one order whatever the fan-out, with the rows kept from
    the night before (citing tonight's rows) and the day counts of the run date; the
    exclusions validated (`validated`: a night always does)."""
    rewrites = {old: new for old, new in cited_tonight([part.rewrites for part in parts]).items()
                if old != new}
    lists = {}
    for name, model in LIST_MODELS.items():
        frames = [part.lists[name] for part in parts] or [rows_frame([], model)]
        if memory is not None:
            frames.append(kept(memory.lists[name], "flag_id",
                               [i for part in parts for i in part.kept[name][0]], rewrites))
        lists[name] = with_day_counts(pl.concat(frames), run_date).sort("flag_id")
    exclusions = [part.exclusions for part in parts] or [rows_frame([], Exclusion)]
    if memory is not None:
        exclusions += [kept(memory.exclusions.filter(pl.col("worklist") == name),
                            "candidate_id", [i for part in parts for i in part.kept[name][1]],
                            rewrites)
                       for name in LIST_MODELS]
    remembered = pl.concat([part.memory for part in parts] or [memory_frame([])])
    citations = {read: cited for part in parts for read, cited in part.citations.items()}
    outcomes = pl.concat([part.outcomes for part in parts]
                         or [rows_frame([], AsylumOutcome)]).sort("person_key")
    alerts = sorted((alert for part in parts for alert in part.alerts),
                    key=lambda alert: alert["alert_id"])
    exclusions = pl.concat(exclusions).sort("candidate_id")
    return Decided(lists, Exclusion.validate(exclusions) if validated else exclusions,
                   remembered.sort("worklist", "candidate_key"), {}, citations, {},
                   outcomes, alerts)


def cited_tonight(parts: list[dict[str, str]]) -> dict[str, str]:
    """The citations of the night before in kept rows, and tonight's, put together; one
    citation paired two ways, or two with one, would be a fault of the rules' reuse,
    never written."""
    rewrites: dict[str, str] = {}
    for part in parts:
        for old, new in part.items():
            if rewrites.setdefault(old, new) != new:
                raise RuntimeError("a kept decision's citation paired with two of tonight's")
    if len(set(rewrites.values())) != len(rewrites):
        raise RuntimeError("two citations of kept decisions paired with one of tonight's")
    return rewrites


def decide_for(facts: Facts, run_date: date, horizon_days: int,
               departments: Departments = None,
               stale_days: int = STALE_PRISON_LIST_DAYS,
               memory: Memory | None = None) -> Decided:
    """The three lists (without first_seen_date yet), the exclusions and the memory of
    the candidates of these departments (None: all), finished."""
    return finish([decide_part(facts, run_date, horizon_days, departments, stale_days,
                               memory)], run_date, memory)


def kept(rows: pl.DataFrame, key: str, ids: list[str], rewrites: dict[str, str]
         ) -> pl.DataFrame:
    """The rows of the night before whose decisions hold, citing tonight's rows
    (`rewrites`: each citation that moved, and where to)."""
    rows = rows.filter(pl.col(key).is_in(ids))
    if not rewrites:
        return rows
    return rows.with_columns(pl.col("source_rows").list.eval(
        pl.element().replace(list(rewrites), list(rewrites.values()))))


def with_day_counts(rows: pl.DataFrame, run_date: date) -> pl.DataFrame:
    """The counts of days that move with the run date, counted here for the rows decided
    tonight and those kept alike: days past the OQTF's due date (0 when not due, OQ-02)
    and since a measure became enforceable."""
    day = pl.lit(run_date, dtype=pl.Date)
    if "days_overdue" in rows.columns:
        rows = rows.with_columns(days_overdue=pl.max_horizontal(
            pl.lit(0), (day - pl.col("oqtf_due_date")).dt.total_days()).cast(pl.Int32))
    if "days_since_enforceable" in rows.columns:
        rows = rows.with_columns(days_since_enforceable=(
            day - pl.col("enforceable_from")).dt.total_days().cast(pl.Int32))
    return rows


def decide(facts: Facts, run_date: date, horizon_days: int,
           fan_out: FanOut = one_after_another,
           stale_days: int = STALE_PRISON_LIST_DAYS, memory: Memory | None = None,
           remember: bool = True, validated: bool = True) -> Decided:
    """The three lists (without first_seen_date yet), the exclusions (validated) and the
    memory, from `core`: the rules run per department (each candidate is decided alone
    over the shared facts), the parts put together in one order whatever the fan-out;
    with `memory` (the night before) a decision that still holds is kept. `validated`
    False: the exclusions are not checked against their contract, for a decision taken
    again only to be compared with the night's (tests/scenarios.py), never written."""
    # Indexed once, before the parts read it side by side: one group per department
    # that has candidates.
    index = facts.index_departments(run_date)
    groups: list[Departments] = [frozenset({d}) for d in sorted(
        set().union(*index.values()), key=department_order)]
    parts = fan_out(partial(decide_part, facts, run_date, horizon_days,
                            stale_days=stale_days, memory=memory, remember=remember), groups)
    return finish(parts, run_date, memory, validated)
