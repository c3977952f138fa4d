"""The SQL of a night runs in an order where every table a file reads is already there.

Each .sql file under transforms/ begins with two header lines, `-- reads: a, b` and
`-- builds: c` ("nothing" for none). The headers are checked against the SQL text (so a
header cannot lie), then walked in the order the night runs the files: a file may read
only the warehouse tables create_warehouse makes and what an earlier step built."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from transforms.core.build import BIRTH_TOWNS_BEFORE, CORE_STEPS
from transforms.identity.build import CANDIDATE_STEPS, LINK_STEPS, QUARANTINE_STEPS
from transforms.identity.memory import MEMORY_STATE, MEMORY_TABLES
from transforms.publish.marts import MART_STEPS
from transforms.warehouse.tables import warehouse_tables

TRANSFORMS = Path(__file__).parents[1] / "transforms"
SCHEMAS = ("raw", "staging", "audit", "core", "worklists", "marts")

# What Python builds between the SQL files, in the order of the night.
SCORE_IDENTITIES = ("score_identities", frozenset({"identity_scores", MEMORY_STATE,
                                                   *MEMORY_TABLES}))
WRITE_LISTS = ("worklist-tables", frozenset())  # warehouse tables only
BIRTH_TOWNS = ("register_birth_towns", frozenset({"core.birth_towns"}))
# What the night before left and the agents' decisions are anchored to, before core is
# rebuilt (transforms/core/agent_decisions.py: none on a first night, then not read).
NIGHT_BEFORE = ("the night before's core", frozenset({"core.persons"}))

# The night: ingest's freshness, the agents' decisions, core, identity, the rules' reads, the marts.
NIGHT = (
    "files_past_retention.sql",  # planning the inbox: which files hold no rows as delivered
    "audit_source_freshness.sql",
    NIGHT_BEFORE,
    "agent_decision_anchors.sql",  # the agents' decisions, read before core is rebuilt
    *(step for core in CORE_STEPS
      for step in ((BIRTH_TOWNS, core) if core == BIRTH_TOWNS_BEFORE else (core,))),
    *CANDIDATE_STEPS,
    *QUARANTINE_STEPS,
    "linkage_records.sql",
    "identity_absence_levels.sql",
    SCORE_IDENTITIES,
    *LINK_STEPS,
    "rule_files.sql",
    "attestations_delivered.sql",
    "flags_listed_before.sql",
    "flag_history_read.sql",
    WRITE_LISTS,
    *MART_STEPS,
    "flag_departments_before.sql",  # read by the exports
    "resolved_flags.sql",  # read by the exports
    "unattributed_executions.sql",  # read by the exports
    "establishment_names.sql",  # read by the exports
)
# Run by create_warehouse before any night, building schemas only.
OUTSIDE_NIGHT = ("schemas.sql",)

LISTED = r"[^\n]*(?:\n--\s{2,}[^\n]*)*"  # a list may go on over indented comment lines
HEADER = re.compile(rf"\A-- reads: (?P<reads>{LISTED})\n-- builds: (?P<builds>{LISTED})\n")
BUILT = re.compile(r"\b(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?"
                   r"(?:TABLE|VIEW)(?:\s+IF\s+NOT\s+EXISTS)?"
                   r"|INSERT\s+(?:OR\s+\w+\s+)?INTO)\s+([\w.]+)", re.IGNORECASE)
READ = re.compile(r"\b(?:FROM|JOIN)\s+([\w.]+)\b(?!\s*\()", re.IGNORECASE)


def sql_files() -> dict[str, Path]:
    return {path.name: path for path in sorted(TRANSFORMS.rglob("*.sql"))}


def names(listed: str) -> set[str]:
    listed = listed.replace("--", " ")
    return set() if listed.strip().startswith("nothing") else {n.strip() for n in listed.split(",")}


def header(text: str) -> tuple[set[str], set[str]]:
    match = HEADER.match(text)
    assert match, "missing header: '-- reads: ...' then '-- builds: ...' on the first lines"
    return names(match["reads"]), names(match["builds"])


def code(text: str) -> str:
    """The SQL without comments and string literals."""
    return re.sub(r"--[^\n]*|'(?:[^']|'')*'", " ", text)


def built_in(text: str) -> set[str]:
    return {name.lower() for name in BUILT.findall(code(text))}


def read_in(text: str, temporary: set[str]) -> set[str]:
    """Schema tables after FROM/JOIN, and the temporary tables some file builds."""
    return {name for name in (n.lower() for n in READ.findall(code(text)))
            if ("." in name and name.split(".")[0] in SCHEMAS) or name in temporary}


def temporary_tables() -> set[str]:
    built = {name for path in sql_files().values() for name in built_in(path.read_text())}
    return {name for name in built if "." not in name} | {
        name for step in NIGHT if isinstance(step, tuple) for name in step[1] if "." not in name}


@pytest.mark.parametrize("name", sorted(sql_files()))
def test_header_names_what_the_sql_reads_and_builds(name):
    text = sql_files()[name].read_text()
    reads, builds = header(text)
    assert builds == built_in(text), "'-- builds:' is not what the file creates or inserts into"
    assert reads == read_in(text, temporary_tables()) - built_in(text), (
        "'-- reads:' is not what the file reads (FROM/JOIN) and does not build itself")


def test_every_sql_file_runs_once_in_the_night():
    steps = [step for step in NIGHT if isinstance(step, str)]
    assert sorted(steps + list(OUTSIDE_NIGHT)) == sorted(sql_files())
    assert len(set(steps)) == len(steps)


def late_reads(night: tuple) -> dict[str, list[str]]:
    """Per file, what it reads that neither create_warehouse nor an earlier step built."""
    there = set(warehouse_tables())
    late = {}
    for step in night:
        if isinstance(step, tuple):
            there |= step[1]
            continue
        reads, builds = header(sql_files()[step].read_text())
        if missing := reads - there:
            late[step] = sorted(missing)
        there |= builds
    return late


def test_every_file_reads_only_what_is_already_there():
    assert not late_reads(NIGHT), "read before any step builds them"


def test_a_read_out_of_order_is_caught():
    """The walk fails when a table is built after the marts that read it."""
    moved = [step for step in NIGHT if step != "marts_file_departments.sql"]
    assert late_reads((*moved, "marts_file_departments.sql")) == {
        "marts_data_quality.sql": ["file_departments"],
        "marts_quarantine_reasons.sql": ["file_departments"]}
