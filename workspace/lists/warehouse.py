"""The published warehouse, read-only. Each night replaces the file in one rename
(transforms/publish/publication.py): a connection stays on the file it opened, so the
reader reopens when the published file is another one, and pages always read one whole
night. Requests share the opened database through cursors (one per request)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from transforms.warehouse.database import WarehouseSettings, connect


class WarehouseUnavailable(RuntimeError):
    """No published warehouse yet, or a maintenance command holds it."""


@dataclass
class _Opened:
    identity: tuple[int, int, int]
    con: duckdb.DuckDBPyConnection


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

    def _connection(self) -> duckdb.DuckDBPyConnection:
        identity = self._identity()
        with self._lock:
            if self._opened is None or self._opened.identity != identity:
                try:
                    con = connect(self.path, read_only=True, settings=self.settings)
                except duckdb.Error as err:
                    raise WarehouseUnavailable(type(err).__name__) from None
                # the previous night's connection is left to the requests still using it
                self._opened = _Opened(identity, con)
            return self._opened.con

    @contextmanager
    def cursor(self):
        cur = self._connection().cursor()
        try:
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
