"""What a browser, the reverse proxy and the logs keep of the workspace's pages: nothing
of a person (DESIGN: "logs never contain names, dates of birth or numbers of persons")."""

from __future__ import annotations

import logging
import re

import pytest

from tests.workspace_world import client_for, on_database

REJECTED = "rejected_without_oqtf"


@pytest.fixture(scope="module")
def ws(workspace_app):
    return workspace_app


def test_a_name_and_birth_date_typed_as_an_export_name_reach_no_log(ws, caplog):
    """A file name of the shape of an export's (words, then eight digits) was kept as
    typed: a name and a birth date written DDMMYYYY."""
    from workspace.accounts.models import PageView
    from workspace.accounts.refusals import REFUSED

    since = PageView.objects.order_by("-id").values_list("id", flat=True).first() or 0
    agent13 = client_for(ws, "agent13")
    typed = ("/exports/13/benali_karim_01061988.csv", "/exports/75/kara_omar_02021991.xlsx")
    with caplog.at_level(logging.WARNING):
        for path in typed:
            assert agent13.get(path).status_code == 404
    logged = "\n".join(r.getMessage() for r in caplog.records)
    kept = list(PageView.objects.filter(id__gt=since, kind=REFUSED)
                .values_list("target", flat=True))
    assert len(kept) == len(typed)
    persons = ("benali", "karim", "01061988", "kara", "omar", "02021991")
    assert not [p for p in persons if p in logged]
    assert not [t for t in kept for p in persons if p in t]
    # the night's own file names are still kept as they are
    assert agent13.get("/exports/75/rejected_without_oqtf_20261116.csv").status_code == 404
    assert PageView.objects.filter(
        kind=REFUSED, target="404 download 75 rejected_without_oqtf_20261116.csv").exists()


def test_a_long_export_name_is_refused_not_an_error_on_postgresql(workspace_app):
    """PostgreSQL: the views log's target is varchar(200); a long typed name is not kept."""
    with on_database(workspace_app, "postgresql") as ws:
        agent13 = client_for(ws, "agent13", raise_request_exception=False)
        assert agent13.get(f"/exports/13/{'a' * 200}_20261116.csv").status_code == 404


def _pages(ws) -> list[str]:
    flag = ws.world.flags["rejected_13"]
    return [f"/listes/{REJECTED}/{flag['flag_id']}/", f"/listes/{REJECTED}/", "/recherche/",
            "/exclusions/", "/identites/", "/exports/13/rejected_without_oqtf_20261116.csv"]


@pytest.mark.parametrize("n", range(6))
def test_a_page_about_persons_is_never_stored_by_the_browser(ws, n):
    """After "Déconnexion" on a shared workstation, Back must show nothing of a person."""
    response = client_for(ws, "agent13").get(_pages(ws)[n])
    assert response.status_code == 200
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control and "private" in cache_control


def test_a_persons_number_looked_up_never_travels_in_an_address(ws):
    """The browser's history, the next page's Referer, the sign-in's `next=` and the
    reverse proxy's access log keep addresses: a number is posted, never in a query."""
    agent13 = client_for(ws, "agent13")
    flag = ws.world.flags["rejected_13"]
    for page in ("/", "/recherche/", f"/listes/{REJECTED}/", "/exclusions/"):
        html = agent13.get(page).content.decode()
        forms = [f for f in re.findall(r"<form\b[^>]*>.*?</form>", html, re.S)
                 if 'name="number"' in f]
        assert forms, page
        for form in forms:
            assert 'method="post"' in form.split(">", 1)[0], (page, form[:80])
            assert 'name="csrfmiddlewaretoken"' in form, page
    found = agent13.post("/recherche/", {"number": flag["num_agdref"]})
    assert found.status_code == 200 and flag["flag_id"] in found.content.decode()
    # a number in an address is not read: the page is the search's empty form
    typed = agent13.get("/recherche/", {"number": flag["num_agdref"]})
    assert typed.status_code == 200 and flag["flag_id"] not in typed.content.decode()
    # the list filtered by a posted number: its link to the other columns drops it
    listed = agent13.post(f"/listes/{REJECTED}/", {"number": flag["num_agdref"],
                                                    "new": "1"}).content.decode()
    assert flag["flag_id"] in listed
    assert not [href for href in re.findall(r'href="([^"]*)"', listed)
                if flag["num_agdref"] in href]
