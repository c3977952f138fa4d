"""The identity review queue with a DUPLICATE pair (issue 34 §3, §4): two AGDREF files
the model merged as one person. The queue and the pair's page show it; confirming it
makes the merge firm the next night (both files, one person_key:
AGDREF_DUPLICATE_CONFIRMED), rejecting it undoes the merge (two persons)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.scenarios import PERSON, SECOND, Inbox
from tests.test_workspace_identities import pair_url
from tests.workspace_world import World, client_for, next_night
from transforms.warehouse import database, tables

# file pairs are decided as agdref:<the lower number> and the other (core_person_links.sql)
PAIR = (f"agdref:{min(PERSON, SECOND)}", max(PERSON, SECOND))


@pytest.fixture(scope="module")
def merged(tmp_path_factory) -> World:
    """A warehouse of department 13 where the model merged two AGDREF files of DIALLO
    MAMADOU (the second written DIALO), among 300 other files."""
    folder = tmp_path_factory.mktemp("duplicates")
    path = folder / "warehouse.duckdb"
    con = database.connect(path)
    tables.create_warehouse(con)
    Inbox(folder / "inbox", con).person().others().second_file().decide()
    con.close()
    return World(path, {})


@contextmanager
def installation(workspace_app, merged: World, tmp_path) -> Iterator:
    """The workspace on a copy of `merged` with its own operational database."""
    from django.test import override_settings

    from tests.workspace_world import on_fresh_sqlite

    own = World(tmp_path / "warehouse.duckdb", {})
    shutil.copyfile(merged.warehouse, own.warehouse)
    with (on_fresh_sqlite(workspace_app, own) as ws,
          override_settings(RECONCILE_WAREHOUSE=own.warehouse)):
        yield ws


def files_links(con) -> dict[str, tuple[str, str]]:
    return {key: (rule, person) for key, rule, person in con.execute(
        "SELECT record_key, link_rule, person_key FROM core.person_links "
        "WHERE record_key IN (?, ?)", [f"agdref:{PERSON}", f"agdref:{SECOND}"]).fetchall()}


def test_the_model_merged_the_two_files_into_a_duplicate_pair_to_review(merged):
    with database.connect(merged.warehouse) as con:
        pairs = con.execute("SELECT record_key, num_agdref, evidence FROM core.link_review "
                            "WHERE evidence = 'DUPLICATE'").fetchall()
        links = files_links(con)
    assert pairs == [(*PAIR, "DUPLICATE")]
    assert {rule for rule, _ in links.values()} == {"AGDREF_DUPLICATE"}
    assert len({person for _, person in links.values()}) == 1


def test_the_queue_and_the_pairs_page_show_the_duplicate_pair(workspace_app, merged, tmp_path):
    with installation(workspace_app, merged, tmp_path) as ws:
        queue = client_for(ws, "agent13").get("/identites/")
        assert queue.status_code == 200
        text = queue.content.decode()
        assert PAIR[0] in text and pair_url(PAIR) in text
        assert "deux dossiers AGDREF d&#x27;une même personne" in text
        page = client_for(ws, "agent13").get(pair_url(PAIR))
        assert page.status_code == 200
        shown = page.content.decode()
        assert PERSON in shown and SECOND in shown and "DIALO" in shown and "DIALLO" in shown
        assert 'value="CONFIRMED"' in shown and 'value="REJECTED"' in shown
        assert client_for(ws, "agent75").get(pair_url(PAIR)).status_code == 404


@pytest.mark.parametrize("decision", ["CONFIRMED", "REJECTED"])
def test_the_next_night_honours_the_decision_on_the_duplicate_pair(
        workspace_app, merged, tmp_path, decision):
    from workspace.decisions.models import IdentityDecision

    with installation(workspace_app, merged, tmp_path) as ws:
        assert client_for(ws, "agent75").post(pair_url(PAIR, True), {
            "decision": decision}).status_code == 404
        answered = client_for(ws, "agent13").post(pair_url(PAIR, True), {"decision": decision})
        assert answered.status_code == 302
        recorded = IdentityDecision.objects.get()
        assert (recorded.record_key, recorded.num_agdref, recorded.decision,
                recorded.decided_by.username) == (*PAIR, decision, "agent13")
        con = next_night(ws, tmp_path)
    links = files_links(con)
    if decision == "CONFIRMED":
        assert links == {f"agdref:{PERSON}": ("AGDREF_DUPLICATE_CONFIRMED", PERSON),
                         f"agdref:{SECOND}": ("AGDREF_DUPLICATE_CONFIRMED", PERSON)}
    else:  # two persons: each file its own
        assert {person for _, person in links.values()} == {PERSON, SECOND}
        assert "AGDREF_DUPLICATE" not in {rule for rule, _ in links.values()}
    decided = con.execute("SELECT record_key, num_agdref, decision FROM audit.link_decisions"
                          ).fetchall()
    assert decided == [(*PAIR, decision)]
    con.close()
