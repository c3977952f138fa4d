"""The warehouse's tables: created from the Pandera contracts, described from the
glossary, written from frames through Arrow, and the audit writes the ingest step needs
(what it has registered is read where the inbox is planned, transforms.ingest.inbox)."""

from __future__ import annotations

import threading
from functools import cache
from itertools import accumulate, chain

import duckdb
import pandera.polars as pa
import polars as pl
import pyarrow

from schemas import glossary
from schemas.codes import DELIVERED_STATUSES
from schemas.published import AUDIT_TABLES, CORE_TABLES, WORKLIST_TABLES
from schemas.sources import SOURCE_MODELS
from schemas.staging import STAGED_MODELS, STAGING_TABLES
from transforms.warehouse import flag_intervals, history
from transforms.warehouse.database import literal, read_sql, run_reading
from transforms.warehouse.database import transaction as transaction  # noqa: PLC0414

# `transaction` is re-exported for transforms/ingest/load.py, which reaches it as
# `warehouse.transaction` while that module is being split (drop it once it imports
# transforms.warehouse.database itself).

_DUCKDB_TYPES = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.Int32: "INTEGER",
    pl.Date: "DATE",
    pl.Boolean: "BOOLEAN",
    pl.Float64: "DOUBLE",
    pl.Datetime: "TIMESTAMP",
}

RAW_LINEAGE = {
    "file_name": "source file name",
    "file_sha256": "checksum of the delivery (a correction may keep the same name)",
    "line_number": "line in the source file (header = line 1; sheet row for XLSX)",
}


def duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.List):
        return f"{duckdb_type(dtype.inner)}[]"
    base = dtype.base_type() if hasattr(dtype, "base_type") else dtype
    return _DUCKDB_TYPES[base]


# Pandera builds a model's schema anew in each thread that asks for it, and two threads
# building at once can collide (transforms/ingest/read.py says where it happened): the
# rules decide departments in threads, and each builds its rows with rows_frame.
_SCHEMAS = threading.Lock()


def model_columns(model: type[pa.DataFrameModel]) -> dict[str, tuple[pl.DataType, str | None]]:
    """The model's columns, their types and descriptions: read once a process, one thread
    at a time (the dict is shared: not to be changed)."""
    with _SCHEMAS:
        return _model_columns(model)


@cache
def _model_columns(model: type[pa.DataFrameModel]
                   ) -> dict[str, tuple[pl.DataType, str | None]]:
    schema = model.to_schema()
    return {
        name: (column.dtype.type, column.description or glossary.COLUMNS.get(name))
        for name, column in schema.columns.items()
    }


def create_table_sql(
    table: str, columns: dict[str, tuple[pl.DataType, str | None]], comment: str | None
) -> list[str]:
    """CREATE TABLE plus COMMENT statements for one table of the warehouse; a column a
    newer contract added is added to a warehouse made by an older version."""
    body = ",\n  ".join(f'"{name}" {duckdb_type(dtype)}' for name, (dtype, _) in columns.items())
    statements = [f"CREATE TABLE IF NOT EXISTS {table} (\n  {body}\n)"]
    statements += [f'ALTER TABLE {table} ADD COLUMN IF NOT EXISTS "{name}" {duckdb_type(dtype)}'
                   for name, (dtype, _) in columns.items()]
    return statements + comment_sql(
        table, comment, {name: description for name, (_, description) in columns.items()})


def comment_sql(table: str, comment: str | None, descriptions: dict[str, str | None]
                ) -> list[str]:
    """COMMENT statements for a table and its columns (the code's own texts; DuckDB binds
    no value in a COMMENT); a missing text is left out."""
    statements = [f"COMMENT ON TABLE {table} IS {literal(comment)}"] if comment else []
    return statements + [f'COMMENT ON COLUMN {table}."{name}" IS {literal(description)}'
                         for name, description in descriptions.items() if description]


def _docstring_summary(model: type) -> str:
    return " ".join((model.__doc__ or "").strip().split("\n\n")[0].split())


def raw_table(kind: str) -> str:
    return f"raw.{kind}"


def staging_table(kind: str) -> str:
    return f"staging.{STAGING_TABLES[kind]}"


@cache
def warehouse_tables() -> dict[str, tuple[dict, str]]:
    """Every table of the warehouse with its columns and comment."""
    tables: dict[str, tuple[dict, str]] = {}
    for kind, model in SOURCE_MODELS.items():
        columns = {name: (pl.String, RAW_LINEAGE.get(name)) for name in RAW_LINEAGE}
        columns["line_number"] = (pl.Int64, RAW_LINEAGE["line_number"])
        columns.update(model_columns(model))
        tables[raw_table(kind)] = (columns, f"As delivered. {_docstring_summary(model)}")
    for kind, model in STAGED_MODELS.items():
        tables[staging_table(kind)] = (model_columns(model), _docstring_summary(model))
    for schema, models in (("core", CORE_TABLES), ("worklists", WORKLIST_TABLES),
                           ("audit", AUDIT_TABLES)):
        for name, model in models.items():
            tables[f"{schema}.{name}"] = (model_columns(model), _docstring_summary(model))
    return tables


def create_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """Create every layer and table that does not exist yet (idempotent). A table kept as
    changes (transforms/warehouse/history.py) found as a table of every delivered row, as
    an earlier version wrote it, is converted; so is a flag history found as a table of
    one row per flag and run (transforms/warehouse/flag_intervals.py)."""
    con.execute(read_sql("schemas.sql"))
    history_adopted = flag_intervals.adopt_table(con)
    for table, (columns, comment) in warehouse_tables().items():
        if flag_intervals.is_view(table):
            continue
        if not history.kept_as_changes(table):
            for statement in create_table_sql(table, columns, comment):
                con.execute(statement)
    # the flag history's view, over the tables it is stored in
    columns, comment = warehouse_tables()[flag_intervals.VIEW]
    if history_adopted:
        flag_intervals.convert(con)
    for statement in flag_intervals.create_statements(
            comment, {name: text for name, (_, text) in columns.items()}):
        con.execute(statement)
    # after the audit tables, which their views read
    for table, (columns, comment) in warehouse_tables().items():
        if not history.kept_as_changes(table):
            continue
        adopted = history.adopt_table(con, table)
        for statement in history.create_statements(
                table, {name: duckdb_type(dtype) for name, (dtype, _) in columns.items()},
                comment, {name: text for name, (_, text) in columns.items()}):
            con.execute(statement)
        if adopted:
            before = f"{table}_before_changes"
            history.insert(con, table, before, list(columns))
            con.execute(f"DROP TABLE {before}")


def known_table(table: str) -> str:
    """Table names are identifiers and cannot be bound: only the warehouse's own tables
    may be named in a statement (values are always bound)."""
    if table not in warehouse_tables():
        raise ValueError(f"not a warehouse table: {table}")
    return table


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    target = known_table(table)
    if flag_intervals.is_view(target):  # stored as stretches of runs, run by run
        flag_intervals.write_runs(con, frame)
        return
    if history.kept_as_changes(target):
        # every column, so that rows are matched on all their values
        columns = warehouse_tables()[target][0]
        frame = frame.with_columns(pl.lit(None, dtype).alias(name)
                                   for name, (dtype, _) in columns.items()
                                   if name not in frame.columns).select(list(columns))
    rows = frame.to_arrow()
    statements = (history.insert_statements(target, "_incoming", frame.columns)
                  if history.kept_as_changes(target)
                  else [f"INSERT INTO {target} BY NAME SELECT * FROM _incoming"])  # noqa: S608
    for statement in statements:
        run_reading(con, "_incoming", rows, statement)


def supersede_file(
    con: duckdb.DuckDBPyConnection, kind: str, old_file: str, new_file: str
) -> None:
    """A corrected file replaces an earlier one: its staged rows leave staging (an
    unchanged delivery has none of its own), unless a later delivery repeats them
    (hand_over_rows); its raw rows and audit counts stay (nothing is lost)."""
    hand_over_rows(con, kind, old_file)
    table = known_table(staging_table(kind))
    con.execute(f"DELETE FROM {history.deliveries(table)} WHERE file_name = ?",  # noqa: S608
                [old_file])
    history.drop_unreferenced(con, table)
    con.execute(
        "UPDATE audit.files SET status = 'SUPERSEDED', superseded_by = ? "
        "WHERE file_name = ? AND status IN ?",
        [new_file, old_file, list(DELIVERED_STATUSES)],
    )


def is_loaded(con: duckdb.DuckDBPyConnection, file_name: str | None) -> bool:
    """Whether a file of that name is loaded (its rows staged)."""
    return file_name is not None and bool(con.execute(
        "SELECT count(*) FROM audit.files WHERE file_name = ? AND status = 'LOADED'",
        [file_name]).fetchall()[0][0])


def hand_over_rows(con: duckdb.DuckDBPyConnection, kind: str, old_file: str) -> None:
    """Before a loaded file is superseded, the earliest UNCHANGED delivery repeating it
    (same bytes, later date) takes its rows over and becomes LOADED, as if it had been
    loaded itself: staged rows move to it (with its date), raw and quarantined rows and
    counts are copied; later copies now repeat it. Without this, a correction of an old
    list would empty a later list that happened to have the same content."""
    heirs = con.execute(
        "SELECT h.file_name, h.extraction_date, o.rows_read, o.rows_staged, "
        "o.rows_quarantined, o.run_id, o.sha256, h.run_id FROM audit.files h "
        "JOIN audit.files o ON o.file_name = h.repeats_file_name AND o.status = 'LOADED' "
        "WHERE h.repeats_file_name = ? AND h.status = 'UNCHANGED' "
        "ORDER BY h.extraction_date, h.file_name LIMIT 1", [old_file]).fetchall()
    if not heirs:
        return
    heir, day, read, staged, quarantined, run_id, sha, heir_run_id = heirs[0]
    staging = history.deliveries(known_table(staging_table(kind)))
    raw = history.deliveries(known_table(raw_table(kind)))
    con.execute(f"UPDATE {staging} SET file_name = ?, extraction_date = ? "  # noqa: S608
                "WHERE file_name = ?", [heir, day, old_file])
    con.execute(f"INSERT INTO {raw} SELECT * REPLACE (?::VARCHAR AS file_name) "  # noqa: S608
                f"FROM {raw} WHERE file_name = ? AND file_sha256 = ?", [heir, old_file, sha])
    # under the heir's own run: a file's quarantined rows are those of its record's run
    # (core_quarantined_references.sql joins them on it, DQ-01)
    con.execute("INSERT INTO audit.quarantine SELECT * REPLACE (?::VARCHAR AS file_name, "
                "?::VARCHAR AS run_id) FROM audit.quarantine WHERE file_name = ? AND run_id = ?",
                [heir, heir_run_id, old_file, run_id])
    con.execute(
        "UPDATE audit.files SET status = 'LOADED', repeats_file_name = NULL, rows_read = ?, "
        "rows_staged = ?, rows_quarantined = ?, error = ? "
        "WHERE file_name = ? AND status = 'UNCHANGED'",
        [read, staged, quarantined, f"rows taken over from {old_file}, superseded", heir])
    con.execute("UPDATE audit.files SET repeats_file_name = ? "
                "WHERE repeats_file_name = ? AND status = 'UNCHANGED'", [heir, old_file])


def polars_schema(model: type[pa.DataFrameModel]) -> dict[str, pl.DataType]:
    return {column: dtype for column, (dtype, _) in model_columns(model).items()}


def model_frame(rows: list[dict], model: type[pa.DataFrameModel]) -> pl.DataFrame:
    """Rows as a frame of the model's columns and types, validated against the model."""
    return model.validate(rows_frame(rows, model))


def rows_frame(rows: list[dict], model: type[pa.DataFrameModel]) -> pl.DataFrame:
    """Rows as a frame of the model's columns and types (a column the rows lack is
    empty), not validated yet. Built a column at a time: the worklists hold hundreds of
    thousands of rows nationally, and polars builds a frame from row dicts much
    slower."""
    schema = polars_schema(model)
    return pl.DataFrame([_column(name, dtype, [r.get(name) for r in rows])
                         for name, dtype in schema.items()])


def _column(name: str, dtype: pl.DataType, values: list) -> pl.Series:
    """A column of Python values; a list column from its flattened items and offsets
    (polars would build one Series per row)."""
    if not isinstance(dtype, pl.List):
        return pl.Series(name, values, dtype=dtype)
    offsets = [0, *accumulate(len(v) if v is not None else 0 for v in values)]
    items = pl.Series(list(chain.from_iterable(v for v in values if v)), dtype=dtype.inner)
    lists = pyarrow.LargeListArray.from_arrays(
        pyarrow.array(offsets, pyarrow.int64()), items.to_arrow(),
        mask=pyarrow.array([v is None for v in values], pyarrow.bool_()))
    return pl.Series(name, lists).cast(dtype)


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame,
                  temporary: bool = False) -> None:
    """`table` (a fixed name of the code's, never a value) becomes `frame`."""
    run_reading(con, "_frame", frame.to_arrow(),
                f"CREATE OR REPLACE {'TEMP ' if temporary else ''}TABLE {table} AS "  # noqa: S608
                "SELECT * FROM _frame")


def describe(con: duckdb.DuckDBPyConnection, table: str, comment: str,
             columns: dict[str, str]) -> None:
    """COMMENT the table and its columns (comment_sql)."""
    for statement in comment_sql(table, comment, columns):
        con.execute(statement)


def comment_undescribed_columns(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]
                                ) -> None:
    """Tables rebuilt by CREATE OR REPLACE lose their comments: describe every column
    still without one from the glossary (names are read from the catalog, not typed in)."""
    rows = con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name IN ? "
        "AND (comment IS NULL OR comment = '') ORDER BY ALL", [list(schemas)]).fetchall()
    for schema, table, column in rows:
        description = glossary.COLUMNS.get(column)
        if description:
            con.execute(f'COMMENT ON COLUMN {schema}.{table}."{column}" IS '
                        f"{literal(description)}")
