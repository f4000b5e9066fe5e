"""`openlrs load-qualifications FILE`: load the qualification and unit register (docs/plr.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from openlrs.config import Settings
from openlrs.domain.accounts.organisations import SYSTEM

console = Console(stderr=True)


def load_qualifications(
    file: Annotated[Path, typer.Argument(help="CSV of qualifications and units (docs/plr.md)")],
) -> None:
    """Add or replace every qualification and unit in FILE; any problem and nothing is loaded."""
    from openlrs.batch.qualification_file import read_register_file
    from openlrs.bootstrap import build_uow_factory
    from openlrs.services.plr.qualification_register import load_register

    entries, problems = read_register_file(file.read_bytes())
    if problems:
        for p in problems:
            console.print(f"line {p.line}: {p.field or '-'} {p.code}: {p.message}")
        console.print(f"[red]{len(problems)} problem(s): nothing loaded[/]")
        raise typer.Exit(1)
    loaded = load_register(entries, principal=SYSTEM, uow=build_uow_factory(Settings())())
    console.print(f"[green]Loaded[/] {loaded.added} new, {loaded.replaced} replaced")


def register(app: typer.Typer) -> None:
    app.command("load-qualifications")(load_qualifications)
