"""All legal date arithmetic, in one place (RULES.md, "Dates").

"One month" and "N years" are calendar arithmetic: the same day of the month, clamped
to the month's last day (31 January + 1 month = 28 or 29 February). Days are calendar
days. Every rule computes its dates through these functions, never with ad-hoc
`timedelta(days=30)`.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


@lru_cache(maxsize=1 << 18)  # the rules ask the same few dates millions of times nationally
def add_months(day: date, months: int) -> date:
    """Same day of the month `months` later (or earlier), clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """Same day `years` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def age_in_years(birth: date, on: date) -> int:
    """Completed years on `on`. A person born on 29 February turns a year older on
    1 March in a common year (RULES.md, "Boundaries": the reading that never shortens
    the protection of a minor, OQ-03), unlike `add_years`, which clamps to 28 February
    for the deadlines of measures."""
    years = on.year - birth.year
    return years if birthday_in(birth, on.year) <= on else years - 1


def birthday_in(birth: date, year: int) -> date:
    """The person's birthday in `year`: 1 March for one born on 29 February when `year`
    is common (age_in_years)."""
    if (birth.month, birth.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 3, 1)
    return date(year, birth.month, birth.day)


def latest_possible_birth(year: int | None, month: int | None, day: int | None,
                          is_placeholder: bool = False) -> date | None:
    """The latest birth date consistent with a partial date: the reading that makes the
    person youngest, so that doubt about age never removes the protection of minors
    (OQ-03). `01/01/YYYY` is a placeholder, not a birthday: only its year counts."""
    if year is None:
        return None
    if is_placeholder or month is None:
        return date(year, 12, 31)
    if day is None:
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def is_minor(birth: date | None, on: date) -> bool:
    """Under 18 on `on`; an unknown birth date counts as possibly minor."""
    return birth is None or on < coming_of_age(birth)


def coming_of_age(birth: date) -> date:
    """The 18th birthday: the first day `age_in_years` is 18. A date, so that the rules
    can tell until when a minor stays one (transforms.rules.watch)."""
    return birthday_in(birth, birth.year + 18)
