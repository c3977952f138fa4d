"""Generated inboxes cached under benchmarks/cache/ (git-ignored), and results written
under benchmarks/results/ (committed with the code)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from data.synthetic.realism import REALISM
from data.synthetic.scales import MANIFEST, read_manifest

HERE = Path(__file__).parent
CACHE = HERE / "cache"
RESULTS = HERE / "results"
AS_OF = date(2026, 11, 16)


def generated(scale: str, seed: int) -> Path:
    """The folder of a generated dataset (inbox/, next_night/, truth/, manifest.json),
    generated on first use; the manifest is written last, so a killed generation is
    started again, and a dataset of other realism rates than the generator's (the
    generator changed since) is generated again."""
    folder = CACHE / f"{scale}-{seed}"
    if (folder / MANIFEST).exists() and read_manifest(folder)["realism_rates"] != REALISM:
        print(f"{folder} was generated with other realism rates: generating it again",
              flush=True)
        shutil.rmtree(folder)
    if not (folder / MANIFEST).exists():
        # a generation cut off leaves a folder without its manifest: generated again
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        print(f"generating the {scale} dataset (seed {seed}) into {folder} ...", flush=True)
        # By `reconcile generate`, in a process of its own: a national generation holds
        # 12-17 GB, and a process's high-water mark passes to every process it starts
        # (benchmarks/nightly.py), so generated here it would stand as the peak memory of
        # every run measured after.
        subprocess.run([sys.executable, "-m", "flows", "generate", "--out", str(folder),  # noqa: S603
                        "--scale", scale, "--seed", str(seed), "--as-of", AS_OF.isoformat()],
                       check=True)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def dataset_manifest(scale: str, seed: int) -> dict:
    return read_manifest(generated(scale, seed))


def write_results(name: str, result: dict, markdown: str | None = None) -> None:
    """results/<name>.json, and results/<name>.md: `markdown` or one row per measure."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, default=str) + "\n",
                                          encoding="utf-8")
    if markdown is None:
        rows = "\n".join(f"| {k} | {v} |" for k, v in result.items())
        markdown = f"| measure | value |\n|---|---|\n{rows}\n"
    (RESULTS / f"{name}.md").write_text(markdown, encoding="utf-8")
    print(markdown)
