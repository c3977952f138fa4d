"""Evidence of absence, weighed on each night's data (issue 33, item 1).

Some comparison levels read missing data as evidence against: an AGDREF file without any
asylum attestation (ADA) for an asylum claim, other given names on one side only. How
often one person's record and file show such a gap is a habit of the sources (a
department that does not key ADAs, a register with one given-name field), not a fact of
identity: the model file's m, estimated on the generator (3 % of its files without an ADA
where the claimant has one), cost every asylum record 5.3 bits where AGDREF keeps no ADA.
So the record pass estimates these levels' m each night from the pairs whose identity is
verified by number (identity_absence_levels.sql): the share of them in the level,
smoothed by one pair each way. Under MIN_VERIFIED_PAIRS verified pairs the night cannot
tell, and the level weighs 0 (m = u). u stays the model file's (random pairs of
strangers). The model file keeps m = u for these levels (`neutral_absence`): they weigh
nothing where no night weighs them, in pairs of two AGDREF files (no number verifies
them; one person's two files with other given names on one side only are a habit of
the register, not evidence against). The weights used are kept in
audit.identity_weights.
"""

from __future__ import annotations

import copy
import math

import polars as pl

# Verified pairs a level's m is estimated from; fewer, and the level weighs nothing. At a
# share near 3 %, 100 pairs put it within about ±3.5 points (95 %).
MIN_VERIFIED_PAIRS = 100


# The levels that read missing data as evidence against (comparisons.py), by comparison
# and label: weighed each night (identity_absence_levels.sql), neutral in the model file.
ABSENCE_LEVELS = (("asylum_claim", "the file holds no ADA"),
                  ("other_given_names", "only one has other given names"))


def neutral_absence(model: dict) -> dict:
    """The model with m = u at every level of absence (weight 0): what the model file
    keeps, since their m depends on the sources' habits, not on identity."""
    neutral = copy.deepcopy(model)
    for comparison, label in ABSENCE_LEVELS:
        level = _level(neutral, comparison, label)
        level["m_probability"] = level["u_probability"]
    return neutral


def calibrate_absence(model: dict, counts: pl.DataFrame) -> tuple[dict, pl.DataFrame]:
    """The model with tonight's m for each level of `counts` (run_date, comparison,
    level, verified_pairs, pairs_at_level), and the weights used, one row per level."""
    calibrated = copy.deepcopy(model)
    used = []
    for row in counts.iter_rows(named=True):
        level = _level(calibrated, row["comparison"], row["level"])
        u = level["u_probability"]
        estimated = row["verified_pairs"] >= MIN_VERIFIED_PAIRS
        m = ((row["pairs_at_level"] + 1) / (row["verified_pairs"] + 2)) if estimated else u
        level["m_probability"] = m
        used.append({**row, "m_probability": m, "u_probability": u,
                     "match_weight": math.log2(m / u), "estimated": estimated})
    return calibrated, pl.DataFrame(used, schema={
        "run_date": pl.Date, "comparison": pl.String, "level": pl.String,
        "verified_pairs": pl.Int64, "pairs_at_level": pl.Int64, "m_probability": pl.Float64,
        "u_probability": pl.Float64, "match_weight": pl.Float64, "estimated": pl.Boolean})


def _level(model: dict, comparison: str, label: str) -> dict:
    for c in model["comparisons"]:
        if c["output_column_name"] == comparison:
            for level in c["comparison_levels"]:
                if level.get("label_for_charts") == label:
                    return level
    raise KeyError(f"no level {label!r} in comparison {comparison!r} of the model")
