"""Agents' decisions on identity links (audit.link_decisions): a confirmed pair links the
record to the AGDREF file (or merges two files), a rejected pair can no longer link (or
merge); every later run honours the latest decision on each pair
(transforms/identity/core_person_links.sql).

Confirmations may not contradict each other (a CONFIRMED pair says "this record is that
person"): one source record confirmed to files of two persons, or two records that one
delivered list holds side by side (two rows of one list are two persons) confirmed to one
person, is refused, naming the pair already confirmed, unless the agent overrides it; the
override is recorded with the pair it overrode. A record of the list linked to that person
tonight without an agent (its number verified, the model) counts as confirmed: the next
night would make the two rows one person all the same. Two files confirmed as one person
are checked so too: every record tied to either is then tied to both."""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

import duckdb

from schemas import codes
from schemas.published import LinkDecision
from transforms.warehouse.database import run_reading
from transforms.warehouse.tables import insert_frame, model_frame

AGENT_LOGIN = re.compile(r"^[A-Za-z0-9._-]{2,64}$")


class InvalidDecision(ValueError):
    """A decision that cannot be recorded (one-line reason)."""


FILE_PREFIX = "agdref:"


def record_decision(con: duckdb.DuckDBPyConnection, record_key: str, num_agdref: str,
                    decision: str, agent: str, at: datetime, override: bool = False,
                    pending: list[dict] = ()) -> None:
    """A source record and an AGDREF file, or two AGDREF files (`agdref:<number>` and the
    other number: CONFIRMED merges them as one person, REJECTED keeps them apart).
    `override`: record a confirmation that contradicts an earlier one anyway; `pending`:
    the workspace's decisions the warehouse does not hold yet (conflicting_confirmation)."""
    if decision not in codes.LINK_DECISIONS:
        raise InvalidDecision(f"decision must be one of {', '.join(codes.LINK_DECISIONS)}")
    if not AGENT_LOGIN.match(agent):
        raise InvalidDecision("agent must be a login (letters, digits, . _ -), not a name")
    if not _known_file(con, num_agdref):
        raise InvalidDecision("no AGDREF file with that number in the latest snapshots")
    if record_key.startswith(FILE_PREFIX):
        other = record_key.removeprefix(FILE_PREFIX)
        if other == num_agdref or not _known_file(con, other):
            raise InvalidDecision("a pair of files needs two AGDREF numbers of the latest "
                                  "snapshots (--record agdref:<number> --agdref <other>)")
        # stored as Splink scores them (core_person_links.sql): the lower number first
        record_key, num_agdref = (FILE_PREFIX + min(other, num_agdref),
                                  max(other, num_agdref))
    else:
        (known_record,) = con.execute(
            "SELECT count(*) FROM core.person_links WHERE record_key = ? "
            "AND system <> 'agdref'", [record_key]).fetchall()[0]
        if not known_record:
            raise InvalidDecision("no TélémOfpra or GENESIS record with that key in the "
                                  "warehouse (see core.link_review)")
    conflict = None
    if decision == "CONFIRMED":
        conflict = conflicting_confirmation(con, record_key, num_agdref, pending)
        if conflict and not override:
            raise InvalidDecision(
                f"contradicts the {conflict.verb} pair "
                f"{conflict.record_key} = agdref:{conflict.num_agdref} "
                f"({conflict.kind(record_key)}); pass "
                "--override-conflict to record it anyway")
    insert_frame(con, "audit.link_decisions", model_frame(
        [{"record_key": record_key, "num_agdref": num_agdref, "decision": decision,
          "decided_by": agent, "decided_at": at,
          "overridden_pair": conflict.pair if conflict else None}], LinkDecision))


class Conflict(NamedTuple):
    """The pair a confirmation contradicts: confirmed by an agent, or (`confirmed` False)
    linked tonight without one (the record itself, or a record of the same list; its
    number verified or the model's link)."""

    record_key: str
    num_agdref: str
    confirmed: bool
    department: str | None = None  # the record's (core.record_identities): need to know
    # an agent rejected that pair: another file of the person the record is confirmed to
    rejected: bool = False

    @property
    def pair(self) -> str:
        """As audit.link_decisions.overridden_pair keeps it."""
        return f"{self.record_key} {self.num_agdref}"

    @property
    def verb(self) -> str:
        return "rejected" if self.rejected else "confirmed" if self.confirmed else "linked"

    def kind(self, record_key: str) -> str:
        """What the pair is to the confirmation of `record_key` (the one line's words)."""
        if self.rejected:
            return _REJECTED_KIND
        return _CONFLICT_KINDS[self.record_key == record_key]


_CONFLICT_KINDS = {True: "one record, another person's file",
                   False: "another record of one of its lists, or another detainee held "
                          "now, the same person"}
_REJECTED_KIND = "the same record and person, through another of the person's files"

# The latest decision on each pair (as core_person_links.sql reads them), confirmed, of a
# source record, with the person of its file; a pair contradicts the new one when it ties
# the same record to another person (confirmed, or linked tonight without an agent), or
# to the same person a record that shares a
# delivered list with it, or, for a detainee on an establishment's latest list, another
# detainee held now (one person is not held in two places). Files confirmed as one person
# (`$record` agdref:<number>, a merge) tie every record tied to the one file's person
# (confirmed, or linked tonight without an agent) to the other's: each such record is
# checked so. Files confirmed as one person and not merged yet are one person here.
_CONFLICTS_SQL = """
WITH decisions AS (
    SELECT record_key, num_agdref, decision, decided_at FROM audit.link_decisions
    UNION ALL  -- recorded in the workspace since the warehouse was published
    SELECT unnest($pending_records::VARCHAR[]), unnest($pending_files::VARCHAR[]),
           unnest($pending_decisions::VARCHAR[]), unnest($pending_at::TIMESTAMP[])
), latest AS (
    SELECT record_key, num_agdref, decision FROM decisions
    QUALIFY row_number() OVER (PARTITION BY record_key, num_agdref
                               ORDER BY decided_at DESC, decision DESC) = 1
), confirmed AS (
    SELECT l.record_key, l.num_agdref, p.person_key
    FROM latest l JOIN core.persons p USING (num_agdref)
    WHERE l.decision = 'CONFIRMED' AND NOT starts_with(l.record_key, 'agdref:')
), joined AS (  -- persons of files confirmed as one person, both ways
    SELECT a.person_key AS one, b.person_key AS other FROM latest l
    JOIN core.persons a ON 'agdref:' || a.num_agdref = l.record_key
    JOIN core.persons b ON b.num_agdref = l.num_agdref
    WHERE l.decision = 'CONFIRMED'
    UNION SELECT b.person_key, a.person_key FROM latest l
    JOIN core.persons a ON 'agdref:' || a.num_agdref = l.record_key
    JOIN core.persons b ON b.num_agdref = l.num_agdref
    WHERE l.decision = 'CONFIRMED'
), sides AS (  -- the person of $file, and of the other file of a merge ($record)
    SELECT 'target' AS side, person_key FROM core.persons WHERE num_agdref = $file
    UNION ALL
    SELECT 'merged', person_key FROM core.persons WHERE 'agdref:' || num_agdref = $record
), persons AS (
    SELECT side, person_key FROM sides
    UNION SELECT s.side, j.other FROM sides s JOIN joined j ON j.one = s.person_key
), target AS (
    SELECT person_key FROM persons WHERE side = 'target'
), linked AS (  -- tonight's links made without an agent (a number verified, the model),
    -- but those an agent has since rejected (the next night will not make them again)
    SELECT k.record_key, k.person_key AS num_agdref, k.person_key FROM core.person_links k
    WHERE k.link_status = 'LINKED' AND k.system <> 'agdref'
      AND k.record_key NOT IN (SELECT record_key FROM confirmed)
      AND NOT EXISTS (SELECT 1 FROM latest l JOIN core.persons p USING (num_agdref)
                      WHERE l.record_key = k.record_key AND p.person_key = k.person_key
                        AND l.decision = 'REJECTED')
), subject AS (  -- the records the confirmation ties to the person of $file
    SELECT $record AS record_key WHERE NOT starts_with($record, 'agdref:')
    UNION SELECT record_key FROM (SELECT record_key, person_key FROM confirmed
                                  UNION ALL SELECT record_key, person_key FROM linked)
    WHERE person_key IN (SELECT person_key FROM persons WHERE side = 'merged')
), rows AS (
    SELECT 'telemofpra:' || num_ofpra AS record_key, file_name FROM staging.asylum_decisions
    UNION ALL
    SELECT 'genesis:' || establishment_code || ':' || committal_number, file_name
    FROM staging.detainees
), list_mates AS (
    SELECT DISTINCT r.record_key FROM rows r JOIN rows s USING (file_name)
    WHERE s.record_key IN (SELECT record_key FROM subject) AND r.record_key <> s.record_key
    UNION  -- a detainee held now: every other detainee held now (PRI-01, one place)
    SELECT d.record_key FROM core.detentions d JOIN core.detentions s
    ON d.record_key <> s.record_key
    WHERE s.record_key IN (SELECT record_key FROM subject)
), found AS (
    -- an agent rejected the record for another file of the person confirmed to: the
    -- same person, both decisions cannot stand (core_person_links.sql,
    -- AGENT_DECISIONS_DISAGREE)
    SELECT l.record_key, l.num_agdref, false AS confirmed, true AS rejected
    FROM latest l JOIN core.persons p USING (num_agdref)
    WHERE l.record_key = $record AND l.decision = 'REJECTED' AND l.num_agdref <> $file
      AND p.person_key IN (SELECT person_key FROM target)
    UNION ALL
    SELECT record_key, num_agdref, true AS confirmed, false FROM confirmed
    WHERE (record_key = $record AND num_agdref <> $file
           AND person_key NOT IN (SELECT person_key FROM target))
       OR (record_key IN (SELECT record_key FROM list_mates)
           AND person_key IN (SELECT person_key FROM target))
    UNION ALL
    SELECT record_key, num_agdref, false, false FROM linked
    WHERE (record_key IN (SELECT record_key FROM list_mates)
           AND person_key IN (SELECT person_key FROM target))
       -- the record itself, tied tonight without an agent (its number verified, the
       -- model) to another person: confirmed to this file, it would leave that one
       OR (record_key = $record AND person_key NOT IN (SELECT person_key FROM target))
    ORDER BY rejected DESC, confirmed DESC, record_key <> $record, record_key, num_agdref
    LIMIT 1
)  -- with its record's department: whom the workspace may name it to (need to know)
SELECT f.record_key, f.num_agdref, f.confirmed,
       (SELECT min(department) FROM core.record_identities r
        WHERE r.record_key = f.record_key) AS department, f.rejected
FROM found f
"""


def conflicting_confirmation(con: duckdb.DuckDBPyConnection, record_key: str,
                             num_agdref: str, pending: list[dict] = ()) -> Conflict | None:
    """A confirmed or linked pair that the confirmation of (record_key, num_agdref)
    contradicts.
    `pending`: decisions not in audit.link_decisions yet (the workspace's since the
    warehouse was published; rows shaped as LinkDecision). Reads only: the workspace
    runs it on the published warehouse."""
    found = con.execute(_CONFLICTS_SQL, {
        "record": record_key, "file": num_agdref,
        "pending_records": [d["record_key"] for d in pending],
        "pending_files": [d["num_agdref"] for d in pending],
        "pending_decisions": [d["decision"] for d in pending],
        "pending_at": [d["decided_at"] for d in pending]}).fetchall()
    return Conflict(*found[0]) if found else None


def carry_link_decisions(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> int:
    """Add to audit.link_decisions the decisions recorded in the workspace (all of them,
    rows shaped as LinkDecision) that it does not hold yet: the table keeps every
    decision, those of `reconcile link` included, and core_person_links.sql reads the
    latest on each pair. Returns how many were new."""
    if not rows:
        return 0
    [(before,)] = con.execute("SELECT count(*) FROM audit.link_decisions").fetchall()
    run_reading(con, "workspace_link_decisions", model_frame(rows, LinkDecision).to_arrow(),
                _CARRY_SQL)
    [(after,)] = con.execute("SELECT count(*) FROM audit.link_decisions").fetchall()
    return after - before


# one decision is one (pair, decision, agent, moment): copied once, whatever the nights
_CARRY_SQL = """
INSERT INTO audit.link_decisions BY NAME
SELECT * FROM workspace_link_decisions
ANTI JOIN audit.link_decisions
    USING (record_key, num_agdref, decision, decided_by, decided_at)
"""


def _known_file(con: duckdb.DuckDBPyConnection, num_agdref: str) -> bool:
    (known,) = con.execute("SELECT count(*) FROM core.persons WHERE num_agdref = ?",
                           [num_agdref]).fetchall()[0]
    return known > 0
