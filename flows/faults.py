"""Fault injection for the tests of atomic publication: with RECONCILE_FAULT_AT set to a
stage name, the process kills itself (SIGKILL, no clean-up) when it reaches that stage.
Stages: after-ingest, after-worklists, after-exports, committed, warehouse-swapped."""

from __future__ import annotations

import os
import signal

STAGES = ("after-ingest", "after-worklists", "after-exports", "committed",
          "warehouse-swapped")


def reach(stage: str) -> None:
    if os.environ.get("RECONCILE_FAULT_AT") == stage:
        os.kill(os.getpid(), signal.SIGKILL)
