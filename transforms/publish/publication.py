"""Build aside, publish at once, by switching one pointer.

Everything readers see of a night (the warehouse, every department folder, the national
pages) lives in one folder of its own, a *night*, under `.<warehouse>.nights/` beside the
warehouse. The paths readers use are symbolic links through one pointer:

    <warehouse>  ->  .<warehouse>.published/warehouse.duckdb
    <exports>    ->  (relative path to) .<warehouse>.published/exports
    .<warehouse>.published  ->  .<warehouse>.nights/<night>      (the pointer)

A run builds its night aside (a copy of the published warehouse, then its exports), then
publishes it with one rename of a new pointer over the old one: a reader opening a path
before that rename gets the previous night, after it this one, never a mixture (a
reader who needs several files of one night resolves the pointer once: `published_night`).
A run killed at any moment leaves the published night as it was, or the new one whole;
the next run drops the nights no pointer names, but for the one published just before
the current one, kept one more night for the readers still on it.

A warehouse and exports published by an earlier version (a file and a folder) are
adopted as the first night on the next run. Only one run at a time may do this: see
`RunLock`."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from transforms.publish.export import EXPORT_FOLDER_MODE, restrict_exports
from transforms.warehouse.database import (
    SPILL_FOLDER,
    UNENCRYPTED,
    WarehouseSettings,
    clear_stale_spill,
    connect,
    restrict_to_owner,
    wal_path,
)

WAREHOUSE_NAME = "warehouse.duckdb"
EXPORTS_NAME = "exports"
BUILDING = ".building"  # in a night's folder until it is whole
STAGED_LINK = ".link"  # a link made aside, renamed over its path


class RunLocked(RuntimeError):
    """Another run holds the warehouse."""


@dataclass(frozen=True)
class Workspace:
    """Where a run reads, builds and publishes."""

    warehouse: Path
    exports: Path

    def sibling(self, suffix: str) -> Path:
        return self.warehouse.with_name(f".{self.warehouse.name}{suffix}")

    @property
    def nights(self) -> Path:
        return self.sibling(".nights")

    @property
    def pointer(self) -> Path:
        return self.sibling(".published")

    @property
    def previous(self) -> Path:
        """The night published before the current one (kept for the readers still on it)."""
        return self.sibling(".previous")

    @property
    def lock_file(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")


def working_warehouse(night: Path) -> Path:
    return night / WAREHOUSE_NAME


def built_exports(night: Path) -> Path:
    return night / EXPORTS_NAME


class RunLock:
    """An exclusive lock on the warehouse for one run (released by the OS if the process
    dies, so a killed run never blocks the next one)."""

    def __init__(self, workspace: Workspace):
        self.path = workspace.lock_file
        self.handle = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise RunLocked(f"another run is using {self.path.with_suffix('')} "
                            f"({holder}); wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, since {datetime.now():%Y-%m-%d %H:%M:%S}")
        handle.flush()
        self.handle = handle
        return self

    def __exit__(self, *exc) -> None:
        if self.handle is not None:
            self.handle.seek(0)
            self.handle.truncate()
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _link(path: Path, target: str | Path) -> None:
    """Make `path` a symbolic link to `target`, in one rename over what was there."""
    staged = path.with_name(f".{path.name.lstrip('.')}.{os.getpid()}{STAGED_LINK}")
    staged.unlink(missing_ok=True)
    os.symlink(target, staged)
    os.replace(staged, path)
    _sync_folder(path.parent)


def published_night(workspace: Workspace, pointer: Path | None = None) -> Path | None:
    """The folder of the published night, resolved once (None before the first night);
    `pointer`: another pointer (workspace.previous)."""
    pointer = pointer or workspace.pointer
    if not pointer.is_symlink():
        return None
    return workspace.nights / os.readlink(pointer).rpartition("/")[2]


def _no_stage(stage: str) -> None:
    """Default observer of the publication's steps (the flow uses it to inject faults)."""


def _link_readers(workspace: Workspace) -> None:
    """The paths readers use, through the pointer (made once; a run repeats it harmlessly)."""
    pointer = workspace.pointer.name
    if not workspace.warehouse.is_symlink():
        _link(workspace.warehouse, f"{pointer}/{WAREHOUSE_NAME}")
    if not workspace.exports.is_symlink():
        if workspace.exports.exists() and not workspace.exports.is_dir():
            raise NotADirectoryError(f"exports {workspace.exports} is a file, not a folder")
        if workspace.exports.is_dir():
            workspace.exports.rmdir()  # empty: a non-empty one was adopted
        workspace.exports.parent.mkdir(parents=True, exist_ok=True)
        # relative, so that the whole state can be moved or copied as it is
        _link(workspace.exports, os.path.relpath(workspace.pointer.absolute() / EXPORTS_NAME,
                                                 workspace.exports.parent.absolute()))


def _adopt(workspace: Workspace, settings: WarehouseSettings) -> None:
    """A warehouse file and exports folder published by an earlier version become the
    first night (each step can be repeated after a kill)."""
    legacy_warehouse = workspace.warehouse.is_file() and not workspace.warehouse.is_symlink()
    legacy_exports = (workspace.exports.is_dir() and not workspace.exports.is_symlink()
                      and any(workspace.exports.iterdir()))
    if not (legacy_warehouse or legacy_exports):
        return
    night = workspace.nights / "adopted"
    night.mkdir(parents=True, exist_ok=True)
    if legacy_warehouse:
        if wal_path(workspace.warehouse).exists():
            _checkpoint(workspace.warehouse, settings)
        os.replace(workspace.warehouse, working_warehouse(night))
    if legacy_exports:
        shutil.move(workspace.exports, built_exports(night))
    _link(workspace.pointer, f"{workspace.nights.name}/{night.name}")
    _link_readers(workspace)


def prepare(workspace: Workspace, settings: WarehouseSettings = UNENCRYPTED) -> Path:
    """Start a run: drop what killed runs left (unpublished nights, spilled pages), then
    make this run's night, holding a copy of the published warehouse (checkpointed, so the
    copy is whole). Returns the night's folder."""
    workspace.warehouse.parent.mkdir(parents=True, exist_ok=True)
    # the nights hold the exports: owner and group only, as the exports' own folders
    workspace.nights.mkdir(mode=EXPORT_FOLDER_MODE, exist_ok=True)
    workspace.nights.chmod(EXPORT_FOLDER_MODE)
    _adopt(workspace, settings)
    drop_old_nights(workspace)
    clear_stale_spill(workspace.warehouse.parent / SPILL_FOLDER)
    night = workspace.nights / f"{datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
    night.mkdir(parents=True)
    (night / BUILDING).touch()
    published = published_night(workspace)
    if published is not None and working_warehouse(published).exists():
        # Only a writer killed mid-way leaves a log; otherwise readers may keep the
        # published file open while the run copies it.
        if wal_path(workspace.warehouse).exists() or wal_path(
                working_warehouse(published)).exists():
            _checkpoint(workspace.warehouse, settings)
        shutil.copyfile(working_warehouse(published), working_warehouse(night))
        restrict_to_owner(working_warehouse(night))
    # Owner and group only from the start: what the run writes inside is never reachable
    # by others, even before the commit gives each file its mode.
    built_exports(night).mkdir(mode=EXPORT_FOLDER_MODE)
    restrict_exports(built_exports(night), settings.exports_group)
    return night


def drop_old_nights(workspace: Workspace) -> list[str]:
    """Delete every night but the published one and the one published before it (readers
    may still be on it); returns the names of the unfinished nights dropped."""
    for folder in {workspace.warehouse.parent, workspace.exports.parent}:
        for staged in folder.glob(f".*{STAGED_LINK}"):
            if staged.is_symlink():
                staged.unlink()
    if not workspace.nights.is_dir():
        return []
    keep = {published_night(workspace), published_night(workspace, workspace.previous)}
    unfinished = []
    for night in sorted(workspace.nights.iterdir()):
        if night not in keep:
            if (night / BUILDING).exists():
                unfinished.append(night.name)
            shutil.rmtree(night)
    return unfinished


def commit(workspace: Workspace, night: Path, stage: Callable[[str], None] = _no_stage,
           settings: WarehouseSettings = UNENCRYPTED) -> None:
    """Publish the night: its warehouse checkpointed (the file alone is the database), the
    night marked whole, then the pointer switched in one rename (the commit point)."""
    if published_night(workspace) == night:  # a retry may find it done
        return
    if not working_warehouse(night).exists():
        raise FileNotFoundError(f"no working warehouse to publish: {night}")
    _checkpoint(working_warehouse(night), settings)
    restrict_exports(built_exports(night), settings.exports_group)
    (night / BUILDING).unlink(missing_ok=True)
    _sync_folder(night)
    stage("night-whole")
    if workspace.pointer.is_symlink():
        _link(workspace.previous, os.readlink(workspace.pointer))
    _link(workspace.pointer, f"{workspace.nights.name}/{night.name}")
    stage("published")
    _link_readers(workspace)
    drop_old_nights(workspace)


def _checkpoint(path: Path, settings: WarehouseSettings) -> None:
    """Fold the write-ahead log into the file, so that the file alone is the database."""
    with connect(path, settings=settings) as con:
        con.execute("CHECKPOINT")


def discard(workspace: Workspace, night: Path) -> None:
    """Drop what a failed run built; the published state stays as it was (a night already
    published is kept)."""
    if published_night(workspace) != night:
        shutil.rmtree(night, ignore_errors=True)
