"""Write this test set's inbox and truth (docs/contracts.md §1).

    python -m benchmarks.independent.generate --out DIR --scale department --seed 1

Per department (`Scale`): AGDREF files of a background population, the files of the
persons the lists name, second files of some persons (duplicates, sometimes opened by
another prefecture), namesakes' files (same surname and first given name, same or close
birth date, another person); weekly TélémOfpra lists of asylum decisions; GENESIS lists
of two establishments. Some list records have no file at all, some name a wrong number.
Each department keys asylum attestations (ADA) in TITRES, or not at all, or only since
a migration (`ADA_POLICIES`).

The truth (truth.py): every record key with its true person and the slips it carries.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from benchmarks.independent import noise, population
from benchmarks.independent.names import CONFUSED_NATIONALITY, NATIONALITIES
from benchmarks.independent.population import GENESIS, TELEMOFPRA, People, Person
from benchmarks.independent.truth import TRUTH_COLUMNS, TruthWriter
from schemas.codes import DEPARTMENTS

AS_OF = date(2026, 11, 16)
AGDREF_DATE = date(2026, 11, 15)
TELEMOFPRA_DATES = tuple(date(2026, 10, 19) + timedelta(weeks=k) for k in range(5))
GENESIS_DATES = (date(2026, 10, 30), date(2026, 11, 13))
ADA_MIGRATION = date(2025, 1, 1)


@dataclass(frozen=True)
class Scale:
    departments: int
    background_files: int  # per department
    claimants: int  # TélémOfpra persons per department
    detainees: int  # per establishment
    establishments: int  # per department


SCALES = {
    "tiny": Scale(1, 300, 40, 15, 2),
    # the project's department scale: about 29,600 AGDREF files and 1,600 list records
    "department": Scale(1, 28_300, 1_150, 220, 2),
    "national": Scale(100, 28_300, 1_150, 220, 2),
}
ADA_POLICIES = ("ALL", "NONE", "SINCE_2025")

AGDREF_PLACES = {"town_country": 0.6, "town": 0.12, "town_brackets": 0.05, "country": 0.1,
                 "empty": 0.13}
GENESIS_PLACES = {"town_country": 0.45, "town": 0.15, "town_brackets": 0.1, "town_space": 0.1,
                  "country": 0.1, "empty": 0.1}

COLUMNS = {
    "PERSONNES": ("NUM_AGDREF", "NOM", "NOM_USAGE", "PRENOMS", "SEXE", "DATE_NAISSANCE",
                  "LIEU_NAISSANCE", "NATIONALITE", "DEPT_GESTION", "DATE_ENTREE_FRANCE",
                  "LIEN_FAMILIAL_FRANCAIS", "SITUATION"),
    "TITRES": ("NUM_AGDREF", "TYPE_TITRE", "DATE_DEBUT", "DATE_FIN", "STATUT"),
    "MESURES": ("ID_MESURE", "NUM_AGDREF", "TYPE_MESURE", "FONDEMENT", "DATE_DECISION",
                "DATE_NOTIFICATION", "DELAI_DEPART_JOURS", "SITUATION_NOTIFICATION",
                "IRTF_ANNEES", "DATE_ACCORD_ETAT_MEMBRE", "RECOURS", "STATUT", "ETAT_MEMBRE"),
    "EVENEMENTS": ("ID_MESURE", "TYPE_EVENEMENT", "DATE_EVENEMENT", "MOTIF"),
    "TELEMOFPRA": ("NUM_OFPRA", "NUM_AGDREF", "NOM", "PRENOMS", "SEXE", "DATE_NAISSANCE",
                   "NATIONALITE", "DEPT_DOMICILIATION", "TYPE_DEMANDE", "PROCEDURE",
                   "DATE_INTRODUCTION", "ORGANE", "SENS_DECISION", "FONDEMENT",
                   "DATE_DECISION", "MODE_CNDA", "DATE_NOTIFICATION", "DATE_DEFINITIVE"),
    "GENESIS": ("NUM_ECROU", "CODE_ETABLISSEMENT", "LIBELLE_ETABLISSEMENT",
                "DEPT_ETABLISSEMENT", "NOM", "PRENOMS", "ALIAS", "SEXE", "DATE_NAISSANCE",
                "LIEU_NAISSANCE", "NATIONALITE", "DATE_ECROU", "CATEGORIE_PENALE",
                "QUANTUM_TOTAL_JOURS", "DATE_LIBERATION_PREVISIBLE", "ITF", "NUM_AGDREF"),
}


def fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class Numbers:
    """Unique 10-digit AGDREF numbers that look random (leading zeros included)."""

    STRIDE = 7_919_000_037  # odd, not a multiple of 5: every residue mod 10^10 once

    def __init__(self, seed: int):
        self.next_value = (seed * 1_234_567_891) % 10**10
        self.issued: list[str] = []

    def new(self) -> str:
        self.next_value = (self.next_value + self.STRIDE) % 10**10
        number = f"{self.next_value:010d}"
        if len(self.issued) < 50_000:
            self.issued.append(number)
        return number


class World:
    """The rows of every file, built department by department."""

    def __init__(self, scale: Scale, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.people = People(self.rng)
        self.numbers = Numbers(seed)
        count = scale.departments
        self.departments = ["38"] if count == 1 else list(DEPARTMENTS[:count])
        shuffled = self.departments[:]
        self.rng.shuffle(shuffled)
        # one department: it keys no ADA (the case of issue 33); several: a mix
        self.ada = {d: ("NONE" if count == 1 else ADA_POLICIES[i % 5 % 3])
                    for i, d in enumerate(shuffled)}
        self.agdref: dict[str, dict[str, list[tuple]]] = defaultdict(lambda: defaultdict(list))
        self.telemofpra: dict[tuple[str, date], list[tuple]] = defaultdict(list)
        self.genesis: dict[tuple[str, date], list[tuple]] = defaultdict(list)
        self.truth: list[tuple[str, str, str, str]] = []  # written by department
        self.groups: dict[str, list[str]] = {}  # the files of persons holding several
        self.ofpra_ids = iter(range(1, 10**9))
        self.measure_ids = iter(range(1, 10**9))

    def other_department(self, dept: str) -> str | None:
        """Where a person who moved has a file: None when that department is not in
        the inbox (one-department scale)."""
        if len(self.departments) == 1:
            return None
        other = self.rng.choice(self.departments)
        return other if other != dept else None

    # AGDREF ------------------------------------------------------------------------
    def open_file(self, p: Person, dept: str, claim_intro: date | None = None,
                  detained: bool = False, duplicate_rate: float = 0.025,
                  tags: tuple[str, ...] = (), movable: bool = True) -> str:
        """A file of `p` in `dept`, and sometimes a second one (in another department
        only when `movable`: that department's files may already be written)."""
        rng = self.rng
        number = self.numbers.new()
        p.files.append(number)
        p.depts.append(dept)
        given = " ".join(g[f] for g, f in zip(p.given, p.given_forms, strict=True))
        entry = None
        if rng.random() < 0.8:
            entry = claim_intro - timedelta(days=rng.randint(5, 150)) if claim_intro \
                else date(2008, 1, 1) + timedelta(days=rng.randrange(6500))
        p.entry = entry
        self.personnes(number, p.surname[p.surname_form], given, p, p.agdref_birth,
                       population.town_text(p, rng, False, AGDREF_PLACES), dept, entry)
        self.truth.append((f"agdref:{number}", p.pid, "agdref", "|".join(tags)))
        self.titles(number, dept, claim_intro, detained)
        if rng.random() < duplicate_rate:
            self.duplicate_file(p, dept, entry, movable)
        return number

    def personnes(self, number: str, nom: str, prenoms: str, p: Person,
                  birth: noise.BirthDate | None, place: str | None, dept: str,
                  entry: date | None) -> None:
        rng = self.rng
        usage = self.people.pick(p.nationality.surnames)[0] if p.sex == "F" \
            and rng.random() < 0.05 else ""
        link = rng.choices(("", "CONJOINT", "PARENT"), (0.97, 0.02, 0.01))[0]
        situation = rng.choices(("ACTIF", "PARTI", "NATURALISE", "DECEDE"),
                                (0.95, 0.03, 0.015, 0.005))[0]
        self.agdref[dept]["PERSONNES"].append((
            number, nom, usage, prenoms, p.sex, noise.format_birth(birth) if birth else "",
            place or "", p.nationality.iso3, dept, fmt(entry), link, situation))

    def duplicate_file(self, p: Person, dept: str, entry: date | None, movable: bool) -> None:
        """A second file of the same person, opened from other papers."""
        rng = self.rng
        where = dept if rng.random() < 0.6 or not movable else self.other_department(dept)
        if where is None:
            return
        number = self.numbers.new()
        p.files.append(number)
        p.depts.append(where)
        self.groups[p.pid] = p.files
        nom, prenoms, tags = population.spelling(p, population.DUPLICATE, rng)
        birth, birth_tags = population.birth_on(p, population.DUPLICATE, rng, 0.8)
        shape = rng.choices(("same", "empty", "other"), (0.5, 0.25, 0.25))[0]
        first_entry = entry
        if shape == "other" or entry is None:
            entry = None if shape == "empty" else date(2008, 1, 1) + timedelta(
                days=rng.randrange(6500))
        if first_entry is None:  # the first file has none: missing on one side or both
            shape = "empty"
        self.personnes(number, nom, prenoms, p, birth,
                       population.town_text(p, rng, True, AGDREF_PLACES), where, entry)
        moved = ["other_department"] if where != dept else []
        self.truth.append((f"agdref:{number}", p.pid, "agdref",
                           "|".join(["duplicate", f"entry_{shape}", *moved, *tags,
                                     *birth_tags])))

    def titles(self, number: str, dept: str, claim_intro: date | None, detained: bool) -> None:
        rng = self.rng
        rows = self.agdref[dept]["TITRES"]
        policy = self.ada[dept]
        if claim_intro is not None:
            if policy == "ALL" or (policy == "SINCE_2025" and claim_intro >= ADA_MIGRATION):
                start = claim_intro - timedelta(days=rng.randint(1, 21))
                end = start + timedelta(days=rng.choice((180, 270, 365)))
                rows.append((number, "ADA", fmt(start), fmt(end),
                             "VALIDE" if end >= AGDREF_DATE else "EXPIRE"))
            return
        kind = rng.choices(("CST", "CSP", "CR", "RECEPISSE", "APS", "ADA", ""),
                           (0.4, 0.15, 0.15, 0.08, 0.04, 0.06, 0.12))[0]
        if kind == "ADA" and policy != "ALL":
            kind = "RECEPISSE"
        if not kind or detained and rng.random() < 0.5:
            return
        start = date(2016, 1, 1) + timedelta(days=rng.randrange(3900))
        years = {"CR": 10, "CSP": 4}.get(kind, 1)
        end = start + timedelta(days=365 * years)
        rows.append((number, kind, fmt(start), fmt(end),
                     "VALIDE" if end >= AGDREF_DATE else "EXPIRE"))

    def measure(self, number: str, dept: str, decided: date, situation: str) -> None:
        rng = self.rng
        if decided >= AGDREF_DATE:
            return
        measure_id = f"M{next(self.measure_ids):09d}"
        notified = decided + timedelta(days=rng.randint(1, 20))
        notified = notified if notified < AGDREF_DATE else None
        self.agdref[dept]["MESURES"].append((
            measure_id, number, "OQTF", "L611-1-4" if situation == "LIBRE" else "L611-1-1",
            fmt(decided), fmt(notified), "30" if situation == "LIBRE" else "",
            situation, rng.choice(("", "1", "2")), "", "AUCUN", "EN_VIGUEUR", ""))
        if notified and rng.random() < 0.3:
            event = notified + timedelta(days=rng.randint(1, 40))
            if event < AGDREF_DATE:
                self.agdref[dept]["EVENEMENTS"].append((
                    measure_id, "AIDE_RETOUR_PROPOSEE", fmt(event), ""))

    # numbers a list writes ------------------------------------------------------------
    def list_number(self, p: Person, present: float, wrong: float) -> tuple[str, list[str]]:
        rng = self.rng
        if not p.files:
            if rng.random() < 0.03 and self.numbers.issued:
                return rng.choice(self.numbers.issued), ["number_of_someone_else"]
            return "", []
        if rng.random() >= present:
            return "", ["number_missing"]
        number = rng.choice(p.files)
        tags = ["number_of_second_file"] if number != p.files[0] else []
        if rng.random() < wrong:
            kind = rng.choice(("digit", "transposed", "someone_else", "leading_zero"))
            if kind == "someone_else" and self.numbers.issued:
                number = rng.choice(self.numbers.issued)
            elif kind == "leading_zero" and number.startswith("0"):
                number = number[1:]
            elif kind == "transposed":
                i = rng.randrange(9)
                number = number[:i] + number[i + 1] + number[i] + number[i + 2:]
            else:
                i = rng.randrange(10)
                number = number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) \
                    + number[i + 1:]
            if number not in p.files:
                tags.append(f"number_wrong_{kind}")
        return number, tags

    def identity_slips(self, p: Person, rates: population.Rates
                       ) -> tuple[str, str, str, str, list[str]]:
        """NOM, PRENOMS, SEXE, DATE_NAISSANCE of a list, and the tags."""
        rng = self.rng
        nom, prenoms, tags = population.spelling(p, rates, rng)
        birth, birth_tags = population.birth_on(p, rates, rng, 0.7)
        sex = p.sex
        if rng.random() < rates.sex_missing:
            sex, tags = "", [*tags, "sex_missing"]
        elif rng.random() < rates.sex_wrong:
            sex, tags = ("F" if p.sex == "M" else "M"), [*tags, "sex_wrong"]
        unknown = "XX" if rates is GENESIS and rng.random() < 0.3 else "00"
        written = noise.format_birth(birth, unknown) if birth else ""
        return nom, prenoms, sex, written, [*tags, *birth_tags]

    # TélémOfpra -----------------------------------------------------------------------
    def claimant(self, dept: str) -> Person:
        rng = self.rng
        p = self.people.person()
        decided = date(2024, 6, 1) + timedelta(days=rng.randrange((AGDREF_DATE - date(
            2024, 6, 1)).days))
        intro = decided - timedelta(days=rng.randint(45, 400))
        tags = []
        has_file = rng.random() < 0.95
        file_dept = dept if rng.random() < 0.92 else self.other_department(dept)
        if has_file and file_dept:
            tags = [] if file_dept == dept else ["moved"]
            self.open_file(p, file_dept, claim_intro=intro)
            if self.ada[file_dept] == "NONE" or (self.ada[file_dept] == "SINCE_2025"
                                                 and intro < ADA_MIGRATION):
                tags.append("no_ada_in_department")
        else:
            tags = ["no_file_moved" if has_file else "no_file"]
        self.add_namesake(p, dept)
        ofpra = f"{intro.year % 100:02d}-{next(self.ofpra_ids):08d}"
        number, number_tags = self.list_number(p, 0.85, 0.05)
        nom, prenoms, sex, birth, slips = self.identity_slips(p, TELEMOFPRA)
        nationality = p.nationality.iso3
        if rng.random() < TELEMOFPRA.nationality_confused:
            nationality, slips = CONFUSED_NATIONALITY[nationality], [*slips, "nationality_other"]
        identity = (ofpra, number, nom, prenoms, sex, birth, nationality, dept)
        self.truth.append((f"telemofpra:{ofpra}", p.pid, "telemofpra",
                           "|".join([*tags, *number_tags, *slips, *p_tags(p)])))
        self.decisions(identity, intro, decided, p, dept)
        return p

    def decisions(self, identity: tuple, intro: date, decided: date, p: Person,
                  dept: str) -> None:
        rng = self.rng
        last = TELEMOFPRA_DATES[-1]
        kind = rng.choices(("PREMIERE", "REEXAMEN", "REOUVERTURE"), (0.85, 0.1, 0.05))[0]
        procedure = "ACCELEREE" if kind != "PREMIERE" or rng.random() < 0.25 else "NORMALE"
        if kind != "PREMIERE" and rng.random() < 0.2:  # registered, not yet decided
            self.weekly(identity + (kind, procedure, fmt(intro), "OFPRA", "", "", "", "", "",
                                    ""), intro)
            return
        outcome = rng.choices(("REJET", "REFUGIE", "PROTECTION_SUBSIDIAIRE", "CLOTURE",
                               "IRRECEVABILITE"), (0.72, 0.12, 0.1, 0.03, 0.03))[0]
        notified = decided + timedelta(days=rng.randint(2, 20))
        notified = notified if notified <= last else None
        appeal = outcome in ("REJET", "IRRECEVABILITE") and notified and rng.random() < 0.7
        final = None
        if notified and not appeal and outcome not in ("REFUGIE", "PROTECTION_SUBSIDIAIRE"):
            final = notified + timedelta(days=31)
            final = final if final <= last else None
        self.weekly(identity + (kind, procedure, fmt(intro), "OFPRA", outcome, "",
                                fmt(decided), "", fmt(notified), fmt(final)),
                    max(d for d in (decided, notified, final) if d))
        rejected_on = final
        if appeal:
            read = notified + timedelta(days=rng.randint(40, 300))
            if read <= last:
                result = rng.choices(("REJET", "ANNULATION_REFUGIE",
                                      "ANNULATION_PROTECTION_SUBSIDIAIRE", "NON_LIEU",
                                      "DESISTEMENT"), (0.8, 0.08, 0.05, 0.03, 0.04))[0]
                told = read + timedelta(days=rng.randint(3, 25))
                told = told if told <= last else None
                self.weekly(identity + (kind, procedure, fmt(intro), "CNDA", result, "",
                                        fmt(read), rng.choice(("AUDIENCE", "ORDONNANCE")),
                                        fmt(told), ""), max(d for d in (read, told) if d))
                rejected_on = told if result == "REJET" else None
        if rejected_on and p.files and rng.random() < 0.5:
            self.measure(p.files[0], p.depts[0],
                         rejected_on + timedelta(days=rng.randint(10, 90)), "LIBRE")

    def weekly(self, row: tuple, latest: date) -> None:
        week = next(d for d in TELEMOFPRA_DATES if d >= latest) if latest > TELEMOFPRA_DATES[
            0] else TELEMOFPRA_DATES[0]
        self.telemofpra[(row[7], week)].append(row)

    # GENESIS --------------------------------------------------------------------------
    def detainee(self, dept: str, establishment: str, label: str, serial: int,
                 claimants: list[Person]) -> None:
        rng = self.rng
        tags: list[str] = []
        if claimants and rng.random() < 0.05:
            p = rng.choice(claimants)
            tags.append("also_claimant")
        else:
            p = self.people.person(sex="M" if rng.random() < 0.95 else "F")
            if rng.random() < 0.65:
                file_dept = dept if rng.random() < 0.75 else self.other_department(dept)
                if file_dept:
                    number = self.open_file(p, file_dept, detained=True)
                    tags += [] if file_dept == dept else ["moved"]
                    if rng.random() < 0.4:
                        self.measure(number, file_dept, date(2025, 1, 1) + timedelta(
                            days=rng.randrange(650)), "DETENU")
                else:
                    tags.append("no_file_moved")
            else:
                tags.append("no_file")
            self.add_namesake(p, dept)
        nom, prenoms, sex, birth, slips = self.identity_slips(p, GENESIS)
        alias = ""
        if rng.random() < 0.04:  # declared under another name, the real one known as alias
            alias = f"{nom} {prenoms}"
            nom = self.people.pick(p.nationality.surnames)[0]
            slips.append("false_name_real_in_alias")
        elif rng.random() < 0.08:
            other_nom, other_prenoms, _ = population.spelling(p, GENESIS, rng)
            alias = f"{other_nom} {other_prenoms}"
            slips.append("alias_variant")
        if rng.random() < 0.03:
            nom, prenoms = nom.title(), prenoms.title()
            slips.append("title_case")
        nationality = rng.choice(p.nationality.genesis_names)
        if rng.random() < GENESIS.nationality_confused:
            nationality = "INDETERMINEE"
            slips.append("nationality_unknown")
        number, number_tags = self.list_number(p, 0.15, 0.08)
        committed = date(2023, 1, 1) + timedelta(days=rng.randrange(1400))
        category = rng.choices(("CONDAMNE", "PREVENU", "MIXTE"), (0.7, 0.2, 0.1))[0]
        quantum = release = ""
        if category != "PREVENU":
            release_day = GENESIS_DATES[1] + timedelta(days=rng.randint(1, 500))
            quantum = str(max(30, (release_day - committed).days + rng.randint(0, 90)))
            release = fmt(release_day)
        ecrou = f"{committed.year}{serial:05d}"
        row = (ecrou, establishment, label, dept, nom, prenoms, alias, sex, birth,
               population.town_text(p, rng, True, GENESIS_PLACES) or "", nationality,
               fmt(committed), category, quantum, release,
               rng.choices(("NON", "TEMPORAIRE", "DEFINITIVE"), (0.8, 0.15, 0.05))[0], number)
        on_lists = [d for d in GENESIS_DATES if d >= committed]
        if rng.random() < 0.05:  # released between the two lists
            on_lists = on_lists[:1]
            tags.append("released")
        for day in on_lists:
            self.genesis[(establishment, day)].append(row)
        self.truth.append((f"genesis:{establishment}:{ecrou}", p.pid, "genesis",
                           "|".join([*tags, *number_tags, *slips, *p_tags(p)])))

    # namesakes and background ---------------------------------------------------------
    def add_namesake(self, p: Person, dept: str) -> None:
        rng = self.rng
        if rng.random() >= (0.06 if p.files else 0.12):
            return
        kind = rng.choices(("same_date", "same_month", "close_year", "twin"),
                           (0.3, 0.35, 0.3, 0.05))[0]
        other = self.people.namesake(p, kind)
        where = dept if rng.random() < 0.7 else (self.other_department(dept) or dept)
        self.open_file(other, where, duplicate_rate=0.0, tags=("namesake", kind))
        p.namesake = kind

    def background(self, dept: str) -> None:
        for _ in range(self.scale.background_files):
            p = self.people.person()
            self.open_file(p, dept, duplicate_rate=0.006, movable=False)
            if self.rng.random() < 0.03:
                self.measure(p.files[0], dept, date(2024, 1, 1) + timedelta(
                    days=self.rng.randrange(1000)), "LIBRE")

    def lists(self, dept: str) -> None:
        """The department's list records, their files (in any department) and their
        namesakes' files."""
        claimants = [self.claimant(dept) for _ in range(self.scale.claimants)]
        code = dept.rjust(3, "0")
        for k in range(self.scale.establishments):
            establishment = f"E{code}{k + 1:02d}"
            town = f"DEPARTEMENT {dept}"
            label = ("CENTRE PENITENTIAIRE" if k % 2 else "MAISON D'ARRET") + f" {town} {k + 1}"
            for serial in range(self.scale.detainees):
                self.detainee(dept, establishment, label, serial, claimants)


def p_tags(p: Person) -> list[str]:
    tags = []
    if not p.birth_documented:
        tags.append("birth_year_only_papers")
    if p.namesake:
        tags.append(f"namesake_{p.namesake}")
    if len(p.files) > 1:
        tags.append("has_duplicate_file")
    return tags


def write_csv(path: Path, header: tuple[str, ...], rows: list[tuple], encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n"
                            if encoding == "cp1252" else "\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_agdref(world: World, dept: str, inbox: Path) -> None:
    """The department's AGDREF snapshot, then forgotten (a national set holds millions
    of files)."""
    stamp = AGDREF_DATE.strftime("%Y%m%d")
    for table in ("PERSONNES", "TITRES", "MESURES", "EVENEMENTS"):
        write_csv(inbox / "agdref" / f"AGDREF_{table}_{dept}_{stamp}.csv",
                  COLUMNS[table], world.agdref[dept][table], "utf-8")
    del world.agdref[dept]


def write_lists(world: World, inbox: Path) -> None:
    for (dept, day), rows in sorted(world.telemofpra.items()):
        write_csv(inbox / "telemofpra" / f"TELEMOFPRA_{dept}_{day:%Y%m%d}.csv",
                  COLUMNS["TELEMOFPRA"], rows, "cp1252")
    for (establishment, day), rows in sorted(world.genesis.items()):
        write_csv(inbox / "genesis" / f"GENESIS_{establishment}_{day:%Y%m%d}.csv",
                  COLUMNS["GENESIS"], rows, "utf-8-sig")


def generate_independent(folder: Path, scale: str, seed: int) -> dict:
    """folder/inbox (the files), folder/truth (truth.py) and folder/manifest.json,
    written last."""
    world = World(SCALES[scale], seed)
    for dept in world.departments:
        world.lists(dept)
    records = sum(1 for r in world.truth if r[2] != "agdref")
    write_lists(world, folder / "inbox")
    files = 0
    with TruthWriter(folder / "truth") as truth:
        for dept in world.departments:
            world.background(dept)
            files += len(world.agdref[dept]["PERSONNES"])
            write_agdref(world, dept, folder / "inbox")
            truth.write(world.truth)
            world.truth.clear()
        truth.write_groups(world.groups)
    manifest = {"generator": "benchmarks.independent", "scale": scale, "seed": seed,
                "as_of": AS_OF.isoformat(), "departments": world.departments,
                "ada_policies": world.ada, **asdict(world.scale),
                "agdref_files": files, "records": records,
                "nationalities": [n.iso3 for n in NATIONALITIES],
                "truth_columns": list(TRUTH_COLUMNS)}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                          encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scale", default="department", choices=sorted(SCALES))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(generate_independent(args.out, args.scale, args.seed), indent=2))


if __name__ == "__main__":
    main()
