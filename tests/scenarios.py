"""Tiny inboxes for rule tests: write a handful of rows in the contract formats, ingest
them, decide the worklists as of a date, and read back what was listed or excluded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from unittest import mock

import duckdb

from tests.builders import row, write_file
from transforms import night
from transforms.core.agent_decisions import load_agent_decisions
from transforms.ingest.freshness import record_source_freshness
from transforms.ingest.inbox import plan_inbox
from transforms.ingest.load import ingest_inbox
from transforms.night import rebuild_night
from transforms.publish.decision_memory import decided_rows
from transforms.rules.dates import add_days
from transforms.rules.decide import decide
from transforms.rules.facts import Facts, load_facts
from transforms.rules.reuse import Memory

RUN = date(2026, 11, 16)
LATE_AFTER_DAYS = {"genesis": 16, "telemofpra": 8, "agdref": 2}  # RULES.md PRI-01 defaults
PERSON = "0123456789"  # the builders' default AGDREF number (DIALLO MAMADOU, 14/03/1990)
SECOND = "0987654321"  # a second file of that person (Inbox.second_file)
# Other people in the file, so that term frequencies are those of a real file (in a file
# of eight, DIALLO would be as common as a name can be, and weigh nothing): Inbox.others.
SURNAMES = ("KONE", "NGUYEN", "POPESCU", "AHMADI", "TRAORE", "SILVA", "HADDAD", "OKAFOR",
            "PETROV", "RAHMAN", "MENSAH", "BARRY", "KHAN", "SOW", "MOREIRA", "DIOP", "ALI",
            "CAMARA", "YILMAZ", "ZAHIR")
GIVEN = ("ISSA", "AN", "ION", "ALI", "AWA", "ANA", "OMAR", "CHIDI", "IVAN", "RUMI", "KOFI",
         "FATOU", "AMIR", "BINTA", "LUIS")
COUNTRIES = ("MLI", "VNM", "ROU", "AFG", "CIV", "BRA", "SYR", "NGA", "RUS", "BGD")


def someone(n: int) -> dict[str, str]:
    """The AGDREF number and identity of the n-th person of a scenario that decides
    several cases in one night (n < 15): a file of their own, never taken for the
    builders' person, for `others` or for each other. Their measure: measure_of(n)."""
    return {"NUM_AGDREF": f"05000000{n:02d}", "NOM": SURNAMES[n], "PRENOMS": GIVEN[n],
            "DATE_NAISSANCE": f"{n + 1:02d}/{n % 12 + 1:02d}/198{n % 10}"}


def measure_of(n: int) -> str:
    return f"M0130000{n + 50:04d}"


def fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class Outcome:
    con: duckdb.DuckDBPyConnection

    def listed(self, worklist: str) -> list[dict]:
        return self.con.sql(
            f"SELECT * FROM worklists.{worklist} ORDER BY flag_id").pl().to_dicts()  # noqa: S608

    def excluded(self, worklist: str) -> list[dict]:
        return self.con.sql(
            "SELECT * FROM worklists.exclusions WHERE worklist = ? ORDER BY candidate_id",
            params=[worklist]).pl().to_dicts()

    def only_listed(self, worklist: str) -> dict:
        rows = self.listed(worklist)
        assert len(rows) == 1, (rows, self.excluded(worklist))
        return rows[0]

    def only_excluded(self, worklist: str) -> dict:
        rows = self.excluded(worklist)
        assert len(rows) == 1, (rows, self.listed(worklist))
        assert not self.listed(worklist)
        return rows[0]

    def reason(self, worklist: str) -> str:
        return self.only_excluded(worklist)["reason_code"]

    def quarantined(self) -> list[tuple[str, int]]:
        """(file name, line number) of every quarantined row."""
        return sorted(set(self.con.execute(
            "SELECT file_name, line_number FROM audit.quarantine").fetchall()))


class Inbox:
    """Rows by file; `decide` writes the files, ingests them and decides the lists."""

    def __init__(self, folder: Path, con: duckdb.DuckDBPyConnection, marts: bool = False):
        """`marts`: the night builds the marts too (for the tests that read them; the
        rules' scenarios do not, and leave them out: a tenth of each scenario's time)."""
        self.folder, self.con, self.marts = folder, con, marts
        self.files: dict[tuple[str, str], list[dict]] = {}
        self.decisions: list[dict] = []
        self.other_files: list[dict] = []

    def add(self, name: str, kind: str, *rows: dict) -> Inbox:
        self.files.setdefault((name, kind), []).extend(rows)
        return self

    def telemofpra(self, list_date: date, **overrides: str) -> Inbox:
        return self.add(f"TELEMOFPRA_13_{list_date:%Y%m%d}.csv", "telemofpra",
                        row("telemofpra", **overrides))

    def genesis(self, list_date: date, *rows: dict, establishment: str = "E01301") -> Inbox:
        return self.add(f"GENESIS_{establishment}_{list_date:%Y%m%d}.csv", "genesis", *rows)

    def agdref(self, table: str, snapshot: date = RUN, **overrides: str) -> Inbox:
        kind = f"agdref_{table.lower()}"
        return self.add(f"AGDREF_{table}_13_{snapshot:%Y%m%d}.csv", kind, row(kind, **overrides))

    def person(self, **overrides: str) -> Inbox:
        return self.agdref("PERSONNES", **overrides)

    def measure(self, **overrides: str) -> Inbox:
        return self.agdref("MESURES", **overrides)

    def title(self, **overrides: str) -> Inbox:
        return self.agdref("TITRES", **overrides)

    def event(self, **overrides: str) -> Inbox:
        return self.agdref("EVENEMENTS", **overrides)

    def second_file(self, **overrides: str) -> Inbox:
        """A second AGDREF file of the builders' person, written DIALO: with `others` in
        the file, the model merges it with the first (AGDREF_DUPLICATE)."""
        return self.person(**{"NUM_AGDREF": SECOND, "NOM": "DIALO", **overrides})

    def others(self, places: tuple[str, ...] = ()) -> Inbox:
        """300 AGDREF files of other people (SURNAMES x GIVEN, a third with a second given
        name), for Splink's tests; born in `places` in turn (LIEU_NAISSANCE), if given."""
        for n, (last, first) in enumerate((s, g) for s in SURNAMES for g in GIVEN):
            given = f"{first} {GIVEN[n * 7 % len(GIVEN)]}" if n % 3 == 0 else first
            identity = {"NUM_AGDREF": f"9000000{n:03d}", "NOM": last, "PRENOMS": given,
                        "DATE_NAISSANCE": f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1970 + n % 30}",
                        "NATIONALITE": COUNTRIES[n % len(COUNTRIES)],
                        **({"LIEU_NAISSANCE": places[n % len(places)]} if places else {})}
            self.other_files.append(identity)
            self.person(**identity)
        return self

    def verified_claims(self, count: int = 120, with_ada: bool = True) -> Inbox:
        """TélémOfpra rows of `count` of the `others` (added first), each giving its file's
        number with an agreeing identity: the pairs verified by number from which the
        night weighs the evidence of absence (transforms/identity/absence.py); each file
        holds its claim's asylum attestation, or none (an AGDREF that keeps no ADA)."""
        for n, identity in enumerate(self.other_files[:count]):
            self.telemofpra(date(2026, 10, 9), NUM_OFPRA=f"OF2024{n:07d}", **identity)
            if with_ada:
                self.title(NUM_AGDREF=identity["NUM_AGDREF"])
        return self

    def agent_decision(self, kind: str, flag: dict, worklist: str, effective: date = RUN,
                       assignee: str | None = None) -> Inbox:
        """A unit's decision on a listed flag (by its department's unit), as the night
        copies it into core.agent_decisions from the operational database; `assignee`:
        who holds the flag (TAKEN, ASSIGNED)."""
        number = len(self.decisions) + 1
        self.decisions.append({
            "decision_id": f"D{number}", "kind": kind, "worklist": worklist,
            "flag_id": flag["flag_id"], "person_key": flag["person_key"],
            "department": flag["department"], "decided_by": "agent13",
            # recorded on its day (a flag's outcome counts from its stay on the list)
            "assignee": assignee, "decided_at": datetime(effective.year, effective.month,
                                                         effective.day, 9, 0),
            "effective_date": effective, "source_row": f"agent_decisions:D{number}"})
        return self

    def telemofpra_in(self, department: str, list_date: date, **overrides: str) -> Inbox:
        """A TélémOfpra row in the list of another department than 13."""
        return self.add(f"TELEMOFPRA_{department}_{list_date:%Y%m%d}.csv", "telemofpra",
                        row("telemofpra", **overrides))

    def decide(self, run_date: date = RUN, horizon_days: int = 120,
               allow_quarantine: bool = False) -> Outcome:
        """`allow_quarantine`: for the scenarios of a quarantined row (DQ-01); by default
        a quarantined row is a mistake of the test's setup."""
        for (name, kind), rows in self.files.items():
            write_file(self.folder, name, kind, rows)
        self.files = {}
        outcomes = ingest_inbox(self.con, plan_inbox(self.con, self.folder),
                                run_id=f"test-{run_date}")
        if not allow_quarantine:
            assert all(o.rows_quarantined == 0 for o in outcomes), outcomes
        load_agent_decisions(self.con, self.decisions)  # as the night's task does
        # as the flow does after ingest: the freshness of every source unit (PRI-01)
        record_source_freshness(self.con, f"test-{run_date}", run_date, LATE_AFTER_DAYS)
        with facts_read() as read:
            rebuild_night(self.con, run_date, horizon_days, marts=self.marts)
        decided_in_both_modes(read[-1], self.con, run_date, horizon_days)
        return Outcome(self.con)


@contextmanager
def facts_read() -> Iterator[list[Facts]]:
    """The facts the night reads (load_facts in transforms.night), kept as it returns them
    (reading them again cost the both-modes check half its time)."""
    read: list[Facts] = []

    def reading(con: duckdb.DuckDBPyConnection, run_date: date) -> Facts:
        read.append(load_facts(con, run_date))
        return read[-1]

    with mock.patch.object(night, "load_facts", reading):
        yield read


# Nights whose decisions are offered to the scenario's run date as the night before's
# (issue 36): the day before, more than a year before, the day after.
MEMORY_NIGHTS = (-1, -400, 1)


# The builders' default person's identity, as a detainee of the same identity gives it.
PERSON_IDENTITY = {"NOM": "DIALLO", "PRENOMS": "MAMADOU", "DATE_NAISSANCE": "14/03/1990",
                   "NATIONALITE": "GUINEE"}


def namesake_detained(folder: Path, con: duckdb.DuckDBPyConnection) -> Inbox:
    """The default person under an OQTF notified on 03/06/2026, another file, and a
    detainee of the person's very identity on E01301's list of 02/11/2026."""
    inbox = Inbox(folder, con).person().measure(
        DATE_DECISION="01/06/2026", DATE_NOTIFICATION="03/06/2026").others()
    return inbox.genesis(date(2026, 11, 2), row("genesis", **PERSON_IDENTITY))


def decided_in_both_modes(facts: Facts, con: duckdb.DuckDBPyConnection, run_date: date,
                          horizon_days: int) -> None:
    """Every rule scenario in both modes: the lists and exclusions the night wrote from
    `facts` (a scenario deciding twice keeps decisions of its first night) are those of
    deciding every candidate again, and so are those decided from the memory of other
    nights with the same facts (the dates that change a decision)."""
    # the decisions taken again only to be compared with the night's (checked against the
    # exclusions' contract as the night wrote them: `full` equals them, asserted below)
    # are not checked against it once more
    full = decide(facts, run_date, horizon_days, remember=False, validated=False)
    watched = decide(facts, run_date, horizon_days, validated=False)  # watched: the same
    assert all(watched.lists[name].equals(rows) for name, rows in full.lists.items())
    assert watched.exclusions.equals(full.exclusions)
    lists, exclusions = decided_rows(con)
    for name, rows in full.lists.items():
        assert lists[name].sort("flag_id").equals(rows), name
    assert exclusions.sort("candidate_id").equals(full.exclusions)
    for days in MEMORY_NIGHTS:
        before = decide(facts, add_days(run_date, days), horizon_days, validated=False)
        kept = decide(facts, run_date, horizon_days, memory=Memory.of(
            before.memory, before.lists, before.exclusions, before.citations),
            validated=False)
        for name, rows in full.lists.items():
            assert kept.lists[name].equals(rows), (name, days)
        assert kept.exclusions.equals(full.exclusions), days
        assert kept.memory.select("worklist", "candidate_key", "row_id", "listed").equals(
            watched.memory.select("worklist", "candidate_key", "row_id", "listed")), days
