"""The `openlrs` command: serve, migrate, demo, create-client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from openlrs import cli_backup, cli_batch, cli_notices, cli_plr, cli_retention
from openlrs.batch.validate_cli import validate as validate_batch_file
from openlrs.cli_audit import audit_duplicates
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Role
from openlrs.domain.errors import DomainError

app = typer.Typer(
    help="openlrs: the Learning Records Service. Settings come from OPENLRS_* variables.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)

ROLE_ORG_TYPES = {
    Role.LRB: OrgType.COLLEGE,
    Role.LRB_ADMIN: OrgType.COLLEGE,
    Role.AO: OrgType.AWARDING_ORGANISATION,
    Role.AO_ADMIN: OrgType.AWARDING_ORGANISATION,
    Role.ADMIN: OrgType.SERVICE_DESK,
}


app.command()(cli_batch.worker)
app.command()(cli_retention.retention)
app.add_typer(cli_batch.batch_app, name="batch")
app.add_typer(cli_notices.read_only_app, name="read-only")
app.command("contact-address")(cli_notices.contact_address)


@app.command("refresh-name-frequencies")
def refresh_frequencies() -> None:
    """Recount how common each name is (the matching engine's term-frequency adjustment)."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.services.matching.name_frequencies import refresh_name_frequencies

    total = refresh_name_frequencies(principal=SYSTEM, uow=build_uow_factory(Settings())())
    console.print(f"name frequencies counted over {total:,} learners")


@app.command("rebuild-match-keys")
def rebuild_keys() -> None:
    """Recompute every learner's stored match keys (after a change to their definition)."""
    from openlrs.store.engine import build_engine
    from openlrs.store.matching.match_keys import (
        rebuild_match_keys,
        rebuild_packed_keys,
        refresh_name_frequencies,
    )

    engine = build_engine(Settings().database_url)
    with engine.begin() as conn:
        rebuild_match_keys(conn)
        count = rebuild_packed_keys(conn)
        refresh_name_frequencies(conn)
    engine.dispose()
    console.print(f"match keys rebuilt for {count:,} learners")


@app.command()
def migrate() -> None:
    """Apply database migrations (safe to run again)."""
    from openlrs.store.engine import build_engine
    from openlrs.store.migrate import upgrade

    settings = Settings()
    engine = build_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    console.print(f"[green]Database is up to date[/] ({engine.url.render_as_string()})")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Serve the API (docs at /api/docs, metrics at /metrics); SIGTERM shuts down gracefully."""
    from openlrs.api.operations.server import serve as run_server

    run_server(Settings(), host=host, port=port, workers=workers)


@app.command("create-client")
def create_client(
    ukprn: Annotated[str, typer.Option(help="The organisation's UKPRN (8 digits)")],
    role: Annotated[Role, typer.Option(help="lrb, lrb_admin, ao, ao_admin or admin")],
    org_name: Annotated[
        str | None, typer.Option(help="Name for the organisation if it is new")
    ] = None,
) -> None:
    """Create an API client (and its organisation if new); prints its credentials as JSON."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.services.accounts import manage as accounts

    uow = build_uow_factory(Settings())
    try:
        accounts.ensure_organisation(
            ukprn,
            org_name or f"Organisation {ukprn}",
            ROLE_ORG_TYPES[role],
            principal=SYSTEM,
            uow=uow(),
        )
        created = accounts.create_client(ukprn, frozenset({role}), principal=SYSTEM, uow=uow())
    except DomainError as exc:
        console.print(f"[red]{exc.code}[/]: {exc.detail}")
        raise typer.Exit(2) from exc
    print(json.dumps({"client_id": created.client_id, "client_secret": created.client_secret}))


@app.command("reactivate-organisation")
def reactivate_organisation(
    ukprn: Annotated[str, typer.Argument(help="The suspended organisation's UKPRN (8 digits)")],
) -> None:
    """Reactivate a suspended organisation (e.g. a service desk that suspended itself before
    that was refused): its accounts work again at once. Audited with the actor `operator`."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.services.accounts import manage as accounts

    try:
        found = accounts.reactivate_organisation(ukprn, uow=build_uow_factory(Settings())())
    except DomainError as exc:
        console.print(f"[red]{exc.code}[/]: {exc.detail}")
        raise typer.Exit(2) from exc
    console.print(f"[green]Organisation {found.ukprn} is active[/] ({found.name})")


@app.command("set-school-number")
def set_school_number(
    ukprn: Annotated[str, typer.Argument(help="The school's UKPRN (8 digits)")],
    dfe_number: Annotated[
        str, typer.Argument(help="LEA and establishment, e.g. 3804001 or 380/4001; '' clears it")
    ],
) -> None:
    """Record a school's DfE number, against which its Common Transfer Files are checked."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.services.accounts import manage as accounts
    from openlrs.services.accounts.manage import OPERATOR

    try:
        found = accounts.set_school_number(
            ukprn, dfe_number or None, principal=OPERATOR, uow=build_uow_factory(Settings())()
        )
    except DomainError as exc:
        console.print(f"[red]{exc.code}[/]: {exc.detail}")
        raise typer.Exit(2) from exc
    console.print(f"[green]{found.name}[/]: DfE number {found.dfe_number or 'cleared'}")


@app.command()
def demo(
    learners: Annotated[int, typer.Option(help="Synthetic learners to register")] = 3000,
    seed: Annotated[int, typer.Option(help="Random seed for the synthetic population")] = 2026,
) -> None:
    """Seed demo organisations, users, API clients and synthetic learners; print the credentials."""
    from openlrs.bootstrap import build_uow_factory
    from openlrs.demo import seed_demo

    settings = Settings()
    credentials = seed_demo(build_uow_factory(settings), learners=learners, seed=seed)
    console.print("[bold]Demo credentials[/] (for http://127.0.0.1:8000/api/docs):")
    for line in credentials:
        console.print(f"  {line}")


@app.command("match-eval")
def match_eval(
    register: Annotated[
        Path, typer.Option(help="CSV of the register (source_id + learner fields)")
    ],
    queries: Annotated[Path, typer.Option(help="CSV of the queries, same columns")],
    output: Annotated[Path, typer.Option(help="CSV to write: query_id, outcome, ids, scores")],
    model: Annotated[Path | None, typer.Option(help="A match model JSON file")] = None,
    report: Annotated[
        Path | None, typer.Option(help="Also write an HTML report of precision/recall by threshold")
    ] = None,
) -> None:
    """Run the matching engine over labelled files, one output row per query (no database)."""
    import datetime as dt

    from openlrs.batch.match_eval import evaluate_files
    from openlrs.domain.matching.model_file import default_model, load_model

    chosen = load_model(model) if model else default_model()
    counts = evaluate_files(register, queries, output, chosen, today=dt.datetime.now(dt.UTC).date())
    console.print(
        f"model {chosen.version}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    if report is not None:
        from openlrs.batch.match_report import write_report

        write_report(register, queries, report, chosen, today=dt.datetime.now(dt.UTC).date())
        console.print(f"report written to {report}")
        from openlrs.batch.match_report import clerical_load

        load = clerical_load(register, queries, output)
        if load is not None:
            console.print("clerical load of returning learners (auto / person / missed / wrong):")
            console.print(load.table(), markup=False, highlight=False)


@app.command("match-train")
def match_train(
    output: Annotated[Path, typer.Option(help="The model JSON file to write")],
    version: Annotated[str, typer.Option(help="The new model's version, e.g. 2026-12-06.1")],
    register: Annotated[
        Path | None, typer.Option(help="CSV of the register (as match-eval reads it)")
    ] = None,
    queries: Annotated[
        Path | None, typer.Option(help="CSV of searches made of it (labels optional)")
    ] = None,
    synthetic_learners: Annotated[
        int, typer.Option(help="Train on a synthetic register of this many instead of files")
    ] = 0,
    synthetic_queries: Annotated[int, typer.Option(help="Synthetic searches")] = 20_000,
    seed: Annotated[int, typer.Option(help="Seed for synthetic data and random pairs")] = 2027,
    as_of: Annotated[str, typer.Option(help="The synthetic population's 'today'")] = "2026-12-06",
    base: Annotated[Path | None, typer.Option(help="Base model (default: the shipped one)")] = None,
    auto_match_probability: Annotated[
        float | None, typer.Option(help="Auto-match threshold as a match probability")
    ] = None,
    possible_probability: Annotated[
        float | None, typer.Option(help="Possible-match threshold as a match probability")
    ] = None,
    margin: Annotated[
        float | None, typer.Option(help="An exact match's lead over the next person (weight)")
    ] = None,
    random_pairs: Annotated[int, typer.Option(help="Random pairs for u")] = 1_000_000,
    damping_strong: Annotated[
        float | None,
        typer.Option(help="Names+DOB+gender weight from which optional disagreements are damped"),
    ] = None,
    damping_factor: Annotated[
        float, typer.Option(help="What a damped disagreement still counts (0-1)")
    ] = 0.5,
    report: Annotated[
        Path | None, typer.Option(help="Markdown report (default: OUTPUT with .md)")
    ] = None,
) -> None:
    """Estimate m, u and the prior without labels (EM) and write a new versioned model file."""
    import datetime as dt

    from openlrs.batch.match_train import file_data, synthetic_data, train
    from openlrs.domain.matching.model import Damping
    from openlrs.domain.matching.model_file import default_model, load_model, save_model

    today = dt.date.fromisoformat(as_of)
    if synthetic_learners:
        data = synthetic_data(synthetic_learners, synthetic_queries, seed=seed, today=today)
    elif register is not None and queries is not None:
        data = file_data(register, queries, today=dt.datetime.now(dt.UTC).date())
    else:
        raise typer.BadParameter("give --register and --queries, or --synthetic-learners")
    chosen = load_model(base) if base else default_model()
    trained = train(
        data,
        chosen,
        version=version,
        seed=seed,
        random_pair_count=random_pairs,
        auto_match_probability=auto_match_probability,
        possible_probability=possible_probability,
        margin=margin,
        progress=lambda step: console.print(step),
        damping=None if damping_strong is None else Damping(damping_strong, damping_factor),
    )
    save_model(trained.model, output)
    written = report or output.with_suffix(".md")
    written.write_text(trained.report, encoding="utf-8")
    console.print(f"model {trained.model.version} written to {output}; report {written}")


app.command()(validate_batch_file)  # openlrs validate FILE (batch/validate_cli.py)
app.command("audit-duplicates")(audit_duplicates)  # the register audit (cli_audit.py)
cli_backup.register(app)  # openlrs backup FILE / openlrs restore FILE (cli_backup.py)
cli_plr.register(app)  # openlrs load-qualifications FILE (cli_plr.py)

if __name__ == "__main__":
    app()
