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

AGDREF is delivered whole every night: the same file's facts come back under tonight's
file name and line. The rules only cite those (CITED_ONLY), so the digest leaves them
out, the memory keeps each fact's citations of the night (`core.decision_citations`),
and a kept row's citations are brought to tonight's, position for position within the
same facts (`Deciding.rewrites`): the row cites tonight's file and line, as a decision
taken tonight would.
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
# The facts whose citations (`<file>:<line>`) the rules only pass on into a row's
# source_rows, never weigh, compare or sort: AGDREF's files, titles and measures (with
# their events), cited anew every night. Every other citation stays in the digest: a
# TélémOfpra list's date decides DQ-01 (verdicts.dq_01_quarantined), the order of a
# quarantined row's or an agent decision's citation what is cited (tests/
# test_decision_reuse.py renames these citations and finds the same decisions, renamed).
CITED_ONLY = {"persons": ("source_row",), "titles": ("source_row",),
              "measures": ("source_row", "event_rows"),
              "measures_by_person": ("source_row", "event_rows")}
_CITED = "<cited>"  # what a citation reads as in a digest
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


def without_citations(value: object, fields: tuple[str, ...]
                      ) -> tuple[object, tuple[str, ...]]:
    """A fact (a record, a list of records) with the citations in `fields` each read as
    one mark (a list of them as its length), and those citations in order."""
    records = value if isinstance(value, list) else [value] if isinstance(value, dict) else ()
    if not records:
        return value, ()
    cited: list[str] = []
    marked = []
    for record in records:
        copy = dict(record)
        for name in fields:
            found = record.get(name)
            if isinstance(found, (list, tuple)):
                cited.extend(found)
                copy[name] = len(found)
            elif found:  # an empty citation reads as none (the rules drop it)
                cited.append(found)
                copy[name] = _CITED
        marked.append(copy)
    return (marked if isinstance(value, list) else marked[0]), tuple(cited)


@dataclass
class Memory:
    """The night before: its decisions (core.decision_memory, by worklist and candidate
    key), the rows it wrote (each list's decided columns, the exclusions) and the
    citations of the CITED_ONLY facts its decisions read (by read, core.decision_citations)."""

    entries: dict[tuple[str, str], tuple]
    lists: dict[str, pl.DataFrame]
    exclusions: pl.DataFrame
    citations: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: pl.DataFrame, lists: dict[str, pl.DataFrame],
           exclusions: pl.DataFrame,
           citations: dict[str, tuple[str, ...]] | None = None) -> Memory:
        return cls({(row[0], row[1]): row[2:] for row in entries.iter_rows()}, lists,
                   exclusions, citations or {})


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
    items_from: str | None = None  # the facts table the candidates are records of
    flags: list[dict] = field(default_factory=list)
    exclusions: list[dict] = field(default_factory=list)
    kept_flags: list[str] = field(default_factory=list)
    kept_exclusions: list[str] = field(default_factory=list)
    entries: list[tuple] = field(default_factory=list)
    # tonight's citations of the CITED_ONLY facts read (by encoded read), for the memory
    citations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # each citation of the night before in a kept row -> tonight's (itself when the same)
    rewrites: dict[str, str] = field(default_factory=dict)
    _paired_from: dict[str, str] = field(default_factory=dict)  # rewrites turned round
    _values: dict[tuple[str, object], tuple[bytes, tuple[str, ...]]] = field(
        default_factory=dict)

    def __post_init__(self) -> None:
        self.watched = watch.watched_facts(self.facts)

    def candidate(self, key: str, item: object,
                  decide: Callable[[object, date], Decision]) -> None:
        """Decide one candidate (`key`: its id within the list; `item`: what the list
        iterates, part of the digest) unless its memory holds."""
        if not self.remember:
            self._add(*decide(self.facts, self.run_date))
            return
        printed, cited = self._item(item)
        if self._kept(key, printed, cited):
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
        self.citations.update(self._cited(reads, key, cited))
        until = None if trail.valid_until >= watch.FOREVER else date.fromordinal(
            trail.valid_until)
        self.entries.append((self.worklist, key,
                             row["flag_id"] if flag is not None else row["candidate_id"],
                             flag is not None, self.digest(reads, printed),
                             date.fromordinal(trail.valid_from), until, reads,
                             self.run_date))

    def _add(self, flag: dict | None, excluded: dict | None) -> None:
        if flag is not None:
            self.flags.append(flag)
        else:
            self.exclusions.append(excluded)

    def _kept(self, key: str, printed: bytes, cited: tuple[str, ...]) -> bool:
        """Whether the night before's decision holds tonight: then its row is kept."""
        entry = self.memory.entries.get((self.worklist, key)) if self.memory else None
        if entry is None:
            return False
        row_id, listed, digest, valid_from, valid_until, reads, _ = entry
        if not (valid_from <= self.run_date
                and (valid_until is None or self.run_date < valid_until)
                and digest == self.digest(reads, printed)
                and self._cite_tonight(self._cited(reads, key, cited))):
            return False
        (self.kept_flags if listed else self.kept_exclusions).append(row_id)
        self.entries.append((self.worklist, key, *entry))
        return True

    def _item(self, item: object) -> tuple[bytes, tuple[str, ...]]:
        """The candidate's own fact: its fingerprint and citations (as `_read`)."""
        fields = CITED_ONLY.get(self.items_from or "", ())
        value, cited = without_citations(item, fields) if fields else (item, ())
        return _fingerprint(value), cited

    def _cited(self, reads: str, key: str, item_cited: tuple[str, ...]
               ) -> dict[str, tuple[str, ...]]:
        """Tonight's citations of the CITED_ONLY facts a decision read, by read, and of
        its candidate's own fact (under the list's name and the candidate's key)."""
        found = {encode_read(self.worklist, key): item_cited} if item_cited else {}
        for read in reads.split("\n") if reads else ():
            table, read_key = decode_read(read)
            if table in CITED_ONLY:
                found[read] = self._read(table, read_key)[1]
        return found

    def _cite_tonight(self, tonight: dict[str, tuple[str, ...]]) -> bool:
        """A kept decision's citations of the night before paired with tonight's,
        position for position within each fact (the facts read the same but for them:
        the digest said so); False when they cannot be paired one to one (not
        remembered, or a citation already paired otherwise): the decision is then
        taken again."""
        pairs: dict[str, str] = {}
        for read, new in tonight.items():
            old = self.memory.citations.get(read, ())
            if len(old) != len(new):
                return False
            for before, now in zip(old, new, strict=True):
                if pairs.setdefault(before, now) != now:
                    return False
        if len(set(pairs.values())) != len(pairs) or any(
                self.rewrites.get(before, now) != now
                or self._paired_from.get(now, before) != before
                for before, now in pairs.items()):
            return False
        self.rewrites.update(pairs)
        self._paired_from.update((now, before) for before, now in pairs.items())
        self.citations.update(tonight)
        return True

    def _read(self, table: str, key: object) -> tuple[bytes, tuple[str, ...]]:
        """A fact as it is tonight: its fingerprint (CITED_ONLY citations left out) and
        those citations."""
        found = self._values.get((table, key))
        if found is None:
            value, cited = watch.current_value(self.facts, table, key), ()
            if table in CITED_ONLY:
                value, cited = without_citations(value, CITED_ONLY[table])
            found = self._values[(table, key)] = (_fingerprint(value), cited)
        return found

    def digest(self, reads: str, printed: bytes) -> int:
        """The facts a decision read, as they are tonight (CITED_ONLY citations left
        out), with its candidate's fingerprint and the rules' version."""
        digest = hashlib.blake2b(self.version + printed, digest_size=8)
        for read in reads.split("\n") if reads else ():
            digest.update(self._read(*decode_read(read))[0])
        return int.from_bytes(digest.digest(), "big", signed=True)


def memory_frame(entries: list[tuple]) -> pl.DataFrame:
    """Memory rows as a frame, a column at a time (no polars computation: this runs in
    forked processes too)."""
    columns = list(zip(*entries, strict=True)) if entries else [()] * len(MEMORY_SCHEMA)
    return pl.DataFrame([pl.Series(name, list(values), dtype=dtype)
                         for (name, dtype), values in zip(MEMORY_SCHEMA.items(), columns,
                                                          strict=True)])
