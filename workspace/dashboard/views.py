"""The department dashboard: what the units of the account's departments did, week by
week (activity.py), as tables with bars drawn in SVG by the server (no script)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from workspace.accounts.access import unit_view
from workspace.dashboard import activity
from workspace.decisions.state import STATES
from workspace.lists.views import unavailable, warehouse
from workspace.lists.warehouse import WarehouseUnavailable

BAR_WIDTH = 240  # pixels for the busiest week shown
OUTCOMES = [(str(k), STATES[str(k)]) for k in activity.HANDLED]


def days_text(median: float | None) -> str:
    if median is None:
        return "—"
    return f"{median:g}".replace(".", ",")


def bar(week: activity.Week, busiest: int) -> list[dict]:
    """The week's handled flags as stacked segments, one per outcome, in pixels."""
    segments, x = [], 0.0
    for code, label in OUTCOMES:
        count = week.by_outcome.get(code, 0)
        if count:
            width = BAR_WIDTH * count / busiest
            segments.append({"x": round(x, 1), "width": round(width, 1), "code": code.lower(),
                             "title": f"{label} : {count}"})
            x += width
    return segments


def rows(weeks: list[activity.Week]) -> list[dict]:
    busiest = max((w.handled for w in weeks), default=0)
    return [{"monday": w.monday, "handled": w.handled,
             "counts": [w.by_outcome.get(code, 0) for code, _ in OUTCOMES],
             "median": days_text(w.median_days), "known": len(w.days),
             "bar": bar(w, busiest)} for w in weeks]


def chosen_departments(request) -> list[str]:
    """One of the account's departments if asked for, else all of them."""
    asked = request.GET.get("departement", "")
    return [asked] if asked in request.departments else list(request.departments)


@require_GET
@unit_view
def dashboard(request):
    chosen = chosen_departments(request)
    handled = activity.first_outcomes(chosen)
    try:
        with warehouse() as cur:
            seen = activity.first_seen(cur, [h.flag_id for h in handled], chosen)
    except WarehouseUnavailable:
        return unavailable(request)
    weeks = activity.weeks(handled, seen)
    return render(request, "dashboard/weeks.html", {
        "weeks": rows(weeks), "outcomes": OUTCOMES, "bar_width": BAR_WIDTH,
        "departments": request.departments, "chosen": chosen,
        "shown": activity.WEEKS_SHOWN})
