"""The night's one connection to the history warehouse (transforms/publish/publication.py).

Every write of a night to the history warehouse is in one DuckDB transaction, so that a
failed or killed night leaves the history as the last committed night left it. A
transaction belongs to a connection: the night opens one (`night_transaction`) and every
task reaches it through `warehouse_connection`, by the warehouse's path (a task's
parameters stay paths: a connection is neither hashed nor persisted by Prefect). The
tasks run one after the other in the flow's thread; the rules' tasks and the list
writers that run beside them never touch the connection. Outside a night (a test, a
command), `warehouse_connection` opens the file for the block, as before."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from flows.settings import warehouse_settings
from transforms.warehouse import database as warehouse

if TYPE_CHECKING:
    from transforms.publish.publication import Workspace

_NIGHTS: dict[Path, duckdb.DuckDBPyConnection] = {}


def open_warehouse(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A warehouse file opened with the command's settings (key, memory limit), read
    where the task runs: a key never travels as a task's parameter."""
    return warehouse.connect(path, read_only, warehouse_settings())


@contextmanager
def night_transaction(path: Path,
                      committing: Callable[[], AbstractContextManager] = nullcontext
                      ) -> Iterator[duckdb.DuckDBPyConnection]:
    """The night's connection to `path`, in one transaction: committed at the block's end
    (inside `committing`, to time it), rolled back on any exception; closed after."""
    key = path.absolute()
    if key in _NIGHTS:
        raise RuntimeError(f"a night is already open on {path}")
    con = open_warehouse(path)
    _NIGHTS[key] = con
    try:
        with warehouse.transaction(con, committing):
            yield con
    finally:
        del _NIGHTS[key]
        con.close()


@contextmanager
def warehouse_connection(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The night's connection when a night is open on `path`, else one of the block's."""
    shared = _NIGHTS.get(path.absolute())
    if shared is not None:
        yield shared
        return
    with open_warehouse(path) as con:
        yield con


def last_published_date(workspace: Workspace) -> date | None:
    """The date of the night published last (the latest to end well), read in the history
    warehouse, else in the warehouse of an earlier layout (one file, or a published night
    holding everything) that this run will adopt; None before the first night."""
    for path in (workspace.history, workspace.warehouse):
        if not path.exists():
            continue
        try:
            with open_warehouse(path, read_only=True) as con:
                if not warehouse.table_exists(con, "audit.runs"):
                    return None
                found = con.execute("SELECT as_of_date FROM audit.runs WHERE status = "
                                    "'SUCCEEDED' ORDER BY finished_at DESC LIMIT 1").fetchone()
        except duckdb.Error:  # not a warehouse: the night says why, in its own line
            return None
        return found[0] if found else None
    return None
