"""A person's key is the lowest AGDREF number of their files: a duplicate file merged
after a unit recorded an examination on another ground (OQ-02) moves it. The night still
finds the examination (transforms/rules/rule_files.sql), and the workspace still shows it
open on the person's page and closes it, under the key it was recorded with, so that the
decisions in force pair the two."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from schemas.codes import OTHER_GROUND, REJECTED
from tests.scenarios import PERSON, RUN, Inbox
from tests.workspace_world import PASSWORD, World, client_for, next_night, on_fresh_sqlite
from transforms.warehouse import database, tables

LOWER = "0012345678"  # the duplicate file, merged since the decision


@pytest.fixture(scope="module")
def merged(tmp_path_factory) -> World:
    """DIALLO MAMADOU's file and a duplicate with a lower number, merged; their final
    rejection of 09/10/2026 listed under the duplicate's number."""
    folder = tmp_path_factory.mktemp("merged")
    con = database.connect(folder / "warehouse.duckdb")
    tables.create_warehouse(con)
    inbox = Inbox(folder / "inbox", con).person().others()
    inbox.person(NUM_AGDREF=LOWER, NOM="DIALO")
    flag = inbox.telemofpra(date(2026, 10, 9)).decide().only_listed(REJECTED)
    assert flag["person_key"] == LOWER
    con.close()
    return World(folder / "warehouse.duckdb", {"rejected": flag})


@pytest.fixture
def installed(workspace_app, merged, tmp_path):
    from django.test import override_settings

    own = World(tmp_path / "warehouse.duckdb", merged.flags)
    shutil.copyfile(merged.warehouse, own.warehouse)
    with (on_fresh_sqlite(workspace_app, own) as ws,
          override_settings(RECONCILE_WAREHOUSE=own.warehouse)):
        yield ws


def test_an_examination_recorded_before_a_merge_is_shown_and_closed_after_it(installed):
    from workspace.decisions.in_force import decisions_in_force
    from workspace.decisions.models import DecisionEvent

    flag = installed.world.flags["rejected"]
    # recorded when the person's key was their own file's number
    DecisionEvent.objects.create(
        kind=OTHER_GROUND, worklist=REJECTED, flag_id="ROQ-0000000000000000",
        person_key=PERSON, department="13", decided_by=installed.accounts["agent13"],
        effective_date=RUN)
    agent13 = client_for(installed, "agent13")
    page = f"/listes/{REJECTED}/{flag['flag_id']}/"
    shown = agent13.get(page).content.decode()
    assert 'value="OTHER_GROUND_CLOSED"' in shown
    assert 'value="OTHER_GROUND_UNDER_EXAMINATION"' not in shown
    assert agent13.post(page + "decisions/", {"kind": "OTHER_GROUND_CLOSED"}).status_code == 302
    closed = DecisionEvent.objects.get(kind="OTHER_GROUND_CLOSED")
    assert closed.person_key == PERSON  # paired with the examination it closes
    assert not [d for d in decisions_in_force(installed.database) if d["kind"] == OTHER_GROUND]


def test_the_night_finds_an_examination_recorded_under_a_merged_file(tmp_path, con):
    inbox = Inbox(tmp_path / "inbox", con).person().others()
    flag = inbox.telemofpra(date(2026, 10, 9)).decide().only_listed(REJECTED)
    assert flag["person_key"] == PERSON
    inbox.agent_decision(OTHER_GROUND, flag, REJECTED, effective=RUN)
    assert inbox.decide().reason(REJECTED) == "OTHER_GROUND_UNDER_EXAMINATION"
    # the next night, a duplicate file with a lower number is merged: the person's key
    # moves to it, and the examination still holds
    night = date(2026, 11, 17)
    inbox.agdref("PERSONNES", night)
    for identity in inbox.other_files:
        inbox.agdref("PERSONNES", night, **identity)
    inbox.agdref("PERSONNES", night, NUM_AGDREF=LOWER, NOM="DIALO")
    out = inbox.decide(night)
    assert not out.listed(REJECTED)
    excluded = out.only_excluded(REJECTED)
    assert excluded["person_key"] == LOWER
    assert excluded["reason_code"] == "OTHER_GROUND_UNDER_EXAMINATION"


def test_oq_02_an_examination_closed_by_an_account_of_two_departments_is_closed_at_night(
        workspace_app, tmp_path):
    """OQ-02, "until the unit closes that examination": 75 opened an examination for
    DIALLO when his flag was on 75's list; he now lives in 13, and the night excludes him
    from 13's list for it. An agent whose account sees 13 and 75 (a regional unit) closes
    it from 13's page: the close is recorded under the examination's department too, as
    the night pairs them (decisions_in_force.sql), and the next night lists him again."""
    from django.test import override_settings

    from workspace.accounts.registry import add_account
    from workspace.decisions import state
    from workspace.decisions.in_force import decisions_in_force
    from workspace.decisions.models import DecisionEvent

    own = World(tmp_path / "warehouse.duckdb", workspace_app.world.flags)
    shutil.copyfile(workspace_app.world.warehouse, own.warehouse)
    flag = own.flags["rejected_13"]
    with on_fresh_sqlite(workspace_app, own) as ws:
        ws.accounts["regional"] = add_account("regional", "agent", ["13", "75"], PASSWORD)
        DecisionEvent.objects.create(
            kind=OTHER_GROUND, worklist=REJECTED, flag_id="ROQ-75aaaaaaaaaaaaaa",
            person_key=flag["person_key"], department="75",
            decided_by=ws.accounts["agent75"], effective_date=RUN)
        night = next_night(ws, tmp_path / "night1")
        [(reason,)] = night.execute(
            "SELECT reason_code FROM worklists.exclusions WHERE candidate_id = ?",
            [flag["flag_id"]]).fetchall()
        night.close()
        assert reason == "OTHER_GROUND_UNDER_EXAMINATION"
        with override_settings(RECONCILE_WAREHOUSE=tmp_path / "night1" / "night.duckdb"):
            regional = client_for(ws, "regional")
            page = f"/listes/{REJECTED}/{flag['flag_id']}/decisions/"
            # the examination it sees open is 75's: closing it is what is offered
            assert regional.post(page, {"kind": "OTHER_GROUND_CLOSED"}).status_code == 302
        seen = state.events(flag["flag_id"], [flag["person_key"]], ["13", "75"])
        in_force = [(d["kind"], d["person_key"]) for d in decisions_in_force(ws.database)]
        night = next_night(ws, tmp_path / "night2")
        listed = night.execute("SELECT flag_id FROM worklists.rejected_without_oqtf "
                               "WHERE person_key = ?", [flag["person_key"]]).fetchall()
        night.close()
    assert state.open_examination(seen) is None  # the workspace shows it closed
    assert (OTHER_GROUND, flag["person_key"]) not in in_force, in_force
    assert listed == [(flag["flag_id"],)], listed
