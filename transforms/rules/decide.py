"""Decide every candidate onto a list or into the exclusions: the rules of the three
lists run per group of departments (each candidate is decided alone over the shared facts),
the parts put together in one order whatever the fan-out. Writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import polars as pl

from schemas import codes
from schemas.published import Exclusion, RejectedWithoutOqtf, UnexecutedMeasure, UpcomingRelease
from transforms.rules.facts import Departments, Facts, department_order
from transforms.rules.rejected import rejected_without_oqtf
from transforms.rules.releases import STALE_PRISON_LIST_DAYS, upcoming_releases
from transforms.rules.unexecuted import unexecuted_measures
from transforms.warehouse.tables import rows_frame

LIST_MODELS = {
    codes.REJECTED: RejectedWithoutOqtf,
    codes.RELEASES: UpcomingRelease,
    codes.MEASURES: UnexecutedMeasure,
}


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
