"""Shared fixtures: a fresh, migrated database per test on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy.engine import make_url

from openlrs.services.accounts import authenticate, credentials, manage, portal_sign_in, web_service
from openlrs.store.engine import build_engine
from openlrs.store.migrate import upgrade
from openlrs.store.uow import SqlUnitOfWorkFactory

PG_ADMIN_URL = os.environ.get(
    "OPENLRS_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


CHEAP_HASHER = PasswordHasher.from_parameters(CHEAPEST)


@pytest.fixture(scope="session", autouse=True)
def cheap_argon2() -> Iterator[None]:
    """Secrets hashed with argon2's cheapest parameters (its profile "only for testing").

    The real parameters cost ~0.1 s of CPU a hash and as much a check, and seeding the demo
    accounts alone makes eight hashes: most of the suite's time went there. The hashes are still
    argon2id and are checked by the real `verify_secret` (which reads the parameters from the
    hash); tests/unit/services/accounts/test_credentials.py checks the real parameters."""
    dummy = CHEAP_HASHER.hash("not a secret of any account")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manage, "hash_secret", CHEAP_HASHER.hash)
        patch.setattr(web_service, "hash_secret", CHEAP_HASHER.hash)
        patch.setattr(credentials, "DUMMY_HASH", dummy)
        patch.setattr(authenticate, "DUMMY_HASH", dummy)
        patch.setattr(portal_sign_in, "DUMMY_HASH", dummy)
        yield


def _pg_admin_engine() -> sa.Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1)


def postgres_available() -> bool:
    try:
        with _pg_admin_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.OperationalError:
        return False


def require_postgres() -> None:
    """Skip when PostgreSQL is not running on a laptop; under CI=true, fail instead."""
    if postgres_available():
        return
    if IN_CI:
        pytest.fail(
            "PostgreSQL is not reachable at 127.0.0.1:5432 and CI=true: failing, not skipping"
        )
    pytest.skip("PostgreSQL is not reachable (set CI=true to make this a failure)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = build_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    require_postgres()
    name = f"openlrs_tpl_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name)
    engine = build_engine(url.render_as_string(hide_password=False))
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextlib.contextmanager
def fresh_database(engine_name: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """The URL of a new migrated database on `engine_name`, dropped afterwards."""
    if engine_name == "sqlite":
        path = folder / "openlrs.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"openlrs_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database for one test, on each engine in turn."""
    with fresh_database(request.param, request, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One migrated database, on each engine in turn, shared by the tests of a module that ask
    for it: only for tests that cannot change what another of them sees (requests that are
    refused, reads), where a database each would cost more than the test."""
    with fresh_database(request.param, request, tmp_path_factory.mktemp("module")) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    eng = build_engine(database_url, pool_size=5)
    yield eng
    eng.dispose()


@pytest.fixture
def uow_factory(engine: sa.Engine) -> Iterator[SqlUnitOfWorkFactory]:
    factory = SqlUnitOfWorkFactory(engine)
    yield factory
    factory.close()
