"""`openlrs validate FILE`: check a batch file offline (no database, no server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.file_errors import BatchFileError
from openlrs.batch.reader import BatchLimits, guess_format
from openlrs.batch.validation import ValidationReport, validate_file
from openlrs.config import Settings
from openlrs.services.policy import RegisterPolicy


def validate(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    kind: Annotated[
        BatchKind | None,
        typer.Option(
            help="registration, vld, achievement or diploma_result (default: told from the file)"
        ),
    ] = None,
    fmt: Annotated[
        BatchFormat | None,
        typer.Option("--format", help="csv or xml (default: from the extension or content)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON")] = False,
) -> None:
    """Check a batch file with the service's rules; exit 1 if anything is wrong, 0 if clean."""
    settings = Settings()
    policy = RegisterPolicy(min_age=settings.min_age, max_age=settings.max_age)
    limits = BatchLimits(max_rows=settings.batch_max_rows, max_bytes=settings.batch_max_bytes)
    with file.open("rb") as stream:
        try:
            chosen = fmt or guess_format(file.name, stream.read(512))
        except BatchFileError as exc:
            _fail(exc, as_json)
        stream.seek(0)
        report = validate_file(stream, kind=kind, fmt=chosen, limits=limits, policy=policy)
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        _print(report, file.name)
    raise typer.Exit(0 if report.ok else 1)


def _fail(exc: BatchFileError, as_json: bool) -> None:
    if as_json:
        finding = {"row": None, "column": None, "code": exc.code, "message": exc.detail}
        typer.echo(json.dumps({"ok": False, "findings": [finding]}, indent=2))
    else:
        Console().print(f"[red]{exc.code}[/]: {exc.detail}")
    raise typer.Exit(1)


def _print(report: ValidationReport, name: str) -> None:
    console = Console()
    kind = report.kind.value if report.kind else "unknown kind"
    if report.ok:
        console.print(f"[green]{name}: {report.rows} rows, no problems[/] ({kind}, {report.fmt})")
        return
    table = Table(title=f"{name} ({kind}, {report.fmt})")
    for heading in ("Row", "Column", "Code", "Message"):
        table.add_column(heading)
    for f in report.findings:
        table.add_row("file" if f.row is None else str(f.row), f.column or "", f.code, f.message)
    console.print(table)
    bad = report.rows - report.valid_rows
    console.print(
        f"[red]{len(report.findings)} problem(s)[/]"
        + (f" in {bad} of {report.rows} rows" if report.file_error is None else "")
    )
