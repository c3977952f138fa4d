"""The scales a synthetic inbox is generated at, and its manifest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from schemas.codes import DEPARTMENTS


@dataclass(frozen=True)
class Scale:
    name: str
    departments: tuple[str, ...]
    establishments_per_department: int
    asylum_persons: int  # about one OFPRA decision a person, over a year
    measure_persons: int
    detainees: int
    background_persons: int
    weeks: int = 52


def _spread(total: int, share: float) -> int:
    return max(1, round(total * share))


NATIONAL = dict(asylum=140_000, measure=300_000, detainees=19_000, background=2_500_000)
SCALES: dict[str, Scale] = {
    "sample": Scale("sample", ("13", "2A"), 2, 420, 520, 150, 1_500),
    "department": Scale("department", ("13",), 2, *(_spread(v, 0.01) for v in NATIONAL.values())),
    "region": Scale("region", ("13", "04", "05", "06", "83", "84", "2A", "2B", "30", "34"), 2,
                    *(_spread(v, 0.1) for v in NATIONAL.values())),
    "national": Scale("national", DEPARTMENTS, 2, *NATIONAL.values()),
}

MANIFEST = "manifest.json"


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
