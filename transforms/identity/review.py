"""Agents' decisions on identity links (audit.link_decisions): a confirmed pair links the
record to the AGDREF file (or merges two files), a rejected pair can no longer link (or
merge); every later run honours the latest decision on each pair
(transforms/identity/core_person_links.sql)."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb

from schemas import codes
from schemas.published import LinkDecision
from transforms.warehouse.tables import insert_frame, model_frame

AGENT_LOGIN = re.compile(r"^[A-Za-z0-9._-]{2,64}$")


class InvalidDecision(ValueError):
    """A decision that cannot be recorded (one-line reason)."""


FILE_PREFIX = "agdref:"


def record_decision(con: duckdb.DuckDBPyConnection, record_key: str, num_agdref: str,
                    decision: str, agent: str, at: datetime) -> None:
    """A source record and an AGDREF file, or two AGDREF files (`agdref:<number>` and the
    other number: CONFIRMED merges them as one person, REJECTED keeps them apart)."""
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
    insert_frame(con, "audit.link_decisions", model_frame(
        [{"record_key": record_key, "num_agdref": num_agdref, "decision": decision,
          "decided_by": agent, "decided_at": at}], LinkDecision))


def _known_file(con: duckdb.DuckDBPyConnection, num_agdref: str) -> bool:
    (known,) = con.execute("SELECT count(*) FROM core.persons WHERE num_agdref = ?",
                           [num_agdref]).fetchall()[0]
    return known > 0
