"""What the units did, week by week (issue 34 §3, §4). A flag is handled on the day of
its first outcome (OQTF taken, examination on another ground, answer to the prison, next
step planned, not pursued): it counts once, in that week and under that outcome, even if
a later decision changes its state; taking, commenting or releasing a flag is not
handling it. The time to handle is counted in days from the night the flag was first
seen (its first_seen_date) to that day.

Need to know: the events are read under the account's departments (the ORM query), the
days first seen under the same departments (the SQL, bound values only)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib.resources import files

import duckdb

from workspace.decisions.models import DecisionEvent, Kind

HANDLED = (Kind.OQTF_TAKEN, Kind.OTHER_GROUND, Kind.PRISON_ANSWER, Kind.NEXT_STEP,
           Kind.NOT_PURSUED)
WEEKS_SHOWN = 26


@dataclass(frozen=True)
class Handled:
    flag_id: str
    worklist: str
    outcome: str
    day: date


@dataclass
class Week:
    monday: date
    by_outcome: dict[str, int] = field(default_factory=dict)
    days: list[int] = field(default_factory=list)  # first seen -> handled, where known

    @property
    def handled(self) -> int:
        return sum(self.by_outcome.values())

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None


@cache
def read_sql(name: str) -> str:
    return (files("workspace.dashboard") / "sql" / name).read_text(encoding="utf-8")


def first_outcomes(departments: list[str]) -> list[Handled]:
    """Each flag of the departments handled, with its first outcome and its day; the
    outcomes of a flag withdrawn (OUTCOME_WITHDRAWN: the flag to be handled again in its
    department, as the pages and the night read it, workspace/decisions/state.fold)
    handled nothing."""
    found = (DecisionEvent.objects
             .filter(department__in=departments, kind__in=[*HANDLED, Kind.OUTCOME_WITHDRAWN])
             .order_by("effective_date", "decided_at", "id")
             .values_list("flag_id", "worklist", "kind", "effective_date", "department"))
    standing: dict[tuple[str, str], list[Handled]] = defaultdict(list)
    for flag_id, worklist, kind, day, department in found:
        outcomes = standing[(flag_id, department)]
        if kind != Kind.OUTCOME_WITHDRAWN:
            outcomes.append(Handled(flag_id, worklist, kind, day))
            continue
        # an examination on another ground is closed, never withdrawn
        outcomes[:] = [h for h in outcomes if h.outcome == Kind.OTHER_GROUND]
    first: dict[str, Handled] = {}
    for handled in sorted((h for kept in standing.values() for h in kept),
                          key=lambda h: h.day):
        first.setdefault(handled.flag_id, handled)
    return list(first.values())


def first_seen(cur: duckdb.DuckDBPyConnection, flags: list[str], departments: list[str]
               ) -> dict[str, date]:
    """flag id -> the night it was first seen, for the flags the warehouse still knows."""
    if not flags:
        return {}
    rows = cur.execute(read_sql("first_seen.sql"),
                       {"flags": flags, "departments": departments}).fetchall()
    return {flag_id: seen for flag_id, seen in rows if seen is not None}


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(handled: list[Handled], seen: dict[str, date]) -> list[Week]:
    """The weeks with flags handled, the latest first (WEEKS_SHOWN at most)."""
    by_monday: dict[date, Week] = {}
    for flag in handled:
        week = by_monday.setdefault(monday_of(flag.day), Week(monday_of(flag.day)))
        week.by_outcome[flag.outcome] = week.by_outcome.get(flag.outcome, 0) + 1
        if flag.flag_id in seen:
            week.days.append((flag.day - seen[flag.flag_id]).days)
    return sorted(by_monday.values(), key=lambda w: w.monday, reverse=True)[:WEEKS_SHOWN]
