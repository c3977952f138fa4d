"""Flag identity and lifecycle (docs/contracts.md §2): a `flag_id` stable from one run to the
next for the same situation, and a history of NEW, OPEN and RESOLVED per run."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date

import polars as pl

from schemas import codes

FLAG_PREFIXES = {codes.REJECTED: "ROQ", codes.RELEASES: "REL", codes.MEASURES: "MES",
                 codes.LEGAL_ALERTS: "ALR"}


def flag_id(worklist: str, *situation: str) -> str:
    """Same worklist and situation → same id, night after night. The situation is the
    person and the decision that ended the right to remain (rejected), the detention
    (releases), or the measure (unexecuted measures)."""
    digest = hashlib.sha256("|".join((worklist, *situation)).encode("utf-8")).hexdigest()
    return f"{FLAG_PREFIXES[worklist]}-{digest[:16]}"


def carried_flag_id(worklist: str, person_key: str, files: Iterable[str],
                    listed_before: Mapping[str, date], *situation: str) -> str:
    """The id of a person's flag for `situation`. A person's key is the lowest number of
    their merged files (`files`), so a duplicate file with a lower number merging with
    theirs changes the key, not the person nor the situation: the flag, and the unit's
    work on it in the workspace, go on under the id an earlier night listed it with under
    one of those numbers (`listed_before`: flag id -> the latest night that listed it;
    the latest first), even after nights off the list. Otherwise flag_id of the key. A
    person of one file keeps flag_id of its number: nothing else is read."""
    own = flag_id(worklist, person_key, *situation)
    if len(set(files) | {person_key}) == 1:
        return own
    return latest_listed([flag_id(worklist, key, *situation)
                          for key in (person_key, *sorted(set(files) - {person_key}))],
                         listed_before)


def latest_listed(ids: list[str], listed_before: Mapping[str, date]) -> str:
    """Of a flag's possible `ids`, the one an earlier night listed latest (`listed_before`:
    flag id -> that night; on a tie, the first of `ids`), else the first."""
    listed = [(listed_before.get(i), -n, i) for n, i in enumerate(ids)]
    return max(((day, n, i) for day, n, i in listed if day is not None),
               default=(None, 0, ids[0]))[2]


HISTORY_SCHEMA = {"flag_id": pl.String, "worklist": pl.String, "run_date": pl.Date,
                  "status": pl.String}


def next_history(history: pl.DataFrame, current: pl.DataFrame, run_date: date,
                 previous_run: date | None = None) -> pl.DataFrame:
    """History rows of `run_date` for the flags now on the lists (`current`: flag_id,
    worklist). A flag open after the latest earlier run is OPEN, otherwise NEW; a flag
    open then and absent now is RESOLVED. `previous_run`: that run, which may have left
    no row (nothing listed, nothing resolved; by default, the latest run of `history`
    before `run_date`). Runs after `run_date` are not read, so a run replayed for a past
    date gives the same answer."""
    earlier = history.filter(pl.col("run_date") < run_date)
    if earlier.height:
        previous_date = previous_run or earlier["run_date"].max()
        was_open = earlier.filter(
            (pl.col("run_date") == previous_date) & pl.col("status").is_in(["NEW", "OPEN"])
        ).select("flag_id", "worklist")
    else:
        was_open = pl.DataFrame(schema={"flag_id": pl.String, "worklist": pl.String})
    now = current.select("flag_id", "worklist").unique()
    seen = now.with_columns(
        status=pl.when(pl.col("flag_id").is_in(was_open["flag_id"].implode()))
        .then(pl.lit("OPEN")).otherwise(pl.lit("NEW")))
    resolved = was_open.join(now, on=["flag_id", "worklist"], how="anti").with_columns(
        status=pl.lit("RESOLVED"))
    return (pl.concat([seen, resolved])
            .with_columns(run_date=pl.lit(run_date, dtype=pl.Date))
            .select(list(HISTORY_SCHEMA)).cast(HISTORY_SCHEMA)
            .sort("worklist", "status", "flag_id"))


# What a unit needs to find a flag again once it has left its list (resolus_<date>.csv):
# kept on every history row, a RESOLVED row carrying those of the flag's last night.
DETAIL_SCHEMA = {"department": pl.String, "person_key": pl.String, "num_agdref": pl.String}


def with_details(today: pl.DataFrame, current: pl.DataFrame, history: pl.DataFrame
                 ) -> pl.DataFrame:
    """`today`'s history rows (next_history) with the department, person and AGDREF number
    of each flag: from tonight's lists (`current`) for a flag on them, from the latest
    earlier history row for a RESOLVED flag (null where that row had none)."""
    keys = ["flag_id", "worklist"]
    details = list(DETAIL_SCHEMA)
    tonight = current.select(*keys, *details).unique(keys, keep="first", maintain_order=True)
    earlier = history.filter(pl.col("run_date") < today["run_date"].max()) \
        if today.height else history.clear()
    if earlier.height and set(details) <= set(earlier.columns):
        last = earlier.filter(pl.col("run_date") == earlier["run_date"].max()
                              ).select(*keys, *details)
    else:
        last = pl.DataFrame(schema={"flag_id": pl.String, "worklist": pl.String,
                                    **DETAIL_SCHEMA})
    known = pl.concat([tonight.cast({**DETAIL_SCHEMA}),
                       last.cast({**DETAIL_SCHEMA}).join(tonight, on=keys, how="anti")])
    return today.join(known, on=keys, how="left", maintain_order="left").select(
        *HISTORY_SCHEMA, *details)


def first_seen_dates(history: pl.DataFrame) -> dict[str, date]:
    """Run date when each flag last became NEW: the start of its current episode."""
    news = history.filter(pl.col("status") == "NEW").group_by("flag_id").agg(
        pl.col("run_date").max())
    return dict(zip(news["flag_id"].to_list(), news["run_date"].to_list(), strict=True))
