"""Legal alerts (RULES.md PRI-07, docs/contracts.md §2 worklists.legal_alerts): consular pass
requests made when the rules forbade the contact."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from schemas import codes
from transforms.rules import rights
from transforms.rules.dates import add_days
from transforms.rules.facts import Departments, Facts, department_order
from transforms.rules.flags import flag_id
from transforms.rules.rights import Finding, Record
from transforms.rules.verdicts import candidate_files, possible_persons, rule_list, unique_rows


def pri_07_consular_contact_forbidden(facts: Facts, measure: Record, day: date
                                      ) -> Finding | None:
    """PRI-07: on `day` the person was protected (RTR-10), held a valid asylum
    attestation, or may still have awaited an OFPRA or CNDA decision: the claims known on
    that day (registered, listed or introduced by then) are assessed as of that day; a
    right to remain not ended, a reopenable closure, a grant (later grants included: the
    claim was pending then) or an early end still open to the CNDA all forbid the contact.
    The claims of anyone the measure's person may be are read (the files searched for
    their protections, the records in review against them: verdicts.possible_persons),
    as the lists do; and when the measure's file row is not staged (quarantined, or not
    delivered), the claims of the records giving its number. A measure whose own row is
    quarantined (held back, DQ-01) is read under the file that row names."""
    number = measure["num_agdref"]
    if number is None:  # a measure held back whose row names no file
        return None
    files = candidate_files(facts, [f"agdref:{number}"])
    for searched in files:
        # an attestation AGDREF showed around that day counts (the extract delivered on
        # it, or the first after), though a later one withdrew or changed it: what the
        # request broke stays broken
        shown = [*facts.titles.get(searched, ()),
                 *(t for t in facts.attestations_delivered.get(searched, ())
                   if t["request_date"] == day)]
        # an attestation that began after the request did not cover it: a title issued
        # later, read as valid on the run date (title_is_valid, principle 1), is no proof
        # that the person held it then (audit of 2026-12-07: a false alert)
        begun = [t for t in shown if t["start_date"] is None or t["start_date"] <= day]
        attestation = rights.rtr_01_asylum_attestation(begun, day)
        if attestation:
            return Finding("CONSULAR_CONTACT_FORBIDDEN", ("PRI-07", *attestation.rule_ids),
                           attestation.source_rows)
    persons = possible_persons(facts, files)
    if number not in facts.persons:
        persons = sorted({*persons, *(facts.person_key(record_key) for record_key
                                      in facts.giving_unstaged.get(number, ()))})
    for person_key in persons:
        decisions = facts.decisions_by_person.get(person_key, ())
        known = [d for d in (decision_on(d, day, decisions) for d in decisions) if d]
        rtr = rights.assess_claims(known, day)
        if rtr is not None and (rtr.effect != rights.ENDED
                                or "NO_CONSULAR_CONTACT" in rtr.markers):
            return Finding("CONSULAR_CONTACT_FORBIDDEN", ("PRI-07", *rtr.rule_ids),
                           rtr.source_rows)
    return None


def decision_on(decision: Record, day: date, decisions: Iterable[Record] = ()
                ) -> Record | None:
    """A decision as it stood on `day` (what was true then, every list read as if known
    that day): none when its claim was neither introduced nor listed by then; a claim
    decided after `day` still awaited its decision then (read as a registered request,
    RTR-08: not ended); a notification or a proof of finality counts from its date. A
    later claim whose rows give no introduction date (a re-examination, a reopening) was
    introduced after a decision on the claim before it (in `decisions`, the person's):
    from the day after the latest such decision, it may have awaited its own (principle
    1; combinations audit of 2026-12-07: a request the day before its decision was no
    alert, its claim read as begun on the day it was decided)."""
    # a claim existed by its introduction, its decision or the first list showing it
    # (whichever is known first: DATE_INTRODUCTION may be empty)
    started = [x for x in (decision["claim_date"], decision["decision_date"],
                           decision["first_list_date"]) if x]
    if decision["claim_date"] is None and rights.is_registered_request(decision):
        # a request registered without its date: from the day of the list before the
        # first that showed it, as the lists read it (rights.earliest_registration)
        earliest = rights.earliest_registration(decision)
        # (None: no such list, it may have been registered on any day)
        started.append(earliest if earliest is not None else day)
    elif (decision["claim_date"] is None and decision["claim_type"] != "PREMIERE"
          and decision["decision_date"] is not None):
        before = [d["decision_date"] for d in decisions
                  if d["decision_date"] is not None
                  and d["decision_date"] < decision["decision_date"]
                  and (d["claim_type"] != decision["claim_type"]
                       or d["claim_date"] is not None)]
        if before:
            started.append(add_days(max(before), 1))
    if not started or min(started) > day:
        return None
    taken = decision["decision_date"]
    if taken is not None and taken > day:
        return {**decision, "outcome": None, "decision_date": None, "decision_basis": None,
                "cnda_mode": None, "notification_date": None, "final_date": None,
                "claim_date": decision["claim_date"] or min(started), "first_list_date": day,
                "first_notified_list_date": None, "first_final_list_date": None,
                "first_moded_list_date": None}

    def until_day(value: date | None) -> date | None:
        return value if value is not None and value <= day else None

    notified, final = until_day(decision["notification_date"]), until_day(decision["final_date"])
    return {**decision, "notification_date": notified, "final_date": final,
            "first_list_date": day, "first_notified_list_date": day if notified else None,
            "first_final_list_date": day if final else None,
            "first_moded_list_date": day if decision["cnda_mode"] else None}


def legal_alerts(facts: Facts, run_date: date, departments: Departments = None
                 ) -> list[dict]:
    """One alert per consular pass request (`DEMANDE_LAISSEZ_PASSER`) made when PRI-07
    forbade it, with an id stable across runs (first_seen_date is set when published);
    `departments`: the requests about measures of these departments (None: all). An
    alert names its measure, so the alerts of a partition of the departments, put
    together, are those of all."""
    requests = facts.consular_requests if departments is None else [
        event for d in sorted(departments, key=department_order)
        for event in facts.requests_by_department.get(d, ())]
    alerts: dict[str, dict] = {}
    for event in requests:
        m = facts.requested_measures.get(event["measure_id"])
        if m is None or event["event_date"] > run_date:
            continue
        found = pri_07_consular_contact_forbidden(facts, m, event["event_date"])
        if found is None:
            continue
        alert = flag_id(codes.LEGAL_ALERTS, found.code, m["measure_id"],
                        event["event_date"].isoformat())
        if alert in alerts:
            alerts[alert]["source_rows"] = unique_rows([*alerts[alert]["source_rows"],
                                                       event["source_row"]])
            continue
        linked = m["num_agdref"] in facts.persons
        alerts[alert] = {
            "alert_id": alert, "department": m["department"], "person_key": m["person_key"],
            "num_agdref": m["num_agdref"] if linked else None, "measure_id": m["measure_id"],
            "reason_code": found.code, "event_date": event["event_date"],
            "rule_ids": rule_list(found.rule_ids),
            "source_rows": unique_rows([event["source_row"], m["source_row"],
                                       *found.source_rows]),
        }
    return [alerts[a] for a in sorted(alerts)]
