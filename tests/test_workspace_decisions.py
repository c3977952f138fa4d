"""Agents' decisions (issue 34 §4, RULES.md OQ-02 and PRI-05): recorded from a flag's page
as append-only events with who and when, refused outside the account's departments, and
honoured by the next night, which copies the decisions in force into core.agent_decisions."""

from __future__ import annotations

import shutil
from unittest import mock

import pytest

from schemas.codes import OTHER_GROUND, PRISON_ANSWER
from tests.scenarios import RUN
from tests.workspace_world import client_for, refused_in_the_database
from transforms.core.agent_decisions import load_agent_decisions
from transforms.night import rebuild_night
from transforms.warehouse import database

REJECTED, RELEASES = "rejected_without_oqtf", "upcoming_releases"


def url(ws, name: str, worklist: str, decisions: bool = False) -> str:
    path = f"/listes/{worklist}/{ws.world.flags[name]['flag_id']}/"
    return path + "decisions/" if decisions else path


def on_the_day_of_the_lists():
    """Decisions take effect on the day they are recorded: here, the day of the world's
    lists (the next night runs as of that day too)."""
    return mock.patch("django.utils.timezone.localdate", return_value=RUN)


@pytest.fixture(scope="module")
def decided(decisions_workspace):
    """agent13 opens an examination on another ground for the rejected person of 13 and
    answers the prison about the detainee of 13 (on SQLite, then on PostgreSQL)."""
    ws, agent13 = decisions_workspace, client_for(decisions_workspace, "agent13")
    with on_the_day_of_the_lists():
        opened = agent13.post(url(ws, "rejected_13", REJECTED, True),
                              {"kind": OTHER_GROUND, "note": "demande de titre salarié"})
        answered = agent13.post(url(ws, "release_13", RELEASES, True), {
            "kind": PRISON_ANSWER, "taken_in_charge": "oui", "charge_date": "2026-11-19"})
    assert opened.status_code == 302 and answered.status_code == 302
    return ws


def in_force(ws) -> list[dict]:
    """What the night reads from the workspace's database, without Django."""
    from workspace.decisions.in_force import decisions_in_force

    return decisions_in_force(ws.database)


def honoured(decisions: list[dict]) -> list[dict]:
    """The decisions in force the rules honour (the others make each flag's state and
    assignee, recorded here by the other modules sharing the workspace's database)."""
    return [d for d in decisions if d["kind"] in (OTHER_GROUND, PRISON_ANSWER)]


def next_night(ws, tmp_path, decisions: list[dict]) -> database.duckdb.DuckDBPyConnection:
    """The next night on a copy of the published warehouse: the decisions in force
    copied, the lists decided again."""
    copy = tmp_path / "night.duckdb"
    shutil.copyfile(ws.world.warehouse, copy)
    con = database.connect(copy)
    load_agent_decisions(con, decisions)
    rebuild_night(con, RUN, 120)
    return con


def test_a_decision_is_shown_on_the_flag_with_who_and_when(decided):
    page = client_for(decided, "manager13").get(url(decided, "rejected_13", REJECTED))
    text = page.content.decode()
    assert "agent13" in text and "examen d&#x27;un autre fondement de séjour ouvert" in text
    assert "demande de titre salarié" in text
    assert 'value="OTHER_GROUND_CLOSED"' in text  # what remains to do: close it
    release = client_for(decided, "agent13").get(url(decided, "release_13", RELEASES))
    assert "prise en charge par la police aux frontières : oui (le 19/11/2026)" in \
        release.content.decode()


def test_decisions_are_refused_outside_the_accounts_departments_and_lists(decided):
    agent13 = client_for(decided, "agent13")
    other = agent13.post(url(decided, "rejected_75", REJECTED, True), {"kind": OTHER_GROUND})
    assert other.status_code == 404
    wrong_list = agent13.post(url(decided, "rejected_13", REJECTED, True),
                              {"kind": PRISON_ANSWER, "taken_in_charge": "oui"})
    assert wrong_list.status_code == 400
    twice = agent13.post(url(decided, "rejected_13", REJECTED, True), {"kind": OTHER_GROUND})
    assert twice.status_code == 400
    analyst = client_for(decided, "analyst").post(url(decided, "rejected_13", REJECTED, True),
                                                  {"kind": OTHER_GROUND})
    assert analyst.status_code == 403
    assert agent13.get(url(decided, "rejected_13", REJECTED, True)).status_code == 405
    assert {d["flag_id"] for d in honoured(in_force(decided))} == {
        decided.world.flags["rejected_13"]["flag_id"], decided.world.flags["release_13"][
            "flag_id"]}


def test_decision_events_are_append_only(decided):
    from django.db import connection

    from workspace.decisions.models import AppendOnly, DecisionEvent

    assert connection.vendor in decided.database["ENGINE"]  # the backend under test

    event = DecisionEvent.objects.first()
    event.note = "changed"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()


def test_decision_events_are_append_only_in_the_database(decided):
    refused_in_the_database("decisions_decisionevent")


def test_the_next_night_honours_the_decisions_in_force(decided, tmp_path):
    decisions = in_force(decided)
    assert {d["kind"] for d in honoured(decisions)} == {OTHER_GROUND, PRISON_ANSWER}
    assert {d["decided_by"] for d in honoured(decisions)} == {"agent13"}
    con = next_night(decided, tmp_path, decisions)
    flags = decided.world.flags
    excluded = con.execute(
        "SELECT reason_code, source_rows FROM worklists.exclusions WHERE candidate_id = ?",
        [flags["rejected_13"]["flag_id"]]).fetchall()
    other_ground = next(d for d in decisions if d["kind"] == OTHER_GROUND)
    [(reason, cited)] = excluded
    assert reason == "OTHER_GROUND_UNDER_EXAMINATION" and other_ground["source_row"] in cited
    markers = con.execute("SELECT markers FROM worklists.upcoming_releases WHERE flag_id = ?",
                          [flags["release_13"]["flag_id"]]).fetchall()
    assert markers == [([],)]  # PRISON_ANSWER_DUE gone
    con.close()


def test_closing_the_examination_puts_the_person_back_next_night(decided, tmp_path):
    agent13 = client_for(decided, "agent13")
    with on_the_day_of_the_lists():
        closed = agent13.post(url(decided, "rejected_13", REJECTED, True),
                              {"kind": "OTHER_GROUND_CLOSED"})
    assert closed.status_code == 302
    decisions = in_force(decided)
    assert [d["kind"] for d in honoured(decisions)] == [PRISON_ANSWER]
    con = next_night(decided, tmp_path, decisions)
    listed = con.execute("SELECT flag_id FROM worklists.rejected_without_oqtf WHERE "
                         "department = '13'").fetchall()
    assert listed == [(decided.world.flags["rejected_13"]["flag_id"],)]
    con.close()
