"""core.decision_memory: each candidate's decision as the night took it, and what it read
(transforms.rules.reuse), read back the next night with the rows it wrote."""

from __future__ import annotations

import duckdb
import polars as pl

from schemas.published import Exclusion
from transforms.rules.decide import LIST_MODELS
from transforms.rules.reuse import MEMORY_SCHEMA, Memory
from transforms.warehouse.database import table_exists
from transforms.warehouse.tables import describe, polars_schema, replace_table

TABLE = "core.decision_memory"
CITATIONS = "core.decision_citations"
CITATIONS_SCHEMA = {"read": pl.String, "cited": pl.List(pl.String)}
COLUMNS = {
    "worklist": "list the candidate was decided for",
    "candidate_key": "the candidate within its list: person key (rejected), GENESIS record "
                     "key (releases), measure id (measures)",
    "row_id": "flag_id of its row on the list, or candidate_id of its exclusion",
    "listed": "true: on the list; false: excluded",
    "digest": "64-bit digest of the facts the decision read (under the keys in reads), of "
              "the rules' code and of the night's settings",
    "valid_from": "first run date on which the same facts give the same decision",
    "valid_until": "first run date on which they may not (a due date, a window's end, an "
                   "anniversary, an 18th birthday, the horizon...); empty: none",
    "reads": "the facts read, one per line: table of the rules' facts, tab, key",
    "decided_on": "run date of the night that took the decision (earlier: kept since)",
}


def read_memory(con: duckdb.DuckDBPyConnection) -> Memory | None:
    """The night before's decisions and rows; None before the first night that kept them."""
    if not table_exists(con, TABLE):
        return None
    entries = con.sql(f"SELECT * FROM {TABLE}").pl().cast(MEMORY_SCHEMA)  # noqa: S608
    lists, exclusions = decided_rows(con)
    citations = {read: tuple(cited) for read, cited in con.sql(
        f"SELECT read, cited FROM {CITATIONS}").fetchall()} if table_exists(  # noqa: S608
        con, CITATIONS) else {}
    return Memory.of(entries, lists, exclusions, citations)


def decided_rows(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, pl.DataFrame],
                                                          pl.DataFrame]:
    """The lists and the exclusions as the rules decided them (the night's columns empty)."""
    lists = {name: _rows(con, f"worklists.{name}", model) for name, model in LIST_MODELS.items()}
    return lists, _rows(con, "worklists.exclusions", Exclusion)


# Columns the night adds after the rules (transforms.publish.lists): empty, as decided.
NIGHT_COLUMNS = ("first_seen_date", "handling_state", "assignee")


def _rows(con: duckdb.DuckDBPyConnection, table: str, model) -> pl.DataFrame:
    """The rows as the rules decided them (the night's own columns empty)."""
    schema = polars_schema(model)
    columns = ", ".join(f'NULL AS "{name}"' if name in NIGHT_COLUMNS else f'"{name}"'
                        for name in schema)
    return con.sql(f"SELECT {columns} FROM {table}").pl().cast(schema)  # noqa: S608


def write_memory(con: duckdb.DuckDBPyConnection, memory: pl.DataFrame | None,
                 citations: dict[str, tuple[str, ...]] | None = None) -> None:
    """Tonight's memory and the citations of the facts its decisions only cite; None:
    none (dropped, never left from an earlier night: the lists it would take rows from
    are tonight's)."""
    if memory is None:
        con.execute(f"DROP TABLE IF EXISTS {TABLE}")
        con.execute(f"DROP TABLE IF EXISTS {CITATIONS}")
        return
    replace_table(con, TABLE, memory.cast(MEMORY_SCHEMA))
    describe(con, TABLE, "Each candidate's decision of the night and what it read: the "
             "next night keeps a decision whose facts and dates still hold, and decides "
             "the others again (transforms/rules/reuse.py).", COLUMNS)
    cited = sorted((citations or {}).items())
    replace_table(con, CITATIONS, pl.DataFrame(
        {"read": [read for read, _ in cited], "cited": [list(c) for _, c in cited]},
        schema=CITATIONS_SCHEMA))
    describe(con, CITATIONS, "The citations of the night of the AGDREF facts the decisions "
             "read, which the rules only cite: a decision kept the next night cites that "
             "night's file and line for the same facts (transforms/rules/reuse.py).",
             {"read": "a fact read, as in decision_memory.reads",
              "cited": "its <file name>:<line number> citations of the night, in order"})
