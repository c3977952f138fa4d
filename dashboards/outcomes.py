"""What the seeds ask a manager to see beyond the lists (issue 35, item 4): the lists
night by night from the flag history, what became of the measures (forced removals,
recorded voluntary departures, failures by reason), consular passes (asked, granted,
refused, and those still waiting, by how long) and return aid proposed (the quarterly
handovers to other States: handovers.py). Counts only, from worklists.flag_history and
the marts."""

from __future__ import annotations

from datetime import date

import duckdb

from dashboards.charts import TREND_WEEKS, Figure, bar, figure
from dashboards.french import every_week, iso_week, week_labels
from dashboards.scope import Scope, read_rows

NIGHTS = 30
OUTCOMES = {"FORCED_REMOVAL": ("éloignements exécutés", "#1b7837"),
            "VOLUNTARY_DEPARTURE": ("départs volontaires constatés", "#5aae61"),
            "FAILURE": ("échecs", "#b2182b")}
WAITING_BANDS = {"0-30": "jusqu'à 30 j", "31-90": "31 à 90 j", "91-180": "91 à 180 j",
                 "181+": "plus de 180 j"}  # marts.consular_passes_pending's, in words
# Legal alerts (worklists.legal_alerts) by reason → (short French wording, colour).
ALERTS = {"CONSULAR_CONTACT_FORBIDDEN": ("laissez-passer consulaire demandé à tort (PRI-07)",
                                         "#b2182b")}


def _weeks(con: duckdb.DuckDBPyConnection, table: str, scope: Scope) -> list[str]:
    """The TREND_WEEKS weeks up to the run date's, oldest first (every_week: a week
    without rows is drawn as nothing, not left out; weeks of nothing up to tonight are
    news, never cut off the axis), from the earliest a weekly mart has rows for."""
    cond, params = scope.where()
    rows = read_rows(con, f"""SELECT DISTINCT iso_week FROM marts.{table} WHERE {cond}
        ORDER BY iso_week DESC LIMIT {TREND_WEEKS}""", params)  # noqa: S608 (fixed names)
    if not rows:
        return []
    return every_week([r[0] for r in rows] + [iso_week(scope.run_date)], TREND_WEEKS)


def lists_by_night(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    """The page's lists night by night, counted as its folders count them: a flag that
    moved to another department's list is resolved on the page it left (its `resolus`
    file) and new on the page it reached (its `Nouveau`); the national page adds up the
    departments', as its cards do. Every night from the first the page had a flag up to
    tonight is drawn, one without any flag of the page as zeros; the night that draws no
    bar of new flags is the warehouse's first (nights_figure)."""
    here, at = scope.where("h.department")
    left, was_at = scope.where("h.department_before")
    rows = read_rows(con, f"""
        WITH runs AS (
            SELECT run_date, lag(run_date) OVER (ORDER BY run_date) AS before
            FROM worklists.flag_history_runs WHERE run_date <= ?),
        seen AS (
            SELECT h.*, p.department AS department_before
            FROM worklists.flag_history h JOIN runs r USING (run_date)
            LEFT JOIN worklists.flag_history p
              ON p.run_date = r.before AND p.flag_id = h.flag_id AND p.worklist = h.worklist
             AND p.status <> 'RESOLVED'),
        counted AS (
            SELECT run_date,
                   count(*) FILTER (WHERE h.status <> 'RESOLVED' AND {here}) AS listed,
                   count(*) FILTER (WHERE h.status <> 'RESOLVED' AND {here} AND
                                    h.department_before IS DISTINCT FROM h.department) AS new,
                   count(*) FILTER (WHERE (h.status = 'RESOLVED' AND {here})
                                       OR (h.status <> 'RESOLVED' AND {left} AND
                                           h.department_before <> h.department)) AS resolved
            FROM seen h GROUP BY run_date),
        drawn AS (
            SELECT r.run_date, coalesce(c.listed, 0), coalesce(c.new, 0),
                   coalesce(c.resolved, 0)
            FROM runs r LEFT JOIN counted c USING (run_date)
            WHERE r.run_date >= (SELECT min(run_date) FROM counted
                                 WHERE listed > 0 OR resolved > 0)
            ORDER BY r.run_date DESC LIMIT {NIGHTS})
        SELECT * FROM drawn ORDER BY 1""",  # noqa: S608 (scope.where's conditions)
        [scope.run_date, *at, *at, *at, *was_at])
    [(first,)] = read_rows(con, "SELECT min(run_date) FROM worklists.flag_history_runs", [])
    return nights_figure(rows, first)


def nights_figure(rows: list[tuple], first_night: date | None) -> Figure:
    """The lists night by night (`rows`: night, open, new, resolved, oldest first; the
    warehouse's first night, `first_night`): the
    flags on the lists as a line on the right-hand scale, the new and resolved ones as
    bars on the left-hand one (on one scale, a few dozen a night were flat under
    thousands listed). That first night, when later nights follow it, draws no bar of
    new flags: every flag is new that night, and its bar (the whole lists) set the scale
    again; a note says so above it."""
    nights = [f"{r[0]:%d/%m}" for r in rows]
    new = [r[2] for r in rows]
    notes = []
    if len(rows) > 1 and rows[0][0] == first_night:
        new[0] = None
        notes = [{"x": nights[0], "y": 0, "yanchor": "bottom", "showarrow": False,
                  "text": "1re nuit :<br>tout est<br>nouveau", "font": {"size": 11}}]
    return figure([
        {"type": "scatter", "mode": "lines+markers", "x": nights, "y": [r[1] for r in rows],
         "name": "sur les listes (échelle de droite)", "line": {"color": "#000091"},
         "yaxis": "y2"},
        bar(nights, new, name="nouveaux", marker={"color": "#f4a582"}),
        bar(nights, [r[3] for r in rows], name="résolus", marker={"color": "#1b7837"}),
    ], "Les trois listes nuit après nuit : signalements ouverts, nouveaux, résolus",
        "Aucune nuit enregistrée pour ce périmètre.", barmode="group",
        xaxis={"type": "category"},
        yaxis={"title": {"text": "nouveaux, résolus"}, "rangemode": "tozero"},
        yaxis2={"title": {"text": "sur les listes"}, "overlaying": "y", "side": "right",
                "rangemode": "tozero", "showgrid": False, "tickmode": "auto"},
        **({"annotations": notes} if notes else {}))


def execution_outcomes(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    weeks = _weeks(con, "execution_outcomes", scope)
    counts = {(r[0], r[1]): r[2] for r in read_rows(con, f"""SELECT iso_week, outcome,
        sum(events) FROM marts.execution_outcomes WHERE {cond} GROUP BY ALL""",  # noqa: S608
        params)}
    return figure([bar(week_labels(weeks), [counts.get((w, code), 0) for w in weeks], name=label,
                       marker={"color": colour}) for code, (label, colour) in OUTCOMES.items()],
                  "Exécution des mesures par semaine", "Aucune exécution ni échec enregistré.",
                  barmode="stack", yaxis={"title": {"text": "mesures"}})


def failure_reasons(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    rows = read_rows(con, f"""SELECT failure_reason, sum(events) FROM marts.execution_outcomes
        WHERE outcome = 'FAILURE' AND {cond} GROUP BY ALL ORDER BY 2, 1""",  # noqa: S608
        params)
    return figure([bar([r[1] for r in rows], [r[0] for r in rows], orientation="h",
                       marker={"color": "#b2182b"})],
                  "Échecs d'éloignement par motif (depuis le début de l'historique)",
                  "Aucun échec d'éloignement enregistré.",
                  xaxis={"title": {"text": "échecs"}, "tickangle": 0},
                  yaxis={"automargin": True})


def consular_passes(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    weeks = _weeks(con, "consular_passes", scope)
    counts = {r[0]: r[1:] for r in read_rows(con, f"""SELECT iso_week, sum(requested),
        sum(granted), sum(refused) FROM marts.consular_passes WHERE {cond}
        GROUP BY ALL""", params)}  # noqa: S608
    series = (("demandés", "#2166ac"), ("obtenus", "#1b7837"), ("refusés", "#b2182b"))
    return figure([bar(week_labels(weeks), [counts.get(w, (0, 0, 0))[i] for w in weeks], name=label,
                       marker={"color": colour}) for i, (label, colour) in enumerate(series)],
                  "Laissez-passer consulaires par semaine", "Aucun laissez-passer demandé.",
                  barmode="group", yaxis={"title": {"text": "laissez-passer"}})


def passes_waiting(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    counts = dict(read_rows(con, f"""SELECT waiting_band, sum(pending)
        FROM marts.consular_passes_pending WHERE {cond} GROUP BY ALL""", params))  # noqa: S608
    return figure([bar(list(WAITING_BANDS.values()),
                       [counts.get(b, 0) for b in WAITING_BANDS],
                       marker={"color": ["#92c5de", "#f4a582", "#d6604d", "#67001f"]})],
                  "Laissez-passer demandés sans réponse, par attente",
                  "Aucune demande de laissez-passer en attente.", xaxis={"tickangle": 0},
                  yaxis={"title": {"text": "demandes"}})


def return_aid(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    weeks = _weeks(con, "return_aid", scope)
    counts = dict(read_rows(con, f"""SELECT iso_week, sum(proposed) FROM marts.return_aid
        WHERE {cond} GROUP BY ALL""", params))  # noqa: S608
    return figure([bar(week_labels(weeks), [counts.get(w, 0) for w in weeks],
                       marker={"color": "#5aae61"})],
                  "Aides au retour proposées par semaine", "Aucune aide au retour proposée.",
                  yaxis={"title": {"text": "propositions"}})


def legal_alerts(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    """The alerts on the list tonight, by week of the step the law forbade: every week of
    the last TREND_WEEKS up to the run date's (a week without one drawn as such: weeks
    left out of the axis read as a steady rate, outputs audit of 2026-12-07), the older
    ones together in a first bar; those new tonight apart."""
    cond, params = scope.where()
    rows = read_rows(con, f"""SELECT strftime(event_date, '%G-W%V') AS week, reason_code,
        count(*) FILTER (WHERE first_seen_date = ?), count(*) FILTER (WHERE first_seen_date <> ?)
        FROM worklists.legal_alerts WHERE {cond} AND event_date IS NOT NULL
        GROUP BY ALL ORDER BY ALL""", [scope.run_date, scope.run_date, *params])  # noqa: S608
    weeks = every_week([*(r[0] for r in rows), iso_week(scope.run_date)],
                       TREND_WEEKS) if rows else []
    # every alert on the list is drawn: those before the weeks shown, in one bar
    older = bool(weeks) and any(r[0] < weeks[0] for r in rows)
    labels = [*(["plus anciennes"] if older else []), *week_labels(weeks)]
    traces = []
    for code in sorted({r[1] for r in rows}):
        label, colour = ALERTS.get(code, (code, "#762a83"))
        counts = {r[0]: r[2:] for r in rows if r[1] == code}
        for i, when, opacity in ((1, "déjà signalées", 0.55), (0, "nouvelles cette nuit", 1)):
            values = [counts.get(w, (0, 0))[i] for w in weeks]
            if older:
                values.insert(0, sum(n[i] for w, n in counts.items() if w < weeks[0]))
            traces.append(bar(labels, values, name=f"{label} : {when}", opacity=opacity,
                              marker={"color": colour}))
    return figure(traces, "Alertes juridiques en cours, par semaine de la démarche interdite",
                  "Aucune alerte juridique en cours.", barmode="stack",
                  yaxis={"title": {"text": "alertes"}})


CHARTS = (lists_by_night, execution_outcomes, failure_reasons, consular_passes,
          passes_waiting, return_aid, legal_alerts)
