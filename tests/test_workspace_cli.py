"""`reconcile users` and `reconcile workspace` as an operator runs them (own processes):
accounts added, listed and disabled; the served application answers over HTTP, sends the
unauthenticated to sign-in, serves its own style and keeps another department's flag
out of reach of a signed-in agent."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest

from flows.prefect_server import free_port
from tests.workspace_world import PASSWORD, build_world


def reconcile(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("served"))


def test_users_add_list_disable(world):
    wh = str(world.warehouse)
    added = reconcile("users", "add", "agent13", "--warehouse", wh, "--role", "agent",
                      "-d", "13", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.returncode == 0, added.stderr
    assert "account agent13 added: agent, departments 13" in added.stdout
    assert PASSWORD not in added.stdout + added.stderr
    refused = reconcile("users", "add", "someone", "--warehouse", wh, "--role", "boss",
                        "--password", PASSWORD)
    assert refused.returncode == 1 and "role must be one of" in refused.stderr
    weak = reconcile("users", "add", "weak", "--warehouse", wh, "--password", "1234")
    assert weak.returncode == 1
    analyst = reconcile("users", "add", "analyst1", "--warehouse", wh, "--role", "analyst",
                        "-d", "13", "--password", PASSWORD)
    assert analyst.returncode == 1 and "no department" in analyst.stderr
    assert reconcile("users", "disable", "agent13", "--warehouse", wh).returncode == 0
    listed = reconcile("users", "list", "--warehouse", wh).stdout
    assert "agent13\tagent\t13\tdisabled" in listed
    database = world.warehouse.parent / "workspace.sqlite3"
    # password hashes, the views log, AGDREF numbers: its owner's alone
    assert database.exists() and database.stat().st_mode & 0o777 == 0o600
    # a listing beside a mistyped warehouse says there is none and makes nothing there
    elsewhere = world.warehouse.parent / "nothere" / "warehouse.duckdb"
    elsewhere.parent.mkdir()
    none = reconcile("users", "list", "--warehouse", str(elsewhere))
    assert none.returncode == 0 and none.stdout == ""
    assert "no account: no workspace database beside" in none.stderr
    assert list(elsewhere.parent.iterdir()) == []


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def cookie(self, name: str) -> str:
        """The Set-Cookie line of cookie `name`, as sent ('' when none)."""
        return next((c for c in self.headers.get_all("Set-Cookie") or []
                     if c.startswith(f"{name}=")), "")


@dataclass
class Browser:
    """Just enough of a browser: cookies kept, redirects not followed, extra headers
    (a reverse proxy's) sent with every request."""

    port: int
    headers: dict = field(default_factory=dict)
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {**self.headers,
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        con.request(method, path, body=body, headers=headers)
        response = con.getresponse()
        answer = Answer(response.status, response.headers, response.read().decode())
        for line in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            self.cookies[name] = rest.split(";")[0]
        con.close()
        return answer

    def get(self, path: str, **params) -> Answer:
        return self.request("GET", path + (f"?{urlencode(params)}" if params else ""))

    def post(self, path: str, **form) -> Answer:
        """The form of the page at `path` posted to it, with the page's CSRF token (a
        number looked up travels so, never in an address)."""
        return self.request("POST", path, {"csrfmiddlewaretoken": self.token(path), **form})

    def token(self, path: str = "/connexion/") -> str:
        """The CSRF token of the first form of the page at `path` (the sign-in form by
        default), with its cookie."""
        page = self.get(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def sign_in(self, login: str, password: str = PASSWORD) -> Answer:
        return self.request("POST", "/connexion/", {
            "csrfmiddlewaretoken": self.token(), "username": login, "password": password})


@contextmanager
def running_workspace(warehouse, *options: str, **environment: str) -> Iterator[int]:
    """`reconcile workspace` in its own process on a free port (with more `options`, in
    `environment`), until the block ends."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "flows", "workspace", "--warehouse", str(warehouse), "--port",
         str(port), *options], env={**os.environ, **environment}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the workspace did not start")
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def served(world):
    assert reconcile("users", "add", "served13", "--warehouse", str(world.warehouse), "-d",
                     "13", "--password", PASSWORD).returncode == 0
    with running_workspace(world.warehouse) as port:
        yield port


def test_a_warehouse_path_where_no_night_ran_is_said_in_one_line(world, tmp_path):
    """Accounts may be made before the first night, but a mistyped --warehouse would keep
    them where no night reads them: the command says where they are kept; a path where
    a night ran says nothing of the kind."""
    missing = tmp_path / "nothere.duckdb"
    added = reconcile("users", "add", "early", "--warehouse", str(missing), "--password",
                      PASSWORD)
    assert added.returncode == 0, added.stderr
    note = [line for line in added.stderr.splitlines() if "no warehouse at" in line]
    assert len(note) == 1 and str(tmp_path) in note[0]
    known = reconcile("users", "list", "--warehouse", str(world.warehouse))
    assert "no warehouse at" not in known.stderr


def test_the_served_workspace_sends_the_unauthenticated_to_sign_in(served):
    response = Browser(served).get("/listes/rejected_without_oqtf/")
    assert response.status == 302
    assert response.location.startswith("/connexion/?next=")
    style = Browser(served).get("/static/workspace/workspace.css")
    assert style.status == 200 and "@media print" in style.text


def test_a_signed_in_agent_reaches_their_flag_and_not_another_departments(served, world):
    browser = Browser(served)
    assert browser.sign_in("served13").status == 302
    own = world.flags["rejected_13"]["flag_id"]
    other = world.flags["rejected_75"]["flag_id"]
    response = browser.get(f"/listes/rejected_without_oqtf/{own}/")
    assert response.status == 200 and "OFPRA_DOCUMENTS_REQUESTABLE" in response.text
    assert browser.get(f"/listes/rejected_without_oqtf/{other}/").status == 404


def test_the_night_reads_the_database_the_workspace_writes(tmp_path, monkeypatch):
    from flows.settings import workspace_database

    monkeypatch.delenv("RECONCILE_WORKSPACE_DATABASE_URL", raising=False)
    sqlite = workspace_database(tmp_path / "warehouse.duckdb")
    assert sqlite["NAME"] == str(tmp_path / "workspace.sqlite3")
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    monkeypatch.setenv("RECONCILE_WORKSPACE_DATABASE_URL",
                       "postgresql://units:s%40cret@db.intranet:5433/reconcile")
    postgres = workspace_database(tmp_path / "warehouse.duckdb")
    assert (postgres["ENGINE"], postgres["USER"], postgres["PASSWORD"], postgres["HOST"],
            postgres["PORT"], postgres["NAME"]) == (
        "django.db.backends.postgresql", "units", "s@cret", "db.intranet", "5433", "reconcile")


def test_the_night_finds_no_decision_before_the_workspace_exists(tmp_path):
    from workspace.decisions.in_force import decisions_in_force, identity_decisions
    from workspace.options import WorkspaceOptions, database_config

    options = WorkspaceOptions(warehouse=tmp_path / "warehouse.duckdb")
    assert decisions_in_force(database_config(options)) == []
    assert identity_decisions(database_config(options)) == []


def test_pages_read_the_night_published_after_the_swap(world, tmp_path):
    """A night replaces the warehouse file in one rename while the workspace runs: the
    reader follows it, and the previous file's readers are not disturbed."""
    import shutil

    from transforms.warehouse import database
    from workspace.lists.warehouse import PublishedWarehouse

    published = tmp_path / "warehouse.duckdb"
    shutil.copyfile(world.warehouse, published)
    reader = PublishedWarehouse(published, database.UNENCRYPTED)
    count = "SELECT count(*) FROM worklists.rejected_without_oqtf"
    with reader.cursor() as cur:
        assert cur.execute(count).fetchall() == [(2,)]
    night = tmp_path / "warehouse.duckdb.next"
    shutil.copyfile(world.warehouse, night)
    with database.connect(night) as con:
        con.execute("DELETE FROM worklists.rejected_without_oqtf WHERE department = '75'")
    with reader.cursor() as before:
        os.replace(night, published)
        with reader.cursor() as after:
            assert after.execute(count).fetchall() == [(1,)]
        assert before.execute(count).fetchall() == [(2,)]


def test_single_sign_on_through_the_proxy_header_when_enabled(served, world):
    own = world.flags["rejected_13"]["flag_id"]
    with running_workspace(world.warehouse,
                           RECONCILE_WORKSPACE_TRUSTED_HEADER="X-Remote-User") as port:
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        con.request("GET", f"/listes/rejected_without_oqtf/{own}/",
                    headers={"X-Remote-User": "served13"})
        response = con.getresponse()
        assert response.status == 200 and own in response.read().decode()
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        con.request("GET", "/", headers={"X-Remote-User": "nobody"})
        response = con.getresponse()
        assert response.status == 302  # unknown logins are never created
        assert response.getheader("Location").startswith("/connexion/")


def test_demo_accounts_are_printed_once_with_a_password_that_signs_in(served, world):
    made = reconcile("users", "demo", "--warehouse", str(world.warehouse), "--exports",
                     str(world.warehouse.parent / "exports"))
    assert made.returncode == 0, made.stderr
    lines = dict(re.findall(r"^  (\S+) +\S+ +\S+ +(\S+)$", made.stdout, flags=re.M))
    # agent13 exists already here (test_users_add_list_disable): kept as it is
    assert {"agent2a", "chef13", "analyste", "admin"} <= set(lines) <= {
        "agent13", "agent2a", "chef13", "analyste", "admin"}
    assert (f"reconcile workspace --warehouse {world.warehouse} --exports "
            f"{world.warehouse.parent / 'exports'}`, then open http://127.0.0.1:8034/"
            ) in made.stdout
    again = reconcile("users", "demo", "--warehouse", str(world.warehouse))
    assert again.returncode == 0 and "demo accounts" not in again.stdout
    listed = reconcile("users", "list", "--warehouse", str(world.warehouse)).stdout
    assert "chef13\tmanager\t13\tactive" in listed and "analyste\tanalyst\t-\tactive" in listed
    signed = Browser(served).sign_in("chef13", lines["chef13"])
    assert signed.status == 302 and signed.location == "/"


def test_the_workspace_keeps_its_files_beside_the_published_path_not_in_a_night(tmp_path):
    """The warehouse path leads through the publication's pointer into one night's folder
    (docs/architecture.md), which a later night removes: the agents' decisions and the
    session key stay beside the path itself, where every night and the workspace find
    them."""
    from flows.settings import workspace_database
    from workspace.options import WorkspaceOptions, database_config, secret_key

    night = tmp_path / ".warehouse.duckdb.nights" / "20261116T000000-1"
    night.mkdir(parents=True)
    (night / "warehouse.duckdb").write_bytes(b"")
    (tmp_path / "warehouse.duckdb").symlink_to(night / "warehouse.duckdb")
    options = WorkspaceOptions(warehouse=tmp_path / "warehouse.duckdb")
    assert database_config(options)["NAME"] == str(tmp_path / "workspace.sqlite3")
    assert workspace_database(tmp_path / "warehouse.duckdb")["NAME"] == str(
        tmp_path / "workspace.sqlite3")
    secret_key(options)
    assert (tmp_path / "workspace-secret.key").is_file()
    assert list(night.iterdir()) == [night / "warehouse.duckdb"]


def test_a_mistyped_warehouse_is_refused_in_one_line_and_leaves_nothing(tmp_path):
    """README audit of 2026-12-07: `reconcile workspace --warehouse` with a mistyped path
    made the folder, a fresh database and a secret key, and served a blank workspace. It
    is refused in one line, exit code 1, and nothing is made; a listing of accounts there
    says so in one line (a listing, it fails nothing) and makes nothing either."""
    missing = tmp_path / "nope" / "w.duckdb"
    served = reconcile("workspace", "--warehouse", str(missing))
    assert served.returncode == 1
    assert served.stderr.strip().splitlines() == [
        f"reconcile: no warehouse at {missing}: the workspace serves the lists of a night; "
        "run `reconcile run` first, or check --warehouse"], served.stderr
    listed = reconcile("users", "list", "--warehouse", str(missing))
    assert listed.returncode == 0 and "no workspace database" in listed.stderr
    assert not (tmp_path / "nope").exists()
