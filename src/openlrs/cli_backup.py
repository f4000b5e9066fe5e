"""`openlrs backup FILE` and `openlrs restore FILE` (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from openlrs.config import Settings

console = Console(stderr=True)


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup")],
) -> None:
    """Back up the register (pg_dump custom format on PostgreSQL; a database file on SQLite)."""
    from openlrs.store.backup import BackupError
    from openlrs.store.backup import backup as take_backup

    try:
        take_backup(Settings().database_url, file)
    except BackupError as exc:
        console.print(f"[red]Backup failed[/]: {exc}")
        raise typer.Exit(1) from exc
    console.print(f"[green]Backed up[/] to {file} ({file.stat().st_size:,} bytes)")


def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `openlrs backup`")],
    replace: Annotated[
        bool, typer.Option(help="Replace what the target database holds (default: refuse)")
    ] = False,
) -> None:
    """Restore a backup into the configured database, which must be empty unless --replace."""
    from openlrs.store.backup import BackupError
    from openlrs.store.backup import restore as put_back

    try:
        put_back(Settings().database_url, file, replace=replace)
    except BackupError as exc:
        console.print(f"[red]Restore failed[/]: {exc}")
        raise typer.Exit(1) from exc
    console.print(f"[green]Restored[/] {file}; run `openlrs migrate` if the code is newer")


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
