"""`openlrs audit-duplicates`: the whole-register duplicate audit, a CLI job (never an API call).

Needs the optional `audit` extra (Splink, DuckDB): `pip install 'openlrs[audit]'`.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from openlrs.config import Settings

console = Console(stderr=True)


def audit_duplicates(
    output: Annotated[
        Path, typer.Option(help="CSV to write: ULN pairs, weights and field levels")
    ] = Path("suspected_duplicates.csv"),
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Lowest match probability to report")
    ] = 0.5,
    queue: Annotated[
        bool,
        typer.Option("--queue/--no-queue", help="Also put the pairs in the service desk queue"),
    ] = False,
    duplicate_share: Annotated[
        float,
        typer.Option(min=1e-6, max=0.5, help="Expected share of records that are duplicates"),
    ] = 0.01,
    model: Annotated[Path | None, typer.Option(help="A match model JSON file")] = None,
) -> None:
    """Find likely duplicate learners already in the register (Splink on DuckDB)."""
    try:
        from openlrs.batch.audit.output import write_pairs
        from openlrs.batch.audit.run import audit_register
    except ImportError as exc:
        console.print("[red]The audit needs the audit extra:[/] pip install 'openlrs[audit]'")
        raise typer.Exit(2) from exc
    from openlrs.bootstrap import build_uow_factory
    from openlrs.domain.matching.model_file import default_model, load_model
    from openlrs.services.matching.suspected_duplicates import queue_suspected_duplicates
    from openlrs.store.engine import build_engine
    from openlrs.store.matching.register_reader import active_learner_chunks

    settings = Settings()
    chosen = load_model(model) if model else default_model()
    run_id = f"audit-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    started = time.perf_counter()
    engine = build_engine(settings.database_url)
    try:
        pairs = audit_register(
            active_learner_chunks(engine),
            chosen,
            threshold=threshold,
            duplicate_share=duplicate_share,
            run_id=run_id,
        )
        with output.open("w", newline="", encoding="utf-8") as handle:
            written = write_pairs(handle, pairs)
            if queue:
                count = queue_suspected_duplicates(written, uow=build_uow_factory(settings)())
            else:
                count = sum(1 for _ in written)
    finally:
        engine.dispose()
    queued = " (queued for the service desk)" if queue else ""
    console.print(
        f"run {run_id}: {count} suspected duplicate pairs{queued} -> {output} "
        f"in {time.perf_counter() - started:.1f} s"
    )
