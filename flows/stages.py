"""Wall time, peak memory and rows of each stage of a run, for operators (audit.run_stages)
and for the national benchmark (benchmarks/nightly.py). Names and counts only."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

_PROC = Path("/proc")
_PAGE = resource.getpagesize()
SAMPLE_SECONDS = 0.05
# Reading a child's page counts walks its page tables (tens of ms for gigabytes): the
# children are read once every this many samples.
CHILDREN_EVERY = 10


def resident_bytes() -> int:
    """The process's resident memory now (Linux), else its peak so far."""
    try:
        return int((_PROC / "self" / "statm").read_text().split()[1]) * _PAGE
    except OSError:  # not Linux: ru_maxrss is in bytes on macOS
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_processes(pid: int | str = "self") -> list[int]:
    """The processes this one started, and theirs (Linux; none elsewhere)."""
    found = []
    try:
        threads = list((_PROC / str(pid) / "task").iterdir())
    except OSError:
        return found
    for thread in threads:
        try:
            children = [int(c) for c in (thread / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *child_processes(child)]
    return found


def private_bytes(pid: int) -> int:
    """The pages a process holds alone: a process forked from the run shares the rest
    with it (copy on write), so the run's memory is its own resident pages plus its
    children's private ones."""
    try:
        lines = (_PROC / str(pid) / "smaps_rollup").read_text().splitlines()
    except OSError:
        return 0
    return sum(int(line.split()[1]) * 1024 for line in lines
               if line.startswith(("Private_Clean:", "Private_Dirty:")))


def children_bytes() -> int:
    return sum(map(private_bytes, child_processes()))


def run_bytes() -> int:
    """The run's memory now: this process's resident pages and its children's own."""
    return resident_bytes() + children_bytes()


class StageClock:
    """`with clock("core-sql") as stage: ...; stage["rows"] = n` records one stage; a
    sampling thread keeps the peak memory of the run during the stage: this process
    (DuckDB, polars and Splink allocate here) and the processes it started (the rules
    of the departments, Prefect's temporary server), read less often."""

    def __init__(self, on_end: Callable[[dict], None] | None = None) -> None:
        self.stages: list[dict] = []
        self.on_end = on_end  # told each stage's record as the stage ends (the console)
        self._peak = 0
        self._children = 0
        self._lock = threading.Lock()

    def _sample(self, stop: threading.Event) -> None:
        samples = 0
        while not stop.wait(SAMPLE_SECONDS):
            samples += 1
            if samples % CHILDREN_EVERY == 0:
                self._children = children_bytes()
            self._note(resident_bytes() + self._children)

    def _note(self, value: int) -> None:
        with self._lock:
            self._peak = max(self._peak, value)

    @contextmanager
    def __call__(self, name: str) -> Iterator[dict]:
        self._children = children_bytes()
        with self._lock:
            self._peak = resident_bytes() + self._children
        stop = threading.Event()
        sampler = threading.Thread(target=self._sample, args=(stop,), daemon=True)
        sampler.start()
        started_at, start = datetime.now(), time.perf_counter()
        counts: dict = {}
        try:
            yield counts
        finally:
            seconds = time.perf_counter() - start
            stop.set()
            sampler.join()
            self._note(run_bytes())
            self.stages.append({
                "stage": name, "started_at": started_at, "seconds": round(seconds, 3),
                "rows": counts.get("rows"), "peak_rss_mb": round(self._peak / 2**20, 1),
            })
            if self.on_end is not None:
                self.on_end(self.stages[-1])
