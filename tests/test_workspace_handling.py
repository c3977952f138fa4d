"""Handling a flag (issue 34 §4): taken, commented, released; "OQTF prise le …" on a
rejected asylum seeker; the next step or "non poursuivi" on an unexecuted measure. Each
an append-only event with who and when, refused outside the account's departments and
when the rules forbid it; the lists show each flag's state and assignee and filter on
them. "Non poursuivi" is a state, never an exclusion: the next night still lists the
flag."""

from __future__ import annotations

import html
from datetime import date, timedelta
from unittest import mock

import pytest

from tests.test_workspace_decisions import in_force, next_night
from tests.workspace_world import client_for

REJECTED, MEASURES = "rejected_without_oqtf", "unexecuted_measures"
RELEASES = "upcoming_releases"


def flag_url(ws, name: str, decide: bool = False) -> str:
    worklist = {"rejected": REJECTED, "measure": MEASURES, "release": RELEASES}[name.split("_")[0]]
    path = f"/listes/{worklist}/{ws.world.flags[name]['flag_id']}/"
    return path + "decisions/" if decide else path


def page(client, path: str, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture(scope="module")
def ws(decisions_workspace):
    return decisions_workspace


def test_take_comment_and_release_a_flag(ws):
    agent13, key = client_for(ws, "agent13"), ws.world.flags["measure_13"]["flag_id"]
    assert client_for(ws, "agent75").post(flag_url(ws, "measure_13", True),
                                          {"kind": "TAKEN"}).status_code == 404
    assert agent13.post(flag_url(ws, "measure_13", True), {"kind": "TAKEN"}).status_code == 302
    assert agent13.post(flag_url(ws, "measure_13", True),
                        {"kind": "COMMENT", "note": "appel au consulat prévu"}).status_code == 302
    assert agent13.post(flag_url(ws, "measure_13", True), {"kind": "COMMENT"}).status_code == 400
    shown = page(agent13, flag_url(ws, "measure_13"))
    assert "pris en charge par <strong>agent13</strong>" in shown
    assert "commentaire — « appel au consulat prévu »" in shown
    assert 'value="RELEASED"' in shown and 'value="TAKEN"' not in shown
    listed = f"/listes/{MEASURES}/"
    assert key in page(agent13, listed, assignee="moi")
    assert key in page(agent13, listed, state="IN_PROGRESS")
    assert key not in page(agent13, listed, assignee="-")
    assert key not in page(agent13, listed, state="TO_DO")
    assert key not in page(client_for(ws, "manager13"), listed, assignee="moi")
    assert agent13.post(flag_url(ws, "measure_13", True), {"kind": "RELEASED"}).status_code == 302
    assert key in page(agent13, listed, state="TO_DO", assignee="-")


def test_a_held_flag_is_taken_over_by_a_manager_only(ws):
    from workspace.accounts.models import Account
    from workspace.accounts.registry import add_account

    if not Account.objects.filter(username="agent13b").exists():
        ws.accounts["agent13b"] = add_account("agent13b", "agent", ["13"],
                                              "another long passphrase 13")
    url = flag_url(ws, "rejected_13", True)
    assert client_for(ws, "agent13").post(url, {"kind": "TAKEN"}).status_code == 302
    # held by another agent: no "Prendre en charge" for an agent, one for a manager
    assert 'value="TAKEN"' not in page(client_for(ws, "agent13b"), flag_url(ws, "rejected_13"))
    assert 'value="TAKEN"' in page(client_for(ws, "manager13"), flag_url(ws, "rejected_13"))
    refused = client_for(ws, "agent13b").post(url, {"kind": "TAKEN"})
    assert refused.status_code == 400
    assert "déjà pris en charge par agent13" in refused.content.decode()
    assert client_for(ws, "manager13").post(url, {"kind": "TAKEN"}).status_code == 302
    assert "pris en charge par <strong>manager13</strong>" in page(
        client_for(ws, "agent13"), flag_url(ws, "rejected_13"))


def test_oqtf_taken_is_shown_on_the_flag_and_the_list(ws):
    agent75, url = client_for(ws, "agent75"), flag_url(ws, "rejected_75", True)
    assert agent75.post(url, {"kind": "OQTF_TAKEN"}).status_code == 400  # no date
    assert agent75.post(url, {"kind": "OQTF_TAKEN", "fact_date": "2999-01-01"}
                        ).status_code == 400
    # a mistyped year, even where no end of the right to remain bounds it
    from workspace.decisions.forms import OqtfTakenForm

    long_ago = OqtfTakenForm({"fact_date": "2016-11-20"})
    assert not long_ago.is_valid()
    assert "le 20/11/2016 est à plus d'un an d'aujourd'hui" in long_ago.errors["fact_date"][0]
    assert agent75.post(url, {"kind": "NEXT_STEP", "step": "RETENTION"}).status_code == 400
    # a mistyped year: an OQTF after a rejection is not signed before the right to
    # remain ended (OQ-01)
    ended = ws.world.flags["rejected_75"]["rtr_end_date"]
    before = agent75.post(url, {"kind": "OQTF_TAKEN",
                                "fact_date": (ended - timedelta(days=1)).isoformat()})
    assert before.status_code == 400
    assert f"avant la fin du droit au maintien le {ended:%d/%m/%Y}" in before.content.decode()
    # after a second re-examination, which gave no right to remain (RTR-08), an OQTF may
    # predate its decision
    from workspace.decisions.forms import date_refused

    multiple = {"rtr_end_date": ended, "rule_ids": ["RTR-06", "RTR-08", "OQ-01", "OQ-02"]}
    assert date_refused("OQTF_TAKEN", {"fact_date": ended - timedelta(days=30)}, multiple
                        ) == ""
    assert date_refused("OQTF_TAKEN", {"fact_date": ended - timedelta(days=30)},
                        {**multiple, "rule_ids": ["RTR-03", "OQ-01", "OQ-02"]}) != ""
    signed = date.today() - timedelta(days=16)  # a date of the year's work (forms)
    assert agent75.post(url, {"kind": "OQTF_TAKEN", "fact_date": signed.isoformat()}
                        ).status_code == 302
    shown = page(agent75, flag_url(ws, "rejected_75"))
    assert f"OQTF prise le {signed:%d/%m/%Y}, en attente de son enregistrement dans AGDREF" in shown
    key = ws.world.flags["rejected_75"]["flag_id"]
    listed = page(agent75, f"/listes/{REJECTED}/", state="OQTF_TAKEN")
    assert key in listed and f"OQTF prise le {signed:%d/%m/%Y}" in listed
    assert key not in page(agent75, f"/listes/{REJECTED}/", state="NOT_PURSUED")


def test_next_step_on_a_measure_and_the_rules_guards(ws):
    from workspace.decisions.forms import step_refused

    agent13, url = client_for(ws, "agent13"), flag_url(ws, "measure_13", True)
    planned = date.today() + timedelta(days=4)
    assert agent13.post(url, {"kind": "NEXT_STEP", "step": "SPACESHIP"}).status_code == 400
    for mistyped in ("2062-12-10", "2016-12-10"):  # a year off: refused, nothing recorded
        refused = agent13.post(url, {"kind": "NEXT_STEP", "step": "SUMMONS",
                                     "fact_date": mistyped})
        assert refused.status_code == 400 and "vérifiez l'année" in html.unescape(
            refused.content.decode()), mistyped
    assert agent13.post(url, {"kind": "NEXT_STEP", "step": "HOUSE_ARREST",
                              "fact_date": planned.isoformat()}).status_code == 302
    assert ("étape suivante planifiée : assignation à résidence "
            f"(prévue le {planned:%d/%m/%Y})") in page(agent13, flag_url(ws, "measure_13"))
    assert step_refused("CONSULAR_PASS", {"markers": ["NO_CONSULAR_CONTACT"]})
    assert step_refused("RETENTION", {"markers": [], "is_coercible": False})
    assert step_refused("HOUSE_ARREST", {"markers": ["NOT_COERCIBLE"]})
    assert not step_refused("CONSULAR_PASS", {"markers": [], "is_coercible": True})


def test_oq_08_no_house_arrest_nor_retention_planned_from_the_third_anniversary(ws):
    """OQ-08 (coercible_until = decision + 3 years, "less than 3 years old"): a step
    planned on or after that day is refused, though last night's flag says the OQTF is
    still coercible; planned the day before, it is allowed."""
    from workspace.decisions.forms import step_refused
    from workspace.decisions.models import DecisionEvent

    measure = ws.world.flags["measure_13"]
    until = measure["coercible_until"]
    assert measure["is_coercible"] and until is not None
    agent13, url = client_for(ws, "agent13"), flag_url(ws, "measure_13", True)
    before = DecisionEvent.objects.count()
    # planned from a day within a year of the anniversary (a day planned further off is
    # refused as a mistyped year first: forms.within_a_year)
    with mock.patch("django.utils.timezone.localdate", return_value=until - timedelta(days=30)):
        for step in ("RETENTION", "HOUSE_ARREST"):
            for planned in (until, until + timedelta(days=55)):
                refused = agent13.post(url, {"kind": "NEXT_STEP", "step": step,
                                             "fact_date": planned.isoformat()})
                assert refused.status_code == 400, (step, planned)
                assert f"la mesure a 3 ans le {until:%d/%m/%Y}" in refused.content.decode()
    assert DecisionEvent.objects.count() == before
    assert not step_refused("RETENTION", measure, until - timedelta(days=1))
    assert step_refused("RETENTION", measure, until)
    assert not step_refused("SUMMONS", measure, until)


def test_not_pursued_needs_a_reason_and_keeps_the_flag_listed_next_night(ws, tmp_path):
    agent13, url = client_for(ws, "agent13"), flag_url(ws, "measure_13", True)
    assert agent13.post(url, {"kind": "NOT_PURSUED"}).status_code == 400
    assert agent13.post(url, {"kind": "NOT_PURSUED", "reason": "OTHER"}).status_code == 400
    # the form says where the other reason goes; the state then names it in two words
    from workspace.decisions.models import DecisionEvent
    from workspace.decisions.state import FlagState

    offered = html.unescape(page(agent13, flag_url(ws, "measure_13")))
    assert ">autre motif (à préciser en commentaire)</option>" in offered
    other = DecisionEvent(kind="NOT_PURSUED", reason="OTHER", note="parti en Belgique")
    assert FlagState("NOT_PURSUED", outcome=other).label == "non poursuivi : autre motif"
    assert agent13.post(url, {"kind": "NOT_PURSUED", "reason": "LEFT_FRANCE"}).status_code == 302
    key = ws.world.flags["measure_13"]["flag_id"]
    listed = page(agent13, f"/listes/{MEASURES}/", state="NOT_PURSUED")
    assert key in listed and "non poursuivi : départ de France connu du bureau" in listed
    decisions = in_force(ws)
    assert ("NOT_PURSUED", key) in {(d["kind"], d["flag_id"]) for d in decisions}
    con = next_night(ws, tmp_path, decisions)
    assert con.execute(f"SELECT handling_state FROM worklists.{MEASURES} WHERE flag_id = ?",  # noqa: S608
                       [key]).fetchall() == [("NOT_PURSUED",)]
    con.close()


def test_handling_events_are_append_only_with_who_and_when(ws):
    from workspace.decisions.models import DecisionEvent

    key = ws.world.flags["measure_13"]["flag_id"]
    kinds = list(DecisionEvent.objects.filter(flag_id=key).values_list("kind", flat=True))
    assert kinds[:4] == ["TAKEN", "COMMENT", "RELEASED", "NEXT_STEP"]
    assert all(e.decided_by.username == "agent13" and e.decided_at
               for e in DecisionEvent.objects.filter(flag_id=key))


def _extra_account(ws, login: str, role: str, departments: list[str]):
    from workspace.accounts.models import Account
    from workspace.accounts.registry import add_account

    if not Account.objects.filter(username=login).exists():
        ws.accounts[login] = add_account(login, role, departments, "another long passphrase 13")
    return ws.accounts[login]


def test_a_manager_assigns_a_flag_to_an_agent_of_its_department(ws):
    from workspace.decisions.models import DecisionEvent

    key, url = ws.world.flags["release_13"]["flag_id"], flag_url(ws, "release_13")
    manager13 = client_for(ws, "manager13")
    assert 'id="action-ASSIGNED"' in page(manager13, url)
    assert manager13.post(url + "attribution/", {"agent": "agent13"}).status_code == 302
    shown = page(client_for(ws, "agent13"), url)
    assert "pris en charge par <strong>agent13</strong>" in shown
    assert "manager13 : signalement attribué à agent13" in shown
    assert key in page(client_for(ws, "agent13"), f"/listes/{RELEASES}/", assignee="moi")
    assert key in page(manager13, f"/listes/{RELEASES}/", assignee="agent13")
    assert key not in page(manager13, f"/listes/{RELEASES}/", assignee="-")
    event = DecisionEvent.objects.filter(flag_id=key).latest("id")
    assert (event.kind, event.decided_by.username, event.assigned_to.username) == (
        "ASSIGNED", "manager13", "agent13")
    assert event.decided_at and event.department == "13"
    again = manager13.post(url + "attribution/", {"agent": "agent13"})
    assert again.status_code == 400 and "déjà attribué à agent13" in again.content.decode()


def test_only_a_manager_assigns_and_without_csrf_token_nobody_does(ws):
    url = flag_url(ws, "release_13")
    agent13 = client_for(ws, "agent13")
    assert 'id="action-ASSIGNED"' not in page(agent13, url)
    assert agent13.post(url + "attribution/", {"agent": "agent13"}).status_code == 403
    assert client_for(ws, "analyst").post(url + "attribution/",
                                          {"agent": "agent13"}).status_code == 403
    unsigned = client_for(ws, "manager13", enforce_csrf_checks=True)
    assert unsigned.post(url + "attribution/", {"agent": "manager13"}).status_code == 403


@pytest.mark.parametrize("login", ["agent75", "analyst", "admin13", "agent13_off", "nobody", ""])
def test_a_flag_is_assigned_only_to_an_active_agent_of_its_department(ws, login):
    from workspace.accounts.registry import disable_account

    _extra_account(ws, "admin13", "admin", ["13"])  # sees 13, but handles no flag
    if login == "agent13_off":
        _extra_account(ws, login, "agent", ["13"])
        disable_account(login)
    url = flag_url(ws, "release_13")
    refused = client_for(ws, "manager13").post(url + "attribution/", {"agent": login})
    assert refused.status_code == 400
    assert "attribution refusée" in refused.content.decode()
    if login:
        assert f">{login}<" not in page(client_for(ws, "manager13"), url)


def test_an_administrator_given_a_department_reads_its_flags_and_decides_nothing(ws):
    """Decisions are a unit's (agents, managers): an administrator whose account has
    departments reads their lists, is offered no decision and has any refused (403),
    nothing recorded (an examination recorded so took the person off every list)."""
    from workspace.decisions.models import DecisionEvent

    _extra_account(ws, "admin13", "admin", ["13"])
    admin13, before = client_for(ws, "admin13"), DecisionEvent.objects.count()
    shown = page(admin13, flag_url(ws, "rejected_13"))
    assert ws.world.flags["rejected_13"]["flag_id"] in shown and 'id="action-' not in shown
    for name, form in (("rejected_13", {"kind": "OTHER_GROUND_UNDER_EXAMINATION"}),
                       ("rejected_13", {"kind": "TAKEN"}),
                       ("release_13", {"kind": "PRISON_ANSWER", "taken_in_charge": "non"})):
        assert admin13.post(flag_url(ws, name, True), form).status_code == 403, form
    assert admin13.post(flag_url(ws, "release_13") + "attribution/retrait/"
                        ).status_code == 403
    assert DecisionEvent.objects.count() == before
    # the examinations of its department are shown, none offered to close
    opened = client_for(ws, "agent13").post(flag_url(ws, "rejected_13", True),
                                            {"kind": "OTHER_GROUND_UNDER_EXAMINATION"})
    assert opened.status_code == 302
    examinations = page(admin13, "/examens/")
    assert ws.world.flags["rejected_13"]["person_key"] in examinations
    assert "Clore l'examen" not in html.unescape(examinations)
    assert "Clore l'examen" in html.unescape(page(client_for(ws, "agent13"), "/examens/"))
    event = DecisionEvent.objects.latest("id")
    assert admin13.post(f"/examens/{event.id}/cloture/").status_code == 403
    assert client_for(ws, "agent13").post(f"/examens/{event.id}/cloture/").status_code == 302


def test_another_departments_flag_cannot_be_assigned(ws):
    _extra_account(ws, "manager75", "manager", ["75"])
    assert client_for(ws, "manager75").post(flag_url(ws, "rejected_75") + "attribution/",
                                            {"agent": "agent75"}).status_code == 302
    url = flag_url(ws, "release_13")
    assert client_for(ws, "manager75").post(url + "attribution/",
                                            {"agent": "agent75"}).status_code == 404
    assert client_for(ws, "manager75").post(url + "attribution/",
                                            {"agent": "agent13"}).status_code == 404
    assert client_for(ws, "manager13").post(flag_url(ws, "rejected_75") + "attribution/",
                                            {"agent": "agent13"}).status_code == 404


def test_an_assignment_or_a_comment_keeps_an_examination_on_another_ground_in_force(ws):
    key, url = ws.world.flags["rejected_13"]["flag_id"], flag_url(ws, "rejected_13", True)
    assert client_for(ws, "agent13").post(url, {"kind": "OTHER_GROUND_UNDER_EXAMINATION"}
                                          ).status_code == 302
    assert client_for(ws, "manager13").post(flag_url(ws, "rejected_13") + "attribution/",
                                            {"agent": "agent13"}).status_code == 302
    assert client_for(ws, "agent13").post(url, {"kind": "COMMENT", "note": "dossier reçu"}
                                          ).status_code == 302
    assert ("OTHER_GROUND_UNDER_EXAMINATION", key) in {
        (d["kind"], d["flag_id"]) for d in in_force(ws)}
    # the examination closed again, for this module's later tests on the same flag
    assert client_for(ws, "agent13").post(url, {"kind": "OTHER_GROUND_CLOSED"}
                                          ).status_code == 302


def test_a_decision_from_a_page_older_than_a_colleague_s_is_refused(ws):
    """Two agents on one flag: what the second records from a page drawn before the
    first's decision would overwrite it unseen. Refused (409) with who recorded what and
    when, until the page is reloaded; a comment, which overwrites nothing, never is, nor
    are the agent's own decisions."""
    import re

    from workspace.decisions.models import DecisionEvent

    agent13, manager13 = client_for(ws, "agent13"), client_for(ws, "manager13")
    url, key = flag_url(ws, "measure_13", True), ws.world.flags["measure_13"]["flag_id"]

    def seen() -> str:
        return re.search(r'name="seen" value="(\d+)"', page(agent13, flag_url(ws, "measure_13"))
                         ).group(1)

    drawn = seen()
    assert manager13.post(url, {"kind": "COMMENT", "note": "vu"}).status_code == 302
    assert agent13.post(url, {"kind": "NEXT_STEP", "step": "SUMMONS", "seen": drawn}
                        ).status_code == 302  # a comment since: nothing overwritten
    assert manager13.post(url, {"kind": "NOT_PURSUED", "reason": "LEFT_FRANCE"}
                          ).status_code == 302
    recorded = DecisionEvent.objects.filter(flag_id=key).count()
    stale = agent13.post(url, {"kind": "NEXT_STEP", "step": "RETURN_AID", "seen": drawn})
    assert stale.status_code == 409
    assert "manager13 a enregistré « non poursuivi" in stale.content.decode()
    assert "rechargez-la" in stale.content.decode()
    assert DecisionEvent.objects.filter(flag_id=key).count() == recorded
    assert agent13.post(url, {"kind": "COMMENT", "note": "à revoir", "seen": drawn}
                        ).status_code == 302
    # a `seen` that is no number says nothing of the page (it was a 500 for '²')
    assert agent13.post(url, {"kind": "NEXT_STEP", "step": "SUMMONS", "seen": "²"}
                        ).status_code == 302
    assert agent13.post(url, {"kind": "NEXT_STEP", "step": "RETURN_AID", "seen": seen()}
                        ).status_code == 302


def test_two_decisions_from_one_page_at_once_the_second_is_refused(ws):
    """Two agents deciding at the same moment from pages drawn before either decision:
    each would pass a check made before the other's write, and the second would
    overwrite the first unseen. The check and the write are one transaction at a time
    (models.one_at_a_time): here the first request waits, after reading the flag's
    events, for the colleague's to go through; the colleague's waits for the first's
    commit instead, then sees it and is refused."""
    import re
    import threading

    from django.db import connection

    from workspace.decisions import state

    agent13, manager13 = client_for(ws, "agent13"), client_for(ws, "manager13")
    url = flag_url(ws, "measure_13", True)
    drawn = re.search(r'name="seen" value="(\d+)"',
                      page(agent13, flag_url(ws, "measure_13"))).group(1)
    first_read, second_done, statuses = threading.Event(), threading.Event(), {}
    read_events = state.events

    def reads_then_lets_the_colleague_through(*args):
        found = read_events(*args)
        if threading.current_thread().name == "first":
            first_read.set()
            second_done.wait(timeout=1.5)  # went through, if nothing holds it
        return found

    def decide(name: str, client, form: dict) -> None:
        try:
            statuses[name] = client.post(url, {**form, "seen": drawn}).status_code
        finally:
            connection.close()
            if name == "second":
                second_done.set()

    with mock.patch.object(state, "events", reads_then_lets_the_colleague_through):
        first = threading.Thread(target=decide, name="first", args=(
            "first", agent13, {"kind": "NEXT_STEP", "step": "SUMMONS"}))
        first.start()
        assert first_read.wait(timeout=30)
        second = threading.Thread(target=decide, name="second", args=(
            "second", manager13, {"kind": "NOT_PURSUED", "reason": "LEFT_FRANCE"}))
        second.start()
        first.join(timeout=60)
        second.join(timeout=60)
    assert statuses == {"first": 302, "second": 409}


def test_an_answer_to_the_establishment_with_a_date_that_cannot_be_is_refused(ws):
    """PRI-05: the border police takes charge at the release. A date with a "non", or one
    more than a month outside the release's window (PRI-03) and date the flag shows, is a
    slip: refused in one line, nothing recorded."""
    from workspace.decisions.models import DecisionEvent

    agent13, url = client_for(ws, "agent13"), flag_url(ws, "release_13", True)
    release = ws.world.flags["release_13"]["release_date"]
    before = DecisionEvent.objects.count()
    for answer, day, said in (
            ("non", release, "qu'avec la réponse « oui »"),
            ("oui", release + timedelta(days=60), "plus d'un mois après la libération"),
            ("oui", release.replace(year=release.year - 3), "plus d'un mois avant le")):
        refused = agent13.post(url, {"kind": "PRISON_ANSWER", "taken_in_charge": answer,
                                     "charge_date": day.isoformat()})
        assert refused.status_code == 400, (answer, day)
        assert said in html.unescape(refused.content.decode()), (answer, day)
    assert DecisionEvent.objects.count() == before


def test_an_oqtf_taken_on_an_earlier_stay_of_the_flag_no_longer_shows(ws):
    """README: "OQTF prise le …" shows "until AGDREF records the OQTF and the night
    resolves the flag". The OQTF annulled, the same flag is listed again from a later
    night (its first_seen_date): the OQTF taken recorded before no longer answers it and
    the flag is to do again, on the pages as in the night's lists
    (handling.with_handling; test_rules_agent_decisions). A next step stays with the flag.
    Before (audit of 2026-12-07), the pages kept showing "OQTF prise"."""
    from datetime import UTC, datetime

    from workspace.decisions import state
    from workspace.decisions.models import DecisionEvent, Kind

    recorded = datetime(2026, 11, 16, 10, tzinfo=UTC)
    taken = DecisionEvent(kind=Kind.OQTF_TAKEN, decided_at=recorded,
                          fact_date=date(2026, 11, 15))
    step = DecisionEvent(kind=Kind.NEXT_STEP, decided_at=recorded)
    assert state.fold([taken], since=date(2026, 11, 16)).state == Kind.OQTF_TAKEN
    assert state.fold([taken]).state == Kind.OQTF_TAKEN
    assert state.fold([taken], since=date(2026, 11, 18)).state == state.TO_DO
    assert state.fold([step], since=date(2026, 11, 18)).state == Kind.NEXT_STEP
