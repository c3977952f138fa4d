"""History kept as changes (issue 36).

AGDREF arrives every night as a full extract per department: almost every row repeats the
night before's. Such a table stores each distinct row once and, for every delivered row,
only where it was delivered:

    <table>_contents    one row per distinct row (row_id, row_hash, the row's values)
    <table>_deliveries  one row per delivered row: its lineage (file, line…) and row_id
    <table>             a view with the columns the table always had (one row per
                        delivered row, as before): every reader keeps working

For the staged AGDREF snapshots, two more views and a table macro:

    <table>_history     each row's validity, as dbt snapshots keep it: valid_from (first
                        delivery holding it), valid_to (first later delivery of the same
                        department no longer holding it; empty while the latest holds it)
    <table>_on(date)    the snapshot of each department as delivered on that date
    <table>_latest      the latest snapshot of each department

Rows are matched on every value (a 64-bit hash only speeds the match up), so two rows
that differ in any value are two contents. The SQL is built here from the code's own
table and column names, never from values."""

from __future__ import annotations

import duckdb

from transforms.warehouse.database import literal, table_exists

RAW_LINEAGE = ("file_name", "file_sha256", "line_number")
STAGED_LINEAGE = ("file_name", "line_number", "extraction_date")

# table -> (lineage columns, file kind whose snapshots it holds, or None for raw rows)
KEPT_AS_CHANGES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "raw.agdref_personnes": (RAW_LINEAGE, None),
    "raw.agdref_titres": (RAW_LINEAGE, None),
    "raw.agdref_mesures": (RAW_LINEAGE, None),
    "raw.agdref_evenements": (RAW_LINEAGE, None),
    "staging.agdref_persons": (STAGED_LINEAGE, "agdref_personnes"),
    "staging.agdref_titles": (STAGED_LINEAGE, "agdref_titres"),
    "staging.agdref_measures": (STAGED_LINEAGE, "agdref_mesures"),
    "staging.agdref_events": (STAGED_LINEAGE, "agdref_evenements"),
}


def kept_as_changes(table: str) -> bool:
    return table in KEPT_AS_CHANGES


def contents(table: str) -> str:
    return f"{table}_contents"


def deliveries(table: str) -> str:
    """Where a table's rows are delivered: the table itself, or its deliveries when it is
    kept as changes (what DELETE and UPDATE by file act on)."""
    return f"{table}_deliveries" if kept_as_changes(table) else table


def _quoted(columns) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _same_values(left: str, right: str, columns) -> str:
    return " AND ".join(f'{left}."{c}" IS NOT DISTINCT FROM {right}."{c}"' for c in columns)


def create_statements(table: str, columns: dict[str, str], comment: str,
                      descriptions: dict[str, str | None]) -> list[str]:
    """The two tables, the view and (for snapshots) the history, `_on` and `_latest`;
    `columns`: name -> DuckDB type, in the table's order. Idempotent; a column a newer
    contract added is added."""
    lineage, kind = KEPT_AS_CHANGES[table]
    values = [c for c in columns if c not in lineage]
    body = ",\n  ".join(f'"{c}" {columns[c]}' for c in values)
    trail = ",\n  ".join(f'"{c}" {columns[c]}' for c in lineage)
    statements = [
        f"CREATE TABLE IF NOT EXISTS {contents(table)} (\n  row_id BIGINT, row_hash UBIGINT,"
        f"\n  {body}\n)",
        f"CREATE TABLE IF NOT EXISTS {deliveries(table)} (\n  {trail},\n  row_id BIGINT\n)",
    ]
    statements += [f'ALTER TABLE {contents(table)} ADD COLUMN IF NOT EXISTS "{c}" {columns[c]}'
                   for c in values]
    select = ", ".join(f'd."{c}"' if c in lineage else f'c."{c}"' for c in columns)
    statements.append(
        f"CREATE OR REPLACE VIEW {table} AS SELECT {select} "  # noqa: S608
        f"FROM {deliveries(table)} d JOIN {contents(table)} c USING (row_id)")
    summary = f"{comment} Kept as changes: a view of {deliveries(table)} and {contents(table)}."
    statements += [
        f"COMMENT ON VIEW {table} IS {literal(summary)}",
        f"COMMENT ON TABLE {contents(table)} IS "
        f"{literal(f'Each distinct row of {table} stored once (issue 36).')}",
        f"COMMENT ON TABLE {deliveries(table)} IS "
        f"{literal(f'Every delivered row of {table}: its lineage and which content it is.')}",
        f"COMMENT ON COLUMN {contents(table)}.row_id IS 'the content''s number'",
        f"COMMENT ON COLUMN {contents(table)}.row_hash IS "
        "'hash of every value (matching also compares the values)'",
        f"COMMENT ON COLUMN {deliveries(table)}.row_id IS 'the delivered row''s content'",
    ]
    for column, description in descriptions.items():
        if description:
            owner = deliveries(table) if column in lineage else contents(table)
            statements += [f'COMMENT ON COLUMN {owner}."{column}" IS {literal(description)}',
                           f'COMMENT ON COLUMN {table}."{column}" IS {literal(description)}']
    if kind is not None:
        statements += _snapshot_statements(table, kind, columns, descriptions)
    return statements


def _snapshot_statements(table: str, kind: str, columns: dict[str, str],
                         descriptions: dict[str, str | None]) -> list[str]:
    """`_history`, `_on(date)` and `_latest` for a table of snapshots of `kind`. An
    UNCHANGED delivery (the same bytes as an earlier one, later) holds the rows of the
    file it repeats (audit.files.repeats_file_name) under its own name and date."""
    lineage = KEPT_AS_CHANGES[table][0]
    values = ", ".join(f'c."{c}"' for c in columns if c not in lineage)
    delivered = _delivered_sql(kind)
    history = f"""CREATE OR REPLACE VIEW {table}_history AS
WITH delivered AS (
    SELECT *, row_number() OVER (PARTITION BY unit ORDER BY extraction_date, file_name)
              AS delivery
    FROM ({delivered})),
present AS (
    SELECT DISTINCT d.unit, d.delivery, d.extraction_date, x.row_id
    FROM delivered d JOIN {deliveries(table)} x ON x.file_name = d.rows_file_name),
islands AS (
    SELECT *, delivery - row_number() OVER (PARTITION BY unit, row_id ORDER BY delivery)
              AS island
    FROM present),
intervals AS (
    SELECT unit, row_id, min(extraction_date) AS valid_from, max(delivery) AS last_delivery,
           count(*) AS deliveries
    FROM islands GROUP BY unit, row_id, island)
SELECT i.unit, i.valid_from, n.extraction_date AS valid_to, i.deliveries, i.row_id, {values}
FROM intervals i JOIN {contents(table)} c USING (row_id)
LEFT JOIN delivered n ON n.unit = i.unit AND n.delivery = i.last_delivery + 1"""  # noqa: S608
    on_date = f"""CREATE OR REPLACE MACRO {table}_on(as_of) AS TABLE
WITH latest AS (
    SELECT * FROM ({delivered}) WHERE extraction_date <= as_of
    QUALIFY row_number() OVER (PARTITION BY unit
                               ORDER BY extraction_date DESC, file_name DESC) = 1)
SELECT t.* REPLACE (l.file_name AS file_name, l.extraction_date AS extraction_date)
FROM {table} t JOIN latest l ON l.rows_file_name = t.file_name
-- A table macro reads the database in use, not its own: the history attached beside the
-- published warehouse and called by its prefix alone, it read the published tables (the
-- latest deliveries) and gave a past date nothing. Naming the deliveries' table, which
-- only the history holds, makes such a call fail, saying which table is missing.
WHERE EXISTS (SELECT 1 FROM {deliveries(table)})"""  # noqa: S608
    notes = {
        "unit": "the delivering unit (AGDREF: department)",
        "valid_from": "extraction date of the first delivery holding the row",
        "valid_to": "extraction date of the first later delivery of the unit no longer "
                    "holding it; empty while the latest delivery holds it",
        "deliveries": "number of consecutive deliveries holding the row in this interval",
        "row_id": "the content's number",
    }
    statements = [
        history, on_date,
        f"CREATE OR REPLACE VIEW {table}_latest AS "  # noqa: S608
        f"SELECT * FROM {table}_on(DATE '9999-12-31')",
        f"COMMENT ON VIEW {table}_history IS "
        f"{literal(f'Validity of each row of {table} (dbt-snapshot style), per unit.')}",
        f"COMMENT ON VIEW {table}_latest IS "
        f"{literal(f'The latest delivered snapshot of each unit ({table}_on for a date).')}",
    ]
    statements += [f'COMMENT ON COLUMN {table}_history."{c}" IS {literal(text)}'
                   for c, text in notes.items()]
    for view in (f"{table}_history", f"{table}_latest"):
        statements += [f'COMMENT ON COLUMN {view}."{c}" IS {literal(text)}'
                       for c, text in descriptions.items()
                       if text and not (view.endswith("_history") and c in lineage)]
    return statements


def _delivered_sql(kind: str, files: str = "audit.files") -> str:
    """The deliveries of a file kind: unit, file, date, and the file holding its rows."""
    return ("SELECT unit, file_name, extraction_date, "  # noqa: S608
            "coalesce(repeats_file_name, file_name) AS rows_file_name "
            f"FROM {files} WHERE file_kind = {literal(kind)} "
            "AND status IN ('LOADED', 'UNCHANGED')")


def latest_files_sql(kind: str, files: str = "audit.files") -> str:
    """The latest delivery of each unit of a file kind (as `_latest` reads it), from the
    files table `files` (another database's, for the readers' warehouse)."""
    return (f"SELECT * FROM ({_delivered_sql(kind, files)}) QUALIFY row_number() "  # noqa: S608
            "OVER (PARTITION BY unit ORDER BY extraction_date DESC, file_name DESC) = 1")


def delivered_kind(table: str) -> str:
    """The file kind whose deliveries a table kept as changes holds."""
    return KEPT_AS_CHANGES[table][1] or table.split(".")[1]


def latest_deliveries_condition(table: str, files: str = "audit.files") -> str:
    """A filter on `table`'s rows keeping those of the latest delivery of each unit
    (files from `files`). Where the rows carry their extraction date (the staged
    tables), it also bounds that date from below, so that a scan skips the earlier
    nights' deliveries instead of reading the whole history (stored in arrival order)."""
    kind = delivered_kind(table)
    latest = f"SELECT rows_file_name FROM ({latest_files_sql(kind, files)})"  # noqa: S608
    condition = f"file_name IN ({latest})"
    if "extraction_date" in KEPT_AS_CHANGES[table][0]:
        condition += (" AND extraction_date >= (SELECT min(extraction_date) "  # noqa: S608
                      f"FROM {files} WHERE file_name IN ({latest}))")
    return condition


def latest_snapshot_sql(table: str, kind: str) -> str:
    """The latest snapshot of each unit of `table` (its `_on` macro's on the last date),
    for a warehouse holding the table's latest deliveries only (the readers')."""
    return (f"SELECT t.* REPLACE (l.file_name AS file_name, "  # noqa: S608
            f"l.extraction_date AS extraction_date) FROM {table} t "
            f"JOIN ({latest_files_sql(kind)}) l ON l.rows_file_name = t.file_name")


def adopt_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """A warehouse written by an earlier version holds `table` as a table of every
    delivered row: rename it aside (its rows are inserted as changes once the new
    tables exist: insert). Returns whether there was one."""
    found = table_exists(con, table)
    if found:
        con.execute(f"ALTER TABLE {table} RENAME TO {table.split('.')[1]}_before_changes")
    return found


def insert(con: duckdb.DuckDBPyConnection, table: str, source: str,
           columns: list[str]) -> None:
    """Insert the rows of relation `source` (every column of `table`): contents not seen
    before are added, every row gets its delivery."""
    for statement in insert_statements(table, source, columns):
        con.execute(statement)


def insert_statements(table: str, source: str, columns: list[str]) -> list[str]:
    """The statements of `insert`, in order, each reading relation `source` itself (no
    temporary table: one dropped inside the night's transaction stays in memory until
    its commit). New contents are found before they are made distinct: a night's rows
    are nearly all known, and sorting only the few new ones (not the whole batch) halves
    the insert (benchmarks/README.md, "History insert")."""
    lineage = KEPT_AS_CHANGES[table][0]
    values = [c for c in columns if c not in lineage]
    order = "file_name, line_number"
    delivered = (f"WITH _delivered AS (SELECT *, hash({_quoted(values)}) AS row_hash "  # noqa: S608
                 f"FROM {source}) ")
    return [
        f"""INSERT INTO {contents(table)} (row_id, row_hash, {_quoted(values)})
            {delivered}, _new AS (
                SELECT * FROM _delivered n
                WHERE NOT EXISTS (SELECT 1 FROM {contents(table)} c
                                  WHERE c.row_hash = n.row_hash
                                    AND {_same_values('c', 'n', values)}))
            SELECT (SELECT coalesce(max(row_id), 0) FROM {contents(table)})
                   + row_number() OVER (ORDER BY {order}), row_hash, {_quoted(values)}
            FROM (SELECT DISTINCT ON (row_hash, {_quoted(values)}) *
                  FROM _new ORDER BY {order}) n""",  # noqa: S608
        f"""INSERT INTO {deliveries(table)} ({_quoted(lineage)}, row_id)
            {delivered}
            SELECT {', '.join(f'n."{c}"' for c in lineage)}, c.row_id
            FROM _delivered n JOIN {contents(table)} c
              ON c.row_hash = n.row_hash AND {_same_values('c', 'n', values)}""",  # noqa: S608
    ]


def drop_unreferenced(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Remove the contents no delivery refers to any more (after a purge or a
    supersession); returns how many."""
    if not kept_as_changes(table):
        return 0
    (count,) = con.execute(
        f"SELECT count(*) FROM {contents(table)} c WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {deliveries(table)} d WHERE d.row_id = c.row_id)").fetchall()[0]
    if count:
        con.execute(f"DELETE FROM {contents(table)} c WHERE NOT EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {deliveries(table)} d WHERE d.row_id = c.row_id)")
    return count
