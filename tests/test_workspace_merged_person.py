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
from tests.workspace_world import World, client_for, on_fresh_sqlite
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
