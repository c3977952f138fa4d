"""The figures a manager reads first: the cards of a page and, on the national page, the
same counts department by department. Each count is defined once (COUNTED): a
department's cards add up its row of the national table, the national cards every row."""

from __future__ import annotations

import html
from collections import Counter
from datetime import date
from typing import NamedTuple

import duckdb

from dashboards.french import department_label, whole
from dashboards.freshness import UnitFreshness
from dashboards.scope import TONIGHT, Scope, read_rows
from schemas.exports import counted, new_in_its_department


class Card(NamedTuple):
    """A figure a manager reads first, and the sources its list is decided from (RULES.md
    PRI-01: a list resting on a late source says so where its count is read)."""

    label: str
    value: int
    detail: str
    sources: tuple[str, ...] = ()


# Each list's counts, by name: the flags that meet the condition ($day: the run date).
COUNTED: dict[str, dict[str, str]] = {
    "rejected_without_oqtf": {
        "rejected": "TRUE",
        "rejected_overdue": "days_overdue > 0",  # past the 15 days of OQ-02
        "rejected_due_within_7_days": "oqtf_due_date BETWEEN $day AND $day + 7",
        "rejected_new": new_in_its_department("rejected_without_oqtf", "$day"),
    },
    "upcoming_releases": {
        "releases": "TRUE",
        "releases_enforceable": "situation = 'ENFORCEABLE_MEASURE'",
        "releases_within_8_weeks": "release_date BETWEEN $day AND $day + 56",
        "releases_answer_due": "list_contains(markers, 'PRISON_ANSWER_DUE')",
        "releases_to_confirm": "situation = 'IDENTITY_TO_CONFIRM'",
        "releases_new": new_in_its_department("upcoming_releases", "$day"),
    },
    "unexecuted_measures": {
        "measures": "TRUE",
        "measures_coercible": "is_coercible",  # OQ-08
        "measures_new": new_in_its_department("unexecuted_measures", "$day"),
    },
    "legal_alerts": {
        "alerts": "TRUE",
        "alerts_new": "first_seen_date = $day",
    },
}
NEW = ("rejected_new", "releases_new", "measures_new", "alerts_new")
# The flags each list's department let go tonight, as its `resolus` file lists them: off
# the list, or moved to another department's list (counted where they left).
RESOLVED = {"rejected_without_oqtf": "rejected_resolved",
            "upcoming_releases": "releases_resolved",
            "unexecuted_measures": "measures_resolved"}
RESOLVED_TONIGHT = """
WITH before AS (
    SELECT max(run_date) AS run_date FROM worklists.flag_history_runs WHERE run_date < $day
)
SELECT h.worklist,
       CASE WHEN h.status = 'RESOLVED' THEN h.department ELSE p.department END,
       count(*)
FROM worklists.flag_history h
LEFT JOIN worklists.flag_history p
  ON p.run_date = (SELECT run_date FROM before) AND p.flag_id = h.flag_id
 AND p.worklist = h.worklist AND p.status <> 'RESOLVED'
WHERE h.run_date = $day
  AND (h.status = 'RESOLVED' OR p.department IS DISTINCT FROM h.department)
  AND (h.status = 'RESOLVED' OR p.department IS NOT NULL)
GROUP BY ALL"""


def flag_counts(con: duckdb.DuckDBPyConnection, run_date: date) -> dict[str, Counter]:
    """The counts of COUNTED of every department that has a flag on some list, and the
    flags each let go tonight (RESOLVED)."""
    counts: dict[str, Counter] = {}
    for table, named in COUNTED.items():
        columns = ", ".join(f"count(*) FILTER (WHERE {condition})"
                            for condition in named.values())
        for department, *values in read_rows(
                con, f"SELECT department, {columns} FROM worklists.{table} "  # noqa: S608 (COUNTED's names)
                "GROUP BY department", {"day": run_date}):
            counts.setdefault(department, Counter()).update(dict(zip(named, values, strict=True)))
    for worklist, department, resolved in read_rows(con, RESOLVED_TONIGHT, {"day": run_date}):
        if worklist in RESOLVED and department is not None:
            counts.setdefault(department, Counter())[RESOLVED[worklist]] += resolved
    return counts


def headline(con: duckdb.DuckDBPyConnection, scope: Scope,
             by_department: dict[str, Counter] | None = None) -> list[Card]:
    """The cards of a page: its department's counts, or every department's
    (`by_department`: flag_counts of the run date, when the page has them already)."""
    if by_department is None:
        by_department = flag_counts(con, scope.run_date)
    n = Counter()
    for department, counts in by_department.items():
        if scope.department in (None, department):
            n.update(counts)
    cond, params = scope.where()
    files, quarantined = read_rows(con, f"""SELECT coalesce(sum(files), 0),
        coalesce(sum(rows_quarantined), 0) FROM marts.data_quality WHERE {TONIGHT} AND {cond}""",  # noqa: S608
        [scope.run_date, *params])[0]
    return [
        Card("Déboutés sans OQTF", n["rejected"],
             f"dont {n['rejected_overdue']} hors délai de 15 jours, "
             f"{n['rejected_due_within_7_days']} à prendre dans les 7 jours, "
             f"{counted(n['rejected_resolved'], 'sorti', 'sortis')} de la liste et "
             f"{counted(n['rejected_new'], 'nouveau', 'nouveaux')} cette nuit",
             ("telemofpra", "agdref")),
        Card("Libérations à venir", n["releases"],
             f"dont {n['releases_within_8_weeks']} dans les 8 semaines, "
             f"{n['releases_enforceable']} avec mesure exécutoire, "
             f"{counted(n['releases_to_confirm'], 'identité', 'identités')} à confirmer, "
             f"{counted(n['releases_answer_due'], 'réponse due', 'réponses dues')} à "
             f"l'établissement (7 jours), "
             f"{counted(n['releases_resolved'], 'sortie', 'sorties')} de la liste et "
             f"{counted(n['releases_new'], 'nouvelle', 'nouvelles')} cette nuit",
             ("genesis", "agdref")),
        Card("Mesures non exécutées", n["measures"],
             f"dont {n['measures_coercible']} où assignation ou rétention restent possibles "
             f"(OQ-08), {counted(n['measures_resolved'], 'sortie', 'sorties')} de la liste "
             f"et {counted(n['measures_new'], 'nouvelle', 'nouvelles')} cette nuit",
             ("agdref",)),
        Card("Alertes juridiques", n["alerts"],
             f"laissez-passer consulaires demandés à tort (PRI-07), dont "
             f"{counted(n['alerts_new'], 'nouvelle', 'nouvelles')} cette nuit : voir le "
             "fichier legal_alerts du département", ("telemofpra", "agdref")),
        Card("Fichiers reçus cette nuit", files,
             f"{counted(quarantined, 'ligne', 'lignes')} en quarantaine"),
    ]


LATE_NAMED = 2  # late units named on a card; beyond, their number


def late_note(card: Card, units: list[UnitFreshness]) -> str:
    """A card's line in red when a source its list is decided from is late."""
    late = [u for u in units if u.is_late and u.system in card.sources]
    if not late:
        return ""
    if len(late) > LATE_NAMED:
        said = f"Sources en retard : {len(late)} (voir « Fraîcheur des sources »)"
    else:
        said = (f"Source{'s' if len(late) > 1 else ''} en retard : "
                + ", ".join(f"{u.label} ({u.days_old} j)" for u in late))
    return f'<div class="detail late">{html.escape(said)}</div>'


# The national table's columns (after the department) and the counts they show; the
# last is what is new tonight on the four lists, the alerts too, as the cards count it.
DEPARTMENT_COLUMNS = {
    "Déboutés sans OQTF": ("rejected",), "dont hors délai": ("rejected_overdue",),
    "Libérations à venir": ("releases",),
    "dont dans les 8 semaines": ("releases_within_8_weeks",),
    "Mesures non exécutées": ("measures",), "Alertes juridiques": ("alerts",),
    "Nouveaux cette nuit": NEW,
}


def department_table(by_department: dict[str, Counter]) -> list[tuple]:
    """Per department (national page; `by_department`: flag_counts), in its order: its
    number, then DEPARTMENT_COLUMNS, as the department's own page counts them."""
    return [(department, *(sum(counts[name] for name in names)
                           for names in DEPARTMENT_COLUMNS.values()))
            for department, counts in sorted(by_department.items())]


def department_rows(departments: list[tuple], units: list[UnitFreshness]) -> str:
    """The national page's table: a department's late sources beside its counts (in red
    when there is one: its lists rest on old data; a prison never seen with a detainee
    has no department and is counted on the freshness panel only)."""
    late = {}
    for unit in units:
        if unit.is_late and unit.department:
            late[unit.department] = late.get(unit.department, 0) + 1
    rows = "".join(
        f'<tr><td><a href="{html.escape(d)}/tableau_de_bord.html">'
        f"{html.escape(department_label(d))}</a></td>"
        + "".join(f"<td>{whole(n)}</td>" for n in counts)
        + (f'<td class="late">{whole(late[d])}</td>' if late.get(d) else "<td>0</td>")
        + "</tr>" for d, *counts in departments)
    head = "".join(f"<th>{html.escape(c)}</th>"
                   for c in ("Département", *DEPARTMENT_COLUMNS, "Sources en retard"))
    return (f'<h2>Par département</h2><div class="wide"><table class="departments"><tr>{head}'
            f"</tr>{rows}</table></div>")
