"""What a manager reads (dashboards, the workspace's home and lists) agrees with what the
department folders hold the same night: a flag that moved to another department's list
is new where it arrived (`Nouveau`) and resolved where it left (`resolus`), on every page
that counts it. Each test was written by an audit of 2026-12-07 and failed before."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import polars as pl

from dashboards import build as dashboard
from dashboards.outcomes import lists_by_night
from schemas import codes
from schemas import exports as contract
from schemas.published import Run
from tests.builders import row
from tests.scenarios import Inbox
from transforms.publish import export
from transforms.warehouse import tables

N1, N2, N3 = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)


def _trace(figure: dict, name: str) -> list:
    return next(t for t in figure["data"] if t.get("name") == name)["y"]


def _csv(path) -> pl.DataFrame:
    return pl.read_csv(path, separator=";", infer_schema=False, encoding="utf8-lossy")


def _moved_flag(tmp_path, con):
    """Night 1: a final rejection on 84's TélémOfpra list (domicile 84) is listed in 84.
    Night 2: 13's list gives the same decision with domicile 13 (RULES, Boundaries: the
    latest list decides): the flag (same flag_id) moves from 84's list to 13's
    (the setting of tests/test_exports.py's department-move test)."""
    inbox = Inbox(tmp_path / "inbox", con, marts=True).person()
    inbox.telemofpra_in("84", date(2026, 10, 9), DEPT_DOMICILIATION="84")
    flag = inbox.decide(N1).only_listed(codes.REJECTED)
    assert flag["department"] == "84"
    inbox.agdref("PERSONNES", N2)
    inbox.telemofpra(N2, DEPT_DOMICILIATION="13")
    moved = inbox.decide(N2).only_listed(codes.REJECTED)
    assert (moved["department"], moved["flag_id"]) == ("13", flag["flag_id"])
    return flag


def test_dashboard_new_tonight_counts_a_flag_that_arrived_from_another_department(
        tmp_path, con):
    """README, department folder: "A column `Nouveau` says `oui` for a flag that appeared
    tonight, or that arrived tonight from another department's list"; the dashboard's
    card and the national table's "Nouveaux cette nuit" are what is new tonight on the
    lists (dashboards/cards.py: "as the cards count it"). A manager of 13 must read on
    the dashboard the same number of new flags as 13's export marks `oui`.

    Before (audit of 2026-12-07), dashboards/cards.py COUNTED counted `first_seen_date =
    $day` only, where export.py `_cells` adds `department_before != department`: the flag
    that moved to 13 tonight was `Nouveau = oui` in 13's CSV but "0 nouveau cette nuit"
    on 13's card and 0 in the national table's column (schemas.exports
    .new_in_its_department now counts it for both)."""
    _moved_flag(tmp_path, con)
    lists = export.load_lists(con, N2)
    export.write_department(lists, "13", tmp_path / "13", N2)
    rows = _csv(tmp_path / "13" / f"rejected_without_oqtf_{N2:%Y%m%d}.csv")
    new_in_export = rows.filter(pl.col("Nouveau") == contract.YES).height
    assert new_in_export == 1  # the export says: new in 13 tonight
    scope = dashboard.Scope("13", N2, f"test-{N2}")
    card = next(c for c in dashboard.headline(con, scope) if c.label == "Déboutés sans OQTF")
    assert "1 nouveau cette nuit" in card.detail, card.detail


def test_dashboard_nights_chart_agrees_with_the_resolus_file_of_a_department_a_flag_left(
        tmp_path, con):
    """README, department folder: `resolus_<YYYYMMDD>.csv` holds "the flags that left a
    list tonight and why ... `MOVED_TO_ANOTHER_DEPARTMENT`"; the dashboards show "the
    three lists night by night from `worklists.flag_history` (open, ... new and
    resolved)". On 84's page the night its only flag left, the lists drop from 1 to 0:
    the chart must draw that flag as resolved (as 84's resolus file lists it), and 13's
    as new (as 13's export marks it), so that open(n) = open(n-1) + new - resolved.

    Before (audit of 2026-12-07), dashboards/outcomes.py lists_by_night counted
    worklists.flag_history's status by the row's department; the moved flag's row is OPEN
    under 13: 84 showed open 1 -> 0 with 0 resolved (its chart even ended on night 1, its
    line still at 1 flag open, as flag_history holds no row of 84 for night 2), 13 showed
    open 0 -> 1 with 0 new."""
    _moved_flag(tmp_path, con)
    lists = export.load_lists(con, N2)
    resolved_84 = lists[contract.RESOLVED].filter(pl.col("department") == "84")
    assert resolved_84.height == 1  # 84's resolus file says its flag left tonight
    figure_84 = lists_by_night(con, dashboard.Scope("84", N2, f"test-{N2}"))
    figure_13 = lists_by_night(con, dashboard.Scope("13", N2, f"test-{N2}"))
    nights_84 = figure_84["data"][0]["x"]
    assert nights_84[-1] == f"{N2:%d/%m}", figure_84["data"]
    assert _trace(figure_84, "résolus")[-1] == 1, figure_84["data"]
    assert _trace(figure_13, "nouveaux")[-1] == 1, figure_13["data"]


def test_the_cards_say_the_flags_resolved_tonight_as_the_resolus_file_lists_them(
        tmp_path, con):
    """A manager reads at a glance what is new, open, resolved and overdue (outputs audit
    of 2026-12-07: "résolus cette nuit" was only a bar of the nights chart). The card of
    the list a flag left says it left, where it left (84: its resolus file), not where it
    went (13); the national card counts it once."""
    from dashboards.cards import headline

    _moved_flag(tmp_path, con)
    for department, resolved in (("84", "1 sorti"), ("13", "0 sorti"), (None, "1 sorti")):
        cards = {c.label: c.detail for c in headline(
            con, dashboard.Scope(department, N2, f"test-{N2}"))}
        assert f"{resolved} de la liste" in cards["Déboutés sans OQTF"], (department, cards)


def test_a_department_s_first_flagged_night_is_not_hidden_as_the_warehouse_s_first(
        tmp_path, con):
    """README, "For managers": the nights chart ... "the warehouse's first night, where
    every flag is new, draws no bar of new flags once later nights follow it".

    Night 1 (the warehouse's first): a flag in 13 only. Night 2: a first flag in 84, new
    that night. Night 3: nothing changes. 84's page must draw night 2's new flag: it is
    news, not the warehouse's first load.

    Before (audit of 2026-12-07), dashboards/outcomes.py lists_by_night took as the first
    night the page's own department's first in flag_history; nights_figure then blanked
    night 2's bar on 84's page and annotated it "1re nuit : tout est nouveau"."""
    inbox = Inbox(tmp_path / "inbox", con, marts=True).person()
    inbox.telemofpra(date(2026, 10, 9))
    assert inbox.decide(N1).only_listed(codes.REJECTED)["department"] == "13"
    inbox.agdref("PERSONNES", N2)
    inbox.agdref("PERSONNES", N2, NUM_AGDREF="0500000001", NOM="KONE", PRENOMS="ISSA",
                 DATE_NAISSANCE="02/02/1981", DEPT_GESTION="84")
    inbox.telemofpra_in("84", date(2026, 11, 13), NUM_OFPRA="OF20250000002",
                        NUM_AGDREF="0500000001", NOM="KONE", PRENOMS="ISSA",
                        DATE_NAISSANCE="02/02/1981", DEPT_DOMICILIATION="84")
    night2 = inbox.decide(N2)
    assert sorted(r["department"] for r in night2.listed(codes.REJECTED)) == ["13", "84"]
    inbox.agdref("PERSONNES", N3)
    inbox.agdref("PERSONNES", N3, NUM_AGDREF="0500000001", NOM="KONE", PRENOMS="ISSA",
                 DATE_NAISSANCE="02/02/1981", DEPT_GESTION="84")
    inbox.decide(N3)
    figure = lists_by_night(con, dashboard.Scope("84", N3, f"test-{N3}"))
    assert _trace(figure, "nouveaux") == [1, 0], figure["data"]
    assert "annotations" not in figure["layout"]


def test_the_national_table_has_a_row_for_every_department_with_a_folder(tmp_path, con):
    """README, "For managers": the national page shows "the list sizes (...; nationally, a
    row per department too: the three lists, the rejections past their 15 days, the
    releases within 8 weeks, the legal alerts, the flags new tonight and the late
    sources)"; and "a department with nothing to do still gets its (empty) files"
    (department folder, export.export_departments).

    Department 84 sent a TélémOfpra list 38 days old (late: PRI-01, 8 days), whose only
    rejection is not proven final (RTR_END_UNCONFIRMED): 84 gets a folder and a dashboard
    with empty lists, and its late source must be read on the national table. The page
    also says which departments it covers.

    Before, dashboards/build.py built the table and "Départements couverts cette nuit"
    from cards.flag_counts, which holds only departments with a row on some list: 84,
    with its folder, page and late source, was absent from both (its link too). The
    night now gives the national page the departments it gave a folder (Scope.folders)."""
    inbox = Inbox(tmp_path / "inbox", con, marts=True).person()
    inbox.telemofpra(date(2026, 11, 13))
    inbox.telemofpra_in("84", date(2026, 10, 9), NUM_OFPRA="OF20250000002", NUM_AGDREF="",
                        NOM="KONE", PRENOMS="ISSA", DATE_NAISSANCE="02/02/1981",
                        DEPT_DOMICILIATION="84", DATE_DEFINITIVE="")
    night = inbox.decide(N1)
    assert night.only_listed(codes.REJECTED)["department"] == "13"
    assert [e["reason_code"] for e in night.excluded(codes.REJECTED)
            if e["department"] == "84"] == ["RTR_END_UNCONFIRMED"]
    assert export.export_departments(con) == ["13", "84"]  # 84 gets its folder
    run_id = f"test-{N1}"
    units = dashboard.source_freshness(con, run_id, "84")
    assert [u.is_late for u in units] == [True]  # its list is late
    page = dashboard.render(con, dashboard.Scope(None, N1, run_id,
                                                 tuple(export.export_departments(con))))
    table = re.search(r'<table class="departments">.*?</table>', page).group(0)
    assert 'href="84/tableau_de_bord.html"' in table, table
    assert "Départements couverts cette nuit : 13, 84." in page


def test_workspace_new_since_last_night_agrees_with_the_export_s_nouveau(tmp_path, con):
    """README, workspace: "Mes listes: the three worklists and the legal alerts, filtered
    by "new since last night"", the home page counting "N nouveaux cette nuit"; README,
    department folder: "A column `Nouveau` says `oui` for a flag that appeared tonight, or
    that arrived tonight from another department's list". A unit of 13 that follows the
    home page's "nouveaux cette nuit" link must find the flag its export calls new.

    Before (audit of 2026-12-07), workspace/lists/queries.py list_sql (filters.new) and
    workspace/lists/sql/home_counts.sql counted `first_seen_date = max(run_date)` only:
    the flag that moved to 13 tonight was missing from both (0 new), while 13's CSV says
    `Nouveau = oui`."""
    from workspace.lists import queries

    flag = _moved_flag(tmp_path, con)
    lists = export.load_lists(con, N2)
    export.write_department(lists, "13", tmp_path / "13", N2)
    rows = _csv(tmp_path / "13" / f"rejected_without_oqtf_{N2:%Y%m%d}.csv")
    assert rows.filter(pl.col("Nouveau") == contract.YES)["Identifiant signalement"].to_list() \
        == [flag["flag_id"]]
    home = queries.home_counts(con, ["13"])
    assert home[codes.REJECTED]["new"] == 1, home
    new = queries.list_rows(con, codes.REJECTED, ["13"], queries.ListFilters(new=True))
    assert [r["flag_id"] for r in new.rows] == [flag["flag_id"]]


def test_workspace_list_page_names_the_published_night_even_when_it_has_no_flag_row(
        tmp_path, con):
    """README, analysts: `worklists.flag_history_runs` holds one row per "night that wrote
    the history (`run_date`), even a night without any flag"; the workspace's list page
    reads "Nuit du <date>" for "the latest night the published warehouse holds"
    (workspace/lists/sql/last_night.sql), and its "new since last night" filter compares
    first_seen_date with that night.

    Night 1: a rejected flag. Night 2: AGDREF records the OQTF (not yet enforceable): the
    flag is resolved. Night 3: nothing on any list, nothing resolved. The page must say
    night 3.

    Before (audit of 2026-12-07), last_night.sql (and the lists' "new") read max(run_date)
    of the view worklists.flag_history, which has no row for a night with no flag and no
    resolution: the page said "Nuit du 17/11/2026" on night 3."""
    from workspace.lists import queries

    inbox = Inbox(tmp_path / "inbox", con, marts=True).person()
    inbox.telemofpra(date(2026, 10, 9))
    inbox.decide(N1).only_listed(codes.REJECTED)
    inbox.agdref("PERSONNES", N2)
    inbox.agdref("MESURES", N2, DATE_DECISION="10/11/2026", DATE_NOTIFICATION="12/11/2026")
    night2 = inbox.decide(N2)
    assert not night2.listed(codes.REJECTED) and not night2.listed(codes.MEASURES)
    inbox.agdref("PERSONNES", N3)
    inbox.agdref("MESURES", N3, DATE_DECISION="10/11/2026", DATE_NOTIFICATION="12/11/2026")
    inbox.decide(N3)
    assert con.execute("SELECT max(run_date) FROM worklists.flag_history_runs"
                       ).fetchall() == [(N3,)]
    assert queries.last_night(con) == N3


def _relisted(tmp_path, con):
    """Night 1: a rejected flag. Night 2: AGDREF records an OQTF (not yet enforceable):
    the flag is resolved. Night 3: the OQTF is annulled: the same flag (same flag_id)
    is back on the list."""
    inbox = Inbox(tmp_path / "inbox", con, marts=True).person()
    inbox.telemofpra(date(2026, 10, 9))
    first = inbox.decide(N1).only_listed(codes.REJECTED)
    oqtf = {"DATE_DECISION": "10/11/2026", "DATE_NOTIFICATION": "12/11/2026"}
    inbox.agdref("PERSONNES", N2)
    inbox.agdref("MESURES", N2, **oqtf)
    assert not inbox.decide(N2).listed(codes.REJECTED)
    inbox.agdref("PERSONNES", N3)
    inbox.agdref("MESURES", N3, STATUT="ANNULEE", **oqtf)
    again = inbox.decide(N3).only_listed(codes.REJECTED)
    assert again["flag_id"] == first["flag_id"]
    return again


def test_first_seen_date_is_what_readme_txt_and_the_column_comment_say(tmp_path, con):
    """CONTRACTS §3: `<exports>/<DEPT>/README.txt` "describing the columns"; §2: every
    column has a `COMMENT`. A flag listed on night 1, resolved on night 2 and listed
    again on night 3 has the start of its current stay as `first_seen_date` (night 3:
    new again, and an "OQTF prise" recorded before it no longer counts,
    transforms/publish/handling.py). Before (audit of 2026-12-07), README.txt said
    "apparu pour la première fois" and the COMMENT "first appeared": night 1."""
    flag = _relisted(tmp_path, con)
    assert flag["first_seen_date"] == N3
    comment = con.execute(
        "SELECT comment FROM duckdb_columns() WHERE schema_name = 'worklists' "
        "AND table_name = 'rejected_without_oqtf' AND column_name = 'first_seen_date'"
    ).fetchall()[0][0]
    assert "current stay on the list began" in comment and "came back" in comment
    header, text = contract.COLUMNS[codes.REJECTED]["first_seen_date"]
    assert header == "Première apparition" and "présence actuelle" in text
    assert "repart de la nuit de son retour" in text


def test_the_rejections_chart_runs_up_to_the_week_of_the_run_date(tmp_path, con):
    """README, "For managers": "rejections covered by an OQTF week by week"; the other
    weekly charts draw every week up to the run date's (dashboards/outcomes.py _weeks:
    "weeks of nothing up to tonight are news, never cut off the axis").

    A single final rejection known on 09/10/2026, the page dated 16/11/2026: the chart
    must end at the week of 16/11 (five weeks without a new rejection are news for a
    manager), not at the week of the last rejection.

    Before (audit of 2026-12-07), dashboards/charts.py rejections_trend built its weeks
    from the mart's weeks only: the last bar was "sem. du 05/10/26", which a manager reads
    as the latest week."""
    from dashboards.charts import rejections_trend

    inbox = Inbox(tmp_path / "inbox", con, marts=True).person()
    inbox.telemofpra(date(2026, 10, 9))
    inbox.decide(N1).only_listed(codes.REJECTED)
    figure = rejections_trend(con, dashboard.Scope("13", N1, f"test-{N1}"))
    weeks = figure["data"][0]["x"]
    assert weeks[-1] == "sem. du 16/11/26", weeks


def test_after_a_replay_the_workspace_says_new_what_the_replayed_nights_exports_say(
        con, tmp_path):
    """README, operations: `run --replay`: "Allow an --as-of before the night already
    published: the units' lists and exports go back to that day." schemas/exports.py
    new_in_its_department: the workspace counts a row new "as the exports' `Nouveau`
    says"; workspace/lists/queries.py _new_last_night: "whether a row of the list is new
    in its department on the last night, as the exports' `Nouveau` says".

    Nights of 02/11 and 11/11, then the operator replays 04/11 (each night recorded in
    audit.runs, as the flow does). The published lists are 04/11's, and its export writes
    `Nouveau = oui` for detainee B (listed since the list of 03/11; not on the list of
    02/11). Before (audit of 2026-12-07), the workspace took "the last night" as the
    latest run date of the flag history (11/11): B was not new, nor was anyone, and the
    page read 11/11 above lists of 04/11. Now it is the latest successful run's date."""
    from tests.scenarios import Inbox
    from workspace.lists.queries import ListFilters, last_night, list_rows

    detainee_b = row("genesis", NUM_ECROU="000102", NOM="HADDAD", PRENOMS="OMAR",
                     DATE_NAISSANCE="02/02/1980")
    def night(day: date):
        out = inbox.decide(day)
        started = datetime(2026, 11, 20, 2, 0) + timedelta(hours=len(runs))
        runs.append(day)
        tables.insert_frame(con, "audit.runs", tables.model_frame([{
            "run_id": f"run-{len(runs)}", "as_of_date": day, "started_at": started,
            "finished_at": started + timedelta(minutes=5), "status": "SUCCEEDED"}], Run))
        return out

    runs: list[date] = []
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.genesis(date(2026, 11, 1), row("genesis"))
    night(date(2026, 11, 2))
    inbox.genesis(date(2026, 11, 3), row("genesis"), detainee_b)
    night(date(2026, 11, 11))
    replay = date(2026, 11, 4)
    out = night(replay)  # the replayed night: its lists are published
    listed = {r["person_key"]: r for r in out.listed("upcoming_releases")}
    b = listed["genesis:E01301:000102"]
    assert b["first_seen_date"] == replay  # new on the replayed night, as its export says

    new_in_workspace = {r["person_key"] for r in list_rows(
        con, "upcoming_releases", ["13"], ListFilters(new=True)).rows}
    # the workspace's night and its "new" filter, against the published lists' night
    assert (last_night(con), "genesis:E01301:000102" in new_in_workspace) == (replay, True)
