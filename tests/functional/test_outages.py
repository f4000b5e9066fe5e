"""A database outage is answered as one: 503, `Retry-After` and the code SERVICE_UNAVAILABLE on
every API route and the token endpoint, a plain "service unavailable" page on the portal, while
/readyz reports it as before. Run on each engine with a database that cannot be reached (a
PostgreSQL port nobody listens on, a SQLite "file" that is a folder): nothing waits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openlrs.api.deps import issue_token
from openlrs.bootstrap import build_app
from openlrs.config import Settings
from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.store.outages import is_outage
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.callers import SECRET_KEY, TOKEN_URL, token_form
from tests.functional.portal_support import plant_session_cookie

DESK = Principal("client:desk", "10000001", frozenset({Role.ADMIN}))
SAMPLE_PATH_VALUES = {"uln": "9000000019", "ukprn": "10000001"}


@pytest.fixture(params=["sqlite", "postgresql"])
def unreachable_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        folder = tmp_path / "a-folder-not-a-database"
        folder.mkdir()
        return f"sqlite:///{folder}"  # "unable to open database file"
    # Port 9 (discard) has no PostgreSQL: the connection is refused at once.
    return "postgresql+psycopg://postgres@127.0.0.1:9/openlrs?connect_timeout=1"


@pytest.fixture
def down(unreachable_url: str, tmp_path: Path) -> Iterator[tuple[FastAPI, TestClient]]:
    settings = Settings(database_url=unreachable_url, secret_key=SECRET_KEY, var_dir=tmp_path)
    app = build_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client
    app.state.uow_factory.close()


def _assert_outage(response: Any) -> None:
    assert response.status_code == 503, (response.request.url, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"


def _operations(app: FastAPI) -> Iterator[tuple[str, str]]:
    for path, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            if operation.get("security"):
                url = re.sub(r"{(\w+)}", lambda m: SAMPLE_PATH_VALUES.get(m[1], "1"), path)
                yield method.upper(), url


def test_every_api_route_answers_an_outage_with_503_and_retry_after(
    down: tuple[FastAPI, TestClient],
) -> None:
    app, api = down
    headers = {"Authorization": f"Bearer {issue_token(DESK, app.state.settings)}"}
    operations = list(_operations(app))
    assert len(operations) > 60
    for method, url in operations:
        _assert_outage(api.request(method, url, headers=headers, json={}))


def test_the_token_endpoint_answers_an_outage_with_503(down: tuple[FastAPI, TestClient]) -> None:
    _, api = down
    _assert_outage(api.post(TOKEN_URL, data=token_form("some-client", "some-secret")))


def test_readyz_still_reports_the_database_and_healthz_stays_up(
    down: tuple[FastAPI, TestClient],
) -> None:
    _, api = down
    assert api.get("/healthz").status_code == 200
    ready = api.get("/readyz")
    assert (ready.status_code, ready.json()) == (503, {"status": "unavailable"})


def test_the_portal_shows_a_service_unavailable_page(down: tuple[FastAPI, TestClient]) -> None:
    _, browser = down
    plant_session_cookie(browser, "a-session-the-database-would-look-up")
    page = browser.get("/portal/", follow_redirects=False)
    assert page.status_code == 503
    assert int(page.headers["Retry-After"]) > 0
    assert page.headers["content-type"].startswith("text/html")
    assert "Sorry, the service is unavailable" in page.text
    assert "SERVICE_UNAVAILABLE" not in page.text


def test_a_bug_is_still_a_500_not_an_outage(
    database_url: str, uow_factory: SqlUnitOfWorkFactory
) -> None:
    """Only failures to reach the database are outages: a statement the database refuses, or
    an error of our own inside a unit of work, goes through unchanged (and the API answers 500)."""
    refused = sa.exc.IntegrityError("INSERT ...", {}, Exception("duplicate key"))
    assert not is_outage(refused)
    assert not is_outage(sa.exc.ProgrammingError("SELECT ...", {}, Exception("syntax")))
    assert is_outage(sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused")))
    with pytest.raises(KeyError), uow_factory() as uow:
        uow.learners.get("9000000019")
        raise KeyError("a bug")
