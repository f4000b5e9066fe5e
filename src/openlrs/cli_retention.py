"""`openlrs retention`: remove what the retention policy says has been kept long enough."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.console import Console

from openlrs.config import Settings

console = Console(stderr=True)


def retention(
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON")] = False,
) -> None:
    """Apply the retention policy now and report how many rows of each kind were removed."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.domain.accounts.organisations import SYSTEM
    from openlrs.domain.retention.policy import RetentionPolicy, RetentionSettingInvalid
    from openlrs.services.retention.apply import apply_retention

    settings = Settings()
    try:
        policy = RetentionPolicy.with_overrides(settings.retention_days)
    except RetentionSettingInvalid as error:
        console.print(f"[red]OPENLRS_RETENTION_DAYS: {error}[/]")
        raise typer.Exit(2) from None
    report = apply_retention(
        policy, now=dt.datetime.now(dt.UTC), principal=SYSTEM, uow=build_uow_factory(settings)()
    )
    if as_json:
        typer.echo(json.dumps({kind.value: n for kind, n in report.removed.items()}))
        return
    for kind, count in report.removed.items():
        held = "not held here" if count is None else f"{count:,} removed"
        console.print(f"{kind.value:<20} kept {policy.days[kind]:>5} days  {held}")
