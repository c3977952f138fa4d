"""Removal measures not executed (RULES.md §4, EX rules): the list and its exclusions."""

from __future__ import annotations

from datetime import date

from schemas import codes
from transforms.rules import measures as mx
from transforms.rules import rights
from transforms.rules.facts import Departments, Facts
from transforms.rules.flags import flag_id
from transforms.rules.reuse import Deciding, Decision, Memory
from transforms.rules.rights import Finding, Record
from transforms.rules.verdicts import (
    Verdict,
    candidate_files,
    claim_records,
    claimants_alike,
    claimants_protections,
    claimants_references,
    claims_findings,
    consular_markers,
    detention_rows,
    dq_01_quarantined,
    dublin_imprisoned,
    exclusion_row,
    identity_findings,
    individual_assessment,
    marker_rules,
    oq_02_other_ground,
    other_files_claims,
    person_markers,
    person_references,
    possible_persons,
    review_protections,
    rule_list,
    screen_protections,
    suspension_markers,
    unique_rows,
)


def rtr_against_measure(facts: Facts, measure: Record, run_date: date
                        ) -> tuple[Finding | None, rights.RtrOutcome | None]:
    """RTR-02 / EX-05: no removal while a right to remain runs, whether the claim came
    before or after the measure (a claim not finally decided suspends execution; a
    closure still reopenable excludes as CLOSURE_REOPENABLE, RTR-07); once
    the right ended, execution waits for that end (RTR-02) and for an ordonnance's
    notification (RTR-05)."""
    rtr = facts.rtr(measure["person_key"], run_date)
    if rtr is None or rtr.effect == rights.GRANTED:
        return None, None
    if rtr.effect != rights.ENDED:
        # RTR-07: within the window of a closure the person is excluded with
        # CLOSURE_REOPENABLE on every list (it comes before SUSPENDED_BY_RTR, §5).
        if rtr.reason == "CLOSURE_REOPENABLE":
            # RTR-02 is about a measure taken before the claim: not cited for one taken
            # after it (audit of 2026-12-07), nor left out when either date is unknown
            claim = rtr.decision["claim_date"] if rtr.decision else None
            taken = measure.get("decision_date")  # a measure held back has none
            before = () if claim and taken and taken >= claim else ("RTR-02",)
            return Finding("CLOSURE_REOPENABLE", (*before, *rtr.rule_ids),
                           rtr.source_rows), None
        return Finding("SUSPENDED_BY_RTR", ("EX-05", "RTR-02", *rtr.rule_ids),
                       rtr.source_rows), None
    if "EXECUTION_AFTER_NOTIFICATION" in rtr.markers:
        return Finding("NOT_YET_ENFORCEABLE", ("RTR-05",), rtr.source_rows), rtr
    return None, rtr


def person_search(facts: Facts, m: Record) -> tuple[list[str], list[str]]:
    """Where a measure's person may show a protection (§5, "exclusions that apply to
    every list"; principle 1): the files searched (verdicts.candidate_files) from the
    measure's file and from every TélémOfpra and GENESIS record tied to its person, and
    the claimants alike of those records (verdicts.claimants_alike: a claim under a
    detainee's identity that no file shows). Before (audits of 2026-12-07), the measure
    was screened by its file's identity alone: a detainee the releases list held as a
    possible refugee, claimant or minor, or whose identity agreed with a file holding a
    valid attestation or a card, was listed here under his own OQTF."""
    number = m["num_agdref"]
    records = list(facts.records_of_person.get(m["person_key"], ())) if (
        number in facts.persons) else []
    files = candidate_files(facts, [f"agdref:{number}", *records])
    besides = [m["person_key"], *possible_persons(facts, files)]
    claimants = sorted({c for key in records
                        for c in claimants_alike(facts, key, besides, weak=False)})
    return files, claimants


def claimants_findings(facts: Facts, claimants: list[str], run_date: date) -> list[Finding]:
    """What holds a claimant alike (person_search) holds the measure, read as a file's
    person's claim is (claims_findings): a claim still running suspends it (EX-05), a
    reopenable closure, a grant, an ordonnance not yet notified; and their age,
    nationality and titles (verdicts.claimants_protections)."""
    return [as_suspension(f) for f in (
        *claims_findings((facts.rtr(key, run_date) for key in claimants), "EX-05",
                         execution=True),
        *claimants_protections(facts, claimants, run_date, "EX-03"))]


def as_suspension(finding: Finding) -> Finding:
    """EX-05: on the measures list a claim still running (pending, its end unconfirmed),
    whichever file of the person shows it, suspends execution: SUSPENDED_BY_RTR."""
    if finding.code not in ("ASYLUM_PENDING", "RTR_END_UNCONFIRMED"):
        return finding
    return Finding("SUSPENDED_BY_RTR", tuple(dict.fromkeys(("EX-05", *finding.rule_ids))),
                   finding.source_rows)


def enforceability(m: Record, rtr: rights.RtrOutcome | None) -> mx.Enforceability:
    """OQ-07 for a measure whose person's right to remain ended (`rtr`, as
    rtr_against_measure gives it): not before that end (RTR-02) nor before an
    ordonnance's notification (RTR-05)."""
    return mx.oq_07_enforceability(m, rtr.suspended_until if rtr else None,
                                   rtr.execution_after if rtr else None)


def enforceable_on(facts: Facts, m: Record, on: date, run_date: date
                   ) -> mx.Enforceability | None:
    """The measure's enforceability (OQ-07) when it allows execution on `on` (a release
    date): no right to remain suspends it on the run date, and the departure period and
    the challenge window have run by then; None otherwise (a measure never notified
    included)."""
    suspended, rtr = rtr_against_measure(facts, m, run_date)
    enforce = enforceability(m, rtr)
    if suspended is not None or enforce.enforceable_from is None or enforce.enforceable_from > on:
        return None
    return enforce


def unexecuted_measures(facts: Facts, run_date: date, departments: Departments = None,
                        memory: Memory | None = None, version: bytes = b"",
                        remember: bool = True) -> Deciding:
    deciding = Deciding(codes.MEASURES, facts, run_date, memory, version, remember,
                        items_from="measures")
    for m in facts.to_decide(codes.MEASURES, run_date, departments):
        decide = held_back_measure if "quarantined_rows" in m else decide_measure
        deciding.candidate(m["measure_id"], m,
                           lambda f, day, m=m, decide=decide: decide(f, m, day))
    return deciding


def held_back_measure(facts: Facts, m: Record, run_date: date) -> Decision:
    """A measure whose latest row is quarantined (facts.quarantined_measures): excluded
    SOURCE_ROW_QUARANTINED, with every other reason of §5 that applies to the person of
    its file (the protections of the files that may be theirs and their own right to
    remain, as decide_measure reads them; but EU_CITIZEN, which the row's judicial ITF
    may lift, PRI-10)."""
    verdict = Verdict(codes.MEASURES, [Finding("SOURCE_ROW_QUARANTINED", ("DQ-01", "EX-01"),
                                               m["quarantined_rows"])])
    number = m["num_agdref"]
    if number in facts.persons:
        files, claimants = person_search(facts, m)
        verdict.findings += [f for f in identity_findings(facts, files, [], run_date)
                             if f.code != "EU_CITIZEN"]
        for finding in review_protections(facts, files, run_date):
            verdict.add(finding)
        for finding in [*other_files_claims(facts, files, m["person_key"], run_date, "EX-05"),
                        *screen_protections(facts, files, run_date, "EX-03")]:
            verdict.add(as_suspension(finding))
        for finding in claimants_findings(facts, claimants, run_date):
            verdict.add(finding)
        verdict.add(rtr_against_measure(facts, m, run_date)[0])  # the person's own claims
        verdict.add(oq_02_other_ground(facts, m["person_key"], run_date))
    return None, exclusion_row(codes.MEASURES, flag_id(codes.MEASURES, m["measure_id"]),
                               m["person_key"], number, m["department"], m["measure_id"],
                               verdict, ())


def eu_detainee_ban(facts: Facts, m: Record, files: list[str], run_date: date) -> bool:
    """§5 EU_CITIZEN and PRI-10: a judicial ITF binds whatever the nationality; its EU,
    EEA or Swiss national (by the identities of `files`) held now (on an establishment's
    latest list, tied to the measure's file) is listed for it with the marker
    EU_CITIZEN, not excluded. The identities are read only for an ITF of a detainee."""
    return (m["measure_type"] == "ITF" and m["num_agdref"] in facts.detained_files
            and any(f.code == "EU_CITIZEN"
                    for f in identity_findings(facts, files, [], run_date)))


def decide_measure(facts: Facts, m: Record, run_date: date) -> Decision:
    """One removal measure: on the list, or excluded."""
    person_key, number = m["person_key"], m["num_agdref"]
    person = facts.persons.get(number)
    files, claimants = person_search(facts, m)
    verdict, rtr, enforce, rules = screen_measure(facts, m, person, files, run_date)
    for finding in claimants_findings(facts, claimants, run_date):
        verdict.add(finding)
    candidate = flag_id(codes.MEASURES, m["measure_id"])
    context = [m["source_row"], *(p["source_row"] for p in [person] if p),
               *m["event_rows"]]
    if m["measure_type"] == "TRANSFERT_DUBLIN":
        context += dublin_imprisoned(facts, m)  # EX-04: the detention that extends it
    verdict.add(dq_01_quarantined(
        facts, [f"measure:{m['measure_id']}", f"agdref:{number}",  # its file, staged or not
                *person_references(facts, claim_records(facts, person_key), files),
                *claimants_references(facts, claimants)]))
    excluded = exclusion_row(codes.MEASURES, candidate, person_key, number,
                             m["department"], m["measure_id"], verdict, context)
    if excluded:
        return None, excluded
    return measure_flag(facts, m, run_date, candidate, context, rtr, enforce, rules,
                        files, claimants), None


def screen_measure(facts: Facts, m: Record, person: Record | None, files: list[str],
                   run_date: date) -> tuple[Verdict, rights.RtrOutcome | None,
                                            mx.Enforceability, list[str]]:
    """The findings about a measure (EX-02…05, OQ-06, OQ-07, the protections of its
    files), the right to remain it waited for, its enforceability and the rules read."""
    verdict = Verdict(codes.MEASURES)
    rows = (m["source_row"],)
    if mx.ex_02_closed(m, run_date):
        verdict.add(Finding("MEASURE_CLOSED", ("EX-02",), (*rows, *m["event_rows"])))
    if person is None:
        verdict.add(Finding("IDENTITY_CONFLICT", ("EX-03",), rows))
    identity = identity_findings(facts, files, [], run_date)
    rules = ["EX-01", "EX-03"]
    if eu_detainee_ban(facts, m, files, run_date):
        identity = [f for f in identity if f.code != "EU_CITIZEN"]
        rules.append("PRI-10")
    verdict.findings += identity
    for finding in review_protections(facts, files, run_date):
        verdict.add(finding)
    for finding in [*other_files_claims(facts, files, m["person_key"], run_date, "EX-05"),
                    *screen_protections(facts, files, run_date, "EX-03")]:
        if finding.code == "DECEASED_OR_LEFT" and m["source_row"] in finding.source_rows:
            continue  # its own departure closes it: MEASURE_CLOSED above (EX-02)
        verdict.add(as_suspension(finding))
    suspended, rtr = rtr_against_measure(facts, m, run_date)
    verdict.add(suspended)
    verdict.add(oq_02_other_ground(facts, m["person_key"], run_date))
    if m["measure_type"] == "TRANSFERT_DUBLIN":
        rules.append("EX-04")
        if mx.ex_04_dublin_lapsed(m, bool(dublin_imprisoned(facts, m)), run_date):
            verdict.add(Finding("DUBLIN_DEADLINE_EXPIRED", ("EX-04",), rows))
    enforce = enforceability(m, rtr)
    # APPEAL_PENDING for a challenge recorded pending; while the challenge window (or the
    # departure period) runs the measure is NOT_YET_ENFORCEABLE (OQ-06, OQ-07), and once
    # it has closed a challenge lodged in time may be pending when AGDREF records no
    # appeal status at all (principle 1): APPEAL_PENDING too.
    waiting = enforce.enforceable_from is None or run_date < enforce.enforceable_from
    if m["appeal_status"] == "EN_COURS" or (
            not waiting and mx.oq_06_challenge_may_be_pending(m)):
        verdict.add(Finding("APPEAL_PENDING", ("OQ-06",), rows))
    if waiting:
        verdict.add(Finding("NOT_YET_ENFORCEABLE", enforce.rule_ids, rows))
    return verdict, rtr, enforce, rules


def measure_flag(facts: Facts, m: Record, run_date: date, candidate: str, context: list[str],
                 rtr: rights.RtrOutcome | None, enforce: mx.Enforceability,
                 rules: list[str], files: list[str], claimants: list[str]) -> dict:
    """A listed measure: since when it is enforceable, until when coercible (OQ-08), the
    markers (of the person, of the files that may be theirs, `files`, and of the
    claimants alike of their detainee records, `claimants`: RTR-06 and PRI-07 mark
    "every flag of that person, on any of the three lists")."""
    person_key, number = m["person_key"], m["num_agdref"]
    markers = []
    coercible = mx.oq_08_is_coercible(m, run_date)
    if m["measure_type"] == "OQTF":
        rules.append("OQ-08")
        if not coercible:
            markers.append("NOT_COERCIBLE")
    markers += person_markers(rtr)
    consular, consular_rows = consular_markers(facts, files, run_date, claimants)
    suspension, suspension_rows = suspension_markers(facts, files, run_date, claimants)
    markers += [*consular, *suspension]
    assessed = individual_assessment(facts, person_key, run_date, files)
    if assessed:
        markers.append("INDIVIDUAL_ASSESSMENT")
    if eu_detainee_ban(facts, m, files, run_date):
        markers.append("EU_CITIZEN")
    return {
        "flag_id": candidate, "person_key": person_key, "num_agdref": number,
        "department": m["department"], "measure_id": m["measure_id"],
        "measure_type": m["measure_type"], "enforceable_from": enforce.enforceable_from,
        # days_since_enforceable: counted on the list (decide.with_day_counts)
        "coercible_until": mx.oq_08_coercible_until(m), "is_coercible": coercible,
        "last_event_type": m["last_event_type"], "last_event_date": m["last_event_date"],
        "in_detention": number in facts.detained_files, "markers": sorted(set(markers)),
        "rule_ids": rule_list(rules, enforce.rule_ids, rtr.rule_ids if rtr else (),
                              marker_rules(markers)),
        "source_rows": unique_rows([*context, *(rtr.source_rows if rtr else ()),
                                    *consular_rows, *suspension_rows, *assessed,
                                    *detention_rows(facts, number)]),
    }
