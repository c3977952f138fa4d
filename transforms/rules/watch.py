"""What one candidate's decision reads: the facts it looks up and where the run date
crosses a date that decides something, so that a later night can tell whether the same
decision would be taken again (transforms.rules.reuse).

A decision is watched through a `Trail`, current while it is taken (one per thread):
- the facts are read through `watched_facts`, whose tables note each key looked up
  (`reads`); a table walked whole notes that too (EVERYTHING);
- the run date is a `RunDate`, a date that notes every comparison with another date:
  the outcome of `run_date < d` can change only when the run date reaches `d`, so the
  trail keeps the interval of run dates on which every comparison made gives the same
  answer (`valid_from` to `valid_until`, exclusive). Day counts (`run_date - d`) are
  `Days`, whose comparisons with a number are noted the same way.
Any other use of a watched date (its year, its text, a hash) may depend on the day
itself: the decision then holds for its own run date only. An operation neither noted
nor known fails loudly (a `Days` is not an int) rather than being silently unwatched.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta

FOREVER = date.max.toordinal() + 1  # valid_until of a decision no date can change
EVERYTHING = "*"  # the key noted when a table is walked whole
# The tables of transforms.rules.facts.Facts a decision may read (every one but the
# caches, which carry their own trails).
WATCHED_TABLES = ("persons", "titles", "attestations_delivered", "measures",
                  "measures_by_person", "decisions", "decisions_by_person", "detentions",
                  "detentions_by_person",
                  "detention_history", "held_back", "held_spells", "person_spells",
                  "quarantined",
                  "consular_requests", "agent_decisions", "links", "identities",
                  "candidates", "claims_alike", "detained", "detained_files",
                  "files_of_person", "records_of_person", "in_review", "review_files",
                  "giving_unstaged", "rejected_flags_listed")


@dataclass
class Trail:
    """What a decision taken on `day` (an ordinal) read, and the run dates on which it
    holds with the same facts: from `valid_from` to `valid_until` (exclusive)."""

    day: int
    reads: set[tuple[str, object]] = field(default_factory=set)
    valid_from: int = 1
    valid_until: int = FOREVER

    def crossing(self, when: int) -> None:
        """A comparison whose answer may change when the run date reaches `when` (an
        ordinal): constant before it and constant after it."""
        if when > self.day:
            self.valid_until = min(self.valid_until, when)
        elif when == self.day:
            self.valid_from = max(self.valid_from, when)
            self.valid_until = min(self.valid_until, when + 1)
        else:
            self.valid_from = max(self.valid_from, when + 1)

    def today_only(self) -> None:
        self.crossing(self.day)

    def join(self, other: Trail) -> None:
        self.reads |= other.reads
        self.valid_from = max(self.valid_from, other.valid_from)
        self.valid_until = min(self.valid_until, other.valid_until)


_current: ContextVar[Trail | None] = ContextVar("trail", default=None)


@contextmanager
def following(day: date) -> Iterator[Trail]:
    """A new trail, current while the block runs (a trail already current is left
    aside: `join` it to carry what the block read)."""
    trail = Trail(plain(day).toordinal())
    token = _current.set(trail)
    try:
        yield trail
    finally:
        _current.reset(token)


def is_following() -> bool:
    return _current.get() is not None


def join_current(trail: Trail) -> None:
    """Add what an earlier computation read (a cached one) to the current trail."""
    current = _current.get()
    if current is not None:
        current.join(trail)


def _crossing(when: int) -> None:
    trail = _current.get()
    if trail is not None:
        trail.crossing(when)


def _today_only() -> None:
    trail = _current.get()
    if trail is not None:
        trail.today_only()


def _read(table: str, key: object) -> None:
    trail = _current.get()
    if trail is not None:
        trail.reads.add((table, key))


# --- the run date ---------------------------------------------------------------------

def plain(day: date) -> date:
    """A date as the rules would see it without watching."""
    return day.plain if isinstance(day, RunDate) else day


class Compared:
    """The six comparisons, each through `_compare(other, operator)`."""

    __slots__ = ()

    def __lt__(self, other): return self._compare(other, operator.lt)
    def __le__(self, other): return self._compare(other, operator.le)
    def __gt__(self, other): return self._compare(other, operator.gt)
    def __ge__(self, other): return self._compare(other, operator.ge)
    def __eq__(self, other): return self._compare(other, operator.eq)
    def __ne__(self, other): return self._compare(other, operator.ne)


class RunDate(Compared, date):
    """The run date plus `offset` days, noting every comparison in the current trail."""

    __slots__ = ("offset", "plain")

    def __new__(cls, day: date, offset: int = 0) -> RunDate:
        value = plain(day)
        self = super().__new__(cls, value.year, value.month, value.day)
        self.offset, self.plain = offset, value
        return self

    def _compare(self, other: object, op: Callable[[date, date], bool]) -> bool:
        if isinstance(other, RunDate):  # both move with the run date: never changes
            return op(self.plain, other.plain)
        if not isinstance(other, date):
            return NotImplemented
        _crossing(other.toordinal() - self.offset)
        return op(self.plain, other)


    def __add__(self, other: object) -> RunDate:
        if not isinstance(other, timedelta):
            return NotImplemented
        return RunDate(self.plain + timedelta(days=other.days), self.offset + other.days)

    __radd__ = __add__

    def __sub__(self, other: object):
        if isinstance(other, timedelta):
            return self + timedelta(days=-other.days)
        if isinstance(other, RunDate):
            return self.plain - other.plain
        if isinstance(other, date):  # run date - d = r + (offset - d)
            return Elapsed(Days((self.plain - other).days, 1,
                                self.offset - other.toordinal()))
        return NotImplemented

    def __rsub__(self, other: object):
        if isinstance(other, date) and not isinstance(other, RunDate):  # d - run date
            return Elapsed(Days((other - self.plain).days, -1,
                                other.toordinal() - self.offset))
        return NotImplemented

    # Whatever reads the day itself holds for this run date only.
    def _day_itself(self) -> date:
        _today_only()
        return self.plain

    def __hash__(self): return hash(self._day_itself())
    def __str__(self): return str(self._day_itself())
    def __repr__(self): return repr(self._day_itself())
    def __format__(self, spec): return format(self._day_itself(), spec)
    def __reduce__(self):
        day = self._day_itself()
        return (date, (day.year, day.month, day.day))

    @property
    def year(self): return self._day_itself().year

    @property
    def month(self): return self._day_itself().month

    @property
    def day(self): return self._day_itself().day

    def toordinal(self): return self._day_itself().toordinal()
    def weekday(self): return self._day_itself().weekday()
    def isoweekday(self): return self._day_itself().isoweekday()
    def isocalendar(self): return self._day_itself().isocalendar()
    def isoformat(self): return self._day_itself().isoformat()
    def strftime(self, fmt): return self._day_itself().strftime(fmt)
    def timetuple(self): return self._day_itself().timetuple()
    def ctime(self): return self._day_itself().ctime()
    def replace(self, *args, **kwargs): return self._day_itself().replace(*args, **kwargs)


@dataclass(frozen=True, eq=False)
class Days(Compared):
    """A count of days that moves with the run date: `value` = sign × run date + const
    (ordinals). Compared with a number, it notes where the answer can change; added to
    or taken from a number, it stays watched; nothing else is allowed."""

    value: int
    sign: int
    const: int

    def _compare(self, other: object, op: Callable[[int, int], bool]) -> bool:
        if isinstance(other, Days):
            if other.sign == self.sign:
                return op(self.value, other.value)
            return NotImplemented
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        # sign × r + const = other  ⇔  r = sign × (other − const)
        _crossing(self.sign * (other - self.const))
        return op(self.value, other)


    def __add__(self, other: object) -> Days:
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        return Days(self.value + other, self.sign, self.const + other)

    __radd__ = __add__

    def __sub__(self, other: object) -> Days:
        return self + (-other) if isinstance(other, int) else NotImplemented

    def __neg__(self) -> Days:
        return Days(-self.value, -self.sign, -self.const)

    def __hash__(self):
        _today_only()
        return hash(self.value)

    def __int__(self):
        _today_only()
        return self.value

    __index__ = __int__


@dataclass(frozen=True)
class Elapsed:
    """`run date - d` or `d - run date`: only its `days` may be read."""

    days: Days


# --- the facts --------------------------------------------------------------------------

class Watched:
    """A table of the facts (a dict or a set) that notes the keys looked up."""

    __slots__ = ("name", "data")

    def __init__(self, name: str, data) -> None:
        self.name, self.data = name, data

    def __getitem__(self, key):
        _read(self.name, key)
        return self.data[key]

    def get(self, key, default=None):
        _read(self.name, key)
        return self.data.get(key, default)

    def __contains__(self, key) -> bool:
        _read(self.name, key)
        return key in self.data

    def __iter__(self):
        _read(self.name, EVERYTHING)
        return iter(self.data)

    def __len__(self) -> int:
        _read(self.name, EVERYTHING)
        return len(self.data)

    def whole(self):
        _read(self.name, EVERYTHING)
        return self.data

    def items(self): return self.whole().items()
    def keys(self): return self.whole().keys()
    def values(self): return self.whole().values()


def watched_facts(facts):
    """The same facts, each table noting what is read of it (the cache of the right to
    remain is shared: Facts.rtr carries what an assessment read)."""
    watched = copy.copy(facts)
    for name in WATCHED_TABLES:
        setattr(watched, name, Watched(name, getattr(facts, name)))
    return watched


def current_value(facts, table: str, key: object) -> object:
    """What reading `key` of `table` gives in these (unwatched) facts: a set answers
    membership, a table walked whole its content."""
    data = getattr(facts, table)
    if key == EVERYTHING:
        return sorted(data) if isinstance(data, set) else data
    if isinstance(data, (set, frozenset)):
        return key in data
    if isinstance(data, list):
        return data[key] if isinstance(key, int) and 0 <= key < len(data) else None
    return data.get(key)
