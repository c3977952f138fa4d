"""The dashboard's charts: plotly figures as plain data, drawn in the page by the plotly.js
basic bundle vendored beside this module (bar, pie and scatter traces; a quarter of the
full bundle's weight). Counts only, never a person."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache

import duckdb
import plotly.io as pio

from dashboards.french import (
    check_in_words,
    every_week,
    iso_week,
    iso_week_monday,
    percent,
    source_in_words,
    week_labels,
)
from dashboards.scope import TONIGHT, Scope, read_rows

TREND_WEEKS = 26
SITUATIONS = {
    "ENFORCEABLE_MEASURE": ("Mesure exécutoire", "#1b7837"),
    "MEASURE_TO_EXAMINE": ("Situation à examiner", "#f1a340"),
    "IDENTITY_TO_CONFIRM": ("Identité à confirmer", "#998ec3"),
}
# The marts' bands of days, as a manager reads them (a year, not 365 days).
OVERDUE_BANDS = {"0": "dans le délai", "1-30": "1 à 30 j", "31-90": "31 à 90 j",
                 "91-365": "91 j à 1 an", "366+": "plus d'un an"}
AGE_BANDS = {"0-90": "jusqu'à 90 j", "91-365": "91 j à 1 an", "366-1095": "1 à 3 ans",
             "1096+": "plus de 3 ans"}
FILE_STATUSES = {"LOADED": ("chargés", "#1b7837"),
                 "CORRECTION": ("corrections d'un fichier déjà reçu (chargées)", "#2166ac"),
                 "UNCHANGED": ("inchangés (reçus à nouveau à leur date)", "#5aae61"),
                 "SKIPPED_DUPLICATE": ("doublons ignorés", "#bbbbbb"),
                 "SUPERSEDED": ("remplacés par une correction", "#92c5de"),
                 "REJECTED": ("rejetés", "#b2182b")}
PLOT_CONFIG = {"displayModeBar": False, "responsive": True}

# A chart is a plotly figure as plain data ({"data": [traces], "layout": {...}}), drawn
# by plotly.js without plotly's Python objects: building, validating and copying those
# took most of a page's time (half a minute for the departments of a national run).
# tests/test_dashboard.py checks every chart against plotly's validators instead.
Figure = dict


@cache
def template() -> dict:
    """The look of every chart (plotly's "plotly_white"), as plain data, its numbers
    written as French writes them: a decimal comma, thousands apart by a narrow no-break
    space (14 071, as french.whole), in full on the axes (plotly wrote 14k)."""
    look = pio.templates["plotly_white"].to_plotly_json()
    look["layout"]["separators"] = ",\u202f"
    for axis in ("xaxis", "yaxis"):
        look["layout"][axis] = {**look["layout"].get(axis, {}), "exponentformat": "none",
                                "separatethousands": True}
    return look


def bar(x: list, y: list, **properties) -> dict:
    return {"type": "bar", "x": x, "y": y, **properties}


def _is_empty(traces: list[dict]) -> bool:
    """No bar of any trace has a height: the chart would be bare axes."""
    values = (t["x"] if t.get("orientation") == "h" else t["y"] for t in traces)
    return not any(v for series in values for v in series if isinstance(v, int | float))


def _said_empty(empty: str) -> dict:
    """The layout of a chart with nothing to draw: no axes, the reason in words."""
    return {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "showlegend": False,
            "height": 160, "annotations": [{
                "text": empty, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                "showarrow": False, "font": {"size": 14, "color": "#555555"}}]}


def figure(traces: list[dict], title: str, empty: str, xaxis: dict | None = None,
           **extra) -> Figure:
    """A chart: its bars, and the layout every chart shares with `extra` (`xaxis` merged
    into the shared x axis); without a bar to draw, `empty` says so in words instead of
    empty axes."""
    layout = {
        "template": template(), "title": {"text": title, "x": 0, "font": {"size": 15}},
        "height": 360, "margin": {"l": 55, "r": 55, "t": 50, "b": 40},
        # under the x axis's labels whatever their length (a legend placed on the plot's
        # scale overlapped the slanted week labels): at the bottom of the chart's box,
        # which the axis then leaves room for
        "legend": {"orientation": "h", "x": 0, "yref": "container", "y": 0,
                   "yanchor": "bottom"},
        "xaxis": {"automargin": True, "tickangle": -45, **(xaxis or {})}, **extra}
    if _is_empty(traces):
        layout.update(_said_empty(empty))
    else:
        _whole_ticks(traces, layout)
    return {"data": traces, "layout": layout}


def _whole_ticks(traces: list[dict], layout: dict) -> None:
    """Counts of a few units read on whole ticks: under about five, plotly would put a
    tick at every half (0,5 alerte)."""
    for axis, horizontal in (("yaxis", False), ("xaxis", True)):
        drawn = [t for t in traces if t.get("type") in ("bar", "scatter")
                 and (t.get("orientation") == "h") == horizontal]
        values = [t["x" if horizontal else "y"] for t in drawn]
        numbers = [v for series in values for v in series if isinstance(v, int | float)]
        if not numbers or not all(float(v).is_integer() for v in numbers):
            continue
        highest = sum(max((v for v in series if isinstance(v, int | float)), default=0)
                      for series in values)
        if highest <= 10:
            layout[axis] = {"dtick": 1, "rangemode": "tozero", **layout.get(axis, {})}


# marts.upcoming_releases: a release date before the run date (an identity to confirm is
# listed whatever its date, PRI-09), drawn before the weeks to come, not after them.
BEFORE_THE_WEEKS = ("date passée",)


def _stacked(rows: list[tuple], series: dict[str, tuple[str, str]], title: str,
             unit: str, empty: str, weekly: bool = False) -> Figure:
    """Stacked bars from (x, series code, count) rows: the x values in order (`weekly`:
    ISO weeks, every one from the first to the last, named by their Monday, then any
    other value), one bar per series of `series` (code → label, colour), 0 where a row
    is missing."""
    xs = sorted({r[0] for r in rows})
    shown = xs
    if weekly:  # a value that is not a week ('sans date') comes after the weeks, as it is,
        # but a date already past before them
        weeks = every_week([x for x in xs if "-W" in x])
        before = [x for x in xs if x in BEFORE_THE_WEEKS]
        after = [x for x in xs if "-W" not in x and x not in BEFORE_THE_WEEKS]
        xs, shown = before + weeks + after, before + week_labels(weeks) + after
    counts = {(r[0], r[1]): r[2] for r in rows}
    return figure([bar(shown, [counts.get((x, code), 0) for x in xs], name=label,
                       marker={"color": colour})
                   for code, (label, colour) in series.items()],
                  title, empty, barmode="stack", yaxis={"title": {"text": unit}})


def rejections_trend(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    rows = read_rows(con, f"""SELECT iso_week, sum(final_rejections), sum(oqtf_issued),
        sum(oqtf_within_deadline) FROM marts.rejections_oqtf WHERE {cond}
        GROUP BY iso_week ORDER BY iso_week DESC LIMIT {TREND_WEEKS}""", params)  # noqa: S608
    by_week = {r[0]: r[1:] for r in rows}
    # up to the run date's week: weeks without a rejection up to tonight are news too
    weeks = every_week([*by_week, iso_week(scope.run_date)], TREND_WEEKS) if by_week else []
    rows = [(w, *by_week.get(w, (0, 0, 0))) for w in weeks]
    # above each bar, the objective's share (an OQTF within 15 days, OQ-02), once the 15
    # days of the week's every rejection are over; "en cours" until then
    shares = ["" if not r[1] else percent(r[3] / r[1])
              if iso_week_monday(r[0]) + timedelta(days=6 + 15) < scope.run_date
              else "en cours" for r in rows]
    weeks = week_labels(weeks)
    return figure([
        bar(weeks, [r[1] for r in rows], name="Rejets définitifs connus",
            marker={"color": "#bbbbbb"}, text=shares, textposition="outside",
            hovertemplate="%{x} : %{y} rejets, dans les 15 jours : %{text}<extra></extra>"),
        bar(weeks, [r[2] for r in rows], name="Suivis d'une OQTF (L. 611-1 4°)",
            marker={"color": "#2166ac"}),
        bar(weeks, [r[3] for r in rows], name="dont dans les 15 jours",
            marker={"color": "#053061"}),
    ], "Rejets définitifs suivis d'une OQTF (au-dessus des barres : part dans les 15 jours)",
        f"Aucun rejet définitif connu sur les {TREND_WEEKS} dernières semaines.",
        barmode="overlay", bargap=0.15, yaxis={"title": {"text": "personnes"}})


def overdue_backlog(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    counts = dict(read_rows(con, f"""SELECT days_overdue_band, sum(persons)
        FROM marts.overdue_backlog WHERE {cond} GROUP BY ALL""", params))  # noqa: S608
    return figure([bar(list(OVERDUE_BANDS.values()), [counts.get(b, 0) for b in OVERDUE_BANDS],
                       marker={"color": ["#92c5de", "#f4a582", "#d6604d", "#b2182b",
                                         "#67001f"]})],
                  "Déboutés sans OQTF, par retard sur le délai de 15 jours",
                  "Aucun débouté sans OQTF ce soir.", xaxis={"tickangle": 0},
                  yaxis={"title": {"text": "personnes"}})


# Weeks of releases drawn one by one: the planning horizon's (120 days, PRI-08); a
# release further ahead (an identity to confirm is listed whatever its date, PRI-09) is
# counted in one bar, "plus tard", so that the weeks the unit plans for stay readable.
RELEASE_WEEKS = 17


def releases_ahead(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    rows = read_rows(con, f"""SELECT CASE WHEN release_week LIKE '%-W%' AND
            strptime(release_week || '-1', '%G-W%V-%u')::DATE > ? THEN 'plus tard'
            ELSE release_week END, situation, sum(detainees)
        FROM marts.upcoming_releases WHERE {cond} GROUP BY ALL ORDER BY ALL""",  # noqa: S608
        [scope.run_date + timedelta(weeks=RELEASE_WEEKS), *params])
    return _stacked(rows, SITUATIONS, "Libérations à venir par semaine et situation",
                    "détenus", "Aucune libération à venir dans l'horizon suivi.", weekly=True)


def measures_by_age(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    counts = {(r[0], r[1]): r[2] for r in read_rows(con, f"""SELECT age_band, is_coercible,
        sum(measures) FROM marts.unexecuted_measures WHERE {cond} GROUP BY ALL""",  # noqa: S608
        params)}
    labels = list(AGE_BANDS.values())
    return figure([
        bar(labels, [counts.get((b, True), 0) for b in AGE_BANDS],
            name="assignation ou rétention possibles", marker={"color": "#2166ac"}),
        bar(labels, [counts.get((b, False), 0) for b in AGE_BANDS],
            name="OQTF prise il y a 3 ans ou plus : à réexaminer (OQ-08)",
            marker={"color": "#bbbbbb"}),
    ], "Mesures non exécutées, par ancienneté depuis qu'elles sont exécutoires",
        "Aucune mesure exécutoire en attente d'exécution.",
        barmode="stack", xaxis={"tickangle": 0}, yaxis={"title": {"text": "mesures"}})


def files_tonight(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    # a correction loaded tonight is a bar of its own: the file it replaced was first
    # seen by an earlier night, which its SUPERSEDED row stays filed under
    rows = read_rows(con, f"""SELECT system, status,
            sum(files - CASE status WHEN 'LOADED' THEN corrections ELSE 0 END)::BIGINT
        FROM marts.data_quality
        WHERE {TONIGHT} AND {cond} GROUP BY system, status
        UNION ALL
        SELECT system, 'CORRECTION', sum(corrections)::BIGINT FROM marts.data_quality
        WHERE {TONIGHT} AND {cond} AND status = 'LOADED' GROUP BY system
        HAVING sum(corrections) > 0 ORDER BY ALL""",  # noqa: S608
        [scope.run_date, *params, scope.run_date, *params])
    rows = [(source_in_words(s), status, n) for s, status, n in rows]
    return _stacked(rows, FILE_STATUSES, "Fichiers reçus cette nuit, par source et statut",
                    "fichiers", "Aucun fichier reçu cette nuit.")


def quarantine_tonight(con: duckdb.DuckDBPyConnection, scope: Scope) -> Figure:
    cond, params = scope.where()
    rows = read_rows(con, f"""SELECT system, column_name, check_name, sum(rows_quarantined)
        FROM marts.quarantine_reasons WHERE {TONIGHT} AND {cond}
        GROUP BY ALL ORDER BY 4, 1, 2, 3""", [scope.run_date, *params])  # noqa: S608
    reasons: dict[str, int] = {}
    for system, column, check, count in rows:
        reason = (f"{source_in_words(system)} {column or 'ligne entière'} : "
                  f"{check_in_words(column, check)}")
        reasons[reason] = reasons.get(reason, 0) + count
    ordered = sorted(reasons.items(), key=lambda item: (item[1], item[0]))
    return figure([bar([n for _, n in ordered], [r for r, _ in ordered],
                       orientation="h", marker={"color": "#b2182b"})],
                  "Lignes en quarantaine cette nuit, par contrôle échoué",
                  "Aucune ligne en quarantaine cette nuit.",
                  xaxis={"title": {"text": "lignes"}, "tickangle": 0},
                  yaxis={"automargin": True})


CHARTS = (rejections_trend, overdue_backlog, releases_ahead, measures_by_age, files_tonight,
          quarantine_tonight)


def _json(value) -> str:
    """Data for an inline script: `</` cannot close the script it sits in."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def charts_setup() -> str:
    """The script every chart of a page shares: the template and the configuration, once
    per page rather than once per chart."""
    return f"const TEMPLATE={_json(template())},CONFIG={_json(PLOT_CONFIG)};"


def chart_html(chart: Figure, div_id: str) -> str:
    """One chart: its element and the call that draws it with the page's TEMPLATE."""
    layout = {k: v for k, v in chart["layout"].items() if k != "template"}
    return (f'<div id="{div_id}" class="plotly-graph-div" '
            f'style="height:{layout["height"]}px;width:100%"></div>'
            f'<script>Plotly.newPlot("{div_id}",{_json(chart["data"])},'
            f"Object.assign({_json(layout)},{{template:TEMPLATE}}),CONFIG);</script>")
