"""Flag history kept as changes (issue 36, retention).

`worklists.flag_history` (docs/contracts.md §2: one row per flag and run) grew by every
listed flag every night: about 365 rows a year per open flag. It is stored as

    worklists.flag_history_runs        one row per run that wrote the history (run_date)
    worklists.flag_history_intervals   one row per flag and stretch of consecutive runs
                                       with the same details, `status` on its first run
                                       and OPEN on every later one (RESOLVED: one run)
    worklists.flag_history             a view with the columns the table always had, one
                                       row per flag and run: every reader keeps working

A run writes its rows (transforms.rules.flags.next_history) with write_run: an open flag
whose details did not change extends its stretch by one run, any other row starts one.
A run replayed for a date already written, or between two written runs, replaces that
run's rows and leaves the other runs' as they were, as the table did (DELETE the date,
INSERT its rows). The SQL names the code's own tables only; values are bound."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from transforms.warehouse.database import literal, run_reading, table_exists

VIEW = "worklists.flag_history"
INTERVALS = "worklists.flag_history_intervals"
RUNS = "worklists.flag_history_runs"
KEY = ("flag_id", "worklist")
DETAILS = ("department", "person_key", "num_agdref")
LEGACY = "worklists.flag_history_before_intervals"

_SAME = " AND ".join([*(f"x.{c} = y.{c}" for c in KEY),
                      *(f"x.{c} IS NOT DISTINCT FROM y.{c}" for c in DETAILS)])
_COLUMNS = "flag_id, worklist, status, first_run_date, last_run_date, " + ", ".join(DETAILS)

VIEW_SQL = f"""CREATE OR REPLACE VIEW {VIEW} AS
SELECT i.flag_id, i.worklist, r.run_date,
       CASE WHEN r.run_date = i.first_run_date THEN i.status ELSE 'OPEN' END AS status,
       i.department, i.person_key, i.num_agdref
FROM {INTERVALS} i
JOIN {RUNS} r ON r.run_date BETWEEN i.first_run_date AND i.last_run_date"""  # noqa: S608


def is_view(table: str) -> bool:
    return table == VIEW


def create_statements(comment: str, descriptions: dict[str, str | None]) -> list[str]:
    """The view over the two tables (which create_warehouse makes from their contracts),
    with the comments of the table it replaces."""
    summary = (f"{comment} Kept as changes: a view of {INTERVALS} over {RUNS} "
               "(one row per flag and stretch of runs).")
    statements = [VIEW_SQL, f"COMMENT ON VIEW {VIEW} IS {literal(summary)}"]
    return statements + [f'COMMENT ON COLUMN {VIEW}."{c}" IS {literal(text)}'
                         for c, text in descriptions.items() if text]


def adopt_table(con: duckdb.DuckDBPyConnection) -> bool:
    """A warehouse written by an earlier version holds worklists.flag_history as a table
    of one row per flag and run: rename it aside (convert reads it once the new tables
    exist). Returns whether there was one."""
    found = table_exists(con, VIEW)
    if found:
        con.execute(f"ALTER TABLE {VIEW} RENAME TO flag_history_before_intervals")
        for column in DETAILS:  # a history older than the details lacks them
            con.execute(f"ALTER TABLE {LEGACY} ADD COLUMN IF NOT EXISTS {column} VARCHAR")
    return bool(found)


def convert(con: duckdb.DuckDBPyConnection) -> None:
    """The renamed table of an earlier version into runs and stretches, then dropped. Its
    runs are its distinct run dates; a row starts a stretch unless it is OPEN, the flag's
    row of the run just before, with the same details, and that row not RESOLVED: the
    view gives back exactly the rows of the table."""
    con.execute(f"INSERT INTO {RUNS} SELECT DISTINCT run_date FROM {LEGACY} "  # noqa: S608
                f"WHERE run_date NOT IN (SELECT run_date FROM {RUNS}) ORDER BY run_date")
    previous = ", ".join(f"lag({c}) OVER flag AS previous_{c}"
                         for c in ("night", "status", *DETAILS))
    changed = " OR ".join(f"{c} IS DISTINCT FROM previous_{c}" for c in DETAILS)
    con.execute(f"""
        INSERT INTO {INTERVALS} ({_COLUMNS})
        WITH numbered AS (
            SELECT h.*, n.night FROM {LEGACY} h JOIN (
                SELECT run_date, row_number() OVER (ORDER BY run_date) AS night
                FROM {RUNS}) n USING (run_date)),
        marked AS (
            SELECT *, {previous} FROM numbered
            WINDOW flag AS (PARTITION BY flag_id, worklist ORDER BY night)),
        stretched AS (
            SELECT *, sum(CASE WHEN status <> 'OPEN' OR previous_night IS NULL
                                    OR previous_night <> night - 1
                                    OR previous_status = 'RESOLVED' OR {changed}
                               THEN 1 ELSE 0 END)
                          OVER (PARTITION BY flag_id, worklist ORDER BY night) AS stretch
            FROM marked)
        SELECT flag_id, worklist, arg_min(status, night), min(run_date), max(run_date),
               {', '.join(f'any_value({c})' for c in DETAILS)}
        FROM stretched GROUP BY flag_id, worklist, stretch
        ORDER BY flag_id, worklist, min(run_date)""")  # noqa: S608
    con.execute(f"DROP TABLE {LEGACY}")


def write_run(con: duckdb.DuckDBPyConnection, run_date: date, rows: pl.DataFrame) -> None:
    """The history rows of `run_date` (columns of worklists.flag_history, all of that
    date; a detail column missing is empty) replace those the run had, if any; the other
    runs keep theirs."""
    con.execute("SET VARIABLE flag_run = ?", [run_date])
    con.execute(f"INSERT INTO {RUNS} SELECT getvariable('flag_run') "  # noqa: S608
                f"WHERE getvariable('flag_run') NOT IN (SELECT run_date FROM {RUNS})")
    before, after = con.execute(
        f"SELECT max(run_date) FILTER (WHERE run_date < getvariable('flag_run')), "  # noqa: S608
        f"min(run_date) FILTER (WHERE run_date > getvariable('flag_run')) FROM {RUNS}"
    ).fetchall()[0]
    con.execute("SET VARIABLE flag_before = ?", [before])
    con.execute("SET VARIABLE flag_after = ?", [after])
    _take_out_run(con)
    rows = rows.with_columns(pl.lit(None, pl.String).alias(c)
                             for c in DETAILS if c not in rows.columns)
    flag_rows = rows.select(*KEY, "status", *DETAILS).to_arrow()
    if before is not None:  # an open flag, details unchanged: one run longer
        run_reading(con, "_flag_rows", flag_rows, f"""
            UPDATE {INTERVALS} x SET last_run_date = getvariable('flag_run')
            FROM _flag_rows y
            WHERE x.last_run_date = getvariable('flag_before') AND x.status <> 'RESOLVED'
              AND y.status = 'OPEN' AND {_SAME}""")  # noqa: S608
    run_reading(con, "_flag_rows", flag_rows, f"""
        INSERT INTO {INTERVALS} ({_COLUMNS})
        SELECT y.flag_id, y.worklist, y.status, getvariable('flag_run'),
               getvariable('flag_run'), {', '.join(f'y.{c}' for c in DETAILS)}
        FROM _flag_rows y
        WHERE NOT EXISTS (SELECT 1 FROM {INTERVALS} x
                          WHERE x.last_run_date = getvariable('flag_run') AND {_SAME})
        ORDER BY y.worklist, y.flag_id""")  # noqa: S608
    if after is not None:
        _join_next_run(con)


def _take_out_run(con: duckdb.DuckDBPyConnection) -> None:
    """No stretch covers the run any more: one that did is cut around it (the part after
    it starts OPEN, as its rows were)."""
    covering = (f"FROM {INTERVALS} WHERE first_run_date <= getvariable('flag_run') "
                "AND last_run_date >= getvariable('flag_run')")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _flag_cut AS SELECT * {covering}")  # noqa: S608
    try:
        con.execute(f"DELETE {covering}")
        con.execute(f"""
            INSERT INTO {INTERVALS} ({_COLUMNS})
            SELECT flag_id, worklist, status, first_run_date, getvariable('flag_before'),
                   {', '.join(DETAILS)}
            FROM _flag_cut WHERE first_run_date < getvariable('flag_run')
            UNION ALL
            SELECT flag_id, worklist, 'OPEN', getvariable('flag_after'), last_run_date,
                   {', '.join(DETAILS)}
            FROM _flag_cut WHERE last_run_date > getvariable('flag_run')""")  # noqa: S608
    finally:
        con.execute("DROP TABLE IF EXISTS _flag_cut")


def _join_next_run(con: duckdb.DuckDBPyConnection) -> None:
    """A replayed run between two others: a stretch ending on it and one starting OPEN on
    the next run, for the same flag and details, become one."""
    con.execute(f"""
        UPDATE {INTERVALS} x SET last_run_date = y.last_run_date
        FROM {INTERVALS} y
        WHERE x.last_run_date = getvariable('flag_run') AND x.status <> 'RESOLVED'
          AND y.first_run_date = getvariable('flag_after') AND y.status = 'OPEN'
          AND {_SAME}""")  # noqa: S608
    con.execute(f"""
        DELETE FROM {INTERVALS} y
        WHERE y.first_run_date = getvariable('flag_after') AND y.status = 'OPEN'
          AND EXISTS (SELECT 1 FROM {INTERVALS} x
                      WHERE x.first_run_date < y.first_run_date
                        AND x.last_run_date = y.last_run_date AND {_SAME})""")  # noqa: S608


def write_runs(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> None:
    """History rows of any runs, written run by run in date order (insert_frame)."""
    for (run_date,), part in sorted(rows.partition_by("run_date", as_dict=True).items()):
        write_run(con, run_date, part)
