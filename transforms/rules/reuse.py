"""Rules decided again only where something changed (issue 36).

Each night every candidate's decision is kept in `core.decision_memory` with what it read
(transforms.rules.watch): the keys of the facts looked up, a digest of their values and of
the rules' own version and settings, and the run dates on which the same facts give the
same decision (every date it compared the run date with: due dates, challenge windows,
anniversaries, the 18th birthday, the horizon, the release date). The next night a
candidate whose memory holds for the run date and whose facts, read again under the same
keys, give the same digest keeps its row of the night before (only its day counts move);
any other is decided again, watched. A decision that read a table whole, or the day
itself, holds for its own night only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import polars as pl

from transforms.rules import watch

# core.decision_memory, one row per candidate of the night
MEMORY_SCHEMA = {"worklist": pl.String, "candidate_key": pl.String, "row_id": pl.String,
                 "listed": pl.Boolean, "digest": pl.Int64, "valid_from": pl.Date,
                 "valid_until": pl.Date, "reads": pl.String, "decided_on": pl.Date}
# What a decision produces: its row on the list, or its exclusion (one of the two).
Decision = tuple[dict | None, dict | None]


@lru_cache(maxsize=1)
def _source_digest() -> bytes:
    """The rules as written: every module and query of the rules and the codes they use.
    Another version of the code decides everything again."""
    digest = hashlib.blake2b(digest_size=16)
    for package, suffixes in (("transforms.rules", (".py", ".sql")), ("schemas", (".py",))):
        for item in sorted(resources.files(package).iterdir(), key=lambda i: i.name):
            if item.name.endswith(suffixes):
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.digest()


def rules_version(*settings: object) -> bytes:
    """The code of the rules and the night's settings (horizon, staleness)."""
    return hashlib.blake2b(_source_digest() + repr(settings).encode(), digest_size=16).digest()


def _fingerprint(value: object) -> bytes:
    # Empty and absent read alike (a missing key, an empty list, False: the rules treat
    # them the same way); records keep their columns' order, lists the facts' order.
    return hashlib.blake2b(repr(value if value else None).encode(), digest_size=8).digest()


def encode_read(table: str, key: object) -> str:
    if isinstance(key, tuple):
        return f"{table}\t" + "\x1f".join(key)
    return f"{table}\t{key}"


def decode_read(read: str) -> tuple[str, object]:
    table, key = read.split("\t", 1)
    return table, (tuple(key.split("\x1f")) if "\x1f" in key else key)


@dataclass
class Memory:
    """The night before: its decisions (core.decision_memory, by worklist and candidate
    key) and the rows it wrote (each list's decided columns, the exclusions)."""

    entries: dict[tuple[str, str], tuple]
    lists: dict[str, pl.DataFrame]
    exclusions: pl.DataFrame

    @classmethod
    def of(cls, entries: pl.DataFrame, lists: dict[str, pl.DataFrame],
           exclusions: pl.DataFrame) -> Memory:
        return cls({(row[0], row[1]): row[2:] for row in entries.iter_rows()}, lists,
                   exclusions)


@dataclass
class Deciding:
    """The candidates of one list decided for some departments: each kept from memory or
    decided now, watched."""

    worklist: str
    facts: object
    run_date: date
    memory: Memory | None
    version: bytes
    remember: bool = True  # watch each decision, for the memory
    flags: list[dict] = field(default_factory=list)
    exclusions: list[dict] = field(default_factory=list)
    kept_flags: list[str] = field(default_factory=list)
    kept_exclusions: list[str] = field(default_factory=list)
    entries: list[tuple] = field(default_factory=list)
    _values: dict[tuple[str, object], bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.watched = watch.watched_facts(self.facts)

    def candidate(self, key: str, item: object,
                  decide: Callable[[object, date], Decision]) -> None:
        """Decide one candidate (`key`: its id within the list; `item`: what the list
        iterates, part of the digest) unless its memory holds."""
        if not self.remember:
            self._add(*decide(self.facts, self.run_date))
            return
        if self._kept(key, item):
            return
        with watch.following(self.run_date) as trail:
            flag, excluded = decide(self.watched, watch.RunDate(self.run_date))
        row = flag if flag is not None else excluded
        for name, value in row.items():
            if isinstance(value, (watch.RunDate, watch.Days)):
                trail.today_only()
                row[name] = watch.plain(value) if isinstance(value, date) else value.value
        self._add(flag, excluded)
        reads = "\n".join(sorted(encode_read(t, k) for t, k in trail.reads))
        until = None if trail.valid_until >= watch.FOREVER else date.fromordinal(
            trail.valid_until)
        self.entries.append((self.worklist, key,
                             row["flag_id"] if flag is not None else row["candidate_id"],
                             flag is not None, self.digest(reads, item),
                             date.fromordinal(trail.valid_from), until, reads,
                             self.run_date))

    def _add(self, flag: dict | None, excluded: dict | None) -> None:
        if flag is not None:
            self.flags.append(flag)
        else:
            self.exclusions.append(excluded)

    def _kept(self, key: str, item: object) -> bool:
        """Whether the night before's decision holds tonight: then its row is kept."""
        entry = self.memory.entries.get((self.worklist, key)) if self.memory else None
        if entry is None:
            return False
        row_id, listed, digest, valid_from, valid_until, reads, _ = entry
        if not (valid_from <= self.run_date
                and (valid_until is None or self.run_date < valid_until)
                and digest == self.digest(reads, item)):
            return False
        (self.kept_flags if listed else self.kept_exclusions).append(row_id)
        self.entries.append((self.worklist, key, *entry))
        return True

    def digest(self, reads: str, item: object) -> int:
        """The facts a decision read, as they are tonight, with the rules' version."""
        digest = hashlib.blake2b(self.version + _fingerprint(item), digest_size=8)
        for read in reads.split("\n") if reads else ():
            table, key = decode_read(read)
            value = self._values.get((table, key))
            if value is None:
                value = self._values[(table, key)] = _fingerprint(
                    watch.current_value(self.facts, table, key))
            digest.update(value)
        return int.from_bytes(digest.digest(), "big", signed=True)


def memory_frame(entries: list[tuple]) -> pl.DataFrame:
    """Memory rows as a frame, a column at a time (no polars computation: this runs in
    forked processes too)."""
    columns = list(zip(*entries, strict=True)) if entries else [()] * len(MEMORY_SCHEMA)
    return pl.DataFrame([pl.Series(name, list(values), dtype=dtype)
                         for (name, dtype), values in zip(MEMORY_SCHEMA.items(), columns,
                                                          strict=True)])
