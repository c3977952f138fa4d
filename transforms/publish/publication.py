"""Write the history in place, build the readers' warehouse aside, publish at once by
switching one pointer.

Two DuckDB files, both with the warehouse's settings (key, owner-only):

- the *history warehouse*, `.<warehouse>.history.duckdb` beside the warehouse: every
  layer with all its history (raw and staged deliveries, the flag history, the decision
  and identity memories, audit). Readers never open it. A night writes it in place, all
  of its writes in one DuckDB transaction (flows/pipeline.py: one connection through the
  night's tasks; transforms.warehouse.database.transaction nests), so a failed or killed
  night leaves it as the last committed night left it: DuckDB is ACID, and a kill before
  the commit leaves a write-ahead log that the next open rolls back.
- the *readers' warehouse*, `warehouse.duckdb` of each night's folder: what analysts, the
  workspace and the dashboards read (transforms.publish.readers), built afresh from the
  history warehouse once the night is committed. It does not grow with the number of
  nights, and nothing copies the history.

Everything readers see of a night (its readers' warehouse, every department folder, the
national pages) lives in one folder of its own, a *night*, under `.<warehouse>.nights/`.
The paths readers use are symbolic links through one pointer:

    <warehouse>  ->  .<warehouse>.published/warehouse.duckdb
    <exports>    ->  (relative path to) .<warehouse>.published/exports
    .<warehouse>.published  ->  .<warehouse>.nights/<night>      (the pointer)

A night: its folder made (`prepare`), its run recorded in it (`record_run`), its writes to
the history warehouse and its exports, the history committed (commit point 1), the
readers' warehouse built (`publish`), then the pointer switched in one rename (`commit`,
commit point 2): a reader opening a path before that rename gets the previous night,
after it this one, never a mixture (a reader who needs several files of one night
resolves the pointer once: `published_night`). Killed before commit point 1, nothing
changed that readers or the next night see. Killed between the two, the history is one
night ahead of what readers see: the next run finds the night's folder (its exports
whole, its run SUCCEEDED in the history) and publishes it before anything else
(`_recover`), then goes on as usual. A failed run rolls the history back, records its
FAILED line there and in the published readers' warehouse, rebuilt aside and swapped in
one rename (`republish`); so do the commands that change the warehouse between nights
(`reconcile purge`, `reconcile link`). The next run drops the nights no pointer names,
but for the one published just before the current one, kept one more night for the
readers still on it.

Earlier layouts are adopted by the next run: a warehouse file and exports folder (before
nights) become the history warehouse and the first night; a published night holding the
whole warehouse (before the history warehouse) is copied once into the history
warehouse. Only one run at a time may do any of this: see `RunLock`."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from transforms.publish.export import EXPORT_FOLDER_MODE, restrict_exports
from transforms.publish.readers import build_readers_warehouse, holds_history
from transforms.warehouse.database import (
    SPILL_FOLDER,
    UNENCRYPTED,
    WarehouseSettings,
    clear_stale_spill,
    connect,
    restrict_to_owner,
    table_exists,
    wal_path,
)

WAREHOUSE_NAME = "warehouse.duckdb"
EXPORTS_NAME = "exports"
BUILDING = ".building"  # in a night's folder until it is whole
RUN = ".run"  # in a night's folder: its run's id, written before its history is committed
STAGED_LINK = ".link"  # a link made aside, renamed over its path
ADOPTED = "adopted"  # the night made of an earlier version's warehouse and exports
REPUBLISHED = ".republished"  # a readers' warehouse built aside, renamed over a night's


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
    def history(self) -> Path:
        """The history warehouse, written in place by each night, never read by readers."""
        return self.sibling(".history.duckdb")

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
    """Earlier layouts, once (each step can be repeated after a kill):
    a warehouse file and exports folder published by a version before nights become the
    history warehouse (renamed) and the first night (its exports moved, its readers'
    warehouse built); a published night whose warehouse is the whole warehouse (a version
    before the history warehouse) is copied once into the history warehouse, readers
    staying on it until the next night is published."""
    legacy_warehouse = workspace.warehouse.is_file() and not workspace.warehouse.is_symlink()
    legacy_exports = (workspace.exports.is_dir() and not workspace.exports.is_symlink()
                      and any(workspace.exports.iterdir()))
    night = workspace.nights / ADOPTED
    if legacy_warehouse or legacy_exports:
        night.mkdir(parents=True, exist_ok=True)
        (night / BUILDING).touch()
        if legacy_warehouse:
            if workspace.history.exists():
                raise FileExistsError(f"both {workspace.warehouse} (an earlier version's "
                                      f"warehouse) and {workspace.history} exist: keep one")
            _checkpoint(workspace.warehouse, settings)
            os.replace(workspace.warehouse, workspace.history)
            _sync_folder(workspace.history.parent)
        if legacy_exports:
            shutil.move(workspace.exports, built_exports(night))
    if night.is_dir() and published_night(workspace) is None:
        built_exports(night).mkdir(mode=EXPORT_FOLDER_MODE, exist_ok=True)
        if workspace.history.exists():
            publish(workspace, night, settings)
            commit(workspace, night, settings=settings)
        else:  # exports without a warehouse: published as they are
            (night / BUILDING).unlink(missing_ok=True)
            _link(workspace.pointer, f"{workspace.nights.name}/{night.name}")
            _link_readers(workspace)
        return
    published = published_night(workspace)
    if (published is not None and not workspace.history.exists()
            and working_warehouse(published).exists()):
        whole = working_warehouse(published)
        if not holds_history(whole, settings):
            raise FileNotFoundError(f"the history warehouse {workspace.history} is missing "
                                    f"(the published warehouse holds the latest night only): "
                                    "restore it from a backup")
        if wal_path(whole).exists():
            _checkpoint(whole, settings)
        copied = workspace.history.with_name(workspace.history.name + ".adopting")
        shutil.copyfile(whole, copied)
        restrict_to_owner(copied)
        os.replace(copied, workspace.history)
        _sync_folder(workspace.history.parent)


def prepare(workspace: Workspace, settings: WarehouseSettings = UNENCRYPTED) -> Path:
    """Start a run: adopt an earlier layout, publish a night whose history was committed
    but not published (a run killed between its two commit points), drop what killed runs
    left (unpublished nights, spilled pages), then make this run's night: an empty folder
    for its exports and, at `publish`, its readers' warehouse (nothing is copied). Returns
    the night's folder."""
    workspace.warehouse.parent.mkdir(parents=True, exist_ok=True)
    # the nights hold the exports: owner and group only, as the exports' own folders
    workspace.nights.mkdir(mode=EXPORT_FOLDER_MODE, exist_ok=True)
    workspace.nights.chmod(EXPORT_FOLDER_MODE)
    _adopt(workspace, settings)
    _recover(workspace, settings)
    drop_old_nights(workspace)
    clear_stale_spill(workspace.warehouse.parent / SPILL_FOLDER)
    night = workspace.nights / f"{datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
    night.mkdir(parents=True)
    (night / BUILDING).touch()
    # Owner and group only from the start: what the run writes inside is never reachable
    # by others, even before the commit gives each file its mode.
    built_exports(night).mkdir(mode=EXPORT_FOLDER_MODE)
    restrict_exports(built_exports(night), settings.exports_group)
    return night


def record_run(night: Path, run_id: str) -> None:
    """Name the night's run in its folder, before its history is committed: a night whose
    run the history holds as SUCCEEDED has its exports whole (`_recover`)."""
    (night / RUN).write_text(run_id, encoding="utf-8")
    _sync_folder(night)


def committed_run(workspace: Workspace, night: Path,
                  settings: WarehouseSettings = UNENCRYPTED) -> bool:
    """Whether the history holds the night's run as SUCCEEDED (its first commit point)."""
    if not (night / RUN).exists() or not workspace.history.exists():
        return False
    run_id = (night / RUN).read_text(encoding="utf-8").strip()
    with connect(workspace.history, read_only=True, settings=settings) as con:
        return table_exists(con, "audit.runs") and bool(
            con.execute("SELECT count(*) FROM audit.runs WHERE run_id = ? "
                        "AND status = 'SUCCEEDED'", [run_id]).fetchall()[0][0])


def unpublished_night(workspace: Workspace,
                      settings: WarehouseSettings = UNENCRYPTED) -> Path | None:
    """The night committed in the history but not published (a run killed between the
    history's commit and the pointer's switch), if any: the latest night with a run,
    newer than the published one, whose run the history holds as SUCCEEDED."""
    published = published_night(workspace)
    nights = sorted(workspace.nights.iterdir()) if workspace.nights.is_dir() else []
    for night in reversed(nights):
        if night == published or not (night / RUN).exists():
            continue
        if published is not None and night.name < published.name:
            return None  # older than what readers see
        return night if committed_run(workspace, night, settings) else None
    return None


def _recover(workspace: Workspace, settings: WarehouseSettings) -> None:
    """Publish a night committed in the history but not published: the readers get it
    whole, as an uninterrupted run would have left them."""
    night = unpublished_night(workspace, settings)
    if night is not None:
        publish(workspace, night, settings)
        commit(workspace, night, settings=settings)


def publish(workspace: Workspace, night: Path,
            settings: WarehouseSettings = UNENCRYPTED) -> None:
    """Build the night's readers' warehouse from the committed history."""
    build_readers_warehouse(workspace.history, working_warehouse(night), settings)
    restrict_to_owner(working_warehouse(night))


def republish(workspace: Workspace, settings: WarehouseSettings = UNENCRYPTED) -> bool:
    """After a change to the history between nights (a failed run's line, a purge, an
    identity decision): the published night's readers' warehouse built again aside and
    renamed over it, in one step (its exports do not change). Returns whether there was
    a published night."""
    night = published_night(workspace)
    if night is None or not workspace.history.exists():
        return False
    aside = night / REPUBLISHED
    build_readers_warehouse(workspace.history, aside, settings)
    restrict_to_owner(aside)
    os.replace(aside, working_warehouse(night))
    _sync_folder(night)
    return True


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
    """Publish the night: its readers' warehouse checkpointed (the file alone is the
    database), the night marked whole, then the pointer switched in one rename (the
    commit point)."""
    if published_night(workspace) == night:  # a retry may find it done
        return
    if not working_warehouse(night).exists():
        raise FileNotFoundError(f"no readers' warehouse to publish: {night}")
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


def discard(workspace: Workspace, night: Path,
            settings: WarehouseSettings = UNENCRYPTED) -> None:
    """Drop what a failed run built; the published state stays as it was. A night already
    published is kept, and so is a night whose history was committed (the next run
    publishes it: `_recover`)."""
    if published_night(workspace) != night and not committed_run(workspace, night, settings):
        shutil.rmtree(night, ignore_errors=True)
