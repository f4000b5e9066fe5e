"""`openlrs read-only on|off|status` (maintenance from the command line) and
`openlrs contact-address UKPRN ADDRESS` (where an organisation's notifications go)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console

from openlrs.config import Settings
from openlrs.domain.accounts.organisations import SYSTEM
from openlrs.domain.errors import DomainError

console = Console(stderr=True)
read_only_app = typer.Typer(
    help="Read-only maintenance: reads keep working, writes get 503 with Retry-After.",
    no_args_is_help=True,
)


@read_only_app.command("on")
def read_only_on(
    minutes: Annotated[int, typer.Option(min=1, help="How long it lasts")] = 60,
    message: Annotated[str, typer.Option(help="Shown in the portal's banner")] = "",
) -> None:
    """Start read-only maintenance now (every process sees it within 5 seconds)."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.services.notices.maintenance import ScheduleMaintenance, schedule_maintenance

    now = dt.datetime.now(dt.UTC)
    command = ScheduleMaintenance(now, now + dt.timedelta(minutes=minutes), message, True)
    window = schedule_maintenance(command, principal=SYSTEM, uow=build_uow_factory(Settings())())
    console.print(f"[yellow]Read-only[/] until {window.ends_at:%H:%M} UTC")


@read_only_app.command("off")
def read_only_off() -> None:
    """End every read-only maintenance now running (not OPENLRS_READ_ONLY: unset that)."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.services.notices import maintenance

    factory = build_uow_factory(Settings())
    now = dt.datetime.now(dt.UTC)
    running = [
        w for w in maintenance.upcoming_maintenance(uow=factory(), now=now) if w.is_running(now)
    ]
    for window in running:
        maintenance.cancel_maintenance(window.id, principal=SYSTEM, uow=factory(), now=now)
    console.print(f"[green]Writes open[/] ({len(running)} maintenance window(s) ended)")


@read_only_app.command("status")
def read_only_status() -> None:
    """Say whether the service is read-only now, and until when."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.services.notices.maintenance import NoticeBoard

    settings = Settings()
    notices = NoticeBoard(
        build_uow_factory(settings), read_only_setting=settings.read_only
    ).current()
    if not notices.read_only:
        typer.echo("read-write")
    elif notices.read_only_until is None:
        typer.echo("read-only (OPENLRS_READ_ONLY)")
    else:
        typer.echo(f"read-only until {notices.read_only_until.isoformat()}")


def contact_address(
    ukprn: Annotated[str, typer.Argument(help="The organisation's UKPRN")],
    address: Annotated[str, typer.Argument(help="An e-mail address; '' for none")],
) -> None:
    """Set where an organisation's notification e-mails go."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.services.notifications.outbox import set_contact_address

    try:
        saved = set_contact_address(
            ukprn, address, principal=SYSTEM, uow=build_uow_factory(Settings())()
        )
    except DomainError as exc:
        console.print(f"[red]{exc.code}[/]: {exc.detail}")
        raise typer.Exit(2) from exc
    console.print(f"[green]Notifications for {ukprn}[/] go to {saved or 'nobody'}")
