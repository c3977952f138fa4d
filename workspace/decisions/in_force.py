"""The decisions in force, read by the night from the workspace's operational database
without Django (the night never starts the web application): rows shaped as
core.agent_decisions (schemas.published.AgentDecision)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path


def _sql(name: str) -> str:
    return (files("workspace.decisions") / "sql" / name).read_text(encoding="utf-8")


def _fetch(database: dict, name: str, table: str, params: dict | None = None) -> list[tuple]:
    """`database`: the workspace's DATABASES entry (workspace.options.database_config);
    the rows of the query `name`, its `:name` placeholders bound to `params`, none while
    the workspace has no `table` yet."""
    params = params or {}
    if not database_found(database):  # no workspace yet: no decision
        return []
    if database["ENGINE"].endswith("sqlite3"):
        path = Path(database["NAME"])
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20) as con:
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                               [table]).fetchall():
                return []
            # (Django keeps a date as its ISO text in SQLite)
            return con.execute(_sql(name), {key: value.isoformat() if isinstance(value, date)
                                            else value for key, value in params.items()}
                               ).fetchall()
    import psycopg

    with psycopg.connect(dbname=database["NAME"], user=database["USER"] or None,
                         password=database["PASSWORD"] or None,
                         host=database["HOST"] or None, port=database["PORT"] or None) as con:
        if not con.execute("SELECT to_regclass(%s)", [table]).fetchone()[0]:
            return []
        query = _sql(name)
        for key in params:  # psycopg's placeholders
            query = query.replace(f":{key}", f"%({key})s")
        return con.execute(query, params).fetchall()


def database_found(database: dict) -> bool:
    """Whether the workspace's database is there: a SQLite file that exists (a
    PostgreSQL server that cannot be reached fails the night on its own)."""
    return not database["ENGINE"].endswith("sqlite3") or Path(database["NAME"]).exists()


def _moment(value) -> datetime:
    """Django keeps UTC: naive UTC text in SQLite, an aware timestamp in PostgreSQL."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def decisions_in_force(database: dict, as_of: date | None = None) -> list[dict]:
    """The decisions in force (decisions_in_force.sql), of the events in effect by `as_of`
    (None: every event, as the workspace's pages read them)."""
    return [{"decision_id": str(id_), "kind": kind, "worklist": worklist, "flag_id": flag_id,
             "person_key": person_key, "department": department, "decided_by": decided_by,
             "assignee": assignee,
             "decided_at": _moment(decided_at),
             "effective_date": (date.fromisoformat(effective) if isinstance(effective, str)
                                else effective),
             "source_row": f"agent_decisions:{id_}"}
            for (id_, kind, worklist, flag_id, person_key, department, decided_by, assignee,
                 decided_at, effective)
            in _fetch(database, "decisions_in_force.sql", "decisions_decisionevent",
                      {"as_of": as_of or date.max})]


def identity_decisions(database: dict) -> list[dict]:
    """Every decision on an identity pair, shaped as audit.link_decisions
    (schemas.identity.LinkDecision): the night adds those it does not hold yet."""
    return [{"record_key": record_key, "num_agdref": num_agdref, "decision": decision,
             "decided_by": decided_by, "decided_at": _moment(decided_at),
             "overridden_pair": overridden or None}
            for (record_key, num_agdref, decision, decided_by, decided_at, overridden)
            in _fetch(database, "identity_decisions.sql", "decisions_identitydecision")]
