"""The inbox: which files are there, what the contract says about each name, and what
to do with each file given the files already registered (docs/contracts.md §1).

A file is identified by its checksum within its kind and unit (department or
establishment). Bytes registered before for the same kind and unit are one of:

- `UNCHANGED`: delivered under an extraction date those bytes were not delivered under
  yet (PRI-01: an unchanged list sent on time is a delivery, not a duplicate; CONTRACTS
  §2: "the same bytes as an earlier delivery ... under a later extraction date"). It is
  that date's delivery (the unit's latest list when its date is, its freshness; a late
  one, dated between earlier deliveries, is the list of its date, and a TélémOfpra list
  proves what it holds from its date, OQ-02), whatever order the files arrive in, but
  its rows are not staged twice: they are read from the loaded file with the same bytes
  (`repeats`). Bytes whose deliveries hold no staged rows any more (their file was
  superseded by a correction, tonight or before) are loaded again under the new date.
- `SKIPPED_DUPLICATE`: a file already seen, re-sent under a date those bytes were
  delivered under.
- `SKIP_KNOWN`: the same name and checksum as a registered file: nothing to do, nothing
  recorded (a rerun of the same inbox adds no record).

A header-only list is never a duplicate: its date is its content (an empty GENESIS list
says nobody is left in the establishment, PRI-01). But an AGDREF extract is a full
snapshot of records that only accumulate (files, titles, measures, events): one holding
its header only, for a department and table whose other extracts held rows, is a broken
export, not the truth. It is `REJECTED` (`empty_extract_refusal`): loaded, it would take
every residence title of the department away that night, and a person a title protects
onto the lists (RULES principle 1); the last complete extract stays the truth, and the
department's table shows late (PRI-01) until a complete one comes.

A file with new bytes and the same key (kind, unit, extraction date) as a delivered file
is a correction: it supersedes the earlier one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import duckdb

from schemas.codes import AGDREF_TABLES, DELIVERED_STATUSES, DEPARTMENTS
from transforms.ingest.entries import Entry, inbox_entries
from transforms.ingest.printable import printable
from transforms.warehouse.database import read_sql

_DEPT = r"(?P<unit>\d{2,3}|2A|2B)"
_DATE = r"(?P<date>\d{8})"
# Matched whole (fullmatch: `$` would let a trailing line end through) and in ASCII (`\d`
# would take any script's digits).
FILE_NAME_PATTERNS: dict[str, re.Pattern[str]] = {
    "telemofpra": re.compile(rf"TELEMOFPRA_{_DEPT}_{_DATE}\.csv", re.ASCII),
    "genesis": re.compile(rf"GENESIS_(?P<unit>[A-Z0-9]{{6}})_{_DATE}\.(?P<ext>csv|xlsx)",
                          re.ASCII),
    "agdref": re.compile(
        rf"AGDREF_(?P<table>{'|'.join(AGDREF_TABLES)})_{_DEPT}_{_DATE}\.csv", re.ASCII),
}
# The names each folder takes, written as CONTRACTS §1 writes them.
FILE_NAMES = {
    "telemofpra": "TELEMOFPRA_<DEPT>_<YYYYMMDD>.csv",
    "genesis": "GENESIS_<ESTABLISHMENT>_<YYYYMMDD>.csv (or .xlsx)",
    "agdref": f"AGDREF_<{'|'.join(AGDREF_TABLES)}>_<DEPT>_<YYYYMMDD>.csv",
}


@dataclass(frozen=True)
class InboxFile:
    """One entry found in the inbox, with what its name says. `file_name` is the name
    as it may be printed and recorded (transforms.ingest.printable); `sha256` is None for
    an entry that could not be read (not a regular readable file)."""

    path: Path
    file_name: str
    system: str | None
    kind: str | None
    unit: str | None
    extraction_date: date | None
    sha256: str | None
    name_error: str | None = None
    has_data_rows: bool = True

    @property
    def identity(self) -> tuple[str | None, str | None, str]:
        """What makes two deliveries the same file (see the module docstring)."""
        return content_identity(self.kind, self.unit, self.sha256, self.file_name,
                                by_name=not self.has_data_rows)

    @property
    def key(self) -> tuple[str | None, str | None, date | None]:
        return (self.kind, self.unit, self.extraction_date)


def content_identity(kind: str | None, unit: str | None, sha256: str | None,
                     file_name: str, by_name: bool) -> tuple[str | None, str | None, str]:
    """Kind, unit and checksum; with the name too for a header-only list (never a
    duplicate), and the name alone for an entry that could not be read (no checksum)."""
    if sha256 is None:
        return (kind, unit, f"unread:{file_name}")
    return (kind, unit, f"{sha256}:{file_name}" if by_name else sha256)


@dataclass(frozen=True)
class KnownContent:
    """What is registered of one content (an identity): the file names it was seen
    under, the loaded file holding its staged rows (None: none does, it was rejected or
    superseded), and the extraction dates it was delivered under."""

    names: frozenset[str]
    holder: str | None
    dates: frozenset[date]


@dataclass(frozen=True)
class PlannedFile:
    file: InboxFile
    action: str  # LOAD, UNCHANGED, SKIP_KNOWN, SKIPPED_DUPLICATE, REJECTED
    supersedes: tuple[str, ...] = ()
    reason: str | None = None
    repeats: str | None = None  # UNCHANGED: the loaded file whose staged rows it repeats


BLOCK_BYTES = 1 << 20
READERS = 2  # threads reading the inbox (hashing and reading let the other run)


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(BLOCK_BYTES), b"")


class LineBreakAfterContent:
    """Whether bytes, stripped of white space at both ends, still hold a line break
    (`data.strip().count(b"\n") >= 1`: a CSV with more than its header line), read a
    block at a time: a line break with something before it and something after it."""

    def __init__(self) -> None:
        self.found = False
        self._content = False  # something other than white space seen
        self._pending = False  # a line break seen since the last such byte

    def feed(self, block: bytes) -> None:
        if self.found:
            return
        lead, end = len(block) - len(block.lstrip()), len(block.rstrip())
        if lead == len(block):  # white space only
            self._pending = self._pending or (self._content and b"\n" in block)
            return
        if (self._content and (self._pending or b"\n" in block[:lead])) \
                or b"\n" in block[lead:end]:
            self.found = True
            return
        self._content, self._pending = True, b"\n" in block[end:]


def scan_file(path: Path) -> tuple[str, bool]:
    """The file's SHA-256 and whether it has a line after its first (header) line, from
    one read of the file."""
    digest, lines = hashlib.sha256(), LineBreakAfterContent()
    for block in _blocks(path):
        digest.update(block)
        lines.feed(block)
    return digest.hexdigest(), lines.found


def describe_file(path: Path, folder_system: str | None) -> InboxFile:
    """Read what the file name says; a name outside the contract, or one that cannot be
    printed as it is (not UTF-8, control characters: recorded escaped), is kept with a
    reason, as is a file that cannot be read."""
    name = printable(path.name)
    try:
        sha, has_line_breaks = scan_file(path)
    except OSError as err:
        return unread_entry(Entry(path, folder_system,
                                  f"cannot be read: {err.strerror or type(err).__name__}"))
    if name != path.name:
        undecoded = any("\udc80" <= c <= "\udcff" for c in path.name)
        return InboxFile(path, name, folder_system, None, None, None, sha, (
            "file name is not UTF-8 (recorded with its bytes escaped as \\xNN)" if undecoded
            else "file name holds control or invisible characters (recorded escaped)"))
    # A CSV with a single line is header-only; XLSX content is not inspected here.
    has_rows = name.endswith(".xlsx") or has_line_breaks
    for system, pattern in FILE_NAME_PATTERNS.items():
        match = pattern.fullmatch(name)
        if not match:
            continue
        if folder_system and folder_system != system:
            return InboxFile(path, name, folder_system, None, None, None, sha,
                             f"file name outside the contract for {folder_system}/: named "
                             f"as a {system} list, move it into {system}/")
        try:
            extraction = datetime.strptime(match["date"], "%Y%m%d").date()
        except ValueError:
            return InboxFile(path, name, system, None, None, None, sha,
                             f"file name date {match['date']} is not a calendar date")
        unit = match["unit"]
        if system != "genesis" and unit not in DEPARTMENTS:
            return InboxFile(path, name, system, None, None, None, sha,
                             f"file name department {unit} is not a department code")
        kind = f"agdref_{match['table'].lower()}" if system == "agdref" else system
        return InboxFile(path, name, system, kind, unit, extraction, sha,
                         has_data_rows=has_rows)
    expected = folder_system or "telemofpra|genesis|agdref"
    names = " or ".join(FILE_NAMES[s] for s in ([folder_system] if folder_system
                                                  else FILE_NAMES))
    return InboxFile(path, name, folder_system, None, None, None, sha,
                     f"file name outside the contract for {expected}/ (docs/contracts.md §1): "
                     f"expected {names}")


def unread_entry(entry: Entry) -> InboxFile:
    """An entry that is not read (not a regular readable file), with its reason."""
    return InboxFile(entry.path, printable(entry.path.name), entry.folder, None, None, None,
                     None, entry.problem, has_data_rows=False)


def describe_entry(entry: Entry) -> InboxFile:
    return unread_entry(entry) if entry.problem else describe_file(entry.path, entry.folder)


def list_inbox(inbox: Path, system_folders_only: bool = False) -> list[InboxFile]:
    """Every entry under the inbox (transforms.ingest.entries; under its systems' folders
    only with `system_folders_only`), in a stable order (system, unit, date, name), read
    by READERS threads: regular files by their name and content, anything else with the
    reason it is not read."""
    entries = inbox_entries(inbox, FILE_NAME_PATTERNS, system_folders_only)
    with ThreadPoolExecutor(max_workers=READERS) as readers:
        files = list(readers.map(describe_entry, entries))
    return sorted(files, key=_order_key)


def all_dated_after(plans: list[PlannedFile], run_date: date) -> date | None:
    """The earliest extraction date when every file of the inbox is dated after
    `run_date` (None otherwise): loaded, none is read by a night of that date (each
    list counts from its date), a mistyped year more often than a night run early."""
    dated = [p.file.extraction_date for p in plans if p.file.extraction_date is not None]
    if dated and min(dated) > run_date:
        return min(dated)
    return None


def misplaced_lists(inbox: Path) -> list[tuple[str, str]]:
    """The files named as a system's list that the nightly run does not read (their path
    under the inbox, written with '/', and the system's folder): at the inbox's root, or
    in a folder beside the systems' (GENESIS/, archives/, however deep). The run reads
    only the systems' folders (a note, or a next night's folder, left in the inbox is not
    the night's), but a list put beside them would otherwise be passed over in silence.
    Hidden names are passed over, as the inbox's walk does."""
    try:
        tops = sorted(p for p in inbox.iterdir()
                      if not p.name.startswith(".") and p.name not in FILE_NAME_PATTERNS)
    except OSError:
        return []
    found = []
    for top in tops:
        if top.is_dir() and not top.is_symlink():
            files = sorted(p for p in top.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(inbox).parts))
        else:
            files = [top] if top.is_file() else []
        found += [(path.relative_to(inbox).as_posix(), system) for path in files
                  for system, pattern in FILE_NAME_PATTERNS.items()
                  if pattern.fullmatch(path.name)]
    return found


def _order_key(f: InboxFile) -> tuple:
    return (f.system or "~", f.kind or "~", f.unit or "", f.extraction_date or date.min,
            f.file_name)


def plan_files(
    files: list[InboxFile],
    registered: dict[tuple, KnownContent],
    loaded_keys: dict[tuple, str],
    extracts_with_rows: AbstractSet[tuple[str, str]] = frozenset(),
) -> list[PlannedFile]:
    """Decide what to do with each file (see the module docstring).

    `registered` maps the identity of each registered content to what is known of it;
    `loaded_keys` maps the key of each current delivery (loaded or unchanged) to its file
    name; `extracts_with_rows`, the AGDREF tables and departments (kind, unit) whose
    registered extracts held rows (`agdref_extracts_with_rows`), to which the files with
    rows planned to load are added in the plan's order (a department's first extract,
    planned before its next one in a catch-up inbox, may be empty).
    """
    with_rows = set(extracts_with_rows)
    plans: list[PlannedFile] = []
    seen = dict(registered)
    current = dict(loaded_keys)
    # Every name registered with its checksum, whatever its identity: a file rejected for
    # its content is registered without knowing whether it held rows. A name registered
    # without a kind was refused for itself (a list in another system's folder): the same
    # bytes named and placed as the contract says are read, as the refusal told the
    # operator to do (README audit of 2026-12-07: the list moved was passed over).
    named = {(name, identity[2].partition(":")[0]) for identity, known in registered.items()
             if identity[0] is not None for name in known.names}
    refused_for_name = {(name, identity[2].partition(":")[0])
                        for identity, known in registered.items()
                        if identity[0] is None for name in known.names}
    for f in files:
        known = seen.get(f.identity)
        name = (f.file_name, f.sha256)
        if (name in named or (name in refused_for_name and f.kind is None)
                or (known is not None and f.file_name in known.names)):
            plans.append(PlannedFile(f, "SKIP_KNOWN"))
            continue
        # its own reason, whatever other misnamed file holds its bytes
        refusal = f.name_error or empty_extract_refusal(f, with_rows)
        if refusal:
            seen[f.identity] = KnownContent(
                (known.names if known else frozenset()) | {f.file_name}, None, frozenset())
            plans.append(PlannedFile(f, "REJECTED", reason=refusal))
            continue
        if known is not None and not _is_new_delivery(f, known):
            plans.append(PlannedFile(f, "SKIPPED_DUPLICATE",
                                     reason=f"same content as {min(known.names)}"))
            seen[f.identity] = replace(known, names=known.names | {f.file_name})
            continue
        earlier = current.get(f.key)
        supersedes = (earlier,) if earlier else ()
        current[f.key] = f.file_name
        if earlier:  # its rows leave staging: bytes it held have no file holding them
            seen = {identity: replace(k, holder=None) if k.holder == earlier else k
                    for identity, k in seen.items()}
            known = seen.get(f.identity)
        dates = frozenset({f.extraction_date} - {None})
        if f.has_data_rows:
            with_rows.add((f.kind, f.unit))
        if known is None or known.holder is None:
            seen[f.identity] = KnownContent(
                (known.names if known else frozenset()) | {f.file_name}, f.file_name,
                (known.dates if known else frozenset()) | dates)
            plans.append(PlannedFile(f, "LOAD", supersedes=supersedes))
            continue
        seen[f.identity] = replace(known, names=known.names | {f.file_name},
                                   dates=known.dates | dates)
        plans.append(PlannedFile(
            f, "UNCHANGED", supersedes=supersedes, repeats=known.holder,
            reason=f"same content as {known.holder}, delivered again: its rows are read "
                   "from that file"))
    return plans


def empty_extract_refusal(f: InboxFile, with_rows: AbstractSet[tuple[str, str]]
                          ) -> str | None:
    """Why an AGDREF extract holding no row is not read, when another extract of its
    department and table held rows (`with_rows`; module docstring); None otherwise."""
    if f.system != "agdref" or f.has_data_rows or (f.kind, f.unit) not in with_rows:
        return None
    table = f.kind.removeprefix("agdref_").upper()
    return (f"an AGDREF {table} extract holding no row (empty, or its header only), while "
            f"other {table} extracts of department {f.unit} held rows: a broken export, not "
            f"read (every {table} row of the department would vanish tonight); the last "
            "complete extract stays the truth: send this one again complete")


def _is_new_delivery(f: InboxFile, known: KnownContent) -> bool:
    """Bytes delivered again under a date they were not delivered under yet."""
    return f.extraction_date is not None and f.extraction_date not in known.dates


def registered_files(con: duckdb.DuckDBPyConnection) -> dict[tuple, KnownContent]:
    """Identity (kind, unit, checksum) → what is known of every content registered so
    far: its file names, the loaded file holding its staged rows, the dates it was
    delivered under; header-only files are registered under their name too (see
    the module docstring)."""
    rows = con.execute(
        "SELECT file_kind, unit, sha256, file_name, rows_read, status, extraction_date "
        "FROM audit.files ORDER BY file_name, status"
    ).fetchall()
    names: dict[tuple, set[str]] = {}
    holders: dict[tuple, str] = {}
    dates: dict[tuple, set[date]] = {}
    # the latest cutoff of each system's purges (purge.py: as_of_date - retention_days)
    cutoffs = [{"system": system, "cutoff": cutoff} for system, cutoff in con.execute(
        "SELECT system, max(as_of_date - retention_days) FROM audit.purges GROUP BY system"
    ).fetchall()]
    purged = {name for (name,) in con.execute(read_sql("files_past_retention.sql"),
                                              {"cutoffs": cutoffs}).fetchall()}
    for kind, unit, sha, name, rows_read, status, day in rows:
        header_only = status == "LOADED" and rows_read == 0 and not name.endswith(".xlsx")
        identity = content_identity(kind, unit, sha, name, by_name=header_only)
        names.setdefault(identity, set()).add(name)
        # a file whose rows as delivered were purged holds none any more: the same bytes
        # delivered again are loaded, so that the new delivery has its rows as delivered
        if status == "LOADED" and name not in purged:
            holders.setdefault(identity, name)
        if status in DELIVERED_STATUSES and day is not None:
            dates.setdefault(identity, set()).add(day)
    return {identity: KnownContent(frozenset(found), holders.get(identity),
                                   frozenset(dates.get(identity, ())))
            for identity, found in names.items()}


def loaded_file_keys(con: duckdb.DuckDBPyConnection) -> dict[tuple, str]:
    """Key (kind, unit, extraction date) → file name of every current delivery (loaded,
    or unchanged: a correction of either supersedes it)."""
    rows = con.execute(
        "SELECT file_kind, unit, extraction_date, file_name FROM audit.files "
        "WHERE status IN ? ORDER BY file_name", [list(DELIVERED_STATUSES)]
    ).fetchall()
    return {(kind, unit, day): name for kind, unit, day, name in rows}


def agdref_extracts_with_rows(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(kind, unit) of every AGDREF table and department one of whose registered extracts
    held rows (loaded, or since superseded by a correction)."""
    return set(con.execute(
        "SELECT DISTINCT file_kind, unit FROM audit.files WHERE starts_with(file_kind, "
        "'agdref_') AND rows_read > 0 AND status IN ('LOADED', 'SUPERSEDED')").fetchall())


def plan_inbox(con: duckdb.DuckDBPyConnection, inbox: Path,
               system_folders_only: bool = False) -> list[PlannedFile]:
    """The ingest plan of a night: each file of the inbox (of its systems' folders only
    with `system_folders_only`, as the nightly run reads it), read once, planned against
    what the warehouse has registered (one PlannedFile per file)."""
    return plan_files(list_inbox(inbox, system_folders_only), registered_files(con),
                      loaded_file_keys(con), agdref_extracts_with_rows(con))
