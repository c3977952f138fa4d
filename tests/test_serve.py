"""`reconcile serve`: the nightly schedule in Paris time on a local Prefect server, and a
run of the served flow with today's date (slow: a served process and a real run)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb
import pytest

from tests.conftest import SAMPLE_DIR

pytestmark = pytest.mark.slow
PARIS = ZoneInfo("Europe/Paris")


async def _deployment_runs(name: str) -> tuple:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        deployment = await client.read_deployment_by_name(name)
        runs = await client.read_flow_runs()
        return deployment, [r for r in runs if r.deployment_id == deployment.id]


async def _start_and_wait(deployment_id, timeout: float) -> str:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        run = await client.create_flow_run_from_deployment(deployment_id)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = await client.read_flow_run(run.id)
            if run.state and run.state.is_final():
                artifacts = await client.read_artifacts()
                keys = {a.key for a in artifacts if a.flow_run_id == run.id}
                return f"{run.state.type.value}:{','.join(sorted(k for k in keys if k))}"
            await asyncio.sleep(2)
    return "TIMEOUT"


def test_serve_schedules_nightly_runs_in_paris_time_and_runs_them(prefect_server, tmp_path,
                                                                   monkeypatch):
    for key, value in prefect_server.items():
        monkeypatch.setenv(key, value)
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
        env={**os.environ, "COLUMNS": "160"}, stdout=log.open("w"),
        stderr=subprocess.STDOUT, start_new_session=True)
    try:
        scheduled = []
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and not scheduled:
            time.sleep(2)
            try:
                deployment, runs = asyncio.run(_deployment_runs("reconcile-nightly/nightly"))
            except Exception:  # noqa: BLE001 (not registered yet)
                continue
            scheduled = [r for r in runs if r.state_name == "Scheduled"]
        assert scheduled, "no scheduled run was created: " + log.read_text()[-3000:]
        (schedule,) = deployment.schedules
        assert schedule.schedule.timezone == "Europe/Paris"
        for run in scheduled:
            assert run.expected_start_time.astimezone(PARIS).strftime("%H:%M") == "02:30"
        outcome = asyncio.run(_start_and_wait(deployment.id, timeout=240))
        assert outcome == "COMPLETED:nightly-summary", outcome
    finally:
        os.killpg(served.pid, signal.SIGTERM)
        served.wait(timeout=60)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        ((as_of, status),) = con.execute("SELECT as_of_date, status FROM audit.runs").fetchall()
    assert status == "SUCCEEDED" and as_of == datetime.now(PARIS).date()
