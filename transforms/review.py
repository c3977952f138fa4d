"""Agents' decisions on identity links (audit.link_decisions): a confirmed pair links the
record to the AGDREF file, a rejected pair can no longer link; every later run honours
the latest decision on each pair (transforms/sql/core_person_links.sql)."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb

from schemas import codes
from schemas.published import LinkDecision
from transforms.warehouse import insert_frame, model_frame

AGENT_LOGIN = re.compile(r"^[A-Za-z0-9._-]{2,64}$")


class InvalidDecision(ValueError):
    """A decision that cannot be recorded (one-line reason)."""


def record_decision(con: duckdb.DuckDBPyConnection, record_key: str, num_agdref: str,
                    decision: str, agent: str, at: datetime) -> None:
    if decision not in codes.LINK_DECISIONS:
        raise InvalidDecision(f"decision must be one of {', '.join(codes.LINK_DECISIONS)}")
    if not AGENT_LOGIN.match(agent):
        raise InvalidDecision("agent must be a login (letters, digits, . _ -), not a name")
    (known_record,) = con.execute(
        "SELECT count(*) FROM core.person_links WHERE record_key = ? AND system <> 'agdref'",
        [record_key]).fetchall()[0]
    if not known_record:
        raise InvalidDecision("no TélémOfpra or GENESIS record with that key in the "
                              "warehouse (see core.link_review)")
    (known_file,) = con.execute("SELECT count(*) FROM core.persons WHERE num_agdref = ?",
                                [num_agdref]).fetchall()[0]
    if not known_file:
        raise InvalidDecision("no AGDREF file with that number in the latest snapshots")
    insert_frame(con, "audit.link_decisions", model_frame(
        [{"record_key": record_key, "num_agdref": num_agdref, "decision": decision,
          "decided_by": agent, "decided_at": at}], LinkDecision))
