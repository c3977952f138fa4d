"""The benchmarks' own measures (benchmarks/): what they report must be the run's."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

from benchmarks.nightly import forked_peak_mb


def _child(script: str) -> resource.struct_rusage:
    child = subprocess.Popen([sys.executable, "-c", script])  # noqa: S603
    _, _, usage = os.wait4(child.pid, 0)
    return usage


def test_a_child_s_peak_is_its_own_not_the_high_water_it_inherited():
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # a child that allocates nothing: wait4 still says at least this process's peak,
    # carried through fork and exec; that is not the child's
    idle = _child("pass")
    assert idle.ru_maxrss / 1024 >= own_mb * 0.99
    assert forked_peak_mb(idle) == 0
    # a child that grows beyond it: its own peak
    grows = _child(f"x = bytearray({int(own_mb + 300)} * 2**20); x[::4096] = "
                   f"b'1' * len(x[::4096])")
    assert forked_peak_mb(grows) >= own_mb + 300


def test_a_cached_dataset_made_by_other_generator_code_is_generated_again(tmp_path, monkeypatch):
    """A situation added to the generator changes every draw after it, its rates
    unchanged: a dataset cached before is generated again, not measured as if current."""
    from benchmarks import datasets

    monkeypatch.setattr(datasets, "CACHE", tmp_path)
    folder = datasets.generated("sample", 1)
    stamp = folder / datasets.STAMP
    assert stamp.read_text(encoding="utf-8") == datasets.generator_digest()
    marker = folder / "left by the earlier generation"
    marker.write_text("", encoding="utf-8")
    assert datasets.generated("sample", 1) == folder and marker.exists()  # the same code: kept
    stamp.write_text("the digest of another version", encoding="utf-8")
    assert datasets.generated("sample", 1) == folder and not marker.exists()
    assert stamp.read_text(encoding="utf-8") == datasets.generator_digest()
