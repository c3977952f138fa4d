"""The Prefect server a command reports to (flows/prefect_server.py): the configured one,
or a temporary server of its own that answers while the command runs and is gone after."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import prefect_server
from flows.prefect_server import answers, prefect_api
from flows.settings import configure_prefect_offline
from tests.conftest import PROJECT_ROOT


def test_a_configured_api_is_used_as_it_is(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")

    def no_server(*args, **kwargs):
        raise AssertionError("no server may start when PREFECT_API_URL is set")

    monkeypatch.setattr(subprocess, "Popen", no_server)
    with prefect_api() as api, api.reporting():
        assert api.url is None


def test_a_server_that_stops_at_start_says_why_in_one_line(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(prefect_server, "server_command", lambda port: [
        sys.executable, "-c", "print('starting'); print('Port is already in use.'); exit(1)"])
    with prefect_api() as api, pytest.raises(RuntimeError) as err:
        api.reporting()
    assert str(err.value) == ("the temporary Prefect server stopped at start (exit 1): "
                              "Port is already in use.")


def test_a_server_that_never_answers_is_given_up_and_stopped(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "0.5")
    started = []

    def silent(port):
        return [sys.executable, "-c", "import time; time.sleep(60)"]

    real_popen = subprocess.Popen

    def recording(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(prefect_server, "server_command", silent)
    monkeypatch.setattr(subprocess, "Popen", recording)
    with prefect_api() as api, pytest.raises(RuntimeError, match="did not answer within 0.5 s"):
        api.reporting()
    assert started[0].returncode is not None  # stopped on leaving, not left running


def test_the_temporary_server_answers_during_the_command_and_stops_after(
        monkeypatch, tmp_path):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    configure_prefect_offline()
    with prefect_api() as api:
        with api.reporting():
            from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY

            assert PREFECT_API_URL.value() == api.url
            assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None  # dies with the command
            assert answers(api.url)
        assert "PREFECT_API_URL" not in os.environ
    assert not answers(api.url)


def _command_with_a_stand_in_server(tmp_path) -> tuple[subprocess.Popen, int]:
    """A command running with its temporary server (a stand-in that only sleeps); returns
    the command and the server's process id."""
    pid_file = tmp_path / "server.pid"
    script = f"""
import os, sys, time
from flows import prefect_server
prefect_server.server_command = lambda port: [sys.executable, "-c",
    "import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"]
with prefect_server.prefect_api():
    print("started", flush=True)
    time.sleep(60)
"""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    command = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               text=True, env=env)
    assert command.stdout.readline().strip() == "started"
    for _ in range(100):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.1)
    return command, int(pid_file.read_text())


def _ended(pid: int, seconds: float = 10) -> bool:
    """Whether the process ends within `seconds` (Linux): gone, or a zombie its new
    parent has not reaped yet (an orphan is reaped by init, when init gets to it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return True
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.05)
    return False


def test_sigterm_stops_the_temporary_server_with_the_command(tmp_path):
    """A command stopped by SIGTERM (a service stopped, `kill`) exits 143 and takes its
    temporary server with it, instead of leaving it listening."""
    command, server_pid = _command_with_a_stand_in_server(tmp_path)
    command.send_signal(signal.SIGTERM)
    assert command.wait(timeout=30) == 143
    with pytest.raises(ProcessLookupError):
        os.kill(server_pid, 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_killed_command_takes_its_temporary_server_with_it(tmp_path):
    """SIGKILL (or the OOM killer) runs no handler of the command: Linux stops the server
    (its parent-death signal), which would otherwise be left listening."""
    command, server_pid = _command_with_a_stand_in_server(tmp_path)
    command.kill()
    assert command.wait(timeout=30) == -signal.SIGKILL
    assert _ended(server_pid)


def test_a_server_whose_command_is_already_gone_never_starts(tmp_path):
    """Started for a parent that died meanwhile, the server exits at once."""
    marker = tmp_path / "started"
    tied = prefect_server.tied_to_this_process(
        [sys.executable, "-c", f"open({str(marker)!r}, 'w')"])
    tied[3] = "1"  # a parent the wrapper does not have (init)
    assert subprocess.run(tied, timeout=30).returncode == 0
    assert not marker.exists()


def test_the_suite_s_own_server_stops_with_a_killed_test_process(tmp_path):
    """conftest.start_prefect_server: a test process killed (a timeout, by hand) does not
    leave the suite's Prefect server running, holding its port and memory."""
    started = ("import sys, time; from pathlib import Path; "
               "from tests.conftest import start_prefect_server; "
               "server, _ = start_prefect_server(Path(sys.argv[1])); "
               "print(server.pid, flush=True); time.sleep(600)")
    test_process = subprocess.Popen([sys.executable, "-c", started, str(tmp_path)],
                                    stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    server = int(test_process.stdout.readline())
    test_process.kill()
    test_process.wait()
    ended = _ended(server, seconds=60)
    if not ended:
        os.killpg(server, signal.SIGKILL)
    assert ended, "the server outlived the test process"
