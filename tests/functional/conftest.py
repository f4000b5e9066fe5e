"""The real API app on a fresh database (SQLite and PostgreSQL), and callers of every role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openlrs.api.app import create_api
from openlrs.config import Settings
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.functional.callers import SECRET_KEY, Register
from tests.functional.generated_client import GeneratedClient, generate_client, served_document
from tests.functional.portal_support import portal_app


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, secret_key=SECRET_KEY, var_dir=tmp_path / "var")


@pytest.fixture
def app(settings: Settings, uow_factory: SqlUnitOfWorkFactory) -> FastAPI:
    """The real app, wired as the composition root wires it, over the test's database."""
    return create_api(settings, uow_factory)


@pytest.fixture
def api(app: FastAPI) -> Iterator[TestClient]:
    """A client for the app; a server error comes back as a 500 response, not an exception."""
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def register(api: TestClient, uow_factory: SqlUnitOfWorkFactory) -> Register:
    """Organisations, API clients and tokens for the roles a test needs."""
    return Register(api, uow_factory)


@pytest.fixture
def browser(
    database_url: str, tmp_path: Path, uow_factory: SqlUnitOfWorkFactory
) -> Iterator[TestClient]:
    """The portal (with the demo organisations and users, no learners) as a browser sees it;
    files that need more of a world define their own."""
    settings = Settings(database_url=database_url, secret_key=SECRET_KEY, var_dir=tmp_path / "v")
    with TestClient(portal_app(settings, uow_factory), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def openapi_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """/api/v1/openapi.json as served (the same on every database)."""
    return served_document(tmp_path_factory.mktemp("openapi"))


@pytest.fixture(scope="session")
def generated_client(
    openapi_document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> GeneratedClient:
    """A client generated from the served document with openapi-python-client, importable."""
    return generate_client(openapi_document, tmp_path_factory.mktemp("generated"))
