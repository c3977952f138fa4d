"""The DuckDB warehouse: tables built from the Pandera contracts, frames written through
Arrow, and the audit writes the ingest step needs (what it has registered is read where the
inbox is planned, transforms.ingest.inbox)."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import accumulate, chain, count
from pathlib import Path

import duckdb
import pandera.polars as pa
import polars as pl
import pyarrow

from schemas import glossary
from schemas.codes import DELIVERED_STATUSES
from schemas.published import AUDIT_TABLES, CORE_TABLES, WORKLIST_TABLES
from schemas.sources import SOURCE_MODELS
from schemas.staging import STAGED_MODELS, STAGING_TABLES

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


@cache
def _sql_files() -> dict[str, Traversable]:
    """Each stage keeps its SQL in its own folder (transforms/<stage>/), one file per table
    it builds: a file is found by its name, which no other stage's file may take."""
    found: dict[str, Traversable] = {}
    folders = [resources.files("transforms")]
    while folders:
        for entry in folders.pop().iterdir():
            if entry.is_dir():
                folders.append(entry)
            elif entry.name.endswith(".sql"):
                if entry.name in found:
                    raise ValueError(f"two SQL files are named {entry.name}")
                found[entry.name] = entry
    return found


def read_sql(name: str) -> str:
    return _sql_files()[name].read_text(encoding="utf-8")


class EncryptionUnavailable(RuntimeError):
    """A warehouse key is configured but DuckDB cannot write encrypted files here."""


_ENCRYPTION = {"key": None, "unsafe_crypto_for_tests": False}
_MEMORY = {"limit": None}
# Beside the warehouse, owner-only: what DuckDB writes when a step does not fit in memory.
SPILL_FOLDER = ".spill"


def use_encryption(key: str | None, unsafe_crypto_for_tests: bool = False) -> None:
    """Open every warehouse file with this key from now on (None: unencrypted). Set once
    by the command from its settings; `unsafe_crypto_for_tests` lets DuckDB write with its
    built-in library, which its authors do not call secure: for tests only."""
    _ENCRYPTION.update(key=key, unsafe_crypto_for_tests=unsafe_crypto_for_tests)


def use_memory_limit(limit: str | None) -> None:
    """Cap the memory of each warehouse opened from now on, its scratch databases for
    Splink included ("6GB"; None: DuckDB's default, 80 % of the machine). Beyond it,
    DuckDB spills to the private spill folder."""
    _MEMORY.update(limit=limit)


def check_encryption() -> None:
    """Fail early, in one line, when a key is set that this machine cannot honour."""
    if _ENCRYPTION["key"] is not None:
        _open_crypto(duckdb.connect()).close()


def _open_crypto(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    try:
        if _ENCRYPTION["unsafe_crypto_for_tests"]:
            con.execute("SET force_mbedtls_unsafe = 'true'")
        else:
            con.execute("LOAD httpfs")
    except duckdb.Error:
        con.close()
        raise EncryptionUnavailable(
            "a warehouse key is set but DuckDB's crypto extension (httpfs) is not "
            "installed on this machine: install it, or unset the key and rely on file "
            "permissions and disk encryption (README, 'Data at rest')") from None
    return con


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the warehouse file: encrypted when a key is
    set, and readable by its owner only (it holds personal data)."""
    if str(path) == ":memory:":
        return duckdb.connect(":memory:")
    if _ENCRYPTION["key"] is None:
        con = duckdb.connect(str(path), read_only=read_only)
    else:
        con = attach(duckdb.connect(), path, "warehouse", read_only)
        con.execute("USE warehouse")
    restrict_to_owner(Path(path))
    return _spill_privately(con, spill_directory(Path(path)))


def attach(con: duckdb.DuckDBPyConnection, path: Path | str, alias: str,
           read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Attach a warehouse file to `con` as `alias`, with the key when one is set (to
    compare two warehouses, for instance)."""
    options = ["READ_ONLY"] if read_only else []
    if _ENCRYPTION["key"] is not None:
        _open_crypto(con)
        options.insert(0, f"ENCRYPTION_KEY {_literal(_ENCRYPTION['key'])}")
    con.execute(f"ATTACH {_literal(str(path))} AS {_identifier(alias)}"
                + (f" ({', '.join(options)})" if options else ""))
    return con


def spill_directory(path: Path) -> Path:
    """The folder where the connections of a warehouse file spill: beside it, readable by
    its owner only (spilled pages hold names). DuckDB's default would be `.tmp` under the
    working directory for an encrypted warehouse, world-readable and in clear."""
    folder = path.parent / SPILL_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    return folder


def clear_stale_spill(folder: Path) -> int:
    """Delete what DuckDB spilled for processes no longer running (a killed run leaves its
    pages: names); DuckDB names each file after its process. Returns the files deleted."""
    deleted = 0
    for file in folder.glob("duckdb_temp_*") if folder.is_dir() else ():
        owner = _SPILL_OWNER.match(file.name)
        if owner and not _running(int(owner.group(1))):
            file.unlink(missing_ok=True)
            deleted += 1
    return deleted


_SPILL_OWNER = re.compile(r"duckdb_temp_(\d+)_")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _spill_privately(con: duckdb.DuckDBPyConnection, folder: Path
                     ) -> duckdb.DuckDBPyConnection:
    con.execute(f"SET temp_directory = {_literal(str(folder))}")
    if _ENCRYPTION["key"] is not None:  # spilled pages encrypted like the file
        con.execute("SET temp_file_encryption = true")
    if _MEMORY["limit"] is not None:
        con.execute(f"SET memory_limit = {_literal(_MEMORY['limit'])}")
    return con


@contextmanager
def scratch_connection(like: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for Splink, which writes its own tables into the connection it is
    given: a cursor of the warehouse's DuckDB whose default database is an in-memory one
    of its own, detached (freed) at the end. It shares the warehouse's memory limit (so
    RECONCILE_MEMORY_LIMIT caps DuckDB as a whole, not each connection) and spill folder;
    when the warehouse is encrypted, the scratch database is encrypted with a key of its
    own that lives only as long as it."""
    con = like.cursor()
    home = con.sql("SELECT current_database()").fetchall()[0][0]
    name = f"scratch_{next(_SCRATCH)}"
    key = (f" (ENCRYPTION_KEY {_literal(secrets.token_hex(32))})"
           if _ENCRYPTION["key"] is not None else "")
    try:
        con.execute(f"ATTACH ':memory:' AS {name}{key}")
        con.execute(f"USE {name}")
        yield con
    finally:
        con.execute(f"USE {_identifier(home)}")
        con.execute(f"DETACH DATABASE IF EXISTS {name}")
        con.close()


_SCRATCH = count(1)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection,
                committing: Callable[[], AbstractContextManager] = nullcontext
                ) -> Iterator[None]:
    """All of the block's writes or none: committed at its end (inside `committing`, to
    time it: DuckDB writes a large transaction to the file there), rolled back on any
    exception or interruption."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        with committing():
            con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def wal_path(path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file (present until a checkpoint)."""
    return path.with_name(path.name + ".wal")


def restrict_to_owner(path: Path) -> None:
    for file in (path, wal_path(path)):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


def duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.List):
        return f"{duckdb_type(dtype.inner)}[]"
    base = dtype.base_type() if hasattr(dtype, "base_type") else dtype
    return _DUCKDB_TYPES[base]


def _literal(text: str) -> str:
    # Comments are the project's own constants (docstrings, field descriptions).
    return "'" + text.replace("'", "''") + "'"


def model_columns(model: type[pa.DataFrameModel]) -> dict[str, tuple[pl.DataType, str | None]]:
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
    statements = [f"COMMENT ON TABLE {table} IS {_literal(comment)}"] if comment else []
    return statements + [f'COMMENT ON COLUMN {table}."{name}" IS {_literal(description)}'
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
    """Create every layer and table that does not exist yet (idempotent)."""
    con.execute(read_sql("schemas.sql"))
    for table, (columns, comment) in warehouse_tables().items():
        for statement in create_table_sql(table, columns, comment):
            con.execute(statement)


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
    con.register("_incoming", frame.to_arrow())
    try:
        con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM _incoming")  # noqa: S608
    finally:
        con.unregister("_incoming")


def supersede_file(
    con: duckdb.DuckDBPyConnection, kind: str, old_file: str, new_file: str
) -> None:
    """A corrected file replaces an earlier one: its staged rows leave staging (an
    unchanged delivery has none of its own), unless a later delivery repeats them
    (hand_over_rows); its raw rows and audit counts stay (nothing is lost)."""
    hand_over_rows(con, kind, old_file)
    table = known_table(staging_table(kind))
    con.execute(f"DELETE FROM {table} WHERE file_name = ?", [old_file])  # noqa: S608
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
        "o.rows_quarantined, o.run_id, o.sha256 FROM audit.files h "
        "JOIN audit.files o ON o.file_name = h.repeats_file_name AND o.status = 'LOADED' "
        "WHERE h.repeats_file_name = ? AND h.status = 'UNCHANGED' "
        "ORDER BY h.extraction_date, h.file_name LIMIT 1", [old_file]).fetchall()
    if not heirs:
        return
    heir, day, read, staged, quarantined, run_id, sha = heirs[0]
    staging, raw = known_table(staging_table(kind)), known_table(raw_table(kind))
    con.execute(f"UPDATE {staging} SET file_name = ?, extraction_date = ? "  # noqa: S608
                "WHERE file_name = ?", [heir, day, old_file])
    con.execute(f"INSERT INTO {raw} SELECT * REPLACE (?::VARCHAR AS file_name) "  # noqa: S608
                f"FROM {raw} WHERE file_name = ? AND file_sha256 = ?", [heir, old_file, sha])
    con.execute("INSERT INTO audit.quarantine SELECT * REPLACE (?::VARCHAR AS file_name) "
                "FROM audit.quarantine WHERE file_name = ? AND run_id = ?",
                [heir, old_file, run_id])
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
    thousands of rows nationally, and polars builds a frame from row dicts ten times
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
    con.register("_frame", frame.to_arrow())
    try:
        con.execute(f"CREATE OR REPLACE {'TEMP ' if temporary else ''}TABLE {table} AS "  # noqa: S608
                    "SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


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
                        f"{_literal(description)}")
