"""How fresh each source unit is on the run date (RULES.md PRI-01): the latest delivery
of each TélémOfpra department, GENESIS establishment and AGDREF department and table,
and whether it is late. Units and dates only: safe to log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from schemas.codes import SYSTEMS
from transforms.warehouse.database import read_sql, transaction


@dataclass(frozen=True)
class LateUnit:
    """A source unit whose latest delivery is late."""

    system: str
    file_kind: str
    unit: str
    latest_file_date: date
    days_old: int

    def describe(self) -> str:
        """One line for the console: the unit, its latest delivery, how old it is."""
        return (f"late: {self.system} {self.unit}: latest delivery "
                f"{self.latest_file_date:%Y-%m-%d}, {self.days_old} days old")


def record_source_freshness(con: duckdb.DuckDBPyConnection, run_id: str, run_date: date,
                            late_after_days: dict[str, int]) -> list[LateUnit]:
    """Write this run's rows of audit.source_freshness (replacing any it had) and return
    the late units, in a stable order. `late_after_days`: days per system (telemofpra,
    genesis, agdref) after which a unit is late."""
    missing = set(SYSTEMS) - set(late_after_days)
    if missing:
        raise ValueError(f"no lateness setting for {', '.join(sorted(missing))}")
    with transaction(con):
        con.execute("SET VARIABLE run_id = ?", [run_id])
        con.execute("SET VARIABLE run_date = ?", [run_date])
        for system in SYSTEMS:
            con.execute(f"SET VARIABLE late_after_{system} = ?",  # a fixed name per system
                        [late_after_days[system]])
        con.execute(read_sql("audit_source_freshness.sql"))
    rows = con.execute(
        "SELECT system, file_kind, unit, latest_file_date, days_old "
        "FROM audit.source_freshness WHERE run_id = ? AND is_late "
        "ORDER BY system, file_kind, unit", [run_id]).fetchall()
    return [LateUnit(*row) for row in rows]
