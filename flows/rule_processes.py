"""The rules of the departments in processes forked from the run, and in the run's own.

The facts are read once, in the run's process (transforms.worklists.load_facts); a
process forked afterwards finds them in its memory as they are, without copying nor
pickling them (the pages stay shared until written), decides the departments it is
sent and returns their rows. Each candidate is decided alone over the shared facts, so
the parts put together are the lists of a single pass (transforms.publish.decide)."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from itertools import count
from multiprocessing import get_context

from transforms.publish import Decided
from transforms.worklists import Departments

# Below this many departments the rules run in the run's process: forking costs more
# than it saves (a department's run must stay within 30 s).
PARALLEL_RULES_FROM = 8

Rules = Callable[[Departments], Decided]
Submit = Callable[[Departments], "Future[Decided]"]

# The rules being decided, set just before the fork: what the forked processes run.
_forked_rules: Rules | None = None


def _decide(group: Departments) -> Decided:
    if _forked_rules is None:  # a process not forked from the run (never sent work)
        raise RuntimeError("rules sent to a process that was not forked with them")
    return _forked_rules(group)


def _decide_now(rules: Rules, group: Departments) -> Future[Decided]:
    done: Future[Decided] = Future()
    try:
        done.set_result(rules(group))
    except Exception as err:  # noqa: BLE001 (raised again by .result(), as a pool does)
        done.set_exception(err)
    return done


@contextmanager
def rule_processes(rules: Rules, departments: int, cores: int | None = None,
                   parallel_from: int = PARALLEL_RULES_FROM) -> Iterator[Submit]:
    """`submit(group)` → the future rows of a group of departments. With at least
    `parallel_from` departments and two cores (`cores`: default, every core this process
    may use), one group in `cores` is decided at once in the caller and the others by
    processes forked now, one per remaining core: the run's process, which waits
    otherwise, works too, and a process fewer holds its own copy of the pages of facts
    it touched (nationally about 1.5 GB each). Else every group at once, in the caller."""
    global _forked_rules  # noqa: PLW0603 (the one way to hand the facts to a fork)
    cores = cores or len(os.sched_getaffinity(0))
    if departments < parallel_from or cores < 2:
        yield partial(_decide_now, rules)
        return
    _forked_rules = rules
    # Out of the collector's reach: a collection in a forked process would write to
    # every object's header, copying every page of the facts.
    gc.freeze()
    turns = count()
    try:
        with ProcessPoolExecutor(max_workers=cores - 1,
                                 mp_context=get_context("fork")) as pool:
            pool.submit(int).result()  # every process forked now, from this thread

            def submit(group: Departments) -> Future[Decided]:
                if next(turns) % cores == 0:
                    return _decide_now(rules, group)
                return pool.submit(_decide, group)

            yield submit
    finally:
        _forked_rules = None
        gc.unfreeze()
