"""Identical "possible match" registrations from one organisation wait as ONE exceptions-queue
entry, answered with the same reference, sequential or concurrent (issue 21, item 8)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import RegistrationRefused
from openlrs.domain.learners.held_registration import Decision
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.learners.exceptions_queue import ResolveHeld, resolve_held
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.store.engine import build_engine
from openlrs.store.tables import held_registrations
from openlrs.store.uow import SqlUnitOfWorkFactory

REGISTRAR = Principal(actor="client:test", ukprn="10004321", roles=frozenset({Role.LRB}))
OTHER = Principal(actor="client:other", ukprn="10005555", roles=frozenset({Role.LRB}))
REGISTERED = LearnerDetails(
    given_name="Olivia",
    family_name="Okafor",
    date_of_birth=dt.date(2009, 5, 17),
    gender=2,
    postcode="LS6 2AB",
)
SIBLING = dataclasses.replace(REGISTERED, given_name="Amara")  # a possible match for Olivia


def _held_id(uow: SqlUnitOfWorkFactory, details: LearnerDetails, by: Principal = REGISTRAR) -> int:
    try:
        register_learner(RegisterLearner(details), principal=by, uow=uow())
    except RegistrationRefused as refused:
        assert refused.outcome == "possible" and refused.held_id is not None
        return refused.held_id
    raise AssertionError("registered: expected a possible match")


def _open_entries(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(held_registrations.c.ukprn).where(held_registrations.c.status == "open")
        )
        return sorted(rows.scalars())


def test_five_identical_possible_matches_make_one_entry(database_url: str) -> None:
    engine = build_engine(database_url, pool_size=2)
    uow = SqlUnitOfWorkFactory(engine)
    register_learner(RegisterLearner(REGISTERED), principal=REGISTRAR, uow=uow())

    ids = {_held_id(uow, SIBLING) for _ in range(4)}
    # The same person written differently (case, spaces, an accent, the e-mail) is the same entry.
    ids.add(_held_id(uow, dataclasses.replace(SIBLING, given_name="AMÁRA", postcode="ls62ab")))
    assert len(ids) == 1
    # Another organisation's registration of them is its own entry.
    assert _held_id(uow, SIBLING, OTHER) not in ids
    assert _open_entries(engine) == sorted([OTHER.ukprn, REGISTRAR.ukprn])
    engine.dispose()


def test_fifty_concurrent_identical_possible_matches_make_one_entry(database_url: str) -> None:
    engine = build_engine(database_url, pool_size=20)
    uow = SqlUnitOfWorkFactory(engine)
    register_learner(RegisterLearner(REGISTERED), principal=REGISTRAR, uow=uow())
    start = threading.Barrier(20)

    def attempt(n: int) -> int:
        if n < 20:
            start.wait()
        return _held_id(uow, SIBLING)

    with ThreadPoolExecutor(max_workers=20) as pool:
        ids = set(pool.map(attempt, range(50)))
    assert len(ids) == 1
    assert _open_entries(engine) == [REGISTRAR.ukprn]
    engine.dispose()


def test_once_resolved_the_same_registration_is_held_again(database_url: str) -> None:
    engine = build_engine(database_url, pool_size=2)
    uow = SqlUnitOfWorkFactory(engine)
    olivia = register_learner(RegisterLearner(REGISTERED), principal=REGISTRAR, uow=uow())
    first = _held_id(uow, SIBLING)
    resolve_held(
        ResolveHeld(first, Decision.SAME_PERSON, olivia.uln), principal=REGISTRAR, uow=uow()
    )
    assert _held_id(uow, SIBLING) != first
    engine.dispose()
