"""A synthetic person, the situation planted on it, and the facts planted: asylum
decisions, titles, removal measures and detention (situations.py says which)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from data.synthetic.names import ORIGINS, pick_origin

REJECTED = "rejected_without_oqtf"
RELEASES = "upcoming_releases"
MEASURES = "unexecuted_measures"


@dataclass
class Person:
    person_id: str
    origin: str
    last_name: str
    first_names: list[str]
    sex: str
    birth: date
    birth_day_known: bool = True
    birth_month_known: bool = True
    nationality: str = ""
    department: str = ""
    agdref_numbers: list[str] = field(default_factory=list)
    file_departments: list[str] = field(default_factory=list)  # managing each file
    entry_date: date | None = None
    family_link: str | None = None
    file_status: str = "ACTIF"
    in_agdref: bool = True
    situation: str = "BACKGROUND"
    family: str = "background"
    protected: bool = False
    flaggable_on: str = ""
    decisions: list[dict] = field(default_factory=list)
    titles: list[dict] = field(default_factory=list)
    measures: list[dict] = field(default_factory=list)
    detention: dict | None = None
    # what the run must also produce for this person (truth/persons.csv): markers the
    # generator knows are due on the person's flag (a subset: others may be due too),
    # and the reason code of a legal alert (worklists.legal_alerts)
    markers: set[str] = field(default_factory=set)
    legal_alert: str = ""
    # an AGDREF table whose row of this person is planted defective in every snapshot
    # (QUARANTINED_ROW_NAMING_PERSON): "TITRES" or "PERSONNES"
    quarantined_table: str = ""
    # the town of birth (birth_places.TOWNS: its spellings), and LIEU_NAISSANCE as each
    # list or file writes it ("genesis", "agdref:<number>"): the same every snapshot
    birth_town: str | None = None
    birth_places_written: dict[str, str] = field(default_factory=dict)
    # DATE_ENTREE_FRANCE of each file after the first (agdref.entry_date_written)
    entry_dates_written: dict[int, date | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Situation:
    code: str
    family: str
    weight: float
    protected: bool
    flaggable_on: str
    plant: Callable[[Person, random.Random, date, dict], None]


def days(n: int) -> timedelta:
    return timedelta(days=n)


# --- facts planted on a person ---------------------------------------------------------

def add_decision(p: Person, rng: random.Random, known: date, **fields) -> dict:
    row = {
        "claim_type": "PREMIERE", "procedure": "NORMALE", "body": "OFPRA",
        "outcome": "REJET", "basis": None, "cnda_mode": None,
        "claim_date": known - days(rng.randint(200, 500)),
        "decision_date": known - days(rng.randint(40, 60)),
        "notification_date": None, "final_date": None, "known": known,
    }
    row.update(fields)
    if row["notification_date"] is None and fields.get("notified", True):
        row["notification_date"] = row["decision_date"] + days(rng.randint(3, 8))
    row.pop("notified", None)
    p.decisions.append(row)
    return row


def add_ada(p: Person, start: date, end: date, status: str) -> None:
    p.titles.append({"type": "ADA", "start": start, "end": end, "status": status})


def add_asylum_history(p: Person, rng: random.Random, decision: dict, as_of: date) -> None:
    """The ADA that every rejected claimant holds in AGDREF: expired, or withdrawn
    (RETIRE) by the prefecture when the right to remain ended before its end date."""
    end = decision["decision_date"] + days(30)
    add_ada(p, decision["claim_date"], end, "EXPIRE" if end < as_of else "RETIRE")



def add_measure(p: Person, rng: random.Random, as_of: date, kind: str, decided: date,
             basis: str | None = None, **fields) -> dict:
    situation = fields.pop("situation", "LIBRE")
    notified = fields.pop("notified", decided + days(rng.randint(1, 5)))
    if notified is not None and notified > as_of:  # no snapshot reports the future
        notified = as_of
    ddv = fields.pop("ddv", 30 if kind == "OQTF" and situation == "LIBRE" else None)
    m = {
        "type": kind, "basis": basis or {"OQTF": "L611-1-2", "APE": "L631-1", "AME": "L631-1",
                                          "ITF": "131-30 CP", "REMISE": "L621-2",
                                          "TRANSFERT_DUBLIN": "L572-1"}[kind],
        "decided": decided, "notified": notified, "ddv": ddv, "situation": situation,
        "irtf": rng.choice([None, 1, 2, 3]) if kind == "OQTF" else None,
        "acceptance": None, "appeal": "AUCUN", "status": "EN_VIGUEUR", "events": [],
    }
    m.update(fields)
    p.measures.append(m)
    return m



def add_detention(p: Person, rng: random.Random, as_of: date, release_in: int, sentence: int,
            category: str = "CONDAMNE", itf: str = "NON") -> None:
    release = as_of + days(release_in)
    committed = release - days(sentence) + days(rng.randint(0, max(1, sentence // 4)))
    committed = min(committed, as_of - days(rng.randint(70, 120)))
    p.detention = {"committed": committed, "release": release, "sentence": sentence,
                   "category": category, "itf": itf}



def draw_identity(rng: random.Random, as_of: date, person_id: str, department: str,
                  origin: str | None = None) -> Person:
    origin = origin or pick_origin(rng)
    pools = ORIGINS[origin]
    sex = "M" if rng.random() < 0.72 else "F"
    given_pool = pools["male"] if sex == "M" else pools["female"]
    count = rng.choices([1, 2, 3], weights=[65, 28, 7])[0]
    first = rng.sample(given_pool, min(count, len(given_pool)))
    age_days = rng.randint(19 * 365, 55 * 365)
    birth = as_of - days(age_days)
    return Person(
        person_id=person_id, origin=origin, last_name=rng.choice(pools["surnames"]),
        first_names=first, sex=sex, birth=birth,
        nationality=rng.choice(pools["nationalities"]), department=department,
        entry_date=as_of - days(rng.randint(200, 9 * 365)) if rng.random() < 0.85 else None,
    )
