"""The `openlrs` command, driven as an operator would, on both databases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from typer.testing import CliRunner

from openlrs.cli import app
from openlrs.store.tables import (
    api_clients,
    audit_events,
    learners,
    name_frequencies,
    organisations,
)

runner = CliRunner()


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"OPENLRS_DATABASE_URL": database_url, "OPENLRS_VAR_DIR": str(tmp_path)}


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "migrate", "demo", "create-client"):
        assert command in result.output


def test_create_client_prints_credentials_as_json_on_its_last_line(
    database_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    env = _env(database_url, tmp_path)
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    result = runner.invoke(
        app,
        ["create-client", "--ukprn", "10002222", "--role", "ao", "--org-name", "Exam Board"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    credentials = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(credentials) == {"client_id", "client_secret"}
    with engine.connect() as conn:
        org = conn.execute(
            sa.select(organisations.c.name, organisations.c.org_type).where(
                organisations.c.ukprn == "10002222"
            )
        ).one()
        secret_hash = conn.execute(
            sa.select(api_clients.c.secret_hash).where(
                api_clients.c.client_id == credentials["client_id"]
            )
        ).scalar_one()
    assert tuple(org) == ("Exam Board", "awarding_organisation")
    assert credentials["client_secret"] not in secret_hash  # only an argon2 hash is kept
    assert secret_hash.startswith("$argon2")


def test_bad_ukprn_exits_non_zero_with_the_code(database_url: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["create-client", "--ukprn", "123", "--role", "lrb"], env=_env(database_url, tmp_path)
    )
    assert result.exit_code == 2
    assert "UKPRN_INVALID" in result.output


def test_demo_seeds_once_and_can_run_again(
    database_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    env = _env(database_url, tmp_path)
    for _ in range(2):
        result = runner.invoke(app, ["demo", "--learners", "40"], env=env)
        assert result.exit_code == 0, result.output
    assert "client_secret=" in result.output
    with engine.connect() as conn:
        # the 40 asked for, the demo learner with an account (Ada Brightwater) and one of the 40
        # registered again (the demo's held registration: src/openlrs/demo_casework.py)
        assert conn.execute(sa.select(sa.func.count()).select_from(learners)).scalar_one() == 42
        organisations_seeded = conn.execute(sa.select(sa.func.count()).select_from(organisations))
        assert organisations_seeded.scalar_one() == 4 + 3  # and the three approved providers


def test_match_keys_and_name_frequencies_can_be_rebuilt(
    database_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    env = _env(database_url, tmp_path)
    assert runner.invoke(app, ["demo", "--learners", "30"], env=env).exit_code == 0
    with engine.begin() as conn:
        ordered = sa.select(learners.c.uln, learners.c.match_data).order_by(learners.c.uln)
        before = conn.execute(ordered).all()
        conn.execute(sa.update(learners).values(match_data=None))
        conn.execute(sa.delete(name_frequencies))

    rebuilt = runner.invoke(app, ["rebuild-match-keys"], env=env)
    counted = runner.invoke(app, ["refresh-name-frequencies"], env=env)

    # the 30 asked for, the demo learner with an account and one registered again
    assert rebuilt.exit_code == 0 and "32 learners" in rebuilt.output, rebuilt.output
    assert counted.exit_code == 0 and "32 learners" in counted.output, counted.output
    with engine.connect() as conn:
        assert conn.execute(ordered).all() == before
        total = sa.select(name_frequencies.c.count).where(name_frequencies.c.field == "*")
        assert conn.execute(total).scalar_one() == 32


def test_a_worker_processes_queued_batches_until_idle(
    database_url: str, tmp_path: Path, uow_factory: Any
) -> None:
    from openlrs.domain.accounts.organisations import Principal, Role
    from openlrs.services.batches import jobs as batch_jobs
    from openlrs.services.batches.jobs import SubmitBatch

    env = _env(database_url, tmp_path)
    content = (
        b"given_name,family_name,date_of_birth,gender,postcode\nAmy,Patel,2009-05-17,2,LS6 2AB\n"
    )
    submitter = Principal("user:a@example.org", "10004321", frozenset({Role.LRB}))
    job = batch_jobs.submit_batch(
        SubmitBatch("registration", "csv", "a.csv", content), principal=submitter, uow=uow_factory()
    ).job

    result = runner.invoke(app, ["worker", "--until-idle"], env=env)

    assert result.exit_code == 0, result.output
    done = batch_jobs.get_batch(job.id, principal=submitter, uow=uow_factory())
    assert (done.status, done.processed_rows) == ("completed", 1)


def test_an_operator_reactivates_a_suspended_organisation_and_it_is_audited(
    database_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    """The way back for a service desk suspended by hand, without SQL."""
    env = _env(database_url, tmp_path)
    made = runner.invoke(app, ["create-client", "--ukprn", "10000001", "--role", "admin"], env=env)
    assert made.exit_code == 0, made.output
    with engine.begin() as conn:
        conn.execute(sa.update(organisations).values(status="suspended"))

    result = runner.invoke(app, ["reactivate-organisation", "10000001"], env=env)
    unknown = runner.invoke(app, ["reactivate-organisation", "10000002"], env=env)

    assert result.exit_code == 0, result.output
    assert "10000001 is active" in result.output
    assert unknown.exit_code == 2 and "ORGANISATION_NOT_FOUND" in unknown.output
    with engine.connect() as conn:
        assert conn.execute(sa.select(organisations.c.status)).scalar_one() == "active"
        actor, detail = conn.execute(
            sa.select(audit_events.c.actor, audit_events.c.detail).where(
                audit_events.c.action == "organisation.update"
            )
        ).one()
    assert (actor, detail) == ("operator", "10000001 active")
    assert "reactivate-organisation" in runner.invoke(app, ["--help"]).output


def test_create_client_refuses_a_role_the_organisation_cannot_hold(
    database_url: str, tmp_path: Path
) -> None:
    env = _env(database_url, tmp_path)
    made = runner.invoke(app, ["create-client", "--ukprn", "10004321", "--role", "lrb"], env=env)
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["create-client", "--ukprn", "10004321", "--role", "ao"], env=env)

    assert result.exit_code == 2
    assert "ROLE_NOT_ALLOWED" in result.output
