"""What `reconcile run` checks before any work (issue 35, item 3): a read-only exports
folder found after the whole night and two retries, an inbox one level too high that
loads the next night's files, a run dated forty years ahead: each is refused at once, in
one line naming what to fix."""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

from schemas.codes import DEPARTMENTS, SYSTEMS


class Refused(Exception):
    """A run that cannot start: the message is the one line the operator reads."""


def check_as_of(as_of: date, today: date, simulate: bool) -> None:
    """A night is run on or before its date (a scheduler in another time zone may be a
    day ahead): a date after tomorrow is a typing error unless simulated on purpose."""
    if as_of > today + timedelta(days=1) and not simulate:
        raise Refused(f"--as-of {as_of:%Y-%m-%d} is after tomorrow: give the date of the "
                      "night to run, or add --simulate to run a date ahead on purpose "
                      "(tests, simulations)")


def check_not_before_published(as_of: date, published: date | None) -> None:
    """A night dated before the one the units read now would publish that day's lists
    over tonight's (flags since resolved listed again, protections since granted
    unseen): refused (the command line's --replay publishes it on purpose). What was
    known then is read on a copy (another --warehouse and --exports)."""
    if published is not None and as_of < published:
        raise Refused(f"--as-of {as_of:%Y-%m-%d} is before the night already published "
                      f"({published:%Y-%m-%d}): the units' lists and exports would go back "
                      "to that day; to see what was known then, run it on a copy (another "
                      "--warehouse and --exports), or add --replay to publish it on purpose")


def _subfolders(folder: Path) -> list[str]:
    try:
        return sorted(p.name for p in folder.iterdir() if p.is_dir()
                      and not p.name.startswith("."))
    except OSError:
        return []


def check_inbox(inbox: Path) -> None:
    """The inbox holds a folder per system (docs/contracts.md §1), and only those are
    read: a folder without them (one level too high, one too deep) is refused, naming
    the folder below that has them, or those that have (a data set's inbox/ and
    next_night/: which one is tonight's is not guessed)."""
    if not inbox.exists():
        raise Refused(f"inbox {inbox} does not exist: give the folder that holds "
                      f"{', '.join(f'{s}/' for s in SYSTEMS)}")
    if not inbox.is_dir():
        raise Refused(f"inbox {inbox} is not a folder: give the folder that holds "
                      f"{', '.join(f'{s}/' for s in SYSTEMS)}")
    missing = [s for s in SYSTEMS if not (inbox / s).is_dir()]
    if not missing:
        return
    # a system's folder written in other letters (GENESIS/, Genesis/) is not read: the
    # contract's names are lower case (README audit of 2026-12-07: only "no genesis/")
    cased = [(name, name.lower()) for name in _subfolders(inbox)
             if name.lower() in missing and name != name.lower()]
    below = [name for name in _subfolders(inbox)
             if all((inbox / name / s).is_dir() for s in SYSTEMS)]
    hint = (f"rename {', '.join(f'{n}/ to {lower}/' for n, lower in cased)}" if cased else
            f"give --inbox {inbox / below[0]}" if len(below) == 1 else
            f"give one of the folders below that hold them: {', '.join(below)}" if below
            else f"give the folder that holds {', '.join(f'{s}/' for s in SYSTEMS)}")
    raise Refused(f"inbox {inbox} has no {', '.join(f'{s}/' for s in missing)} "
                  f"folder: {hint}")


def _existing_folder(path: Path) -> Path:
    """The folder a path will be made in: its nearest existing ancestor."""
    folder = path.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def writable(folder: Path) -> bool:
    """Whether this account can make a file there: tried, not guessed from the mode (a
    read-only file system, an access control list, root's rights)."""
    if not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
        return False
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".reconcile-preflight-"):
            return True
    except OSError:
        return False


def check_output(role: str, path: Path, expect_folder: bool) -> None:
    """The warehouse file or the exports folder: of the right kind, and the folder that
    holds it writable (the night is built beside it and published by a link there; an
    exports folder of an earlier version is moved into the night, so it must be
    writable itself)."""
    if expect_folder and path.exists() and not path.is_dir():
        raise Refused(f"exports {path} is a file: give the path of the exports folder")
    if not expect_folder and path.is_dir() and not path.is_symlink():
        raise Refused(f"warehouse {path} is a folder: give the path of the warehouse file")
    holder = _existing_folder(path.parent)
    if not holder.is_dir():
        raise Refused(f"{role} {path}: {holder} is not a folder: give a path in a folder")
    if not writable(holder):
        raise Refused(f"{role} folder {holder} is not writable by this account: give "
                      f"--{role} in a folder it may write to, or change its permissions")
    if expect_folder and path.is_dir() and not path.is_symlink() and not writable(path):
        raise Refused(f"exports folder {path} is not writable by this account: give "
                      "--exports in a folder it may write to, or change its permissions")


# What a night writes in the exports folder: a folder per department holding its lists
# (CSV, XLSX), its dashboard (HTML) and README.txt; the national page (HTML).
EXPORT_SUFFIXES = (".csv", ".xlsx", ".html")


def _made_by_a_night(entry: Path) -> bool:
    """What a night writes, or leaves hidden (a killed run's `.incoming-…` or
    `.<DEPT>.retired` folder of an earlier version, an office program's lock file)."""
    if entry.name.startswith("."):
        return True
    if entry.is_dir() and not entry.is_symlink():
        return entry.name in DEPARTMENTS and all(
            f.name.startswith(".") or (f.is_file() and (f.suffix in EXPORT_SUFFIXES
                                                        or f.name == "README.txt"))
            for f in entry.iterdir())
    return entry.is_file() and entry.suffix == ".html"


def check_exports_content(exports: Path) -> None:
    """An exports folder that is not yet a night's link is taken over by the first run:
    its content is moved into that night, which a later night removes. It may hold only
    what a night writes (an earlier version's exports), never other files (an analyst's
    notes), which would be lost."""
    if exports.is_symlink() or not exports.is_dir():
        return
    foreign = sorted(entry.name for entry in exports.iterdir() if not _made_by_a_night(entry))
    if foreign:
        raise Refused(f"exports folder {exports} holds what no night wrote ({foreign[0]}): "
                      "move it out (the run would take the folder over and a later night "
                      "remove it), or give --exports a new or empty folder")


def check_run(inbox: Path, warehouse: Path, exports: Path, as_of: date, today: date,
              simulate: bool) -> None:
    """Every check, in the order an operator fixes them; the first failing one raises
    `Refused`."""
    check_as_of(as_of, today, simulate)
    check_inbox(inbox)
    check_output("warehouse", warehouse, expect_folder=False)
    check_output("exports", exports, expect_folder=True)
    check_exports_content(exports)
