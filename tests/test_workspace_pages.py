"""The exclusions page (why someone is not listed, by number, need to know enforced),
the night's exports downloaded through the workspace (a department's files to its
accounts only, each download logged) and the log of views, for administrators only
(issue 34 §3, §6)."""

from __future__ import annotations

import re

import pytest

from tests.workspace_world import (
    EXPORT_NAME,
    HANDOVERS_NAME,
    MINOR_75,
    OFPRA_MINOR,
    OFPRA_PERMIT,
    PERMIT_HOLDER,
    client_for,
)


@pytest.fixture(scope="module")
def ws(workspace_app):
    return workspace_app


def test_exclusions_are_searchable_by_number_in_the_accounts_departments(ws):
    agent13, agent75 = client_for(ws, "agent13"), client_for(ws, "agent75")
    for number in (PERMIT_HOLDER, OFPRA_PERMIT):
        page = agent13.post("/exclusions/", {"number": number}).content.decode()
        assert "RESIDENCE_PERMIT" in page and "titre de séjour" in page
    hidden = agent13.post("/exclusions/", {"number": OFPRA_MINOR}).content.decode()
    assert MINOR_75 not in hidden and "Aucune exclusion ne correspond" in hidden
    assert "MINOR" in agent75.post("/exclusions/", {"number": MINOR_75}).content.decode()
    every = agent13.get("/exclusions/").content.decode()
    assert PERMIT_HOLDER in every and MINOR_75 not in every
    assert PERMIT_HOLDER not in agent13.get(
        "/exclusions/", {"reason": "MINOR"}).content.decode()
    harmless = agent13.post("/exclusions/", {"number": "' OR 1=1 --", "reason": "x' OR '1"})
    assert harmless.status_code == 200 and MINOR_75 not in harmless.content.decode()
    assert client_for(ws, "analyst").get("/exclusions/").status_code == 403


def test_exports_are_downloaded_by_their_department_only_and_logged(ws):
    from workspace.accounts.models import PageView

    agent13 = client_for(ws, "agent13")
    listing = agent13.get("/exports/").content.decode()
    assert f"/exports/13/{EXPORT_NAME}" in listing and "/exports/75/" not in listing
    assert "notes.txt" not in listing
    assert f"/exports/13/{HANDOVERS_NAME}" in listing  # the quarters' handovers too
    download = agent13.get(f"/exports/13/{EXPORT_NAME}")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).decode("utf-8-sig").endswith(";13\n")
    assert PageView.objects.filter(account__username="agent13", kind="export",
                                   target=f"13/{EXPORT_NAME}").exists()
    assert agent13.get(f"/exports/75/{EXPORT_NAME}").status_code == 404
    assert agent13.get("/exports/13/notes.txt").status_code == 404
    assert agent13.get("/exports/13/..%2F75%2F" + EXPORT_NAME).status_code == 404
    assert client_for(ws, "analyst").get(f"/exports/13/{EXPORT_NAME}").status_code == 403


def test_the_views_log_is_for_administrators_only(ws):
    flag = ws.world.flags["rejected_13"]["flag_id"]
    client_for(ws, "agent13").get(f"/listes/rejected_without_oqtf/{flag}/")
    page = client_for(ws, "admin").get("/journal/", {"login": "agent13"})
    text = page.content.decode()
    assert page.status_code == 200 and flag in text and "agent13" in text
    for login in ("agent13", "manager13", "analyst"):
        assert client_for(ws, login).get("/journal/").status_code == 403
    assert "/journal/" in client_for(ws, "admin").get("/").content.decode()
    assert "/journal/" not in client_for(ws, "agent13").get("/").content.decode()


def test_the_models_and_their_migrations_agree(ws):
    """Every change of a model has its migration (the schema a deployment migrates to is
    the one the code reads)."""
    from django.core.management import call_command

    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_list_cells_read_in_french_and_every_row_opens_its_flag(ws):
    """A list page shows each code in its French wording (the exports' label columns),
    the markers' filter too; a detainee without an AGDREF number (identity to confirm)
    is opened by the person's key, never by an empty link."""
    from django.utils.html import escape

    from schemas import exports
    from workspace.decisions.state import FlagState
    from workspace.lists import queries, views

    page = client_for(ws, "agent13").get("/listes/upcoming_releases/").content.decode()
    release = ws.world.flags["release_13"]
    assert f"<td>{escape(exports.REASONS_FR[release['situation']])}</td>" in page
    assert f"<td>{release['situation']}</td>" not in page
    assert ('<option value="NO_CONSULAR_CONTACT" >'
            f"{escape(exports.MARKERS_FR['NO_CONSULAR_CONTACT'])}</option>") in page
    unidentified = {**release, "num_agdref": None, "person_key": "genesis:E01301:000102",
                    "situation": "IDENTITY_TO_CONFIRM", "markers": ["STALE_PRISON_LIST"]}
    html = str(views._row("upcoming_releases", "REL-0", unidentified,
                          queries.columns("upcoming_releases"), FlagState()))
    assert '"/listes/upcoming_releases/REL-0/">genesis:E01301:000102</a>' in html
    assert f"<td>{escape(exports.REASONS_FR['IDENTITY_TO_CONFIRM'])}</td>" in html
    assert escape(exports.MARKERS_FR["STALE_PRISON_LIST"]) in html
    assert "IDENTITY_TO_CONFIRM" not in html and "STALE_PRISON_LIST" not in html


def test_the_home_page_counts_each_list_in_the_accounts_departments(ws):
    """What is waiting, at a glance: each list's rows, those new tonight and those past
    their date, the identity pairs to decide, in the account's departments only."""
    import duckdb
    from django.utils.html import escape

    from schemas.exports import TITLES as LIST_NAMES

    page = client_for(ws, "agent13").get("/").content.decode()
    with duckdb.connect(str(ws.world.warehouse), read_only=True) as con:
        rejected, overdue = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE days_overdue > 0) FROM "
            "worklists.rejected_without_oqtf WHERE department = '13'").fetchall()[0]
        pairs = con.execute("SELECT count(*) FROM core.link_review WHERE department = '13' "
                            "AND decision IS NULL").fetchall()[0][0]
    assert f"{escape(LIST_NAMES['rejected_without_oqtf'])}</a> : {rejected} —" in page
    assert f'?overdue=1">{overdue} hors délai</a>' in page
    assert f"{pairs} paire{'s' if pairs > 1 else ''} à décider" in page
    assert "cette nuit" in page
    # the answers due to an establishment within 7 days (PRI-05), as the static card
    # counts them; "new" agrees with each list's title (outputs audit of 2026-12-07:
    # neither was said, and "1 nouveau" was written of the measures)
    with duckdb.connect(str(ws.world.warehouse), read_only=True) as con:
        due = con.execute("SELECT count(*) FROM worklists.upcoming_releases WHERE "
                          "department = '13' AND list_contains(markers, 'PRISON_ANSWER_DUE')"
                          ).fetchall()[0][0]
    said = f"{due} réponse{'s dues' if due > 1 else ' due'} à l'établissement (7 jours)"
    assert f"?overdue=1\">{escape(said)}</a>" in page, page
    measures = page.split(escape(LIST_NAMES["unexecuted_measures"]))[1].split("</li>")[0]
    assert re.search(r"\d+ nouvelles? cette nuit", measures), measures


def test_a_list_page_shows_its_essential_columns_and_every_one_on_asking(ws):
    """A list reads on a screen and prints on a page: the person's key, the flag's id, the
    rule ids and the rows cited only on asking (`?colonnes=toutes`, kept by the filters),
    the department too for an account of one department; the markers and dates always;
    the flag's page gives its id and rules."""
    import html
    import re

    from schemas import exports

    def headers(page: str) -> list[str]:
        return [html.unescape(h) for h in re.findall(r'<th scope="col"[^>]*>([^<]*)</th>',
                                                     page)]

    labels = exports.COLUMNS["rejected_without_oqtf"]
    on_asking = ("person_key", "flag_id", "rule_ids", "source_rows")
    agent = client_for(ws, "agent13")
    flag = ws.world.flags["rejected_13"]
    page = agent.get("/listes/rejected_without_oqtf/").content.decode()
    shown = headers(page)
    for hidden in (*on_asking, "department"):
        assert labels[hidden][0] not in shown, hidden
    for kept in ("num_agdref", "markers", "oqtf_due_date", "reason"):
        assert labels[kept][0] in shown, kept
    # the flag's id only in its row's link (the address of its page), in no cell
    assert flag["num_agdref"] in page
    assert page.count(flag["flag_id"]) == page.count(f'/{flag["flag_id"]}/"') == 1
    flag_page = agent.get(f"/listes/rejected_without_oqtf/{flag['flag_id']}/").content.decode()
    assert flag["flag_id"] in flag_page and flag["rule_ids"][0] in flag_page
    assert 'href="?colonnes=toutes"' in page
    every = agent.get("/listes/rejected_without_oqtf/?new=1&colonnes=toutes").content.decode()
    assert {labels[c][0] for c in (*on_asking, "department")} <= set(headers(every))
    assert '<input type="hidden" name="colonnes" value="toutes">' in every
    assert 'href="?new=1"' in every  # back to the essential columns, the filter kept
    # an account of several departments reads each row's department
    from workspace.accounts.models import Account
    from workspace.accounts.registry import add_account

    if not Account.objects.filter(username="manager1375").exists():
        ws.accounts["manager1375"] = add_account("manager1375", "manager", ["13", "75"],
                                                 "another long passphrase 1375")
    several = client_for(ws, "manager1375").get("/listes/rejected_without_oqtf/")
    assert labels["department"][0] in headers(several.content.decode())


def test_a_prison_reads_by_its_name_on_the_list_and_the_flag(ws):
    """As in the exports (`Établissement (en clair)`): the prison's name as its latest
    GENESIS list writes it, its code beside it, on the list and on the flag's page."""
    import duckdb
    from django.utils.html import escape

    release = ws.world.flags["release_13"]
    with duckdb.connect(str(ws.world.warehouse), read_only=True) as con:
        name = con.execute(
            "SELECT establishment_name FROM staging.detainees WHERE establishment_code = ? "
            "ORDER BY extraction_date DESC LIMIT 1", [release["establishment_code"]]
        ).fetchall()[0][0]
    assert name
    shown = escape(f"{name} ({release['establishment_code']})")
    agent = client_for(ws, "agent13")
    assert f"<td>{shown}</td>" in agent.get("/listes/upcoming_releases/").content.decode()
    page = agent.get(f"/listes/upcoming_releases/{release['flag_id']}/").content.decode()
    assert shown in page


def test_a_columns_help_never_points_to_a_column_the_page_does_not_show():
    """The exports follow a code column with its wording; a page shows the wording in the
    cell (a code) or the code alone (the rules applied, an identifier)."""
    from workspace.lists import labels

    helps = {h["name"]: h["help"] for h in labels.headers(
        "upcoming_releases", ["situation", "markers", "rule_ids"])}
    assert not [name for name, text in helps.items() if "colonne suivante" in text]
    assert helps["situation"].endswith(labels.IN_WORDS)
    assert "toutes lettres" not in helps["rule_ids"]
