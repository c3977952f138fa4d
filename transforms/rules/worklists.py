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
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import duckdb

from schemas import codes
from transforms.rules import measures as mx
from transforms.rules import rights
from transforms.rules.dates import add_days, add_months
from transforms.rules.flags import flag_id
from transforms.rules.rights import Finding, Record
from transforms.warehouse.database import read_sql

OQTF_DEADLINE_DAYS = 15
SHORT_SENTENCE_DAYS = 731  # two years, leap day included (PRI-03)
PLANNING_MONTHS = 3
PRISON_ANSWER_DAYS = 7  # PRI-05
STALE_PRISON_LIST_DAYS = 16  # PRI-01, a setting (flows/settings.py)

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
    detentions_by_person: dict[str, list[Record]] = field(
        default_factory=lambda: defaultdict(list))
    detention_history: list[Record] = field(default_factory=list)
    # DQ-01: committals whose row in the latest list of their establishment is quarantined
    held_back: list[Record] = field(default_factory=list)
    held_until: dict[str, date] = field(default_factory=dict)
    quarantined: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    consular_requests: list[Record] = field(default_factory=list)
    agent_decisions: dict[tuple[str, str], list[Record]] = field(
        default_factory=lambda: defaultdict(list))
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
            return ((self.domicile(person_key), person_key)
                    for person_key in sorted(self.decisions_by_person))
        rows = ([*self.detentions, *self.held_back] if worklist == codes.RELEASES
                else self.measures)
        return ((row["department"], row) for row in rows)

    def domicile(self, person_key: str) -> str | None:
        """The department of the person's latest TélémOfpra list (RULES.md, "Boundaries":
        when the domicile differs between lists, the latest list decides)."""
        latest = max(self.decisions_by_person[person_key],
                     key=lambda d: (d["last_list_date"], d["decision_key"]))
        return latest["department"]

    def held_after(self, number: str, day: date | None) -> bool:
        """PRI-01 / EX-04: the detention history shows the AGDREF file's person held at
        any time on or after `day` (a committal firmly tied to the file)."""
        until = self.held_until.get(number)
        return until is not None and day is not None and until >= day

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
        for d in self.detentions:
            if self.is_linked(d["record_key"]):
                self.detentions_by_person[self.person_key(d["record_key"])].append(d)
        self.held_back = quarantined_committals(self)
        # Every committal ever seen, for EX-04: until when each file's person was held.
        for h in self.detention_history:
            key = h["record_key"]
            if not self.is_linked(key):
                continue
            for number in self.files_of_person[self.person_key(key)]:
                if self.firmly_tied(key, number):
                    self.held_until[number] = max(self.held_until.get(number, date.min),
                                                  h["last_list_date"])
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


def quarantined_committals(facts: Facts) -> list[Record]:
    """DQ-01 / PRI-01: a committal whose row in the latest list of its establishment was
    quarantined is neither on that list nor gone from it: a candidate of the releases
    list, held back until the row is corrected (its department: the establishment's)."""
    listed = {d["record_key"] for d in facts.detentions}
    departments = {d["establishment_code"]: d["department"] for d in facts.detentions}
    departments.update({h["record_key"].split(":")[1]: h["department"]
                        for h in facts.detention_history if h.get("department")})
    held = []
    for reference in sorted(facts.quarantined):
        rows = [q["source_row"] for q in facts.quarantined[reference] if q["is_latest"]]
        if reference.startswith("genesis:") and reference not in listed and rows:
            held.append({"record_key": reference, "quarantined_rows": tuple(rows),
                         "department": departments.get(reference.split(":")[1])})
    return held


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
                         "first_final_list_date", "last_list_date", "source_rows"),
    "detentions": ("record_key", "establishment_code", "department", "committal_number",
                   "penal_category", "sentence_days", "release_date", "itf", "birth_year",
                   "birth_month", "birth_day", "birth_date_is_placeholder", "nationality",
                   "previous_release_date", "list_date", "source_row"),
    "detention_history": ("record_key", "department", "committal_date", "first_list_date",
                          "last_list_date"),
    "quarantined_references": ("reference", "system", "extraction_date", "is_latest",
                               "source_row"),
    "measure_events": ("measure_id", "event_type", "event_date", "source_row"),
    "agent_decisions": ("kind", "flag_id", "person_key", "effective_date", "source_row"),
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
    facts.detention_history = _rows(con, "detention_history", "record_key, first_list_date")
    for q in _rows(con, "quarantined_references", "reference, source_row"):
        facts.quarantined[q["reference"]].append(q)
    for a in _rows(con, "agent_decisions", "decision_id"):
        facts.agent_decisions[(a["kind"], a["person_key"])].append(a)
    facts.consular_requests = _rows(con, "measure_events", "measure_id, event_date, source_row",
                                    "event_type = 'DEMANDE_LAISSEZ_PASSER'")
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
        """The first reason in the one fixed order (codes.REASON_ORDER), and the others."""
        order = codes.REASON_ORDER
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


FILE_DATE = re.compile(r"_(\d{4})(\d{2})(\d{2})\.(?:csv|xlsx):\d+$")


def row_date(source_row: str) -> date | None:
    """The extraction date of the file a source row comes from (its name, CONTRACTS §1)."""
    found = FILE_DATE.search(source_row)
    return date(*map(int, found.groups())) if found else None


def dq_01_quarantined(facts: Facts, references: Iterable[str], listing_rows: Iterable[str]
                      ) -> Finding | None:
    """DQ-01 (RULES.md §5 SOURCE_ROW_QUARANTINED): a quarantined row names the person (a
    well-formed AGDREF number, an OFPRA number of their claims, their committal number,
    their measure) and may hold what protects them. It matters when it is not older than
    the facts that would list them: an AGDREF snapshot or a GENESIS list is the truth of
    its unit only while it is the latest delivery, so their rows count when their file is
    the latest of its kind and unit; a TélémOfpra row counts when its list is not older
    than the newest TélémOfpra list among the facts (or there is none among them)."""
    newest_telemofpra = max((row_date(r) for r in listing_rows
                             if r.startswith("TELEMOFPRA_") and row_date(r)), default=None)
    rows = sorted({q["source_row"] for ref in set(references)
                   for q in facts.quarantined.get(ref, ())
                   if (q["is_latest"] if q["system"] != "telemofpra"
                       else newest_telemofpra is None
                       or q["extraction_date"] >= newest_telemofpra)})
    return Finding("SOURCE_ROW_QUARANTINED", ("DQ-01",), tuple(rows)) if rows else None


def person_references(record_keys: Iterable[str], files: Iterable[str]) -> list[str]:
    """How a quarantined row may name the person (core.quarantined_references)."""
    return [*record_keys, *(f"agdref:{number}" for number in files)]


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
        verdict.add(rtr_09_dublin(own_measures, facts, run_date))
        held = [m for m in own_measures if mx.counts_as_measure(m)]
        coercible = [m for m in held if mx.oq_08_is_coercible(m, run_date)]
        if coercible:
            verdict.add(Finding("MEASURE_IN_FORCE", ("OQ-01",),
                                tuple(m["source_row"] for m in coercible)))
        verdict.add(pri_06_judicial_ban(facts.detentions_by_person.get(person_key, [])))
        verdict.add(oq_02_other_ground(facts, person_key, run_date))
        candidate = flag_id(codes.REJECTED, person_key, decision["decision_key"])
        department = facts.domicile(person_key)
        num_agdref = person_key if linked else None
        context = [*rtr.source_rows, *(p["source_row"] for p in [person] if p)]
        verdict.add(dq_01_quarantined(facts, person_references(record_keys, files), context))
        excluded = exclusion_row(codes.REJECTED, candidate, person_key, num_agdref, department,
                                 None, verdict, context)
        if excluded:
            exclusions.append(excluded)
            continue
        markers = list(rtr.markers)
        rules = [*rtr.rule_ids, *marker_rules(markers), "OQ-01", "OQ-02"]
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


def rtr_09_dublin(own_measures: list[Record], facts: Facts, run_date: date
                  ) -> Finding | None:
    """RTR-09: a person under a Dublin transfer that is neither closed nor lapsed (EX-04,
    the anniversary day included) is in the Dublin procedure, not a rejected asylum
    seeker (reason ASYLUM_PENDING)."""
    rows = [m["source_row"] for m in own_measures
            if m["measure_type"] == "TRANSFERT_DUBLIN" and not mx.ex_02_closed(m, run_date)
            and not mx.ex_04_dublin_lapsed(m, dublin_imprisoned(facts, m), run_date)]
    return Finding("ASYLUM_PENDING", ("RTR-09",), tuple(rows)) if rows else None


def dublin_imprisoned(facts: Facts, measure: Record) -> bool:
    """EX-04: the person was imprisoned at any time since the other State's acceptance,
    as the detention history shows (PRI-01) for a committal firmly tied to the measure's
    own file (a wrong merge must not keep a lapsed transfer alive)."""
    return facts.held_after(measure["num_agdref"], measure["member_state_acceptance_date"])


def agent_decision(facts: Facts, kind: str, person_key: str, run_date: date,
                   flag: str | None = None) -> Record | None:
    """The unit's decision of this kind about the person (on this flag, when given) in
    force on the run date (core.agent_decisions)."""
    found = [a for a in facts.agent_decisions.get((kind, person_key), ())
             if a["effective_date"] <= run_date and (flag is None or a["flag_id"] == flag)]
    return max(found, key=lambda a: (a["effective_date"], a["source_row"]), default=None)


def oq_02_other_ground(facts: Facts, person_key: str, run_date: date) -> Finding | None:
    """OQ-02: while the unit examines admission on another ground (an agent's decision,
    until the unit closes the examination) the OQTF is not due: the person leaves the
    list with OTHER_GROUND_UNDER_EXAMINATION."""
    found = agent_decision(facts, codes.OTHER_GROUND, person_key, run_date)
    return Finding("OTHER_GROUND_UNDER_EXAMINATION", ("OQ-02",),
                   (found["source_row"],)) if found else None


def pri_06_judicial_ban(detentions: Iterable[Record]) -> Finding | None:
    """"Who is without OQTF" (RULES.md §2) and PRI-06: a judicial ITF recorded in the
    latest GENESIS list of an establishment holding the person is a measure in force."""
    rows = tuple(d["source_row"] for d in detentions if d["itf"] != "NON")
    return Finding("MEASURE_IN_FORCE", ("OQ-01", "PRI-06"), rows) if rows else None


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


def rtr_findings(rtr: rights.RtrOutcome | None) -> list[Finding]:
    """PRI-07 and §5 for a detainee: an asylum claim not finally decided (a grant is
    found by `screen_protections`)."""
    if rtr is None or rtr.effect in (rights.ENDED, rights.GRANTED):
        return []
    return [Finding(rtr.reason, (*rtr.rule_ids, "PRI-07"), rtr.source_rows)]


def release_markers(facts: Facts, detention: Record, run_date: date, stale_days: int,
                    flag: str) -> list[str]:
    """PRI-01: the establishment's latest list is more than `stale_days` old; PRI-05: the
    release is at most 7 days away and the unit has recorded no answer to the prison on
    this flag (core.agent_decisions)."""
    markers = []
    if (run_date - detention["list_date"]).days > stale_days:
        markers.append("STALE_PRISON_LIST")
    release = detention["release_date"]
    answered = agent_decision(facts, codes.PRISON_ANSWER, facts.person_key(
        detention["record_key"]), run_date, flag)
    if (release is not None and 0 <= (release - run_date).days <= PRISON_ANSWER_DAYS
            and answered is None):
        markers.append("PRISON_ANSWER_DUE")
    return markers


def supporting_measures(facts: Facts, det: Record, person_key: str, linked: bool
                        ) -> tuple[list[Record], bool]:
    """PRI-08: the AGDREF measures that can support removal at release (any day within
    the horizon for a detainee without a release date), and whether they are reached
    only through files the model merged (a namesake's, perhaps: identity to confirm, those
    measures shown, until an agent confirms the merge; beside a firm measure they are left
    out)."""
    if not linked or det["release_date"] is None:
        return [], False
    supporting = [m for m in facts.measures_by_person.get(person_key, [])
                  if mx.can_support_removal_at(m, det["release_date"])]
    firm = [m for m in supporting if facts.firmly_tied(det["record_key"], m["num_agdref"])]
    unconfirmed_only = bool(supporting) and not firm and det["itf"] == "NON"
    return (supporting if unconfirmed_only else firm), unconfirmed_only


def upcoming_releases(facts: Facts, run_date: date, horizon_days: int,
                      departments: Departments = None,
                      stale_days: int = STALE_PRISON_LIST_DAYS) -> tuple[list[dict], list[dict]]:
    flags, exclusions = [], []
    for det in facts.to_decide(codes.RELEASES, run_date, departments):
        key = det["record_key"]
        if "quarantined_rows" in det:
            exclusions.append(held_back_exclusion(facts, det))
            continue
        linked = facts.is_linked(key)
        person_key = facts.person_key(key)
        person = facts.persons.get(person_key) if linked else None
        # PRI-06 / PRI-10: a judicial ITF in GENESIS, or in AGDREF on the detainee's file
        judicial_ban = det["itf"] != "NON" or any(
            m["measure_type"] == "ITF"
            for m in supporting_measures(facts, det, person_key, linked)[0])
        # PRI-07: a detainee who cannot be linked is checked against every plausible
        # file, however weak the evidence, before anyone is asked to confirm identity.
        files = candidate_files(facts, [key], weak=not linked)
        verdict = Verdict(codes.RELEASES)
        # PRI-09: identity is established during detention: an unlinked detainee is
        # listed whatever the release date (a remand prisoner too).
        if linked:
            verdict.add(pri_scope(det, run_date, horizon_days))
        identity = identity_findings(facts, files, [key], run_date)
        # PRI-10: a judicial ITF binds whatever the nationality.
        eu_with_ban = judicial_ban and any(f.code == "EU_CITIZEN" for f in identity)
        verdict.findings += [f for f in identity if not (eu_with_ban and f.code == "EU_CITIZEN")]
        verdict.findings += screen_protections(facts, files, run_date)
        for number in files:
            verdict.findings += rtr_findings(facts.rtr(number, run_date))
        candidate = flag_id(codes.RELEASES, key)
        num_agdref = person_key if linked else None
        context = [det["source_row"], *(p["source_row"] for p in [person] if p)]
        verdict.add(dq_01_quarantined(facts, person_references([key], files), context))
        excluded = exclusion_row(codes.RELEASES, candidate, person_key, num_agdref,
                                 det["department"], None, verdict, context)
        if excluded:
            exclusions.append(excluded)
            continue
        flags.append(release_flag(facts, det, run_date, stale_days, candidate, context,
                                  eu_with_ban))
    return flags, exclusions


def held_back_exclusion(facts: Facts, det: Record) -> dict:
    """The exclusion of a committal whose latest row is quarantined (quarantined_committals)."""
    key = det["record_key"]
    linked = facts.is_linked(key)
    verdict = Verdict(codes.RELEASES, [Finding("SOURCE_ROW_QUARANTINED", ("DQ-01", "PRI-01"),
                                               det["quarantined_rows"])])
    return exclusion_row(codes.RELEASES, flag_id(codes.RELEASES, key), facts.person_key(key),
                         facts.person_key(key) if linked else None, det["department"], None,
                         verdict, ())


def release_flag(facts: Facts, det: Record, run_date: date, stale_days: int, candidate: str,
                 context: list[str], eu_with_ban: bool) -> dict:
    """A listed detainee: the situation (PRI-08, PRI-09, PRI-10), the measures that can
    support removal at release, the markers."""
    key = det["record_key"]
    linked = facts.is_linked(key)
    person_key = facts.person_key(key)
    release = det["release_date"]
    rules = ["PRI-01", "PRI-02", "PRI-05", "PRI-07", "PRI-08"]
    window_start = pri_03_window_start(det) if release is not None else None
    if window_start is not None and window_start < release:
        rules.append("PRI-03")
    measure_ids, measure_rows = [], []
    if det["itf"] != "NON":
        measure_ids.append(f"GENESIS-ITF:{det['establishment_code']}:{det['committal_number']}")
        rules.append("PRI-06")
    supporting, unconfirmed_only = supporting_measures(facts, det, person_key, linked)
    for m in supporting:
        measure_ids.append(m["measure_id"])
        measure_rows.append(m["source_row"])
        rules.append("OQ-08" if m["measure_type"] == "OQTF" else "PRI-06"
                     if m["measure_type"] == "ITF" else "PRI-08")
    markers = release_markers(facts, det, run_date, stale_days, candidate)
    if linked:
        markers += person_markers(facts.rtr(person_key, run_date))
    if eu_with_ban:
        situation = "ENFORCEABLE_MEASURE"
        markers.append("EU_CITIZEN")
        rules += ["PRI-04", "PRI-10"]
    elif not linked or unconfirmed_only:
        situation = "IDENTITY_TO_CONFIRM"
        rules.append("PRI-09")
    elif measure_ids:
        situation = "ENFORCEABLE_MEASURE"
        rules.append("PRI-04")
    else:
        situation = "MEASURE_TO_EXAMINE"
    previous = det["previous_release_date"]
    return {
        "flag_id": candidate, "person_key": person_key,
        "num_agdref": person_key if linked else None,
        "department": det["department"], "establishment_code": det["establishment_code"],
        "release_date": release, "window_start_date": window_start,
        "situation": situation, "measure_ids": measure_ids,
        "release_date_change_days": (release - previous).days if previous and release else None,
        "markers": sorted(set(markers)), "rule_ids": _rule_list(rules, marker_rules(markers)),
        "source_rows": _unique([*context, *measure_rows]),
    }


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
            if mx.ex_04_dublin_lapsed(m, dublin_imprisoned(facts, m), run_date):
                verdict.add(Finding("DUBLIN_DEADLINE_EXPIRED", ("EX-04",), rows))
        ordonnance = (rtr.decision["notification_date"] if rtr and
                      rtr.decision["cnda_mode"] == "ORDONNANCE" else None)
        enforce = mx.oq_07_enforceability(m, rtr.rtr_end_date if rtr else None, ordonnance)
        # APPEAL_PENDING only for a pending challenge; while the challenge window (or the
        # departure period) runs the measure is NOT_YET_ENFORCEABLE (OQ-06, OQ-07).
        if m["appeal_status"] == "EN_COURS":
            verdict.add(Finding("APPEAL_PENDING", ("OQ-06",), rows))
        if enforce.enforceable_from is None or run_date < enforce.enforceable_from:
            verdict.add(Finding("NOT_YET_ENFORCEABLE", enforce.rule_ids, rows))
        candidate = flag_id(codes.MEASURES, m["measure_id"])
        context = [*rows, *(p["source_row"] for p in [person] if p), *m["event_rows"]]
        verdict.add(dq_01_quarantined(
            facts, [f"measure:{m['measure_id']}", *person_references([], files)], context))
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
        markers += person_markers(rtr)
        flags.append({
            "flag_id": candidate, "person_key": person_key, "num_agdref": number,
            "department": m["department"], "measure_id": m["measure_id"],
            "measure_type": m["measure_type"], "enforceable_from": enforce.enforceable_from,
            "days_since_enforceable": (run_date - enforce.enforceable_from).days,
            "coercible_until": mx.oq_08_coercible_until(m), "is_coercible": coercible,
            "last_event_type": m["last_event_type"], "last_event_date": m["last_event_date"],
            "in_detention": number in facts.detained_files, "markers": sorted(set(markers)),
            "rule_ids": _rule_list(rules, enforce.rule_ids, rtr.rule_ids if rtr else (),
                                   marker_rules(markers)),
            "source_rows": _unique([*context, *(rtr.source_rows if rtr else ())]),
        })
    return flags, exclusions


# --- legal alerts (RULES.md PRI-07, CONTRACTS §2 worklists.legal_alerts) -------------

def pri_07_consular_contact_forbidden(facts: Facts, measure: Record, day: date
                                      ) -> Finding | None:
    """PRI-07: on `day` the person was protected (RTR-10), held a valid asylum
    attestation, or may still have awaited an OFPRA or CNDA decision: the claims known on
    that day (registered, listed or introduced by then) are assessed as of that day; a
    right to remain not ended, a reopenable closure, a grant (later grants included: the
    claim was pending then) or an early end still open to the CNDA all forbid the contact."""
    files = candidate_files(facts, [f"agdref:{measure['num_agdref']}"])
    for number in files:
        attestation = rights.rtr_01_asylum_attestation(facts.titles.get(number, ()), day)
        if attestation:
            return Finding("CONSULAR_CONTACT_FORBIDDEN", ("PRI-07", *attestation.rule_ids),
                           attestation.source_rows)
    known = [d for d in (decision_on(d, day) for d in
                         facts.decisions_by_person.get(measure["person_key"], ())) if d]
    rtr = rights.assess_claims(known, day)
    if rtr is None:
        return None
    if rtr.effect != rights.ENDED or "NO_CONSULAR_CONTACT" in rtr.markers:
        return Finding("CONSULAR_CONTACT_FORBIDDEN", ("PRI-07", *rtr.rule_ids),
                       rtr.source_rows)
    return None


def decision_on(decision: Record, day: date) -> Record | None:
    """A decision as it stood on `day` (what was true then, every list read as if known
    that day): none when its claim was neither introduced nor listed by then; a claim
    decided after `day` still awaited its decision then (read as a registered request,
    RTR-08: not ended); a notification or a proof of finality counts from its date."""
    started = [x for x in (decision["claim_date"], decision["first_list_date"]) if x]
    if not started or min(started) > day:
        return None
    taken = decision["decision_date"]
    if taken is not None and taken > day:
        return {**decision, "outcome": None, "decision_date": None, "decision_basis": None,
                "cnda_mode": None, "notification_date": None, "final_date": None,
                "claim_date": decision["claim_date"] or min(started), "first_list_date": day,
                "first_notified_list_date": None, "first_final_list_date": None}

    def until_day(value: date | None) -> date | None:
        return value if value is not None and value <= day else None

    notified, final = until_day(decision["notification_date"]), until_day(decision["final_date"])
    return {**decision, "notification_date": notified, "final_date": final,
            "first_list_date": day, "first_notified_list_date": day if notified else None,
            "first_final_list_date": day if final else None}


def legal_alerts(facts: Facts, run_date: date) -> list[dict]:
    """One alert per consular pass request (`DEMANDE_LAISSEZ_PASSER`) made when PRI-07
    forbade it, with an id stable across runs (first_seen_date is set when published)."""
    measures = {m["measure_id"]: m for m in facts.measures}
    alerts: dict[str, dict] = {}
    for event in facts.consular_requests:
        m = measures.get(event["measure_id"])
        if m is None or event["event_date"] > run_date:
            continue
        found = pri_07_consular_contact_forbidden(facts, m, event["event_date"])
        if found is None:
            continue
        alert = flag_id(codes.LEGAL_ALERTS, found.code, m["measure_id"],
                        event["event_date"].isoformat())
        if alert in alerts:
            alerts[alert]["source_rows"] = _unique([*alerts[alert]["source_rows"],
                                                    event["source_row"]])
            continue
        linked = m["num_agdref"] in facts.persons
        alerts[alert] = {
            "alert_id": alert, "department": m["department"], "person_key": m["person_key"],
            "num_agdref": m["num_agdref"] if linked else None, "measure_id": m["measure_id"],
            "reason_code": found.code, "event_date": event["event_date"],
            "rule_ids": _rule_list(found.rule_ids),
            "source_rows": _unique([event["source_row"], m["source_row"],
                                    *found.source_rows]),
        }
    return [alerts[a] for a in sorted(alerts)]


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
