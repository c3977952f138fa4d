"""Indicators: where each asylum seeker's right to remain stands on the run date."""

from __future__ import annotations

from datetime import date

from schemas import codes
from transforms.rules.facts import Departments, Facts
from transforms.rules.verdicts import rule_list


def asylum_outcomes(facts: Facts, run_date: date, departments: Departments = None
                    ) -> list[dict]:
    """One row per person with asylum decisions: where their right to remain stands on
    the run date (the RTR rules, as the lists read them). Nationality comes from the
    AGDREF file when the person is linked, else from the deciding TélémOfpra record.
    `departments`: the persons the rejected list decides for these departments (None:
    all, by person key)."""
    rows = []
    for person_key in facts.to_decide(codes.REJECTED, run_date, departments):
        rtr = facts.rtr(person_key, run_date)
        decision = rtr.decision
        person = facts.persons.get(person_key)
        identity = facts.identities.get(decision["record_key"]) or {}
        rows.append({
            "person_key": person_key, "num_agdref": person_key if person else None,
            "department": decision["department"],
            "nationality": (person or identity).get("nationality"),
            "effect": rtr.effect, "rtr_end_date": rtr.rtr_end_date,
            "knowledge_date": rtr.knowledge_date, "decision_key": decision["decision_key"],
            "num_ofpra": decision["num_ofpra"], "rule_ids": rule_list(rtr.rule_ids),
        })
    return rows
