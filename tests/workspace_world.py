"""A small published warehouse for the workspace's tests, built once per session from
synthetic rows: departments 13 and 75, a rejected asylum seeker in each (the one in 75
with markup in his name, as an input file may carry it), a detainee of 13 released in
three days (PRISON_ANSWER_DUE) and an OQTF of 13 never executed. The Django side
(settings, operational database, accounts) is set up once per process too: Django is
configured only once."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.builders import row
from tests.scenarios import RUN, Inbox, fr
from transforms.warehouse import database, tables

FINAL_LIST = date(2026, 10, 9)
MARKUP_NAME = "<script>alert('x')</script><b>KARA</b>"
OFPRA_75 = "OF20250000075"
AGDREF_75 = "0750000001"
DETAINEE = "0130000002"
MEASURE_HOLDER = "0130000003"
PERMIT_HOLDER, OFPRA_PERMIT = "0130000004", "OF20250000004"  # excluded in 13
MINOR_75, OFPRA_MINOR = "0750000005", "OF20250000005"  # excluded in 75
# identity review: two records of one list of 13 give the number of one file, each with
# another birth date (NUMBER_NOT_VERIFIED pairs), and one record of 75 likewise
REVIEW_FILE_13, REVIEW_OFPRA_13, REVIEW_MATE_13 = ("0130000006", "OF20250000006",
                                                   "OF20250000007")
REVIEW_FILE_75, REVIEW_OFPRA_75 = "0750000008", "OF20250000008"
PASSWORD = "correct horse battery staple 13"
# the PostgreSQL server the decision tests also run on (.ci/run starts one)
POSTGRES_URL = os.environ.get("RECONCILE_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("RECONCILE_REQUIRE_POSTGRES") == "1"


@dataclass(frozen=True)
class World:
    warehouse: Path
    # name -> flag row (rejected_13, rejected_75, release_13, measure_13)
    flags: dict[str, dict]


def _people(inbox: Inbox) -> Inbox:
    release = date.fromordinal(RUN.toordinal() + 3)
    return (inbox.telemofpra(FINAL_LIST).person()
            .telemofpra_in("75", FINAL_LIST, NUM_OFPRA=OFPRA_75, NUM_AGDREF=AGDREF_75,
                           NOM=MARKUP_NAME, PRENOMS="OMAR", DATE_NAISSANCE="02/02/1991",
                           DEPT_DOMICILIATION="75")
            .person(NUM_AGDREF=AGDREF_75, NOM=MARKUP_NAME, PRENOMS="OMAR",
                    DATE_NAISSANCE="02/02/1991", DEPT_GESTION="75")
            .person(NUM_AGDREF=DETAINEE, NOM="BENALI", PRENOMS="KARIM",
                    DATE_NAISSANCE="01/06/1988", NATIONALITE="DZA")
            .genesis(RUN, row("genesis", NUM_AGDREF=DETAINEE, ITF="DEFINITIVE",
                              DATE_LIBERATION_PREVISIBLE=fr(release)))
            .person(NUM_AGDREF=MEASURE_HOLDER, NOM="TRAORE", PRENOMS="ISSA",
                    DATE_NAISSANCE="05/05/1985", NATIONALITE="MLI")
            .measure(ID_MESURE="M01300000003", NUM_AGDREF=MEASURE_HOLDER,
                     DATE_DECISION="05/01/2026", DATE_NOTIFICATION="10/01/2026")
            .telemofpra(FINAL_LIST, NUM_OFPRA=OFPRA_PERMIT, NUM_AGDREF=PERMIT_HOLDER,
                        NOM="SOW", PRENOMS="AMINATA", SEXE="F", DATE_NAISSANCE="12/12/1992")
            .person(NUM_AGDREF=PERMIT_HOLDER, NOM="SOW", PRENOMS="AMINATA", SEXE="F",
                    DATE_NAISSANCE="12/12/1992")
            .title(NUM_AGDREF=PERMIT_HOLDER, TYPE_TITRE="CST", DATE_DEBUT="01/11/2026",
                   DATE_FIN="31/10/2027", STATUT="VALIDE")
            .telemofpra_in("75", FINAL_LIST, NUM_OFPRA=OFPRA_MINOR, NUM_AGDREF=MINOR_75,
                           NOM="KONE", PRENOMS="MOUSSA", DATE_NAISSANCE="03/03/2010",
                           DEPT_DOMICILIATION="75")
            .person(NUM_AGDREF=MINOR_75, NOM="KONE", PRENOMS="MOUSSA",
                    DATE_NAISSANCE="03/03/2010", DEPT_GESTION="75")
            .telemofpra(FINAL_LIST, NUM_OFPRA=REVIEW_OFPRA_13, NUM_AGDREF=REVIEW_FILE_13,
                        NOM="HADDAD", PRENOMS="YOUSSEF", DATE_NAISSANCE="07/08/1987",
                        NATIONALITE="TUN")
            .telemofpra(FINAL_LIST, NUM_OFPRA=REVIEW_MATE_13, NUM_AGDREF=REVIEW_FILE_13,
                        NOM="HADAD", PRENOMS="YOUSSEF", DATE_NAISSANCE="27/08/1987",
                        NATIONALITE="TUN")
            .person(NUM_AGDREF=REVIEW_FILE_13, NOM="HADDAD", PRENOMS="YOUSSEF",
                    DATE_NAISSANCE="17/07/1987", NATIONALITE="TUN")
            # the file holds the claim's asylum attestation: with the day and the month
            # of the birth date keyed otherwise (4.7 bits against since the model of
            # issue 33 item 3; one slip alone, the number would verify), the pairs are
            # still scored, and drawn as a waterfall
            .title(NUM_AGDREF=REVIEW_FILE_13)
            .telemofpra_in("75", FINAL_LIST, NUM_OFPRA=REVIEW_OFPRA_75,
                           NUM_AGDREF=REVIEW_FILE_75, NOM="MARTINS", PRENOMS="ANA", SEXE="F",
                           DATE_NAISSANCE="04/05/1994", DEPT_DOMICILIATION="75")
            .person(NUM_AGDREF=REVIEW_FILE_75, NOM="MARTINS", PRENOMS="ANA", SEXE="F",
                    DATE_NAISSANCE="14/04/1994", DEPT_GESTION="75"))


def build_world(folder: Path) -> World:
    path = folder / "warehouse.duckdb"
    con = database.connect(path)
    tables.create_warehouse(con)
    outcome = _people(Inbox(folder / "inbox", con)).decide()
    rejected = {r["department"]: r for r in outcome.listed("rejected_without_oqtf")}
    release = outcome.only_listed("upcoming_releases")
    measure = outcome.only_listed("unexecuted_measures")
    con.close()
    return World(path, {"rejected_13": rejected["13"], "rejected_75": rejected["75"],
                        "release_13": release, "measure_13": measure})


EXPORT_NAME = "rejected_without_oqtf_20261116.csv"
HANDOVERS_NAME = "remises_2026T4_20261116.csv"  # a quarter's handovers (schemas/handovers.py)


def write_exports(folder: Path) -> Path:
    """A night's exports folder as `reconcile run` leaves it: one folder per department
    (synthetic lines), and a file no night writes, never offered."""
    for department in ("13", "75"):
        (folder / department).mkdir(parents=True, exist_ok=True)
        (folder / department / EXPORT_NAME).write_text(
            f"\ufeffIdentifiant;Département\nROQ-x;{department}\n", encoding="utf-8")
    (folder / "13" / "notes.txt").write_text("pas un export", encoding="utf-8")
    (folder / "13" / HANDOVERS_NAME).write_text("\ufeffTrimestre\n", encoding="utf-8")
    return folder


ACCOUNTS = {  # login -> (role, departments)
    "agent13": ("agent", ["13"]), "agent75": ("agent", ["75"]),
    "manager13": ("manager", ["13"]), "analyst": ("analyst", []), "admin": ("admin", []),
}


@dataclass(frozen=True)
class Workspace:
    world: World
    accounts: dict  # login -> Account
    database: dict  # Django's DATABASES entry the workspace writes to (the night reads it)


def start_workspace(folder: Path) -> Workspace:
    """Django configured on the world's warehouse, its database migrated (SQLite beside
    the warehouse), the test accounts created. Sign-in locks after 3 failures."""
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from workspace.config import configure
    from workspace.options import WorkspaceOptions

    world = build_world(folder)
    configure(WorkspaceOptions(warehouse=world.warehouse, failure_limit=3,
                               exports=write_exports(folder / "exports")))
    setup_test_environment()
    call_command("migrate", interactive=False, verbosity=0)
    from django.db import connections

    from workspace.accounts.registry import add_account

    accounts = {login: add_account(login, role, departments, PASSWORD)
                for login, (role, departments) in ACCOUNTS.items()}
    return Workspace(world, accounts, dict(connections["default"].settings_dict))


@contextmanager
def _switched_database(config: dict) -> Iterator[None]:
    """Django's default database replaced by `config` until the block ends (Django is
    configured once per process: its connection handler is pointed elsewhere, as
    Django's own test databases are)."""
    from django.db import connections

    def drop_connection():
        connections.close_all()
        with suppress(AttributeError):
            del connections["default"]

    saved = connections.settings["default"]
    drop_connection()
    connections.settings["default"] = connections.configure_settings(
        {"default": dict(config)})["default"]
    try:
        yield
    finally:
        drop_connection()
        connections.settings["default"] = saved


@contextmanager
def _workspace_on(world: World, config: dict) -> Iterator[Workspace]:
    """Django's default database switched to `config`, migrated, with the accounts."""
    from django.core.management import call_command

    from workspace.accounts.registry import add_account

    with _switched_database(config):
        call_command("migrate", interactive=False, verbosity=0)
        accounts = {login: add_account(login, role, departments, PASSWORD)
                    for login, (role, departments) in ACCOUNTS.items()}
        yield Workspace(world, accounts, config)


@contextmanager
def on_fresh_sqlite(workspace: Workspace, world: World) -> Iterator[Workspace]:
    """The workspace writing to a new SQLite file beside `world`'s warehouse, as an
    installation of that warehouse would (its decisions apart from the shared one's)."""
    from workspace.options import WorkspaceOptions, database_config

    with _workspace_on(world, database_config(WorkspaceOptions(warehouse=world.warehouse))
                       ) as switched:
        yield switched


@contextmanager
def on_database(workspace: Workspace, backend: str) -> Iterator[Workspace]:
    """The workspace on `backend`, on a database of its own for the block, so that what
    one test module decides never meets another's: a new SQLite file beside the one the
    workspace started with, or a new database of the PostgreSQL server
    RECONCILE_TEST_POSTGRES_URL names (each migrated, with the test accounts; the
    PostgreSQL one dropped afterwards). Without that URL the test is skipped, except
    where RECONCILE_REQUIRE_POSTGRES=1 (CI, .ci/run) makes it fail."""
    if backend == "sqlite":
        started = Path(workspace.database["NAME"])
        fresh = started.with_name(f"{started.stem}-{uuid.uuid4().hex[:12]}{started.suffix}")
        with _workspace_on(workspace.world, {**workspace.database, "NAME": str(fresh)}
                           ) as switched:
            yield switched
        return
    if not POSTGRES_URL:
        reason = "no PostgreSQL server: set RECONCILE_TEST_POSTGRES_URL (.ci/postgres start)"
        if REQUIRE_POSTGRES:
            pytest.fail(reason)
        pytest.skip(reason)
    import psycopg
    from psycopg import sql

    from workspace.options import WorkspaceOptions, database_config

    name = f"reconcile_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    config = database_config(WorkspaceOptions(warehouse=workspace.world.warehouse,
                                              database_url=url))
    try:
        with _workspace_on(workspace.world, config) as switched:
            yield switched
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as server:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


def client_for(workspace: Workspace, login: str | None = None, **kwargs):
    """A test client, signed in as `login` (without the throttled sign-in form)."""
    from django.test import Client

    client = Client(**kwargs)
    if login:
        client.force_login(workspace.accounts[login],
                           backend="django.contrib.auth.backends.ModelBackend")
    return client


def refused_in_the_database(table: str) -> None:
    """A raw UPDATE, a raw DELETE and a rewrite (INSERT OR REPLACE, ON CONFLICT DO UPDATE)
    of `table`'s first row, and a DELETE of all its rows, past the models, are refused by
    the database's own triggers (migrations 0005 and 0007 of workspace.decisions), and the
    rows are left as they were. Only the workspace's own table names reach the
    statements."""
    from django.db import IntegrityError, connection, transaction

    def rows(cursor) -> list[tuple]:
        cursor.execute(f"SELECT id, department FROM {table} ORDER BY id")  # noqa: S608
        return cursor.fetchall()

    with connection.cursor() as cursor:
        before = rows(cursor)
        first = before[0][0]
        # a row written again over itself: SQLite's REPLACE, PostgreSQL's ON CONFLICT
        rewritten = (f"INSERT OR REPLACE INTO {table} SELECT * FROM {table} "  # noqa: S608
                     f"WHERE id = {first}" if connection.vendor == "sqlite" else
                     f"INSERT INTO {table} SELECT * FROM {table} WHERE id = {first} "  # noqa: S608
                     "ON CONFLICT (id) DO UPDATE SET department = 'XX'")
        refused = (f"UPDATE {table} SET department = 'XX' WHERE id = {first}",  # noqa: S608
                   f"DELETE FROM {table} WHERE id = {first}",  # noqa: S608
                   f"DELETE FROM {table}", rewritten)  # noqa: S608
        for statement in refused:
            with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
                cursor.execute(statement)
        assert rows(cursor) == before


def decided_by_the_run_date(con) -> None:
    """The workspace records an identity decision at the real time, and the tests'
    nights run as of RUN, which reads the decisions recorded by then (as of a past date,
    a night reads only what was known that day): in the night's warehouse, the decisions
    recorded since are moved back into RUN's day, their order kept, as if made that day
    before the night (the workspace's own events are append-only)."""
    evening = datetime.combine(RUN, time(18))
    (latest,) = con.execute("SELECT max(decided_at) FROM audit.link_decisions").fetchone()
    if latest is not None and latest > evening:
        con.execute("UPDATE audit.link_decisions SET decided_at = decided_at - ?",
                    [latest - evening])


def next_night(ws: Workspace, tmp_path: Path):
    """The next night on a copy of the published warehouse, reading the workspace's
    database as the night's agent-decisions task does."""
    import shutil

    from flows.pipeline import copy_decisions  # the night's modules, once Django is set up
    from transforms.night import rebuild_night

    tmp_path.mkdir(exist_ok=True)
    copy = tmp_path / "night.duckdb"
    shutil.copyfile(ws.world.warehouse, copy)
    con = database.connect(copy)
    copy_decisions(con, ws.database)
    decided_by_the_run_date(con)
    rebuild_night(con, RUN, 120)
    return con
