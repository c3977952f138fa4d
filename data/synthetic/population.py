"""Synthetic persons, each planted in one legal situation of RULES.md.

A situation says what the truth is and what the worklists must do with it:
`protected` persons must never appear on any worklist (a protection of RULES.md or a
closed measure); `flaggable_on` names the worklist where the person must appear. Dates
are planted with clear margins around every legal boundary (boundaries are tested by
the rule tests, not here).

Rates. Each family (asylum, measure, detainee) draws its persons by the weights of its
situations, after one person of each situation first (so that every situation is planted
at every scale, the sample included, when the family has at least 4 persons a situation:
true of every scale of generate.py). A situation's rate is its weight over the family's
total weight (asylum 104, measure 103.5, detainee 108.5). The situations of issue 31:

| situation                              | family   | wt  | rate  | protected | flaggable_on |
|----------------------------------------|----------|-----|-------|-----------|--------------|
| REEXAM_REGISTERED                      | asylum   | 2   | 1.9 % | RTR-08    |              |
| REEXAM_MULTIPLE_REGISTERED             | asylum   | 1   | 1.0 % |           | rejected     |
| QUARANTINED_ROW_NAMING_PERSON          | asylum   | 1.5 | 1.4 % | DQ-01     |              |
| CONSULAR_REQUEST_TOO_EARLY (1)         | measure  | 1   | 1.0 % |           | unexecuted   |
| DUBLIN_HELD_AFTER_ACCEPTANCE           | measure  | 1.5 | 1.4 % |           | unexecuted   |
| DETAINEE_REEXAM_REGISTERED             | detainee | 1   | 0.9 % | RTR-08    |              |
| DETAINEE_REMAND_NOT_IN_AGDREF          | detainee | 3   | 2.8 % |           | releases     |
| DETAINEE_LONG_SENTENCE_NOT_IN_AGDREF   | detainee | 2   | 1.8 % |           | releases     |
| DETAINEE_EU_CITIZEN_ITF (2)            | detainee | 1   | 0.9 % |           | releases     |
| DETAINEE_RELEASE_IMMINENT (3)          | detainee | 2   | 1.8 % |           | releases     |
| DETAINEE_RELEASE_IN_8_TO_9_DAYS        | detainee | 1   | 0.9 % |           | releases     |
| DETAINEE_EARLY_END_SUSPENSION_POSSIBLE | detainee | 1.5 | 1.4 % |           | releases (4) |

rejected = rejected_without_oqtf, unexecuted = unexecuted_measures, releases =
upcoming_releases. Truth (truth/persons.csv): (1) legal_alert CONSULAR_CONTACT_FORBIDDEN;
(2) marker EU_CITIZEN; (3) release 0 to 7 days away, marker PRISON_ANSWER_DUE; (4) marker
SUSPENSION_REQUEST_POSSIBLE (also on EARLY_END_SAFE_COUNTRY and REEXAM_MULTIPLE_REJECTED).
The quarantined rows are listed in truth/defects.csv (`planted_for`).

Late establishments (PRI-01, marker STALE_PRISON_LIST on the flags of their latest list)
and the State of a handover (MESURES.ETAT_MEMBRE) are rates of generate.REALISM."""

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


# --- asylum decisions (TélémOfpra rows, before list assignment) -------------------------

def _decision(p: Person, rng: random.Random, known: date, **fields) -> dict:
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


def _ada(p: Person, start: date, end: date, status: str) -> None:
    p.titles.append({"type": "ADA", "start": start, "end": end, "status": status})


def _asylum_history(p: Person, rng: random.Random, decision: dict, as_of: date) -> None:
    """The ADA that every rejected claimant holds in AGDREF: expired, or withdrawn
    (RETIRE) by the prefecture when the right to remain ended before its end date."""
    end = decision["decision_date"] + days(30)
    _ada(p, decision["claim_date"], end, "EXPIRE" if end < as_of else "RETIRE")


def _known_date(rng: random.Random, as_of: date, ctx: dict, oldest: int = 350,
                newest: int = 3) -> date:
    return as_of - days(rng.randint(newest, oldest))


def plant_ofpra_final(p, rng, as_of, ctx):
    """OFPRA rejection reported final: notified, then one month without appeal."""
    known = _known_date(rng, as_of, ctx)
    decided = known - days(rng.randint(45, 80))
    notified = decided + days(4)
    d = _decision(p, rng, known, decision_date=decided, notification_date=notified,
                  final_date=notified + days(rng.randint(31, 35)))
    _asylum_history(p, rng, d, as_of)


def plant_cnda_hearing(p, rng, as_of, ctx):
    known = _known_date(rng, as_of, ctx)
    read = known - days(rng.randint(2, 10))
    d = _decision(p, rng, known, body="CNDA", cnda_mode="AUDIENCE", decision_date=read,
                  notification_date=read + days(rng.randint(1, 2)))
    _asylum_history(p, rng, d, as_of)


def plant_cnda_ordonnance_not_notified(p, rng, as_of, ctx):
    known = as_of - days(rng.randint(3, 20))
    d = _decision(p, rng, known, body="CNDA", cnda_mode="ORDONNANCE",
                  decision_date=known - days(rng.randint(1, 3)), notified=False)
    _asylum_history(p, rng, d, as_of)


def plant_cnda_ordonnance_notified(p, rng, as_of, ctx):
    known = _known_date(rng, as_of, ctx)
    signed = known - days(rng.randint(3, 10))
    d = _decision(p, rng, known, body="CNDA", cnda_mode="ORDONNANCE", decision_date=signed,
                  notification_date=signed + days(2))
    _asylum_history(p, rng, d, as_of)


def plant_early_end(basis: str, outcome: str, procedure: str, claim_type: str = "PREMIERE"):
    def plant(p, rng, as_of, ctx):
        known = _known_date(rng, as_of, ctx)
        d = _decision(p, rng, known, outcome=outcome, basis=basis, procedure=procedure,
                      claim_type=claim_type, decision_date=known - days(rng.randint(10, 20)))
        _asylum_history(p, rng, d, as_of)
    return plant


def plant_reexam_multiple(p, rng, as_of, ctx):
    known = _known_date(rng, as_of, ctx)
    d = _decision(p, rng, known, claim_type="REEXAMEN_MULTIPLE", outcome="IRRECEVABILITE",
                  basis="L531-32-3", procedure="ACCELEREE",
                  decision_date=known - days(rng.randint(5, 15)))
    _asylum_history(p, rng, d, as_of)


def _registered_request(p: Person, rng: random.Random, as_of: date, claim_type: str,
                        after: date) -> dict:
    """A re-examination request registered at OFPRA and not yet decided (CONTRACTS §1.1):
    a TélémOfpra row with the six decision fields empty, listed after `after`."""
    registered = min(after + days(rng.randint(20, 60)), as_of - days(12))
    row = {
        "claim_type": claim_type, "procedure": "ACCELEREE", "body": "OFPRA",
        "outcome": None, "basis": None, "cnda_mode": None, "claim_date": registered,
        "decision_date": None, "notification_date": None, "final_date": None,
        "known": registered + days(rng.randint(2, 5)),
    }
    p.decisions.append(row)
    return row


def _old_final_rejection(p: Person, rng: random.Random, as_of: date, claim_type: str,
                         oldest: int, newest: int, claimed_after: date | None = None) -> dict:
    """An OFPRA rejection reported final (RTR-03), known between `oldest` and `newest`
    days before the as-of date, and its expired ADA."""
    known = as_of - days(rng.randint(newest, oldest))
    decided = known - days(rng.randint(45, 80))
    notified = decided + days(4)
    claimed = decided - days(rng.randint(120, 300))
    if claimed_after is not None:
        claimed = max(claimed, min(claimed_after + days(30), decided - days(60)))
    d = _decision(p, rng, known, claim_type=claim_type, claim_date=claimed,
                  decision_date=decided, notification_date=notified,
                  final_date=notified + days(rng.randint(31, 35)))
    _asylum_history(p, rng, d, as_of)
    return d


def plant_reexam_registered(p, rng, as_of, ctx):
    """RTR-08: a final rejection, then a first re-examination registered and undecided:
    the right to remain runs again (no ADA in AGDREF yet: only TélémOfpra shows it)."""
    d = _old_final_rejection(p, rng, as_of, "PREMIERE", 330, 90)
    _registered_request(p, rng, as_of, "REEXAMEN", d["known"])


def plant_reexam_multiple_registered(p, rng, as_of, ctx):
    """RTR-06/RTR-08: a final rejection, a first re-examination rejected for good, then a
    second re-examination registered: it gives no right to remain, the RTR stays ended
    by the final rejection of the first re-examination."""
    first = _old_final_rejection(p, rng, as_of, "PREMIERE", 900, 600)
    d = _old_final_rejection(p, rng, as_of, "REEXAMEN", 330, 90, first["final_date"])
    _registered_request(p, rng, as_of, "REEXAMEN_MULTIPLE", d["known"])


def plant_quarantined_row(p, rng, as_of, ctx):
    """DQ-01: a person the OQTF list would flag (final OFPRA rejection, no measure) whose
    AGDREF row of one table is defective in the latest snapshot but keeps a well-formed
    AGDREF number: excluded with SOURCE_ROW_QUARANTINED until the row is corrected."""
    plant_ofpra_final(p, rng, as_of, ctx)
    p.quarantined_table = rng.choice(["TITRES", "TITRES", "PERSONNES"])


def plant_ofpra_unconfirmed(p, rng, as_of, ctx):
    known = as_of - days(rng.randint(3, 60))
    d = _decision(p, rng, known, decision_date=known - days(rng.randint(5, 20)))
    _ada(p, d["claim_date"], as_of + days(120), "VALIDE")


def plant_closure(recent: bool):
    def plant(p, rng, as_of, ctx):
        age = rng.randint(30, 200) if recent else rng.randint(300, 340)
        decided = as_of - days(age)
        d = _decision(p, rng, decided + days(rng.randint(5, 10)), outcome="CLOTURE",
                      basis=rng.choice(["L531-37", "L531-38"]), decision_date=decided)
        _asylum_history(p, rng, d, as_of)
    return plant


def plant_protection(outcome: str, body: str = "OFPRA", old_oqtf: bool = False):
    def plant(p, rng, as_of, ctx):
        known = _known_date(rng, as_of, ctx)
        fields = {"outcome": outcome, "body": body}
        if body == "CNDA":
            fields.update(cnda_mode="AUDIENCE", decision_date=known - days(5))
        d = _decision(p, rng, known, **fields)
        _ada(p, d["claim_date"], d["decision_date"] + days(20), "EXPIRE")
        p.titles.append({"type": "RECEPISSE", "start": d["decision_date"] + days(20),
                         "end": as_of + days(90), "status": "VALIDE"})
        if old_oqtf:
            _measure(p, rng, as_of, "OQTF", decided=d["claim_date"] - days(rng.randint(60, 400)),
                     basis="L611-1-1")
    return plant


def plant_rejected_then(kind: str):
    """A final rejection plus one fact that protects the person or takes them off the list."""
    def plant(p, rng, as_of, ctx):
        plant_ofpra_final(p, rng, as_of, ctx)
        d = p.decisions[-1]
        if kind == "new_claim":
            p.titles.append({"type": "ADA", "start": as_of - days(rng.randint(10, 60)),
                             "end": as_of + days(rng.randint(60, 200)), "status": "VALIDE"})
        elif kind == "minor":
            p.birth = as_of - days(rng.randint(16 * 365 + 20, 17 * 365 + 300))
        elif kind == "permit":
            p.titles.append({"type": rng.choice(["CST", "CSP"]),
                             "start": as_of - days(rng.randint(10, 200)),
                             "end": as_of + days(rng.randint(100, 700)), "status": "VALIDE"})
        elif kind == "deceased_or_left":
            p.file_status = rng.choice(["DECEDE", "PARTI", "NATURALISE"])
        elif kind == "oqtf_issued":
            decided = min(d["known"] + days(rng.randint(5, 14)), as_of - days(1))
            _measure(p, rng, as_of, "OQTF", decided=decided, basis="L611-1-4")
        elif kind == "old_oqtf":
            _measure(p, rng, as_of, "OQTF", decided=as_of - days(rng.randint(1300, 2000)),
                     basis="L611-1-1")
        elif kind == "long_presence":
            p.entry_date = as_of - days(rng.randint(11 * 365, 15 * 365))
        elif kind == "french_family":
            p.family_link = rng.choice(["CONJOINT", "PARENT"])
    return plant


# --- removal measures (AGDREF MESURES / EVENEMENTS) ------------------------------------

def _measure(p: Person, rng: random.Random, as_of: date, kind: str, decided: date,
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


FAILURE_REASONS = ("refus d'embarquer", "refus d'embarquer", "refus d'embarquer",
                   "absence de laissez-passer consulaire", "vol annulé",
                   "refus du commandant de bord", "non-présentation à l'embarquement")


def _failed_attempts(m: dict, rng: random.Random, as_of: date) -> None:
    """What a prefecture tries before giving up, in order: return aid, a consular pass
    (granted or refused), house arrest, a failed removal with its reason."""
    start = (m["notified"] or m["decided"]) + days(rng.randint(35, 60))
    steps: list[tuple[str, str | None]] = []
    if rng.random() < 0.5:
        steps.append(("AIDE_RETOUR_PROPOSEE", None))
    if rng.random() < 0.6:
        steps.append(("DEMANDE_LAISSEZ_PASSER", None))
        steps.append((rng.choice(["LAISSEZ_PASSER_OBTENU", "LAISSEZ_PASSER_REFUSE",
                                  "LAISSEZ_PASSER_REFUSE"]), None))
    if rng.random() < 0.3:
        steps.append(("ASSIGNATION_RESIDENCE", None))
    if rng.random() < 0.5:
        steps.append(("ECHEC_ELOIGNEMENT", rng.choice(FAILURE_REASONS)))
    for event, reason in steps:
        if start < as_of:
            m["events"].append({"type": event, "date": start, "reason": reason})
            start += days(rng.randint(5, 40))


def plant_oqtf(state: str):
    def plant(p, rng, as_of, ctx):
        basis = "L611-1-4" if rng.random() < 0.4 else rng.choice(
            ["L611-1-1", "L611-1-2", "L611-1-3", "L611-1-5"])
        if state == "enforceable":
            m = _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(80, 900)), basis,
                         appeal=rng.choice(["AUCUN", "AUCUN", "REJETE"]))
            _failed_attempts(m, rng, as_of)
        elif state == "ddv_running":
            _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(3, 15)), basis)
        elif state == "appeal_pending":
            _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(40, 300)), basis,
                     appeal="EN_COURS")
        elif state == "annulled":
            _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(60, 600)), basis,
                     appeal="ANNULE", status=rng.choice(["ANNULEE", "ABROGEE", "RETIREE"]))
        elif state == "executed":
            m = _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(60, 600)), basis)
            done = m["notified"] + days(rng.randint(31, 50))
            if rng.random() < 0.5:
                m["status"] = "EXECUTEE"
                m["events"].append({"type": "ELOIGNEMENT_EXECUTE", "date": done, "reason": None})
            else:
                m["events"].append({"type": "DEPART_VOLONTAIRE_CONSTATE", "date": done,
                                    "reason": None})
        elif state == "old":
            m = _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(1200, 2200)), basis)
            _failed_attempts(m, rng, as_of)
        elif state == "detained_notified":
            _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(20, 200)), basis,
                     situation="DETENU", notified=None, ddv=None)
            p.measures[-1]["notified"] = p.measures[-1]["decided"]
        elif state == "retention_recent":
            decided = as_of - days(1)
            _measure(p, rng, as_of, "OQTF", decided, basis, situation="RETENU",
                     notified=decided, ddv=None)
        elif state == "suspended_by_rtr":
            _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(200, 700)), basis)
            _ada(p, as_of - days(rng.randint(10, 90)), as_of + days(120), "VALIDE")
        elif state == "person_left":
            _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(100, 700)), basis)
            p.file_status = "PARTI"
    return plant


def plant_expulsion(p, rng, as_of, ctx):
    m = _measure(p, rng, as_of, rng.choice(["APE", "AME"]),
                 as_of - days(rng.randint(60, 1500)), ddv=None)
    _failed_attempts(m, rng, as_of)


def plant_dublin(state: str):
    def plant(p, rng, as_of, ctx):
        age = {"pending": rng.randint(60, 150), "expired": rng.randint(200, 330),
               "absconded": rng.randint(200, 480)}[state]
        accepted = as_of - days(age)
        m = _measure(p, rng, as_of, "TRANSFERT_DUBLIN", accepted + days(rng.randint(3, 10)),
                     ddv=None, acceptance=accepted)
        if state == "absconded":
            m["events"].append({"type": "FUITE", "date": accepted + days(rng.randint(20, 60)),
                                "reason": "absent lors de la présentation"})
        _ada(p, accepted - days(40), accepted + days(10), "EXPIRE")
    return plant


def plant_remise(p, rng, as_of, ctx):
    accepted = as_of - days(rng.randint(60, 300))
    _measure(p, rng, as_of, "REMISE", accepted + days(rng.randint(2, 8)), ddv=None,
             acceptance=accepted)


def plant_consular_request_too_early(p, rng, as_of, ctx):
    """PRI-07: an OQTF taken before an asylum claim (RTR-02), a consular pass requested
    while the claim awaited the CNDA, the claim since rejected at a CNDA hearing: the
    OQTF is unexecuted and enforceable, and the early request is a legal alert."""
    read = as_of - days(rng.randint(60, 200))
    claim = read - days(rng.randint(250, 400))
    decided = claim - days(rng.randint(60, 150))
    m = _measure(p, rng, as_of, "OQTF", decided, "L611-1-2",
                 appeal=rng.choice(["AUCUN", "REJETE"]))
    known = read + days(rng.randint(3, 10))
    d = _decision(p, rng, known, body="CNDA", cnda_mode="AUDIENCE", claim_date=claim,
                  decision_date=read, notification_date=read + days(rng.randint(1, 2)))
    _asylum_history(p, rng, d, as_of)
    request = read - days(rng.randint(20, 90))
    m["events"].append({"type": "DEMANDE_LAISSEZ_PASSER", "date": request, "reason": None})
    if rng.random() < 0.5:
        m["events"].append({"type": "LAISSEZ_PASSER_REFUSE",
                            "date": request + days(rng.randint(5, 15)), "reason": None})
    p.legal_alert = "CONSULAR_CONTACT_FORBIDDEN"


def plant_dublin_held(p, rng, as_of, ctx):
    """EX-04: a Dublin acceptance 7 to 11 months old and a detention since, shown on
    earlier GENESIS lists only (released before the latest list): the transfer deadline
    is 12 months, so the transfer is still to execute."""
    accepted = as_of - days(rng.randint(215, 330))
    _measure(p, rng, as_of, "TRANSFERT_DUBLIN", accepted + days(rng.randint(3, 10)),
             ddv=None, acceptance=accepted)
    _ada(p, accepted - days(40), accepted + days(10), "EXPIRE")
    committed = as_of - days(rng.randint(60, 100))
    # the release date is set against the establishment's list dates (generate.py):
    # after its last-but-one list, before its latest
    p.detention = {"committed": committed, "release": None, "sentence": None,
                   "category": "CONDAMNE", "itf": "NON", "leaves_before_latest_list": True}


# --- detainees (GENESIS) --------------------------------------------------------------

def _detain(p: Person, rng: random.Random, as_of: date, release_in: int, sentence: int,
            category: str = "CONDAMNE", itf: str = "NON") -> None:
    release = as_of + days(release_in)
    committed = release - days(sentence) + days(rng.randint(0, max(1, sentence // 4)))
    committed = min(committed, as_of - days(rng.randint(70, 120)))
    p.detention = {"committed": committed, "release": release, "sentence": sentence,
                   "category": category, "itf": itf}


def plant_detainee(kind: str):
    def plant(p, rng, as_of, ctx):
        long_sentence = rng.randint(800, 2500)
        if kind == "itf":
            _detain(p, rng, as_of, rng.randint(10, 110), long_sentence,
                    itf=rng.choice(["TEMPORAIRE", "DEFINITIVE"]))
        elif kind == "oqtf":
            _detain(p, rng, as_of, rng.randint(10, 110), long_sentence)
            _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(60, 600)), "L611-1-5",
                     situation="DETENU", ddv=None)
        elif kind == "no_measure":
            _detain(p, rng, as_of, rng.randint(100, 180), rng.randint(200, 700))
        elif kind == "not_in_agdref":
            p.in_agdref = False
            _detain(p, rng, as_of, rng.randint(10, 110), long_sentence)
        elif kind == "remand":
            _detain(p, rng, as_of, 0, 0, category="PREVENU")
        elif kind == "release_far":
            _detain(p, rng, as_of, rng.randint(300, 900), long_sentence + 900)
        elif kind == "refugee":
            _detain(p, rng, as_of, rng.randint(10, 110), long_sentence)
            p.titles.append({"type": "CR", "start": as_of - days(rng.randint(400, 3000)),
                             "end": as_of + days(rng.randint(300, 3000)), "status": "VALIDE"})
            p.decisions.append({"claim_type": "PREMIERE", "procedure": "NORMALE",
                                "body": "OFPRA", "outcome": "REFUGIE", "basis": None,
                                "cnda_mode": None,
                                "claim_date": as_of - days(rng.randint(500, 700)),
                                "decision_date": as_of - days(rng.randint(100, 300)),
                                "notification_date": None, "final_date": None,
                                "known": as_of - days(rng.randint(20, 90))})
            p.decisions[-1]["notification_date"] = p.decisions[-1]["decision_date"] + days(5)
        elif kind == "asylum_pending":
            _detain(p, rng, as_of, rng.randint(10, 110), long_sentence)
            _ada(p, as_of - days(rng.randint(10, 100)), as_of + days(150), "VALIDE")
        elif kind == "minor":
            _detain(p, rng, as_of, rng.randint(10, 110), rng.randint(200, 600))
            p.birth = as_of - days(rng.randint(16 * 365 + 20, 17 * 365 + 300))
        elif kind == "released":
            _detain(p, rng, as_of, -rng.randint(3, 10), rng.randint(200, 700))
        elif kind == "eu_citizen":
            _detain(p, rng, as_of, rng.randint(10, 110), long_sentence)
    return plant


SUSPENSION_BASES = ("L531-32-3", "L753-5", "L531-24")


def plant_detainee_issue31(kind: str):
    """Detainee situations of issue 31 (PRI-05, PRI-09, PRI-10, RTR-06, RTR-08)."""
    def plant(p, rng, as_of, ctx):
        long_sentence = rng.randint(800, 2500)
        if kind == "reexam_registered":
            _detain(p, rng, as_of, rng.randint(10, 110), long_sentence,
                    itf=rng.choice(["NON", "TEMPORAIRE", "DEFINITIVE"]))
            if p.detention["itf"] == "NON":
                _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(150, 500)),
                         "L611-1-5", situation="DETENU", ddv=None)
            plant_reexam_registered(p, rng, as_of, ctx)
        elif kind == "remand_not_in_agdref":
            p.in_agdref = False
            _detain(p, rng, as_of, 0, 0, category="PREVENU")
        elif kind == "long_sentence_not_in_agdref":
            p.in_agdref = False
            _detain(p, rng, as_of, rng.randint(300, 900), long_sentence + 900)
        elif kind == "eu_citizen_itf":
            _detain(p, rng, as_of, rng.randint(10, 110), long_sentence,
                    itf=rng.choice(["TEMPORAIRE", "DEFINITIVE"]))
            p.markers.add("EU_CITIZEN")
        elif kind in ("release_imminent", "release_in_8_to_9_days"):
            release_in = rng.randint(0, 7) if kind == "release_imminent" else rng.randint(8, 9)
            itf = rng.choice(["NON", "TEMPORAIRE", "DEFINITIVE"])
            _detain(p, rng, as_of, release_in, rng.randint(200, 1500), itf=itf)
            if itf == "NON":
                _measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(60, 600)),
                         "L611-1-5", situation="DETENU", ddv=None)
        elif kind == "early_end_suspension":
            _detain(p, rng, as_of, rng.randint(10, 110), long_sentence,
                    itf=rng.choice(["TEMPORAIRE", "DEFINITIVE"]))
            basis = rng.choice(SUSPENSION_BASES)
            known = as_of - days(rng.randint(10, 120))
            d = _decision(p, rng, known, outcome="IRRECEVABILITE" if basis == "L531-32-3"
                          else "REJET", basis=basis, procedure="ACCELEREE",
                          claim_type="REEXAMEN" if basis == "L531-32-3" else "PREMIERE",
                          decision_date=known - days(rng.randint(10, 20)))
            _asylum_history(p, rng, d, as_of)
    return plant



SITUATIONS: list[Situation] = [
    # asylum: flaggable on the OQTF list
    Situation("OFPRA_REJECTION_FINAL", "asylum", 20, False, REJECTED, plant_ofpra_final),
    Situation("CNDA_REJECTION_HEARING", "asylum", 14, False, REJECTED, plant_cnda_hearing),
    Situation("CNDA_ORDONNANCE_NOT_NOTIFIED", "asylum", 3, False, REJECTED,
              plant_cnda_ordonnance_not_notified),
    Situation("CNDA_ORDONNANCE_NOTIFIED", "asylum", 7, False, REJECTED,
              plant_cnda_ordonnance_notified),
    Situation("EARLY_END_INADMISSIBLE", "asylum", 3, False, REJECTED,
              plant_early_end("L531-32-2", "IRRECEVABILITE", "NORMALE")),
    Situation("EARLY_END_SAFE_COUNTRY", "asylum", 3, False, REJECTED,
              plant_early_end("L531-24", "REJET", "ACCELEREE")),
    Situation("REEXAM_MULTIPLE_REJECTED", "asylum", 2, False, REJECTED, plant_reexam_multiple),
    Situation("CLOSURE_OLD", "asylum", 1.5, False, REJECTED, plant_closure(recent=False)),
    Situation("REJECTED_OLD_OQTF", "asylum", 2, False, REJECTED, plant_rejected_then("old_oqtf")),
    Situation("REJECTED_LONG_PRESENCE", "asylum", 2, False, REJECTED,
              plant_rejected_then("long_presence")),
    Situation("REJECTED_FRENCH_FAMILY", "asylum", 1.5, False, REJECTED,
              plant_rejected_then("french_family")),
    # asylum: protected or off the list
    Situation("OFPRA_REJECTION_UNCONFIRMED", "asylum", 3, True, "", plant_ofpra_unconfirmed),
    Situation("CLOSURE_REOPENABLE", "asylum", 2, True, "", plant_closure(recent=True)),
    Situation("REFUGEE_OFPRA", "asylum", 10, True, "", plant_protection("REFUGIE")),
    Situation("SUBSIDIARY_PROTECTION_CNDA", "asylum", 4, True, "",
              plant_protection("ANNULATION_PROTECTION_SUBSIDIAIRE", "CNDA")),
    Situation("STATELESS", "asylum", 0.5, True, "", plant_protection("APATRIDE")),
    Situation("REFUGEE_WITH_OLD_OQTF", "asylum", 1, True, "",
              plant_protection("ANNULATION_REFUGIE", "CNDA", old_oqtf=True)),
    Situation("REJECTED_NEW_CLAIM_PENDING", "asylum", 2, True, "",
              plant_rejected_then("new_claim")),
    Situation("REJECTED_MINOR", "asylum", 1.5, True, "", plant_rejected_then("minor")),
    Situation("REJECTED_RESIDENCE_PERMIT", "asylum", 1.5, True, "",
              plant_rejected_then("permit")),
    Situation("REJECTED_DECEASED_OR_LEFT", "asylum", 1, True, "",
              plant_rejected_then("deceased_or_left")),
    Situation("REJECTED_OQTF_ISSUED", "asylum", 14, False, "",
              plant_rejected_then("oqtf_issued")),
    # issue 31 (after the older situations of the family, see the table above)
    Situation("REEXAM_REGISTERED", "asylum", 2, True, "", plant_reexam_registered),
    Situation("REEXAM_MULTIPLE_REGISTERED", "asylum", 1, False, REJECTED,
              plant_reexam_multiple_registered),
    Situation("QUARANTINED_ROW_NAMING_PERSON", "asylum", 1.5, True, "", plant_quarantined_row),
    # removal measures
    Situation("OQTF_ENFORCEABLE", "measure", 40, False, MEASURES, plant_oqtf("enforceable")),
    Situation("OQTF_NOT_COERCIBLE", "measure", 14, False, MEASURES, plant_oqtf("old")),
    Situation("OQTF_DETAINED_NOTIFIED", "measure", 4, False, MEASURES,
              plant_oqtf("detained_notified")),
    Situation("EXPULSION_UNEXECUTED", "measure", 3, False, MEASURES, plant_expulsion),
    Situation("DUBLIN_PENDING", "measure", 5, False, MEASURES, plant_dublin("pending")),
    Situation("DUBLIN_ABSCONDED", "measure", 2, False, MEASURES, plant_dublin("absconded")),
    Situation("REMISE_UNEXECUTED", "measure", 2, False, MEASURES, plant_remise),
    Situation("OQTF_DEPARTURE_PERIOD_RUNNING", "measure", 4, True, "", plant_oqtf("ddv_running")),
    Situation("OQTF_APPEAL_PENDING", "measure", 8, True, "", plant_oqtf("appeal_pending")),
    Situation("OQTF_ANNULLED", "measure", 5, True, "", plant_oqtf("annulled")),
    Situation("OQTF_EXECUTED", "measure", 6, True, "", plant_oqtf("executed")),
    Situation("OQTF_RETENTION_WINDOW_OPEN", "measure", 1, True, "",
              plant_oqtf("retention_recent")),
    Situation("OQTF_SUSPENDED_BY_RTR", "measure", 2, True, "", plant_oqtf("suspended_by_rtr")),
    Situation("DUBLIN_DEADLINE_EXPIRED", "measure", 3, True, "", plant_dublin("expired")),
    Situation("MEASURE_PERSON_LEFT", "measure", 2, True, "", plant_oqtf("person_left")),
    # issue 31
    Situation("CONSULAR_REQUEST_TOO_EARLY", "measure", 1, False, MEASURES,
              plant_consular_request_too_early),
    Situation("DUBLIN_HELD_AFTER_ACCEPTANCE", "measure", 1.5, False, MEASURES,
              plant_dublin_held),
    # detainees
    Situation("DETAINEE_ITF", "detainee", 12, False, RELEASES, plant_detainee("itf")),
    Situation("DETAINEE_OQTF", "detainee", 10, False, RELEASES, plant_detainee("oqtf")),
    Situation("DETAINEE_NO_MEASURE", "detainee", 10, False, RELEASES,
              plant_detainee("no_measure")),
    Situation("DETAINEE_NOT_IN_AGDREF", "detainee", 6, False, RELEASES,
              plant_detainee("not_in_agdref")),
    Situation("DETAINEE_REMAND", "detainee", 25, False, "", plant_detainee("remand")),
    Situation("DETAINEE_RELEASE_FAR", "detainee", 20, False, "", plant_detainee("release_far")),
    Situation("DETAINEE_RELEASED", "detainee", 5, False, "", plant_detainee("released")),
    Situation("DETAINEE_REFUGEE", "detainee", 3, True, "", plant_detainee("refugee")),
    Situation("DETAINEE_ASYLUM_PENDING", "detainee", 2, True, "",
              plant_detainee("asylum_pending")),
    Situation("DETAINEE_MINOR", "detainee", 2, True, "", plant_detainee("minor")),
    Situation("DETAINEE_EU_CITIZEN", "detainee", 2, True, "", plant_detainee("eu_citizen")),
    # issue 31
    Situation("DETAINEE_REEXAM_REGISTERED", "detainee", 1, True, "",
              plant_detainee_issue31("reexam_registered")),
    Situation("DETAINEE_REMAND_NOT_IN_AGDREF", "detainee", 3, False, RELEASES,
              plant_detainee_issue31("remand_not_in_agdref")),
    Situation("DETAINEE_LONG_SENTENCE_NOT_IN_AGDREF", "detainee", 2, False, RELEASES,
              plant_detainee_issue31("long_sentence_not_in_agdref")),
    Situation("DETAINEE_EU_CITIZEN_ITF", "detainee", 1, False, RELEASES,
              plant_detainee_issue31("eu_citizen_itf")),
    Situation("DETAINEE_RELEASE_IMMINENT", "detainee", 2, False, RELEASES,
              plant_detainee_issue31("release_imminent")),
    Situation("DETAINEE_RELEASE_IN_8_TO_9_DAYS", "detainee", 1, False, RELEASES,
              plant_detainee_issue31("release_in_8_to_9_days")),
    Situation("DETAINEE_EARLY_END_SUSPENSION_POSSIBLE", "detainee", 1.5, False, RELEASES,
              plant_detainee_issue31("early_end_suspension")),
]

SITUATIONS_BY_FAMILY: dict[str, list[Situation]] = {}
for _s in SITUATIONS:
    SITUATIONS_BY_FAMILY.setdefault(_s.family, []).append(_s)


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
