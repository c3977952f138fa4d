"""The rules of the departments in processes forked from the run, and in the run's own.

The facts are read once, in the run's process (transforms.rules.facts.load_facts); a
process forked afterwards finds them in its memory as they are, without copying nor
pickling them (the pages stay shared until written), decides the departments it is
sent and returns their rows. Each candidate is decided alone over the shared facts, so
the parts put together are the lists of a single pass (transforms.rules.decide.decide)."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from multiprocessing import get_context

from flows.settings import usable_cores
from transforms.rules.decide import Decided
from transforms.rules.facts import Departments

# Below this many departments the rules run in the run's process: forking costs more
# than it saves (a department's run must stay within 30 s).
PARALLEL_RULES_FROM = 8
# Groups waiting or being decided in each forked process: one ready when it finishes one.
QUEUED_PER_PROCESS = 2
# The interpreter's switch interval while the run's process decides beside forked ones
# (seconds; Python's default is 0.005). Handing a forked process its next group takes
# the run's process several threads (the pool's, the callback's, a waiting task's), each
# waiting up to an interval for the interpreter lock that the deciding thread holds:
# nationally the forked process waited in gaps for lack of its next group. At 0.0005
# the gaps are gone (benchmarks/README.md).
HANDOFF_SWITCH_INTERVAL = 0.0005

Rules = Callable[[Departments], Decided]
Submit = Callable[[Departments], "Future[Decided]"]

# The rules being decided, set just before the fork: what the forked processes run.
_forked_rules: Rules | None = None


def _decide(group: Departments) -> Decided:
    if _forked_rules is None:  # a process not forked from the run (never sent work)
        raise RuntimeError("rules sent to a process that was not forked with them")
    return _forked_rules(group)


def run_now(fn: Callable, *args) -> Future:
    """A pool's `submit` without a pool: the call made at once, its result or its error
    in a done future."""
    done: Future = Future()
    try:
        done.set_result(fn(*args))
    except Exception as err:  # noqa: BLE001 (raised again by .result(), as a pool does)
        done.set_exception(err)
    return done


class Lanes:
    """Groups sent to the forked processes (at most `room`), and whether the run's process
    is deciding one: the callers (the flow's task threads, a hundred at once nationally)
    wait for one or the other. Deciding several groups at once in the run's process only
    shares its one core (and its interpreter lock) among them."""

    def __init__(self, room: int) -> None:
        self._changed = threading.Condition()
        self.room, self.in_pool, self.deciding_here = room, 0, False

    def take(self) -> bool:
        """Wait for a lane; True: a forked process's, False: the run's process's."""
        with self._changed:
            self._changed.wait_for(lambda: self.in_pool < self.room or not self.deciding_here)
            forked = self.in_pool < self.room
            if forked:
                self.in_pool += 1
            else:
                self.deciding_here = True
            return forked

    def free(self, _: Future | None = None, here: bool = False) -> None:
        with self._changed:
            if here:
                self.deciding_here = False
            else:
                self.in_pool -= 1
            self._changed.notify_all()


@contextmanager
def rule_processes(rules: Rules, departments: int, cores: int | None = None,
                   parallel_from: int = PARALLEL_RULES_FROM,
                   queued: int = QUEUED_PER_PROCESS) -> Iterator[Submit]:
    """`submit(group)` → the future rows of a group of departments. With at least
    `parallel_from` departments and two cores (`cores`: default, every core this process
    may use), processes forked now, one per core but one, take a group while fewer than
    `queued` each are waiting or being decided; else the caller decides it at once if
    the run's process is deciding none, or waits for the first of the two to be free.
    The run's process, which would wait otherwise, works too, and a process fewer holds
    its own copy of the pages of facts it touches (gigabytes nationally); the
    forked processes are never left idle. Else every group at once, in the caller."""
    global _forked_rules  # noqa: PLW0603 (the one way to hand the facts to a fork)
    cores = cores or usable_cores()
    if departments < parallel_from or cores < 2:
        yield partial(run_now, rules)
        return
    _forked_rules = rules
    switch_interval = sys.getswitchinterval()
    # Out of the collector's reach: a collection in a forked process would write to
    # every object's header, copying every page of the facts.
    gc.freeze()
    lanes = Lanes(room=queued * (cores - 1))
    try:
        with ProcessPoolExecutor(max_workers=cores - 1,
                                 mp_context=get_context("fork")) as pool:
            pool.submit(int).result()  # every process forked now, from this thread
            # After the fork: the forked processes keep the default.
            sys.setswitchinterval(HANDOFF_SWITCH_INTERVAL)

            def submit(group: Departments) -> Future[Decided]:
                if not lanes.take():
                    try:
                        return run_now(rules, group)
                    finally:
                        lanes.free(here=True)
                future = pool.submit(_decide, group)
                future.add_done_callback(lanes.free)
                return future

            yield submit
    finally:
        _forked_rules = None
        sys.setswitchinterval(switch_interval)
        gc.unfreeze()
