"""The facts the rules read from `core` (READ_COLUMNS), indexed once for the rules, and the
departments a call decides for."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import duckdb

from schemas import codes
from transforms.rules import rights, watch
from transforms.rules.rights import Record
from transforms.warehouse.database import read_sql


@dataclass
class Facts:
    """Everything the rules read from `core`, indexed for the rules."""

    persons: dict[str, Record] = field(default_factory=dict)
    titles: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    # PRI-07: the asylum attestations AGDREF showed around each consular request's day,
    # by file, each with its request_date (attestations_delivered.sql)
    attestations_delivered: dict[str, list[Record]] = field(
        default_factory=lambda: defaultdict(list))
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
    # DQ-01: measures whose row in the latest MESURES extract of their department is
    # quarantined
    held_back_measures: list[Record] = field(default_factory=list)
    # AGDREF number -> each committal of its person (EX-04): (held from, the date of the
    # latest list that showed it, that row)
    held_spells: dict[str, list[tuple[date, date, str]]] = field(
        default_factory=lambda: defaultdict(list))
    # person key -> each committal of a record linked to the person, a file merged by the
    # model alone included (RTR-09: the longer reading of a Dublin time limit protects)
    person_spells: dict[str, list[tuple[date, date, str]]] = field(
        default_factory=lambda: defaultdict(list))
    quarantined: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    consular_requests: list[Record] = field(default_factory=list)
    measures_by_id: dict[str, Record] = field(default_factory=dict)
    # tonight's measures and those held back (DQ-01), by id: what a request may name
    requested_measures: dict[str, Record] = field(default_factory=dict)
    # the consular pass requests about a known measure, by the measure's department
    requests_by_department: dict[str | None, list[Record]] = field(
        default_factory=lambda: defaultdict(list))
    agent_decisions: dict[tuple[str, str], list[Record]] = field(
        default_factory=lambda: defaultdict(list))
    links: dict[str, Record] = field(default_factory=dict)
    identities: dict[str, Record] = field(default_factory=dict)
    candidates: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    # the TélémOfpra records whose identity agrees with each detainee's, with the evidence
    # (core.claim_candidates)
    claims_alike: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    detained: set[str] = field(default_factory=set)
    detained_files: set[str] = field(default_factory=set)
    files_of_person: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # the TélémOfpra and GENESIS records linked to each person (what they say of the
    # person's age and nationality holds on every list)
    records_of_person: dict[str, list[str]] = field(
        default_factory=lambda: defaultdict(list))
    # records that may be an AGDREF file's person without being tied to it, by the file:
    # still in identity review against it, or giving its number without being linked to
    # its person (a number that did not verify: a slip, or an identity that differs)
    in_review: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # record key -> the AGDREF files it is in identity review against (core.link_review)
    review_files: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # records giving an AGDREF number that no file read here holds, by the number: for a
    # measure's number (whose file the rules always read), its file row is not staged
    # (quarantined, or not delivered)
    giving_unstaged: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # each assessment with what it read (watch.Trail), replayed wherever it is used
    # (None: assessed while no decision was watched, what it read not noted)
    assessed: dict[tuple[str, date],
                   tuple[rights.RtrOutcome | None, watch.Trail | None]] = field(
        default_factory=dict)
    by_department: dict[tuple[str, date], dict[str | None, list]] = field(
        default_factory=dict)
    # the rejected list's flags earlier nights listed, each with the latest such night: a
    # person's flag keeps its id when a merge changes the person's key
    # (flags.carried_flag_id)
    rejected_flags_listed: dict[str, date] = field(default_factory=dict)

    def rtr(self, person_key: str, run_date: date) -> rights.RtrOutcome | None:
        """How the person's right to remain stands on the run date (RTR rules): assessed
        once, then read by every list and by the indicators."""
        key = (person_key, watch.plain(run_date))
        found = self.assessed.get(key)
        watched = watch.is_following()
        if found is None or (watched and found[1] is None):
            decisions = self.decisions_by_person.get(person_key, [])
            if watched:  # the trail goes with the outcome to every decision using it
                with watch.following(run_date) as trail:
                    outcome = rights.assess_claims(decisions, watch.RunDate(run_date))
                trail.reads.add(("decisions_by_person", person_key))
                found = (outcome, trail)
            else:
                found = (rights.assess_claims(decisions, run_date), None)
            self.assessed[key] = found
        if found[1] is not None:
            watch.join_current(found[1])
        return found[0]

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
                else [*self.measures, *self.held_back_measures])
        return ((row["department"], row) for row in rows)

    def domicile(self, person_key: str) -> str | None:
        """The department of the person's latest TélémOfpra list (RULES.md, "Boundaries":
        when the domicile differs between lists, the latest list decides)."""
        latest = max(self.decisions_by_person[person_key],
                     key=lambda d: (d["last_list_date"], d["decision_key"]))
        return latest["department"]

    def held_within(self, number: str, start: date, end: date) -> tuple[str, ...]:
        """EX-04 on the measures list: the row of the latest list that shows the AGDREF
        file's person held at some time from `start` to `end` (a committal that began on
        or before `end`, by its committal date or else its first list, and that a list
        on or after `start` still showed); empty when none does."""
        spells = [(last, row) for began, last, row in self.held_spells.get(number, ())
                  if began <= end and last >= start]
        return (max(spells)[1],) if spells else ()

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
            self.measures_by_id[m["measure_id"]] = m
        for d in self.decisions:
            self.decisions_by_person[self.person_key(d["record_key"])].append(d)
        for record_key in sorted(self.links):
            if self.is_linked(record_key) and not record_key.startswith("agdref:"):
                self.records_of_person[self.person_key(record_key)].append(record_key)
        for record_key, identity in self.identities.items():
            for number in identity["numbers"]:
                if number not in self.persons:
                    self.giving_unstaged[number].append(record_key)
                elif (record_key not in self.in_review[number]
                        and not (self.is_linked(record_key) and self.person_key(record_key)
                                 == self.persons[number]["person_key"])):
                    self.in_review[number].append(record_key)
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
        self.held_back_measures = quarantined_measures(self)
        # a request about a measure held back still names its file (PRI-07's alert)
        self.requested_measures = {**{m["measure_id"]: {**m, "source_row": m[
            "quarantined_rows"][0]} for m in self.held_back_measures}, **self.measures_by_id}
        for event in self.consular_requests:
            m = self.requested_measures.get(event["measure_id"])
            if m is not None:
                self.requests_by_department[m["department"]].append(event)
        # Every committal ever seen, for EX-04: until when each file's person was held.
        for h in self.detention_history:
            key = h["record_key"]
            if not self.is_linked(key):
                continue
            spell = (h["committal_date"] or h["first_list_date"], h["last_list_date"],
                     h["last_source_row"])
            self.person_spells[self.person_key(key)].append(spell)
            for number in self.files_of_person[self.person_key(key)]:
                if self.firmly_tied(key, number):
                    self.held_spells[number].append(spell)
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


def quarantined_measures(facts: Facts) -> list[Record]:
    """DQ-01 / EX-01: a measure whose row in the latest MESURES extract of its department
    was quarantined is not among tonight's measures, yet nothing says it ended (AGDREF is
    delivered whole: a measure withdrawn is absent from the extract, not unreadable). A
    candidate of the measures list, held back until the row is corrected, under the file
    the row names (its department: the extract's)."""
    files_named: dict[str, set[str]] = defaultdict(set)  # source row -> AGDREF numbers
    for reference, rows in facts.quarantined.items():
        if reference.startswith("agdref:"):
            for q in rows:
                files_named[q["source_row"]].add(reference.removeprefix("agdref:"))
    held = []
    for reference in sorted(facts.quarantined):
        measure_id = reference.removeprefix("measure:")
        latest = [q for q in facts.quarantined[reference]
                  if q["is_latest"] and q["file_kind"] == "agdref_mesures"]
        if measure_id == reference or measure_id in facts.measures_by_id or not latest:
            continue
        rows = tuple(sorted({q["source_row"] for q in latest}))
        number = min((n for row in rows for n in files_named[row]), default=None)
        person = facts.persons.get(number)
        held.append({"measure_id": measure_id, "num_agdref": number,
                     "person_key": person["person_key"] if person else number or reference,
                     "department": min(q["unit"] for q in latest),
                     "quarantined_rows": rows})
    return held


# The columns of `core` the rules read, and no other: names, and what no rule weighs,
# stay in the warehouse (and out of the memory of the rules).
READ_COLUMNS = {
    "persons": ("person_key", "num_agdref", "department", "birth_year", "birth_month",
                "birth_day", "birth_date_is_placeholder", "nationality", "entry_date",
                "french_family_link", "file_status", "source_row", "contradicting_rows"),
    "residence_titles": ("num_agdref", "department", "title_type", "start_date", "end_date",
                         "title_status", "source_row"),
    "removal_measures": ("measure_id", "num_agdref", "person_key", "department",
                         "measure_type", "decision_date", "notification_date",
                         "departure_period_days", "notification_situation",
                         "member_state_acceptance_date", "appeal_status", "measure_status",
                         "last_event_type", "last_event_date", "departure_date", "absconded",
                         "absconded_on", "source_row", "event_rows"),
    "asylum_decisions": ("decision_key", "record_key", "num_ofpra", "department",
                         "claim_type", "procedure", "claim_date", "deciding_body", "outcome",
                         "decision_basis", "decision_date", "cnda_mode", "notification_date",
                         "final_date", "first_list_date", "first_notified_list_date",
                         "first_final_list_date", "first_moded_list_date",
                         "last_list_date", "source_rows",
                         "previous_list_date", "corrected_keys"),
    "detentions": ("record_key", "establishment_code", "department", "committal_number",
                   "penal_category", "sentence_days", "release_date", "itf", "birth_year",
                   "birth_month", "birth_day", "birth_date_is_placeholder", "nationality",
                   "previous_release_date", "list_date", "source_row"),
    "detention_history": ("record_key", "department", "committal_date", "first_list_date",
                          "last_list_date", "last_source_row"),
    "quarantined_references": ("reference", "system", "file_kind", "unit",
                               "extraction_date", "is_latest", "source_row"),
    "quarantined_identities": ("reference", "system", "file_kind", "unit",
                               "extraction_date", "is_latest", "source_row"),
    "link_review": ("record_key", "num_agdref"),
    "measure_events": ("measure_id", "event_type", "event_date", "source_row"),
    "agent_decisions": ("kind", "flag_id", "person_key", "effective_date", "source_row"),
    "person_links": ("record_key", "person_key", "link_status", "link_rule"),
    "record_identities": ("record_key", "birth_year", "birth_month", "birth_day",
                          "birth_date_is_placeholder", "nationality", "department",
                          "source_row", "numbers"),
    # (not their AGDREF row's citation: no rule cites a candidate, and it moves every
    # night with AGDREF's delivery)
    "identity_candidates": ("record_key", "num_agdref", "evidence"),
    "claim_candidates": ("record_key", "claim_key", "evidence"),
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


def load_facts(con: duckdb.DuckDBPyConnection, run_date: date) -> Facts:
    """The rows the rules read (READ_COLUMNS), and the rejected flags listed before
    `run_date` (flags_listed_before.sql). AGDREF files (with their titles and links)
    and the candidates of AGDREF files only when a rule can reach them (rule_files.sql):
    nationally most files are people no list is about, and reading them into Python
    would cost minutes and gigabytes."""
    con.execute(read_sql("rule_files.sql"))
    facts = Facts()
    reached = "num_agdref IN (SELECT num_agdref FROM rule_files)"
    facts.persons = {p["num_agdref"]: p for p in _rows(con, "persons", "num_agdref", reached)}
    for t in _rows(con, "residence_titles", "num_agdref, source_row", reached):
        facts.titles[t["num_agdref"]].append(t)
    for t in con.sql(read_sql("attestations_delivered.sql")).pl().to_dicts():
        facts.attestations_delivered[t["num_agdref"]].append(t)
    facts.measures = _rows(con, "removal_measures", "measure_id")
    facts.decisions = _rows(con, "asylum_decisions", "decision_key")
    facts.detentions = _rows(con, "detentions", "record_key")
    facts.detention_history = _rows(con, "detention_history", "record_key, first_list_date")
    for table in ("quarantined_references", "quarantined_identities"):
        for q in _rows(con, table, "reference, source_row"):
            facts.quarantined[q["reference"]].append(q)
    for r in _rows(con, "link_review", "num_agdref, record_key",
                   f"link_status = 'REVIEW' AND system <> 'agdref' AND {reached}"):
        facts.in_review[r["num_agdref"]].append(r["record_key"])
        facts.review_files[r["record_key"]].append(r["num_agdref"])
    for a in _rows(con, "agent_decisions", "decision_id", source="rule_agent_decisions"):
        facts.agent_decisions[(a["kind"], a["person_key"])].append(a)
    facts.consular_requests = _rows(con, "measure_events", "measure_id, event_date, source_row",
                                    "event_type = 'DEMANDE_LAISSEZ_PASSER'")
    facts.links = {lk["record_key"]: lk for lk in _rows(
        con, "person_links", "record_key",
        "system <> 'agdref' OR record_key IN (SELECT 'agdref:' || num_agdref FROM rule_files)")}
    facts.identities = {i["record_key"]: i for i in _rows(con, "record_identities",
                                                           "record_key")}
    for c in _rows(con, "identity_candidates", "record_key, num_agdref, evidence",
                   source="rule_candidates"):
        facts.candidates[c["record_key"]].append(c)
    for c in _rows(con, "claim_candidates", "record_key, claim_key"):
        facts.claims_alike[c["record_key"]].append(c)
    facts.rejected_flags_listed = dict(con.execute(
        read_sql("flags_listed_before.sql"),
        {"run_date": run_date, "worklist": codes.REJECTED}).fetchall())
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
