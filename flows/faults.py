"""Fault injection for the tests of atomic publication: with RECONCILE_FAULT_AT set to a
stage name, the process kills itself (SIGKILL, no clean-up) when it reaches that stage;
with `<stage>:error`, the run fails there (InjectedFault).
Stages: after-ingest, after-worklists, after-exports (the night's writes to the history
warehouse not committed yet), history-committed (committed, the readers' warehouse not
built yet), night-whole (the night marked whole, the pointer not switched yet), published
(the pointer switched, the readers' links not checked yet)."""

from __future__ import annotations

import os
import signal

STAGES = ("after-ingest", "after-worklists", "after-exports", "history-committed",
          "night-whole", "published")


class InjectedFault(RuntimeError):
    """A failure asked for by RECONCILE_FAULT_AT=<stage>:error (a failed, not killed, run)."""


def reach(stage: str) -> None:
    asked = os.environ.get("RECONCILE_FAULT_AT")
    if asked == stage:
        os.kill(os.getpid(), signal.SIGKILL)
    if asked == f"{stage}:error":
        raise InjectedFault(f"fault injected at {stage}")
