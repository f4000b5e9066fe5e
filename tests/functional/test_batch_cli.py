"""`openlrs batch submit|status|output` against a real server: uvicorn on a loopback port with
its embedded batch worker, as an MIS on another machine would use it."""

from __future__ import annotations

import csv
import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner

from openlrs.api.app import create_api
from openlrs.batch.worker import BatchWorker
from openlrs.cli import app as cli
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import SYSTEM, OrgType, Role
from openlrs.services.accounts import manage as accounts
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.callers import SECRET_KEY

runner = CliRunner()


@pytest.fixture
def server(database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory) -> Iterator[str]:
    settings = Settings(
        database_url=database_url, secret_key=SECRET_KEY, var_dir=tmp_path, access_log=False
    )
    app = create_api(settings, uow_factory)
    app.state.background.append(BatchWorker(uow_factory))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        thread.join(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(30)


def test_a_file_is_submitted_followed_and_its_output_fetched(
    server: str, uow_factory: SqlUnitOfWorkFactory, tmp_path: Path
) -> None:
    accounts.ensure_organisation(
        "10004321", "College", OrgType.COLLEGE, principal=SYSTEM, uow=uow_factory()
    )
    client = accounts.create_client(
        "10004321", frozenset({Role.LRB}), principal=SYSTEM, uow=uow_factory()
    )
    env = {
        "OPENLRS_API_URL": server,
        "OPENLRS_CLIENT_ID": client.client_id,
        "OPENLRS_CLIENT_SECRET": client.client_secret,
    }
    upload = tmp_path / "learners.csv"
    upload.write_text(
        "source_learner_id,given_name,family_name,date_of_birth,gender,postcode\n"
        "A1,Amy,Patel,2009-05-17,2,LS6 2AB\n"
        "A2,,Okafor,2008-01-30,1,M14 5RQ\n"
    )

    submitted = runner.invoke(cli, ["batch", "submit", str(upload)], env=env)
    job_id = submitted.stdout.strip().splitlines()[-1]
    status = runner.invoke(cli, ["batch", "status", job_id], env=env)
    output = runner.invoke(cli, ["batch", "output", job_id], env=env)
    errors = runner.invoke(cli, ["batch", "output", job_id, "--errors"], env=env)
    wrong = runner.invoke(
        cli, ["batch", "status", job_id], env=env | {"OPENLRS_CLIENT_SECRET": "x"}
    )

    assert submitted.exit_code == 0, submitted.output
    assert "completed" in status.output and "2 of 2 rows" in status.output
    rows = list(csv.DictReader(io.StringIO(output.stdout.lstrip("\ufeff"))))
    assert [r["outcome"] for r in rows] == ["registered", "VALIDATION_FAILED"]
    assert [
        r["source_learner_id"] for r in csv.DictReader(io.StringIO(errors.stdout.lstrip("\ufeff")))
    ] == ["A2"]
    assert wrong.exit_code == 1 and "AUTHENTICATION_FAILED" in wrong.output
