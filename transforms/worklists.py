"""The three worklists and their exclusions, decided from `core` as of the run date.

Every candidate ends either on its list or in `exclusions` with one reason code (the
first that applies in the list's order of precedence, protections first), the other
reasons that also apply, the rule ids and the source rows. Identity is used with care:
only a LINKED record is acted on, but every AGDREF file whose identity agrees with a
record (even without a number) is searched for a protection, so that a second file or
a missing number never hides one.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import duckdb

from schemas import codes
from transforms import measures as mx
from transforms import rights
from transforms.dates import add_days, add_months
from transforms.flags import flag_id
from transforms.rights import Finding, Record
from transforms.warehouse import read_sql

OQTF_DEADLINE_DAYS = 15
SHORT_SENTENCE_DAYS = 731  # two years, leap day included (PRI-03)
PLANNING_MONTHS = 3

PRECEDENCE = {
    codes.REJECTED: (
        "PROTECTION_GRANTED", "MINOR", "ASYLUM_PENDING", "CLOSURE_REOPENABLE",
        "RTR_END_UNCONFIRMED", "RESIDENCE_PERMIT", "EU_CITIZEN", "DECEASED_OR_LEFT",
        "IDENTITY_CONFLICT", "MEASURE_IN_FORCE",
    ),
    codes.RELEASES: (
        "PROTECTION_GRANTED", "MINOR", "ASYLUM_PENDING", "CLOSURE_REOPENABLE",
        "RTR_END_UNCONFIRMED", "RESIDENCE_PERMIT", "EU_CITIZEN", "DECEASED_OR_LEFT",
        "NOT_SENTENCED", "RELEASE_DATE_UNKNOWN", "RELEASE_DATE_PASSED",
        "RELEASE_OUTSIDE_HORIZON",
    ),
    codes.MEASURES: (
        "MEASURE_CLOSED", "PROTECTION_GRANTED", "MINOR", "DECEASED_OR_LEFT",
        "SUSPENDED_BY_RTR", "RESIDENCE_PERMIT", "EU_CITIZEN", "IDENTITY_CONFLICT",
        "DUBLIN_DEADLINE_EXPIRED", "APPEAL_PENDING", "NOT_YET_ENFORCEABLE",
    ),
}


# --- facts ----------------------------------------------------------------------------

@dataclass
class Facts:
    """Everything the rules read from `core`, indexed for the rules."""

    persons: dict[str, Record] = field(default_factory=dict)
    titles: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    measures: list[Record] = field(default_factory=list)
    measures_by_person: dict[str, list[Record]] = field(
        default_factory=lambda: defaultdict(list))
    decisions: list[Record] = field(default_factory=list)
    decisions_by_person: dict[str, list[Record]] = field(
        default_factory=lambda: defaultdict(list))
    detentions: list[Record] = field(default_factory=list)
    links: dict[str, Record] = field(default_factory=dict)
    identities: dict[str, Record] = field(default_factory=dict)
    candidates: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    detained: set[str] = field(default_factory=set)
    detained_files: set[str] = field(default_factory=set)
    files_of_person: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    assessed: dict[tuple[str, date], rights.RtrOutcome | None] = field(default_factory=dict)
    by_department: dict[tuple[str, date], dict[str | None, list]] = field(
        default_factory=dict)

    def rtr(self, person_key: str, run_date: date) -> rights.RtrOutcome | None:
        """How the person's right to remain stands on the run date (RTR rules): assessed
        once, then read by every list and by the indicators."""
        key = (person_key, run_date)
        if key not in self.assessed:
            self.assessed[key] = rights.assess_claims(
                self.decisions_by_person.get(person_key, []), run_date)
        return self.assessed[key]

    def to_decide(self, worklist: str, run_date: date, departments: Departments) -> list:
        """The candidates of a list (rejected: person keys with asylum decisions, under
        the department of the decision that ended their right to remain; releases:
        detentions; measures: measures), in the facts' order, of these departments
        (None: all). Read from `index_departments`: each department's rules read only
        their own candidates."""
        if departments is None:
            return [item for _, item in self._located(worklist, run_date)]
        index = self.index_departments(run_date)[worklist]
        return [item for d in sorted(departments, key=department_order)
                for item in index.get(d, ())]

    def index_departments(self, run_date: date) -> dict[str, dict[str | None, list]]:
        """The candidates of each list by department, built once a run date (before the
        rules fan out: the index is then only read)."""
        for worklist in codes.WORKLISTS:
            if (worklist, run_date) not in self.by_department:
                index: dict[str | None, list] = defaultdict(list)
                for department, item in self._located(worklist, run_date):
                    index[department].append(item)
                self.by_department[(worklist, run_date)] = index
        return {w: self.by_department[(w, run_date)] for w in codes.WORKLISTS}

    def _located(self, worklist: str, run_date: date) -> Iterable[tuple[str | None, object]]:
        if worklist == codes.REJECTED:
            return ((self.rtr(person_key, run_date).decision["department"], person_key)
                    for person_key in sorted(self.decisions_by_person))
        rows = self.detentions if worklist == codes.RELEASES else self.measures
        return ((row["department"], row) for row in rows)

    def person_key(self, record_key: str) -> str:
        link = self.links.get(record_key)
        return link["person_key"] if link else record_key

    def is_linked(self, record_key: str) -> bool:
        link = self.links.get(record_key)
        return bool(link) and link["link_status"] == "LINKED"

    def index(self) -> Facts:
        # AGDREF files merged as one person (core_person_links.sql) share a person key.
        for number, person in self.persons.items():
            self.files_of_person[person["person_key"]].append(number)
        for m in self.measures:
            self.measures_by_person[m["person_key"]].append(m)
        for d in self.decisions:
            self.decisions_by_person[self.person_key(d["record_key"])].append(d)
        # Linked persons on the latest list of an establishment; and the files they are
        # firmly tied to (what may delay France's responsibility, EX-04).
        linked = [d["record_key"] for d in self.detentions if self.is_linked(d["record_key"])]
        self.detained = {self.person_key(key) for key in linked}
        self.detained_files = {number for key in linked
                               for number in self.files_of_person[self.person_key(key)]
                               if self.firmly_tied(key, number)}
        return self

    def firmly_tied(self, record_key: str, number: str) -> bool:
        """Whether a file of the record's linked person is that person's with confidence:
        no duplicate merged by the model alone (an agent confirmed the merge, or there is
        none), or the record itself gave and verified the file's number. Strangers of one
        name, birth date and entry date exist nationally, and the model merges some."""
        link = self.links.get(f"agdref:{number}")
        if link is not None and link["link_rule"] != "AGDREF_DUPLICATE":
            return True
        return any(c["num_agdref"] == number and c["evidence"] == "NUMBER"
                   for c in self.candidates.get(record_key, ()))


# The columns of `core` the rules read, and no other: names, and what no rule weighs,
# stay in the warehouse (and out of the memory of the rules).
READ_COLUMNS = {
    "persons": ("person_key", "num_agdref", "department", "birth_year", "birth_month",
                "birth_day", "birth_date_is_placeholder", "nationality", "entry_date",
                "french_family_link", "file_status", "source_row"),
    "residence_titles": ("num_agdref", "department", "title_type", "start_date", "end_date",
                         "title_status", "source_row"),
    "removal_measures": ("measure_id", "num_agdref", "person_key", "department",
                         "measure_type", "decision_date", "notification_date",
                         "departure_period_days", "notification_situation",
                         "member_state_acceptance_date", "appeal_status", "measure_status",
                         "last_event_type", "last_event_date", "departure_date", "absconded",
                         "source_row", "event_rows"),
    "asylum_decisions": ("decision_key", "record_key", "num_ofpra", "department",
                         "claim_type", "procedure", "claim_date", "deciding_body", "outcome",
                         "decision_basis", "decision_date", "cnda_mode", "notification_date",
                         "final_date", "first_list_date", "first_notified_list_date",
                         "first_final_list_date", "source_rows"),
    "detentions": ("record_key", "establishment_code", "department", "committal_number",
                   "penal_category", "sentence_days", "release_date", "itf", "birth_year",
                   "birth_month", "birth_day", "birth_date_is_placeholder", "nationality",
                   "previous_release_date", "source_row"),
    "person_links": ("record_key", "person_key", "link_status", "link_rule"),
    "record_identities": ("record_key", "birth_year", "birth_month", "birth_day",
                          "birth_date_is_placeholder", "nationality", "department",
                          "source_row"),
    "identity_candidates": ("record_key", "num_agdref", "evidence", "source_row"),
}


def _rows(con: duckdb.DuckDBPyConnection, table: str, order: str, where: str = "true",
          source: str | None = None) -> list[dict]:
    """READ_COLUMNS of `table`, read from `source` (default: the core table)."""
    columns = ", ".join(READ_COLUMNS[table])
    relation = con.sql(f"SELECT {columns} FROM {source or 'core.' + table} "  # noqa: S608
                       f"WHERE {where} ORDER BY {order}")
    return relation.pl().to_dicts()


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cycle collector off while the facts are read and the rules decide.
    Nationally they make millions of objects that live until the lists are written, and
    every full collection walked them all (a third of reading the facts, three quarters
    of taking back the rows of forked processes); they hold no cycles, so reference
    counting frees them as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_facts(con: duckdb.DuckDBPyConnection) -> Facts:
    """The rows the rules read (READ_COLUMNS). AGDREF files (with their titles and links)
    and the candidates of AGDREF files only when a rule can reach them (rule_files.sql):
    nationally most files are people no list is about, and reading them into Python
    would cost minutes and gigabytes."""
    con.execute(read_sql("rule_files.sql"))
    facts = Facts()
    reached = "num_agdref IN (SELECT num_agdref FROM rule_files)"
    facts.persons = {p["num_agdref"]: p for p in _rows(con, "persons", "num_agdref", reached)}
    for t in _rows(con, "residence_titles", "num_agdref, source_row", reached):
        facts.titles[t["num_agdref"]].append(t)
    facts.measures = _rows(con, "removal_measures", "measure_id")
    facts.decisions = _rows(con, "asylum_decisions", "decision_key")
    facts.detentions = _rows(con, "detentions", "record_key")
    facts.links = {lk["record_key"]: lk for lk in _rows(
        con, "person_links", "record_key",
        "system <> 'agdref' OR record_key IN (SELECT 'agdref:' || num_agdref FROM rule_files)")}
    facts.identities = {i["record_key"]: i for i in _rows(con, "record_identities",
                                                           "record_key")}
    for c in _rows(con, "identity_candidates", "record_key, num_agdref",
                   source="rule_candidates"):
        facts.candidates[c["record_key"]].append(c)
    return facts.index()


# --- departments ------------------------------------------------------------------------

# The departments a call decides for (None: all). Every candidate is decided alone over
# the shared facts, so the lists of a partition of the departments, put together, are
# the lists of all (publish.decide); a candidate without a department is in the group
# None belongs to.
Departments = frozenset[str | None] | None


def department_order(department: str | None) -> tuple[bool, str]:
    """Departments in code order, a candidate without one last."""
    return department is None, department or ""


# --- shared reasoning -------------------------------------------------------------------

@dataclass
class Verdict:
    """The findings about one candidate; listed when no exclusion applies."""

    worklist: str
    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding | None) -> None:
        if finding is not None:
            self.findings.append(finding)

    def exclusion(self) -> tuple[Finding, list[str]] | None:
        order = PRECEDENCE[self.worklist]
        found = sorted((f for f in self.findings if f.code in order),
                       key=lambda f: order.index(f.code))
        if not found:
            return None
        others = sorted({f.code for f in found[1:]} - {found[0].code},
                        key=order.index)
        return found[0], others


def candidate_files(facts: Facts, record_keys: Iterable[str], weak: bool = False
                    ) -> list[str]:
    """AGDREF files that may be this person: the linked file, every file whose identity
    agrees with one of the records (with or without a number) or with the linked file;
    with `weak`,
    also the files that agree only on a partial or placeholder birth date."""
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
    return sorted(f for f in files if f in facts.persons)


def screen_protections(facts: Facts, files: list[str], run_date: date) -> list[Finding]:
    """Protections shown by any candidate file: its titles, its status, a grant among
    the decisions linked to it (RTR-10)."""
    found: list[Finding] = []
    for number in files:
        found += rights.file_protections(facts.persons[number], facts.titles.get(number, ()),
                                         run_date)
        grants = [d for d in facts.decisions_by_person.get(number, ())
                  if rights.rtr_10_is_grant(d)]
        if grants:
            found.append(Finding("PROTECTION_GRANTED", ("RTR-10",),
                                 tuple(r for d in grants for r in d["source_rows"])))
    return found


def identity_findings(facts: Facts, files: list[str], record_keys: Iterable[str],
                      run_date: date) -> list[Finding]:
    """Age and nationality from every source that describes the person."""
    identities = [facts.persons[f] for f in files]
    identities += [facts.identities[k] for k in record_keys if k in facts.identities]
    found = [rights.oq_03_minor(identities, run_date), rights.eu_citizen(identities)]
    return [f for f in found if f is not None]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _rule_list(*groups: Iterable[str]) -> list[str]:
    return sorted({r for g in groups for r in g if r})


def exclusion_row(worklist: str, candidate_id: str, person_key: str, num_agdref: str | None,
                  department: str | None, measure_id: str | None, verdict: Verdict,
                  context_rows: Iterable[str]) -> dict | None:
    decided = verdict.exclusion()
    if decided is None:
        return None
    finding, others = decided
    return {
        "worklist": worklist, "candidate_id": candidate_id, "person_key": person_key,
        "num_agdref": num_agdref, "department": department, "measure_id": measure_id,
        "reason_code": finding.code, "other_reasons": others,
        "rule_ids": _rule_list(finding.rule_ids),
        "source_rows": _unique([*finding.source_rows, *context_rows]),
    }


# --- rejected asylum seekers without an OQTF (RULES.md §2) ----------------------------

def rejected_without_oqtf(facts: Facts, run_date: date, departments: Departments = None
                          ) -> tuple[list[dict], list[dict]]:
    flags, exclusions = [], []
    for person_key in facts.to_decide(codes.REJECTED, run_date, departments):
        decisions = facts.decisions_by_person[person_key]
        record_keys = sorted({d["record_key"] for d in decisions})
        rtr = facts.rtr(person_key, run_date)
        decision = rtr.decision
        linked = person_key in facts.persons  # a person key is a number only when LINKED
        person = facts.persons.get(person_key) if linked else None
        files = candidate_files(facts, record_keys)
        verdict = Verdict(codes.REJECTED)
        if rtr.effect != rights.ENDED:
            verdict.add(Finding(rtr.reason, rtr.rule_ids, rtr.source_rows))
        verdict.findings += identity_findings(facts, files, record_keys, run_date)
        verdict.findings += screen_protections(facts, files, run_date)
        if not linked:
            verdict.add(Finding("IDENTITY_CONFLICT", ("OQ-01",)))
        own_measures = facts.measures_by_person.get(person_key, []) if linked else []
        verdict.add(rtr_09_dublin(own_measures, facts, person_key, run_date))
        held = [m for m in own_measures if mx.counts_as_measure(m)]
        coercible = [m for m in held if mx.oq_08_is_coercible(m, run_date)]
        if coercible:
            verdict.add(Finding("MEASURE_IN_FORCE", ("OQ-01",),
                                tuple(m["source_row"] for m in coercible)))
        candidate = flag_id(codes.REJECTED, person_key, decision["decision_key"])
        department = decision["department"]
        num_agdref = person_key if linked else None
        context = [*rtr.source_rows, *(p["source_row"] for p in [person] if p)]
        excluded = exclusion_row(codes.REJECTED, candidate, person_key, num_agdref, department,
                                 None, verdict, context)
        if excluded:
            exclusions.append(excluded)
            continue
        markers = list(rtr.markers)
        rules = [*rtr.rule_ids, "OQ-01", "OQ-02"]
        if rights.oq_04_individual_assessment(person, run_date):
            markers.append("INDIVIDUAL_ASSESSMENT")
            rules.append("OQ-04")
        reason, measure_rows = "NO_MEASURE", []
        if held:
            reason, measure_rows = "PRIOR_MEASURE_NOT_COERCIBLE", [m["source_row"] for m in held]
            rules.append("OQ-08")
        due = add_days(rtr.knowledge_date, OQTF_DEADLINE_DAYS)
        flags.append({
            "flag_id": candidate, "person_key": person_key, "num_agdref": num_agdref,
            "department": department, "num_ofpra": decision["num_ofpra"],
            "rtr_end_date": rtr.rtr_end_date, "knowledge_date": rtr.knowledge_date,
            "oqtf_due_date": due, "days_overdue": max(0, (run_date - due).days),
            "reason": reason, "markers": sorted(markers), "rule_ids": _rule_list(rules),
            "source_rows": _unique([*context, *measure_rows]),
        })
    return flags, exclusions


def rtr_09_dublin(own_measures: list[Record], facts: Facts, person_key: str,
                  run_date: date) -> Finding | None:
    """RTR-09: a person under a Dublin transfer that is neither closed nor lapsed is in
    the Dublin procedure, not a rejected asylum seeker (reason ASYLUM_PENDING)."""
    imprisoned = person_key in facts.detained
    rows = []
    for m in own_measures:
        if m["measure_type"] != "TRANSFERT_DUBLIN" or mx.ex_02_closed(m, run_date):
            continue
        deadline = mx.ex_04_dublin_deadline(m, imprisoned)
        if deadline is not None and run_date < deadline:
            rows.append(m["source_row"])
    return Finding("ASYLUM_PENDING", ("RTR-09",), tuple(rows)) if rows else None


# --- foreign detainees near release (RULES.md §3) -----------------------------------

def pri_03_window_start(detention: Record) -> date:
    """PRI-03: for a total sentence of 2 years or less the window opens 3 months before
    release; otherwise at release. An unknown sentence length is read as short: the
    window opens earlier, which only gives the unit more time."""
    days = detention["sentence_days"]
    if days is None or days <= SHORT_SENTENCE_DAYS:
        return add_months(detention["release_date"], -PLANNING_MONTHS)
    return detention["release_date"]


def pri_scope(detention: Record, run_date: date, horizon_days: int) -> Finding | None:
    """PRI-02 (sentenced only) and PRI-08 (window within the horizon, release not past)."""
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


def rtr_findings(rtr: rights.RtrOutcome | None) -> list[Finding]:
    """PRI-07 and §5 for a detainee: an asylum claim not finally decided (a grant is
    found by `screen_protections`)."""
    if rtr is None or rtr.effect in (rights.ENDED, rights.GRANTED):
        return []
    return [Finding(rtr.reason, (*rtr.rule_ids, "PRI-07"), rtr.source_rows)]


def upcoming_releases(facts: Facts, run_date: date, horizon_days: int,
                      departments: Departments = None) -> tuple[list[dict], list[dict]]:
    flags, exclusions = [], []
    for det in facts.to_decide(codes.RELEASES, run_date, departments):
        key = det["record_key"]
        linked = facts.is_linked(key)
        person_key = facts.person_key(key)
        person = facts.persons.get(person_key) if linked else None
        # PRI-07: a detainee who cannot be linked is checked against every plausible
        # file, however weak the evidence, before anyone is asked to confirm identity.
        files = candidate_files(facts, [key], weak=not linked)
        verdict = Verdict(codes.RELEASES)
        verdict.add(pri_scope(det, run_date, horizon_days))
        verdict.findings += identity_findings(facts, files, [key], run_date)
        verdict.findings += screen_protections(facts, files, run_date)
        for number in files:
            verdict.findings += rtr_findings(facts.rtr(number, run_date))
        candidate = flag_id(codes.RELEASES, key)
        num_agdref = person_key if linked else None
        context = [det["source_row"], *(p["source_row"] for p in [person] if p)]
        excluded = exclusion_row(codes.RELEASES, candidate, person_key, num_agdref,
                                 det["department"], None, verdict, context)
        if excluded:
            exclusions.append(excluded)
            continue
        release = det["release_date"]
        rules = ["PRI-01", "PRI-02", "PRI-05", "PRI-07", "PRI-08"]
        window_start = pri_03_window_start(det)
        if window_start < release:
            rules.append("PRI-03")
        measure_ids, measure_rows = [], []
        judicial_ban = det["itf"] != "NON"
        if judicial_ban:
            measure_ids.append(f"GENESIS-ITF:{det['establishment_code']}:"
                               f"{det['committal_number']}")
            rules.append("PRI-06")
        supporting = [m for m in (facts.measures_by_person.get(person_key, []) if linked else [])
                      if mx.can_support_removal_at(m, release)]
        firm = [m for m in supporting if facts.firmly_tied(key, m["num_agdref"])]
        # PRI-08: a measure reached only through files the model merged may be a
        # namesake's (strangers of one name, birth date and entry date exist nationally):
        # the detainee's identity is to confirm, that measure shown, until an agent
        # confirms the merge. Beside a firm measure (or the ITF) it is left out.
        unconfirmed_only = bool(supporting) and not firm and not judicial_ban
        for m in supporting if unconfirmed_only else firm:
            measure_ids.append(m["measure_id"])
            measure_rows.append(m["source_row"])
            rules.append("OQ-08" if m["measure_type"] == "OQTF" else "PRI-06"
                         if m["measure_type"] == "ITF" else "PRI-08")
        if not linked or unconfirmed_only:
            situation = "IDENTITY_TO_CONFIRM"
        elif measure_ids:
            situation = "ENFORCEABLE_MEASURE"
            rules.append("PRI-04")
        else:
            situation = "MEASURE_TO_EXAMINE"
        previous = det["previous_release_date"]
        flags.append({
            "flag_id": candidate, "person_key": person_key, "num_agdref": num_agdref,
            "department": det["department"], "establishment_code": det["establishment_code"],
            "release_date": release, "window_start_date": window_start,
            "situation": situation, "measure_ids": measure_ids,
            "release_date_change_days": (release - previous).days if previous else None,
            "markers": [], "rule_ids": _rule_list(rules),
            "source_rows": _unique([*context, *measure_rows]),
        })
    return flags, exclusions


# --- removal measures not executed (RULES.md §4) ------------------------------------

def rtr_against_measure(facts: Facts, measure: Record, run_date: date
                        ) -> tuple[Finding | None, rights.RtrOutcome | None]:
    """RTR-02 / EX-05: no removal while a right to remain runs, whether the claim came
    before or after the measure (a claim not finally decided suspends execution); once
    the right ended, execution waits for that end (RTR-02) and for an ordonnance's
    notification (RTR-05)."""
    rtr = facts.rtr(measure["person_key"], run_date)
    if rtr is None or rtr.effect == rights.GRANTED:
        return None, None
    if rtr.effect != rights.ENDED:
        return Finding("SUSPENDED_BY_RTR", ("RTR-02", *rtr.rule_ids), rtr.source_rows), None
    if "EXECUTION_AFTER_NOTIFICATION" in rtr.markers:
        return Finding("NOT_YET_ENFORCEABLE", ("RTR-05",), rtr.source_rows), rtr
    return None, rtr


def unexecuted_measures(facts: Facts, run_date: date, departments: Departments = None
                        ) -> tuple[list[dict], list[dict]]:
    flags, exclusions = [], []
    for m in facts.to_decide(codes.MEASURES, run_date, departments):
        person_key, number = m["person_key"], m["num_agdref"]
        person = facts.persons.get(number)
        files = candidate_files(facts, [f"agdref:{number}"])
        verdict = Verdict(codes.MEASURES)
        rows = (m["source_row"],)
        if mx.ex_02_closed(m, run_date):
            verdict.add(Finding("MEASURE_CLOSED", ("EX-02",), (*rows, *m["event_rows"])))
        if person is None:
            verdict.add(Finding("IDENTITY_CONFLICT", ("EX-03",), rows))
        verdict.findings += identity_findings(facts, files, [], run_date)
        for finding in screen_protections(facts, files, run_date):
            if finding.code == "ASYLUM_PENDING":
                finding = Finding("SUSPENDED_BY_RTR", ("EX-05", *finding.rule_ids),
                                  finding.source_rows)
            verdict.add(finding)
        suspended, rtr = rtr_against_measure(facts, m, run_date)
        verdict.add(suspended)
        rules = ["EX-01", "EX-03"]
        if m["measure_type"] == "TRANSFERT_DUBLIN":
            rules.append("EX-04")
            # a wrong merge must not keep a lapsed transfer alive: the detention counts
            # when it is firmly tied to the measure's own file
            deadline = mx.ex_04_dublin_deadline(m, number in facts.detained_files)
            if deadline is None or run_date >= deadline:
                verdict.add(Finding("DUBLIN_DEADLINE_EXPIRED", ("EX-04",), rows))
        ordonnance = (rtr.decision["notification_date"] if rtr and
                      rtr.decision["cnda_mode"] == "ORDONNANCE" else None)
        enforce = mx.oq_07_enforceability(m, rtr.rtr_end_date if rtr else None, ordonnance)
        if m["appeal_status"] == "EN_COURS":
            verdict.add(Finding("APPEAL_PENDING", ("OQ-06",), rows))
        elif enforce.challenge_window_end and run_date < enforce.challenge_window_end:
            verdict.add(Finding("APPEAL_PENDING", ("OQ-06",), rows))
        if enforce.enforceable_from is None or run_date < enforce.enforceable_from:
            verdict.add(Finding("NOT_YET_ENFORCEABLE", enforce.rule_ids, rows))
        candidate = flag_id(codes.MEASURES, m["measure_id"])
        context = [*rows, *(p["source_row"] for p in [person] if p), *m["event_rows"]]
        excluded = exclusion_row(codes.MEASURES, candidate, person_key, number,
                                 m["department"], m["measure_id"], verdict, context)
        if excluded:
            exclusions.append(excluded)
            continue
        markers = []
        coercible = mx.oq_08_is_coercible(m, run_date)
        if m["measure_type"] == "OQTF":
            rules.append("OQ-08")
            if not coercible:
                markers.append("NOT_COERCIBLE")
        if rtr is not None and "SUSPENSION_REQUEST_POSSIBLE" in rtr.markers:
            markers.append("SUSPENSION_REQUEST_POSSIBLE")
        flags.append({
            "flag_id": candidate, "person_key": person_key, "num_agdref": number,
            "department": m["department"], "measure_id": m["measure_id"],
            "measure_type": m["measure_type"], "enforceable_from": enforce.enforceable_from,
            "days_since_enforceable": (run_date - enforce.enforceable_from).days,
            "coercible_until": mx.oq_08_coercible_until(m), "is_coercible": coercible,
            "last_event_type": m["last_event_type"], "last_event_date": m["last_event_date"],
            "in_detention": number in facts.detained_files, "markers": sorted(markers),
            "rule_ids": _rule_list(rules, enforce.rule_ids, rtr.rule_ids if rtr else ()),
            "source_rows": _unique([*context, *(rtr.source_rows if rtr else ())]),
        })
    return flags, exclusions


# --- indicators -------------------------------------------------------------------------

def asylum_outcomes(facts: Facts, run_date: date) -> list[dict]:
    """One row per person with asylum decisions: where their right to remain stands on
    the run date (the RTR rules, as the lists read them). Nationality comes from the
    AGDREF file when the person is linked, else from the deciding TélémOfpra record."""
    rows = []
    for person_key in sorted(facts.decisions_by_person):
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
            "num_ofpra": decision["num_ofpra"], "rule_ids": _rule_list(rtr.rule_ids),
        })
    return rows
