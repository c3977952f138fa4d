"""The dashboard as a manager sees it: rendered by headless Chromium (Debian package),
every chart drawn, no request leaving the machine, counts only; a screenshot is saved
to test-output/ for a person to look at."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import polars as pl
import pytest

from dashboards import build as dashboard
from dashboards import charts
from dashboards.french import CHECKS, check_in_words
from tests.conftest import PROJECT_ROOT, SAMPLE_AS_OF, SAMPLE_DIR, desktop_tool

SCREENSHOTS = PROJECT_ROOT / "test-output"
PAGE_LIMIT_BYTES = 1_500_000  # issue 35: a hundred departments' pages a night
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@pytest.fixture(scope="module")
def pages(sample_warehouse, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboards")
    (run_id,) = sample_warehouse.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    written = {}
    # 971: a department with no row anywhere, whose every chart has nothing to draw.
    for department in (None, "13", "971"):
        scope = dashboard.Scope(department, SAMPLE_AS_OF, run_id)
        name = department or "national"
        record = dashboard.write_page(sample_warehouse, scope, folder / f"{name}.html")
        written[name] = (folder / f"{name}.html", record)
    return written


def test_every_chart_is_what_plotly_would_have_built(sample_warehouse):
    """Pages draw plain figure data without plotly's validators (for speed): each chart
    must pass them unchanged (a misspelt property raises, a coerced value differs)."""
    import plotly.graph_objects as go

    (run_id,) = sample_warehouse.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    for department in (None, "13"):
        scope = dashboard.Scope(department, SAMPLE_AS_OF, run_id)
        for chart in dashboard.CHARTS:
            figure = chart(sample_warehouse, scope)
            assert figure["data"] and figure["layout"]["template"]["layout"], chart.__name__
            assert go.Figure(figure).to_dict() == figure, chart.__name__
    with pytest.raises(ValueError, match="colour"):
        go.Figure({"data": [charts.bar(["a"], [1], colour="red")], "layout": {}})


def test_pages_hold_no_person(pages):
    persons = pl.concat([pl.read_csv(p, separator=";", infer_schema=False)
                         for p in (SAMPLE_DIR / "inbox" / "agdref").glob("AGDREF_PERSONNES_*")])
    plotly_js = dashboard.plotly_script()
    for path, record in pages.values():
        text = path.read_text(encoding="utf-8").replace(plotly_js, "")
        assert record["rows"] == 0 and len(record["sha256"]) == 64
        numbers = set(re.findall(r"\d{10}", text))
        assert numbers.isdisjoint(persons["NUM_AGDREF"].drop_nulls().to_list())
        for surname in persons["NOM"].drop_nulls().unique().to_list()[:300]:
            assert f">{surname}<" not in text and f'"{surname}"' not in text
        assert "http://" not in text and "https://" not in text


def test_chromium_draws_every_chart_without_network(pages):
    chromium = desktop_tool("chromium")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for name, (path, _) in pages.items():
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                requests, errors = [], []
                page.on("request", lambda r, seen=requests: seen.append(r.url))
                page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_function("document.querySelectorAll('.main-svg').length > 0")
                drawn = page.evaluate("""() => [...document.querySelectorAll(
                    '.plotly-graph-div')].map(d => ({id: d.id,
                    marks: d.querySelectorAll('.point path, .scatterlayer path').length,
                    ticks: d.querySelectorAll('.xtick, .ytick').length,
                    notes: [...d.querySelectorAll('.annotation-text')].map(a => a.textContent)
                }))""")
                page.screenshot(path=str(SCREENSHOTS / f"dashboard_{name}.png"), full_page=True)
                # on a laptop's 1024 px, the page never scrolls sideways (the objectives'
                # twelve months scroll in their own box)
                page.set_viewport_size({"width": 1024, "height": 800})
                page.wait_for_timeout(300)
                widths = page.evaluate("[document.documentElement.scrollWidth, "
                                       "document.documentElement.clientWidth]")
                page.close()
                assert widths[0] <= widths[1], (name, widths)
                assert errors == []
                # Only the page itself: no script, font or image fetched from anywhere.
                assert requests == [path.as_uri()], requests
                assert [d["id"] for d in drawn] == [f"chart-{c.__name__}"
                                                    for c in dashboard.CHARTS]
                assert path.stat().st_size <= PAGE_LIMIT_BYTES, (name, path.stat().st_size)
                for chart in drawn:
                    # Drawn: bars on axes, or no axes and a sentence saying why.
                    assert (chart["marks"] > 0 and chart["ticks"] > 0) or (
                        chart["notes"] and chart["ticks"] == 0), chart
                if name == "971":
                    assert all(c["notes"] and c["notes"][0].startswith("Aucun")
                               for c in drawn), drawn
        finally:
            browser.close()
    assert (SCREENSHOTS / "dashboard_national.png").stat().st_size > 10_000


def freshness_rows(page: str) -> list[list[str]]:
    """The freshness panel's rows as text cells, in the page's order."""
    section = re.search(r'<section id="fraicheur">(.*?)</section>', page, re.S)
    assert section, "no freshness panel"
    return [[html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", section.group(1))[1:]]


def test_freshness_panel_per_department_and_national_late_first(sample_warehouse):
    """Item 2: the latest delivery of each source unit, late ones first. In the sample
    the prison E01302 (department 13) last sent its list on 20/10, 27 days before; a
    prison reads by its name, its code beside it."""
    (run_id,) = sample_warehouse.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    page = {d: dashboard.render(sample_warehouse, dashboard.Scope(d, SAMPLE_AS_OF, run_id))
            for d in (None, "13", "2A")}
    rows_13 = freshness_rows(page["13"])
    assert rows_13[0] == ["GENESIS", "CENTRE PENITENTIAIRE 13-2 (E01302)", "20/10/2026",
                          "27 j", "en retard (plus de 16 j)"]
    assert all(r[-1] == "à jour" for r in rows_13[1:])
    assert {r[1] for r in rows_13} == {"MAISON D'ARRET 13-1 (E01301)",
                                       "CENTRE PENITENTIAIRE 13-2 (E01302)", "13", "personnes (13)",
                                       "titres (13)", "mesures (13)", "événements (13)"}
    assert "1 source en retard sur 7" in page["13"]
    rows_2a = freshness_rows(page["2A"])
    assert len(rows_2a) == 7 and all(r[-1] == "à jour" for r in rows_2a)
    assert "Les 7 sources sont à jour." in page["2A"]
    national = freshness_rows(page[None])
    assert len(national) == 14
    assert national[0] == ["GENESIS", "CENTRE PENITENTIAIRE 13-2 (E01302)", "13",
                           "20/10/2026", "27 j", "en retard (plus de 16 j)"]
    ages = [int(r[4].removesuffix(" j")) for r in national[1:]]
    assert ages == sorted(ages, reverse=True)


def test_freshness_panel_of_a_department_with_no_delivery(sample_warehouse):
    (run_id,) = sample_warehouse.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    page = dashboard.render(sample_warehouse, dashboard.Scope("971", SAMPLE_AS_OF, run_id))
    assert freshness_rows(page) == []
    assert "Aucune livraison connue à cette date pour ce périmètre." in page


def test_pages_are_light_and_carry_the_basic_bundle_of_plotlys_version(pages):
    """Item 6: each page ≤ 1.5 MB with the chart library inline; the vendored bundle is the
    plotly.js version plotly's Python package was made for (its template and figures)."""
    from plotly.offline import get_plotlyjs

    version = re.search(r"plotly\.js v(\S+)", get_plotlyjs()[:300]).group(1)
    script = dashboard.plotly_script()
    assert f"plotly.js (basic - minified) v{version}" in script[:200]
    for path, _ in pages.values():
        text = path.read_text(encoding="utf-8")
        assert script in text and 1_000_000 < len(text.encode()) <= PAGE_LIMIT_BYTES
        assert text.count("plotly_white") <= 1 and text.count('"template"') == 0


def test_an_empty_chart_says_so_in_words_without_axes(sample_warehouse):
    (run_id,) = sample_warehouse.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    for chart in dashboard.CHARTS:
        empty = chart(sample_warehouse, dashboard.Scope("971", SAMPLE_AS_OF, run_id))
        layout = empty["layout"]
        assert layout["xaxis"]["visible"] is False and layout["yaxis"]["visible"] is False
        assert layout["annotations"][0]["text"].startswith("Aucun"), chart.__name__
        full = chart(sample_warehouse, dashboard.Scope("13", SAMPLE_AS_OF, run_id))
        if chart.__name__ != "quarantine_tonight":
            assert "annotations" not in full["layout"], chart.__name__


def test_quarantine_reasons_read_in_french(con, ingest_into):
    """Every check a row of the bad-input corpus fails has French words, never
    `isin(['M', 'F'])`."""
    ingest_into(con, PROJECT_ROOT / "tests" / "corpus" / "inbox")
    checks = con.sql("SELECT DISTINCT column_name, check_name FROM audit.quarantine"
                     ).fetchall()
    assert len(checks) >= 8
    for column, check in checks:
        words = check_in_words(column, check)
        assert not words.startswith("contrôle ") and "(" not in words.split(" (")[0], check
    assert check_in_words("SEXE", "isin(['M', 'F'])") == CHECKS["isin"]
    # the checks the ingest makes beside the contracts' (transforms/ingest/validate.py)
    for check in ("cell_error", "field_count", "unique_in_file", "establishment_of_the_file",
                  "department_of_the_establishment"):
        assert not check_in_words("QUANTUM_TOTAL_JOURS", check).startswith("contrôle"), check
    assert check_in_words("DATE_DECISION", "str_matches('^\\d{2}$')").startswith("date")
    assert check_in_words("NOM", "str_length(None, 200)") == "texte de plus de 200 caractères"


def _trace(figure: dict, name: str) -> list:
    return next(t for t in figure["data"] if t.get("name") == name)["y"]


def test_what_a_manager_sees_beyond_the_lists(sample_warehouse):
    """Item 4: the lists night by night from the flag history, execution outcomes,
    consular passes (and those waiting, by how long), return aid and the handovers, each
    from its mart and summing to it."""
    from dashboards import outcomes

    con = sample_warehouse
    (run_id,) = con.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    scope = dashboard.Scope("13", SAMPLE_AS_OF, run_id)
    listed = sum(con.execute(f"SELECT count(*) FROM worklists.{t} WHERE department = '13'"  # noqa: S608
                             ).fetchall()[0][0]
                 for t in ("rejected_without_oqtf", "upcoming_releases", "unexecuted_measures"))
    nights = outcomes.lists_by_night(con, scope)
    assert nights["data"][0]["x"] == [f"{SAMPLE_AS_OF:%d/%m}"]
    assert (_trace(nights, "sur les listes (échelle de droite)"), _trace(nights, "nouveaux"),
            _trace(nights, "résolus")) == ([listed], [listed], [0])

    def total(sql: str) -> int:
        return con.execute(sql + " WHERE department = '13'").fetchall()[0][0]

    executed = outcomes.execution_outcomes(con, scope)
    weeks = executed["data"][0]["x"]
    assert len(weeks) <= outcomes.TREND_WEEKS and _week_by_week(weeks)
    first = _monday(weeks[0]).isocalendar()
    in_weeks = con.execute("SELECT sum(events) FROM marts.execution_outcomes WHERE "
                           "department = '13' AND iso_week >= ?",
                           [f"{first[0]}-W{first[1]:02d}"]).fetchall()[0][0]
    assert sum(sum(t["y"]) for t in executed["data"]) == in_weeks > 0
    reasons = outcomes.failure_reasons(con, scope)["data"][0]
    assert sum(reasons["x"]) == total("SELECT sum(events) FILTER (WHERE outcome = 'FAILURE') "
                                      "FROM marts.execution_outcomes")
    waiting = outcomes.passes_waiting(con, scope)["data"][0]
    assert sum(waiting["y"]) == total("SELECT sum(pending) FROM marts.consular_passes_pending")
    # bands of days in words, a year where a year is meant ("366-1095 j" read as a code)
    assert waiting["x"] == ["jusqu'à 30 j", "31 à 90 j", "91 à 180 j", "plus de 180 j"]
    assert dashboard.charts.measures_by_age(con, scope)["data"][0]["x"] == [
        "jusqu'à 90 j", "91 j à 1 an", "1 à 3 ans", "plus de 3 ans"]
    assert dashboard.charts.overdue_backlog(con, scope)["data"][0]["x"] == [
        "dans le délai", "1 à 30 j", "31 à 90 j", "91 j à 1 an", "plus d'un an"]
    aid = outcomes.return_aid(con, scope)["data"][0]
    assert sum(aid["y"]) > 0
    # the axis goes to the run date's week, weeks of nothing included (it stopped at the
    # last week a proposal was made)
    assert weeks[-1] == aid["x"][-1] == f"sem. du {SAMPLE_AS_OF:%d/%m/%y}"
    passes = outcomes.consular_passes(con, scope)
    assert [t["name"] for t in passes["data"]] == ["demandés", "obtenus", "refusés"]
    # The handovers of the quarters the remises files hold, as of the page's date: the
    # same counts as the files (schemas.handovers.quarters), not the last quarters found;
    # a row per quarter, then the destination States by quarter, never a row per
    # nationality and State (288 of them on a department's synthetic year, in the files)
    from dashboards.handovers import STATES_NAMED, handovers_section
    from schemas.handovers import quarters as file_quarters

    for run_date in (SAMPLE_AS_OF, date(2027, 6, 1)):
        later = dashboard.Scope("13", run_date, "r")
        section = handovers_section(con, later)
        in_files = file_quarters(run_date)[::-1]  # oldest first, as the page reads
        found = dict(con.execute(
            "SELECT quarter, sum(measures) FROM marts.handovers_quarterly "
            "WHERE department = '13' AND list_contains(?, quarter) GROUP BY ALL",
            [in_files]).fetchall())
        by_quarter, by_state = re.findall(r"<table.*?</table>", section)
        shown = re.findall(r"<tr><td>(\d{4} T\d|Total)</td><td>([\d\u202f]+)</td>", by_quarter)
        assert [q for q, _ in shown] == [q.replace("-Q", " T") for q in in_files] + ["Total"]
        assert [int(n.replace("\u202f", "")) for _, n in shown] == [
            found.get(q, 0) for q in in_files] + [sum(found.values())]
        states = re.findall(r"<tr><td>([^<]+)</td>((?:<td>[\d\u202f]+</td>)+)</tr>", by_state)
        assert len(states) <= STATES_NAMED + 2  # the States named, the others, the total
        counts = [[int(n.replace("\u202f", "")) for n in re.findall(r"[\d\u202f]+", cells)]
                  for _, cells in states]
        assert states[-1][0] == "Total" and counts[-1] == [
            found.get(q, 0) for q in in_files] + [sum(found.values())]
        assert [sum(column) for column in zip(*counts[:-1], strict=True)] == counts[-1]
        assert all(row[-1] == sum(row[:-1]) for row in counts)
        assert f"{in_files[0].replace('-Q', ' T')} à {in_files[-1].replace('-Q', ' T')}" \
            in section
    assert found and len(found) < len(in_files)  # 2027: older quarters no longer shown
    assert "Remises et transferts Dublin" in section
    assert "remises_AAAATn_20270601.csv" in section  # where the rows by nationality are


def test_legal_alerts_by_week_of_the_forbidden_step(sample_warehouse):
    """Every legal alert on the list with a date is drawn once, in its week, new tonight
    or already signalled; every week of the axis is drawn, up to the run date's, the older
    alerts in one first bar. Before (outputs audit of 2026-12-07), only the weeks with an
    alert were drawn, side by side however far apart: a steady rate that was not."""
    from dashboards import outcomes

    con = sample_warehouse
    counted = dict(con.execute("SELECT department, count(*) FROM worklists.legal_alerts "
                               "WHERE event_date IS NOT NULL GROUP BY ALL").fetchall())
    for department in (None, *counted):
        scope = dashboard.Scope(department, SAMPLE_AS_OF, "r")
        chart = outcomes.legal_alerts(con, scope)
        drawn = sum(sum(t["y"]) for t in chart["data"])
        assert drawn == (sum(counted.values()) if department is None else counted[department])
        weeks = [w for w in (chart["data"][0]["x"] if chart["data"] else [])
                 if w != "plus anciennes"]
        mondays = [_monday(w) for w in weeks]
        assert all((b - a).days == 7 for a, b in zip(mondays, mondays[1:], strict=False)), \
            mondays
        assert mondays[-1] == SAMPLE_AS_OF - timedelta(days=SAMPLE_AS_OF.weekday())
    assert sum(counted.values()) > 0  # the sample has some
    empty = outcomes.legal_alerts(con, dashboard.Scope("971", SAMPLE_AS_OF, "r"))
    assert empty["layout"]["annotations"][0]["text"] == "Aucune alerte juridique en cours."


def test_the_headline_counts_what_is_new_on_each_list_in_agreeing_french(sample_warehouse):
    """Each card says how many of its rows the night brought, and French agrees the
    noun with its count (0 and 1 singular)."""
    from dashboards.build import headline
    from schemas.exports import counted

    assert [counted(n, "nouveau", "nouveaux") for n in (0, 1, 2)] == [
        "0 nouveau", "1 nouveau", "2 nouveaux"]
    con = sample_warehouse
    (run_id,) = con.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    cards = {card.label: card.detail for card in
             headline(con, dashboard.Scope("13", SAMPLE_AS_OF, run_id))}
    for label, table in (("Libérations à venir", "upcoming_releases"),
                         ("Mesures non exécutées", "unexecuted_measures")):
        new = con.execute(f"SELECT count(*) FROM worklists.{table} WHERE department = '13' "  # noqa: S608
                          "AND first_seen_date = ?", [SAMPLE_AS_OF]).fetchall()[0][0]
        assert cards[label].endswith(f"{counted(new, 'nouvelle', 'nouvelles')} cette nuit")
    # what needs action this week: OQTFs falling due, answers due to the prisons,
    # identities to confirm
    due, answers, identities = con.execute(
        "SELECT (SELECT count(*) FROM worklists.rejected_without_oqtf WHERE department = '13' "
        "AND oqtf_due_date BETWEEN $d AND $d + 7), (SELECT count(*) FROM "
        "worklists.upcoming_releases WHERE department = '13' AND list_contains(markers, "
        "'PRISON_ANSWER_DUE')), (SELECT count(*) FROM worklists.upcoming_releases WHERE "
        "department = '13' AND situation = 'IDENTITY_TO_CONFIRM')",
        {"d": SAMPLE_AS_OF}).fetchall()[0]
    assert f"{due} à prendre dans les 7 jours" in cards["Déboutés sans OQTF"]
    assert f"{counted(answers, 'réponse due', 'réponses dues')} à l'établissement" in cards[
        "Libérations à venir"]
    assert f"{counted(identities, 'identité', 'identités')} à confirmer" in cards[
        "Libérations à venir"]


def _monday(label: str) -> date:
    """The Monday a chart's week is named by ("sem. du 30/11/26")."""
    return datetime.strptime(label.removeprefix("sem. du "), "%d/%m/%y").date()


def _week_by_week(labels: list[str]) -> bool:
    """Weeks in order, none left out: a week without a row is drawn as nothing."""
    mondays = [_monday(w) for w in labels]
    return all((b - a).days == 7 for a, b in zip(mondays, mondays[1:], strict=False))


def test_weeks_are_named_by_their_monday_and_none_is_left_out():
    from dashboards.french import every_week, week_label

    assert every_week(["2026-W19", "2026-W22"], 26) == [
        "2026-W19", "2026-W20", "2026-W21", "2026-W22"]
    assert every_week(["2026-W01", "2026-W40"], 3) == ["2026-W38", "2026-W39", "2026-W40"]
    assert every_week(["2026-W52", "2027-W01"], 26) == ["2026-W52", "2026-W53", "2027-W01"]
    assert len(every_week(["2026-W01", "2026-W40"])) == 40  # no bound: the whole span
    assert week_label("2026-W49") == "sem. du 30/11/26"


def test_a_few_units_are_counted_on_whole_ticks():
    from dashboards.charts import bar, figure

    few = figure([bar(["a", "b"], [1, 2]), bar(["a", "b"], [0, 1])], "t", "vide")
    assert few["layout"]["yaxis"]["dtick"] == 1  # never 0,5 alerte
    many = figure([bar(["a", "b"], [40, 200])], "t", "vide")
    assert "dtick" not in many["layout"].get("yaxis", {})
    flat = figure([bar([2, 3], ["x", "y"], orientation="h")], "t", "vide")
    assert flat["layout"]["xaxis"]["dtick"] == 1


def test_the_national_page_names_the_departments_it_covers_and_shows_them_first(
        sample_warehouse):
    (run_id,) = sample_warehouse.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    page = dashboard.render(sample_warehouse, dashboard.Scope(None, SAMPLE_AS_OF, run_id))
    # a department with legal alerts alone has a row too (PRI-07: a pending claim)
    departments = [d for (d,) in sample_warehouse.execute(
        "SELECT DISTINCT department FROM worklists.upcoming_releases UNION SELECT DISTINCT "
        "department FROM worklists.rejected_without_oqtf UNION SELECT DISTINCT department "
        "FROM worklists.unexecuted_measures UNION SELECT DISTINCT department "
        "FROM worklists.legal_alerts ORDER BY 1").fetchall()]
    assert f"Départements couverts cette nuit : {', '.join(departments)}." in page
    assert page.index("<h2>Par département</h2>") < page.index('id="fraicheur"')
    # each department as its own page's cards count it, and its late sources
    table = re.search(r'<table class="departments">.*?</table>', page).group(0)
    rows = re.findall(r'<tr><td><a href="(\d\w)/tableau_de_bord.html">\1 \(([^<]+)\)</a></td>'
                      r"(.*?)</tr>", table)
    assert [d for d, _, _ in rows] == departments
    # each named as a manager names it
    assert dict((d, name) for d, name, _ in rows) == {"13": "Bouches-du-Rhône",
                                                      "2A": "Corse-du-Sud"}
    rows = [(d, cells) for d, _, cells in rows]
    day = SAMPLE_AS_OF

    def count(sql: str, department: str, *params) -> int:
        return sample_warehouse.execute(sql + " AND department = ?",
                                        [*params, department]).fetchall()[0][0]

    units = dashboard.source_freshness(sample_warehouse, run_id, None)
    for department, cells in rows:
        shown = [int(c.replace("\u202f", "")) for c in re.findall(r"<td[^>]*>([^<]*)</td>", cells)]
        new = sum(count(f"SELECT count(*) FROM worklists.{t} WHERE first_seen_date = ?",  # noqa: S608
                        department, day)
                  for t in ("rejected_without_oqtf", "upcoming_releases", "unexecuted_measures",
                            "legal_alerts"))
        assert shown == [
            count("SELECT count(*) FROM worklists.rejected_without_oqtf WHERE true", department),
            count("SELECT count(*) FROM worklists.rejected_without_oqtf WHERE days_overdue > 0",
                  department),
            count("SELECT count(*) FROM worklists.upcoming_releases WHERE true", department),
            count("SELECT count(*) FROM worklists.upcoming_releases WHERE release_date "
                  "BETWEEN ? AND ? + 56", department, day, day),
            count("SELECT count(*) FROM worklists.unexecuted_measures WHERE true", department),
            count("SELECT count(*) FROM worklists.legal_alerts WHERE true", department),
            new,
            sum(u.is_late for u in units if u.department == department)], department
    assert any(u.is_late for u in units)  # the sample has a late source: it is counted
    assert '<td class="late">' in table


def test_counts_on_the_axes_are_written_as_french_writes_them(tmp_path):
    """A national backlog of thousands: the axis reads 20 000 (a narrow no-break space
    between thousands, as the headline's counts), never plotly's 20k."""
    from playwright.sync_api import sync_playwright

    chart = charts.figure([charts.bar(["sem. 1", "sem. 2"], [12_000, 24_500])], "t", "vide")
    page_file = tmp_path / "chart.html"
    page_file.write_text(
        f"<html><head><meta charset='utf-8'><script>{dashboard.plotly_script()}</script>"
        f"</head><body><script>{charts.charts_setup()}</script>"
        f"{charts.chart_html(chart, 'c')}</body></html>", encoding="utf-8")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=desktop_tool("chromium"),
                                         args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.ytick').length > 0")
            ticks = page.evaluate("() => [...document.querySelectorAll('.ytick text')]"
                                  ".map(t => t.textContent)")
        finally:
            browser.close()
    assert "20\u202f000" in ticks, ticks
    assert not any(t.endswith("k") for t in ticks), ticks


def test_releases_beyond_the_horizon_are_one_bar_and_the_weeks_stay_readable():
    """An identity to confirm is listed whatever its release date (PRI-09): a release in
    2029 drew every week up to it (128 bars of 3 px, the 8 weeks a unit plans for lost
    among them). The planning horizon's weeks are drawn one by one, then 'plus tard',
    then the releases without a date, each bar named."""
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.upcoming_releases AS SELECT * FROM "
                "(VALUES ('13', '2026-W48', 'ENFORCEABLE_MEASURE', 2), "
                "('13', '2027-W11', 'MEASURE_TO_EXAMINE', 1), "  # 15/03/27: run + 17 weeks
                "('13', '2027-W12', 'IDENTITY_TO_CONFIRM', 1), "  # 22/03/27: beyond
                "('13', '2029-W15', 'IDENTITY_TO_CONFIRM', 3), "
                "('13', 'sans date', 'IDENTITY_TO_CONFIRM', 5), "
                "('13', 'date passée', 'IDENTITY_TO_CONFIRM', 4)) "
                "t(department, release_week, situation, detainees)")
    chart = charts.releases_ahead(con, dashboard.Scope("13", date(2026, 11, 16), "r"))
    x = chart["data"][0]["x"]
    assert len(x) == 1 + 17 + 2 and x[-2:] == ["plus tard", "sans date"]
    # a release date already past (PRI-09) comes first: it was drawn after the weeks
    assert x[:2] == ["date passée", "sem. du 23/11/26"] and x[-3] == "sem. du 15/03/27"
    later = {trace["name"]: trace["y"][-2] for trace in chart["data"]}
    assert sum(later.values()) == 1 + 3
    assert sum(trace["y"][0] for trace in chart["data"]) == 4


def test_the_manager_reads_counts_in_french_and_late_sources_before_the_objectives(
        sample_warehouse):
    """Counts as French writes them (14 071) in the cards and the handling table, and a
    late source said before the objectives and the handling: the first screen holds what
    a manager acts on."""
    (run_id,) = sample_warehouse.sql("SELECT min(run_id) FROM audit.files").fetchall()[0]
    page = dashboard.render(sample_warehouse, dashboard.Scope("13", SAMPLE_AS_OF, run_id))
    assert page.index('id="fraicheur"') < page.index('id="objectifs"') < page.index(
        'id="etats"')
    values = re.findall(r'<div class="value">([^<]*)</div>', page)
    assert values and all(re.fullmatch(r"\d{1,3}(\u202f\d{3})*", v) for v in values), values


def test_the_rejections_chart_gives_the_objective_s_share_once_the_15_days_are_over():
    """The objective is an OQTF within 15 days of the knowledge date (OQ-02): the share
    above a week's bar is that one (not an OQTF at any time, which read as nearly met),
    written as French writes it, and a week whose rejections may still get theirs in time
    says so ('en cours')."""
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.rejections_oqtf AS SELECT * FROM "
                "(VALUES ('13', '2026-W44', 'GIN', 10, 8, 2), "  # 26/10-01/11: days over
                "('13', '2026-W45', 'GIN', 4, 1, 1)) "  # 02/11-08/11: 08/11 + 15 = 23/11
                "t(department, iso_week, nationality, final_rejections, oqtf_issued, "
                "oqtf_within_deadline)")
    chart = charts.rejections_trend(con, dashboard.Scope("13", date(2026, 11, 17), "r"))
    # the weeks of 09/11 and 16/11, without a rejection, are drawn up to the run date's
    assert chart["data"][0]["text"] == ["20\u00a0%", "en cours", "", ""]
    assert "part dans les 15 jours" in chart["layout"]["title"]["text"]


def test_destination_states_read_in_french():
    """The handovers' States as a manager names them, not as ISO codes."""
    from dashboards.handovers import state_in_french

    assert [state_in_french(c) for c in ("DEU", "NLD", "MDA", "INCONNU", "XKX")] == [
        "Allemagne", "Pays-Bas", "Moldavie", "État inconnu", "XKX"]


def test_the_first_night_s_load_does_not_flatten_the_nights_after_it():
    """On the warehouse's first night every flag is new: its bar (the whole lists) set
    the scale, and the nights after it read as flat lines. With later nights drawn, it
    has no bar of new flags and says why; a first night alone, or out of the window,
    is drawn as it is."""
    import plotly.graph_objects as go

    from dashboards.outcomes import nights_figure

    first, second, third = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)
    rows = [(first, 3190, 3190, 0), (second, 3015, 45, 233), (third, 3020, 12, 7)]
    drawn = nights_figure(rows, first)
    assert _trace(drawn, "nouveaux") == [None, 45, 12]
    assert _trace(drawn, "résolus") == [0, 233, 7]
    # the lists on a scale of their own: a few dozen new or resolved are not flat under
    # thousands listed
    listed = next(t for t in drawn["data"] if t["name"].startswith("sur les listes"))
    assert listed["y"] == [3190, 3015, 3020] and listed["yaxis"] == "y2"
    assert drawn["layout"]["yaxis2"]["overlaying"] == "y"
    assert [a["text"] for a in drawn["layout"]["annotations"]] == [
        "1re nuit :<br>tout est<br>nouveau"]
    assert _trace(nights_figure(rows[1:], first), "nouveaux") == [45, 12]
    assert _trace(nights_figure(rows[:1], first), "nouveaux") == [3190]
    assert "annotations" not in nights_figure(rows[:1], first)["layout"]
    assert go.Figure(drawn).to_dict() == drawn  # what plotly would have built


def test_a_card_whose_list_rests_on_a_late_source_says_which():
    """PRI-01: a list built from an old prison list says so where the manager reads its
    count, not only in the freshness table below: the card of the releases names the
    late prison; the cards of lists that do not read it say nothing."""
    from dashboards.cards import Card
    from dashboards.freshness import UnitFreshness

    prison = UnitFreshness("genesis", "E01302", "13", date(2026, 10, 21), 27, 16, True,
                           "CENTRE PENITENTIAIRE 13-2")
    current = UnitFreshness("agdref", "PERSONNES_13", "13", date(2026, 11, 17), 0, 2, False)
    releases = Card("Libérations à venir", 76, "", ("genesis", "agdref"))
    rejected = Card("Déboutés sans OQTF", 582, "", ("telemofpra", "agdref"))
    measures = Card("Mesures non exécutées", 2337, "", ("agdref",))
    note = dashboard.late_note(releases, [prison, current])
    assert "Source en retard : CENTRE PENITENTIAIRE 13-2 (E01302) (27 j)" in note
    assert dashboard.late_note(rejected, [prison, current]) == ""
    assert dashboard.late_note(measures, [prison, current]) == ""
    others = [UnitFreshness("genesis", f"E0130{n}", "13", date(2026, 10, 1), 47, 16, True)
              for n in range(3)]
    assert "Sources en retard : 3 (voir « Fraîcheur des sources »)" in html.unescape(
        dashboard.late_note(releases, others))
    assert "Sources en retard : E01300 (47 j), E01301 (47 j)" in dashboard.late_note(
        releases, others[:2])
    late_agdref = UnitFreshness("agdref", "MESURES_13", "13", date(2026, 11, 10), 7, 2, True)
    assert "mesures (13) (7 j)" in dashboard.late_note(measures, [late_agdref])


def test_the_sample_s_late_prison_is_said_on_the_releases_card(pages, sample_warehouse):
    # each card names the sources its list is decided from, the files' card none
    cards = {card.label: card.sources for card in dashboard.headline(
        sample_warehouse, dashboard.Scope("13", SAMPLE_AS_OF, "r"))}
    assert cards == {"Déboutés sans OQTF": ("telemofpra", "agdref"),
                     "Libérations à venir": ("genesis", "agdref"),
                     "Mesures non exécutées": ("agdref",),
                     "Alertes juridiques": ("telemofpra", "agdref"),
                     "Fichiers reçus cette nuit": ()}
    page = pages["13"][0].read_text(encoding="utf-8")
    assert "<h1>Département 13 (Bouches-du-Rhône) — tableau de bord au" in page
    releases = re.search(r'Libérations à venir</div>.*?</div></div>', page, re.S).group(0)
    assert "Source en retard" in releases
