"""Each flag's state and assignee as the night finds them (issue 34 §4: "the lists,
exports and dashboards show each flag's state and assignee"): copied from the workspace's
decisions into core.agent_decisions, put on the worklists, the CSV/XLSX exports and the
static dashboard, in the workspace's own words; and a manager withdrawing or changing an
assignment, which the next night honours."""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

import polars as pl
import pytest

from dashboards.handling import counts_by_state, handling_table
from dashboards.scope import Scope
from schemas import codes
from tests.scenarios import RUN
from tests.workspace_world import World, client_for, next_night
from transforms.publish import export
from transforms.publish.handling import with_handling

REJECTED, RELEASES, MEASURES = codes.REJECTED, codes.RELEASES, codes.MEASURES


def test_a_flags_state_is_its_latest_outcome_or_holder_and_a_later_examination():
    rows = pl.DataFrame({"flag_id": ["a", "b", "c", "d", "e", "f"],
                         "person_key": ["p1", "p2", "p3", "p4", "p5", "p6"],
                         "department": ["13", "13", "13", "13", "13", "2A"]})
    at = [datetime(2026, 11, d) for d in range(1, 10)]
    decisions = pl.DataFrame([
        ("TAKEN", "b", "p2", "13", "agent13", at[0]),
        ("NOT_PURSUED", "c", "p3", "13", None, at[1]),
        ("ASSIGNED", "c", "p3", "13", "agent13b", at[2]),
        # the person's examination on another ground, later than the flag's outcome
        ("OQTF_TAKEN", "d", "p4", "13", None, at[3]),
        ("OTHER_GROUND_UNDER_EXAMINATION", "x", "p4", "75", None, at[4]),
        # ... and earlier than it
        ("OTHER_GROUND_UNDER_EXAMINATION", "y", "p5", "13", None, at[5]),
        ("NEXT_STEP", "e", "p5", "13", None, at[6]),
        # a flag now on 2A's list, taken and not pursued by 13 when it was 13's: 2A's
        ("TAKEN", "f", "p6", "13", "agent13", at[7]),
        ("NOT_PURSUED", "f", "p6", "13", None, at[8]),
    ], schema=["kind", "flag_id", "person_key", "department", "assignee", "decided_at"],
        orient="row")
    handled = with_handling(rows, decisions)
    assert handled.select("flag_id", "handling_state", "assignee").rows() == [
        ("a", "TO_DO", None), ("b", "IN_PROGRESS", "agent13"),
        ("c", "NOT_PURSUED", "agent13b"), ("d", codes.OTHER_GROUND, None),
        ("e", "NEXT_STEP", None), ("f", "TO_DO", None)]
    assert with_handling(rows, decisions.clear())["handling_state"].to_list() == ["TO_DO"] * 6


@contextmanager
def own_installation(workspace_app, tmp_path) -> Iterator:
    """The workspace on a copy of the world's warehouse with its own operational
    database (no decision of the other modules), on the day of the world's lists."""
    from django.test import override_settings

    from tests.workspace_world import on_fresh_sqlite

    (tmp_path / "own").mkdir()
    own = World(tmp_path / "own" / "warehouse.duckdb", workspace_app.world.flags)
    shutil.copyfile(workspace_app.world.warehouse, own.warehouse)
    with (on_fresh_sqlite(workspace_app, own) as ws,
          override_settings(RECONCILE_WAREHOUSE=own.warehouse),
          mock.patch("django.utils.timezone.localdate", return_value=RUN)):
        yield ws


def night_state(con, worklist: str, key: str) -> tuple:
    return con.execute(f"SELECT handling_state, assignee FROM worklists.{worklist} "  # noqa: S608
                       "WHERE flag_id = ?", [key]).fetchall()[0]


def post(ws, login: str, name: str, action: str = "decisions/", **form) -> int:
    worklist = {"rejected": REJECTED, "measure": MEASURES, "release": RELEASES}[
        name.split("_")[0]]
    url = f"/listes/{worklist}/{ws.world.flags[name]['flag_id']}/{action}"
    return client_for(ws, login).post(url, form).status_code


def test_the_night_shows_each_flags_state_and_assignee_as_the_workspace_does(
        workspace_app, tmp_path):
    from tests.workspace_world import PASSWORD
    from workspace.accounts.models import Account
    from workspace.accounts.registry import add_account
    from workspace.decisions import state
    from workspace.decisions.models import DecisionEvent

    flags = workspace_app.world.flags
    with own_installation(workspace_app, tmp_path) as ws:
        assert post(ws, "agent13", "measure_13", kind="TAKEN") == 302
        assert post(ws, "agent13", "measure_13", kind="NEXT_STEP", step="HOUSE_ARREST") == 302
        assert post(ws, "manager13", "release_13", "attribution/", agent="agent13") == 302
        assert post(ws, "agent75", "rejected_75", kind="OQTF_TAKEN",
                    fact_date="2026-11-15") == 302
        assert post(ws, "agent75", "rejected_75", kind="COMMENT", note="vu") == 302
        # 75's unit handled rejected_13 when it was on 75's list (a domicile since moved):
        # its holder and outcome are 75's, the flag is to do in 13, for an account of
        # both departments too (the night partitions them so: decisions_in_force.sql)
        moved, agent75 = flags["rejected_13"], Account.objects.get(username="agent75")
        for kind, reason in (("TAKEN", ""), ("NOT_PURSUED", "LEFT_FRANCE")):
            DecisionEvent.objects.create(
                kind=kind, worklist=REJECTED, flag_id=moved["flag_id"], reason=reason,
                person_key=moved["person_key"], department="75", decided_by=agent75,
                effective_date=RUN)
        ws.accounts["both"] = add_account("both", "agent", ["13", "75"], PASSWORD)
        shown = client_for(ws, "both").get(f"/listes/{REJECTED}/{moved['flag_id']}/")
        assert 'id="action-TAKEN"' in shown.content.decode()
        assert "personne ne l'a pris en charge" in html.unescape(shown.content.decode())
        live = {(w, flags[n]["flag_id"]): state.state_of(
                    state.list_states(w, ["13", "75"]), flags[n]["flag_id"],
                    flags[n]["department"], flags[n]["person_key"])
                for n, w in (("measure_13", MEASURES), ("release_13", RELEASES),
                             ("rejected_75", REJECTED), ("rejected_13", REJECTED))}
        con = next_night(ws, tmp_path)
    expected = {MEASURES: ("NEXT_STEP", "agent13"), RELEASES: ("IN_PROGRESS", "agent13")}
    for (worklist, key), shown in live.items():
        night = night_state(con, worklist, key)
        assert night == (shown.state, shown.assignee or None)  # the workspace's reading
        if worklist in expected:
            assert night == expected[worklist]
    assert night_state(con, REJECTED, flags["rejected_75"]["flag_id"]) == ("OQTF_TAKEN", None)
    assert night_state(con, REJECTED, flags["rejected_13"]["flag_id"]) == ("TO_DO", None)

    folder = tmp_path / "exports" / "13"
    export.write_department(export.load_lists(con, RUN), "13", folder, RUN)
    measures = pl.read_csv(folder / f"{MEASURES}_{RUN:%Y%m%d}.csv", separator=";",
                           infer_schema=False, encoding="utf8")
    assert ["État", "État (en clair)", "Attribué à"] == [
        h for h in measures.columns if h.startswith(("État", "Attribué"))]
    assert measures.select("État", "État (en clair)", "Attribué à").rows() == [
        ("NEXT_STEP", "Étape planifiée", "agent13")]
    releases = pl.read_excel(folder / f"{RELEASES}_{RUN:%Y%m%d}.xlsx")
    assert releases.select("État (en clair)", "Attribué à").rows() == [("En cours", "agent13")]
    readme = (folder / "README.txt").read_text(encoding="utf-8-sig")
    assert "État (en clair) : La colonne précédente en toutes lettres" in readme
    assert "IN_PROGRESS : en cours" in readme and "Attribué à : Identifiant" in readme

    counts = counts_by_state(con, Scope("13", RUN, "night"))
    assert counts["NEXT_STEP"][MEASURES] == 1 and counts["IN_PROGRESS"][RELEASES] == 1
    assert counts["TO_DO"][REJECTED] == 1 and counts["OQTF_TAKEN"][REJECTED] == 0  # 75's
    page = handling_table(con, Scope("13", RUN, "night"))
    assert '<tr data-state="NEXT_STEP"><td>étape planifiée</td><td>0</td><td>0</td><td>1</td>' \
        in page
    assert counts_by_state(con, Scope("75", RUN, "night"))["OQTF_TAKEN"][REJECTED] == 1
    con.close()


def test_a_manager_withdraws_or_changes_an_assignment_and_the_night_honours_it(
        workspace_app, tmp_path):
    from workspace.decisions.models import DecisionEvent

    key = workspace_app.world.flags["release_13"]["flag_id"]
    with own_installation(workspace_app, tmp_path) as ws:
        assert post(ws, "manager13", "release_13", "attribution/retrait/") == 400  # no one
        assert post(ws, "manager13", "release_13", "attribution/", agent="agent13") == 302
        page = client_for(ws, "manager13").get(f"/listes/{RELEASES}/{key}/").content.decode()
        assert 'id="action-UNASSIGNED"' in page and "Réattribuer" in page
        assert post(ws, "agent13", "release_13", "attribution/retrait/") == 403
        assert post(ws, "agent75", "release_13", "attribution/retrait/") == 403
        assert post(ws, "manager13", "release_13", "attribution/", agent="manager13") == 302
        changed = next_night(ws, tmp_path / "changed")
        assert night_state(changed, RELEASES, key) == ("IN_PROGRESS", "manager13")
        changed.close()
        assert post(ws, "manager13", "release_13", "attribution/retrait/") == 302
        page = client_for(ws, "agent13").get(f"/listes/{RELEASES}/{key}/").content.decode()
        assert "attribution retirée à manager13, à traiter de nouveau" in page
        assert "personne ne l'a pris en charge" in page
        listed = client_for(ws, "agent13").get(f"/listes/{RELEASES}/",
                                               {"state": "TO_DO", "assignee": "-"})
        assert key in listed.content.decode()
        kinds = [(e.kind, e.decided_by.username, e.assigned_to.username)
                 for e in DecisionEvent.objects.filter(flag_id=key)]
        assert kinds == [("ASSIGNED", "manager13", "agent13"),
                         ("ASSIGNED", "manager13", "manager13"),
                         ("UNASSIGNED", "manager13", "manager13")]
        event = DecisionEvent.objects.get(kind="UNASSIGNED")
        with pytest.raises(Exception, match="never"):
            event.delete()
        con = next_night(ws, tmp_path)
    assert night_state(con, RELEASES, key) == ("TO_DO", None)
    assert "UNASSIGNED" not in {k for (k,) in con.execute(
        "SELECT kind FROM core.agent_decisions").fetchall()}
    con.close()
