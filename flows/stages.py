"""Wall time, peak memory and rows of each stage of a run, for operators (audit.run_stages)
and for the national benchmark (benchmarks/nightly.py). Names and counts only."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

_STATM = Path("/proc/self/statm")
_PAGE = resource.getpagesize()
SAMPLE_SECONDS = 0.05


def resident_bytes() -> int:
    """The process's resident memory now (Linux), else its peak so far."""
    try:
        return int(_STATM.read_text().split()[1]) * _PAGE
    except OSError:  # not Linux: ru_maxrss is in bytes on macOS
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class StageClock:
    """`with clock("core-sql") as stage: ...; stage["rows"] = n` records one stage; a
    sampling thread keeps the peak resident memory of the process during the stage
    (DuckDB, polars and Splink all allocate in this process)."""

    def __init__(self) -> None:
        self.stages: list[dict] = []
        self._peak = 0
        self._lock = threading.Lock()

    def _sample(self, stop: threading.Event) -> None:
        while not stop.wait(SAMPLE_SECONDS):
            self._note(resident_bytes())

    def _note(self, value: int) -> None:
        with self._lock:
            self._peak = max(self._peak, value)

    @contextmanager
    def __call__(self, name: str) -> Iterator[dict]:
        with self._lock:
            self._peak = resident_bytes()
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
            self._note(resident_bytes())
            self.stages.append({
                "stage": name, "started_at": started_at, "seconds": round(seconds, 3),
                "rows": counts.get("rows"), "peak_rss_mb": round(self._peak / 2**20, 1),
            })
