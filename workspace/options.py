"""What an installation chooses for the workspace, gathered by flows/settings.py from the
command line and the environment and handed over once (no environment read here)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from transforms.warehouse.database import UNENCRYPTED, WarehouseSettings, restrict_to_owner

DATABASE_NAME = "workspace.sqlite3"
SECRET_KEY_NAME = "workspace-secret.key"
DEFAULT_ACCESS_LOG_DAYS = 365


@dataclass(frozen=True)
class WorkspaceOptions:
    """`database_url`: postgresql://user:password@host:port/name for a real deployment;
    empty: a SQLite file beside the warehouse (WAL). `https`: the workspace is reached
    through an HTTPS reverse proxy (cookies marked Secure, the proxy's X-Forwarded-Proto
    trusted). `trusted_header`: the request header (e.g. X-Remote-User) a trusted single
    sign-on proxy sets with the login; empty (the default) turns that sign-in off."""

    warehouse: Path
    warehouse_settings: WarehouseSettings = UNENCRYPTED
    # the folder `reconcile run --exports` writes (one folder per department); None: the
    # workspace offers no download
    exports: Path | None = None
    database_url: str = ""
    secret_key: str = ""
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1")
    https: bool = False
    trusted_header: str = ""
    failure_limit: int = 5
    access_log_days: int = DEFAULT_ACCESS_LOG_DAYS
    debug: bool = False

    @property
    def folder(self) -> Path:
        """Beside the warehouse path as given, never where it leads: the published path
        goes through the publication's pointer into one night's folder, which a later
        night removes (agents' decisions and the session key would go with it)."""
        return Path(os.path.abspath(self.warehouse)).parent


def database_config(options: WorkspaceOptions) -> dict:
    """Django's DATABASES entry: PostgreSQL from the URL, else SQLite beside the warehouse
    in WAL mode (readers never wait for the writer) with immediate write transactions
    (two writers queue instead of failing on a lock upgrade)."""
    if not options.database_url:
        return {"ENGINE": "django.db.backends.sqlite3",
                "NAME": str(options.folder / DATABASE_NAME),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;",
                            "transaction_mode": "IMMEDIATE", "timeout": 20}}
    url = urlsplit(options.database_url)
    if url.scheme not in ("postgres", "postgresql"):
        raise ValueError("the workspace database URL must start with postgresql://")
    return {"ENGINE": "django.db.backends.postgresql", "NAME": url.path.lstrip("/"),
            "USER": unquote(url.username or ""), "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "", "PORT": str(url.port or "")}


def secret_key(options: WorkspaceOptions) -> str:
    """The key that signs sessions: the configured one, else one made once and kept in a
    file beside the warehouse, readable by its owner only."""
    if options.secret_key:
        return options.secret_key
    path = options.folder / SECRET_KEY_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        restrict_to_owner(path)
    return path.read_text(encoding="utf-8").strip()
