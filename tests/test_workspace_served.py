"""The workspace's security (issue 34 §7) against the running application: `reconcile
workspace` in its own process on a free port, as an operator starts it (a warehouse of
departments 13 and 75, its SQLite beside it, accounts made with `reconcile users add`),
spoken to in plain HTTP. Django's test client checks the same rules from inside
(tests/test_workspace_access.py); here nothing of the server is stubbed: its middleware,
settings from the environment, cookies as sent on the wire."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.test_workspace_cli import Browser, reconcile, running_workspace
from tests.test_workspace_identities import PAIR_13, PAIR_75, pair_url
from tests.workspace_world import (
    AGDREF_75,
    MARKUP_NAME,
    MINOR_75,
    OFPRA_75,
    PASSWORD,
    build_world,
    write_exports,
)
from transforms.warehouse import database

ACCOUNTS = {"agent13": ("agent", ["13"]), "agent75": ("agent", ["75"]),
            "analyst": ("analyst", []), "locked13": ("agent", ["13"])}
REJECTED = "/listes/rejected_without_oqtf/"
EXPORT = "rejected_without_oqtf_20261116.csv"
SQL_PAYLOADS = ["' OR 1=1 --", "0750000001' OR department <> '13",
                "x'); DROP TABLE worklists.rejected_without_oqtf; --"]


@dataclass(frozen=True)
class Served:
    port: int
    world: object
    excluded_75: str  # the candidate of 75 the night excluded (a minor)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = build_world(tmp_path_factory.mktemp("served-security"))
    for login, (role, departments) in ACCOUNTS.items():
        options = [a for d in departments for a in ("-d", d)]
        made = reconcile("users", "add", login, "--warehouse", str(world.warehouse),
                         "--role", role, *options, "--password", PASSWORD)
        assert made.returncode == 0, made.stderr
    return world


@pytest.fixture(scope="module")
def served(world):
    exports = write_exports(world.warehouse.parent / "exports")
    with database.connect(world.warehouse) as con:
        [(excluded,)] = con.execute(
            "SELECT candidate_id FROM worklists.exclusions WHERE num_agdref = ?",
            [MINOR_75]).fetchall()
    with running_workspace(world.warehouse, "--exports", str(exports)) as port:
        yield Served(port, world, excluded)


def signed_in(served: Served, login: str) -> Browser:
    browser = Browser(served.port)
    answer = browser.sign_in(login)
    assert answer.status == 302 and answer.location == "/", answer.text[:200]
    return browser


def flag_path(served: Served, name: str) -> str:
    worklist = {"rejected": "rejected_without_oqtf", "release": "upcoming_releases",
                "measure": "unexecuted_measures"}[name.split("_")[0]]
    return f"/listes/{worklist}/{served.world.flags[name]['flag_id']}/"


def test_unauthenticated_requests_are_sent_to_sign_in(served):
    paths = ["/", REJECTED, flag_path(served, "rejected_13"), "/recherche/",
             "/identites/", pair_url(PAIR_13), "/exports/", f"/exports/13/{EXPORT}",
             "/tableau-de-bord/", "/indicateurs/", "/exclusions/", "/journal/"]
    for path in paths:
        answer = Browser(served.port).get(path)
        assert answer.status == 302, path
        assert answer.location.startswith("/connexion/?next="), path
        assert served.world.flags["rejected_13"]["flag_id"] not in answer.text
    refused = Browser(served.port).request("POST", flag_path(served, "rejected_13")
                                           + "decisions/", {"kind": "TAKEN"})
    assert refused.status in (302, 403)  # never recorded without an account


def test_an_agent_gets_not_found_for_everything_of_another_department(served):
    agent13, agent75 = signed_in(served, "agent13"), signed_in(served, "agent75")
    theirs = {
        "flag": flag_path(served, "rejected_75"),
        # the person as the night excluded them: the page that says why, with their rows
        "person": f"{REJECTED}{served.excluded_75}/",
        "export": f"/exports/75/{EXPORT}",
        "review pair": pair_url(PAIR_75),
    }
    for what, path in theirs.items():
        hidden = agent13.get(path)
        assert hidden.status == 404, what
        for theirs_only in (served.world.flags["rejected_75"]["flag_id"], AGDREF_75,
                            MINOR_75, "MARTINS", "KARA"):
            assert theirs_only not in hidden.text, what
        assert agent75.get(path).status == 200, what  # it exists, for its department
    hidden, shown = (browser.post("/recherche/", number=OFPRA_75) for browser in (agent13, agent75))
    assert hidden.status == 404 and shown.status == 200  # the search's result
    for theirs_only in (served.world.flags["rejected_75"]["flag_id"], AGDREF_75, "KARA"):
        assert theirs_only not in hidden.text
    # the source rows are shown on the flag's page only: 75's never reach agent13
    own = agent75.get(flag_path(served, "rejected_75")).text
    source = re.search(r"TELEMOFPRA_75_\d{8}\.csv:\d+", own).group(0)
    assert source not in agent13.get(REJECTED).text
    assert agent13.post("/recherche/", number=source).status == 404
    # nor may agent13 decide on 75's flag or pair
    token = agent13.token(flag_path(served, "rejected_13"))
    assert agent13.request("POST", theirs["flag"] + "decisions/", {
        "csrfmiddlewaretoken": token, "kind": "TAKEN"}).status == 404
    assert agent13.request("POST", pair_url(PAIR_75, True), {
        "csrfmiddlewaretoken": token, "decision": "CONFIRMED"}).status == 404


def test_an_analyst_is_forbidden_every_person_page(served):
    analyst = signed_in(served, "analyst")
    for path in (flag_path(served, "rejected_13"), f"{REJECTED}{served.excluded_75}/",
                 REJECTED, "/recherche/", pair_url(PAIR_13)):
        answer = analyst.get(path)
        assert answer.status == 403, path
        assert served.world.flags["rejected_13"]["flag_id"] not in answer.text
    assert analyst.get("/indicateurs/").status == 200


def test_a_post_without_its_csrf_token_is_refused(served):
    agent13 = signed_in(served, "agent13")
    path = flag_path(served, "measure_13") + "decisions/"
    refused = agent13.request("POST", path, {"kind": "COMMENT", "note": "sans jeton"})
    assert refused.status == 403 and "Formulaire refusé" in refused.text
    forged = agent13.request("POST", path, {"csrfmiddlewaretoken": "x" * 64,
                                            "kind": "COMMENT", "note": "faux jeton"})
    assert forged.status == 403
    assert "sans jeton" not in agent13.get(flag_path(served, "measure_13")).text
    stranger = Browser(served.port)
    stranger.get("/connexion/")  # the cookie, but no token in the form
    assert stranger.request("POST", "/connexion/", {
        "username": "agent13", "password": PASSWORD}).status == 403
    accepted = agent13.request("POST", path, {"csrfmiddlewaretoken": agent13.token(
                                                  flag_path(served, "measure_13")),
                                              "kind": "COMMENT", "note": "avec jeton"})
    assert accepted.status == 302


def test_a_name_with_markup_from_an_input_file_is_shown_as_text(served):
    page = signed_in(served, "agent75").get(flag_path(served, "rejected_75")).text
    assert MARKUP_NAME not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;KARA&lt;/b&gt;" in page
    assert "script-src 'self'" in Browser(served.port).get("/connexion/").headers[
        "Content-Security-Policy"]


@pytest.mark.parametrize("payload", SQL_PAYLOADS)
def test_sql_in_filter_and_search_parameters_is_harmless(served, payload):
    agent13 = signed_in(served, "agent13")
    own, theirs = (served.world.flags[n]["flag_id"] for n in ("rejected_13", "rejected_75"))
    for params in ({"number": payload}, {"marker": payload}, {"state": payload},
                   {"assignee": payload}, {"new": payload, "overdue": payload}):
        listed = agent13.post(REJECTED, **params)
        assert listed.status == 200, params
        assert theirs not in listed.text, params
    searched = agent13.post("/recherche/", number=payload)
    assert searched.status == 404 and theirs not in searched.text
    assert agent13.post("/exclusions/", number=payload).status == 200
    assert own in agent13.get(REJECTED).text  # the list is still there, unchanged
    assert theirs in signed_in(served, "agent75").get(REJECTED).text


def test_cookies_are_httponly_and_samesite_and_not_secure_over_plain_http(served):
    browser = Browser(served.port)
    browser.token()
    signed = browser.sign_in("agent13")
    for cookie in (signed.cookie("csrftoken"), signed.cookie("sessionid")):
        assert cookie, signed.headers.get_all("Set-Cookie")
        attributes = {a.strip().lower() for a in cookie.split(";")[1:]}
        assert "httponly" in attributes and "samesite=strict" in attributes
        assert "secure" not in attributes


def test_cookies_are_secure_behind_the_https_reverse_proxy(world):
    """As the README's operator section configures it: RECONCILE_WORKSPACE_HTTPS=1, the
    proxy setting X-Forwarded-Proto: https."""
    with running_workspace(world.warehouse, RECONCILE_WORKSPACE_HTTPS="1") as port:
        proxied = Browser(port, {"X-Forwarded-Proto": "https",
                                 "Origin": f"https://127.0.0.1:{port}"})
        signed = proxied.sign_in("agent13")
        assert signed.status == 302 and signed.location == "/"
        for name in ("csrftoken", "sessionid"):
            attributes = {a.strip().lower() for a in signed.cookie(name).split(";")[1:]}
            assert {"secure", "httponly", "samesite=strict"} <= attributes, name
        listed = proxied.get(REJECTED)
        assert listed.status == 200
        assert listed.headers["Strict-Transport-Security"] == "max-age=31536000"
        # a form posted from another origin is refused, token or not
        foreign = Browser(port, {"X-Forwarded-Proto": "https",
                                 "Origin": "https://intrus.example"})
        assert foreign.request("POST", "/connexion/", {
            "csrfmiddlewaretoken": foreign.token(), "username": "agent13",
            "password": PASSWORD}).status == 403


def test_sign_in_is_throttled_after_repeated_failures(served):
    browser = Browser(served.port)
    for attempt in range(1, 6):  # the default limit: 5 (workspace/options.py)
        failed = browser.sign_in("locked13", "not the password at all")
        assert failed.status == (429 if attempt == 5 else 200), attempt  # the 5th locks
        assert "sessionid" not in browser.cookies
    locked = browser.sign_in("locked13")  # the right password, too late
    assert locked.status == 429 and "Connexion suspendue" in locked.text
    assert "sessionid" not in browser.cookies
    assert Browser(served.port).sign_in("agent13").status == 302  # others unaffected


def test_behind_the_proxy_throttling_counts_each_client_apart(world):
    """Behind the HTTPS proxy every request comes from its address: the client's, in the
    X-Forwarded-For the proxy sets, is what sign-in throttling counts, so that a stranger
    failing five times does not lock the agent out."""
    with running_workspace(world.warehouse, RECONCILE_WORKSPACE_HTTPS="1") as port:
        def client(address: str) -> Browser:
            return Browser(port, {"X-Forwarded-Proto": "https", "X-Forwarded-For": address,
                                  "Origin": f"https://127.0.0.1:{port}"})
        stranger = client("203.0.113.7")
        for attempt in range(1, 6):
            failed = stranger.sign_in("agent13", "not the password at all")
            assert failed.status == (429 if attempt == 5 else 200), attempt
        assert stranger.sign_in("agent13").status == 429
        assert client("10.13.0.21").sign_in("agent13").status == 302
