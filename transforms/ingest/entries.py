"""The entries of the inbox folder, each with what it is (issue 37): nothing in the inbox
vanishes. A regular file (or a link to one) is read; every other entry is named with the
reason it cannot be: a link to nothing or a link loop, a FIFO, a socket or a device (never
opened: reading a FIFO would wait forever), a link to a folder (not followed, as the
inbox's own walk never follows one), a folder named like a file, a folder that cannot be
listed. Names starting with '.' are not the inbox's (a transfer in progress, a desktop's
own files) and are passed over, as they always were.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

# What a name ending so promises: a folder under such a name is a file that went wrong.
FILE_SUFFIXES = (".csv", ".xlsx")

_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


@dataclass(frozen=True)
class Entry:
    """One entry of the inbox: its path, the system folder it sits in (None: elsewhere),
    and why it is not a regular file to read (None: it is one)."""

    path: Path
    folder: str | None
    problem: str | None = None


def file_problem(path: Path) -> str | None:
    """Why an entry listed as a file (not a folder) is not a regular file; None if it is
    one. Links are followed, as a reader would."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return ("symbolic link to nothing (dangling link)" if path.is_symlink()
                else "vanished while the inbox was read")
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "symbolic link loop (the link never reaches a file)"
        return f"cannot be examined: {err.strerror or type(err).__name__}"
    for test, what in _NOT_REGULAR:
        if test(mode):
            return f"not a regular file ({what})"
    if stat.S_ISDIR(mode):  # a link to a folder that appeared meanwhile
        return "a folder where a file is expected"
    return None


def folder_problem(path: Path) -> str | None:
    """Why a folder of the inbox is an entry of its own; None for a plain folder, whose
    files are read."""
    if path.is_symlink():
        return "symbolic link to a folder, not followed: put the files themselves in the inbox"
    if path.name.lower().endswith(FILE_SUFFIXES):
        return "a folder where a file is expected"
    return None


def inbox_entries(inbox: Path, systems: Collection[str],
                  system_folders_only: bool = False) -> list[Entry]:
    """Every entry under `inbox` that is not hidden, sorted by path: regular files with no
    problem, anything else with its reason. The inbox itself must be readable (OSError).
    With `system_folders_only`, what lies beside the systems' folders is not read (the
    nightly run: a next night's folder or a note left in the inbox is not the night's)."""
    entries: list[Entry] = []

    def folder_of(path: Path) -> str | None:
        parts = path.relative_to(inbox).parts
        return parts[0] if len(parts) > 1 and parts[0] in systems else None

    def unlisted(err: OSError) -> None:
        path = Path(err.filename)
        if path == inbox:
            raise err
        entries.append(Entry(path, folder_of(path),
                             f"folder cannot be read: {err.strerror or type(err).__name__}"))

    for top, folders, files in os.walk(inbox, onerror=unlisted):
        here = Path(top)
        folders[:] = sorted(name for name in folders if not name.startswith(".")
                            and (here != inbox or not system_folders_only or name in systems))
        if here == inbox and system_folders_only:
            files = []
        for name in folders:
            problem = folder_problem(here / name)
            if problem:
                entries.append(Entry(here / name, folder_of(here / name), problem))
        entries += [Entry(here / name, folder_of(here / name), file_problem(here / name))
                    for name in files if not name.startswith(".")]
    return sorted(entries, key=lambda e: e.path)
