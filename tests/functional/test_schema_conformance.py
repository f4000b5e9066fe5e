"""Schemathesis over every operation of the OpenAPI document, as a registration body's client and
as the service desk, on a fresh database of each engine: no server error, and every answer's status,
content type, headers and body as the document says. Bounded and reproducible: a fixed number of
examples per operation, derandomized, no example database, no rate limit (so no timing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis import GenerationMode

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Role
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import register_body
from tests.functional.callers import SECRET_KEY, Register
from tests.functional.schema_fuzz import fuzz_operation, operations

EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
"""Per operation and caller: about a minute a run on a quiet machine."""


@pytest.fixture
def quiet_app(database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory) -> FastAPI:
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        var_dir=tmp_path / "var",
        rate_limit_per_client=0,
        rate_limit_per_ip=0,
        access_log=False,
    )
    return create_api(settings, uow_factory)


@pytest.mark.parametrize("role", [Role.LRB, Role.ADMIN], ids=["lrb client", "service desk"])
def test_every_operation_answers_as_the_document_says(
    role: Role, quiet_app: FastAPI, uow_factory: SqlUnitOfWorkFactory
) -> None:
    with TestClient(quiet_app) as api:
        register = Register(api, uow_factory)
        headers = register.headers(role)
        registrar = register.headers(Role.LRB)
        body = register_body(7) | {"confirm_different_person": True}
        learner = api.post("/api/v1/learners", json=body, headers=registrar)
        assert learner.status_code == 201, learner.text
        known = {"uln": learner.json()["uln"], "ukprn": register.caller(role).ukprn}
        failures: list[str] = []
        for operation in operations(quiet_app):
            for mode, examples in EXAMPLES.items():
                failures += fuzz_operation(
                    operation, headers, max_examples=examples, mode=mode, known=known
                )
    assert failures == [], "\n\n".join(failures)
