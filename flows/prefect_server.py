"""The Prefect server a command's flow runs report to.

With PREFECT_API_URL set (a dedicated server, as `serve` needs), that one. Otherwise a
temporary `prefect server start` of the command's own, on a free local port, stopped
when the command ends, and on Linux also when the command is killed
(`tied_to_this_process`). Prefect would start one by itself at the first flow run, but
only after the pipeline is imported, and after importing its own server in the command's
process too: started here first, the server starts while the command imports the
pipeline, on the other core.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

# The services the flows need (task-run recorder, events, logs) and not those that
# schedule deployments, which a temporary server has none of.
SERVER_OPTIONS = ("--no-ui", "--no-scheduler", "--no-late-runs", "--analytics-off",
                  "--log-level", "ERROR")
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class PrefectApi:
    """Where flows report: `reporting()` is the context to run them in."""

    def __init__(self, server: subprocess.Popen | None = None, url: str | None = None,
                 output=None) -> None:
        self._server, self.url, self._output = server, url, output
        self._ready = server is None

    def reporting(self) -> AbstractContextManager:
        """The context in which flow runs reach this API: waits, the first time, until a
        temporary server answers (or says why it stopped)."""
        if self._server is None:
            return nullcontext()
        if not self._ready:
            self._wait()
            self._ready = True
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
            PREFECT_UI_URL,
            temporary_settings,
        )

        # No "View at" link: the server has no UI and stops with the command. No flow-run
        # heartbeats: they let a server mark as crashed a run whose process vanished, and
        # this server vanishes with it; and a flow run's end waited for their thread to
        # wake from its one-second sleep.
        return temporary_settings(updates={PREFECT_API_URL: self.url, PREFECT_UI_URL: "",
                                           PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})

    def _wait(self) -> None:
        timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise RuntimeError(f"the temporary Prefect server stopped at start "
                                   f"(exit {self._server.returncode}): {self._last_line()}")
            if answers(self.url):
                return
            time.sleep(0.05)
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout:g} s")

    def _last_line(self) -> str:
        self._output.seek(0)
        lines = [line for line in self._output.read().decode(errors="replace").splitlines()
                 if line.strip()]
        return lines[-1].strip() if lines else "no output"


def server_command(port: int) -> list[str]:
    """`prefect server start` on a local port, with this interpreter's Prefect."""
    return [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
            "--port", str(port), *SERVER_OPTIONS]


def tied_to_this_process(command: list[str]) -> list[str]:
    """`command`, started through `become_tied` (`python -m flows.prefect_server`): on
    Linux it gets SIGTERM when this process dies, even by SIGKILL or the OOM killer, which
    no handler of ours can catch; without it the server would be left listening, holding
    its port and memory, after every killed run. (The signal comes when the thread that
    started it ends: start it from the main thread.)"""
    return [sys.executable, "-m", "flows.prefect_server", str(os.getpid()), *command]


def become_tied(parent: int, command: list[str]) -> None:
    """Ask Linux for SIGTERM when `parent` dies, then become `command` (the request
    outlives exec); exit at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        sys.exit(0)
    os.execv(command[0], command)


def answers(api_url: str) -> bool:
    """Whether a Prefect API answers its health check at `api_url` (…/api)."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2):  # noqa: S310
            return True
    except OSError:
        return False


def free_port() -> int:
    """A local TCP port free at the time of asking."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def prefect_api() -> Iterator[PrefectApi]:
    """The API of PREFECT_API_URL, or a temporary server started now and stopped on exit
    (configure_prefect_offline first: the server inherits the environment)."""
    if os.environ.get("PREFECT_API_URL"):
        yield PrefectApi()
        return
    port = free_port()
    with tempfile.TemporaryFile() as output, _terminated_as_interrupted():
        server = subprocess.Popen(  # noqa: S603 - this interpreter's own Prefect
            tied_to_this_process(server_command(port)), stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT)
        try:
            yield PrefectApi(server, f"http://127.0.0.1:{port}/api", output)
        finally:
            try:
                _send_queued_reports()
            finally:
                _stop(server)


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM (a service stopped, `kill`) ends the command by SystemExit(143) instead of
    at once, so that the temporary server is stopped on the way out rather than left
    running. A flow run catches SIGTERM first (it records the crash and the run's failure,
    transforms.publish.publication keeps the last good state), then hands it on to this handler.
    Only where SIGTERM still has its default action, from the main thread."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL):
        yield
        return

    def interrupted(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _send_queued_reports(timeout: float = 10) -> None:
    """Send the flow-run logs and events Prefect still holds, before the server stops (as
    prefect_test_harness does): otherwise Prefect tries them against a stopped server
    when the command exits, for more than a minute."""
    if "prefect.logging.handlers" not in sys.modules:  # no flow ran
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=timeout)
    EventsWorker.drain_all(timeout=timeout)


if __name__ == "__main__":  # tied_to_this_process: python -m flows.prefect_server PID COMMAND...
    become_tied(int(sys.argv[1]), sys.argv[2:])
