"""`reconcile workspace` and `reconcile users`: the units' web application and its
accounts (issue 34). Django is imported only when one of these commands runs."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.settings import workspace_options
from transforms.ingest.printable import printable

WarehouseOption = Annotated[Path, typer.Option(
    help="Published DuckDB warehouse (the workspace's own database sits beside it unless "
         "RECONCILE_WORKSPACE_DATABASE_URL names a PostgreSQL one).")]

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the workspace.",
                        rich_markup_mode=None, context_settings={"max_content_width": 100})


def _program() -> str:
    """How to call this command from here: `reconcile` when it is on the PATH, else the
    one beside this Python (`.venv/bin/reconcile` after `make demo`)."""
    beside = Path(sys.executable).parent / "reconcile"
    if shutil.which("reconcile") or not beside.exists():
        return "reconcile"
    try:
        return str(beside.relative_to(Path.cwd()))
    except ValueError:
        return str(beside)


def _fail(message: str) -> None:
    typer.echo(f"reconcile: {message}", err=True)
    raise typer.Exit(code=1)


def _options(warehouse: Path, exports: Path | None = None):
    try:
        options = workspace_options(warehouse, exports)
    except (RuntimeError, ValueError) as err:
        _fail(str(err))
    if not warehouse.exists() and not options.database_url:
        # allowed (accounts may be made before the first night), but a mistyped path
        # would keep accounts and decisions where no night reads them
        typer.echo(f"reconcile: note: no warehouse at {printable(str(warehouse))} yet (no "
                   f"night has run there): accounts and decisions are kept in "
                   f"{printable(str(options.folder))}", err=True)
    return options


def workspace(
    warehouse: WarehouseOption,
    host: Annotated[str, typer.Option(help="Address to listen on (the reverse proxy's side).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8034,
    exports: Annotated[Path | None, typer.Option(
        help="The exports folder of `reconcile run` (each department's files offered for "
             "download to that department's accounts, each download logged).")] = None,
) -> None:
    """Serve the units' workspace: their lists, flags and decisions, need-to-know enforced.

    Reads the published warehouse read-only (a night may run meanwhile); keeps accounts
    and agents' decisions in the operational database, brought up to date at start.
    """
    from workspace.server import serve

    if not warehouse.is_file():
        # the pages read a night's lists: a mistyped path served a blank workspace, with
        # a database and a secret key of its own (README audit of 2026-12-07)
        _fail(f"no warehouse at {printable(str(warehouse))}: the workspace serves the lists "
              "of a night; run `reconcile run` first, or check --warehouse")
    options = _options(warehouse, exports)
    typer.echo(f"workspace on http://{host}:{port}/ (warehouse {warehouse})")
    serve(options, host, port)


def _registry(warehouse: Path):
    from workspace.server import prepare

    prepare(_options(warehouse))
    from workspace.accounts import registry

    return registry


@users_app.command("add")
def add_user(
    login: Annotated[str, typer.Argument(help="Login (never a person's name in logs).")],
    warehouse: WarehouseOption,
    role: Annotated[str, typer.Option(help="agent, manager, analyst or admin.")] = "agent",
    department: Annotated[list[str] | None, typer.Option(
        "--department", "-d", metavar="DEPT",
        help="A department the account may see, as 13 or 2A (repeat the option).")
    ] = None,
    password: Annotated[str, typer.Option(
        prompt=True, hide_input=True, confirmation_prompt=True,
        help="Asked for when not given (12 characters at least).")] = "",
) -> None:
    """Create an account with its role and departments."""
    registry = _registry(warehouse)
    try:
        registry.add_account(login, role, department or [], password)
    except registry.AccountError as err:
        _fail(str(err))
    typer.echo(f"account {login} added: {role}, departments "
               f"{', '.join(sorted(set(department or []))) or 'none'}")


@users_app.command("disable", short_help="Stop an account from signing in.")
def disable_user(login: Annotated[str, typer.Argument()], warehouse: WarehouseOption) -> None:
    """Stop an account from signing in (its past decisions keep their author)."""
    registry = _registry(warehouse)
    try:
        registry.disable_account(login)
    except registry.AccountError as err:
        _fail(str(err))
    typer.echo(f"account {login} disabled")


@users_app.command("list")
def list_users(warehouse: WarehouseOption) -> None:
    """Every account: login, role, departments, active or not."""
    from workspace.options import DATABASE_NAME

    try:
        options = workspace_options(warehouse)
    except (RuntimeError, ValueError) as err:
        _fail(str(err))
    if not options.database_url and not (options.folder / DATABASE_NAME).exists():
        # a listing makes nothing: a mistyped --warehouse leaves no database behind
        typer.echo(f"reconcile: no account: no workspace database beside "
                   f"{printable(str(warehouse))}", err=True)
        return
    for line in _registry(warehouse).list_accounts():
        state = "active" if line.active else "disabled"
        typer.echo(f"{line.login}\t{line.role}\t{','.join(line.departments) or '-'}\t{state}")


def echo_demo_accounts(warehouse: Path, exports: Path | None) -> None:
    """The demo's accounts added to the workspace beside `warehouse`, printed with their
    passwords, and how to open the workspace."""
    _registry(warehouse)
    from workspace.accounts.demo import add_demo_accounts

    made = add_demo_accounts()
    if made:
        typer.echo("demo accounts (for this demo only; passwords shown once):")
    for line, password in made:
        typer.echo(f"  {line.login:<10} {line.role:<8} "
                   f"{','.join(line.departments) or '-':<4} {password}")
    command = f"{_program()} workspace --warehouse {warehouse}"
    if exports is not None:
        command += f" --exports {exports}"
    typer.echo(f"workspace: run `{command}`, then open http://127.0.0.1:8034/ and sign "
               "in with one of these accounts")


@users_app.command("demo", short_help="Add the demo's accounts (one per role).")
def demo_users(
    warehouse: WarehouseOption,
    exports: Annotated[Path | None, typer.Option(help="The demo's exports folder.")] = None,
) -> None:
    """Add the demo's accounts (one per role, random passwords printed once)."""
    echo_demo_accounts(warehouse, exports)
