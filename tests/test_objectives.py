"""Objectives (issue 35, item 5): targets read from a settings file chosen by option,
environment or default, and each indicator shown against its target month by month and
year to date."""

from __future__ import annotations

import html
import re
from datetime import date

import duckdb
import pytest

from dashboards import build as dashboard
from dashboards.objectives import objectives_from, objectives_table
from flows.settings import DEFAULT_OBJECTIVES, objectives_file, read_objectives
from tests.conftest import SAMPLE_AS_OF
from tests.test_preflight import _run

RUN = date(2026, 11, 16)


def test_a_department_takes_its_own_targets_over_those_all_departments_share():
    objectives = objectives_from({
        "national": {"eloignements_par_trimestre": 4000},
        "departement": {"part_oqtf_dans_15_jours": 0.8},
        "departements": {"13": {"eloignements_par_trimestre": 90}}})
    assert objectives.for_scope(None).eloignements_par_trimestre == 4000
    assert objectives.for_scope(None).part_oqtf_dans_15_jours is None
    own = objectives.for_scope("13")
    assert (own.part_oqtf_dans_15_jours, own.eloignements_par_trimestre) == (0.8, 90)
    other = objectives.for_scope("2A")
    assert (other.part_oqtf_dans_15_jours, other.eloignements_par_trimestre) == (0.8, None)


@pytest.mark.parametrize(("settings", "expected"), [
    ({"national": {"eloignements": 3}}, "[national] eloignements: unknown target"),
    ({"departement": {"part_oqtf_dans_15_jours": 80}}, "part_oqtf_dans_15_jours = 80"),
    ({"nationale": {}}, "unknown table [nationale]"),
])
def test_a_wrong_target_is_refused_naming_it(settings, expected):
    with pytest.raises(ValueError, match=re.escape(expected)):
        objectives_from(settings)


def test_the_file_comes_from_the_option_else_the_environment_else_the_defaults(
        tmp_path, monkeypatch):
    monkeypatch.delenv("RECONCILE_OBJECTIVES_FILE", raising=False)
    assert objectives_file() == DEFAULT_OBJECTIVES
    assert read_objectives(DEFAULT_OBJECTIVES).for_scope(None).part_oqtf_dans_15_jours == 0.8
    monkeypatch.setenv("RECONCILE_OBJECTIVES_FILE", str(tmp_path / "env.toml"))
    assert objectives_file() == tmp_path / "env.toml"
    assert objectives_file(tmp_path / "option.toml") == tmp_path / "option.toml"
    (tmp_path / "bad.toml").write_text("[national]\npart_oqtf_dans_15_jours = 'beaucoup'\n")
    with pytest.raises(ValueError, match=r"^objectives .*bad\.toml: \[national\]"):
        read_objectives(tmp_path / "bad.toml")


def test_a_wrong_objectives_file_is_refused_by_the_command_in_one_line(tmp_path):
    (tmp_path / "o.toml").write_text("[national\n")
    result, _ = _run("--inbox", "data/sample/inbox", "--warehouse", str(tmp_path / "w.duckdb"),
                     "--exports", str(tmp_path / "x"), "--as-of", "2026-11-16",
                     "--objectives", str(tmp_path / "o.toml"))
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "o.toml" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def cells(page: str) -> dict[str, list[str]]:
    """Each indicator's row: its cells as text."""
    rows = re.findall(r"<tr><td>(.*?)</td>(.*?)</tr>", html.unescape(page))
    return {name: [re.sub(r"<[^>]+>", " ", c).split() for c in
                   re.findall(r"<td[^>]*>(.*?)</td>", rest)] for name, rest in rows}


def test_each_indicator_against_its_target_month_by_month_and_year_to_date():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.objectives_monthly AS "
                "SELECT * FROM (VALUES ('13', '2026-10', 'OQTF_WITHIN_15_DAYS', 1, 2), "
                "('13', '2026-11', 'OQTF_WITHIN_15_DAYS', 3, 3), "
                "('13', '2026-11', 'REMOVALS_EXECUTED', 40, NULL), "
                "('13', '2025-11', 'REMOVALS_EXECUTED', 999, NULL)) "
                "t(department, month, indicator, achieved, base)")
    objectives = objectives_from({"departement": {"part_oqtf_dans_15_jours": 0.8,
                                                  "eloignements_par_trimestre": 90}})
    page = objectives_table(con, dashboard.Scope("13", RUN, "r"), objectives)
    rows = cells(page)
    oqtf = rows["Part des rejets définitifs suivis d'une OQTF dans les 15 jours"]
    assert len(oqtf) == 1 + 11  # the year to date, then the run's month back to January
    # French typography: a no-break space before % (split here as any space)
    assert oqtf[2] == ["50", "%", "(1/2)", "objectif", "80", "%", ":", "non", "atteint"]
    assert oqtf[1] == ["100", "%", "(3/3)", "objectif", "80", "%", ":", "atteint"]
    assert oqtf[0] == ["80", "%", "(4/5)", "objectif", "80", "%", ":", "atteint"]
    assert "50\u00a0%" in page
    assert oqtf[11] == ["—"]  # no rejection in January: no share
    removals = rows["Éloignements exécutés"]
    # 90 a quarter: 30 a month, 16 days of November so far (16.0), 320 days of the year.
    assert removals[1][:3] == ["40", "objectif", "16"] and "atteint" in removals[1]
    assert removals[0][:3] == ["40", "objectif", "316"] and "non" in removals[0]
    assert rows["Laissez-passer consulaires obtenus"][0] == ["0"]  # no target set


def test_a_count_meets_a_prorated_target_from_the_next_whole_number():
    """README (each month against its target, atteint or non atteint; a quarterly target
    prorated): 10 a quarter is 3.4 in January, so 3 removals miss it, and the cell says
    the target a count must reach (4), never "objectif 3 : non atteint"."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.objectives_monthly AS "
                "SELECT * FROM (VALUES ('13', '2026-01', 'REMOVALS_EXECUTED', 3, NULL), "
                "('13', '2026-02', 'REMOVALS_EXECUTED', 4, NULL)) "
                "t(department, month, indicator, achieved, base)")
    objectives = objectives_from({"departement": {"eloignements_par_trimestre": 10}})
    rows = cells(objectives_table(con, dashboard.Scope("13", RUN, "r"), objectives))
    february, january = rows["Éloignements exécutés"][-2:]
    assert january == ["3", "objectif", "4", ":", "non", "atteint"]
    assert february[:3] == ["4", "objectif", "4"] and "non" not in february


def test_national_counts_are_set_against_their_targets_only_for_the_whole_country():
    """The national page of a warehouse holding one prefecture's departments would read its
    removals against the country's quarterly target, "non atteint" every month: counts
    are compared only when every department is delivered; a share always is."""
    from schemas.codes import DEPARTMENTS

    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.objectives_monthly AS "
                "SELECT * FROM (VALUES ('13', '2026-11', 'OQTF_WITHIN_15_DAYS', 3, 4), "
                "('13', '2026-11', 'REMOVALS_EXECUTED', 40, NULL)) "
                "t(department, month, indicator, achieved, base)")
    con.execute("CREATE SCHEMA audit; CREATE TABLE audit.source_freshness (run_id VARCHAR, "
                "system VARCHAR, unit VARCHAR)")
    # tonight's units: department 13 only (MESURES of 2A alone, an earlier run's 84)
    con.execute("INSERT INTO audit.source_freshness VALUES ('r', 'agdref', 'PERSONNES_13'), "
                "('r', 'agdref', 'MESURES_13'), ('r', 'agdref', 'MESURES_2A'), "
                "('r', 'genesis', 'E01301'), ('earlier', 'agdref', 'PERSONNES_84')")
    objectives = objectives_from({"national": {"part_oqtf_dans_15_jours": 0.8,
                                               "eloignements_par_trimestre": 4000}})
    national = dashboard.Scope(None, RUN, "r")
    page = objectives_table(con, national, objectives)
    rows = cells(page)
    assert rows["Éloignements exécutés"][1] == ["40"]
    assert rows["Part des rejets définitifs suivis d'une OQTF dans les 15 jours"][1][3:] == [
        "objectif", "80", "%", ":", "non", "atteint"]
    assert (f"les données couvrent 1 département sur {len(DEPARTMENTS)}"
            in html.unescape(page))
    shares_only = objectives_from({"national": {"part_oqtf_dans_15_jours": 0.8}})
    assert "les données couvrent" not in objectives_table(con, national, shares_only)
    con.executemany("INSERT INTO audit.source_freshness VALUES ('r', 'agdref', ?)",
                    [[f"PERSONNES_{d}"] for d in DEPARTMENTS])
    whole_country = objectives_table(con, national, objectives)
    assert cells(whole_country)["Éloignements exécutés"][1][:2] == ["40", "objectif"]
    assert "les données couvrent" not in whole_country


def test_every_page_shows_the_objectives(sample_warehouse):
    (run_id,) = sample_warehouse.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    for department in (None, "13"):
        page = dashboard.render(sample_warehouse, dashboard.Scope(department, SAMPLE_AS_OF,
                                                                  run_id),
                                read_objectives(DEFAULT_OBJECTIVES))
        assert '<section id="objectifs">' in page and "objectif 80\u00a0%" in page


def test_counts_and_shares_read_as_french_writes_them():
    from dashboards.french import percent, whole

    assert whole(14071) == "14\u202f071" and whole(316) == "316"
    assert percent(1 / 3) == "33\u00a0%"
    # half up, as a reader rounds (audit of 2026-12-07: round() gave the even "12 %")
    assert (percent(1 / 8), percent(5 / 8), percent(0.005)) == (
        "13\u00a0%", "63\u00a0%", "1\u00a0%")
