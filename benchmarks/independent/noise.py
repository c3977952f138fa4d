"""Spelling, typing and date noise of this test set: what a clerk, a prison registry or
a claimant's declaration does to a name or a birth date. Every function takes the
random generator it draws from, so that a seed gives one dataset."""

from __future__ import annotations

import calendar
import random
import unicodedata

# French AZERTY keyboard: the letters next to each letter.
_ROWS = ("AZERTYUIOP", "QSDFGHJKLM", "WXCVBN")
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_ROWS):
    for _i, _letter in enumerate(_row):
        near = {_row[j] for j in (_i - 1, _i + 1) if 0 <= j < len(_row)}
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < len(_ROWS):
                near |= {_ROWS[_other][j] for j in (_i - 1, _i, _i + 1)
                         if 0 <= j < len(_ROWS[_other])}
        _NEIGHBOURS[_letter] = "".join(sorted(near))

_ACCENTED = {"E": "ÉÈ", "I": "Ï", "C": "Ç"}  # what French clerks add to foreign names

TYPO_KINDS = ("adjacent_key", "dropped_letter", "doubled_letter", "added_letter",
              "transposed_letters")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if unicodedata.category(c) != "Mn")


def typo(word: str, rng: random.Random) -> tuple[str, str]:
    """One typing slip in a word (its letters only), and its kind."""
    positions = [i for i, c in enumerate(word) if c.isalpha()]
    if len(positions) < 3:
        return word, "none"
    kind = rng.choice(TYPO_KINDS)
    i = rng.choice(positions[1:])  # the first letter is rarely wrong
    c = strip_accents(word[i]).upper()
    if kind == "adjacent_key" and c in _NEIGHBOURS:
        return word[:i] + rng.choice(_NEIGHBOURS[c]) + word[i + 1:], kind
    if kind == "dropped_letter":
        return word[:i] + word[i + 1:], kind
    if kind == "doubled_letter":
        return word[:i] + word[i] + word[i:], kind
    if kind == "added_letter" and c in _NEIGHBOURS:
        return word[:i] + rng.choice(_NEIGHBOURS[c]) + word[i:], kind
    j = i - 1
    if word[j].isalpha() and word[j] != word[i]:
        return word[:j] + word[i] + word[j] + word[i + 1:], "transposed_letters"
    return word[:i] + word[i + 1:], "dropped_letter"


def accent(word: str, rng: random.Random) -> str:
    """An accent added on one vowel or C (a French clerk's habit), or every accent
    removed when the word has some."""
    if strip_accents(word) != word:
        return strip_accents(word)
    places = [i for i, c in enumerate(word) if c in _ACCENTED]
    if not places:
        return word
    i = rng.choice(places)
    return word[:i] + rng.choice(_ACCENTED[word[i]]) + word[i + 1:]


# Birth dates: (day, month, year), 0 for an unknown part.
BirthDate = tuple[int, int, int]


def format_birth(date: BirthDate, unknown: str = "00") -> str:
    day, month, year = date
    d = f"{day:02d}" if day else unknown
    m = f"{month:02d}" if month else unknown
    return f"{d}/{m}/{year}"


def valid_day(day: int, month: int, year: int) -> int:
    return min(day, calendar.monthrange(year, month)[1])


DATE_SLIPS = ("day_month_swapped", "year_off_by_one", "day_typo", "month_unknown_day",
              "year_only", "placeholder_01_01", "missing")


def birth_slip(date: BirthDate, kind: str, rng: random.Random
               ) -> tuple[BirthDate | None, str]:
    """A birth date as a list writes it after one slip (None: not written), and the
    slip made. A swap needs a day that can be a month and differs from it: without one,
    the day is mistyped instead."""
    day, month, year = date
    if kind == "missing":
        return None, kind
    if kind == "year_only":
        return (0, 0, year), kind
    if kind == "placeholder_01_01":
        return (1, 1, year), kind
    if kind == "month_unknown_day":
        return (0, month, year), kind
    if kind == "year_off_by_one":
        year += rng.choice((-1, 1))
        return (valid_day(day, month, year) if day else 0, month, year), kind
    if not day:
        return date, "none"
    if kind == "day_month_swapped" and day <= 12 and day != month:
        return (month, day, year), kind
    new = day + rng.choice((-10, -1, 1, 10, 9, -9))
    if not 1 <= new <= calendar.monthrange(year, month)[1]:
        new = day - 1 if day > 1 else 2
    return (new, month, year), "day_typo"
