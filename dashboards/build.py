"""The dashboard: one self-contained HTML page per department and one national overview,
read at a glance by managers. Built from the marts and the sizes of the worklists, so it
holds counts only, never a person. Plotly's script is inline: the page needs no network.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import plotly.io as pio
from plotly.offline import get_plotlyjs

from dashboards.freshness import render_panel, source_freshness

TREND_WEEKS = 26
SITUATIONS = {
    "ENFORCEABLE_MEASURE": ("Mesure exécutoire", "#1b7837"),
    "MEASURE_TO_EXAMINE": ("Situation à examiner", "#f1a340"),
    "IDENTITY_TO_CONFIRM": ("Identité à confirmer", "#998ec3"),
}
OVERDUE_BANDS = ("0", "1-30", "31-90", "91-365", "366+")
AGE_BANDS = ("0-90", "91-365", "366-1095", "1096+")
FILE_STATUSES = {"LOADED": ("chargés", "#1b7837"),
                 "UNCHANGED": ("inchangés (reçus à nouveau à leur date)", "#5aae61"),
                 "SKIPPED_DUPLICATE": ("doublons ignorés", "#bbbbbb"),
                 "SUPERSEDED": ("remplacés par une correction", "#92c5de"),
                 "REJECTED": ("rejetés", "#b2182b")}
PLOT_CONFIG = {"displayModeBar": False, "responsive": True}


# The files of the night the page is about: first seen by a run of its date (a rerun of
# the night sees none of its own, and its page stays the same).
TONIGHT = "run_id IN (SELECT run_id FROM audit.runs WHERE as_of_date = ?)"


@dataclass(frozen=True)
class Scope:
    """What one page covers: a department, or the whole country when `department` is None."""

    department: str | None
    run_date: date
    run_id: str

    @property
    def title(self) -> str:
        where = f"Département {self.department}" if self.department else "Vue nationale"
        return f"{where} — tableau de bord au {self.run_date:%d/%m/%Y}"

    def where(self, column: str = "department") -> tuple[str, list]:
        """A filter on the department with its bound value (none for the national page)."""
        if self.department is None:
            return "TRUE", []
        return f"{column} = ?", [self.department]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def headline(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[tuple[str, int, str]]:
    """The figures a manager reads first: (label, value, detail)."""
    cond, params = scope.where()
    rejected = _rows(con, f"""SELECT count(*), count(*) FILTER (WHERE days_overdue > 0),
        count(*) FILTER (WHERE first_seen_date = ?)
        FROM worklists.rejected_without_oqtf WHERE {cond}""",  # noqa: S608
        [scope.run_date, *params])[0]
    releases = _rows(con, f"""SELECT count(*),
        count(*) FILTER (WHERE situation = 'ENFORCEABLE_MEASURE'),
        count(*) FILTER (WHERE release_date <= ? + 56)
        FROM worklists.upcoming_releases WHERE {cond}""",  # noqa: S608
        [scope.run_date, *params])[0]
    measures = _rows(con, f"""SELECT count(*), count(*) FILTER (WHERE is_coercible)
        FROM worklists.unexecuted_measures WHERE {cond}""", params)[0]  # noqa: S608
    alerts = _rows(con, f"""SELECT count(*), count(*) FILTER (WHERE first_seen_date = ?)
        FROM worklists.legal_alerts WHERE {cond}""",  # noqa: S608
        [scope.run_date, *params])[0]
    quality = _rows(con, f"""SELECT coalesce(sum(files), 0), coalesce(sum(rows_quarantined), 0)
        FROM marts.data_quality WHERE {TONIGHT} AND {cond}""",  # noqa: S608
        [scope.run_date, *params])[0]
    return [
        ("Déboutés sans OQTF", rejected[0],
         f"dont {rejected[1]} hors délai de 15 jours, {rejected[2]} nouveaux cette nuit"),
        ("Libérations à venir", releases[0],
         f"dont {releases[2]} dans les 8 semaines, {releases[1]} avec mesure exécutoire"),
        ("Mesures non exécutées", measures[0], f"dont {measures[1]} encore sous contrainte"),
        ("Alertes juridiques", alerts[0],
         f"laissez-passer consulaires demandés à tort (PRI-07), dont {alerts[1]} nouvelles "
         "cette nuit : voir legal_alerts dans les fichiers du département"),
        ("Fichiers reçus cette nuit", quality[0], f"{quality[1]} lignes en quarantaine"),
    ]


# A chart is a plotly figure as plain data ({"data": [traces], "layout": {...}}), drawn
# by plotly.js without plotly's Python objects: building, validating and copying those
# took most of a page's time (half a minute for the departments of a national run).
# tests/test_dashboard.py checks every chart against plotly's validators instead.
Figure = dict


@cache
def _template() -> dict:
    """The look of every chart (plotly's "plotly_white"), as plain data."""
    return pio.templates["plotly_white"].to_plotly_json()


def _bar(x: list, y: list, **properties) -> dict:
    return {"type": "bar", "x": x, "y": y, **properties}


def _figure(traces: list[dict], title: str, xaxis: dict | None = None, **extra) -> Figure:
    """A chart: its bars, and the layout every chart shares with `extra` (`xaxis` merged
    into the shared x axis)."""
    return {"data": traces, "layout": {
        "template": _template(), "title": {"text": title, "x": 0, "font": {"size": 15}},
        "height": 360, "margin": {"l": 55, "r": 55, "t": 50, "b": 40},
        "legend": {"orientation": "h", "y": -0.3},
        "xaxis": {"automargin": True, "tickangle": -45, **(xaxis or {})}, **extra}}


def _stacked(rows: list[tuple], series: dict[str, tuple[str, str]], title: str,
             unit: str) -> Figure:
    """Stacked bars from (x, series code, count) rows: the x values in order, one bar per
    series of `series` (code → label, colour), 0 where a row is missing."""
    xs = sorted({r[0] for r in rows})
    counts = {(r[0], r[1]): r[2] for r in rows}
    return _figure([_bar(xs, [counts.get((x, code), 0) for x in xs], name=label,
                         marker={"color": colour})
                    for code, (label, colour) in series.items()],
                   title, barmode="stack", yaxis={"title": {"text": unit}})


def rejections_trend(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    rows = _rows(con, f"""SELECT iso_week, sum(final_rejections), sum(oqtf_issued),
        sum(oqtf_within_deadline) FROM marts.rejections_oqtf WHERE {cond}
        GROUP BY iso_week ORDER BY iso_week DESC LIMIT {TREND_WEEKS}""", params)  # noqa: S608
    rows = rows[::-1]
    weeks = [r[0] for r in rows]
    shares = [f"{round(100 * r[2] / r[1])} %" if r[1] else "" for r in rows]
    return _figure([
        _bar(weeks, [r[1] for r in rows], name="Rejets définitifs connus",
             marker={"color": "#bbbbbb"}, text=shares, textposition="outside",
             hovertemplate="%{x} : %{y} rejets, %{text} couverts<extra></extra>"),
        _bar(weeks, [r[2] for r in rows], name="Suivis d'une OQTF (L. 611-1 4°)",
             marker={"color": "#2166ac"}),
        _bar(weeks, [r[3] for r in rows], name="dont dans les 15 jours",
             marker={"color": "#053061"}),
    ], "Rejets définitifs couverts par une OQTF (% au-dessus des barres)",
        barmode="overlay", bargap=0.15, yaxis={"title": {"text": "personnes"}})


def overdue_backlog(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    counts = dict(_rows(con, f"""SELECT days_overdue_band, sum(persons)
        FROM marts.overdue_backlog WHERE {cond} GROUP BY ALL""", params))  # noqa: S608
    labels = ["pas encore dû" if b == "0" else f"{b} j" for b in OVERDUE_BANDS]
    return _figure([_bar(labels, [counts.get(b, 0) for b in OVERDUE_BANDS],
                         marker={"color": ["#92c5de", "#f4a582", "#d6604d", "#b2182b",
                                           "#67001f"]})],
                   "Déboutés sans OQTF, par retard sur le délai de 15 jours",
                   yaxis={"title": {"text": "personnes"}})


def releases_ahead(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    rows = _rows(con, f"""SELECT release_week, situation, sum(detainees)
        FROM marts.upcoming_releases WHERE {cond} GROUP BY ALL ORDER BY ALL""",  # noqa: S608
        params)
    return _stacked(rows, SITUATIONS, "Libérations à venir par semaine et situation",
                    "détenus")


def measures_by_age(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    counts = {(r[0], r[1]): r[2] for r in _rows(con, f"""SELECT age_band, is_coercible,
        sum(measures) FROM marts.unexecuted_measures WHERE {cond} GROUP BY ALL""",  # noqa: S608
        params)}
    labels = [f"{b} j" for b in AGE_BANDS]
    return _figure([
        _bar(labels, [counts.get((b, True), 0) for b in AGE_BANDS],
             name="contrainte possible", marker={"color": "#2166ac"}),
        _bar(labels, [counts.get((b, False), 0) for b in AGE_BANDS],
             name="plus de contrainte (OQ-08)", marker={"color": "#bbbbbb"}),
    ], "Mesures non exécutées, par ancienneté depuis qu'elles sont exécutoires",
        barmode="stack", yaxis={"title": {"text": "mesures"}})


def files_tonight(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    rows = _rows(con, f"""SELECT system, status, sum(files) FROM marts.data_quality
        WHERE {TONIGHT} AND {cond} GROUP BY ALL ORDER BY ALL""",  # noqa: S608
        [scope.run_date, *params])
    return _stacked(rows, FILE_STATUSES, "Fichiers reçus cette nuit, par source et statut",
                    "fichiers")


def quarantine_tonight(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    rows = _rows(con, f"""SELECT system, column_name, check_name, sum(rows_quarantined)
        FROM marts.quarantine_reasons WHERE {TONIGHT} AND {cond}
        GROUP BY ALL ORDER BY 4, 1, 2, 3""", [scope.run_date, *params])  # noqa: S608
    empty = {} if rows else {"annotations": [{
        "text": "aucune ligne en quarantaine cette nuit", "x": 0.5, "y": 0.5, "xref": "paper",
        "yref": "paper", "showarrow": False, "font": {"size": 14}}]}
    return _figure([_bar([n for *_, n in rows],
                         [f"{s} {c or '(ligne)'} : {k}" for s, c, k, _ in rows],
                         orientation="h", marker={"color": "#b2182b"})],
                   "Lignes en quarantaine cette nuit, par contrôle échoué",
                   xaxis={"title": {"text": "lignes"}, "tickangle": 0},
                   yaxis={"automargin": True}, **empty)


CHARTS = (rejections_trend, overdue_backlog, releases_ahead, measures_by_age, files_tonight,
          quarantine_tonight)


def department_table(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Sizes of the three lists per department (national page)."""
    return _rows(con, """
        WITH d AS (SELECT department FROM worklists.rejected_without_oqtf
                   UNION SELECT department FROM worklists.upcoming_releases
                   UNION SELECT department FROM worklists.unexecuted_measures)
        SELECT d.department,
          (SELECT count(*) FROM worklists.rejected_without_oqtf w
           WHERE w.department = d.department),
          (SELECT count(*) FROM worklists.upcoming_releases w WHERE w.department = d.department),
          (SELECT count(*) FROM worklists.unexecuted_measures w
           WHERE w.department = d.department)
        FROM d ORDER BY d.department""", [])


@cache
def _plotly_script() -> str:
    return get_plotlyjs()


STYLE = """
html{overflow-y:scroll}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;
background:#f6f6f6}
header{background:#000091;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;font-size:13px;opacity:.85}
main{padding:16px 24px;max-width:1400px;margin:auto}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:12px}
.card{background:#fff;border-radius:6px;padding:14px;box-shadow:0 1px 2px #0002}
.card .value{font-size:32px;font-weight:700} .card .label{font-size:14px;font-weight:600}
.card .detail{font-size:12px;color:#555}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:12px;
margin-top:12px}
.chart{background:#fff;border-radius:6px;padding:6px;box-shadow:0 1px 2px #0002;
min-width:0;overflow:hidden}
table{border-collapse:collapse;background:#fff;margin-top:12px}
td,th{padding:6px 12px;border-bottom:1px solid #ddd;text-align:right}
footer{font-size:12px;color:#555;padding:16px 24px}
#fraicheur h2{font-size:17px;margin:18px 0 4px} #fraicheur p{margin:4px 0}
#fraicheur p.late,tr.late td{color:#b2182b;font-weight:600}
table.freshness td:nth-child(-n+2){text-align:left}
"""


def render(con: duckdb.DuckDBPyConnection, scope: Scope) -> str:
    """The whole page as one string (deterministic: fixed element ids, no clock, no run
    id: the same data give the same bytes)."""
    cards = "".join(
        f'<div class="card"><div class="label">{html.escape(label)}</div>'
        f'<div class="value">{value}</div><div class="detail">{html.escape(detail)}</div></div>'
        for label, value, detail in headline(con, scope))
    charts = "".join(
        '<div class="chart">' + pio.to_html(
            chart(con, scope), full_html=False, include_plotlyjs=False, validate=False,
            div_id=f"chart-{chart.__name__}", config=PLOT_CONFIG) + "</div>"
        for chart in CHARTS)
    fresh = render_panel(source_freshness(con, scope.run_id, scope.department),
                         national=scope.department is None)
    table = ""
    if scope.department is None:
        rows = "".join(
            f'<tr><td><a href="{html.escape(d)}/tableau_de_bord.html">{html.escape(d)}</a></td>'
            f"<td>{a}</td><td>{b}</td><td>{c}</td></tr>"
            for d, a, b, c in department_table(con))
        table = ("<h2>Par département</h2><table><tr><th>Département</th>"
                 "<th>Déboutés sans OQTF</th><th>Libérations à venir</th>"
                 f"<th>Mesures non exécutées</th></tr>{rows}</table>")
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{html.escape(scope.title)}</title>"
        # No request may leave the page: scripts inline, nothing fetched.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:\">"
        f"<style>{STYLE}</style><script>{_plotly_script()}</script></head><body>"
        f"<header><h1>{html.escape(scope.title)}</h1><p>Chiffres agrégés ; les listes "
        "nominatives sont dans les fichiers du département. Les signalements sont des "
        "suggestions à examiner, jamais des décisions.</p></header>"
        f'<main><div class="cards">{cards}</div>{fresh}<div class="charts">{charts}</div>{table}'
        f"</main><footer>Données au {scope.run_date:%d/%m/%Y}.</footer>"
        # Charts are drawn while the page is parsed, before the grid has its final widths.
        "<script>window.addEventListener('load',()=>document.querySelectorAll("
        "'.plotly-graph-div').forEach(d=>Plotly.Plots.resize(d)));</script></body></html>"
    )


PAGE_NAME = "tableau_de_bord.html"
NATIONAL_PAGE_NAME = "tableau_de_bord_national.html"


def write_page(con: duckdb.DuckDBPyConnection, scope: Scope, path: Path) -> dict:
    """Write one page; returns its audit record (rows: 0, a page holds no list rows)."""
    data = render(con, scope).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"department": scope.department or "national", "worklist": "dashboard",
            "file_name": path.name if scope.department is None
            else f"{scope.department}/{path.name}",
            "rows": 0, "sha256": hashlib.sha256(data).hexdigest()}
