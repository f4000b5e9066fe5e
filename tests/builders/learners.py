"""Realistic learners from the synthetic population, with deterministic seeds: their details,
their request bodies, and learners put into a register (in-memory or SQL) ready for a test."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from openlrs.domain.accounts.organisations import SYSTEM
from openlrs.domain.errors import UlnInvalid
from openlrs.domain.identifiers import make_uln
from openlrs.domain.learners.learner import AbilityToShare, Learner, LearnerDetails, LearnerStatus
from openlrs.services.learners.register import RegisterLearner, issue_uln, register_learner
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWork, UnitOfWorkFactory
from openlrs.synth import generate_learners
from tests.builders.principals import PROVIDER

# Learners are generated as of a fixed date in the past, so they never change and only grow
# older (still far from the 100-year limit) as the real date moves on.
TODAY = dt.date(2025, 9, 1)
"""The date learners are generated as of, and `POLICY`'s today."""
POLICY = RegisterPolicy(today=lambda: TODAY)

MANDATORY = ("given_name", "family_name", "date_of_birth", "gender", "postcode")


def many_learner_details(
    count: int, *, seed: int = 1, today: dt.date = TODAY
) -> list[LearnerDetails]:
    """`count` realistic, valid learners aged 14-25 at `today`; the same seed gives the same ones.
    Each shares their learning record (the few the generator makes decline it are made to share:
    `ability_to_share` is the PLR's sharing choice, and a test that wants an opt-out says so)."""
    return [
        d
        if d.ability_to_share != AbilityToShare.DECLINED
        else dataclasses.replace(d, ability_to_share=int(AbilityToShare.MAY_SHARE))
        for d in generate_learners(count, seed=seed, today=today)
    ]


def learner_details(seed: int = 1, *, today: dt.date = TODAY) -> LearnerDetails:
    return many_learner_details(1, seed=seed, today=today)[0]


def details_body(details: LearnerDetails) -> dict[str, Any]:
    """A LearnerDetails as a request body: dates in ISO form, unset fields left out."""
    body: dict[str, Any] = {}
    for name, value in dataclasses.asdict(details).items():
        if value is None:
            continue
        body[name] = value.isoformat() if isinstance(value, dt.date) else value
    return body


def many_register_bodies(count: int, *, seed: int = 1) -> list[dict[str, Any]]:
    """`count` realistic learners as registration request bodies; the same seed gives the same ones."""
    return [details_body(d) for d in many_learner_details(count, seed=seed)]


def register_body(seed: int = 1) -> dict[str, Any]:
    return many_register_bodies(1, seed=seed)[0]


def search_body(learner: dict[str, Any]) -> dict[str, Any]:
    """The demographic search for a learner body: its five mandatory fields."""
    return {name: learner[name] for name in MANDATORY}


def unissued_uln(start: int = 100_000_000) -> str:
    """The ULN (right check digit) formed from the first 9-digit body at or above `start` that has one.

    Issued ULNs are keyed permutations spread over 900 million bodies, so in a new database this
    one is free in practice."""
    body = start
    while True:
        try:
            return make_uln(str(body))
        except UlnInvalid:
            body += 1


def registered_learner(uow_factory: UnitOfWorkFactory, seed: int) -> Learner:
    """A learner registered through the use case (as the system), committed."""
    details = learner_details(seed)
    return register_learner(RegisterLearner(details), principal=SYSTEM, uow=uow_factory())


def store_learner(
    uow: UnitOfWork,
    details: LearnerDetails,
    *,
    status: LearnerStatus = LearnerStatus.ACTIVE,
    master_uln: str | None = None,
) -> Learner:
    """Put a learner straight into the register (bypassing the duplicate check), committed."""
    with uow:
        learner = Learner(issue_uln(uow), details, status=status, master_uln=master_uln)
        uow.learners.add(learner, actor="seed", ukprn=PROVIDER)
        uow.commit()
        stored = uow.learners.get(learner.uln)
    assert stored is not None
    return stored
