"""A candidate the night excluded has a page (why someone is not listed), and takes no
outcome there when the exclusion protects them: no next step, OQTF or answer is recorded
(RULES.md principle 1; PRI-07: never a consular pass for a refugee). Out of a list's scope
only (a release beyond the horizon), the unit still answers the prison (PRI-05)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from unittest import mock

import pytest

from tests.builders import row
from tests.scenarios import PERSON, Inbox
from tests.workspace_world import World, client_for, on_fresh_sqlite
from transforms.warehouse import database, tables

MEASURES, RELEASES, REJECTED = ("unexecuted_measures", "upcoming_releases",
                               "rejected_without_oqtf")


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


@pytest.fixture(scope="module")
def far_release(tmp_path_factory) -> World:
    """A detainee of 13 tied to their file, released in 2030: excluded from the releases
    list for its scope alone (RELEASE_OUTSIDE_HORIZON)."""
    folder = tmp_path_factory.mktemp("far_release")
    con = database.connect(folder / "warehouse.duckdb")
    tables.create_warehouse(con)
    inbox = Inbox(folder / "inbox", con).person()
    inbox.genesis(date(2026, 11, 12), row(
        "genesis", NUM_AGDREF=PERSON, NOM="DIALLO", PRENOMS="MAMADOU",
        DATE_NAISSANCE="14/03/1990", NATIONALITE="GUINEE",
        DATE_LIBERATION_PREVISIBLE="15/01/2030"))
    excluded = inbox.decide().only_excluded(RELEASES)
    assert excluded["reason_code"] == "RELEASE_OUTSIDE_HORIZON"
    assert excluded["other_reasons"] == []
    con.close()
    return World(folder / "warehouse.duckdb", {"excluded": excluded})


def installed_world(workspace_app, world: World, tmp_path):
    from django.test import override_settings

    own = World(tmp_path / "warehouse.duckdb", world.flags)
    shutil.copyfile(world.warehouse, own.warehouse)
    with (on_fresh_sqlite(workspace_app, own) as ws,
          override_settings(RECONCILE_WAREHOUSE=own.warehouse)):
        yield ws


@pytest.fixture
def installed(workspace_app, refugee, tmp_path):
    yield from installed_world(workspace_app, refugee, tmp_path)


@pytest.fixture
def installed_far(workspace_app, far_release, tmp_path):
    yield from installed_world(workspace_app, far_release, tmp_path)


def test_an_excluded_candidate_takes_no_outcome(installed):
    page = f"/listes/{MEASURES}/{installed.world.flags['excluded']['candidate_id']}/"
    agent13 = client_for(installed, "agent13")
    shown = agent13.get(page).content.decode()
    assert "PROTECTION_GRANTED" in shown
    assert 'value="NEXT_STEP"' not in shown and 'value="NOT_PURSUED"' not in shown
    assert "aucune suite d'éloignement" in shown
    assert "exclu cette nuit, rien à traiter sur la liste" in shown  # not "à traiter"
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


def test_a_candidate_out_of_the_list_s_scope_only_takes_the_prison_s_answer(installed_far):
    page = f"/listes/{RELEASES}/{installed_far.world.flags['excluded']['candidate_id']}/"
    agent13 = client_for(installed_far, "agent13")
    shown = agent13.get(page).content.decode()
    assert 'value="PRISON_ANSWER"' in shown and "aucune suite d'éloignement" not in shown
    assert agent13.post(page + "decisions/", {"kind": "PRISON_ANSWER",
                                              "taken_in_charge": "non"}).status_code == 302


def test_an_examination_on_another_ground_is_closed_on_any_list_it_excludes_from(installed):
    """OQ-02 and §5: the examination opened on the rejected list excludes the person's
    measure too; the unit closes it from the measure's page as well."""
    from schemas.codes import OTHER_GROUND
    from workspace.decisions.in_force import decisions_in_force
    from workspace.decisions.models import DecisionEvent

    DecisionEvent.objects.create(
        kind=OTHER_GROUND, worklist="rejected_without_oqtf", flag_id="ROQ-0000000000000000",
        person_key=PERSON, department="13", decided_by=installed.accounts["agent13"],
        effective_date=date(2026, 11, 16))
    page = f"/listes/{MEASURES}/{installed.world.flags['excluded']['candidate_id']}/"
    agent13 = client_for(installed, "agent13")
    assert 'value="OTHER_GROUND_CLOSED"' in agent13.get(page).content.decode()
    assert agent13.post(page + "decisions/", {"kind": "OTHER_GROUND_CLOSED"}).status_code == 302
    assert not [d for d in decisions_in_force(installed.database) if d["kind"] == OTHER_GROUND]


@pytest.fixture(scope="module")
def examined(tmp_path_factory) -> World:
    """A person of 13 excluded from the rejected list by an examination on another ground
    recorded by department 75 (the workspace's decision 1, as the night cites it)."""
    from datetime import datetime

    folder = tmp_path_factory.mktemp("examined")
    con = database.connect(folder / "warehouse.duckdb")
    tables.create_warehouse(con)
    inbox = Inbox(folder / "inbox", con).person()
    flag = inbox.telemofpra(date(2026, 10, 9)).decide().only_listed(REJECTED)
    inbox.decisions.append({
        "decision_id": "1", "kind": "OTHER_GROUND_UNDER_EXAMINATION", "worklist": REJECTED,
        "flag_id": flag["flag_id"], "person_key": PERSON, "department": "75",
        "decided_by": "agent75",
        "decided_at": datetime(2026, 11, 10, 9, 0), "effective_date": date(2026, 11, 10),
        "source_row": "agent_decisions:1"})
    excluded = inbox.decide().only_excluded(REJECTED)
    assert "agent_decisions:1" in excluded["source_rows"]
    con.close()
    return World(folder / "warehouse.duckdb", {"excluded": excluded})


@pytest.fixture
def installed_examined(workspace_app, examined, tmp_path):
    yield from installed_world(workspace_app, examined, tmp_path)


def test_the_exclusion_names_the_department_that_examines_another_ground(installed_examined):
    """Whoever reads the exclusion learns which department examines the person's admission
    on another ground, and when; the agent's login only within their own departments."""
    from workspace.decisions.models import DecisionEvent

    ws = installed_examined
    # recorded at 00:30 in Paris on 16/11, 23:30 UTC on 15/11: dated by the Paris day
    with mock.patch("django.utils.timezone.now",
                    return_value=datetime(2026, 11, 15, 23, 30, tzinfo=UTC)):
        event = DecisionEvent.objects.create(
            kind="OTHER_GROUND_UNDER_EXAMINATION", worklist=REJECTED,
            flag_id=ws.world.flags["excluded"]["candidate_id"], person_key=PERSON,
            department="75", decided_by=ws.accounts["agent75"],
            effective_date=date(2026, 11, 10))
    assert event.id == 1
    page = f"/listes/{REJECTED}/{ws.world.flags['excluded']['candidate_id']}/"
    shown = client_for(ws, "agent13").get(page).content.decode()
    assert "Décision du bureau" in shown
    assert "<td>16/11/2026</td>" in shown
    assert "examen d&#x27;un autre fondement de séjour ouvert" in shown
    assert "<td>75</td>" in shown and "agent75" not in shown


def test_a_unit_closes_its_examination_wherever_the_person_s_flags_now_are(installed_examined):
    """README: an examination holds the person off every list "until you close the
    examination"; a unit closes its own only. Department 75 examines the person's
    admission on another ground, but the person's candidate is 13's tonight (the latest
    list decides the department): 75 can no longer reach it from a flag's page. Its page
    of open examinations shows its own, with nothing of 13's rows, and closes it, under
    its person and department; 13 neither sees nor closes 75's."""
    from workspace.decisions.models import DecisionEvent

    ws = installed_examined
    DecisionEvent.objects.create(
        kind="OTHER_GROUND_UNDER_EXAMINATION", worklist=REJECTED,
        flag_id=ws.world.flags["excluded"]["candidate_id"], person_key=PERSON,
        department="75", decided_by=ws.accounts["agent75"], effective_date=date(2026, 11, 10))
    agent13, agent75 = client_for(ws, "agent13"), client_for(ws, "agent75")
    assert agent75.get(f"/listes/{REJECTED}/{ws.world.flags['excluded']['candidate_id']}/"
                       ).status_code == 404
    shown = agent75.get("/examens/").content.decode()
    assert PERSON in shown and "Clore l'examen" in shown and "10/11/2026" in shown
    assert PERSON not in agent13.get("/examens/").content.decode()
    assert agent13.post("/examens/1/cloture/").status_code == 404
    assert agent75.post("/examens/1/cloture/").status_code == 302
    closed = DecisionEvent.objects.order_by("id").last()
    assert (closed.kind, closed.person_key, closed.department, closed.decided_by.username) \
        == ("OTHER_GROUND_CLOSED", PERSON, "75", "agent75")
    assert PERSON not in agent75.get("/examens/").content.decode()
    # a second page drawn before the close: told who closed it, nothing recorded again
    again = agent75.post("/examens/1/cloture/", follow=True)
    assert "Examen déjà clos par agent75 le " in again.content.decode()
    assert DecisionEvent.objects.order_by("id").last() == closed
    assert agent13.post("/examens/1/cloture/").status_code == 404
