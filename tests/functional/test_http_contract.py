"""What every operation promises at the HTTP layer, checked over the whole OpenAPI document rather
than route by route: numbers bounded to what a 64-bit column holds, JSON objects that name each
member once (on the hot routes and FastAPI's alike), the caller's role checked before its body,
and a document that lists every failure as problem+json and every file as the file it is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openlrs.api.app import create_api
from openlrs.api.deps import current_caller
from openlrs.api.openapi_document import GENERIC_BINARY, is_text
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Role
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import register_body
from tests.functional.callers import Register
from tests.functional.expectations import PROBLEM_JSON

BINARY = {"type": "string", "format": "binary"}
SAMPLE_PATH_VALUES = {"uln": "9000000019", "ukprn": "10004321", "account_id": "1"}
INT64_MAX = 2**63 - 1


def _url(path: str) -> str:
    return re.sub(r"{(\w+)(:path)?}", lambda m: SAMPLE_PATH_VALUES.get(m[1], "1"), path)


@pytest.fixture(scope="module")
def document(sqlite_template: Path) -> dict[str, Any]:
    """The OpenAPI document (no request is made: the template database is only named)."""
    url = f"sqlite:///{sqlite_template}"
    factory = SqlUnitOfWorkFactory(build_engine(url), cache_accounts=False)
    document: dict[str, Any] = create_api(Settings(database_url=url), factory).openapi()
    factory.close()
    return document


def _operations(source: FastAPI | dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    document = source.openapi() if isinstance(source, FastAPI) else source
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def _assert_field_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, (response.request.url, response.text)
    assert response.headers["content-type"] == PROBLEM_JSON
    assert code in {e["code"] for e in response.json().get("errors", [])}, response.text


# --- item 5: bounds on every number in a query or a path --------------------------------------


def _integer_parameters(
    source: FastAPI | dict[str, Any],
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for method, path, operation in _operations(source):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            choices = [schema, *schema.get("anyOf", [])]
            integer = next((s for s in choices if s.get("type") == "integer"), None)
            if integer is not None:
                yield method, path, parameter | {"schema": integer}


def test_every_integer_parameter_has_bounds_a_64_bit_column_holds(document: dict[str, Any]) -> None:
    parameters = list(_integer_parameters(document))
    assert len(parameters) >= 15  # the walk found them (Diploma accounts are references now)
    for method, path, parameter in parameters:
        schema = parameter["schema"]
        where = f"{method} {path} {parameter['name']}"
        assert schema.get("minimum", -1) >= 0 and schema.get("maximum", 2**64) <= INT64_MAX, where


def test_numbers_out_of_bounds_are_422_problems_not_500s(
    app: FastAPI, api: TestClient, register: Register
) -> None:
    """GET /changes?since=9223372036854775808 was a 500 (the database's integer overflowed)."""
    headers = register.headers(Role.ADMIN)
    for method, path, parameter in _integer_parameters(app):
        schema = parameter["schema"]
        for value in (2**63, schema["maximum"] + 1, schema["minimum"] - 1):
            url = _url(path)
            if parameter["in"] == "path":
                url = _url(path.replace("{" + parameter["name"] + "}", str(value)))
                params = {}
            else:
                params = {parameter["name"]: str(value)}
            response = api.request(method.upper(), url, params=params, headers=headers, json={})
            assert response.status_code == 422, (method, url, params, response.text)
            assert response.headers["content-type"] == PROBLEM_JSON
            codes = {error["code"] for error in response.json()["errors"]}
            assert "FIELD_OUT_OF_RANGE" in codes or "FIELD_WRONG_TYPE" in codes, response.text
            if value != 2**63:  # a whole number, just outside the bounds: said as such
                assert "FIELD_OUT_OF_RANGE" in codes, response.text


# --- item 10: duplicate JSON members --------------------------------------------------------------


def _json_operations(app: FastAPI) -> Iterator[tuple[str, str]]:
    for method, path, operation in _operations(app):
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            yield method.upper(), _url(path)


def test_a_member_named_twice_is_refused_on_every_json_route(
    app: FastAPI, api: TestClient, register: Register
) -> None:
    headers = register.headers(Role.ADMIN) | {"Content-Type": "application/json"}
    operations = list(_json_operations(app))
    assert len(operations) > 30
    for method, url in operations:
        response = api.request(
            method, url, content=b'{"reason": "a", "reason": "b"}', headers=headers
        )
        _assert_field_problem(response, 422, "FIELD_DUPLICATE")
        assert response.json()["errors"][0]["field"] == "reason"


def _registration_with_a_repeated_member(seed: int) -> bytes:
    """A valid registration whose family name is sent twice (the second would have won)."""
    body = register_body(seed) | {"confirm_different_person": True}
    text = ", ".join(f'"{k}": {json.dumps(v)}' for k, v in body.items())
    return ("{" + text + ', "family_name": "Someone-Else"}').encode()


@pytest.mark.parametrize("through", ["hot route", "FastAPI route"])
def test_the_hot_routes_refuse_a_repeated_member_as_fastapi_does(
    through: str, app: FastAPI, api: TestClient, register: Register
) -> None:
    if through == "FastAPI route":
        app.dependency_overrides[current_caller] = current_caller  # the hot routes stand aside
    headers = register.headers(Role.LRB) | {"Content-Type": "application/json"}
    for url in ("/api/v1/learners", "/api/v1/learners/search"):
        response = api.post(url, content=_registration_with_a_repeated_member(3), headers=headers)
        _assert_field_problem(response, 422, "FIELD_DUPLICATE")
        assert response.json()["errors"] == [
            {
                "field": "family_name",
                "code": "FIELD_DUPLICATE",
                "message": "This field appears more than once",
            }
        ]
    nested = b'{"learner": {"given_name": "A", "given_name": "B"}}'
    response = api.post("/api/v1/learners", content=nested, headers=headers)
    _assert_field_problem(response, 422, "FIELD_DUPLICATE")


# --- item 10: authorisation before validation -----------------------------------------------------

ADMIN_ONLY_WRITES = [
    ("POST", "/api/v1/organisations"),
    ("PATCH", "/api/v1/organisations/10000001"),
    ("POST", "/api/v1/qualifications"),
    ("POST", "/api/v1/units"),
    ("POST", "/api/v1/learners/9000000019/merge"),
    ("POST", "/api/v1/learners/9000000019/split"),
    ("POST", "/api/v1/uln-challenges/1/resolution"),
    ("POST", "/api/v1/providers/applications/PA0000000001/decision"),
    ("PUT", "/api/v1/learners/9000000019/sharing"),
    ("POST", "/api/v1/learners/9000000019/achievements"),
    ("POST", "/api/v1/diploma/results"),
]


def test_a_caller_without_the_role_gets_403_before_its_body_is_validated(
    api: TestClient, register: Register
) -> None:
    """An lrb client used to learn from a 422 what an admin route expects."""
    headers = register.headers(Role.LRB)
    for method, url in ADMIN_ONLY_WRITES:
        response = api.request(method, url, json={"not": "what it expects"}, headers=headers)
        assert response.status_code == 403, (method, url, response.text)
        assert response.json()["code"] == "NOT_AUTHORISED"
        assert "errors" not in response.json()


def test_an_organisation_admin_gets_403_on_desk_routes_but_validation_on_its_own(
    api: TestClient, register: Register
) -> None:
    headers = register.headers(Role.LRB_ADMIN)
    refused = api.post("/api/v1/organisations", json={"bad": 1}, headers=headers)
    assert refused.status_code == 403
    own = register.caller(Role.LRB_ADMIN).ukprn
    allowed = api.post(f"/api/v1/organisations/{own}/clients", json={"bad": 1}, headers=headers)
    assert allowed.status_code == 422  # it may use the route: it is told what is wrong


def test_no_token_gets_401_before_its_body_is_validated(api: TestClient) -> None:
    for method, url in ADMIN_ONLY_WRITES:
        response = api.request(method, url, json={"not": "what it expects"})
        assert response.status_code == 401, (method, url, response.text)


# --- the OpenAPI document -------------------------------------------------------------------------


def test_every_failure_is_documented_as_problem_json(document: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in document["components"]["schemas"]
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for method, path, operation in _operations(document):
        where = f"{method} {path}"
        statuses = {int(s) for s in operation["responses"]}
        if path not in ("/healthz",):
            assert 503 in statuses, where
        if operation.get("security"):
            assert {401, 403} <= statuses, where
        if operation.get("parameters") or "requestBody" in operation:
            assert 422 in statuses, where
        if "requestBody" in operation:
            assert {400, 413} <= statuses, where
        for status, response in operation["responses"].items():
            if int(status) >= 400 and path != "/readyz":
                assert response["content"] == {PROBLEM_JSON: {"schema": problem_ref}}, where
            if int(status) in (429, 503) and path != "/readyz":
                assert "Retry-After" in response["headers"], where


@pytest.mark.parametrize(
    ("path", "media_types"),
    [
        ("/api/v1/learners/{uln}/learning-events/report", {"application/pdf", "text/csv"}),
        ("/api/v1/diploma/accounts/{account_id}/certificate", {"application/pdf"}),
        ("/api/v1/diploma/accounts/{account_id}/transcript", {"application/pdf"}),
        ("/api/v1/batches/{job_id}/output", {"text/csv", "application/xml"}),
        ("/api/v1/batches/{job_id}/errors", {"text/csv", "application/xml"}),
    ],
)
def test_files_are_documented_as_the_files_they_are(
    document: dict[str, Any], path: str, media_types: set[str]
) -> None:
    content = document["paths"][path]["get"]["responses"]["200"]["content"]
    binaries = {m for m in media_types if not is_text(m)}
    assert set(content) == media_types | ({GENERIC_BINARY} if binaries else set())
    for media_type, media in content.items():
        text = media_type in media_types - binaries
        assert media["schema"] == ({"type": "string"} if text else BINARY), media_type
    if binaries:  # a generator reading only octet-stream meets it before any text type
        assert list(content).index(GENERIC_BINARY) == len(binaries)


@pytest.mark.parametrize("through", ["hot route", "FastAPI route"])
def test_an_awarding_body_gets_403_from_the_register_before_its_body_is_validated(
    through: str, app: FastAPI, api: TestClient, register: Register
) -> None:
    if through == "FastAPI route":
        app.dependency_overrides[current_caller] = current_caller  # the hot routes stand aside
    headers = register.headers(Role.AO)
    for url in ("/api/v1/learners", "/api/v1/learners/search"):
        response = api.post(url, json={"given_name": 7}, headers=headers)
        assert response.status_code == 403, (url, response.text)
        assert response.json()["code"] == "NOT_AUTHORISED"
    patch = api.patch("/api/v1/learners/9000000019", json={"gender": "x"}, headers=headers)
    assert patch.status_code == 403, patch.text


def test_a_nul_byte_in_an_id_or_query_is_a_422_not_a_database_error(
    api: TestClient, register: Register
) -> None:
    """PostgreSQL cannot hold a NUL in text: `GET /batches?before=...%00` was a 500 there."""
    headers = register.headers(Role.ADMIN)
    for url in (
        "/api/v1/batches?before=v%00",
        "/api/v1/batches/v%00",
        "/api/v1/challenges/v%00",
        "/api/v1/qualifications?after=v%00",
        "/api/v1/units?after=v%00",
    ):
        response = api.get(url, headers=headers)
        assert response.status_code == 422, (url, response.text)
        assert response.headers["content-type"] == PROBLEM_JSON
    settings = api.put(
        "/api/v1/organisations/1000%0000/batch-settings",
        json={"approval_required": True},
        headers=headers,
    )
    assert settings.status_code == 422, settings.text


def test_a_nul_character_in_json_text_is_a_422_on_every_json_route(
    app: FastAPI, api: TestClient, register: Register
) -> None:
    """`POST /diploma/results` with a NUL in a grade was a 500 on PostgreSQL."""
    headers = register.headers(Role.ADMIN) | {"Content-Type": "application/json"}
    for method, url in _json_operations(app):
        body = b'{"items": [{"reference": "a\\u0000b"}]}'
        response = api.request(method, url, content=body, headers=headers)
        _assert_field_problem(response, 422, "TEXT_INVALID_CHARACTERS")
        assert response.json()["errors"][0]["field"] == "reference"
    text = b'{"reason": "no NUL here: \\\\u0000 is a backslash and five characters"}'
    response = api.post("/api/v1/uln-challenges", content=text, headers=headers)
    assert "TEXT_INVALID_CHARACTERS" not in response.text
