"""A candidate the night excluded has a page (why someone is not listed), and takes no
outcome there: no next step, OQTF or answer is recorded about a person an exclusion
protects (RULES.md principle 1; PRI-07: never a consular pass for a refugee)."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from tests.scenarios import Inbox
from tests.workspace_world import World, client_for, on_fresh_sqlite
from transforms.warehouse import database, tables

MEASURES = "unexecuted_measures"


@pytest.fixture(scope="module")
def refugee(tmp_path_factory) -> World:
    """A refugee of 13 under an earlier OQTF: the measure is excluded PROTECTION_GRANTED."""
    folder = tmp_path_factory.mktemp("refugee")
    con = database.connect(folder / "warehouse.duckdb")
    tables.create_warehouse(con)
    inbox = Inbox(folder / "inbox", con).person()
    inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    inbox.telemofpra(date(2026, 10, 2), SENS_DECISION="REFUGIE", DATE_DEFINITIVE="")
    excluded = inbox.decide().only_excluded(MEASURES)
    assert excluded["reason_code"] == "PROTECTION_GRANTED"
    con.close()
    return World(folder / "warehouse.duckdb", {"excluded": excluded})


@pytest.fixture
def installed(workspace_app, refugee, tmp_path):
    from django.test import override_settings

    own = World(tmp_path / "warehouse.duckdb", refugee.flags)
    shutil.copyfile(refugee.warehouse, own.warehouse)
    with (on_fresh_sqlite(workspace_app, own) as ws,
          override_settings(RECONCILE_WAREHOUSE=own.warehouse)):
        yield ws


def test_an_excluded_candidate_takes_no_outcome(installed):
    page = f"/listes/{MEASURES}/{installed.world.flags['excluded']['candidate_id']}/"
    agent13 = client_for(installed, "agent13")
    shown = agent13.get(page).content.decode()
    assert "PROTECTION_GRANTED" in shown
    assert 'value="NEXT_STEP"' not in shown and 'value="NOT_PURSUED"' not in shown
    assert "aucune suite d'éloignement" in shown
    for step in ("CONSULAR_PASS", "RETENTION", "HOUSE_ARREST"):
        refused = agent13.post(page + "decisions/", {"kind": "NEXT_STEP", "step": step})
        assert refused.status_code == 400, step
        assert "candidat exclu" in refused.content.decode()
    assert agent13.post(page + "decisions/", {"kind": "NOT_PURSUED", "reason": "OTHER",
                                              "note": "x"}).status_code == 400
    # what an excluded candidate still takes: a comment, the agent taking it
    assert agent13.post(page + "decisions/", {"kind": "COMMENT",
                                              "note": "vu au guichet"}).status_code == 302
    assert agent13.post(page + "decisions/", {"kind": "TAKEN"}).status_code == 302
    from workspace.decisions.models import DecisionEvent

    assert sorted(DecisionEvent.objects.values_list("kind", flat=True)) == ["COMMENT", "TAKEN"]
