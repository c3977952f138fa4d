"""The reasoning the three worklists share, each decided from `core` as of the run date.

Every candidate ends either on its list or in `exclusions` with one reason code (the
first that applies in the list's order of precedence, protections first), the other
reasons that also apply, the rule ids and the source rows. Identity is used with care:
only a LINKED record is acted on, but every AGDREF file whose identity agrees with a
record (even without a number) is searched for a protection, so that a second file or
a missing number never hides one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from schemas import codes
from transforms.rules import measures as mx
from transforms.rules import rights
from transforms.rules.facts import Facts
from transforms.rules.rights import Finding, Record


@dataclass
class Verdict:
    """The findings about one candidate; listed when no exclusion applies."""

    worklist: str
    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding | None) -> None:
        if finding is not None:
            self.findings.append(finding)

    def exclusion(self) -> tuple[Finding, list[str], list[Finding]] | None:
        """The first reason in the one fixed order (codes.REASON_ORDER), the other reasons'
        codes, and every finding that applies (the first's first)."""
        order = codes.REASON_ORDER
        found = sorted((f for f in self.findings if f.code in order),
                       key=lambda f: order.index(f.code))
        if not found:
            return None
        others = sorted({f.code for f in found[1:]} - {found[0].code},
                        key=order.index)
        return found[0], others, found


def candidate_files(facts: Facts, record_keys: Iterable[str], weak: bool = False
                    ) -> list[str]:
    """AGDREF files that may be this person: the linked file, every file whose identity
    agrees with one of the records (with or without a number) or with the linked file,
    every file whose number one of the records gave, verified or not (the record says it
    is that file's holder: a detainee giving a refugee's number and linked by the model to
    a namesake's file was planned for removal under the namesake's OQTF, identity audit
    of 2026-12-07); with `weak`, also the files that agree only on a partial or
    placeholder birth date. Read for protections, never for measures."""
    evidence = ("NUMBER", "IDENTITY", "IDENTITY_WEAK") if weak else ("NUMBER", "IDENTITY")
    keys = set(record_keys)
    # The linked file's own candidates: another file of the same person (AGDREF holds
    # duplicates) may carry the protection while agreeing only weakly with the record.
    keys |= {f"agdref:{number}" for key in record_keys if facts.is_linked(key)
             for number in facts.files_of_person.get(facts.person_key(key), ())}
    files = set()
    for key in sorted(keys):
        if key.startswith("agdref:"):
            files.add(key.removeprefix("agdref:"))
        files.update(c["num_agdref"] for c in facts.candidates.get(key, ())
                     if c["evidence"] in evidence)
        identity = facts.identities.get(key)
        files.update(identity["numbers"] if identity else ())
    return sorted(f for f in files if f in facts.persons)


def screen_protections(facts: Facts, files: list[str], run_date: date, rule: str
                       ) -> list[Finding]:
    """Protections shown by any candidate file: its titles, its status, a grant among
    the decisions linked to it or to its person (RTR-10), a departure of its person
    recorded on any of their measures (departure_recorded); and a file that two
    departments' snapshots of one date describe otherwise (contradicted)."""
    found: list[Finding] = [*contradicted(facts, files, rule)]
    for number in files:
        found += rights.file_protections(facts.persons[number], facts.titles.get(number, ()),
                                         run_date)
        # the decisions of the file's person (merged files share the lowest number's key)
        keys = dict.fromkeys((number, facts.persons[number]["person_key"]))
        grants = [d for key in keys for d in facts.decisions_by_person.get(key, ())
                  if rights.rtr_10_is_grant(d)]
        if grants:
            found.append(Finding("PROTECTION_GRANTED", ("RTR-10",),
                                 tuple(r for d in grants for r in d["source_rows"])))
    left = departure_recorded(facts, files)
    return [*found, left] if left else found


def contradicted(facts: Facts, files: list[str], rule: str) -> list[Finding]:
    """Principle 1, §5 IDENTITY_CONFLICT (every list): a file searched that the latest
    snapshots of two departments of one date describe otherwise (its names, sex, birth
    date, nationality, entry date, family link or status: core_persons.sql): which row
    is true is uncertain, and either may protect the person. Both rows are cited; the
    list's `rule` is the one that would have acted."""
    return [Finding("IDENTITY_CONFLICT", (rule,),
                    (facts.persons[number]["source_row"],
                     *facts.persons[number]["contradicting_rows"]))
            for number in files if facts.persons[number]["contradicting_rows"]]


def departure_recorded(facts: Facts, files: list[str]) -> Finding | None:
    """§5 DECEASED_OR_LEFT, EX-02: a departure from France recorded on any measure of the
    person of a file searched (a removal carried out, a voluntary departure seen), the
    person's other measures and lists included, unless something of the person dated
    after it shows them back in France: a measure decided, a title begun, a claim
    introduced, a committal on a prison's list. A measure AGDREF records executed
    (EXECUTEE) without its event is a removal carried out too, on a day not known: from
    its latest date known (audit of 2026-12-07: the person's older measure stayed listed)."""
    for key in file_persons(facts, files):
        measures = facts.measures_by_person.get(key, ())
        departed = [(day, m["measure_id"], m) for m in measures
                    if (day := _departure_day(m)) is not None]
        if not departed:
            continue
        since, _, last = max(departed, key=lambda d: d[:2])
        seen = [*(m["decision_date"] for m in measures),
                *(t["start_date"] for number in facts.files_of_person.get(key, ())
                  for t in facts.titles.get(number, ())),
                *(d["claim_date"] for d in facts.decisions_by_person.get(key, ())),
                *(d["list_date"] for d in facts.detentions_by_person.get(key, ()))]
        if not any(day is not None and day > since for day in seen):
            return Finding("DECEASED_OR_LEFT", ("EX-02",), (last["source_row"],
                                                            *last["event_rows"]))
    return None


def _departure_day(measure: Record) -> date | None:
    """The day a measure shows the person left France: its departure recorded, or for a
    measure executed without its event, its latest date known; None: no departure."""
    if measure["departure_date"] is not None:
        return measure["departure_date"]
    if measure["measure_status"] != "EXECUTEE":
        return None
    return (measure["last_event_date"] or measure["notification_date"]
            or measure["decision_date"])


def holds_the_person(rtr: rights.RtrOutcome | None, execution: bool) -> bool:
    """A right to remain that keeps its holder off the list: not ended (a claim pending,
    its end unconfirmed, a closure still reopenable: RTR-01, RTR-03, RTR-07), a protection
    granted (RTR-10); on an execution list (`execution`), also an ordonnance not yet
    notified (RTR-05: "never on an execution list")."""
    if rtr is None:
        return False
    return (rtr.effect in (rights.NOT_ENDED, rights.REOPENABLE, rights.GRANTED)
            or (execution and "EXECUTION_AFTER_NOTIFICATION" in rtr.markers))


def review_protections(facts: Facts, files: list[str], run_date: date,
                       besides: Iterable[str] = (), rule: str = "EX-03",
                       execution: bool = True) -> list[Finding]:
    """A TélémOfpra or GENESIS record that may be one of the files' person without being
    tied to it (in identity review against it, or giving its number unverified:
    Facts.in_review), whose own claims show a right to remain that would keep its holder
    off the list (holds_the_person: `execution` for the releases' and the measures'
    lists), or whose own identity makes a minor (OQ-03) or an EU, EEA or Swiss national
    (§5): the candidate may be a protected person, so until an agent decides the pair the
    records cannot be tied with the confidence an action needs (IDENTITY_CONFLICT,
    principle 1), on every list. `besides`: the candidate's own records (already read as
    the candidate); `rule`: the list's rule that acts on an identified person."""
    found = []
    own = set(besides)
    for number in files:
        for record_key in facts.in_review.get(number, ()):
            if record_key in own:
                continue
            rtr = facts.rtr(facts.person_key(record_key), run_date)
            if holds_the_person(rtr, execution):
                found.append(Finding("IDENTITY_CONFLICT", (rule, *rtr.rule_ids),
                                     rtr.source_rows))
            identity = [facts.identities.get(record_key)]
            for finding in (rights.oq_03_minor(identity, run_date),
                            rights.eu_citizen(identity)):
                if finding is not None:
                    found.append(Finding("IDENTITY_CONFLICT", (rule, *finding.rule_ids),
                                         finding.source_rows))
    return found


def other_files_claims(facts: Facts, files: list[str], own_key: str, run_date: date,
                       rule: str, execution: bool = True) -> list[Finding]:
    """RTR-01 and §5 (every list): the right to remain of the person of each other file
    searched for the candidate's protections (a second file of theirs that AGDREF keeps
    apart) holds the candidate as their own would (claims_findings). A grant is read by
    screen_protections."""
    return claims_findings(
        [rtr for key in file_persons(facts, files) if key != own_key
         and (rtr := facts.rtr(key, run_date)) is not None and rtr.effect != rights.GRANTED],
        rule, execution)


def claims_findings(rights_to_remain: Iterable[rights.RtrOutcome | None], rule: str,
                    execution: bool) -> list[Finding]:
    """What each right to remain that holds the person (holds_the_person) gives: a claim
    not finally decided, a closure still reopenable or a grant excludes with its reason,
    cited under the list's `rule`; on an execution list (`execution`), an ordonnance not
    yet notified holds execution: the measure is not yet enforceable (EX-03, RTR-05,
    NOT_YET_ENFORCEABLE), whichever list."""
    found = []
    for rtr in rights_to_remain:
        if not holds_the_person(rtr, execution):
            continue
        if rtr.effect == rights.ENDED:  # an ordonnance not yet notified
            found.append(Finding("NOT_YET_ENFORCEABLE", ("EX-03", "RTR-05"), rtr.source_rows))
        else:
            found.append(Finding(rtr.reason, (rule, *rtr.rule_ids), rtr.source_rows))
    return found


def file_persons(facts: Facts, files: list[str]) -> list[str]:
    """The persons of the files searched for a candidate's protections (merged files
    share one), in order."""
    return sorted({facts.persons[number]["person_key"] for number in files})


def files_rights(facts: Facts, files: list[str], run_date: date) -> list[rights.RtrOutcome]:
    """The right to remain of the person of each file searched for the candidate's
    protections (a second file of theirs that AGDREF keeps apart included)."""
    return [rtr for key in file_persons(facts, files)
            if (rtr := facts.rtr(key, run_date)) is not None]


# A marker a flag carries and the rows of the claim that gives it (principle 2).
Marked = tuple[list[str], tuple[str, ...]]


def _files_marker(facts: Facts, files: list[str], run_date: date, also: Iterable[str],
                  marker: str, ended_only: bool) -> Marked:
    """`marker` when the right to remain of anyone the candidate may be (possible_persons:
    the person of a file searched, or a record in identity review against one, as
    consular_markers reads them; or a person in `also`: claimants_alike) carries it
    (`ended_only`: as person_markers reads it, a right ended), with the rows of that
    claim. A claim in review gave NO_CONSULAR_CONTACT but not the other markers of the
    same decision (rules audit of 2026-12-07)."""
    rights_found = [rtr for key in [*possible_persons(facts, files), *also]
                    if (rtr := facts.rtr(key, run_date)) is not None]
    for rtr in rights_found:
        if marker in (person_markers(rtr) if ended_only else rtr.markers):
            return [marker], rtr.source_rows
    return [], ()


def notification_markers(facts: Facts, files: list[str], run_date: date,
                         also: Iterable[str] = ()) -> Marked:
    """RTR-05 on any file searched (and any person in `also`: claimants_alike):
    EXECUTION_AFTER_NOTIFICATION while a CNDA ordonnance of its person is not notified
    (no removal before)."""
    return _files_marker(facts, files, run_date, also, "EXECUTION_AFTER_NOTIFICATION",
                         ended_only=False)


def suspension_markers(facts: Facts, files: list[str], run_date: date,
                       also: Iterable[str] = ()) -> Marked:
    """RTR-06, L. 542-6: SUSPENSION_REQUEST_POSSIBLE when the right to remain of the person
    of a file searched (a second file AGDREF keeps apart, whose claim holds the candidate
    and marks NO_CONSULAR_CONTACT) or of a person in `also` ended by a decision whose
    suspension the court may be asked for: "every flag of that person, on any of the
    three lists"."""
    return _files_marker(facts, files, run_date, also, "SUSPENSION_REQUEST_POSSIBLE",
                         ended_only=True)


def possible_persons(facts: Facts, files: list[str]) -> list[str]:
    """Whom a candidate may be: the persons of the files searched for their protections,
    and the records in identity review against those files (each its own person)."""
    keys = set(file_persons(facts, files))
    keys |= {facts.person_key(record_key) for number in files
             for record_key in facts.in_review.get(number, ())}
    return sorted(keys)


def consular_markers(facts: Facts, files: list[str], run_date: date,
                     also: Iterable[str] = ()) -> Marked:
    """PRI-07, an absolute ban: NO_CONSULAR_CONTACT when the latest claim of anyone the
    candidate may be (possible_persons, and the persons in `also`: claimants_alike) may
    still await a decision, as the protections of those files exclude the candidate
    (screen_protections, review_protections)."""
    for key in [*possible_persons(facts, files), *also]:
        rtr = facts.rtr(key, run_date)
        if rtr is not None and "NO_CONSULAR_CONTACT" in rtr.markers:
            return ["NO_CONSULAR_CONTACT"], rtr.source_rows
    return [], ()


def claimants_alike(facts: Facts, record_key: str, besides: Iterable[str], weak: bool
                    ) -> list[str]:
    """PRI-07, §5: the persons of the TélémOfpra records whose identity agrees with a
    detainee's (core.claim_candidates), other than `besides` (the detainee's own person
    and whom the files searched say they may be, possible_persons: read already). A
    claimant whose claim reaches no AGDREF file (a file of another department, or none
    yet) may be the detainee. With `weak` (a detainee who cannot be linked, as for the
    files searched: candidate_files), also the records agreeing only on a partial or
    placeholder birth date; for a linked detainee those are namesakes by the hundred
    nationally (290 of 5,721 detainees listed, none of them the claimant)."""
    evidence = ("IDENTITY", "IDENTITY_WEAK") if weak else ("IDENTITY",)
    alike = {facts.person_key(c["claim_key"]) for c in facts.claims_alike.get(record_key, ())
             if c["evidence"] in evidence}
    return sorted(alike - set(besides))


def claimants_protections(facts: Facts, claimants: Iterable[str], run_date: date,
                          rule: str) -> list[Finding]:
    """What protects a claimant alike (claimants_alike) besides their right to remain
    (read on its own): their age and nationality by their records and the files they are
    tied to (identity_findings: MINOR, EU_CITIZEN) and those files' protections
    (screen_protections: a title, a grant, a departure), read as the detainee's own, as
    the files found by identity are: the claimant agrees with the detainee on identity
    and may be them (principle 1)."""
    files = unique_rows(f for person in claimants for f in facts.files_of_person.get(person, ()))
    records = unique_rows(r for person in claimants
                          for r in (facts.records_of_person.get(person) or [person]))
    if not files and not records:
        return []
    return [*identity_findings(facts, files, records, run_date),
            *screen_protections(facts, files, run_date, rule)]


def claimants_references(facts: Facts, claimants: Iterable[str]) -> list[str]:
    """How a quarantined row may name a claimant alike (DQ-01): as it may name the
    detainee (person_references), over the claimant's records, the records of their
    claims and the files they are tied to (so also those files' measures: a quarantined
    event of one may record that person's departure)."""
    return unique_rows(
        reference for person in claimants
        for reference in person_references(
            facts, [*(facts.records_of_person.get(person) or [person]),
                    *claim_records(facts, person)],
            list(facts.files_of_person.get(person, ()))))


def appealed_bans(facts: Facts, detention: Record, person_key: str) -> tuple[str, ...]:
    """PRI-06 against principle 1: GENESIS records a judicial ITF for a detainee while
    AGDREF records the person's ITF in force under an appeal that may be pending
    (recorded, or its status unknown; and none in force without one): nothing is
    enforceable at release on that ban until the sources agree
    (the measures list excludes the ITF as APPEAL_PENDING); AGDREF's rows, empty when the
    ban stands. The rejected list still counts the ban as a measure (an appeal does not
    end it)."""
    if detention["itf"] not in codes.ITF_BANS:
        return ()
    bans = [m for m in facts.measures_by_person.get(person_key, [])
            if m["measure_type"] == "ITF" and mx.counts_as_measure(m)]
    if not bans or not all(mx.oq_06_challenge_may_be_pending(m) for m in bans):
        return ()
    return tuple(m["source_row"] for m in bans)


def genesis_ban_withdrawn(facts: Facts, detention: Record, person_key: str) -> tuple[str, ...]:
    """PRI-06 against principle 1: GENESIS records a judicial ITF for a detainee while
    AGDREF records the person's ITF annulled, abrogated or withdrawn and none in force.
    The sources contradict each other: no list acts on that ban (the releases list has a
    human examine the detainee, the rejected list does not count it as a measure); the
    rows of AGDREF's withdrawn ITF, empty when the ban stands."""
    if detention["itf"] not in codes.ITF_BANS:
        return ()
    bans = [m for m in facts.measures_by_person.get(person_key, [])
            if m["measure_type"] == "ITF"]
    if any(mx.counts_as_measure(m) for m in bans):
        return ()
    return tuple(m["source_row"] for m in bans
                 if m["measure_status"] in codes.WITHDRAWN_MEASURE_STATUSES
                 or m["appeal_status"] == "ANNULE")


def individual_assessment(facts: Facts, person_key: str, run_date: date,
                          files: Iterable[str] = ()) -> tuple[str, ...]:
    """OQ-04 on any file of the person (a family link or an early entry recorded on a
    merged duplicate counts) and on any other file searched for the candidate's
    protections (`files`: a second file AGDREF keeps apart, whose titles and claims hold
    the candidate, principle 1): the rows of the files that ask for the marker
    INDIVIDUAL_ASSESSMENT (none: no marker), carried on every list where the person
    appears (RULES.md, Markers)."""
    numbers = dict.fromkeys([*facts.files_of_person.get(person_key, ()), *files])
    return tuple(facts.persons[number]["source_row"] for number in numbers
                 if rights.oq_04_individual_assessment(facts.persons.get(number), run_date))


def oq_02_other_ground(facts: Facts, person_key: str, run_date: date) -> Finding | None:
    """OQ-02 and §5 (an exclusion of every list): while the unit examines admission on
    another ground (an agent's decision, until the unit closes the examination) the OQTF
    is not due, and no removal is pursued: the person leaves every list with
    OTHER_GROUND_UNDER_EXAMINATION."""
    found = agent_decision(facts, codes.OTHER_GROUND, person_key, run_date)
    return Finding("OTHER_GROUND_UNDER_EXAMINATION", ("OQ-02",),
                   (found["source_row"],)) if found else None


def identity_findings(facts: Facts, files: list[str], record_keys: Iterable[str],
                      run_date: date) -> list[Finding]:
    """Age and nationality from every source that describes the person: the files, the
    candidate's records, and every record linked to the files' persons (a claim or a
    detainee giving the file's number: OQ-03 reads the youngest, §5 any EU nationality,
    on every list)."""
    identities = [facts.persons[f] for f in files]
    linked = {key for f in files
              for key in facts.records_of_person.get(facts.persons[f]["person_key"], ())}
    identities += [facts.identities[k] for k in sorted({*record_keys, *linked})
                   if k in facts.identities]
    found = [rights.oq_03_minor(identities, run_date), rights.eu_citizen(identities)]
    return [f for f in found if f is not None]


FILE_DATE = re.compile(r"_(\d{4})(\d{2})(\d{2})\.(?:csv|xlsx):\d+$")


def row_date(source_row: str) -> date | None:
    """The extraction date of the file a source row comes from (its name, docs/contracts.md §1)."""
    found = FILE_DATE.search(source_row)
    return date(*map(int, found.groups())) if found else None


def dq_01_quarantined(facts: Facts, references: Iterable[str],
                      listing_rows: Iterable[str] = ()) -> Finding | None:
    """DQ-01 (RULES.md §5 SOURCE_ROW_QUARANTINED): a quarantined row names the person (a
    well-formed AGDREF number, an OFPRA number of their claims, their committal number,
    their measure) and may hold what protects them. It matters when it is not older than
    the facts that would list them: an AGDREF snapshot or a GENESIS list is the truth of
    its unit only while it is the latest delivery, so their rows count when their file is
    the latest of its kind and unit; a TélémOfpra row counts when its list is not older
    than the newest TélémOfpra list among the facts (or there is none among them).
    `listing_rows`: the TélémOfpra rows of those facts, the only citations a rule reads
    (others are only cited: transforms.rules.reuse.CITED_ONLY)."""
    newest_telemofpra = max((row_date(r) for r in listing_rows
                             if r.startswith("TELEMOFPRA_") and row_date(r)), default=None)
    rows = sorted({q["source_row"] for ref in set(references)
                   for q in facts.quarantined.get(ref, ())
                   if (q["is_latest"] if q["system"] != "telemofpra"
                       else newest_telemofpra is None
                       or q["extraction_date"] >= newest_telemofpra)})
    return Finding("SOURCE_ROW_QUARANTINED", ("DQ-01",), tuple(rows)) if rows else None


def person_references(facts: Facts, record_keys: Iterable[str], files: list[str]
                      ) -> list[str]:
    """How a quarantined row may name the person (core.quarantined_references): their
    records, the files searched for their protections, the AGDREF numbers their records
    give (a file whose row is quarantined tonight is not among the files searched: it
    was not staged), the claims of anyone they may be (possible_persons: a second
    file's claim may be named by its OFPRA number only), the measures of the persons of
    the files searched (an EVENEMENTS row names a measure only, and a departure recorded
    on any of them keeps the person off every list: departure_recorded) and the records
    tied to those persons (a committal number names its detainee on every list)."""
    record_keys = list(record_keys)
    given = [number for key in record_keys
             for number in (facts.identities.get(key) or {}).get("numbers") or ()]
    claims = [record for key in possible_persons(facts, files)
              for record in claim_records(facts, key)]
    persons = file_persons(facts, files)
    measures = [f"measure:{m['measure_id']}" for key in persons
                for m in facts.measures_by_person.get(key, ())]
    # the committals (and claims) tied to those persons: a committal number of the
    # establishment names its detainee on every list (RULES §5)
    linked = [record for key in persons for record in facts.records_of_person.get(key, ())]
    return [*record_keys, *(f"agdref:{number}" for number in unique_rows([*files, *given])),
            *claims, *measures, *linked]


def claim_records(facts: Facts, person_key: str) -> list[str]:
    """The TélémOfpra records of the person's claims: a quarantined row may name the
    person by an OFPRA number only (DQ-01), on every list."""
    return sorted({d["record_key"] for d in facts.decisions_by_person.get(person_key, ())})


def unique_rows(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def rule_list(*groups: Iterable[str]) -> list[str]:
    return sorted({r for g in groups for r in g if r})


def exclusion_row(worklist: str, candidate_id: str, person_key: str, num_agdref: str | None,
                  department: str | None, measure_id: str | None, verdict: Verdict,
                  context_rows: Iterable[str]) -> dict | None:
    decided = verdict.exclusion()
    if decided is None:
        return None
    finding, others, found = decided
    # principle 2: the rule ids and source rows of every reason that applies, the first
    # reason's rows first (its own, then the candidate's), then the other reasons'
    return {
        "worklist": worklist, "candidate_id": candidate_id, "person_key": person_key,
        "num_agdref": num_agdref, "department": department, "measure_id": measure_id,
        "reason_code": finding.code, "other_reasons": others,
        "rule_ids": rule_list(*(f.rule_ids for f in found)),
        "source_rows": unique_rows([*finding.source_rows, *context_rows,
                                    *(row for f in found[1:] for row in f.source_rows)]),
    }


def dublin_imprisoned(facts: Facts, measure: Record) -> tuple[str, ...]:
    """EX-04 on the measures list: the person was imprisoned within the transfer's time
    limit since the other State's acceptance, as the detention history shows (PRI-01) for
    a committal firmly tied to the measure's own file (a wrong merge must not keep a
    lapsed transfer alive): the row of the latest list that shows it, cited with the
    transfer; empty when none does. A detention that began after the transfer lapsed does
    not revive it (Reg. 604/2013 art. 29(2), France already responsible). RTR-09 reads
    any committal of the person since the acceptance (rejected._person_held_since)."""
    accepted = measure["member_state_acceptance_date"]
    if accepted is None:
        return ()
    return facts.held_within(measure["num_agdref"], accepted, mx.ex_04_time_limit(measure))


def detention_rows(facts: Facts, number: str) -> list[str]:
    """The rows of the establishments' latest lists that show the file's person held now
    (facts.detained_files: a committal firmly tied to the file): the facts behind a
    measure's `in_detention`, cited with it (principle 2)."""
    person = facts.persons.get(number)
    if number not in facts.detained_files or person is None:
        return []
    return [d["source_row"] for d in facts.detentions_by_person.get(person["person_key"], ())
            if facts.firmly_tied(d["record_key"], number)]


def agent_decision(facts: Facts, kind: str, person_key: str, run_date: date,
                   flag: str | None = None) -> Record | None:
    """The unit's decision of this kind about the person (on this flag, when given) in
    force on the run date (core.agent_decisions)."""
    found = [a for a in facts.agent_decisions.get((kind, person_key), ())
             if a["effective_date"] <= run_date and (flag is None or a["flag_id"] == flag)]
    return max(found, key=lambda a: (a["effective_date"], a["source_row"]), default=None)


MARKER_RULES = {
    "EXECUTION_AFTER_NOTIFICATION": "RTR-05", "SUSPENSION_REQUEST_POSSIBLE": "RTR-06",
    "INDIVIDUAL_ASSESSMENT": "OQ-04", "NOT_COERCIBLE": "OQ-08", "NO_CONSULAR_CONTACT": "PRI-07",
    "STALE_PRISON_LIST": "PRI-01", "EU_CITIZEN": "PRI-10", "PRISON_ANSWER_DUE": "PRI-05",
}


def marker_rules(markers: Iterable[str]) -> list[str]:
    """The rule ids behind markers (OFPRA_DOCUMENTS_REQUESTABLE rests on a circular)."""
    return [MARKER_RULES[m] for m in markers if m in MARKER_RULES]


def person_markers(rtr: rights.RtrOutcome | None) -> list[str]:
    """The markers of the decision that ended the right to remain of the person's latest
    claim, carried on every list where the person appears (RULES.md §5, Markers)."""
    return list(rtr.markers) if rtr is not None and rtr.effect == rights.ENDED else []
