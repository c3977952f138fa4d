"""Removal measure situations (AGDREF MESURES / EVENEMENTS)."""

from __future__ import annotations

import random
from datetime import date

from data.synthetic.persons import (
    add_ada,
    add_asylum_history,
    add_decision,
    add_measure,
    days,
)

FAILURE_REASONS = ("refus d'embarquer", "refus d'embarquer", "refus d'embarquer",
                   "absence de laissez-passer consulaire", "vol annulé",
                   "refus du commandant de bord", "non-présentation à l'embarquement")
# A handover to another State needs no consular pass.
HANDOVER_FAILURE_REASONS = tuple(r for r in FAILURE_REASONS if "consulaire" not in r)


def _failed_attempts(m: dict, rng: random.Random, as_of: date) -> None:
    """What a prefecture tries before giving up, in order: return aid, a consular pass
    (granted, refused or still unanswered), house arrest, a failed removal with its
    reason."""
    start = (m["notified"] or m["decided"]) + days(rng.randint(35, 60))
    steps: list[tuple[str, str | None]] = []
    if rng.random() < 0.5:
        steps.append(("AIDE_RETOUR_PROPOSEE", None))
    if rng.random() < 0.6:
        steps.append(("DEMANDE_LAISSEZ_PASSER", None))
        # a consulate answers, or leaves a quarter of the requests unanswered
        answer = rng.choice(["LAISSEZ_PASSER_OBTENU", "LAISSEZ_PASSER_REFUSE",
                             "LAISSEZ_PASSER_REFUSE", None])
        if answer:
            steps.append((answer, None))
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
            m = add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(80, 900)), basis,
                         appeal=rng.choice(["AUCUN", "AUCUN", "REJETE"]))
            _failed_attempts(m, rng, as_of)
        elif state == "ddv_running":
            m = add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(3, 15)), basis)
            # return aid is offered within the departure period, often at notification
            offered = m["notified"] + days(rng.randint(0, 5))
            if rng.random() < 0.5 and offered <= as_of:
                m["events"].append({"type": "AIDE_RETOUR_PROPOSEE", "date": offered,
                                    "reason": None})
        elif state == "appeal_pending":
            add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(40, 300)), basis,
                     appeal="EN_COURS")
        elif state == "annulled":
            add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(60, 600)), basis,
                     appeal="ANNULE", status=rng.choice(["ANNULEE", "ABROGEE", "RETIREE"]))
        elif state == "executed":
            m = add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(60, 600)), basis)
            done = m["notified"] + days(rng.randint(31, 50))
            if rng.random() < 0.5:
                m["status"] = "EXECUTEE"
                m["events"].append({"type": "ELOIGNEMENT_EXECUTE", "date": done, "reason": None})
            else:
                m["events"].append({"type": "DEPART_VOLONTAIRE_CONSTATE", "date": done,
                                    "reason": None})
        elif state == "old":
            m = add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(1200, 2200)), basis)
            _failed_attempts(m, rng, as_of)
        elif state == "detained_notified":
            add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(20, 200)), basis,
                     situation="DETENU", notified=None, ddv=None)
            p.measures[-1]["notified"] = p.measures[-1]["decided"]
        elif state == "retention_recent":
            decided = as_of - days(1)
            add_measure(p, rng, as_of, "OQTF", decided, basis, situation="RETENU",
                     notified=decided, ddv=None)
        elif state == "suspended_by_rtr":
            add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(200, 700)), basis)
            add_ada(p, as_of - days(rng.randint(10, 90)), as_of + days(120), "VALIDE")
        elif state == "person_left":
            add_measure(p, rng, as_of, "OQTF", as_of - days(rng.randint(100, 700)), basis)
            p.file_status = "PARTI"
    return plant


def plant_expulsion(p, rng, as_of, ctx):
    m = add_measure(p, rng, as_of, rng.choice(["APE", "AME"]),
                 as_of - days(rng.randint(60, 1500)), ddv=None)
    _failed_attempts(m, rng, as_of)


def _failed_attempt(m: dict, rng: random.Random, first: date, last: date) -> None:
    """An attempt to hand the person over that failed, between two dates, with its reason."""
    m["events"].append({"type": "ECHEC_ELOIGNEMENT",
                        "date": first + days(rng.randint(0, (last - first).days)),
                        "reason": rng.choice(HANDOVER_FAILURE_REASONS)})


def _handed_over(m: dict, rng: random.Random, as_of: date, within: int) -> None:
    """A handover carried out at most `within` days after its notification, before the
    run date, a quarter of them after an attempt that failed: the measure EXECUTEE, with
    its ELOIGNEMENT_EXECUTE event (EX-02: closed)."""
    notified = m["notified"]
    done = notified + days(rng.randint(5, min(within, (as_of - notified).days - 1)))
    if rng.random() < 0.25:
        _failed_attempt(m, rng, notified + days(1), done - days(2))
    m["status"] = "EXECUTEE"
    m["events"].append({"type": "ELOIGNEMENT_EXECUTE", "date": done, "reason": None})


def _failed_handover(m: dict, rng: random.Random, as_of: date) -> None:
    """An attempt that failed on a fifth of the handovers still to carry out."""
    notified = m["notified"]
    if rng.random() < 0.2 and (as_of - notified).days > 10:
        _failed_attempt(m, rng, notified + days(5), as_of - days(1))


def plant_dublin(state: str):
    """`transferred`: carried out within the transfer's 6 months (EX-04), closed (EX-02)."""
    def plant(p, rng, as_of, ctx):
        age = {"pending": rng.randint(60, 150), "expired": rng.randint(200, 330),
               "absconded": rng.randint(200, 480), "transferred": rng.randint(30, 400)}[state]
        accepted = as_of - days(age)
        m = add_measure(p, rng, as_of, "TRANSFERT_DUBLIN", accepted + days(rng.randint(3, 10)),
                     ddv=None, acceptance=accepted)
        if state == "absconded":
            m["events"].append({"type": "FUITE", "date": accepted + days(rng.randint(20, 60)),
                                "reason": "absent lors de la présentation"})
        elif state == "pending":
            _failed_handover(m, rng, as_of)
        elif state == "transferred":
            _handed_over(m, rng, as_of, within=150)
        add_ada(p, accepted - days(40), accepted + days(10), "EXPIRE")
    return plant


def plant_remise(state: str):
    """`executed`: the person handed over within weeks of the acceptance (EX-02: closed)."""
    def plant(p, rng, as_of, ctx):
        accepted = as_of - days(rng.randint(60, 300) if state == "unexecuted"
                                else rng.randint(20, 380))
        m = add_measure(p, rng, as_of, "REMISE", accepted + days(rng.randint(2, 8)), ddv=None,
                     acceptance=accepted)
        if state == "executed":
            _handed_over(m, rng, as_of, within=60)
        else:
            _failed_handover(m, rng, as_of)
    return plant


def plant_handover_recent(p, rng, as_of, ctx):
    """A Dublin transfer (most often) or a remise decided 3 to 20 days before the run
    date, notified: its challenge window (OQ-06, one month at liberty) still runs, so it
    is not yet enforceable (excluded, NOT_YET_ENFORCEABLE); the quarter's handovers
    decided and not yet carried out."""
    kind = "TRANSFERT_DUBLIN" if rng.random() < 0.75 else "REMISE"
    decided = as_of - days(rng.randint(3, 20))
    add_measure(p, rng, as_of, kind, decided, ddv=None,
                acceptance=decided - days(rng.randint(3, 10)))


def plant_consular_request_too_early(p, rng, as_of, ctx):
    """PRI-07: an OQTF taken before an asylum claim (RTR-02), a consular pass requested
    while the claim awaited the CNDA, the claim since rejected at a CNDA hearing: the
    OQTF is unexecuted and enforceable, and the early request is a legal alert."""
    read = as_of - days(rng.randint(60, 200))
    claim = read - days(rng.randint(250, 400))
    decided = claim - days(rng.randint(60, 150))
    m = add_measure(p, rng, as_of, "OQTF", decided, "L611-1-2",
                 appeal=rng.choice(["AUCUN", "REJETE"]))
    known = read + days(rng.randint(3, 10))
    d = add_decision(p, rng, known, body="CNDA", cnda_mode="AUDIENCE", claim_date=claim,
                  decision_date=read, notification_date=read + days(rng.randint(1, 2)))
    add_asylum_history(p, rng, d, as_of)
    request = read - days(rng.randint(20, 90))
    m["events"].append({"type": "DEMANDE_LAISSEZ_PASSER", "date": request, "reason": None})
    if rng.random() < 0.5:
        m["events"].append({"type": "LAISSEZ_PASSER_REFUSE",
                            "date": request + days(rng.randint(5, 15)), "reason": None})
    p.legal_alert = "CONSULAR_CONTACT_FORBIDDEN"


def plant_dublin_held(p, rng, as_of, ctx):
    """EX-04: a Dublin acceptance 7 to 8 months old and a detention 2 to 3 months old,
    so begun within the transfer's 6 months (one begun after they ran out revives
    nothing), shown on earlier GENESIS lists only (released before the latest list): the
    transfer deadline is 12 months, so the transfer is still to execute. (The age is the
    draw of 215 to 330 days scaled to 215 to 240, so that the other draws stay as they
    were.)"""
    accepted = as_of - days(215 + (rng.randint(215, 330) - 215) * 25 // 115)
    add_measure(p, rng, as_of, "TRANSFERT_DUBLIN", accepted + days(rng.randint(3, 10)),
             ddv=None, acceptance=accepted)
    add_ada(p, accepted - days(40), accepted + days(10), "EXPIRE")
    committed = as_of - days(rng.randint(60, 100))
    # the release date is set against the establishment's list dates (genesis.py):
    # after its last-but-one list, before its latest
    p.detention = {"committed": committed, "release": None, "sentence": None,
                   "category": "CONDAMNE", "itf": "NON", "leaves_before_latest_list": True}
