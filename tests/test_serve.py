"""`reconcile serve`: the nightly schedule in Paris time on a local Prefect server, and a
run of the served flow with today's date (slow: a served process and a real run).

The server is queried through its REST API: a Prefect client in this process would keep
the settings it read when Prefect was first imported by another test."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb
import pytest

from tests.conftest import SAMPLE_DIR

pytestmark = pytest.mark.slow
PARIS = ZoneInfo("Europe/Paris")


# The codes the Prefect client itself retries: the server answers 503 when its SQLite
# database is busy (CI once saw it on create_flow_run while the scheduler was writing).
RETRYABLE = {429, 502, 503}


def api(url: str, path: str, body: dict | None = None, attempts: int = 6):
    request = urllib.request.Request(
        f"{url}{path}", method="POST" if body is not None else "GET",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"})
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code not in RETRYABLE or attempt == attempts - 1:
                raise
            time.sleep(2 ** attempt)


def wait_for(condition, timeout: float, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = condition()
        except OSError:  # not there yet (404) or server busy
            found = None
        if found:
            return found
        time.sleep(every)
    return None


def test_serve_schedules_nightly_runs_in_paris_time_and_runs_them(prefect_server, tmp_path):
    url = prefect_server["PREFECT_API_URL"]
    inbox = tmp_path / "inbox"
    for system in ("telemofpra", "agdref"):
        (inbox / system).mkdir(parents=True)
    for path in (SAMPLE_DIR / "inbox" / "agdref").glob("AGDREF_*_2A_*"):
        (inbox / "agdref" / path.name).write_bytes(path.read_bytes())
    log = tmp_path / "serve.log"
    served = subprocess.Popen(
        [sys.executable, "-m", "flows", "serve", "--inbox", str(inbox), "--warehouse",
         str(tmp_path / "warehouse.duckdb"), "--exports", str(tmp_path / "exports"),
         "--cron", "30 2 * * *"],
        # the served process looks for runs to start every second (10 by default): the
        # test waits for the one it creates
        env={**prefect_server, "COLUMNS": "160", "PREFECT_RUNNER_POLL_FREQUENCY": "1"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deployment = wait_for(lambda: api(url, "/deployments/name/reconcile-nightly/nightly"),
                              timeout=60)
        assert deployment, "not registered: " + log.read_text()[-3000:]
        (schedule,) = deployment["schedules"]
        assert schedule["schedule"]["cron"] == "30 2 * * *"
        assert schedule["schedule"]["timezone"] == "Europe/Paris"

        def scheduled_runs():
            runs = api(url, "/flow_runs/filter", {
                "deployments": {"id": {"any_": [deployment["id"]]}},
                "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}})
            return [r for r in runs if r["state"]["name"] == "Scheduled"]

        scheduled = wait_for(scheduled_runs, timeout=120)
        assert scheduled, "no scheduled run was created: " + log.read_text()[-3000:]
        for run in scheduled:
            start = datetime.fromisoformat(run["expected_start_time"])
            assert start.astimezone(PARIS).strftime("%H:%M") == "02:30"

        run = api(url, f"/deployments/{deployment['id']}/create_flow_run", {})
        final = wait_for(lambda: (lambda r: r if r["state"]["type"] in (
            "COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None)(
            api(url, f"/flow_runs/{run['id']}")), timeout=240)
        assert final and final["state"]["type"] == "COMPLETED", log.read_text()[-3000:]
        artifacts = api(url, "/artifacts/filter",
                        {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
        assert "nightly-summary" in {a["key"] for a in artifacts}
    finally:
        os.killpg(served.pid, signal.SIGTERM)
        served.wait(timeout=60)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        ((as_of, status),) = con.execute("SELECT as_of_date, status FROM audit.runs").fetchall()
    assert status == "SUCCEEDED" and as_of == datetime.now(PARIS).date()
