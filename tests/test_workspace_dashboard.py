"""The department dashboard (issue 34 §3, §4): for agents and managers, what their
departments did week by week: flags handled (once each, in the week of the first
outcome), by outcome, and the median days from the night a flag was first seen to the
day it was handled. Need to know in the query: another department's decisions are never
counted, whatever the request asks. Server-rendered: tables and SVG bars, no script."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest

from tests.scenarios import RUN
from tests.workspace_world import _workspace_on, client_for, on_database

URL = "/tableau-de-bord/"


@contextmanager
def on_empty_database(workspace, backend: str, folder):
    """A database holding no decision yet (the shared one holds other tests' decisions)."""
    if backend == "postgresql":
        with on_database(workspace, backend) as ws:
            yield ws
        return
    from workspace.options import WorkspaceOptions, database_config

    config = database_config(WorkspaceOptions(warehouse=folder / "empty.duckdb"))
    with _workspace_on(workspace.world, config) as ws:
        yield ws


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ws(workspace_app, request, tmp_path_factory):
    with on_empty_database(workspace_app, request.param,
                           tmp_path_factory.mktemp("dashboard")) as switched:
        record_week(switched)
        yield switched


def decide(ws, login: str, name: str, kind: str, days_after_run: int, **fields):
    from workspace.decisions.models import DecisionEvent

    flag = ws.world.flags[name]
    worklist = {"rejected": "rejected_without_oqtf", "release": "upcoming_releases",
                "measure": "unexecuted_measures"}[name.split("_")[0]]
    DecisionEvent.objects.create(
        kind=kind, worklist=worklist, flag_id=flag["flag_id"],
        person_key=flag["person_key"], department=flag["department"],
        decided_by=ws.accounts[login], effective_date=RUN + timedelta(days=days_after_run),
        **fields)


def record_week(ws):
    """The week of the lists (Monday RUN): 13 answers the prison after 2 days and plans
    the next step on a measure after 4, then no longer pursues it (not counted again);
    75 records an OQTF taken after 1 day. The week after, 13 opens an examination on
    another ground (9 days). Taking and commenting are not handling."""
    assert RUN.weekday() == 0
    decide(ws, "agent13", "release_13", "TAKEN", 0)
    decide(ws, "agent13", "release_13", "PRISON_ANSWER", 2, taken_in_charge=True)
    decide(ws, "agent13", "measure_13", "COMMENT", 1, note="appel")
    decide(ws, "agent13", "measure_13", "NEXT_STEP", 4, step="SUMMONS")
    decide(ws, "manager13", "measure_13", "NOT_PURSUED", 5, reason="LEFT_FRANCE")
    decide(ws, "agent75", "rejected_75", "OQTF_TAKEN", 1, fact_date=RUN)
    decide(ws, "agent13", "rejected_13", "OTHER_GROUND_UNDER_EXAMINATION", 9)


def week_row(page: str, monday: str) -> str:
    start = page.index(f'<th scope="row">{monday}</th>')
    return page[start:page.index("</tr>", start)]


def cells(row: str) -> list[str]:
    return [c.split("</td>")[0].split(" <small>")[0] for c in row.split("<td>")[1:]]


def test_flags_handled_per_week_by_outcome_with_the_median_delay(ws):
    assert all(f["first_seen_date"] == RUN for f in ws.world.flags.values())
    response = client_for(ws, "agent13").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    # handled, OQTF prise, autre fondement, réponse donnée, étape planifiée, non poursuivi
    # (its first outcome only), median days from first seen
    assert cells(week_row(page, "16/11/2026"))[:7] == ["2", "0", "0", "1", "1", "0", "3"]
    assert cells(week_row(page, "23/11/2026"))[:7] == ["1", "0", "1", "0", "0", "0", "9"]
    assert page.index("23/11/2026") < page.index("16/11/2026")  # the latest week first
    assert 'class="next_step"' in page and 'class="prison_answer"' in page


def test_another_departments_decisions_are_never_counted(ws):
    from workspace.dashboard.activity import first_outcomes

    assert {h.outcome for h in first_outcomes(["75"])} == {"OQTF_TAKEN"}
    assert "OQTF_TAKEN" not in {h.outcome for h in first_outcomes(["13"])}
    for asked in ({}, {"departement": "75"}, {"departement": "' OR 1=1 --"}):
        page = client_for(ws, "agent13").get(URL, asked).content.decode()
        assert cells(week_row(page, "16/11/2026"))[:3] == ["2", "0", "0"]
    page = client_for(ws, "agent75").get(URL).content.decode()
    assert cells(week_row(page, "16/11/2026"))[:3] == ["1", "1", "0"]
    assert "23/11/2026" not in page


def test_for_agents_and_managers_only(ws):
    assert client_for(ws, "manager13").get(URL).status_code == 200
    assert client_for(ws, "analyst").get(URL).status_code == 403
    assert client_for(ws, "admin").get(URL).status_code == 403
    response = client_for(ws).get(URL)
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_server_rendered_without_script_nor_network(ws):
    page = client_for(ws, "manager13").get(URL).content.decode()
    assert "<table" in page and "<svg" in page and "Tableau de bord" in page
    assert "<script" not in page and "style=" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    # SVG numbers in the notation browsers read, whatever the page's language (a French
    # decimal comma, x="0,0", draws nothing)
    numbers = re.findall(r'<rect class="[^"]*" x="([^"]*)" y="0" width="([^"]*)"', page)
    assert numbers and all(re.fullmatch(r"\d+(\.\d+)?", v) for pair in numbers for v in pair)
