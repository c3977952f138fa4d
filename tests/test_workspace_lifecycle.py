"""The decisions' lifecycle in the workspace, on SQLite and PostgreSQL: an outcome
recorded by mistake is withdrawn and the night honours it (PRI-05), the pages and the
night read a flag's state alike, only the agent holding a flag (or a manager) decides
its outcome, a disabled account holds nothing, a form sent twice records once, and dates
no fact could bear are refused. Each test was written by an audit of 2026-12-07 and
failed before (its docstring says what the code did then)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import polars as pl
import pytest

from tests.workspace_world import client_for

REJECTED, MEASURES, RELEASES = ("rejected_without_oqtf", "unexecuted_measures",
                                "upcoming_releases")
LIST_OF = {"rejected": REJECTED, "measure": MEASURES, "release": RELEASES}


def flag_url(ws, name: str, decide: bool = False) -> str:
    path = f"/listes/{LIST_OF[name.split('_')[0]]}/{ws.world.flags[name]['flag_id']}/"
    return path + "decisions/" if decide else path


def seen_on(client, ws, name: str) -> str:
    response = client.get(flag_url(ws, name))
    assert response.status_code == 200
    return re.search(r'name="seen" value="(\d+)"', response.content.decode()).group(1)


def account(ws, login: str, role: str, departments: list[str]):
    from workspace.accounts.models import Account
    from workspace.accounts.registry import add_account

    if not Account.objects.filter(username=login).exists():
        ws.accounts[login] = add_account(login, role, departments,
                                         "another long passphrase 13")
    return ws.accounts[login]


@pytest.fixture(scope="module")
def ws(decisions_workspace):
    return decisions_workspace


def test_pages_and_night_agree_on_a_flag_listed_again_after_an_oqtf_taken(ws):
    """README (workspace): "OQTF prise le …" shows "until AGDREF records the OQTF and the
    night resolves the flag (listed again later, the OQTF annulled, the flag is à traiter
    again)"; transforms/publish/handling.py: the night's state is "the same reading as
    the workspace's own pages".

    A unit records "non poursuivi", then "OQTF prise" on a rejected flag; the night
    resolves it, the OQTF is annulled and the flag is listed again (a later
    first_seen_date). The night (decisions_in_force.sql keeps the latest outcome only,
    handling.with_handling drops it as an earlier stay's) says "à traiter"; the pages
    (workspace/decisions/state.fold skips the OQTF taken and falls back on the older
    "non poursuivi") say "non poursuivi": the flag is hidden from the "à traiter" filter
    of the workspace while the exports list it as to do."""
    from transforms.publish.handling import with_handling
    from workspace.decisions import state
    from workspace.decisions.in_force import decisions_in_force
    from workspace.decisions.models import DecisionEvent

    agent75, url = client_for(ws, "agent75"), flag_url(ws, "rejected_75", True)
    key = ws.world.flags["rejected_75"]["flag_id"]
    assert agent75.post(url, {"kind": "NOT_PURSUED", "reason": "LEFT_FRANCE"}
                        ).status_code == 302
    signed = date.today() - timedelta(days=1)
    assert agent75.post(url, {"kind": "OQTF_TAKEN", "fact_date": signed.isoformat()}
                        ).status_code == 302
    listed_again = date.today() + timedelta(days=5)  # a later night's first_seen_date
    found = list(DecisionEvent.objects.filter(flag_id=key, department="75")
                 .select_related("decided_by", "assigned_to"))
    on_pages = state.fold(found, since=listed_again).state
    decisions = pl.DataFrame([d for d in decisions_in_force(ws.database)
                              if d["department"] == "75"]).select(
        "kind", "flag_id", "person_key", "department", "assignee", "decided_at")
    rows = pl.DataFrame({"flag_id": [key], "department": ["75"],
                         "person_key": [ws.world.flags["rejected_75"]["person_key"]],
                         "first_seen_date": [listed_again]})
    in_exports = with_handling(rows, decisions)["handling_state"][0]
    assert in_exports == "TO_DO"
    assert on_pages == in_exports, (on_pages, in_exports)


def test_a_prison_answer_with_a_mistyped_year_is_refused_without_a_release_date(ws):
    """workspace/decisions/forms.py: "How far from today a date given on a flag may lie
    [...] a date further off is a mistyped year" (within_a_year guards an OQTF signed and
    a next step); README: the answer is "a date only with "oui", within a month of the
    release's window and date".

    A detainee without release date (a remand prisoner listed IDENTITY_TO_CONFIRM, PRI-09:
    release_date and window_start_date empty) answered "oui, le 12/03/2099" (or 1926):
    PrisonAnswerForm has no within_a_year validator and _charge_date_refused checks the
    date only against a release date, so both are recorded; the answer lifts
    PRISON_ANSWER_DUE (PRI-05) with a date no one can act on."""
    from workspace.decisions.forms import PrisonAnswerForm, date_refused

    remand = {"release_date": None, "window_start_date": None,
              "rule_ids": ["PRI-09"], "markers": []}
    for mistyped in ("2099-03-12", "1926-03-12"):
        form = PrisonAnswerForm({"taken_in_charge": "oui", "charge_date": mistyped})
        accepted = form.is_valid() and date_refused("PRISON_ANSWER", form.cleaned_data,
                                                    remand) == ""
        assert not accepted, f"charge date {mistyped} accepted"


def test_an_agent_records_no_outcome_on_a_flag_a_colleague_holds(ws):
    """README (workspace): "a flag another agent holds can be taken over by a manager
    only"; a manager "assigns a flag to an agent of its department". A mature product
    lets the holder (or a manager) settle the flag it was given.

    manager13 assigns the release flag to agent13; agent13b, another agent of 13 who does
    not hold it and may not take it (400 "déjà pris en charge"), still records the answer
    to the prison on it (302): state.actions offers every outcome to any account
    (`if outcomes: offered += ...`, whoever holds the flag), so the flag is settled (and
    PRISON_ANSWER_DUE lifted the next night) behind the back of the agent it was
    assigned to."""
    account(ws, "agent13b", "agent", ["13"])
    manager13, agent13b = client_for(ws, "manager13"), client_for(ws, "agent13b")
    url = flag_url(ws, "release_13")
    assert manager13.post(url + "attribution/", {"agent": "agent13"}).status_code == 302
    assert agent13b.post(flag_url(ws, "release_13", True), {
        "kind": "TAKEN", "seen": seen_on(agent13b, ws, "release_13")}).status_code == 400
    answered = agent13b.post(flag_url(ws, "release_13", True), {
        "kind": "PRISON_ANSWER", "taken_in_charge": "non",
        "seen": seen_on(agent13b, ws, "release_13")})
    assert answered.status_code in (400, 403, 409), answered.status_code


def test_a_disabled_agent_holds_no_flag(ws):
    """README (operators): `reconcile users disable LOGIN` ("The account can no longer
    sign in (kept, so that its decisions keep their author)", accounts.registry); a
    flag is "à traiter" when no one handles it, and an agent may "Prendre en charge"
    a flag no other *agent* holds.

    An agent who took a flag leaves and is disabled: the flag stays "en cours" held by
    that account (state.fold counts the TAKEN of an inactive account; so does
    decisions_in_force.sql for the exports), so it is out of the "à traiter" and
    "personne" filters, and a colleague's "Prendre en charge" is refused (400 "déjà pris
    en charge par agent13c"): the flag waits, unseen, for a manager to notice (an OQTF's
    15 days of OQ-02 run meanwhile)."""
    from workspace.accounts.registry import disable_account

    account(ws, "agent13c", "agent", ["13"])
    url = flag_url(ws, "rejected_13", True)
    assert client_for(ws, "agent13c").post(url, {"kind": "TAKEN"}).status_code == 302
    disable_account("agent13c")
    agent13 = client_for(ws, "agent13")
    key = ws.world.flags["rejected_13"]["flag_id"]
    to_do = agent13.get(f"/listes/{REJECTED}/", {"state": "TO_DO"}).content.decode()
    taken = agent13.post(url, {"kind": "TAKEN", "seen": seen_on(agent13, ws, "rejected_13")})
    assert key in to_do and taken.status_code == 302, (key in to_do, taken.status_code)


def test_a_double_submitted_outcome_is_recorded_once(ws):
    """Brief/README: a decision is "kept with your login and the time", one fact; the
    dashboard counts "each [flag] once". A mature product makes a form's submission
    idempotent (a double click, a resubmission after a slow answer).

    The same form (same page, same `seen`) posted twice by the same agent records two
    identical "OQTF prise" events: state.recorded_since skips the account's own events
    and _refusal always offers outcomes, so nothing tells a resubmission from a new
    decision; the flag's history shows the OQTF taken twice."""
    from workspace.decisions.models import DecisionEvent, Kind

    agent13, url = client_for(ws, "agent13"), flag_url(ws, "rejected_13", True)
    key = ws.world.flags["rejected_13"]["flag_id"]
    form = {"kind": "OQTF_TAKEN", "fact_date": (date.today() - timedelta(days=2)).isoformat(),
            "seen": seen_on(agent13, ws, "rejected_13")}
    before = DecisionEvent.objects.filter(flag_id=key, kind=Kind.OQTF_TAKEN).count()
    first, second = agent13.post(url, form), agent13.post(url, form)
    recorded = DecisionEvent.objects.filter(flag_id=key, kind=Kind.OQTF_TAKEN).count()
    assert first.status_code == 302
    assert recorded - before == 1, (second.status_code, recorded - before)


def test_an_answer_to_the_prison_recorded_by_mistake_is_withdrawn_and_the_night_honours_it(
        ws):
    """RULES.md PRI-05: "every listed detainee needs that answer before the release date
    ... a listed detainee with no recorded answer whose release is at most 7 days away
    carries the marker PRISON_ANSWER_DUE"; README: decisions are append-only, "kept ...
    never changed" (a correction is a new event, as OQ-02's examination is closed by one).

    Before, an answer recorded on the wrong detainee (or "non poursuivi" on the wrong
    flag) could never be withdrawn: the page offered only TAKEN/RELEASED, COMMENT and
    another PRISON_ANSWER, and decisions_in_force.sql kept the answer in force whatever
    followed, so the night never raised PRISON_ANSWER_DUE again. Now the page offers the
    withdrawal (with a comment saying why), the flag is to be handled again on the pages,
    and the night no longer reads an answer."""
    from workspace.dashboard.activity import first_outcomes
    from workspace.decisions import state
    from workspace.decisions.in_force import decisions_in_force
    from workspace.decisions.models import DecisionEvent

    agent13 = client_for(ws, "agent13")
    key = ws.world.flags["release_13"]["flag_id"]
    answered = agent13.post(flag_url(ws, "release_13", True), {
        "kind": "PRISON_ANSWER", "taken_in_charge": "oui",
        "seen": seen_on(agent13, ws, "release_13")})
    assert answered.status_code in (302, 409)
    assert "PRISON_ANSWER" in {d["kind"] for d in decisions_in_force(ws.database)
                               if d["flag_id"] == key}
    assert key in {h.flag_id for h in first_outcomes(["13"])}  # the dashboard counts it
    shown = agent13.get(flag_url(ws, "release_13")).content.decode()
    offered = set(re.findall(r'name="kind" value="([A-Z_]+)"', shown))
    assert "OUTCOME_WITHDRAWN" in offered, sorted(offered)
    # another department's agent cannot withdraw it: the flag is not theirs to see
    count = DecisionEvent.objects.count()
    assert client_for(ws, "agent75").post(flag_url(ws, "release_13", True), {
        "kind": "OUTCOME_WITHDRAWN", "note": "essai"}).status_code == 404
    assert DecisionEvent.objects.count() == count
    without_reason = agent13.post(flag_url(ws, "release_13", True), {
        "kind": "OUTCOME_WITHDRAWN", "seen": seen_on(agent13, ws, "release_13")})
    assert without_reason.status_code == 400  # a withdrawal says why
    withdrawn = agent13.post(flag_url(ws, "release_13", True), {
        "kind": "OUTCOME_WITHDRAWN", "note": "réponse saisie sur le mauvais détenu",
        "seen": seen_on(agent13, ws, "release_13")})
    assert withdrawn.status_code == 302
    in_force = {d["kind"] for d in decisions_in_force(ws.database) if d["flag_id"] == key}
    assert "PRISON_ANSWER" not in in_force, sorted(in_force)
    found = list(DecisionEvent.objects.filter(flag_id=key, department="13")
                 .select_related("decided_by", "assigned_to"))
    assert state.fold(found).outcome is None
    # nor does the dashboard count the flag handled by an answer withdrawn
    assert key not in {h.flag_id for h in first_outcomes(["13"])}


def test_a_next_step_dated_before_the_measure_is_enforceable_is_refused(ws):
    """README (workspace): "OQTF prise le …" is refused "before the end of the right to
    remain the flag shows" (forms.date_refused: a mistyped year "would show the flag
    handled, and count in the dashboards, on a date no OQTF could bear"); RULES.md OQ-07:
    execution may start at `enforceable_from`, never before.

    The same slip on an unexecuted measure is recorded: a house arrest "prévue le" a day
    before the OQTF was even decided (and before it was enforceable, the flag's
    enforceable_from) passes NextStepForm (within_a_year only) and forms.step_refused
    (which reads coercible_until, never the measure's start): 302, the flag shows
    "étape planifiée" on a date no step could bear."""
    from workspace.decisions.models import DecisionEvent

    measure = ws.world.flags["measure_13"]
    before_the_measure = date(2026, 1, 5) - timedelta(days=10)  # DATE_DECISION 05/01/2026
    assert measure["enforceable_from"] > before_the_measure
    assert date.today() - before_the_measure < timedelta(days=366)  # not a "year off"
    agent13 = client_for(ws, "agent13")
    count = DecisionEvent.objects.count()
    planned = agent13.post(flag_url(ws, "measure_13", True), {
        "kind": "NEXT_STEP", "step": "HOUSE_ARREST", "fact_date": before_the_measure.isoformat(),
        "seen": seen_on(agent13, ws, "measure_13")})
    assert planned.status_code == 400, (planned.status_code, DecisionEvent.objects.count() - count)
