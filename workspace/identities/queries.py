"""The review queue's reads of the published warehouse. Need to know is in the SQL: the
pairs carry `list_contains($departments, department)` with the account's departments
bound; the records' rows are read only for a pair found that way."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

import duckdb

from transforms.core.town_names import BIRTH_TOWNS
from transforms.warehouse.database import table_exists
from workspace.lists import queries as lists

MAX_PAIRS = 1000
DELIVERIES_SHOWN = 3


@cache
def read_sql(name: str) -> str:
    return (files("workspace.identities") / "sql" / name).read_text(encoding="utf-8")


def pair_id(record_key: str, num_agdref: str) -> str:
    """A pair's id, as the queue's SQL writes it ('IDP-' || left(sha256(record_key || '|'
    || num_agdref), 16)): what the views log keeps of a pair, never its numbers."""
    return "IDP-" + hashlib.sha256(f"{record_key}|{num_agdref}".encode()).hexdigest()[:16]


def review_pairs(cur: duckdb.DuckDBPyConnection, departments: list[str]) -> list[dict]:
    return _dicts(cur.execute(read_sql("review_pairs.sql"),
                              {"departments": departments, "limit": MAX_PAIRS}))


def pairs_of_person(cur: duckdb.DuckDBPyConnection, person_key: str,
                    departments: list[str]) -> list[dict]:
    """The pairs to decide of a flag's person (its record or its AGDREF file)."""
    return _dicts(cur.execute(read_sql("pairs_of_person.sql"),
                              {"person": person_key, "departments": departments}))


def pair(cur: duckdb.DuckDBPyConnection, pair_id: str, departments: list[str]
         ) -> dict | None:
    found = _dicts(cur.execute(read_sql("review_pair.sql"), {
        "pair": pair_id, "departments": departments}))
    return found[0] if found else None


def record_departments(cur: duckdb.DuckDBPyConnection, records: list[str]) -> dict[str, str]:
    """record_key -> its department, for the records named."""
    return {r["record_key"]: r["department"] for r in _dicts(cur.execute(
        read_sql("record_departments.sql"), {"records": records}))}


def detainees_of_file(cur: duckdb.DuckDBPyConnection, found: dict, departments: list[str]
                      ) -> list[dict]:
    """The other detainees held now tied to, or in review against, the person of the
    pair's file (a pair of a detainee held now, found in the account's departments): each
    one's department, and for those of the account's departments only, its record, its
    establishment and its pair (the query leaves the others' empty)."""
    return _dicts(cur.execute(read_sql("detainees_of_file.sql"), {
        "file": found["num_agdref"], "record": found["record_key"],
        "departments": departments}))


def side(cur: duckdb.DuckDBPyConnection, record_key: str) -> dict:
    """One side of a pair found in the account's departments: its latest deliveries as
    staged (each with the town of its place of birth as the night read it, `birth_town`),
    and those rows as delivered (file, line, values)."""
    rows = _dicts(cur.execute(read_sql("record_rows.sql"),
                              {"record": record_key, "limit": DELIVERIES_SHOWN}))
    _with_towns(cur, rows)
    cited = [f"{r['file_name']}:{r['line_number']}" for r in rows]
    return {"record_key": record_key, "latest": rows[0] if rows else None,
            "sources": lists.source_rows(cur, cited)}


def _with_towns(cur: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Each row's `birth_town` (None: no town, a country alone), read in the night's
    core.birth_towns; left unset for a place it does not hold, or in a warehouse published
    before it was (the page then compares the places as written)."""
    places = sorted({row["birth_place"] for row in rows if row["birth_place"]})
    if not places or not table_exists(cur, BIRTH_TOWNS):
        return
    towns = dict(cur.execute(f"SELECT birth_place, birth_town FROM {BIRTH_TOWNS} "  # noqa: S608
                             "WHERE birth_place IN ?", [places]).fetchall())
    for row in rows:
        if row["birth_place"] in towns:
            row["birth_town"] = towns[row["birth_place"]]


def _dicts(result: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
