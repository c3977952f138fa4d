"""The DuckDB warehouse's connections: a warehouse file opened with its settings
(encryption, memory, a private spill folder), scratch databases for Splink, transactions,
and the SQL files of the stages (read_sql). Its tables are in transforms.warehouse.tables."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import count
from pathlib import Path

import duckdb
import pyarrow as pa


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


@dataclass(frozen=True)
class WarehouseSettings:
    """How warehouse files are opened, chosen once by the command (flows/settings.py) and
    passed to every connection. `key`: encrypt with this key (None: unencrypted, owner-only
    file permissions); `unsafe_crypto_for_tests` lets DuckDB write with its built-in
    library, which its authors do not call secure: for tests only. `memory_limit`: cap of
    each warehouse's DuckDB, its scratch databases for Splink included ("6GB"; None:
    DuckDB's default, 80 % of the machine); beyond it, DuckDB spills to the private spill
    folder. `exports_group`: the group that may read the published exports (files 640,
    folders 750; None: the owner's group)."""

    key: str | None = field(default=None, repr=False)
    unsafe_crypto_for_tests: bool = False
    memory_limit: str | None = None
    exports_group: str | None = None


UNENCRYPTED = WarehouseSettings()
# Beside the warehouse, owner-only: what DuckDB writes when a step does not fit in memory.
SPILL_FOLDER = ".spill"


def check_encryption(settings: WarehouseSettings) -> None:
    """Fail early, in one line, when a key is set that this machine cannot honour."""
    if settings.key is not None:
        _open_crypto(duckdb.connect(), settings).close()


def _open_crypto(con: duckdb.DuckDBPyConnection, settings: WarehouseSettings
                 ) -> duckdb.DuckDBPyConnection:
    try:
        if settings.unsafe_crypto_for_tests:
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


def connect(path: Path | str, read_only: bool = False,
            settings: WarehouseSettings = UNENCRYPTED) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the warehouse file: encrypted when the
    settings hold a key, and readable by its owner only (it holds personal data)."""
    if str(path) == ":memory:":
        return duckdb.connect(":memory:")
    if settings.key is None:
        con = duckdb.connect(str(path), read_only=read_only)
    else:
        con = attach(duckdb.connect(), path, "warehouse", read_only, settings)
        con.execute("USE warehouse")
    restrict_to_owner(Path(path))
    return _spill_privately(con, spill_directory(Path(path)), settings)


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `table` (schema.name) is a table of the connection's current database."""
    schema, name = table.split(".")
    return con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = ? AND table_name = ?", [schema, name]).fetchall()[0][0] > 0


def attach(con: duckdb.DuckDBPyConnection, path: Path | str, alias: str,
           read_only: bool = False,
           settings: WarehouseSettings = UNENCRYPTED) -> duckdb.DuckDBPyConnection:
    """Attach a warehouse file to `con` as `alias`, with the settings' key when they hold
    one (to compare two warehouses, for instance)."""
    options = ["READ_ONLY"] if read_only else []
    if settings.key is not None:
        _open_crypto(con, settings)
        options.insert(0, f"ENCRYPTION_KEY {literal(settings.key)}")
    con.execute(f"ATTACH {literal(str(path))} AS {_identifier(alias)}"
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


def _spill_privately(con: duckdb.DuckDBPyConnection, folder: Path,
                     settings: WarehouseSettings) -> duckdb.DuckDBPyConnection:
    con.execute(f"SET temp_directory = {literal(str(folder))}")
    # Memory DuckDB frees goes back to the system within seconds: without the allocator's
    # background threads it is kept for reuse as long as the connection is open, and the
    # night's stays open all night (the national peak fell by 0.1-0.2 GB with it:
    # benchmarks/README.md, national nights).
    con.execute("SET allocator_background_threads = true")
    if settings.key is not None:  # spilled pages encrypted like the file
        con.execute("SET temp_file_encryption = true")
    if settings.memory_limit is not None:
        con.execute(f"SET memory_limit = {literal(settings.memory_limit)}")
        # As given: DuckDB reads the limit back rounded (release_cache sets it again).
        con.execute(f"SET VARIABLE {LIMIT_VARIABLE} = {literal(settings.memory_limit)}")
    return con


# What DuckDB's cache is brought down to by `release_cache`: enough for the pages it keeps
# pinned between statements.
RELEASED_CACHE = "64MB"
# The connection's variable holding the memory limit the settings gave (connect).
LIMIT_VARIABLE = "reconcile_memory_limit"


def release_cache(con: duckdb.DuckDBPyConnection) -> None:
    """Hand back to the system the pages DuckDB keeps cached from earlier statements: its
    limit lowered for a moment (DuckDB evicts down to it, spilling pages not yet
    written), then set back. The night's connection stays open all night (its one
    transaction): without this its cache, up to the memory limit, would sit beside the
    rules' forked processes and Splink's model. Where DuckDB cannot go that low (pages
    in use), it evicts what it can and refuses the rest: the limits are set from a
    cursor of the connection, whose refusal ends the cursor's own transaction, never the
    night's."""
    limit = con.sql(f"SELECT getvariable({literal(LIMIT_VARIABLE)})").fetchall()[0][0]
    with con.cursor() as cursor:
        try:
            cursor.execute(f"SET memory_limit = {literal(RELEASED_CACHE)}")
        except duckdb.OutOfMemoryException:
            return  # evicted down to what is in use; the limit was left as it was
        # The settings' limit, or DuckDB's default (80 % of the machine's memory).
        cursor.execute("RESET memory_limit" if limit is None
                       else f"SET memory_limit = {literal(limit)}")


def run_reading(con: duckdb.DuckDBPyConnection, name: str, rows: pa.Table,
                statement: str) -> duckdb.DuckDBPyRelation | None:
    """Run one statement that reads `rows` under `name` (a name of the statement's own,
    gone after it). Not `con.register`: inside a transaction, a registered table, even
    once unregistered, is kept alive until the commit (its dropped view is kept for a
    rollback), and the night writes in one transaction: nationally every frame the night
    wrote stayed in memory to the end, about 4 GB (benchmarks/README.md, national
    nights). A statement that writes runs at the call."""
    return con.from_arrow(rows).query(name, statement)


@contextmanager
def scratch_connection(like: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for Splink, which writes its own tables into the connection it is
    given: a cursor of the warehouse's DuckDB whose default database is an in-memory one
    of its own, detached (freed) at the end. It shares the warehouse's memory limit (so
    the memory limit caps DuckDB as a whole, not each connection) and spill folder; when
    the warehouse is encrypted (its spilled pages are, connect), the scratch database is
    encrypted with a key of its own that lives only as long as it."""
    con = like.cursor()
    home, encrypted = con.sql("SELECT current_database(), "
                              "current_setting('temp_file_encryption')").fetchall()[0]
    name = f"scratch_{next(_SCRATCH)}"
    key = f" (ENCRYPTION_KEY {literal(secrets.token_hex(32))})" if encrypted else ""
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
    exception or interruption. Inside a transaction already open on `con` (the night's,
    which holds every write of a night to the history warehouse: flows/pipeline.py), it
    opens none: its writes are the outer one's, committed or rolled back with them (an
    exception goes on to the outer block, which rolls everything back)."""
    if id(con) in _OPEN:
        yield
        return
    con.execute("BEGIN TRANSACTION")
    _OPEN.add(id(con))
    try:
        yield
        with committing():
            con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _OPEN.discard(id(con))


# The connections with a transaction opened by `transaction` (DuckDB's connections take
# no weak references; an id is dropped when its transaction ends, before the connection).
_OPEN: set[int] = set()


def wal_path(path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file (present until a checkpoint)."""
    return path.with_name(path.name + ".wal")


def restrict_to_owner(path: Path) -> None:
    for file in (path, wal_path(path)):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


def literal(text: str) -> str:
    # Comments are the project's own constants (docstrings, field descriptions).
    return "'" + text.replace("'", "''") + "'"
