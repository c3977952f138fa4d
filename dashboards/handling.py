"""What the units have done on tonight's flags: how many flags of each list stand in
each state of the workspace (issue 34 §4), as the night found them
(worklists.*.handling_state, from core.agent_decisions). Counts only, never a person."""

from __future__ import annotations

import html

import duckdb

from dashboards.french import whole
from dashboards.scope import Scope, read_rows
from schemas import codes
from schemas.exports import HANDLING_STATES_FR, TITLES

# the lists counted, in the order of the columns
LISTS = (*codes.WORKLISTS, codes.LEGAL_ALERTS)
COLUMN_TITLES = {codes.REJECTED: "Déboutés sans OQTF", codes.RELEASES: "Libérations à venir",
                 codes.MEASURES: "Mesures non exécutées",
                 codes.LEGAL_ALERTS: "Alertes juridiques"}


def counts_by_state(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, dict[str, int]]:
    """state -> list -> flags (every state and list named, zero included)."""
    cond, params = scope.where()
    union = " UNION ALL ".join(
        f"SELECT '{name}' AS worklist, handling_state FROM worklists.{name} "  # noqa: S608 (fixed names)
        f"WHERE {cond}" for name in LISTS)
    found = read_rows(con, f"SELECT worklist, handling_state, count(*) FROM ({union}) "  # noqa: S608
                      "GROUP BY ALL", params * len(LISTS))
    counts = {state: dict.fromkeys(LISTS, 0) for state in codes.HANDLING_STATES}
    for worklist, state, count in found:
        counts[state][worklist] = count
    return counts


def handling_table(con: duckdb.DuckDBPyConnection, scope: Scope) -> str:
    """The table of the page: one row per state (in the workspace's words), one column
    per list, and the totals."""
    counts = counts_by_state(con, scope)
    head = "".join(f'<th title="{html.escape(TITLES[name])}">{COLUMN_TITLES[name]}</th>'
                   for name in LISTS)
    rows = "".join(
        f'<tr data-state="{state}"><td>{html.escape(HANDLING_STATES_FR[state])}</td>'
        + "".join(f"<td>{whole(counts[state][name])}</td>" for name in LISTS)
        + f"<td>{whole(sum(counts[state].values()))}</td></tr>"
        for state in codes.HANDLING_STATES)
    return ('<section id="etats"><h2>Où en sont les signalements dans l\'espace de travail'
            "</h2><p>État de chaque signalement lors du traitement de la nuit (les décisions "
            "enregistrées depuis apparaîtront la nuit prochaine).</p>"
            f'<table class="states"><tr><th>État</th>{head}<th>Total</th></tr>{rows}'
            "</table></section>")
