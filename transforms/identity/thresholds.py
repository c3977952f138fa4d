"""The match probabilities that decide a record's outcome (chosen on the generator's
labelled data, benchmarks/linkage_synthetic.py), and the pairs kept at all."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from transforms.identity.model_file import MODELS

THRESHOLDS_FILE = MODELS / "identity_thresholds.json"
# Pairs scored below this never reach the warehouse: far under any threshold.
KEEP_ABOVE = 0.01
# Pairs of two AGDREF files matter only as duplicates; their threshold is chosen from
# 0.99 up (benchmarks/linkage_synthetic.py): namesakes below it are not kept (at
# national volume they are tens of millions).
KEEP_DUPLICATES_ABOVE = 0.99


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities that decide a record's outcome: at or above `link`, the best
    candidate is linked (when no other reaches `review`); between `review` and `link`,
    the record goes to an agent; another candidate within `margin` bits of match weight
    of the best makes the choice an agent's too; a candidate agreeing only on a partial
    or placeholder birth date needs `weak_birth_link`. Two AGDREF files at or above
    `duplicate` are one person."""

    link: float
    review: float
    margin: float
    duplicate: float
    weak_birth_link: float


def read_thresholds(path: Path = THRESHOLDS_FILE) -> Thresholds:
    chosen = json.loads(path.read_text(encoding="utf-8"))
    return Thresholds(chosen["link"], chosen["review"], chosen["margin"], chosen["duplicate"],
                      chosen["weak_birth_link"])
