"""The handovers to other States (remises, Dublin transfers) as a manager reads them: the
quarters the department's remises files hold, each in one row (decided, executed, not
executed, the share executed, failed attempts and why), then the destination States in
French, the most frequent first, quarter by quarter. The rows by nationality and State
are the remises files' (schemas/handovers.py), which the section names: a page of them
(288 rows on a department's synthetic year) hid everything below it."""

from __future__ import annotations

import gettext
import html
from functools import cache

import duckdb
import pycountry

from dashboards.french import percent, whole
from dashboards.scope import Scope, read_rows, text_row
from schemas.handovers import FILE_NAME
from schemas.handovers import quarters as file_quarters

STATES_NAMED = 10  # destination States given a row; the others summed in one
UNKNOWN_STATE = "INCONNU"  # marts.handovers_quarterly, when AGDREF gives no State


@cache
def state_in_french(code: str) -> str:
    """A destination State as French writes it (Allemagne, Pays-Bas); the code itself
    when ISO 3166 has no such code."""
    if code == UNKNOWN_STATE:
        return "État inconnu"  # as the remises files say (transforms/publish/handovers.py)
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    name = getattr(country, "common_name", None) or country.name
    # ISO's inverted forms read as a manager says them: "Russie, Fédération de" → Russie
    return french.gettext(name).split(", ")[0]


def quarter_label(quarter: str) -> str:
    """A mart's quarter (2026-Q4) as the files name it: 2026 T4."""
    return quarter.replace("-Q", " T")


def handovers_section(con: duckdb.DuckDBPyConnection, scope: Scope) -> str:
    """The section of the page: the quarters the remises files hold (the run's and the
    three before it), oldest first, by quarter then by destination State."""
    cond, params = scope.where()
    quarters = file_quarters(scope.run_date)[::-1]
    rows = read_rows(con, f"""
        SELECT quarter, member_state, sum(measures)::BIGINT, sum(executed)::BIGINT,
               sum(not_executed)::BIGINT, sum(failed_attempts)::BIGINT,
               list_sort(list_distinct(flatten(list(failure_reasons))))
        FROM marts.handovers_quarterly WHERE {cond} AND list_contains(?, quarter)
        GROUP BY ALL""", [*params, quarters])  # noqa: S608 (the filter is Scope's, values bound)
    span = f"{quarter_label(quarters[0])} à {quarter_label(quarters[-1])}"
    title = f"<h2>Remises et transferts Dublin aux autres États ({span})</h2>"
    if not rows:
        return (f'<section id="remises">{title}<p>Aucune remise ni transfert Dublin décidé '
                f"entre {quarter_label(quarters[0])} et {quarter_label(quarters[-1])}.</p>"
                "</section>")
    folder = ("dans le dossier du département" if scope.department
              else "dans le dossier de chaque département")
    example = FILE_NAME.format(quarter="AAAATn", day=scope.run_date)
    return (f'<section id="remises">{title}<div class="wide">{_by_quarter(rows, quarters)}'
            f"{_by_state(rows, quarters)}</div><p>Par nationalité et État de destination : un "
            f"fichier par trimestre ({html.escape(example)}) {folder}.</p></section>")


def _by_quarter(rows: list[tuple], quarters: list[str]) -> str:
    def line(label: str, chosen: list[tuple]) -> str:
        decided, executed, waiting, failed = (sum(r[i] for r in chosen) for i in range(2, 6))
        reasons = sorted({reason for r in chosen for reason in r[6]})
        share = percent(executed / decided) if decided else "—"
        cells = (label, whole(decided), whole(executed), whole(waiting), share, whole(failed),
                 ", ".join(reasons) or "—")
        return text_row(cells)

    body = "".join(line(quarter_label(q), [r for r in rows if r[0] == q]) for q in quarters)
    return ('<table class="handovers"><tr><th>Trimestre de la décision</th><th>Décidées</th>'
            "<th>Exécutées</th><th>Non exécutées</th><th>Part exécutée</th>"
            "<th>Tentatives échouées</th><th>Motifs d'échec</th></tr>"
            f"{body}{line('Total', rows)}</table>")


def _by_state(rows: list[tuple], quarters: list[str]) -> str:
    """Decided by destination State and quarter, the STATES_NAMED most frequent States
    first (then by name), the others in one row, then the totals."""
    decided: dict[str, dict[str, int]] = {}
    for quarter, state, measures, *_ in rows:
        by_quarter = decided.setdefault(state, {})
        by_quarter[quarter] = by_quarter.get(quarter, 0) + measures
    order = sorted(decided, key=lambda s: (-sum(decided[s].values()), state_in_french(s)))
    # one State left over is named, not summed as "1 autres États"
    named, others = ((order, []) if len(order) <= STATES_NAMED + 1
                     else (order[:STATES_NAMED], order[STATES_NAMED:]))

    def line(label: str, states: list[str]) -> str:
        counts = [sum(decided[s].get(q, 0) for s in states) for q in quarters]
        cells = (label, *(whole(c) for c in counts), whole(sum(counts)))
        return text_row(cells)

    body = "".join(line(state_in_french(s), [s]) for s in named)
    if others:
        body += line(f"{len(others)} autres États", others)
    head = "".join(f"<th>{quarter_label(q)}</th>" for q in quarters)
    return ('<table class="states-handed"><tr><th>État de destination (décidées)</th>'
            f"{head}<th>Total</th></tr>{body}{line('Total', order)}</table>")
