"""The exceptions queue: possible matches are held; a person at the organisation decides."""

from __future__ import annotations

import dataclasses

import pytest

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import (
    HeldRegistrationNotFound,
    HeldRegistrationResolved,
    NotACandidate,
    RegistrationRefused,
)
from openlrs.domain.learners.held_registration import Decision, HeldStatus
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.services.learners.exceptions_queue import (
    ResolveHeld,
    get_held,
    list_held,
    resolve_held,
)
from openlrs.services.learners.register import RegisterLearner, register_learner
from tests.builders import LRB, POLICY, learner_details
from tests.unit.fakes import FakeUnitOfWork

OTHER = Principal("client:other", "10009876", frozenset({Role.LRB}))


def _held_registration(uow: FakeUnitOfWork) -> tuple[str, int, LearnerDetails]:
    """Register someone, then a same-family, same-DOB person with another given name."""
    first = register_learner(
        RegisterLearner(learner_details()), principal=LRB, uow=uow, policy=POLICY
    )
    sibling = dataclasses.replace(learner_details(), given_name="Zebedee", middle_names=None)
    with pytest.raises(RegistrationRefused) as refused:
        register_learner(RegisterLearner(sibling), principal=LRB, uow=uow, policy=POLICY)
    assert refused.value.outcome == "possible"
    assert refused.value.held_id is not None
    return first.uln, refused.value.held_id, sibling


def test_a_possible_match_is_held_in_the_organisations_queue(uow: FakeUnitOfWork) -> None:
    first_uln, held_id, _ = _held_registration(uow)
    held = get_held(held_id, principal=LRB, uow=uow)
    assert held.status is HeldStatus.OPEN
    assert held.candidate_ulns == (first_uln,)
    assert [h.id for h in list_held(status=HeldStatus.OPEN, limit=10, principal=LRB, uow=uow)] == [
        held_id
    ]
    assert list_held(status=None, limit=10, principal=OTHER, uow=uow) == []
    with pytest.raises(HeldRegistrationNotFound):
        get_held(held_id, principal=OTHER, uow=uow)


def test_same_person_answers_with_the_chosen_candidate(uow: FakeUnitOfWork) -> None:
    first_uln, held_id, _ = _held_registration(uow)
    with pytest.raises(NotACandidate):
        resolve_held(
            ResolveHeld(held_id, Decision.SAME_PERSON, "1026893096"), principal=LRB, uow=uow
        )
    learner = resolve_held(
        ResolveHeld(held_id, Decision.SAME_PERSON, first_uln), principal=LRB, uow=uow
    )
    assert learner.uln == first_uln
    assert get_held(held_id, principal=LRB, uow=uow).status is HeldStatus.SAME_PERSON
    with pytest.raises(HeldRegistrationResolved):
        resolve_held(ResolveHeld(held_id, Decision.SAME_PERSON, first_uln), principal=LRB, uow=uow)


def test_different_person_issues_a_new_uln_once(uow: FakeUnitOfWork) -> None:
    first_uln, held_id, sibling = _held_registration(uow)
    learner = resolve_held(
        ResolveHeld(held_id, Decision.DIFFERENT_PERSON), principal=LRB, uow=uow, policy=POLICY
    )
    assert learner.uln != first_uln
    assert learner.details == sibling
    held = get_held(held_id, principal=LRB, uow=uow)
    assert (held.status, held.resolved_uln) == (HeldStatus.NEW_LEARNER, learner.uln)
    with pytest.raises(HeldRegistrationResolved):
        resolve_held(
            ResolveHeld(held_id, Decision.DIFFERENT_PERSON), principal=LRB, uow=uow, policy=POLICY
        )


def test_another_organisation_cannot_resolve(uow: FakeUnitOfWork) -> None:
    _, held_id, _ = _held_registration(uow)
    with pytest.raises(HeldRegistrationNotFound):
        resolve_held(ResolveHeld(held_id, Decision.DIFFERENT_PERSON), principal=OTHER, uow=uow)
