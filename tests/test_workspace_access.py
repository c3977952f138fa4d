"""The workspace's security (issue 34 §2, §7), against the application through Django's
test client: sign-in required, need to know enforced by the server (404 for another
department, 403 for an analyst), CSRF, throttling, cookies, markup shown as text, SQL in
parameters harmless, views logged."""

from __future__ import annotations

import html
import logging
import re

import pytest

from tests.workspace_world import AGDREF_75, MARKUP_NAME, OFPRA_75, PASSWORD, client_for

REJECTED = "/listes/rejected_without_oqtf/"


@pytest.fixture(scope="module")
def ws(workspace_app):
    return workspace_app


def flag_url(ws, name: str) -> str:
    flag = ws.world.flags[name]
    worklist = {"rejected": "rejected_without_oqtf", "release": "upcoming_releases"}[
        name.split("_")[0]]
    return f"/listes/{worklist}/{flag['flag_id']}/"


@pytest.mark.parametrize("path", ["/", REJECTED, "/recherche/?number=1", "/indicateurs/"])
def test_unauthenticated_requests_are_sent_to_sign_in(ws, path):
    response = client_for(ws).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")


def test_unauthenticated_flag_page_is_sent_to_sign_in(ws):
    response = client_for(ws).get(flag_url(ws, "rejected_13"))
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")


def test_sign_in_sets_httponly_samesite_cookies_and_opens_the_lists(ws):
    client = client_for(ws)
    page = client.get("/connexion/")
    assert page.status_code == 200 and "Mot de passe" in page.content.decode()
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Strict"
    response = client.post("/connexion/", {"username": "agent13", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Strict"
    assert not session["secure"]  # Secure behind HTTPS only (RECONCILE_WORKSPACE_HTTPS)
    assert client.get(REJECTED).status_code == 200


def test_sign_in_is_throttled_after_repeated_failures(ws):
    client = client_for(ws)
    for _ in range(3):
        client.post("/connexion/", {"username": "manager13", "password": "wrong password"})
    locked = client.post("/connexion/", {"username": "manager13", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Connexion suspendue" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_form_without_its_csrf_token_is_refused(ws):
    client = client_for(ws, enforce_csrf_checks=True)
    response = client.post("/connexion/", {"username": "agent13", "password": PASSWORD})
    assert response.status_code == 403
    assert "Formulaire refusé" in response.content.decode()
    signed_in = client_for(ws, "agent13", enforce_csrf_checks=True)
    assert signed_in.post("/deconnexion/").status_code == 403


def test_an_agent_sees_only_the_rows_of_their_departments(ws):
    page = client_for(ws, "agent13").get(REJECTED).content.decode()
    assert ws.world.flags["rejected_13"]["flag_id"] in page
    assert ws.world.flags["rejected_75"]["flag_id"] not in page
    assert "Déboutés du droit d&#x27;asile sans OQTF" in page


def test_another_departments_flag_is_not_found(ws):
    agent13 = client_for(ws, "agent13")
    assert agent13.get(flag_url(ws, "rejected_75")).status_code == 404
    assert agent13.get(flag_url(ws, "rejected_13")).status_code == 200
    assert client_for(ws, "agent75").get(flag_url(ws, "rejected_13")).status_code == 404


def test_search_finds_nothing_in_another_department(ws):
    agent13, agent75 = client_for(ws, "agent13"), client_for(ws, "agent75")
    flag_75 = ws.world.flags["rejected_75"]["flag_id"]
    for number in (OFPRA_75, AGDREF_75):
        hidden = agent13.post("/recherche/", {"number": number})
        assert hidden.status_code == 404 and flag_75 not in hidden.content.decode()
        shown = agent75.post("/recherche/", {"number": number})
        assert shown.status_code == 200 and flag_75 in shown.content.decode()


def test_an_analyst_is_forbidden_every_person_page(ws):
    analyst = client_for(ws, "analyst")
    for path in (flag_url(ws, "rejected_13"), REJECTED, "/recherche/"):
        assert analyst.get(path).status_code == 403
    assert analyst.post("/recherche/", {"number": OFPRA_75}).status_code == 403
    counts = analyst.get("/indicateurs/")
    assert counts.status_code == 200
    assert ws.world.flags["rejected_13"]["flag_id"] not in counts.content.decode()


def departments_counted(page) -> set[str]:
    return set(re.findall(r"<td>(\d[\dAB])</td>", page.content.decode()))


def test_the_indicators_count_the_account_s_departments_and_every_one_for_an_analyst(ws):
    """DESIGN.md, need to know: "every query is scoped on the server to the account's
    departments"; analyst-facing indicators are aggregates (national)."""
    assert departments_counted(client_for(ws, "agent13").get("/indicateurs/")) == {"13"}
    assert departments_counted(client_for(ws, "agent75").get("/indicateurs/")) == {"75"}
    assert departments_counted(client_for(ws, "analyst").get("/indicateurs/")) >= {"13", "75"}
    assert departments_counted(client_for(ws, "admin").get("/indicateurs/")) == set()


def test_an_admin_without_departments_sees_no_person(ws):
    admin = client_for(ws, "admin")
    assert admin.get(flag_url(ws, "rejected_13")).status_code == 404
    page = admin.get(REJECTED).content.decode()
    assert ws.world.flags["rejected_13"]["flag_id"] not in page and "Aucune ligne." in page
    assert "départements : aucun — aucune ligne." in page  # French: not "0 lignes"


def test_the_flag_page_explains_in_french_and_shows_the_source_rows(ws):
    page = client_for(ws, "manager13").get(flag_url(ws, "release_13")).content.decode()
    assert "PRISON_ANSWER_DUE" in page and "(PRI-05)" in page
    assert "libération dans 7 jours au plus" in page
    assert "Libération prévisible" in page  # the exports' French header
    assert "GENESIS_E01301_20261116.csv:2" in page and "BENALI" in page
    assert "nouveau" in page  # its history: new tonight
    # its facts' codes in French, each with its code
    from schemas import exports

    situation = ws.world.flags["release_13"]["situation"]
    worded = exports.LABELS["situation"][1][situation]
    assert html.unescape(f"<dd>{worded} ({situation})</dd>") in html.unescape(page), situation
    # the exclusions' filter names each reason in French, with its code
    reasons = html.unescape(client_for(ws, "manager13").get("/exclusions/").content.decode())
    assert f">{exports.EXCLUSIONS_FR['MINOR']} (MINOR)</option>" in reasons


def test_markup_in_a_name_from_an_input_file_is_shown_as_text(ws):
    page = client_for(ws, "agent75").get(flag_url(ws, "rejected_75")).content.decode()
    assert MARKUP_NAME not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;KARA&lt;/b&gt;" in page


@pytest.mark.parametrize("params", [
    {"number": "' OR 1=1 --"}, {"number": "0123456789' OR department <> '13"},
    {"marker": "x'); DROP TABLE worklists.rejected_without_oqtf; --"},
    {"new": "1 OR 1=1", "overdue": "1; DELETE FROM core.persons"},
])
def test_sql_in_filter_parameters_is_harmless(ws, params):
    agent13 = client_for(ws, "agent13")
    response = agent13.post(REJECTED, params)
    assert response.status_code == 200
    assert ws.world.flags["rejected_75"]["flag_id"] not in response.content.decode()
    after = agent13.get(REJECTED).content.decode()
    assert ws.world.flags["rejected_13"]["flag_id"] in after


def test_filters_narrow_the_list(ws):
    agent13 = client_for(ws, "agent13")
    flag_13 = ws.world.flags["rejected_13"]["flag_id"]
    assert flag_13 in agent13.get(REJECTED, {"new": "1"}).content.decode()
    assert flag_13 in agent13.post(REJECTED, {"number": "0123456789"}).content.decode()
    assert flag_13 not in agent13.post(REJECTED, {"number": "9999999999"}).content.decode()
    assert flag_13 not in agent13.get(
        REJECTED, {"marker": "NO_CONSULAR_CONTACT"}).content.decode()


def test_each_view_of_a_flag_is_logged_without_personal_data(ws):
    from workspace.accounts.models import PageView

    flag_id = ws.world.flags["rejected_13"]["flag_id"]
    client_for(ws, "agent13").get(flag_url(ws, "rejected_13"))
    seen = PageView.objects.filter(account__username="agent13", target=flag_id)
    # the latest: a look-up by number that showed the flag may have been logged before
    assert seen.exists() and seen.order_by("-id").first().kind == "rejected_without_oqtf"


def test_a_look_up_by_number_logs_the_flags_shown_never_the_number_and_lists_are_logged(ws):
    from workspace.accounts.models import PageView

    flag_75 = ws.world.flags["rejected_75"]["flag_id"]
    agent75 = client_for(ws, "agent75")
    since = PageView.objects.order_by("-id").values_list("id", flat=True).first() or 0
    agent75.post("/recherche/", {"number": AGDREF_75})
    agent75.post(REJECTED, {"number": AGDREF_75})
    agent75.post("/exclusions/", {"number": AGDREF_75})
    client_for(ws, "agent13").post("/recherche/", {"number": OFPRA_75})  # not theirs
    logged = list(PageView.objects.filter(id__gt=since).values_list(
        "account__username", "kind", "target"))
    assert ("agent75", "search", flag_75) in logged
    assert [v for v in logged if v[0] == "agent75" and v[1] == "search"].count(
        ("agent75", "search", flag_75)) == 2  # the search page and the list page
    assert any(v[:2] == ("agent75", "exclusions") for v in logged)
    assert ("agent13", "search", "") in logged  # a look-up that found nothing
    assert not [v for v in logged if AGDREF_75 in v[2] or OFPRA_75 in v[2]]
    # a list opened is logged by its name: who saw which list's rows, when
    agent75.get(REJECTED)
    agent75.get("/exclusions/")
    agent75.get("/identites/")
    opened = set(PageView.objects.filter(account__username="agent75", kind="list")
                 .values_list("target", flat=True))
    assert opened == {"rejected_without_oqtf", "exclusions", "identites"}


def test_the_proxy_header_signs_no_one_in_by_default(ws):
    response = client_for(ws).get("/", HTTP_X_REMOTE_USER="agent13")
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")


def test_pages_carry_a_content_security_policy_and_the_vendored_style(ws):
    agent13 = client_for(ws, "agent13")
    response = agent13.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "/static/workspace/workspace.css" in response.content.decode()
    assert "http://" not in response.content.decode() and "https://" not in \
        response.content.decode()


def test_a_refused_request_is_in_the_views_log_without_what_could_be_a_person(ws):
    """Need to know, audited: an agent probing another department's flag, pair or export
    (not found) and an analyst asking for a person (forbidden) are in the views log, with
    the page and its keys; a name or a number typed into an address is never kept."""
    from workspace.accounts.models import PageView
    from workspace.accounts.refusals import NOT_KEPT, REFUSED

    flag_75 = ws.world.flags["rejected_75"]["flag_id"]
    flag_13 = ws.world.flags["rejected_13"]["flag_id"]
    since = PageView.objects.order_by("-id").values_list("id", flat=True).first() or 0
    agent13 = client_for(ws, "agent13")
    assert agent13.get(flag_url(ws, "rejected_75")).status_code == 404
    assert agent13.get(f"/listes/rejected_without_oqtf/{AGDREF_75}/").status_code == 404
    assert agent13.get("/listes/rejected_without_oqtf/DUPONT/").status_code == 404
    assert agent13.get(f"/identites/IDP-{'0' * 16}/").status_code == 404
    assert agent13.get("/exports/75/rejected_without_oqtf_20261117.csv").status_code == 404
    assert client_for(ws, "analyst").get(flag_url(ws, "rejected_13")).status_code == 403
    client_for(ws).get(flag_url(ws, "rejected_75"))  # not signed in: sent to sign in
    assert agent13.get("/favicon.ico").status_code == 404  # no page: nothing refused
    refused = list(PageView.objects.filter(id__gt=since, kind=REFUSED).values_list(
        "account__username", "target"))
    assert refused == [
        ("agent13", f"404 flag {flag_75} rejected_without_oqtf"),
        ("agent13", f"404 flag {NOT_KEPT} rejected_without_oqtf"),
        ("agent13", f"404 flag {NOT_KEPT} rejected_without_oqtf"),
        ("agent13", f"404 identity_pair IDP-{'0' * 16}"),
        ("agent13", "404 download 75 rejected_without_oqtf_20261117.csv"),
        ("analyst", f"403 flag {flag_13} rejected_without_oqtf"),
    ]
    assert not [t for _, t in refused if AGDREF_75 in t or "DUPONT" in t]
    # the administrator finds them under their kind
    page = client_for(ws, "admin").get("/journal/", {"kind": REFUSED}).content.decode()
    assert f"404 flag {flag_75}" in page


def test_an_address_typed_with_a_persons_number_reaches_no_log(ws, caplog):
    """An address is typed by hand with a number or a name in it: Django's request log
    ("Not Found: <path>", the console, journald) keeps the page and its checked parts."""
    agent13 = client_for(ws, "agent13")
    typed = ("/listes/rejected_without_oqtf/0750000001/", "/listes/DUPONT/",
             "/identites/0750000001/", "/nulle-part/DUPONT/", "/listes/LEFÈVRE/",
             "/nulle-part/Hélène/")
    with caplog.at_level(logging.WARNING):
        for path in typed:
            assert agent13.get(path).status_code == 404
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert len(caplog.records) == len(typed)
    assert not [n for n in ("0750000001", "DUPONT", "LEF", "l\\xe8ne", "lène")
                if n in logged]
    assert "Not Found: flag (non conservé) rejected_without_oqtf" in logged


def test_a_row_of_an_unchanged_delivery_is_shown_from_the_file_it_repeats(tmp_path, con):
    """AGDREF sends the same bytes on the next night (UNCHANGED): its rows are stored once,
    under the file it repeats, and the lists cite the new file's lines (its date's
    delivery). A flag's page shows those rows as delivered (principle 2), not "line not
    kept" as if purged."""
    from datetime import date

    from tests.scenarios import PERSON, RUN, Inbox
    from workspace.lists.queries import source_rows

    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.decide(RUN)
    later = date(2026, 11, 17)
    inbox.agdref("PERSONNES", later)
    inbox.decide(later)
    name = f"AGDREF_PERSONNES_13_{later:%Y%m%d}.csv"
    [(status,)] = con.execute("SELECT status FROM audit.files WHERE file_name = ?",
                              [name]).fetchall()
    assert status == "UNCHANGED"
    [shown] = source_rows(con, [f"{name}:2"])
    assert (shown["file"], dict(shown["values"])["NUM_AGDREF"]) == (name, PERSON)


def test_a_login_naming_no_account_is_counted_but_never_kept_as_typed(ws, caplog):
    """A password typed in the login's field, or a mistyped login: repeated failures on
    it are still locked, and neither axes' table nor the journal keeps the text."""
    from axes.models import AccessAttempt

    typed = "Motdepasse-Secret-2026"
    client = client_for(ws)
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            client.post("/connexion/", {"username": typed, "password": "wrong password"})
        locked = client.post("/connexion/", {"username": typed, "password": PASSWORD})
    assert locked.status_code == 429
    kept = list(AccessAttempt.objects.values_list("username", flat=True))
    assert not [k for k in kept if typed.lower() in (k or "").lower()]
    assert any(k.startswith("inconnu-") for k in kept)
    assert "Locking out" in caplog.text and typed not in caplog.text
    # an account's login is kept as it is (an administrator can tell whom it locked)
    for _ in range(3):
        client.post("/connexion/", {"username": "agent75", "password": "wrong password"})
    assert AccessAttempt.objects.filter(username="agent75").exists()


def test_the_logins_kept_before_are_keyed_by_the_upgrade(ws):
    """The rows axes kept as typed before this version: the migration keeps them as the
    sign-in now would (an account's login as it is)."""
    from importlib import import_module

    from axes.models import AccessAttempt
    from django.apps import apps

    from workspace.accounts.throttle import keyed

    migration = import_module("workspace.accounts.migrations.0003_failed_logins_keyed")
    row = {"user_agent": "test", "ip_address": "192.0.2.7", "http_accept": "*/*",
           "path_info": "/connexion/", "get_data": "", "post_data": "",
           "failures_since_start": 1}
    AccessAttempt.objects.create(username="Typed-Before-Upgrade", **row)
    AccessAttempt.objects.create(username="agent13", **row)
    migration.key_failed_logins(apps, None)
    migration.key_failed_logins(apps, None)  # a second run changes nothing
    kept = set(AccessAttempt.objects.filter(ip_address="192.0.2.7")
               .values_list("username", flat=True))
    assert kept == {keyed("Typed-Before-Upgrade"), "agent13"}
