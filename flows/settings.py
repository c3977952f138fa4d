"""Settings, read once, here. The rest of the code receives values as parameters."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboards.objectives import Objectives
    from transforms.warehouse.database import WarehouseSettings
    from workspace.options import WorkspaceOptions

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"


def configure_prefect_offline() -> None:
    """Prefect on a machine without internet: no analytics, a home of its own,
    time for the temporary server to start. Must run before `prefect` is imported."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_HOME", str(Path.home() / ".reconcile" / "prefect"))
    # Prefect creates only the last level of its home.
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    # Task results may hold persons, and persisted results are pickles on disk (data at
    # rest): never persist them.
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    # Prefect's run logs on standard output, with the night's progress: a run that could
    # not complete leaves one line on standard error, its reason (CONTRACTS §4), which a
    # scheduler can mail as it is.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_STREAM", "ext://sys.stdout")


@dataclass(frozen=True)
class RunSettings:
    """Values that tune the rules, read once: the planning horizon (RULES.md PRI-08) and
    the days after which a source unit's latest delivery is late (PRI-01): a GENESIS
    establishment, a TélémOfpra department, an AGDREF department (and table)."""

    release_horizon_days: int = 120
    stale_prison_list_days: int = 16
    late_telemofpra_days: int = 8
    late_agdref_days: int = 2
    # Decisions kept from the night before where their facts and dates hold (transforms.
    # rules.reuse). Off by default: see README, "Decisions kept from one night to the next".
    keep_decisions: bool = False

    @classmethod
    def from_environment(cls) -> RunSettings:
        return cls(
            release_horizon_days=int(os.environ.get("RECONCILE_RELEASE_HORIZON_DAYS", "120")),
            stale_prison_list_days=int(
                os.environ.get("RECONCILE_STALE_PRISON_LIST_DAYS", "16")),
            late_telemofpra_days=int(os.environ.get("RECONCILE_LATE_TELEMOFPRA_DAYS", "8")),
            late_agdref_days=int(os.environ.get("RECONCILE_LATE_AGDREF_DAYS", "2")),
            keep_decisions=os.environ.get("RECONCILE_KEEP_DECISIONS") == "1",
        )

    def late_after_days(self) -> dict[str, int]:
        """Days per source system after which a unit is late (more days old is late)."""
        return {"genesis": self.stale_prison_list_days,
                "telemofpra": self.late_telemofpra_days,
                "agdref": self.late_agdref_days}


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity where the system keeps one
    (Linux: a container or `taskset` may allow fewer than the machine has), else every
    core of the machine (`os.sched_getaffinity` does not exist on macOS)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def retention_days() -> dict[str, int]:
    """Days the rows as delivered and the inbox files are kept, per source
    (RECONCILE_RETENTION_DAYS_<SOURCE>, default 90)."""
    return {system: _days(f"RECONCILE_RETENTION_DAYS_{system.upper()}", "90")
            for system in ("telemofpra", "genesis", "agdref")}


def _days(name: str, default: str) -> int:
    """A number of days from the environment: a whole number, 0 or more, or refused in
    one line (ValueError) before anything is purged."""
    value = os.environ.get(name, default)
    if not value.strip().isdigit():
        raise ValueError(f"{name}={value!r}: give a whole number of days, 0 or more")
    return int(value)


# Days the audit tables that grow by every run keep their rows (README, "Retention"):
# 400, thirteen months, so that a night can still be set beside the same night a year
# before; the accounting itself (audit.files, audit.runs) is kept whole.
AUDIT_RETENTION_DAYS = {"run_stages": 400, "source_freshness": 400, "exports": 400,
                        "quarantine": 400}


def audit_retention_days() -> dict[str, int | None]:
    """Days each growing audit table keeps its rows (RECONCILE_AUDIT_RETENTION_DAYS_<TABLE>,
    e.g. RECONCILE_AUDIT_RETENTION_DAYS_SOURCE_FRESHNESS; `all` keeps every row)."""
    days: dict[str, int | None] = {}
    for table, default in AUDIT_RETENTION_DAYS.items():
        name = f"RECONCILE_AUDIT_RETENTION_DAYS_{table.upper()}"
        value = os.environ.get(name, str(default))
        days[table] = None if value.strip().lower() == "all" else _days(name, str(default))
    return days


def warehouse_settings() -> WarehouseSettings:
    """How the warehouse is opened. Encryption at rest: key from the file
    RECONCILE_WAREHOUSE_KEY_FILE or from RECONCILE_WAREHOUSE_KEY (neither: unencrypted,
    owner-only file permissions); RECONCILE_UNSAFE_TEST_CRYPTO=1 is for the tests of this
    path only. Memory: DuckDB (the warehouse and Splink's scratch databases together) is
    capped at RECONCILE_MEMORY_LIMIT (e.g. "6GB"; unset: DuckDB's default, 80 % of the
    machine) and spills beyond it into the private `.spill` folder. Exports: readable by
    their owner and RECONCILE_EXPORTS_GROUP (unset: the owner's group), never by others."""
    from transforms.warehouse.database import WarehouseSettings

    key_file = os.environ.get("RECONCILE_WAREHOUSE_KEY_FILE")
    key = (Path(key_file).read_text(encoding="utf-8").strip() if key_file
           else os.environ.get("RECONCILE_WAREHOUSE_KEY")) or None
    return WarehouseSettings(
        key=key, unsafe_crypto_for_tests=os.environ.get("RECONCILE_UNSAFE_TEST_CRYPTO") == "1",
        memory_limit=os.environ.get("RECONCILE_MEMORY_LIMIT") or None,
        exports_group=os.environ.get("RECONCILE_EXPORTS_GROUP") or None)


def configure_warehouse() -> WarehouseSettings:
    """The warehouse settings, checked: a key this machine cannot honour fails here, in
    one line (EncryptionUnavailable), before anything is written."""
    from transforms.warehouse.database import check_encryption

    settings = warehouse_settings()
    check_encryption(settings)
    return settings


def workspace_options(warehouse: Path, exports: Path | None = None) -> WorkspaceOptions:
    """The workspace's settings (README, operators): RECONCILE_WORKSPACE_DATABASE_URL
    (postgresql://…; unset: SQLite beside the warehouse), RECONCILE_WORKSPACE_SECRET_KEY_FILE
    (unset: a key made once beside the warehouse), RECONCILE_WORKSPACE_ALLOWED_HOSTS (comma
    separated host names the pages answer to), RECONCILE_WORKSPACE_HTTPS=1 behind the HTTPS
    reverse proxy, RECONCILE_WORKSPACE_TRUSTED_HEADER (single sign-on header; unset: off),
    RECONCILE_WORKSPACE_ACCESS_LOG_DAYS (default 365)."""
    from workspace.options import DEFAULT_ACCESS_LOG_DAYS, WorkspaceOptions

    key_file = os.environ.get("RECONCILE_WORKSPACE_SECRET_KEY_FILE")
    hosts = os.environ.get("RECONCILE_WORKSPACE_ALLOWED_HOSTS", "localhost,127.0.0.1")
    return WorkspaceOptions(
        warehouse=warehouse, warehouse_settings=configure_warehouse(), exports=exports,
        database_url=os.environ.get("RECONCILE_WORKSPACE_DATABASE_URL", ""),
        secret_key=Path(key_file).read_text(encoding="utf-8").strip() if key_file else "",
        allowed_hosts=tuple(h.strip() for h in hosts.split(",") if h.strip()),
        https=os.environ.get("RECONCILE_WORKSPACE_HTTPS") == "1",
        trusted_header=os.environ.get("RECONCILE_WORKSPACE_TRUSTED_HEADER", ""),
        access_log_days=int(os.environ.get("RECONCILE_WORKSPACE_ACCESS_LOG_DAYS",
                                           str(DEFAULT_ACCESS_LOG_DAYS))))


def workspace_database(warehouse: Path) -> dict:
    """Where the workspace keeps agents' decisions, for the night that copies those in
    force: the same database `reconcile workspace` uses (RECONCILE_WORKSPACE_DATABASE_URL,
    else the SQLite file beside the published warehouse)."""
    from workspace.options import WorkspaceOptions, database_config

    return database_config(WorkspaceOptions(
        warehouse=warehouse,
        database_url=os.environ.get("RECONCILE_WORKSPACE_DATABASE_URL", "")))


DEFAULT_OBJECTIVES = Path(__file__).with_name("objectives.toml")


def objectives_file(option: Path | None = None) -> Path:
    """The dashboard's objectives: `--objectives`, else RECONCILE_OBJECTIVES_FILE, else
    the defaults shipped beside this module (flows/objectives.toml)."""
    if option is not None:
        return option
    return Path(os.environ.get("RECONCILE_OBJECTIVES_FILE", DEFAULT_OBJECTIVES))


def read_objectives(path: Path) -> Objectives:
    """The objectives of a settings file; ValueError in one line naming the file and
    what to fix."""
    import tomllib

    from dashboards.objectives import objectives_from

    try:
        with path.open("rb") as file:
            return objectives_from(tomllib.load(file))
    except OSError as err:
        raise ValueError(f"objectives {path}: cannot be read ({err.strerror})") from None
    except (tomllib.TOMLDecodeError, ValueError) as err:
        raise ValueError(f"objectives {path}: {err}") from None
