"""The workspace in a browser (issue 34 §8): Playwright drives the Debian Chromium
against the application served on a local port. An agent signs in, filters a list,
opens a flag and records "examen d'un autre fondement": after the next night the person
is excluded with OTHER_GROUND_UNDER_EXAMINATION. An agent answers the prison:
PRISON_ANSWER_DUE is gone next night. An agent confirms an identity pair from the review
queue: the record is linked next night and the person listed. No request leaves the
machine. Screenshots are saved in the test's folder.

The application runs in this process (its own world, its own SQLite database), so that
its clock can be set to the day of the world's lists: decisions hold from the day they
are recorded, and the next night runs as of that day."""

from __future__ import annotations

import os
import shutil
import threading
from unittest import mock

import pytest

from flows.pipeline import copy_decisions
from tests.conftest import desktop_tool
from tests.scenarios import RUN
from tests.test_dashboard import CHROMIUM_ARGS
from tests.workspace_world import (
    PASSWORD,
    REVIEW_FILE_13,
    REVIEW_OFPRA_13,
    build_world,
    decided_by_the_run_date,
    on_fresh_sqlite,
)
from transforms.identity.comparisons import COMPARISON_COLUMNS
from transforms.night import rebuild_night
from transforms.warehouse import database

# A real browser, seconds a test: the file goes to a worker early (tests/conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(workspace_app, tmp_path_factory):
    """The workspace on a world of its own, served by waitress in a thread."""
    from django.core.wsgi import get_wsgi_application
    from django.test import override_settings
    from waitress.server import create_server

    world = build_world(tmp_path_factory.mktemp("browser"))
    with (on_fresh_sqlite(workspace_app, world) as ws,
          override_settings(RECONCILE_WAREHOUSE=world.warehouse),
          mock.patch("django.utils.timezone.localdate", return_value=RUN)):
        server = create_server(get_wsgi_application(), host="127.0.0.1", port=0, threads=2)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            yield ws, f"http://127.0.0.1:{server.effective_port}"
        finally:
            server.close()
            thread.join(timeout=10)


def publish_next_night(ws) -> None:
    """The next night: the decisions in force read from the workspace's database, the
    identity decisions added to audit.link_decisions (flows.pipeline.copy_decisions, as
    the night's agent-decisions task does), the lists decided again as of the same day,
    the warehouse swapped in one rename while the workspace serves."""
    published = ws.world.warehouse
    night = published.with_name("warehouse.next.duckdb")
    shutil.copyfile(published, night)
    con = database.connect(night)
    copy_decisions(con, ws.database)
    decided_by_the_run_date(con)
    rebuild_night(con, RUN, 120)
    con.close()
    os.replace(night, published)


@pytest.fixture
def browser():
    chromium = desktop_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def signed_in(browser, base: str, login: str, requests: list[str]):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base}/")
    assert "/connexion/" in page.url
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    return page


def flag_link(page, flag_id: str):
    """The link of the flag's row on a list page (its first cell: the flag's id is a
    column shown on asking only)."""
    return page.locator(f'tbody tr a[href$="/{flag_id}/"]')


def posted(page, button: str) -> None:
    """A form posted (a list's filters, a number looked up) and its answer loaded: the
    page keeps its address, so the wait is for the navigation itself, else the old
    page's rows could be read."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def followed(page, link: str) -> None:
    """A link of the menu followed and its page loaded (the page left may hold a table
    too)."""
    with page.expect_navigation():
        page.get_by_role("link", name=link).click()


def open_flag(page, flag_id: str) -> None:
    """The flag's row of the list, opened by its link (the row's first cell)."""
    flag_link(page, flag_id).first.click()
    page.wait_for_url(f"**/{flag_id}/")


def test_an_agent_records_another_ground_and_the_person_leaves_the_list_next_night(
        served, browser, tmp_path):
    ws, base = served
    requests: list[str] = []
    flag = ws.world.flags["rejected_13"]
    page = signed_in(browser, base, "agent13", requests)
    followed(page, "Déboutés sans OQTF")
    page.get_by_label("Nouveaux depuis la dernière nuit").check()
    page.get_by_label("État").select_option("TO_DO")
    posted(page, "Filtrer")
    page.screenshot(path=str(tmp_path / "1_liste_filtree.png"), full_page=True)
    open_flag(page, flag["flag_id"])
    assert page.get_by_role("heading", name="Motif et points d'attention").is_visible()
    form = page.locator("#action-OTHER_GROUND_UNDER_EXAMINATION")
    form.get_by_label("Commentaire").fill("demande de titre salarié déposée")
    form.get_by_role("button", name="Ouvrir l'examen").click()
    assert "Enregistré : examen d'un autre fondement" in page.locator(".messages").inner_text()
    page.screenshot(path=str(tmp_path / "2_examen_enregistre.png"), full_page=True)

    publish_next_night(ws)
    followed(page, "Exclusions")
    page.get_by_label("N° AGDREF, OFPRA ou d'écrou").fill(flag["num_agdref"])
    posted(page, "Rechercher")
    row = page.locator("tbody tr", has_text=flag["flag_id"])
    assert "OTHER_GROUND_UNDER_EXAMINATION" in row.inner_text()
    page.screenshot(path=str(tmp_path / "3_exclu_la_nuit_suivante.png"), full_page=True)
    followed(page, "Déboutés sans OQTF")
    assert page.locator("tbody tr").count() >= 1 and flag_link(page, flag["flag_id"]).count() == 0
    assert requests and all(url.startswith(base) for url in requests), requests


def test_an_agent_answers_the_prison_and_the_marker_is_gone_next_night(
        served, browser, tmp_path):
    ws, base = served
    requests: list[str] = []
    flag = ws.world.flags["release_13"]
    page = signed_in(browser, base, "agent13", requests)
    followed(page, "Libérations à venir")
    page.get_by_label("En retard").check()
    posted(page, "Filtrer")
    open_flag(page, flag["flag_id"])
    assert "PRISON_ANSWER_DUE" in page.locator("#motifs + ul").inner_text()
    form = page.locator("#action-PRISON_ANSWER")
    form.get_by_label("oui").check()
    form.get_by_label("Date de prise en charge").fill("2026-11-19")
    form.get_by_role("button", name="Enregistrer").click()
    assert "police aux frontières : oui (le 19/11/2026)" in page.locator(".messages").inner_text()
    page.screenshot(path=str(tmp_path / "4_reponse_enregistree.png"), full_page=True)

    publish_next_night(ws)
    page.reload()
    assert "PRISON_ANSWER_DUE" not in page.locator("#motifs + ul").inner_text()
    assert "réponse donnée" in page.locator("#decisions ~ p").first.inner_text()
    page.screenshot(path=str(tmp_path / "5_plus_de_reponse_due.png"), full_page=True)
    followed(page, "Libérations à venir")
    page.get_by_label("En retard").check()
    posted(page, "Filtrer")
    assert page.locator("tbody tr").count() >= 1 and flag_link(page, flag["flag_id"]).count() == 0
    assert all(url.startswith(base) for url in requests), requests


def test_an_agent_confirms_a_pair_and_the_record_is_linked_next_night(
        served, browser, tmp_path):
    ws, base = served
    requests: list[str] = []
    page = signed_in(browser, base, "agent13", requests)
    followed(page, "Déboutés sans OQTF")
    assert REVIEW_FILE_13 not in page.locator("table").inner_text()  # not acted on
    followed(page, "Identités à vérifier")
    page.locator("tbody tr", has_text=REVIEW_OFPRA_13).get_by_role("link").click()
    page.wait_for_url("**/identites/IDP-*/")
    # the prior, one bar per comparison of the model, the final weight
    assert page.locator("svg.cascade rect").count() == 2 + len(COMPARISON_COLUMNS)
    assert "à vérifier (jamais utilisé)" in page.locator(".etat-resume").inner_text()
    page.screenshot(path=str(tmp_path / "6_paire_a_verifier.png"), full_page=True)
    page.get_by_role("button", name="Confirmer : même personne").click()
    assert "Enregistré : confirmé (même personne)" in page.locator(".messages").inner_text()

    publish_next_night(ws)
    page.reload()
    summary = page.locator(".etat-resume").inner_text()
    assert "rapproché (utilisé)" in summary and "confirmé (même personne)" in summary
    page.screenshot(path=str(tmp_path / "7_paire_confirmee_la_nuit_suivante.png"),
                    full_page=True)
    followed(page, "Déboutés sans OQTF")
    assert REVIEW_FILE_13 in page.locator("table").inner_text()
    page.screenshot(path=str(tmp_path / "8_personne_listee.png"), full_page=True)
    assert all(url.startswith(base) for url in requests), requests


def test_each_list_reads_on_a_screen_of_1280_pixels_without_scrolling_sideways(
        served, browser):
    """A unit's screen of 1,280 pixels holds a list's essential columns: its table within
    the window, none past the right edge (every column on asking may scroll)."""
    ws, base = served
    requests: list[str] = []
    page = signed_in(browser, base, "agent13", requests)
    # (the rejected list's rows may have been acted on by another test of this world)
    for worklist in ("rejected_without_oqtf", "upcoming_releases", "unexecuted_measures"):
        page.goto(f"{base}/listes/{worklist}/")
        if worklist != "rejected_without_oqtf":
            assert page.locator("tbody tr a").count() >= 1, worklist
        table_right, main_right = page.evaluate(
            "[document.querySelector('table.liste').getBoundingClientRect().right,"
            " document.querySelector('main').getBoundingClientRect().right]")
        assert table_right <= main_right <= 1280, worklist
    assert requests and all(url.startswith(base) for url in requests), requests


# A4 landscape less the page's margins of 1 cm (workspace.css, @page), in CSS pixels.
A4_LANDSCAPE_CONTENT = round((29.7 - 2) / 2.54 * 96)


def test_a_list_prints_on_the_width_of_an_a4_page_in_landscape(served, browser, tmp_path):
    """Issue 34 §1, lists printable: printed, a list's table holds on the page's width,
    with its essential columns as with every one (none cut off at the right edge), the
    header on every page, without the menus and the filters."""
    ws, base = served
    requests: list[str] = []
    page = signed_in(browser, base, "agent13", requests)
    for query in ("", "?colonnes=toutes"):  # the list of most columns, no test empties
        page.goto(f"{base}/listes/unexecuted_measures/{query}")
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_LANDSCAPE_CONTENT, "height": 700})
        table_right, client, scroll = page.evaluate(
            "[document.querySelector('table.liste').getBoundingClientRect().right,"
            " document.documentElement.clientWidth, document.documentElement.scrollWidth]")
        assert table_right <= client == A4_LANDSCAPE_CONTENT and scroll <= client, query
        assert page.evaluate("getComputedStyle(document.querySelector('thead')).display"
                             ) == "table-header-group"
        assert not page.locator("nav").is_visible() and not page.locator("form.filtres"
                                                                         ).is_visible()
        assert page.locator("tbody tr").first.get_by_role("link").count() == 1  # rows
        page.pdf(path=str(tmp_path / f"liste{query.replace('?', '_')}.pdf"),
                 prefer_css_page_size=True)
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1280, "height": 900})
    assert requests and all(url.startswith(base) for url in requests), requests
