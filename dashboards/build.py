"""The dashboard: one self-contained HTML page per department and one national overview,
read at a glance by managers. Built from the marts and the sizes of the worklists, so it
holds counts only, never a person. The chart library (plotly.js's basic bundle, vendored)
is inline: the page needs no network and weighs well under 1.5 MB.
"""

from __future__ import annotations

import hashlib
import html
from collections import Counter
from functools import cache
from pathlib import Path

import duckdb

from dashboards import charts, outcomes
from dashboards.cards import (
    department_rows,
    department_table,
    flag_counts,
    headline,
    late_note,
)
from dashboards.charts import chart_html, charts_setup
from dashboards.french import whole
from dashboards.freshness import render_panel, source_freshness
from dashboards.handling import handling_table
from dashboards.handovers import handovers_section
from dashboards.objectives import NO_OBJECTIVES, Objectives, objectives_table
from dashboards.scope import Scope

CHARTS = charts.CHARTS + outcomes.CHARTS

__all__ = ["CHARTS", "NATIONAL_PAGE_NAME", "PAGE_NAME", "Objectives", "Scope", "headline",
           "late_note", "render", "write_page"]


PLOTLY_BASIC = Path(__file__).parent / "vendor" / "plotly-basic.min.js"


@cache
def plotly_script() -> str:
    """plotly.js's basic bundle (bar, pie, scatter: all the page draws), of the version
    plotly's Python package ships (tests/test_dashboard.py checks it), inline: 1.2 MB
    where the full bundle weighs 4.8 MB."""
    return PLOTLY_BASIC.read_text(encoding="utf-8")


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
.wide{overflow-x:auto;max-width:100%}
@media print{.wide{overflow:visible} .charts{grid-template-columns:1fr}
.chart,.card,tr{break-inside:avoid}}
td,th{padding:6px 12px;border-bottom:1px solid #ddd;text-align:right}
footer{font-size:12px;color:#555;padding:16px 24px}
#fraicheur h2{font-size:17px;margin:18px 0 4px} #fraicheur p{margin:4px 0}
#fraicheur p.late,tr.late td,td.late,.card .late{color:#b2182b;font-weight:600}
table.freshness :is(td,th):nth-child(-n+2),table.handovers :is(td,th):first-child,
table.handovers :is(td,th):last-child,table.states-handed :is(td,th):first-child,
table.objectives :is(td,th):first-child,table.states :is(td,th):first-child,
table.departments :is(td,th):first-child{text-align:left}
table.objectives td:first-child{min-width:190px}
table.objectives small{display:block;
font-size:11px;font-weight:400} td.met{color:#1b7837} td.missed{color:#b2182b;font-weight:600}
"""


def render(con: duckdb.DuckDBPyConnection, scope: Scope,
           objectives: Objectives = NO_OBJECTIVES) -> str:
    """The whole page as one string (deterministic: fixed element ids, no clock, no run
    id: the same data give the same bytes), each indicator against `objectives`."""
    units = source_freshness(con, scope.run_id, scope.department)
    by_department = flag_counts(con, scope.run_date)  # the cards and the national table
    cards = "".join(
        f'<div class="card"><div class="label">{html.escape(card.label)}</div>'
        f'<div class="value">{whole(card.value)}</div>'
        f'<div class="detail">{html.escape(card.detail)}</div>{late_note(card, units)}</div>'
        for card in headline(con, scope, by_department))
    drawn = "".join(
        f'<div class="chart">{chart_html(chart(con, scope), f"chart-{chart.__name__}")}</div>'
        for chart in CHARTS)
    handovers = handovers_section(con, scope)
    states = handling_table(con, scope)
    aims = objectives_table(con, scope, objectives)
    fresh = render_panel(units, national=scope.department is None)
    table, covered = "", ""
    if scope.department is None:  # the departments first: where a manager goes next
        departments = department_table(
            {**{folder: Counter() for folder in scope.folders}, **by_department})
        table = department_rows(departments, units)
        covered = (" Départements couverts cette nuit : "
                   + html.escape(", ".join(d for d, *_ in departments) or "aucun") + ".")
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{html.escape(scope.title)}</title>"
        # No request may leave the page: scripts inline, nothing fetched.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:\">"
        f"<style>{STYLE}</style><script>{plotly_script()}</script>"
        f"<script>{charts_setup()}</script></head><body>"
        f"<header><h1>{html.escape(scope.title)}</h1><p>Chiffres agrégés ; les listes "
        "nominatives sont dans les fichiers du département. Les signalements sont des "
        f"suggestions à examiner, jamais des décisions.{covered}</p></header>"
        # what a manager reads first: the figures, (nationally, the departments,) whether
        # a source is late, the objectives; then the handling, the charts, the handovers
        f'<main><div class="cards">{cards}</div>{table}{fresh}{aims}{states}'
        f'<div class="charts">{drawn}</div>'
        f"{handovers}"
        f"</main><footer>Données au {scope.run_date:%d/%m/%Y}.</footer>"
        # Charts are drawn while the page is parsed, before the grid has its final widths.
        "<script>window.addEventListener('load',()=>document.querySelectorAll("
        "'.plotly-graph-div').forEach(d=>Plotly.Plots.resize(d)));</script></body></html>"
    )


PAGE_NAME = "tableau_de_bord.html"
NATIONAL_PAGE_NAME = "tableau_de_bord_national.html"


def write_page(con: duckdb.DuckDBPyConnection, scope: Scope, path: Path,
               objectives: Objectives = NO_OBJECTIVES) -> dict:
    """Write one page; returns its audit record (rows: 0, a page holds no list rows)."""
    data = render(con, scope, objectives).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"department": scope.department or "national", "worklist": "dashboard",
            "file_name": path.name if scope.department is None
            else f"{scope.department}/{path.name}",
            "rows": 0, "sha256": hashlib.sha256(data).hexdigest()}
