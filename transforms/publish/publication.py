"""Build aside, publish at once. A run works on a copy of the warehouse and writes its
exports into a hidden folder; nothing published is touched until the commit:

1. the commit point is the journal (`<warehouse>.publish.json`), written atomically;
2. then the working warehouse replaces the published one (one rename) and each
   department folder of the exports is swapped into place (one rename each);
3. then the journal is removed.

A run killed before the journal leaves the published state as it was (its working files
are discarded by the next run); killed after it, the next run finishes the renames before
anything else (roll forward). Only one run at a time may do this: see `RunLock`."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from transforms.publish.export import EXPORT_FOLDER_MODE, publish_tree, restrict_exports
from transforms.warehouse.database import (
    SPILL_FOLDER,
    UNENCRYPTED,
    WarehouseSettings,
    clear_stale_spill,
    connect,
    restrict_to_owner,
    wal_path,
)

INCOMING_PREFIX = ".incoming-"


class RunLocked(RuntimeError):
    """Another run holds the warehouse."""


@dataclass(frozen=True)
class Workspace:
    """Where a run reads, builds and publishes."""

    warehouse: Path
    exports: Path

    def sibling(self, suffix: str) -> Path:
        return self.warehouse.with_name(self.warehouse.name + suffix)

    @property
    def working_warehouse(self) -> Path:
        return self.sibling(".next")

    @property
    def journal(self) -> Path:
        return self.sibling(".publish.json")

    @property
    def lock_file(self) -> Path:
        return self.sibling(".lock")

    def built_exports(self, run_id: str) -> Path:
        return self.exports / f"{INCOMING_PREFIX}{run_id}"


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


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def recover(workspace: Workspace) -> bool:
    """Finish a publication a killed run had committed to (True when there was one)."""
    if not workspace.journal.exists():
        return False
    journal = json.loads(workspace.journal.read_text(encoding="utf-8"))
    _apply(workspace, Path(journal["working_warehouse"]), Path(journal["built_exports"]))
    workspace.journal.unlink()
    return True


def _no_stage(stage: str) -> None:
    """Default observer of the commit's stages (the flow uses it to inject faults)."""


def _apply(workspace: Workspace, working: Path, built: Path,
           stage: Callable[[str], None] = _no_stage) -> None:
    """The renames of a publication; each step can be repeated after a kill."""
    if working.exists():
        os.replace(working, workspace.warehouse)
        _sync_folder(workspace.warehouse.parent)
    stage("warehouse-swapped")
    if built.exists():
        publish_tree(built, workspace.exports)


def prepare(workspace: Workspace, settings: WarehouseSettings = UNENCRYPTED) -> None:
    """Start a run: finish or discard what a killed run left (its spilled pages too), then
    copy the published warehouse (checkpointed, so the copy is whole) as the working one."""
    recover(workspace)
    _drop_working_warehouse(workspace)
    clear_stale_spill(workspace.warehouse.parent / SPILL_FOLDER)
    working = workspace.working_warehouse
    if workspace.exports.exists():
        for folder in workspace.exports.glob(f"{INCOMING_PREFIX}*"):
            shutil.rmtree(folder)
    # Owner and group only from the start: what the run writes inside is never reachable
    # by others, even before the commit gives each file its mode.
    workspace.exports.mkdir(mode=EXPORT_FOLDER_MODE, parents=True, exist_ok=True)
    restrict_exports(workspace.exports, settings.exports_group)
    workspace.warehouse.parent.mkdir(parents=True, exist_ok=True)
    if workspace.warehouse.exists():
        # Only a writer killed mid-way leaves a log; otherwise readers may keep the
        # published file open while the run copies it.
        if wal_path(workspace.warehouse).exists():
            _checkpoint(workspace.warehouse, settings)
        shutil.copyfile(workspace.warehouse, working)
        restrict_to_owner(working)


def commit(workspace: Workspace, run_id: str, stage: Callable[[str], None] = _no_stage,
           settings: WarehouseSettings = UNENCRYPTED) -> None:
    """Publish the run's warehouse and exports (the journal is the commit point);
    `settings`: how the warehouse files are opened."""
    working, built = workspace.working_warehouse, workspace.built_exports(run_id)
    if not workspace.journal.exists():  # not yet committed (a retry may find it done)
        if not working.exists():
            raise FileNotFoundError(f"no working warehouse to publish: {working}")
        _checkpoint(working, settings)
        if built.exists():
            restrict_exports(built, settings.exports_group)
        _write_atomically(workspace.journal, json.dumps(
            {"run_id": run_id, "working_warehouse": str(working),
             "built_exports": str(built)}))
        stage("committed")
    _apply(workspace, working, built, stage)
    workspace.journal.unlink()


def _checkpoint(path: Path, settings: WarehouseSettings) -> None:
    """Fold the write-ahead log into the file, so that the file alone is the database."""
    with connect(path, settings=settings) as con:
        con.execute("CHECKPOINT")


def discard(workspace: Workspace, run_id: str) -> None:
    """Drop what a failed run built; the published state stays as it was. A run that
    failed after its commit point is left to be finished by the next (roll forward)."""
    if workspace.journal.exists():
        return
    _drop_working_warehouse(workspace)
    shutil.rmtree(workspace.built_exports(run_id), ignore_errors=True)


def _drop_working_warehouse(workspace: Workspace) -> None:
    working = workspace.working_warehouse
    for leftover in (working, wal_path(working)):
        leftover.unlink(missing_ok=True)
