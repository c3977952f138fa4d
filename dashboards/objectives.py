"""Objectives (issue 35, item 5; the 2009 mission letter's "tableau de bord global et
synthétique"): each indicator of marts.objectives_monthly against its target, month by
month and year to date. The targets are settings (a TOML file read by flows/settings.py),
handed here as an `Objectives` value: a department's own targets, else the targets every
department shares, and the national targets for the national page."""

from __future__ import annotations

import calendar
import html
import math
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING

from dashboards.french import percent, whole
from schemas.codes import DEPARTMENTS

if TYPE_CHECKING:  # the command line reads the settings file before any heavy import
    import duckdb

    from dashboards.scope import Scope

# Indicator of the mart → (the key of its target in the settings file, French wording).
INDICATORS = {
    "OQTF_WITHIN_15_DAYS": ("part_oqtf_dans_15_jours",
                            "Part des rejets définitifs suivis d'une OQTF dans les 15 jours"),
    "REMOVALS_EXECUTED": ("eloignements_par_trimestre", "Éloignements exécutés"),
    "CONSULAR_PASSES_OBTAINED": ("laissez_passer_obtenus_par_trimestre",
                                 "Laissez-passer consulaires obtenus"),
}
SHARES = frozenset({"OQTF_WITHIN_15_DAYS"})  # a share (0 to 1); the others: a count a quarter
MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
             "oct.", "nov.", "déc.")


@dataclass(frozen=True)
class Targets:
    """One scope's targets, by the settings file's keys; None: no target set."""

    part_oqtf_dans_15_jours: float | None = None
    eloignements_par_trimestre: float | None = None
    laissez_passer_obtenus_par_trimestre: float | None = None

    def of(self, indicator: str) -> float | None:
        return getattr(self, INDICATORS[indicator][0])


@dataclass(frozen=True)
class Objectives:
    """The national targets, those every department shares, and departments' own."""

    national: Targets = Targets()
    department_default: Targets = Targets()
    departments: tuple[tuple[str, Targets], ...] = field(default=())

    def for_scope(self, department: str | None) -> Targets:
        if department is None:
            return self.national
        return dict(self.departments).get(department, self.department_default)


NO_OBJECTIVES = Objectives()


def _targets(section: object, where: str, base: Targets = Targets()) -> Targets:
    """A section's targets over `base`; refuses an unknown key or a value out of range."""
    if not isinstance(section, dict):
        raise ValueError(f"[{where}] must be a table of targets")
    known = {f.name for f in fields(Targets)}
    values = {name: getattr(base, name) for name in known}
    for key, value in section.items():
        if key not in known:
            raise ValueError(f"[{where}] {key}: unknown target (known: {', '.join(sorted(known))})")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or (
                key == INDICATORS["OQTF_WITHIN_15_DAYS"][0] and value > 1):
            raise ValueError(f"[{where}] {key} = {value!r}: give a number "
                             "(a share between 0 and 1, or a count a quarter)")
        values[key] = float(value)
    return Targets(**values)


def objectives_from(settings: dict) -> Objectives:
    """Objectives from the settings file's tables: [national], [departement] (every
    department) and [departements."<code>"] (one department, over [departement])."""
    unknown = set(settings) - {"national", "departement", "departements"}
    if unknown:
        raise ValueError(f"unknown table [{sorted(unknown)[0]}] "
                         "(known: national, departement, departements)")
    default = _targets(settings.get("departement", {}), "departement")
    own = settings.get("departements", {})
    if not isinstance(own, dict):
        raise ValueError("[departements] must hold one table per department")
    return Objectives(
        national=_targets(settings.get("national", {}), "national"),
        department_default=default,
        departments=tuple(sorted((str(code), _targets(section, f"departements.{code}", default))
                                 for code, section in own.items())))


def _month_days(run_date: date, month: int) -> tuple[int, int]:
    """(days of the month up to the run date, days in the month)."""
    days = calendar.monthrange(run_date.year, month)[1]
    return (run_date.day if month == run_date.month else days), days


def _target_for(indicator: str, target: float | None, days: float, year_days: int
                ) -> float | None:
    """A share's target holds for any period; a quarterly count is prorated to the days
    the period has up to the run date (four quarters a year)."""
    if target is None or indicator in SHARES:
        return target
    return target * 4 * days / year_days


def _cell(indicator: str, achieved: int, base: int | None, target: float | None) -> str:
    if indicator in SHARES:
        if not base:
            return '<td class="none">—</td>'
        value = achieved / base
        shown = f"{percent(value)} ({whole(achieved)}/{whole(base)})"
        aim = None if target is None else percent(target)
    else:
        # a count meets a prorated target (3.4) from the next whole number: shown so, the
        # verdict and the target read alike ("3 — objectif 4 : non atteint")
        value, shown = achieved, whole(achieved)
        aim = None if target is None else whole(math.ceil(target - 1e-9))
    if aim is None:
        return f"<td>{html.escape(shown)}</td>"
    met = value >= target - 1e-9
    verdict = "atteint" if met else "non atteint"
    return (f'<td class="{"met" if met else "missed"}">{html.escape(shown)}'
            f"<small>objectif {html.escape(aim)} : {verdict}</small></td>")


def objectives_table(con: duckdb.DuckDBPyConnection, scope: Scope,
                     objectives: Objectives) -> str:
    """Each indicator (rows) against its target year to date, then month by month of the
    run's year, the latest first."""
    cond, params = scope.where()
    year = f"{scope.run_date.year:04d}-"
    rows = con.execute(f"""SELECT indicator, month, sum(achieved), sum(base)
        FROM marts.objectives_monthly WHERE {cond} AND starts_with(month, ?)
        GROUP BY ALL""", [*params, year]).fetchall()  # noqa: S608 (fixed names)
    values = {(r[0], int(r[1][5:])): (int(r[2]), None if r[3] is None else int(r[3]))
              for r in rows}
    targets = objectives.for_scope(scope.department)
    covered = None if scope.department is not None else _departments_covered(con, scope)
    counts_set = any(targets.of(i) is not None for i in INDICATORS if i not in SHARES)
    if covered is not None and covered < len(DEPARTMENTS) and counts_set:
        # the country's quarterly counts against the departments this warehouse holds
        # would always read "non atteint": only a share compares
        targets = Targets(part_oqtf_dans_15_jours=targets.part_oqtf_dans_15_jours)
    else:
        covered = None  # nothing left out, nothing to say
    # the latest month first, after the year to date: what a manager reports on, and
    # what a narrow screen or an A4 page shows when the months before it are cut off
    months = range(scope.run_date.month, 0, -1)
    year_days = 366 if calendar.isleap(scope.run_date.year) else 365
    head = "".join(f"<th>{MONTHS_FR[m - 1]}</th>" for m in months)
    body = []
    for indicator, (_, wording) in INDICATORS.items():
        target = targets.of(indicator)
        cells = [_cell(indicator, *values.get((indicator, m), (0, 0 if indicator in SHARES
                                                                else None)),
                       _target_for(indicator, target, _month_days(scope.run_date, m)[0],
                                   year_days)) for m in months]
        achieved = sum(values.get((indicator, m), (0, None))[0] for m in months)
        base = sum(values.get((indicator, m), (0, 0))[1] or 0 for m in months)
        # the year so far first: read at a glance, and never cut off
        cells.insert(0, _cell(indicator, achieved, base, _target_for(
            indicator, target, scope.run_date.timetuple().tm_yday, year_days)))
        body.append(f"<tr><td>{html.escape(wording)}</td>{''.join(cells)}</tr>")
    return (f'<section id="objectifs"><h2>Objectifs {scope.run_date.year} : chaque '
            "indicateur face à son objectif, depuis le 1er janvier et mois par mois (le "
            "plus récent d'abord)</h2>"
            "<p>Un objectif par trimestre est rapporté aux jours écoulés de la période "
            "(mois en cours et cumul au prorata) ; une part vaut pour toute période. Les "
            "rejets comptent dans le mois où ils ont été connus, une fois leurs 15 jours "
            f"écoulés.</p>{_partial_note(covered)}"
            # twelve months do not fit a laptop's 1024 px: the table scrolls, not the page
            f'<div class="wide"><table class="objectives"><tr><th>Indicateur</th>'
            f"<th>Depuis le 1er janvier</th>{head}</tr>{''.join(body)}</table></div>"
            "</section>")


def _departments_covered(con: duckdb.DuckDBPyConnection, scope: Scope) -> int:
    """How many departments the night's AGDREF covers: those whose files (PERSONNES, the
    unit `PERSONNES_<dept>` of the night's freshness rows) were ever delivered."""
    return con.execute("SELECT count(DISTINCT split_part(unit, '_', 2)) "
                       "FROM audit.source_freshness WHERE run_id = ? AND system = 'agdref' "
                       "AND starts_with(unit, 'PERSONNES_')", [scope.run_id]).fetchone()[0]


def _partial_note(covered: int | None) -> str:
    """What the national page says when its count targets were left out (None: none)."""
    if covered is None:
        return ""
    return ("<p>Les objectifs nationaux en nombre (éloignements, laissez-passer) ne sont pas "
            f"comparés : les données couvrent {whole(covered)} département"
            f"{'s' if covered > 1 else ''} sur {whole(len(DEPARTMENTS))}.</p>")
