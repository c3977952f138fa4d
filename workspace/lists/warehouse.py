"""The published warehouse, read-only. Each night is published by switching the pointer
the warehouse path goes through (transforms/publish/publication.py): a connection stays
on the file it opened, so the reader reopens when the path leads to another file, and
pages always read one whole night (the night before is kept until the next one is
published, for the requests still on it). Requests share the opened database through
cursors (one per request).

The file is ATTACHed under a new name each time rather than opened with
`duckdb.connect(path)`: DuckDB keeps one database instance per path and process, and
would hand back the previous night's file after the rename."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import duckdb

from transforms.warehouse.database import WarehouseSettings, attach


class WarehouseUnavailable(RuntimeError):
    """No published warehouse yet, or a maintenance command holds it."""


@dataclass
class _Opened:
    identity: tuple[int, int, int]
    con: duckdb.DuckDBPyConnection
    alias: str


_nights = count(1)


class PublishedWarehouse:
    def __init__(self, path: Path, settings: WarehouseSettings):
        self.path, self.settings = path, settings
        self._lock = threading.Lock()
        self._opened: _Opened | None = None

    def _identity(self) -> tuple[int, int, int]:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise WarehouseUnavailable("no published warehouse") from None
        return stat.st_dev, stat.st_ino, stat.st_mtime_ns

    def _opened_night(self) -> _Opened:
        identity = self._identity()
        with self._lock:
            if self._opened is None or self._opened.identity != identity:
                alias = f"night_{next(_nights)}"
                try:
                    con = attach(duckdb.connect(), self.path, alias, read_only=True,
                                 settings=self.settings)
                except duckdb.Error as err:
                    raise WarehouseUnavailable(type(err).__name__) from None
                # the previous night's connection is left to the requests still using it
                self._opened = _Opened(identity, con, alias)
            return self._opened

    @contextmanager
    def cursor(self):
        night = self._opened_night()
        cur = night.con.cursor()
        try:
            cur.execute(f"USE {night.alias}")
            yield cur
        finally:
            cur.close()


_readers: dict[Path, PublishedWarehouse] = {}
_readers_lock = threading.Lock()


def published(path: Path, settings: WarehouseSettings) -> PublishedWarehouse:
    """One reader per warehouse file and process."""
    with _readers_lock:
        if path not in _readers:
            _readers[path] = PublishedWarehouse(path, settings)
        return _readers[path]
