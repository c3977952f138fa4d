"""The handovers to other States of each quarter, laid out for the annex table of a
department's folder (schemas/handovers.py): a row per nationality and destination State,
each code followed by the country in French, the last row the totals. Counts from
marts.handovers_quarterly, summed over the measure types (remise, Dublin transfer)."""

from __future__ import annotations

from functools import cache

import duckdb
import polars as pl

from schemas import handovers as contract
from transforms.ingest.countries import french_name_of

UNKNOWN = {"INCONNUE": "nationalité inconnue", "INCONNU": "État inconnu",
           contract.TOTAL: "tous pays"}
COUNTS = ("measures", "executed", "not_executed", "failed_attempts")


@cache
def country_in_french(code: str) -> str:
    """A country's French name (as GENESIS writes it); the code itself when ISO has none."""
    if code in UNKNOWN:
        return UNKNOWN[code]
    try:
        return french_name_of(code)
    except (AttributeError, LookupError):
        return code


def load_handovers(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every department's handovers by quarter, nationality and destination State."""
    return con.sql("""
        SELECT quarter, department, nationality, member_state,
               sum(measures)::BIGINT AS measures, sum(executed)::BIGINT AS executed,
               sum(not_executed)::BIGINT AS not_executed,
               sum(failed_attempts)::BIGINT AS failed_attempts,
               list_sort(list_distinct(flatten(list(failure_reasons)))) AS failure_reasons
        FROM marts.handovers_quarterly GROUP BY ALL ORDER BY ALL""").pl()


def annex_rows(rows: pl.DataFrame, quarter: str) -> pl.DataFrame:
    """One quarter's rows as the annex table: in the contract's order, sorted by
    nationality then State, and a last row of totals (a table with no row still has it,
    all zeros)."""
    rows = rows.filter(pl.col("quarter") == quarter).sort("nationality", "member_state")
    total = pl.DataFrame({
        "nationality": [contract.TOTAL], "member_state": [contract.TOTAL],
        **{name: [int(rows[name].sum())] for name in COUNTS},
        "failure_reasons": [sorted({r for reasons in rows["failure_reasons"] for r in reasons})],
    }, schema={"nationality": pl.String, "member_state": pl.String,
               **dict.fromkeys(COUNTS, pl.Int64), "failure_reasons": pl.List(pl.String)})
    table = pl.concat([rows.select(total.columns).cast(total.schema), total])
    return table.with_columns(
        nationality_label=pl.col("nationality").map_elements(country_in_french, pl.String),
        member_state_label=pl.col("member_state").map_elements(country_in_french, pl.String),
    ).select(name for name, _, _ in contract.COLUMNS)
