"""Rejected asylum seekers without an OQTF (RULES.md §2): the list and its exclusions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from schemas import codes
from transforms.rules import measures as mx
from transforms.rules import rights
from transforms.rules.dates import add_days
from transforms.rules.facts import Departments, Facts
from transforms.rules.flags import carried_flag_id, latest_listed
from transforms.rules.reuse import Deciding, Decision, Memory
from transforms.rules.rights import Finding, Record
from transforms.rules.verdicts import (
    Verdict,
    candidate_files,
    claim_records,
    consular_markers,
    dq_01_quarantined,
    exclusion_row,
    genesis_ban_withdrawn,
    identity_findings,
    individual_assessment,
    marker_rules,
    notification_markers,
    oq_02_other_ground,
    other_files_claims,
    person_references,
    review_protections,
    rule_list,
    screen_protections,
    suspension_markers,
    unique_rows,
)

OQTF_DEADLINE_DAYS = 15


def rejected_without_oqtf(facts: Facts, run_date: date, departments: Departments = None,
                          memory: Memory | None = None, version: bytes = b"",
                          remember: bool = True) -> Deciding:
    deciding = Deciding(codes.REJECTED, facts, run_date, memory, version, remember)
    for person_key in facts.to_decide(codes.REJECTED, run_date, departments):
        deciding.candidate(person_key, person_key,
                           lambda f, day, key=person_key: decide_rejected(f, key, day))
    return deciding


def decide_rejected(facts: Facts, person_key: str, run_date: date) -> Decision:
    """One person with asylum decisions: on the list, or excluded."""
    record_keys = claim_records(facts, person_key)
    rtr = facts.rtr(person_key, run_date)
    decision = rtr.decision
    linked = person_key in facts.persons  # a person key is a number only when LINKED
    person = facts.persons.get(person_key) if linked else None
    files = candidate_files(facts, record_keys)
    verdict = Verdict(codes.REJECTED)
    if rtr.effect != rights.ENDED:
        verdict.add(Finding(rtr.reason, rtr.rule_ids, rtr.source_rows))
    verdict.findings += identity_findings(facts, files, record_keys, run_date)
    verdict.findings += screen_protections(facts, files, run_date, "OQ-01")
    verdict.findings += review_protections(facts, files, run_date, besides=record_keys,
                                           rule="OQ-01", execution=False)
    verdict.findings += other_files_claims(facts, files, person_key, run_date, "OQ-01",
                                           execution=False)
    if not linked:
        verdict.add(Finding("IDENTITY_CONFLICT", ("OQ-01",)))
    own_measures = facts.measures_by_person.get(person_key, []) if linked else []
    verdict.add(rtr_09_dublin(own_measures, facts, run_date))
    held = [m for m in own_measures if mx.counts_as_measure(m)]
    coercible = [m for m in held if mx.oq_08_is_coercible(m, run_date)]
    if coercible:
        verdict.add(Finding("MEASURE_IN_FORCE", ("OQ-01",),
                            tuple(m["source_row"] for m in coercible)))
    verdict.add(pri_06_judicial_ban(facts, person_key))
    verdict.add(oq_02_other_ground(facts, person_key, run_date))
    # a person not tied tonight to a file (IDENTITY_CONFLICT) keeps the flag a file the
    # claim names was listed with: `resolus` gives that exclusion as the reason it left
    candidate = decision_flag_id(facts, person_key, decision,
                                 facts.files_of_person.get(person_key, ()) if linked else files)
    department = facts.domicile(person_key)
    num_agdref = person_key if linked else None
    context = [*rtr.source_rows, *(p["source_row"] for p in [person] if p)]
    verdict.add(dq_01_quarantined(facts, person_references(facts, record_keys, files),
                                  rtr.source_rows))
    excluded = exclusion_row(codes.REJECTED, candidate, person_key, num_agdref, department,
                             None, verdict, context)
    if excluded:
        return None, excluded
    consular, consular_rows = consular_markers(facts, files, run_date)
    notified, notified_rows = notification_markers(facts, files, run_date)
    suspension, suspension_rows = suspension_markers(facts, files, run_date)
    markers = [*rtr.markers, *consular, *notified, *suspension]
    assessed = individual_assessment(facts, person_key, run_date, files)
    if assessed:
        markers.append("INDIVIDUAL_ASSESSMENT")
    markers = sorted(set(markers))
    rules = [*rtr.rule_ids, *marker_rules(markers), "OQ-01", "OQ-02"]
    reason, measure_rows = "NO_MEASURE", []
    if held:
        reason, measure_rows = "PRIOR_MEASURE_NOT_COERCIBLE", [m["source_row"] for m in held]
        rules.append("OQ-08")
    return {
        "flag_id": candidate, "person_key": person_key, "num_agdref": num_agdref,
        "department": department, "num_ofpra": decision["num_ofpra"],
        "rtr_end_date": rtr.rtr_end_date, "knowledge_date": rtr.knowledge_date,
        # days_overdue: counted on the list (decide.with_day_counts)
        "oqtf_due_date": add_days(rtr.knowledge_date, OQTF_DEADLINE_DAYS),
        "reason": reason, "markers": markers, "rule_ids": rule_list(rules),
        "source_rows": unique_rows([*context, *measure_rows, *consular_rows,
                                    *notified_rows, *suspension_rows, *assessed]),
    }, None


def decision_flag_id(facts: Facts, person_key: str, decision: Record,
                     files: Iterable[str]) -> str:
    """The flag's id for the person (and `files`: those of the person, or those a claim
    not tied to one names) and the decision: the id it was listed with under one of
    those files (carried_flag_id); a decision that corrects versions an earlier list
    gave (corrected_keys: another date, outcome, basis or claim type of the same claim)
    goes on under the id one of them was listed with, the latest listed, so that the
    unit's work follows it; otherwise its own."""
    ids = [carried_flag_id(codes.REJECTED, person_key, files, facts.rejected_flags_listed,
                           key) for key in (decision["decision_key"],
                                            *(decision["corrected_keys"] or ()))]
    if len(ids) == 1:  # nothing else read: the nights listing it do not change the decision
        return ids[0]
    return latest_listed(ids, facts.rejected_flags_listed)


def rtr_09_dublin(own_measures: list[Record], facts: Facts, run_date: date
                  ) -> Finding | None:
    """RTR-09: a person under a Dublin transfer that is neither closed nor lapsed (EX-04,
    the anniversary day included) is in the Dublin procedure, not a rejected asylum
    seeker (reason ASYLUM_PENDING). A transfer without its acceptance date may still
    run: here that keeps the person in the procedure (principle 1), where the measures
    list reads it as lapsed, never chased. So does a person the latest list of an
    establishment still shows held (PRI-01: that list is the truth), however old the list:
    imprisoned since the acceptance as far as anyone knows, 12 months; an absconding or a
    detention after the 6 months counts too. The measures list extends a transfer only
    for a detention or an absconding within its time limit, never chasing a lapsed one.
    Here a committal of the person counts whichever of their files it is tied to, a
    file merged with the transfer's by the model alone included (the firm ties of
    verdicts.dublin_imprisoned and Facts.detained_files are among those): the measures
    list asks a firm tie so that a wrong merge never keeps a lapsed transfer alive, but
    here that reading would shorten a protection (rules audit of 2026-12-07)."""
    rows = [m["source_row"] for m in own_measures
            if m["measure_type"] == "TRANSFERT_DUBLIN" and not mx.ex_02_closed(m, run_date)
            and (m["member_state_acceptance_date"] is None
                 or not mx.ex_04_dublin_lapsed(
                     m, _person_held_since(facts, m["person_key"],
                                           m["member_state_acceptance_date"]),
                     run_date, within_limits=False))]
    return Finding("ASYLUM_PENDING", ("RTR-09",), tuple(rows)) if rows else None


def _person_held_since(facts: Facts, person_key: str, day: date) -> bool:
    """PRI-01 / EX-04: a committal of a record linked to the person, shown on a list on or
    after `day`, or on an establishment's latest list now."""
    return bool(facts.detentions_by_person.get(person_key)) or any(
        last >= day for _, last, _ in facts.person_spells.get(person_key, ()))


def pri_06_judicial_ban(facts: Facts, person_key: str) -> Finding | None:
    """"Who is without OQTF" (RULES.md §2) and PRI-06: a judicial ITF recorded in the
    latest GENESIS list of an establishment holding the person is a measure in force,
    unless AGDREF records it withdrawn (verdicts.genesis_ban_withdrawn)."""
    rows = tuple(d["source_row"] for d in facts.detentions_by_person.get(person_key, [])
                 if d["itf"] in codes.ITF_BANS and not genesis_ban_withdrawn(facts, d, person_key))
    return Finding("MEASURE_IN_FORCE", ("OQ-01", "PRI-06"), rows) if rows else None
