"""Registering a learner: a valid new ULN, unless the register may already hold the person."""

from __future__ import annotations

import dataclasses
from typing import cast

import pytest

from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import NotAuthorised, RegistrationRefused, ValidationFailed
from openlrs.domain.identifiers import is_valid_uln
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.services.learners.register import RegisterLearner, register_learner
from tests.builders import AO, LRB, POLICY, PROVIDER, learner_details, many_learner_details
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork


def register(uow: FakeUnitOfWork, details: LearnerDetails, *, confirm: bool = False) -> Learner:
    return register_learner(
        RegisterLearner(details, confirm_different_person=confirm),
        principal=LRB,
        uow=uow,
        policy=POLICY,
    )


def candidate_ulns(refused: RegistrationRefused) -> list[str]:
    return [cast(Learner, c).uln for c in refused.candidates]


def audit_events(uow: FakeUnitOfWork) -> list[AuditEvent]:
    with uow:
        return uow.audit.list(ukprn=None, uln=None, before_id=None, limit=100)


def test_registering_a_new_person_issues_a_valid_uln_and_stores_version_one(
    uow: FakeUnitOfWork,
) -> None:
    details = learner_details()
    learner = register(uow, details)

    assert is_valid_uln(learner.uln)
    assert learner.version == 1
    assert learner.registered_by_ukprn == PROVIDER
    assert learner.details.family_name == details.family_name
    with uow:
        assert uow.learners.get(learner.uln) == learner


def test_every_registration_gets_a_different_uln(uow: FakeUnitOfWork) -> None:
    ulns = [register(uow, details).uln for details in many_learner_details(20)]

    assert len(set(ulns)) == 20
    assert all(is_valid_uln(uln) for uln in ulns)


@pytest.mark.parametrize("confirm", [False, True])
def test_an_exact_duplicate_is_refused_even_when_confirmed_different(
    uow: FakeUnitOfWork, confirm: bool
) -> None:
    first = register(uow, learner_details())

    with pytest.raises(RegistrationRefused) as refused:
        register(uow, learner_details(), confirm=confirm)

    assert refused.value.outcome == "exact"
    assert candidate_ulns(refused.value) == [first.uln]
    with uow:
        assert uow.learners.count() == 1


def test_a_possible_duplicate_is_refused_with_its_candidates(uow: FakeUnitOfWork) -> None:
    first = register(uow, learner_details())
    sibling = dataclasses.replace(learner_details(), given_name="Zebedee", postcode="LS1 4AP")

    with pytest.raises(RegistrationRefused) as refused:
        register(uow, sibling)

    assert refused.value.outcome == "possible"
    assert candidate_ulns(refused.value) == [first.uln]


def test_confirming_a_different_person_registers_a_possible_duplicate(
    uow: FakeUnitOfWork,
) -> None:
    first = register(uow, learner_details())
    sibling = dataclasses.replace(learner_details(), given_name="Zebedee", postcode="LS1 4AP")

    second = register(uow, sibling, confirm=True)

    assert second.uln != first.uln
    registered = [e for e in audit_events(uow) if e.uln == second.uln]
    assert [e.outcome for e in registered] == ["WSRC0005 confirmed possible"]


def test_registering_takes_the_date_of_birth_locks(
    uow: FakeUnitOfWork, database: FakeDatabase
) -> None:
    details = learner_details()
    register(uow, details)

    assert f"dob:{details.date_of_birth.isoformat()}" in database.locks_taken


def test_audit_events_name_the_uln_but_never_the_person(uow: FakeUnitOfWork) -> None:
    details = learner_details()
    learner = register(uow, details)
    with pytest.raises(RegistrationRefused):
        register(uow, details)

    events = audit_events(uow)
    assert [e.action for e in events] == [
        AuditAction.LEARNER_REGISTER_REFUSED,
        AuditAction.LEARNER_REGISTER,
    ]
    refused, registered = events
    assert registered.uln == learner.uln
    assert refused.detail == learner.uln
    personal = {details.given_name, details.family_name, details.postcode}
    personal |= {details.date_of_birth.isoformat()}
    for event in events:
        text = " ".join(str(v) for v in (event.actor, event.outcome, event.detail))
        assert not any(value in text for value in personal), event


def test_invalid_details_are_refused_before_storage_is_touched(
    uow: FakeUnitOfWork, database: FakeDatabase
) -> None:
    bad = dataclasses.replace(learner_details(), given_name="", postcode="NOT A POSTCODE")

    with pytest.raises(ValidationFailed) as failed:
        register(uow, bad)

    assert {(e.field, e.code) for e in failed.value.errors} == {
        ("given_name", "FIELD_REQUIRED"),
        ("postcode", "POSTCODE_INVALID"),
    }
    assert database.units_begun == 0


def test_an_awarding_organisation_cannot_register_learners(
    uow: FakeUnitOfWork, database: FakeDatabase
) -> None:
    with pytest.raises(NotAuthorised):
        register_learner(RegisterLearner(learner_details()), principal=AO, uow=uow, policy=POLICY)

    assert database.units_begun == 0
