"""Foreign detainees near release (RULES.md §3, PRI rules): the list and its exclusions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from schemas import codes
from transforms.rules import measures as mx
from transforms.rules import rights
from transforms.rules.dates import add_days, add_months
from transforms.rules.facts import Departments, Facts
from transforms.rules.flags import flag_id
from transforms.rules.reuse import Deciding, Decision, Memory
from transforms.rules.rights import Finding, Record
from transforms.rules.unexecuted import enforceable_on
from transforms.rules.verdicts import (
    Verdict,
    agent_decision,
    appealed_bans,
    candidate_files,
    claim_records,
    claimants_alike,
    claimants_protections,
    claimants_references,
    consular_markers,
    dq_01_quarantined,
    exclusion_row,
    files_rights,
    genesis_ban_withdrawn,
    identity_findings,
    individual_assessment,
    marker_rules,
    notification_markers,
    oq_02_other_ground,
    person_markers,
    person_references,
    possible_persons,
    review_protections,
    rule_list,
    screen_protections,
    suspension_markers,
    unique_rows,
)

SHORT_SENTENCE_DAYS = 731  # two years, leap day included (PRI-03)
PLANNING_MONTHS = 3
PRISON_ANSWER_DAYS = 7  # PRI-05
STALE_PRISON_LIST_DAYS = 16  # PRI-01, a setting (flows/settings.py)


def planned_release(detention: Record) -> date | None:
    """PRI-02: only a sentenced detainee has a release date to plan for. The date GENESIS
    gives a remand prisoner (PREVENU) all the same is none: his flag, to identify him
    (PRI-09), holds no release date nor window, and no marker is read from it."""
    return None if detention["penal_category"] == "PREVENU" else detention["release_date"]


def pri_03_window_start(detention: Record) -> date:
    """PRI-03: for a total sentence of 2 years or less the window opens 3 months before
    release; otherwise at release. An unknown sentence length shows no sentence of 2
    years or less: the window opens at release (principle 1, a figure missing puts no
    one on the list earlier)."""
    days = detention["sentence_days"]
    if days is not None and days <= SHORT_SENTENCE_DAYS:
        return add_months(detention["release_date"], -PLANNING_MONTHS)
    return detention["release_date"]


def pri_scope(detention: Record, run_date: date, horizon_days: int) -> Finding | None:
    """PRI-02 (sentenced only) and PRI-08 (window within the horizon, its last day
    included; release not past, a release on the run date listed)."""
    row = (detention["source_row"],)
    category, release = detention["penal_category"], detention["release_date"]
    if category == "PREVENU" or (category == "MIXTE" and release is None):
        return Finding("NOT_SENTENCED", ("PRI-02",), row)
    if release is None:
        return Finding("RELEASE_DATE_UNKNOWN", ("PRI-02",), row)
    if release < run_date:
        return Finding("RELEASE_DATE_PASSED", ("PRI-08",), row)
    if pri_03_window_start(detention) > add_days(run_date, horizon_days):
        return Finding("RELEASE_OUTSIDE_HORIZON", ("PRI-08",), row)
    return None


def rtr_findings(rtr: rights.RtrOutcome | None, grant: bool = False) -> list[Finding]:
    """PRI-07 and §5 for a detainee: an asylum claim not finally decided; with `grant`,
    also a grant (RTR-10): a file's grant is found by `screen_protections`, the grant of a
    claimant whom no file shows (verdicts.claimants_alike) only here."""
    if (rtr is None or rtr.effect == rights.ENDED
            or (rtr.effect == rights.GRANTED and not grant)):
        return []
    return [Finding(rtr.reason, (*rtr.rule_ids, "PRI-07"), rtr.source_rows)]


def release_markers(facts: Facts, detention: Record, run_date: date, stale_days: int,
                    flag: str) -> tuple[list[str], list[str]]:
    """PRI-01: the establishment's latest list is more than `stale_days` old; PRI-05: the
    release is at most 7 days away and the unit has recorded no answer to the prison on
    this flag (core.agent_decisions), or was due before the run date with the detainee
    still on the latest list (listed whatever the date, PRI-09: the answer is overdue).
    With the markers, the answer's row: the flag cites it (principle 2), whether or not it
    lifted PRISON_ANSWER_DUE tonight."""
    markers = []
    if (run_date - detention["list_date"]).days > stale_days:
        markers.append("STALE_PRISON_LIST")
    release = planned_release(detention)
    answered = agent_decision(facts, codes.PRISON_ANSWER, facts.person_key(
        detention["record_key"]), run_date, flag)
    if (release is not None and (release - run_date).days <= PRISON_ANSWER_DAYS
            and answered is None):
        markers.append("PRISON_ANSWER_DUE")
    return markers, [answered["source_row"]] if answered else []


def supporting_measures(facts: Facts, det: Record, person_key: str, linked: bool,
                        run_date: date, banned: bool
                        ) -> tuple[list[tuple[Record, mx.Enforceability]], bool]:
    """PRI-08: the AGDREF measures that can support removal at release: in force, not
    challenged, coercible (OQ-08) and enforceable (OQ-07) on the release date, that is
    notified, their departure period and challenge window run by then and no right to
    remain suspending them (each with its enforceability, whose rules the flag cites);
    and whether they are reached
    only through files the model merged (a namesake's, perhaps: identity to confirm, those
    measures shown, until an agent confirms the merge; beside a firm measure they are left
    out)."""
    release = planned_release(det)
    if not linked or release is None:
        return [], False
    supporting = [(m, enforce) for m in facts.measures_by_person.get(person_key, [])
                  if mx.can_support_removal_at(m, release)
                  and (enforce := enforceable_on(facts, m, release, run_date)) is not None]
    firm = [(m, enforce) for m, enforce in supporting
            if facts.firmly_tied(det["record_key"], m["num_agdref"])]
    unconfirmed_only = bool(supporting) and not firm and not banned
    return (supporting if unconfirmed_only else firm), unconfirmed_only


def upcoming_releases(facts: Facts, run_date: date, horizon_days: int,
                      departments: Departments = None,
                      stale_days: int = STALE_PRISON_LIST_DAYS, memory: Memory | None = None,
                      version: bytes = b"", remember: bool = True) -> Deciding:
    deciding = Deciding(codes.RELEASES, facts, run_date, memory, version, remember)
    for det in facts.to_decide(codes.RELEASES, run_date, departments):
        deciding.candidate(det["record_key"], det, lambda f, day, det=det: decide_release(
            f, det, day, horizon_days, stale_days))
    return deciding


def decide_release(facts: Facts, det: Record, run_date: date, horizon_days: int,
                   stale_days: int) -> Decision:
    """One detainee on the latest list of an establishment (or held back, DQ-01): on the
    list, or excluded."""
    key = det["record_key"]
    if "quarantined_rows" in det:
        return None, held_back_exclusion(facts, det, run_date)
    linked = facts.is_linked(key)
    person_key = facts.person_key(key)
    person = facts.persons.get(person_key) if linked else None
    withdrawn = genesis_ban_withdrawn(facts, det, person_key) if linked else ()
    appealed = appealed_bans(facts, det, person_key) if linked else ()
    banned = det["itf"] in codes.ITF_BANS and not withdrawn and not appealed  # PRI-06, acted on
    supporting = supporting_measures(facts, det, person_key, linked, run_date, banned)
    # PRI-10: a judicial ITF recorded binds whatever the nationality: in GENESIS (unless
    # AGDREF says it was withdrawn) or in force in AGDREF on the detainee's file, under
    # appeal or not (the measures list lifts EU_CITIZEN for that ITF too); only one that
    # can support removal at release (PRI-06: not under appeal) makes the detainee
    # ENFORCEABLE_MEASURE
    recorded_bans = [m["source_row"] for m in (facts.measures_by_person.get(person_key, [])
                                                if linked else ())
                     if m["measure_type"] == "ITF" and mx.counts_as_measure(m)
                     and facts.firmly_tied(key, m["num_agdref"])]
    # (an ITF that can support removal is among recorded_bans when firmly tied; one
    # reached only through a file the model merged may be a namesake's: it does not lift
    # EU_CITIZEN)
    judicial_ban = (det["itf"] in codes.ITF_BANS and not withdrawn) or bool(recorded_bans)
    # PRI-07: a detainee who cannot be linked is checked against every plausible
    # file, however weak the evidence, before anyone is asked to confirm identity: the
    # files whose identity agrees and those the detainee is in identity review against
    # (a birth date a day off agrees with none, yet the model found it may be them)
    files = sorted({*candidate_files(facts, [key], weak=not linked),
                    *(n for n in facts.review_files.get(key, ()) if n in facts.persons)})
    verdict = Verdict(codes.RELEASES)
    # PRI-09: identity is established during detention: an unlinked detainee is
    # listed whatever the release date (a remand prisoner too).
    if linked:
        verdict.add(pri_scope(det, run_date, horizon_days))
    found, claimants = detainee_findings(facts, key, files, run_date)
    # PRI-10: a judicial ITF binds whatever the nationality, and only the ban does (an
    # EU citizen's other measures are excluded EU_CITIZEN on the measures list).
    eu_with_ban = judicial_ban and any(f.code == "EU_CITIZEN" for f in found)
    # every other EU citizen stays excluded, by PRI-10 on this list
    verdict.findings += [replace(f, rule_ids=("PRI-10",)) if f.code == "EU_CITIZEN" else f
                         for f in found if not (eu_with_ban and f.code == "EU_CITIZEN")]
    if eu_with_ban:
        supporting = ([(m, e) for m, e in supporting[0] if m["measure_type"] == "ITF"],
                      supporting[1])
    candidate = flag_id(codes.RELEASES, key)
    num_agdref = person_key if linked else None
    context = [det["source_row"], *(p["source_row"] for p in [person] if p)]
    claims = claim_records(facts, person_key) if linked else []
    verdict.add(dq_01_quarantined(facts, [*person_references(facts, [key, *claims], files),
                                          *claimants_references(facts, claimants)]))
    excluded = exclusion_row(codes.RELEASES, candidate, person_key, num_agdref,
                             det["department"], None, verdict, context)
    if excluded:
        return None, excluded
    return release_flag(facts, det, run_date, stale_days, candidate,
                        [*context, *withdrawn, *appealed,
                         *(recorded_bans if eu_with_ban else ())], eu_with_ban, supporting,
                        banned=banned, files=files, claimants=claimants), None


def detainee_findings(facts: Facts, key: str, files: list[str], run_date: date
                      ) -> tuple[list[Finding], list[str]]:
    """§5 on the detainee `key` and the files searched for their protections (`files`):
    age and nationality, the files' protections and the records in review against them,
    the right to remain of the files' persons and of the claimants the detainee may be
    (PRI-07: a claimant whom no AGDREF file shows) with what else protects those
    claimants (claimants_protections), an examination on another ground (OQ-02); and
    those claimants."""
    linked = facts.is_linked(key)
    person_key = facts.person_key(key)
    found = identity_findings(facts, files, [key], run_date)
    found += screen_protections(facts, files, run_date, "PRI-08")
    found += review_protections(facts, files, run_date, besides=[key], rule="PRI-08")
    for rtr in files_rights(facts, files, run_date):
        found += rtr_findings(rtr)
    claimants = claimants_alike(facts, key, [person_key, *possible_persons(facts, files)],
                                weak=not linked)
    for claimant in claimants:
        found += rtr_findings(facts.rtr(claimant, run_date), grant=True)
    found += claimants_protections(facts, claimants, run_date, "PRI-08")
    other_ground = oq_02_other_ground(facts, person_key, run_date)
    return [*found, *([other_ground] if other_ground else [])], claimants


def held_back_exclusion(facts: Facts, det: Record, run_date: date) -> dict:
    """The exclusion of a committal whose latest row is quarantined (quarantined_committals),
    with every other reason of §5 that applies to its detainee (RULES.md §5: "every other
    one that applies is in `other_reasons`", a protection first, docs/reason_order.md):
    as decide_release reads them, but EU_CITIZEN, which the quarantined row's judicial
    ITF may lift (PRI-10)."""
    key = det["record_key"]
    linked = facts.is_linked(key)
    verdict = Verdict(codes.RELEASES, [Finding("SOURCE_ROW_QUARANTINED", ("DQ-01", "PRI-01"),
                                               det["quarantined_rows"])])
    found, _ = detainee_findings(facts, key, candidate_files(facts, [key], weak=not linked),
                                 run_date)
    verdict.findings += [f for f in found if f.code != "EU_CITIZEN"]
    return exclusion_row(codes.RELEASES, flag_id(codes.RELEASES, key), facts.person_key(key),
                         facts.person_key(key) if linked else None, det["department"], None,
                         verdict, ())


def release_flag(facts: Facts, det: Record, run_date: date, stale_days: int, candidate: str,
                 context: list[str], eu_with_ban: bool,
                 supporting_found: tuple[list[tuple[Record, mx.Enforceability]], bool],
                 banned: bool, files: list[str], claimants: list[str]) -> dict:
    """A listed detainee: the situation (PRI-08, PRI-09, PRI-10), the measures that can
    support removal at release (`supporting_found`: supporting_measures; `banned`: the
    GENESIS ITF is acted on, verdicts.genesis_ban_withdrawn), the markers (of the person,
    of the files searched, `files`, and of the claimants the detainee may be,
    `claimants`), each with the rows of the claim that gives it."""
    key = det["record_key"]
    linked = facts.is_linked(key)
    person_key = facts.person_key(key)
    release = planned_release(det)
    rules = ["PRI-01", "PRI-02", "PRI-05", "PRI-07", "PRI-08"]
    window_start = pri_03_window_start(det) if release is not None else None
    if window_start is not None and window_start < release:
        rules.append("PRI-03")
    measure_ids, measure_rows = [], []
    if det["itf"] in codes.ITF_BANS:
        rules.append("PRI-06")
    if banned:
        measure_ids.append(f"GENESIS-ITF:{det['establishment_code']}:{det['committal_number']}")
    supporting, unconfirmed_only = supporting_found
    for m, enforce in supporting:
        measure_ids.append(m["measure_id"])
        measure_rows.append(m["source_row"])
        rules.append("OQ-08" if m["measure_type"] == "OQTF" else "PRI-06"
                     if m["measure_type"] == "ITF" else "PRI-08")
        rules += enforce.rule_ids
    markers, answer = release_markers(facts, det, run_date, stale_days, candidate)
    marked_rows: list[str] = []
    if linked:
        own = facts.rtr(person_key, run_date)
        if person_markers(own):
            # the claim's markers with the rules that gave them, as on the other lists
            # (OFPRA_DOCUMENTS_REQUESTABLE: the rejection final by RTR-03, -04 or -05)
            markers += person_markers(own)
            marked_rows += own.source_rows
            rules += own.rule_ids
    # OQ-04 on the person's files and on the files searched, whoever the detainee may be
    # (a detainee to identify carries it from those files, as NO_CONSULAR_CONTACT)
    assessed = individual_assessment(facts, person_key, run_date, files)
    if assessed:
        markers.append("INDIVIDUAL_ASSESSMENT")
        marked_rows += assessed
    for found, rows in (consular_markers(facts, files, run_date, claimants),
                        notification_markers(facts, files, run_date, claimants),
                        suspension_markers(facts, files, run_date, claimants)):
        markers += found
        marked_rows += rows
    if eu_with_ban:
        markers.append("EU_CITIZEN")
        rules.append("PRI-10")
    if not linked or unconfirmed_only:
        # PRI-09 before PRI-10: a ban binds whatever the nationality, not whoever the
        # detainee may be (and PRI-08's window and release date apply to the identified)
        situation = "IDENTITY_TO_CONFIRM"
        rules.append("PRI-09")
    elif measure_ids:  # an EU citizen's only by a ban that can support removal
        situation = "ENFORCEABLE_MEASURE"
        rules.append("PRI-04")
    else:
        situation = "MEASURE_TO_EXAMINE"
    if situation == "ENFORCEABLE_MEASURE" and "EXECUTION_AFTER_NOTIFICATION" in markers:
        # RTR-05 / OQ-07: no removal, a judicial ban's included, before the ordonnance
        # is notified: nothing is enforceable at release while its date is unknown. PRI-04
        # (a release conditional on removal) is not open to them before then.
        situation = "MEASURE_TO_EXAMINE"
        rules.remove("PRI-04")
    previous = det["previous_release_date"]
    return {
        "flag_id": candidate, "person_key": person_key,
        "num_agdref": person_key if linked else None,
        "department": det["department"], "establishment_code": det["establishment_code"],
        "release_date": release, "window_start_date": window_start,
        "situation": situation, "measure_ids": measure_ids,
        "release_date_change_days": (release - previous).days if previous and release else None,
        "markers": sorted(set(markers)), "rule_ids": rule_list(rules, marker_rules(markers)),
        "source_rows": unique_rows([*context, *measure_rows, *answer, *marked_rows]),
    }
