"""The freshness panel (issue 35, item 2): how old the latest delivery of each source
unit is on the page's date, from audit.source_freshness (RULES.md PRI-01), late units
first. A list built from an eleven-week-old prison list must say so where the manager
reads it. Units and dates only, never a person."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import duckdb

from dashboards.french import source_in_words
from dashboards.scope import text_row

# The department of a unit: a TélémOfpra unit is one; an AGDREF unit is <TABLE>_<DEPT>;
# a GENESIS establishment's is the one its detainees' rows give (none for an
# establishment never seen with a row: shown on the national page only).
# AGDREF's tables (the file names' second part) as a manager reads them
AGDREF_TABLES_FR = {"PERSONNES": "personnes", "TITRES": "titres", "MESURES": "mesures",
                    "EVENEMENTS": "événements"}
FRESHNESS_SQL = """
WITH establishments AS (
    SELECT establishment_code, min(department) AS department,
           arg_max(establishment_name, extraction_date) AS name
    FROM staging.detainees GROUP BY establishment_code
), units AS (
    SELECT f.system, f.unit, e.name, f.latest_file_date, f.days_old, f.late_after_days,
           f.is_late,
           CASE f.system WHEN 'telemofpra' THEN f.unit
                         WHEN 'genesis' THEN e.department
                         ELSE regexp_extract(f.unit, '_([^_]+)$', 1) END AS department
    FROM audit.source_freshness f
    LEFT JOIN establishments e ON f.system = 'genesis' AND e.establishment_code = f.unit
    WHERE f.run_id = ?
)
SELECT system, unit, department, latest_file_date, days_old, late_after_days, is_late,
       name
FROM units WHERE {condition}
ORDER BY is_late DESC, days_old DESC, system, unit
"""


@dataclass(frozen=True)
class UnitFreshness:
    """One source unit on the panel."""

    system: str
    unit: str
    department: str | None
    latest_file_date: date
    days_old: int
    late_after_days: int
    is_late: bool
    name: str | None = None  # a prison's name, as its latest list gives it

    @property
    def label(self) -> str:
        """The unit as a manager names it: an AGDREF table as words, not a file name; a
        prison by its name beside its code."""
        if self.system == "agdref":
            table, _, department = self.unit.rpartition("_")
            return f"{AGDREF_TABLES_FR.get(table, table.lower())} ({department})"
        if self.name:
            return f"{self.name} ({self.unit})"
        return self.unit


def source_freshness(con: duckdb.DuckDBPyConnection, run_id: str,
                     department: str | None) -> list[UnitFreshness]:
    """The units of one department (every unit for None) measured by the run, late first,
    then the oldest."""
    condition, params = ("TRUE", []) if department is None else ("department = ?",
                                                                  [department])
    rows = con.execute(FRESHNESS_SQL.format(condition=condition),  # noqa: S608 (fixed text)
                       [run_id, *params]).fetchall()
    return [UnitFreshness(*row) for row in rows]


def _row(unit: UnitFreshness, national: bool) -> str:
    state = (f"en retard (plus de {unit.late_after_days} j)" if unit.is_late
             else "à jour")
    cells = [source_in_words(unit.system), unit.label]
    if national:
        cells.append(unit.department or "inconnu")
    cells += [f"{unit.latest_file_date:%d/%m/%Y}", f"{unit.days_old} j", state]
    return text_row(cells, "late" if unit.is_late else "")


def render_panel(units: list[UnitFreshness], national: bool) -> str:
    """The panel: one sentence, then one row per unit, late ones first."""
    late = sum(u.is_late for u in units)
    if not units:
        summary = "Aucune livraison connue à cette date pour ce périmètre."
    elif late:
        summary = (f"{late} source{'s' if late > 1 else ''} en retard sur {len(units)} : "
                   "les listes qui en dépendent reposent sur des données anciennes.")
    else:
        summary = f"Les {len(units)} sources sont à jour."
    head = ["Source", "Unité"] + (["Département"] if national else []) + [
        "Dernier fichier", "Âge", "État"]
    table = ""
    if units:
        table = ('<table class="freshness"><tr>'
                 + "".join(f"<th>{h}</th>" for h in head) + "</tr>"
                 + "".join(_row(u, national) for u in units) + "</table>")
    return (f'<section id="fraicheur"><h2>Fraîcheur des sources</h2>'
            f'<p class="{"late" if late else "fresh"}">{html.escape(summary)}</p>'
            f"{table}</section>")
