"""Logs: JSON lines carrying the request id, and no learner personal data at any level."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Role
from openlrs.observability.logs import (
    bound_request_id,
    configure_logging,
    get_logger,
    json_formatter,
    log_access,
)
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_register_bodies, register_body, registration_csv, search_body
from tests.functional.callers import Register
from tests.functional.test_batches_api import drain

GIVEN, FAMILY, POSTCODE = "Zephyrine", "Quillfeatherstone", "KW17 2QX"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Everything logged anywhere in the process, rendered as the service renders it."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield buffer
    root.removeHandler(handler)


@pytest.fixture
def debug_api(settings: Settings, uow_factory: SqlUnitOfWorkFactory) -> Iterator[TestClient]:
    app = create_api(settings.model_copy(update={"log_level": "DEBUG"}), uow_factory)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_registering_and_finding_a_learner_leaves_no_personal_data_in_the_logs(
    debug_api: TestClient, uow_factory: SqlUnitOfWorkFactory, captured: io.StringIO
) -> None:
    headers = Register(debug_api, uow_factory).headers(Role.LRB)
    body = register_body(seed=77) | {
        "given_name": GIVEN,
        "family_name": FAMILY,
        "postcode": POSTCODE,
    }
    created = debug_api.post("/api/v1/learners", json=body, headers=headers)
    assert created.status_code == 201, created.text
    uln, version = created.json()["uln"], created.json()["version"]
    assert debug_api.get(f"/api/v1/learners/{uln}", headers=headers).status_code == 200
    found = debug_api.post("/api/v1/learners/search", json=search_body(body), headers=headers)
    assert found.status_code == 200
    again = debug_api.post("/api/v1/learners", json=body, headers=headers)
    assert again.status_code == 409
    renamed = debug_api.patch(
        f"/api/v1/learners/{uln}",
        json={"family_name": FAMILY + "e"},
        headers=headers | {"If-Match": f'"{version}"'},
    )
    assert renamed.status_code == 200, renamed.text
    bad = debug_api.post(
        "/api/v1/learners", json=body | {"date_of_birth": "not-a-date"}, headers=headers
    )
    assert bad.status_code == 422

    logged = captured.getvalue()
    routes = {json.loads(line).get("route") for line in logged.splitlines()}
    assert "/api/v1/learners/{uln}" in routes, "the requests were not logged"
    for value in (GIVEN, FAMILY, POSTCODE, POSTCODE.replace(" ", ""), body["date_of_birth"]):
        assert value.lower() not in logged.lower(), f"{value} reached the logs"


def test_everything_logged_in_a_request_carries_its_request_id(
    debug_api: TestClient, captured: io.StringIO
) -> None:
    request_id = "trace-0123456789abcdef"
    response = debug_api.get("/api/v1/learners/1234567890", headers={"X-Request-ID": request_id})
    assert response.headers["X-Request-ID"] == request_id
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    access = [line for line in lines if line.get("logger") == "openlrs.access"]
    assert access and all(line["request_id"] == request_id for line in access)
    assert access[0]["status"] == 401 and access[0]["route"] == "/api/v1/learners/{uln}"


def test_a_worker_can_bind_the_request_id_of_the_request_that_submitted_a_job(
    captured: io.StringIO,
) -> None:
    configure_logging("INFO")
    with bound_request_id("job-from-req-0001"):
        get_logger("openlrs.batch").info("chunk done", rows=500)
        logging.getLogger("openlrs.batch").info("plain logging too")
    get_logger("openlrs.batch").info("after the job")
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    assert [line.get("request_id") for line in lines] == [
        "job-from-req-0001",
        "job-from-req-0001",
        None,
    ]


def test_a_batch_job_is_logged_under_the_id_of_the_request_that_submitted_it(
    debug_api: TestClient, uow_factory: SqlUnitOfWorkFactory, captured: io.StringIO
) -> None:
    lrb = Register(debug_api, uow_factory).caller(Role.LRB)
    request_id = "batch-upload-000000000001"
    sent = debug_api.post(
        "/api/v1/batches",
        data={"kind": "registration"},
        files={"file": ("f.csv", registration_csv(many_register_bodies(2, seed=83)))},
        headers=lrb.headers | {"X-Request-ID": request_id},
    )
    assert sent.status_code == 202, sent.text
    drain(uow_factory)
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    worker = [line for line in lines if line.get("logger") == "openlrs.worker"]
    assert len(worker) >= 2, "the worker logged reading and completing the job"
    assert all(line.get("request_id") == request_id for line in worker)


def test_the_fast_access_line_is_the_line_structlog_would_write() -> None:
    stream = io.StringIO()
    configure_logging("INFO", stream)
    root = logging.getLogger()
    others = root.handlers[:-1]  # pytest's capture: the fast path serves only our handler alone
    for handler in others:
        root.removeHandler(handler)
    try:
        with bound_request_id("access-0123456789"):
            log_access(method="GET", route="/api/v1/learners/{uln}", status=200, duration_ms=1.5)
            get_logger("openlrs.access").info(
                "request", method="GET", route="/api/v1/learners/{uln}", status=200, duration_ms=1.5
            )
    finally:
        for handler in others:
            if handler not in root.handlers:
                root.addHandler(handler)
    fast, slow = (json.loads(line) for line in stream.getvalue().splitlines())
    assert fast.keys() == slow.keys()
    assert {k: v for k, v in fast.items() if k != "timestamp"} == {
        k: v for k, v in slow.items() if k != "timestamp"
    }
    assert fast["timestamp"].endswith("Z") and len(fast["timestamp"]) == len(slow["timestamp"])
