"""`openlrs audit-duplicates` as an operator runs it, and the service desk reading the queue."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

pytest.importorskip("splink", reason="the audit extra: pip install 'openlrs[audit]'")

from openlrs.cli import app
from openlrs.domain.accounts.organisations import Role
from openlrs.domain.learners.learner import Learner
from openlrs.store.uow import SqlUnitOfWorkFactory
from openlrs.synth.planted import planted_register
from tests.functional.callers import Register

runner = CliRunner()


def test_the_audit_writes_a_csv_and_queues_pairs_for_the_service_desk(
    database_url: str,
    tmp_path: Path,
    uow_factory: SqlUnitOfWorkFactory,
    api: TestClient,
    register: Register,
) -> None:
    planted = planted_register(120, 6, seed=7, today=dt.date(2026, 11, 23))
    with uow_factory() as uow:
        for position, details in enumerate(planted.records):
            learner = Learner(f"{8_000_000_000 + position}", details)
            uow.learners.add(learner, actor="test", ukprn=None)
        uow.commit()
    output = tmp_path / "pairs.csv"
    env = {"OPENLRS_DATABASE_URL": database_url, "OPENLRS_VAR_DIR": str(tmp_path)}

    for _ in range(2):  # the second run refreshes the same pairs
        result = runner.invoke(
            app, ["audit-duplicates", "--output", str(output), "--queue"], env=env
        )
        assert result.exit_code == 0, result.output

    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert len(rows) >= 5
    desk = api.get(
        "/api/v1/suspected-duplicates", params={"limit": 500}, headers=register.headers(Role.ADMIN)
    )
    assert desk.status_code == 200, desk.text
    queued = desk.json()
    assert {(q["uln_a"], q["uln_b"]) for q in queued} == {(r["uln_a"], r["uln_b"]) for r in rows}
    assert all(q["status"] == "open" and q["detail"]["date_of_birth"] for q in queued)
    refused = api.get("/api/v1/suspected-duplicates", headers=register.headers(Role.LRB_ADMIN))
    assert refused.status_code == 403
