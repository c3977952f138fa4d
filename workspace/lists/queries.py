"""The workspace's reads of the published warehouse. Need to know is in the SQL itself:
every query about persons carries `list_contains($departments, department)` with the
account's departments bound as a parameter. Table and column names come from the
contracts (schemas/), never from a request; every value from a request is bound."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources import files

import duckdb

from schemas import codes, exports
from schemas.sources import SOURCE_MODELS
from transforms.warehouse.database import read_sql as transform_sql

LISTS = codes.EXPORTED_TABLES
KEY = {name: "flag_id" for name in codes.WORKLISTS} | {codes.LEGAL_ALERTS: "alert_id"}
MAX_ROWS = 3000
# what "overdue" means on each list that has a deadline
OVERDUE = {codes.REJECTED: "days_overdue > 0",
           codes.RELEASES: "list_contains(markers, 'PRISON_ANSWER_DUE')"}
_SOURCE_FILE = re.compile(r"^(TELEMOFPRA|GENESIS|AGDREF_(PERSONNES|TITRES|MESURES|EVENEMENTS))_")


@cache
def read_sql(name: str) -> str:
    return (files("workspace.lists") / "sql" / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class ListFilters:
    """What a unit asked for: `number` is an AGDREF, OFPRA or committal number."""

    new: bool = False
    overdue: bool = False
    marker: str = ""
    number: str = ""
    # the flags handled as asked (state, assignee), as the operational database says:
    # rows whose key or person is in `only` (when given), in neither list of `never`
    only: tuple[list[str], list[str]] | None = None
    never: tuple[list[str], list[str]] | None = None


@dataclass
class Rows:
    columns: list[str]
    rows: list[dict] = field(default_factory=list)


def columns(worklist: str) -> list[str]:
    """The list's columns as the exports show them (new_tonight is computed, not stored;
    the state and assignee are shown live from the operational database, not as the night
    found them)."""
    return [c for c in exports.COLUMNS[worklist]
            if c != "new_tonight" and c not in exports.HANDLING_COLUMNS]


def name_columns(worklist: str) -> list[str]:
    """The columns read beside a list's own that name its codes (exports.NAMED_BY: the
    releases' prison)."""
    return [exports.NAMED_BY[c][1] for c in columns(worklist) if c in exports.NAMED_BY]


def _selected(worklist: str) -> str:
    """`SELECT … FROM …` of a list: its columns, and its prisons' names as the exports'
    label column reads them (the latest GENESIS list naming each)."""
    source, names = f"worklists.{worklist}", name_columns(worklist)
    if names:
        source += (f" LEFT JOIN ({transform_sql('establishment_names.sql')}) "
                   "USING (establishment_code)")
    selected = ", ".join([*columns(worklist), *names])
    return f"SELECT {selected} FROM {source}"  # noqa: S608 (names from the contracts)


def list_sql(worklist: str, filters: ListFilters) -> str:
    """The rows of one list in the account's departments, filtered, in the units' order."""
    if worklist not in LISTS:
        raise KeyError(worklist)
    where = ["list_contains($departments, department)"]
    if filters.new:
        where.append(_new_last_night(worklist))
    if filters.overdue and worklist in OVERDUE:
        where.append(OVERDUE[worklist])
    if filters.marker and worklist != codes.LEGAL_ALERTS:
        where.append("list_contains(markers, $marker)")
    if filters.number:
        where.append(read_sql("number_match.sql"))
    key = _held_key(worklist)
    if filters.only is not None:
        where.append(f"(list_contains($only_keys::VARCHAR[], {key}) "
                     "OR list_contains($only_persons::VARCHAR[], person_key))")
    if filters.never is not None:
        where.append(f"NOT list_contains($never_keys::VARCHAR[], {key}) "
                     "AND NOT list_contains($never_persons::VARCHAR[], person_key)")
    order = ", ".join(f"{c} {'DESC' if desc else 'ASC'}"
                      for c, desc in exports.SORT[worklist].items())
    return (f"{_selected(worklist)} "
            f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT $limit")


def list_rows(cur: duckdb.DuckDBPyConnection, worklist: str, departments: list[str],
              filters: ListFilters) -> Rows:
    params: dict = {"departments": departments, "limit": MAX_ROWS}
    if filters.marker and worklist != codes.LEGAL_ALERTS:
        params["marker"] = filters.marker
    if filters.number:
        params["number"] = filters.number
    for name in ("only", "never"):
        chosen = getattr(filters, name)
        if chosen is not None:
            params[f"{name}_keys"], params[f"{name}_persons"] = chosen
    return Rows(columns(worklist), _dicts(cur.execute(list_sql(worklist, filters), params)))


def _new_last_night(worklist: str) -> str:
    """SQL: whether a row of the list is new in its department on the last night, as the
    exports' `Nouveau` says (an alert: appeared that night): ListFilters.new. The last
    night is the one the published lists are of (last_night.sql)."""
    night = f"({read_sql('last_night.sql')})"
    if worklist == codes.LEGAL_ALERTS:
        return f"first_seen_date = {night}"
    return exports.new_in_its_department(worklist, night)


def _held_key(worklist: str) -> str:
    """decisions.state.held_key, in SQL over the list's rows."""
    return f"({KEY[worklist]} || '|' || department)"


def stays(cur: duckdb.DuckDBPyConnection, worklist: str, departments: list[str]
          ) -> dict[str, date]:
    """decisions.state.held_key -> the day each listed flag's current stay on the list
    began (its first_seen_date): an OQTF taken recorded before answered an earlier stay
    (decisions.state.fold)."""
    sql = (f"SELECT {_held_key(worklist)}, first_seen_date "  # noqa: S608
           f"FROM worklists.{worklist} WHERE list_contains($departments, department)")
    return dict(cur.execute(sql, {"departments": departments}).fetchall())


def flag(cur: duckdb.DuckDBPyConnection, worklist: str, key: str, departments: list[str]
         ) -> dict | None:
    """One flag (or alert) if it is in the account's departments, else None."""
    if worklist not in LISTS:
        return None
    sql = (f"{_selected(worklist)} "
           f"WHERE {KEY[worklist]} = $key AND list_contains($departments, department)")
    found = _dicts(cur.execute(sql, {"key": key, "departments": departments}))
    return found[0] if found else None


def exclusion(cur: duckdb.DuckDBPyConnection, worklist: str, key: str,
              departments: list[str]) -> dict | None:
    """The candidate `key` of a list, excluded tonight, if in the account's departments."""
    found = _dicts(cur.execute(read_sql("exclusion.sql"), {
        "worklist": worklist, "key": key, "departments": departments}))
    return found[0] if found else None


def exclusions_sql(by_number: bool) -> str:
    sql = read_sql("exclusions.sql")
    if by_number:
        sql += " AND " + read_sql("number_match.sql")
    return sql + "\nORDER BY worklist, department, candidate_id LIMIT $limit"


def exclusions(cur: duckdb.DuckDBPyConnection, departments: list[str], worklist: str,
               reason: str, number: str) -> list[dict]:
    """Why candidates are not listed (RULES.md §5), in the account's departments; the
    request's values are all bound."""
    params = {"departments": departments, "worklist": worklist, "reason": reason,
              "limit": MAX_ROWS}
    if number:
        params["number"] = number
    return _dicts(cur.execute(exclusions_sql(bool(number)), params))


def history(cur: duckdb.DuckDBPyConnection, flag_id: str) -> list[dict]:
    return _dicts(cur.execute(read_sql("flag_history.sql"), {"flag": flag_id}))


def person_flags(cur: duckdb.DuckDBPyConnection, person_key: str, departments: list[str]
                 ) -> list[dict]:
    return _dicts(cur.execute(read_sql("person_flags.sql"),
                              {"person": person_key, "departments": departments}))


def person_keys(cur: duckdb.DuckDBPyConnection, person_key: str) -> list[str]:
    """The person's key and the numbers of all their files (their examinations on another
    ground may have been recorded under any of them)."""
    found = [r[0] for r in cur.execute(read_sql("person_keys.sql"),
                                       {"person": person_key}).fetchall()]
    return list(dict.fromkeys([person_key, *found]))


def search(cur: duckdb.DuckDBPyConnection, number: str, departments: list[str]
           ) -> list[dict]:
    """Every flag and alert, in the account's departments, of the person a number names."""
    found = []
    for worklist in LISTS:
        rows = list_rows(cur, worklist, departments, ListFilters(number=number)).rows
        found += [{"worklist": worklist, "key": r[KEY[worklist]], **r} for r in rows]
    return found


def source_rows(cur: duckdb.DuckDBPyConnection, cited: list[str],
                withheld: dict[str, str] | None = None) -> list[dict]:
    """The rows as delivered behind a flag's `source_rows` (file:line), but those of
    `withheld` (citation -> the row's department, `withheld_rows`): their citation and
    department only. Call it with the citations of a flag already found in the account's
    departments."""
    shown = []
    for citation in cited:
        name, _, line = citation.rpartition(":")
        match = _SOURCE_FILE.match(name)
        if not match or not line.isdigit():
            shown.append({"citation": citation, "values": []})
            continue
        if withheld and citation in withheld:
            shown.append({"citation": citation, "file": name, "line": int(line), "values": [],
                          "elsewhere": withheld[citation]})
            continue
        kind = match.group(1).lower()
        assert kind in SOURCE_MODELS
        # a delivery UNCHANGED from an earlier one (the same bytes, the same lines) has its
        # rows stored once, under the file it repeats
        stored = cur.execute("SELECT repeats_file_name FROM audit.files WHERE file_name = "
                             "$file AND repeats_file_name IS NOT NULL", {"file": name}
                             ).fetchall()
        sql = (f"SELECT * EXCLUDE (file_sha256) FROM raw.{kind} "  # noqa: S608
               "WHERE file_name = $file AND line_number = $line")
        rows = _dicts(cur.execute(sql, {"file": stored[0][0] if stored else name,
                                        "line": int(line)}))
        values = [(k, v) for k, v in rows[0].items()
                  if k not in ("file_name", "line_number")] if rows else []
        shown.append({"citation": citation, "file": name, "line": int(line), "values": values})
    return shown


def withheld_rows(cur: duckdb.DuckDBPyConnection, cited: list[str], person_key: str,
                  departments: list[str]) -> dict[str, str]:
    """The citations of a flag's rows that the account may not read (cited_rows.sql: a
    row of another department that the night ties to no file of the flag's person) ->
    the row's department ("?" when unknown)."""
    return {r["citation"]: r["department"] or "?" for r in _dicts(cur.execute(
        read_sql("cited_rows.sql"), {"cited": cited, "person": person_key,
                                     "departments": departments}))
            if not r["readable"]}


def last_night(cur: duckdb.DuckDBPyConnection):
    return cur.execute(read_sql("last_night.sql")).fetchall()[0][0]


def home_counts(cur: duckdb.DuckDBPyConnection, departments: list[str],
                decided: list[tuple[str, str]] = ()) -> dict[str, dict]:
    """Per list (and "identities", home_counts.sql), in the account's departments: rows,
    new last night (as ListFilters.new filters them), overdue (OVERDUE: the OQTF's 15
    days, the answers due to an establishment within 7 days, PRI-05). A list
    without a row in them has no row here. `decided`: the pairs (record, file) decided in
    the workspace since the night, no longer to decide."""
    listed = " UNION ALL ".join(
        f"SELECT '{name}' AS worklist, count(*) AS rows, "  # noqa: S608 (contract names)
        f"count(*) FILTER (WHERE {_new_last_night(name)}) AS new, "
        + (f"count(*) FILTER (WHERE {OVERDUE[name]})" if name in OVERDUE else "NULL")
        + f" AS overdue FROM worklists.{name} WHERE list_contains($departments, department) "
        "HAVING count(*) > 0" for name in LISTS)
    params = {"departments": departments}
    counts = _dicts(cur.execute(listed, params)) + _dicts(cur.execute(
        read_sql("home_counts.sql"), {**params, "decided": [f"{r}|{f}" for r, f in decided]}))
    return {r["worklist"]: r for r in counts}


def department_counts(cur: duckdb.DuckDBPyConnection, departments: list[str] | None
                      ) -> list[dict]:
    """Rows per list and department: in `departments`, or in every one when None (an
    analyst's national aggregates)."""
    return _dicts(cur.execute(read_sql("department_counts.sql"), {
        "every": departments is None, "departments": departments or []}))


def _dicts(result: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
