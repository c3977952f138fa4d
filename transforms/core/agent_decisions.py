"""core.agent_decisions: the decisions units recorded in the workspace and in force on
the night (docs/contracts.md §2), copied as facts the rules read (OQ-02, PRI-05). They come from
the operational database, which the night reads but never writes: flows hands the rows
over (workspace.decisions.in_force)."""

from __future__ import annotations

import duckdb

from schemas.published import AgentDecision
from transforms.warehouse.database import read_sql, table_exists
from transforms.warehouse.tables import insert_frame, model_frame


def load_agent_decisions(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> int:
    """Replace last night's copy with tonight's decisions in force (checked against the
    contract), each anchored to the files and records of its person as the agent saw
    them (agent_decision_anchors.sql, before tonight's core is built); returns how many."""
    con.execute("DELETE FROM core.agent_decisions")
    insert_frame(con, "core.agent_decisions", model_frame(rows, AgentDecision))
    if table_exists(con, "core.persons"):  # none before the first night: anchored after it
        con.execute(read_sql("agent_decision_anchors.sql"))
    return len(rows)
