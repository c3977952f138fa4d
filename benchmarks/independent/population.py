"""The persons of this test set and how each system spells them.

A person has a true identity (name groups, sex, birth date, town of birth, nationality)
and AGDREF's spelling of it, fixed when the file is opened. A list (TélémOfpra, GENESIS)
or a second AGDREF file spells the same person again, with its own choice among the
spellings of each name and its own slips (noise.py); every slip is kept as a tag in the
truth, so that a miss can be explained.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from benchmarks.independent import noise
from benchmarks.independent.names import NATIONALITIES, Name, Nationality

BIRTH_FROM, BIRTH_TO = date(1962, 1, 1), date(2007, 12, 31)


@dataclass(frozen=True)
class Rates:
    """How often a system departs from AGDREF's spelling (per record)."""

    same_spelling: float  # each name spelt as AGDREF spells it
    surname_typo: float
    given_typo: float
    accent: float
    swapped: float  # surname and given names swapped
    compound_reshaped: float  # a compound surname glued, hyphenated or split
    first_given_only: float
    comma_separated: float
    birth_slips: dict[str, float]
    sex_missing: float
    sex_wrong: float
    nationality_confused: float


TELEMOFPRA = Rates(0.75, 0.04, 0.04, 0.03, 0.015, 0.35, 0.15, 0.2,
                   {"day_month_swapped": 0.02, "year_off_by_one": 0.012, "day_typo": 0.015,
                    "month_unknown_day": 0.008, "year_only": 0.02, "placeholder_01_01": 0.015,
                    "missing": 0.004}, 0.04, 0.003, 0.01)
GENESIS = Rates(0.55, 0.07, 0.07, 0.05, 0.04, 0.45, 0.25, 0.1,
                {"day_month_swapped": 0.035, "year_off_by_one": 0.025, "day_typo": 0.025,
                 "month_unknown_day": 0.01, "year_only": 0.03, "placeholder_01_01": 0.03,
                 "missing": 0.01}, 0.0, 0.003, 0.02)
# A second AGDREF file of one person: opened by another counter, from other papers.
DUPLICATE = Rates(0.6, 0.05, 0.04, 0.03, 0.01, 0.3, 0.2, 0.0,
                  {"day_month_swapped": 0.03, "year_off_by_one": 0.02, "day_typo": 0.02,
                   "year_only": 0.03, "placeholder_01_01": 0.03}, 0.0, 0.0, 0.0)


def zipf_weights(n: int) -> list[float]:
    """Cumulative weights favouring the head of a pool."""
    return list(itertools.accumulate(1.0 / (i + 2) for i in range(n)))


@dataclass
class Person:
    pid: str
    nationality: Nationality
    sex: str
    surname: Name
    given: list[Name]
    birth: noise.BirthDate  # true date (always complete)
    birth_documented: bool  # False: the papers give the year only
    town: Name
    # AGDREF's spelling: index of the spelling of each name group
    surname_form: int = 0
    given_forms: list[int] = field(default_factory=list)
    town_form: int = 0
    agdref_birth: noise.BirthDate | None = None
    files: list[str] = field(default_factory=list)  # AGDREF numbers
    depts: list[str] = field(default_factory=list)  # the department of each file
    entry: date | None = None  # declared date of entry into France (first file)
    namesake: str | None = None  # the kind of namesake a file was opened for


class People:
    """Draws persons from the pools with one random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids = itertools.count(1)
        self.nat_cum = list(itertools.accumulate(n.weight for n in NATIONALITIES))
        self.cum = {}
        for n in NATIONALITIES:
            for pool in (n.surnames, n.male, n.female, n.towns):
                self.cum.setdefault(id(pool), zipf_weights(len(pool)))

    def pick(self, pool: list[Name]) -> Name:
        return self.rng.choices(pool, cum_weights=self.cum[id(pool)])[0]

    def form(self, name: Name) -> int:
        """AGDREF's choice among the spellings of a name: the first most often."""
        if len(name) == 1 or self.rng.random() < 0.6:
            return 0
        return self.rng.randrange(1, len(name))

    def person(self, nationality: Nationality | None = None, sex: str | None = None
               ) -> Person:
        rng = self.rng
        nat = nationality or rng.choices(NATIONALITIES, cum_weights=self.nat_cum)[0]
        sex = sex or ("M" if rng.random() < 0.72 else "F")
        pool = nat.male if sex == "M" else nat.female
        count = rng.choices((1, 2, 3), (0.55, 0.35, 0.10))[0]
        given = [self.pick(pool)]
        for _ in range(count - 1):  # a father's name, or another name of one's own
            name = self.pick(nat.male if rng.random() < 0.5 else pool)
            if name not in given:
                given.append(name)
        surname = self.pick(nat.male) if nat.father_as_surname and rng.random() < 0.7 \
            else self.pick(nat.surnames)
        day = BIRTH_FROM + timedelta(days=rng.randrange((BIRTH_TO - BIRTH_FROM).days))
        p = Person(f"Q{next(self.ids):08d}", nat, sex, surname, given,
                   (day.day, day.month, day.year), rng.random() >= nat.unknown_birth_day,
                   self.pick(nat.towns))
        self.spell_for_agdref(p)
        return p

    def spell_for_agdref(self, p: Person) -> None:
        p.surname_form = self.form(p.surname)
        p.given_forms = [self.form(g) for g in p.given]
        p.town_form = self.form(p.town)
        d, m, y = p.birth
        if p.birth_documented:
            p.agdref_birth = p.birth if self.rng.random() < 0.985 else noise.birth_slip(
                p.birth, self.rng.choice(("day_typo", "day_month_swapped")), self.rng)[0]
        else:
            p.agdref_birth = (1, 1, y) if self.rng.random() < 0.6 else (0, 0, y)

    def namesake(self, p: Person, kind: str) -> Person:
        """Another person with the same surname and first given name (as AGDREF spells
        them): `same_date`, `same_month`, `close_year` or `twin` (same surname and birth
        date, another given name)."""
        rng = self.rng
        other = self.person(p.nationality, p.sex if rng.random() < 0.9 else None)
        other.surname, other.surname_form = p.surname, p.surname_form
        if kind != "twin":
            other.given[0] = p.given[0]
            other.given_forms[0] = p.given_forms[0]
        d, m, y = p.birth
        if kind in ("same_date", "twin"):
            other.birth = p.birth
        elif kind == "same_month":
            other.birth = (noise.valid_day(rng.randint(1, 28), m, y), m, y)
        else:
            y2 = y + rng.choice((-1, 1))
            other.birth = (noise.valid_day(d, m, y2), m, y2)
        other.birth_documented = p.birth_documented if kind != "twin" else True
        other.agdref_birth = other.birth if other.birth_documented else p.agdref_birth
        return other


def spelling(p: Person, rates: Rates, rng: random.Random) -> tuple[str, str, list[str]]:
    """NOM and PRENOMS as a list or a second file writes them, with the tags of what
    departs from AGDREF's spelling."""
    tags: list[str] = []

    def choose(name: Name, agdref_form: int) -> str:
        if len(name) == 1 or rng.random() < rates.same_spelling:
            return name[agdref_form]
        chosen = rng.randrange(len(name))
        if chosen != agdref_form and name[chosen] != name[agdref_form]:
            tags.append("transliteration")
        return name[chosen]

    surname = choose(p.surname, p.surname_form)
    given = [choose(g, f) for g, f in zip(p.given, p.given_forms, strict=True)]
    if " " in surname or "-" in surname:
        if rng.random() < rates.compound_reshaped:
            parts = surname.replace("-", " ").split()
            shape = rng.choice(("glued", "hyphenated", "spaced", "rest_in_given",
                                "first_in_given"))
            if shape == "glued":
                surname = "".join(parts)
            elif shape == "hyphenated":
                surname = "-".join(parts)
            elif shape == "spaced":
                surname = " ".join(parts)
            elif shape == "rest_in_given":  # NOM keeps the first word only
                surname, given = parts[0], [" ".join(parts[1:]), *given]
            else:  # the particle is read as a given name
                surname, given = " ".join(parts[1:]), [*given, parts[0]]
            tags.append(f"compound_{shape}")
    if rng.random() < rates.surname_typo:
        surname, kind = noise.typo(surname, rng)
        tags += [f"surname_{kind}"] if kind != "none" else []
    if given and rng.random() < rates.given_typo:
        i = rng.randrange(len(given))
        given[i], kind = noise.typo(given[i], rng)
        tags += [f"given_{kind}"] if kind != "none" else []
    if rng.random() < rates.accent:
        if rng.random() < 0.5:
            surname = noise.accent(surname, rng)
        else:
            given[0] = noise.accent(given[0], rng)
        tags.append("accent")
    if len(given) > 1 and rng.random() < rates.first_given_only:
        given = given[:1]
        tags.append("first_given_only")
    if len(given) > 1 and rng.random() < 0.03:
        given = ["-".join(given[:2]), *given[2:]]
        tags.append("given_hyphenated")
    separator = ", " if rng.random() < rates.comma_separated else " "
    prenoms = separator.join(given)
    if rng.random() < rates.swapped:
        surname, prenoms = prenoms, surname
        tags.append("surname_given_swapped")
    return surname, prenoms, tags


def birth_on(p: Person, rates: Rates, rng: random.Random, documented_as_agdref: float
             ) -> tuple[noise.BirthDate | None, list[str]]:
    """The birth date a list or a second file writes, and its tags."""
    d, m, y = p.birth
    if not p.birth_documented:
        if rng.random() < documented_as_agdref:
            return p.agdref_birth, ["birth_year_only_both"]
        written = rng.choices(((1, 1, y), (0, 0, y), None), (0.4, 0.4, 0.2))[0]
        if written is None:  # the detainee declares a full date
            day = date(y, 1, 1) + timedelta(days=rng.randrange(365))
            written = (day.day, day.month, y)
        return written, ["birth_year_only_agdref"]
    draw = rng.random()
    for kind, rate in rates.birth_slips.items():
        if draw < rate:
            written, made = noise.birth_slip(p.birth, kind, rng)
            return written, [f"birth_{made}"] if written != p.birth else []
        draw -= rate
    if p.agdref_birth != p.birth:
        return p.birth, ["birth_slip_on_agdref"]
    return p.birth, []


def town_text(p: Person, rng: random.Random, own_spelling: bool, shapes: dict[str, float]
              ) -> str | None:
    """The place of birth as free text (docs/contracts.md §1: town, country)."""
    town = p.town[p.town_form if not own_spelling else rng.randrange(len(p.town))]
    country = rng.choice(p.nationality.genesis_names)
    shape = rng.choices(list(shapes), list(shapes.values()))[0]
    return {"town_country": f"{town}, {country}", "town": town,
            "town_brackets": f"{town} ({country})", "town_space": f"{town} {country}",
            "country": country, "empty": None}[shape]
