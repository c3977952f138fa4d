"""Asylum situations: decisions as TélémOfpra will list them, and the ADA in AGDREF."""

from __future__ import annotations

import random
from datetime import date

from data.synthetic.persons import (
    Person,
    add_ada,
    add_asylum_history,
    add_decision,
    add_measure,
    days,
)


def _known_date(rng: random.Random, as_of: date, ctx: dict, oldest: int = 350,
                newest: int = 3) -> date:
    return as_of - days(rng.randint(newest, oldest))


def plant_ofpra_final(p, rng, as_of, ctx):
    """OFPRA rejection reported final: notified, then one month without appeal."""
    known = _known_date(rng, as_of, ctx)
    decided = known - days(rng.randint(45, 80))
    notified = decided + days(4)
    d = add_decision(p, rng, known, decision_date=decided, notification_date=notified,
                  final_date=notified + days(rng.randint(31, 35)))
    add_asylum_history(p, rng, d, as_of)


def plant_cnda_hearing(p, rng, as_of, ctx):
    known = _known_date(rng, as_of, ctx)
    read = known - days(rng.randint(2, 10))
    d = add_decision(p, rng, known, body="CNDA", cnda_mode="AUDIENCE", decision_date=read,
                  notification_date=read + days(rng.randint(1, 2)))
    add_asylum_history(p, rng, d, as_of)


def plant_cnda_ordonnance_not_notified(p, rng, as_of, ctx):
    known = as_of - days(rng.randint(3, 20))
    d = add_decision(p, rng, known, body="CNDA", cnda_mode="ORDONNANCE",
                  decision_date=known - days(rng.randint(1, 3)), notified=False)
    add_asylum_history(p, rng, d, as_of)


def plant_cnda_ordonnance_notified(p, rng, as_of, ctx):
    known = _known_date(rng, as_of, ctx)
    signed = known - days(rng.randint(3, 10))
    d = add_decision(p, rng, known, body="CNDA", cnda_mode="ORDONNANCE", decision_date=signed,
                  notification_date=signed + days(2))
    add_asylum_history(p, rng, d, as_of)


def plant_early_end(basis: str, outcome: str, procedure: str, claim_type: str = "PREMIERE"):
    def plant(p, rng, as_of, ctx):
        known = _known_date(rng, as_of, ctx)
        d = add_decision(p, rng, known, outcome=outcome, basis=basis, procedure=procedure,
                      claim_type=claim_type, decision_date=known - days(rng.randint(10, 20)))
        add_asylum_history(p, rng, d, as_of)
    return plant


def plant_reexam_multiple(p, rng, as_of, ctx):
    known = _known_date(rng, as_of, ctx)
    d = add_decision(p, rng, known, claim_type="REEXAMEN_MULTIPLE", outcome="IRRECEVABILITE",
                  basis="L531-32-3", procedure="ACCELEREE",
                  decision_date=known - days(rng.randint(5, 15)))
    add_asylum_history(p, rng, d, as_of)


def _registered_request(p: Person, rng: random.Random, as_of: date, claim_type: str,
                        after: date) -> dict:
    """A re-examination request registered at OFPRA and not yet decided (docs/contracts.md §1.1):
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
    d = add_decision(p, rng, known, claim_type=claim_type, claim_date=claimed,
                  decision_date=decided, notification_date=notified,
                  final_date=notified + days(rng.randint(31, 35)))
    add_asylum_history(p, rng, d, as_of)
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
    d = add_decision(p, rng, known, decision_date=known - days(rng.randint(5, 20)))
    add_ada(p, d["claim_date"], as_of + days(120), "VALIDE")


def plant_closure(recent: bool):
    def plant(p, rng, as_of, ctx):
        age = rng.randint(30, 200) if recent else rng.randint(300, 340)
        decided = as_of - days(age)
        d = add_decision(p, rng, decided + days(rng.randint(5, 10)), outcome="CLOTURE",
                      basis=rng.choice(["L531-37", "L531-38"]), decision_date=decided)
        add_asylum_history(p, rng, d, as_of)
    return plant


def plant_protection(outcome: str, body: str = "OFPRA", old_oqtf: bool = False):
    def plant(p, rng, as_of, ctx):
        known = _known_date(rng, as_of, ctx)
        fields = {"outcome": outcome, "body": body}
        if body == "CNDA":
            fields.update(cnda_mode="AUDIENCE", decision_date=known - days(5))
        d = add_decision(p, rng, known, **fields)
        add_ada(p, d["claim_date"], d["decision_date"] + days(20), "EXPIRE")
        p.titles.append({"type": "RECEPISSE", "start": d["decision_date"] + days(20),
                         "end": as_of + days(90), "status": "VALIDE"})
        if old_oqtf:
            add_measure(p, rng, as_of, "OQTF", decided=d["claim_date"] - days(rng.randint(60, 400)),
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
            add_measure(p, rng, as_of, "OQTF", decided=decided, basis="L611-1-4")
        elif kind == "old_oqtf":
            add_measure(p, rng, as_of, "OQTF", decided=as_of - days(rng.randint(1300, 2000)),
                     basis="L611-1-1")
        elif kind == "long_presence":
            p.entry_date = as_of - days(rng.randint(11 * 365, 15 * 365))
        elif kind == "french_family":
            p.family_link = rng.choice(["CONJOINT", "PARENT"])
    return plant



SUSPENSION_BASES = ("L531-32-3", "L753-5", "L531-24")
