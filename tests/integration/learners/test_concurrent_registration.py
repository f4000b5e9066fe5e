"""Registrations racing each other: one ULN per person, and never the same ULN twice."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import RegistrationRefused
from openlrs.domain.identifiers import is_valid_uln
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.store.engine import build_engine
from openlrs.store.tables import learners
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details

TODAY = dt.date(2026, 11, 23)
REGISTRAR = Principal(actor="client:test", ukprn="10004321", roles=frozenset({Role.LRB}))
SAME_PERSON = LearnerDetails(
    given_name="Olivia",
    family_name="Okafor",
    date_of_birth=dt.date(2009, 5, 17),
    gender=2,
    postcode="LS6 2AB",
)


def _register(uow: SqlUnitOfWorkFactory, details: LearnerDetails, confirm: bool) -> str | None:
    try:
        return register_learner(
            RegisterLearner(details, confirm_different_person=confirm),
            principal=REGISTRAR,
            uow=uow(),
        ).uln
    except RegistrationRefused:
        return None


def test_twenty_parallel_attempts_for_one_person_issue_one_uln(database_url: str) -> None:
    engine = build_engine(database_url, pool_size=20)
    uow = SqlUnitOfWorkFactory(engine)
    start = threading.Barrier(20)

    def attempt(_: int) -> str | None:
        start.wait()
        return _register(
            uow, SAME_PERSON, confirm=True
        )  # confirming never overrides an exact match

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(attempt, range(20)))
    issued = [uln for uln in results if uln is not None]
    assert len(issued) == 1
    with engine.connect() as conn:
        stored = conn.execute(
            sa.select(sa.func.count()).where(learners.c.family_name == "Okafor")
        ).scalar_one()
    assert stored == 1
    engine.dispose()


def _register_many(args: tuple[str, int, int]) -> list[str]:
    """Run in a separate process: register `count` different people with a few threads."""
    url, seed, count = args
    engine = build_engine(url, pool_size=4)
    uow = SqlUnitOfWorkFactory(engine)
    people = many_learner_details(count, seed=seed, today=TODAY)
    with ThreadPoolExecutor(max_workers=4) as pool:
        ulns = list(pool.map(lambda d: _register(uow, d, confirm=True), people))
    engine.dispose()
    return [u for u in ulns if u is not None]


def test_thousand_parallel_registrations_get_distinct_valid_ulns(database_url: str) -> None:
    processes, per_process = 4, 250
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes) as pool:
        batches = pool.map(
            _register_many, [(database_url, 1000 + i, per_process) for i in range(processes)]
        )
    ulns = [uln for batch in batches for uln in batch]
    # Seeds differ, so the synthetic people are different; a rare exact repeat would be refused.
    assert len(ulns) == processes * per_process
    assert len(set(ulns)) == len(ulns)
    assert all(is_valid_uln(u) for u in ulns)
    engine = build_engine(database_url)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(learners.c.uln)).scalars().all()
    engine.dispose()
    assert sorted(stored) == sorted(ulns)
