"""Detainee situations (GENESIS)."""

from __future__ import annotations

from data.synthetic.asylum import SUSPENSION_BASES, plant_reexam_registered
from data.synthetic.persons import (
    add_ada,
    add_asylum_history,
    add_decision,
    add_detention,
    add_measure,
    days,
)


def plant_detainee(kind: str):
    def plant(p, rng, as_of, ctx):
        long_sentence = rng.randint(800, 2500)
        if kind == "itf":
            add_detention(p, rng, as_of, rng.randint(10, 110), long_sentence,
                    itf=rng.choice(["TEMPORAIRE", "DEFINITIVE"]))
        elif kind == "oqtf":
            add_detention(p, rng, as_of, rng.randint(10, 110), long_sentence)
            add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(60, 600)), "L611-1-5",
                     situation="DETENU", ddv=None)
        elif kind == "no_measure":
            add_detention(p, rng, as_of, rng.randint(100, 180), rng.randint(200, 700))
        elif kind == "not_in_agdref":
            p.in_agdref = False
            add_detention(p, rng, as_of, rng.randint(10, 110), long_sentence)
        elif kind == "remand":
            add_detention(p, rng, as_of, 0, 0, category="PREVENU")
        elif kind == "release_far":
            add_detention(p, rng, as_of, rng.randint(300, 900), long_sentence + 900)
        elif kind == "refugee":
            add_detention(p, rng, as_of, rng.randint(10, 110), long_sentence)
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
            add_detention(p, rng, as_of, rng.randint(10, 110), long_sentence)
            add_ada(p, as_of - days(rng.randint(10, 100)), as_of + days(150), "VALIDE")
        elif kind == "minor":
            add_detention(p, rng, as_of, rng.randint(10, 110), rng.randint(200, 600))
            p.birth = as_of - days(rng.randint(16 * 365 + 20, 17 * 365 + 300))
        elif kind == "released":
            add_detention(p, rng, as_of, -rng.randint(3, 10), rng.randint(200, 700))
        elif kind == "eu_citizen":
            add_detention(p, rng, as_of, rng.randint(10, 110), long_sentence)
    return plant



def plant_detainee_issue31(kind: str):
    """Detainee situations of issue 31 (PRI-05, PRI-09, PRI-10, RTR-06, RTR-08)."""
    def plant(p, rng, as_of, ctx):
        long_sentence = rng.randint(800, 2500)
        if kind == "reexam_registered":
            add_detention(p, rng, as_of, rng.randint(10, 110), long_sentence,
                    itf=rng.choice(["NON", "TEMPORAIRE", "DEFINITIVE"]))
            if p.detention["itf"] == "NON":
                add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(150, 500)),
                         "L611-1-5", situation="DETENU", ddv=None)
            plant_reexam_registered(p, rng, as_of, ctx)
        elif kind == "remand_not_in_agdref":
            p.in_agdref = False
            add_detention(p, rng, as_of, 0, 0, category="PREVENU")
        elif kind == "long_sentence_not_in_agdref":
            p.in_agdref = False
            add_detention(p, rng, as_of, rng.randint(300, 900), long_sentence + 900)
        elif kind == "eu_citizen_itf":
            add_detention(p, rng, as_of, rng.randint(10, 110), long_sentence,
                    itf=rng.choice(["TEMPORAIRE", "DEFINITIVE"]))
            p.markers.add("EU_CITIZEN")
        elif kind in ("release_imminent", "release_in_8_to_9_days"):
            release_in = rng.randint(0, 7) if kind == "release_imminent" else rng.randint(8, 9)
            itf = rng.choice(["NON", "TEMPORAIRE", "DEFINITIVE"])
            add_detention(p, rng, as_of, release_in, rng.randint(200, 1500), itf=itf)
            if itf == "NON":
                add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(60, 600)),
                         "L611-1-5", situation="DETENU", ddv=None)
        elif kind == "early_end_suspension":
            add_detention(p, rng, as_of, rng.randint(10, 110), long_sentence,
                    itf=rng.choice(["TEMPORAIRE", "DEFINITIVE"]))
            basis = rng.choice(SUSPENSION_BASES)
            known = as_of - days(rng.randint(10, 120))
            d = add_decision(p, rng, known, outcome="IRRECEVABILITE" if basis == "L531-32-3"
                          else "REJET", basis=basis, procedure="ACCELEREE",
                          claim_type="REEXAMEN" if basis == "L531-32-3" else "PREMIERE",
                          decision_date=known - days(rng.randint(10, 20)))
            add_asylum_history(p, rng, d, as_of)
    return plant
