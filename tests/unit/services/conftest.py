"""Service tests run against the in-memory fakes: a fresh register per test.

The principals, the fixed today and the learners come from tests/builders."""

from __future__ import annotations

import pytest

from tests.unit.fakes import FakeDatabase, FakeUnitOfWork


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def uow(database: FakeDatabase) -> FakeUnitOfWork:
    return FakeUnitOfWork(database)
