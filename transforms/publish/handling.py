"""Each flag's state and assignee in the workspace on the night (issue 34 §4: "the lists,
exports and dashboards show each flag's state and assignee"), from the decisions in force
the night copied into core.agent_decisions: the latest outcome on the flag (an OQTF taken
only since the flag's current stay on the list began, first_seen_date), who holds it,
and the person's examination on another ground when it is later than the outcome. The
same reading as the workspace's own pages (workspace/decisions/state.py), on the copy:
a flag's holder and outcome are those its department's unit recorded (a flag that moved
to another department's list tonight is to be handled there, as that unit's pages show
it); an examination holds in every department (the rules exclude the person, OQ-02)."""

from __future__ import annotations

import duckdb
import polars as pl

from schemas import codes

DECISION_COLUMNS = {"kind": pl.String, "flag_id": pl.String, "person_key": pl.String,
                    "department": pl.String, "assignee": pl.String,
                    "decided_at": pl.Datetime("us")}


def read_decisions(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql("SELECT kind, flag_id, person_key, department, assignee, decided_at "
                   "FROM core.agent_decisions").pl().cast(DECISION_COLUMNS)


def with_handling(rows: pl.DataFrame, decisions: pl.DataFrame, key: str = "flag_id"
                  ) -> pl.DataFrame:
    """`rows` (a list, its flags under `key`, each with its department) with
    `handling_state` and `assignee`. `decisions`: the decisions in force (at most one
    holder and one outcome per flag and department, one examination per person and
    department, as core.agent_decisions holds them)."""
    decisions = decisions.cast(DECISION_COLUMNS)
    holders = (decisions.filter(pl.col("kind").is_in([codes.TAKEN, codes.ASSIGNED]))
               .select(pl.col("flag_id").alias(key), "department",
                       pl.col("assignee").alias("_holder")))
    outcomes = (decisions.filter(pl.col("kind").is_in(list(codes.HANDLING_OUTCOMES)))
                .select(pl.col("flag_id").alias(key), "department",
                        pl.col("kind").alias("_outcome"),
                        pl.col("decided_at").alias("_outcome_at")))
    examined = (decisions.filter(pl.col("kind") == codes.OTHER_GROUND)
                .group_by("person_key").agg(pl.col("decided_at").max().alias("_examined_at")))
    joined = (rows.drop("handling_state", "assignee", strict=False)
              .join(holders.unique([key, "department"], keep="last"), on=[key, "department"],
                    how="left", maintain_order="left")
              .join(outcomes.unique([key, "department"], keep="last"), on=[key, "department"],
                    how="left", maintain_order="left")
              .join(examined, on="person_key", how="left", maintain_order="left"))
    if "first_seen_date" in joined.columns:
        # an OQTF taken recorded before the flag's current stay on the list began
        # answered an earlier stay, which the night resolved once AGDREF recorded it
        # (workspace/decisions/state.py fold)
        stale = ((pl.col("_outcome") == codes.OQTF_TAKEN)
                 & (pl.col("_outcome_at").dt.date() < pl.col("first_seen_date")))
        joined = joined.with_columns(
            pl.when(stale).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("_outcome", "_outcome_at"))
    examining = pl.col("_examined_at").is_not_null() & (
        pl.col("_outcome_at").is_null() | (pl.col("_outcome_at") < pl.col("_examined_at")))
    state = (pl.when(examining).then(pl.lit(codes.OTHER_GROUND))
             .when(pl.col("_outcome").is_not_null()).then(pl.col("_outcome"))
             .when(pl.col("_holder").is_not_null()).then(pl.lit(codes.IN_PROGRESS))
             .otherwise(pl.lit(codes.TO_DO)))
    return (joined.with_columns(handling_state=state, assignee=pl.col("_holder"))
            .drop("_holder", "_outcome", "_outcome_at", "_examined_at"))

