"""`reconcile workspace`: the operational database brought up to date (migrations), the
views log trimmed to its retention, then the pages served by waitress (a production WSGI
server in pure Python: no compiler, no extra service)."""

from __future__ import annotations

from datetime import timedelta

from workspace.config import configure
from workspace.options import DATABASE_NAME, WorkspaceOptions

THREADS = 4


def prepare(options: WorkspaceOptions) -> None:
    """Django configured and the operational database at the latest migration."""
    configure(options)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if not options.database_url:
        restrict_database(options)


def restrict_database(options: WorkspaceOptions) -> None:
    """The SQLite database holds password hashes, the views log and AGDREF numbers: its
    owner alone reads it, as the warehouse and the session key (SQLite gives its -wal and
    -shm files the database's mode)."""
    database = options.folder / DATABASE_NAME
    for file in (database, *(database.with_name(database.name + end)
                             for end in ("-wal", "-shm"))):
        if file.exists():
            file.chmod(0o600)


def trim_views_log(days: int) -> int:
    """Views older than the retention period are deleted (issue 34 §6)."""
    from django.utils import timezone

    from workspace.accounts.models import PageView

    deleted, _ = PageView.objects.filter(
        viewed_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted


def serve(options: WorkspaceOptions, host: str, port: int) -> None:
    prepare(options)
    trim_views_log(options.access_log_days)
    from django.core.wsgi import get_wsgi_application
    from waitress import serve as waitress_serve

    waitress_serve(get_wsgi_application(), host=host, port=port, threads=THREADS,
                   ident="reconcile", **proxy_settings(options))


# The HTTPS reverse proxy runs on the same machine (README, operators) and proxies to
# 127.0.0.1: only its requests may say they came through HTTPS.
PROXY_ADDRESS = "127.0.0.1"


def proxy_settings(options: WorkspaceOptions) -> dict:
    """Behind the HTTPS proxy, waitress passes the proxy's X-Forwarded-Proto on to Django
    (SECURE_PROXY_SSL_HEADER: the request is secure, its Origin https://…) when the
    request comes from the proxy's address; by default waitress removes the header from
    every request, and Django would take each request for plain HTTP (a form posted
    from https://<host>:<port> refused as from another origin); and the proxy's
    X-Forwarded-For, the client's address (the last hop, the one the proxy saw), so that
    sign-in throttling counts failures per login and client, not per login alone (every
    request would come from the proxy's address). Without HTTPS, waitress removes both
    as ever."""
    if not options.https:
        return {}
    return {"trusted_proxy": PROXY_ADDRESS,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
            "clear_untrusted_proxy_headers": True}
