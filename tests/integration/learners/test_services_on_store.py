"""The use cases behave the same on the real stores as on the fakes: one scenario, both engines."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import LearnerNotFound, RegistrationRefused, VersionConflict
from openlrs.domain.identifiers import is_valid_uln
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.services.audit_trail import list_audit_events
from openlrs.services.learners.find import find_by_uln
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.learners.search import find_by_demographics
from openlrs.services.learners.update import UpdateLearner, update_learner
from openlrs.services.policy import RegisterPolicy
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import many_learner_details

TODAY = dt.date(2025, 9, 1)
POLICY = RegisterPolicy(today=lambda: TODAY)
PROVIDER = "10000001"
REGISTRAR = Principal("client:registrar", PROVIDER, frozenset({Role.LRB}))
ORG_ADMIN = Principal("user:org-admin", PROVIDER, frozenset({Role.LRB_ADMIN}))


def test_register_search_update_and_find_a_learner(uow_factory: SqlUnitOfWorkFactory) -> None:
    details, neighbour = many_learner_details(2, seed=1, today=TODAY)

    def register(what: RegisterLearner) -> str:
        return register_learner(what, principal=REGISTRAR, uow=uow_factory(), policy=POLICY).uln

    uln = register(RegisterLearner(details))
    assert is_valid_uln(uln)
    neighbour_uln = register(RegisterLearner(neighbour))
    assert neighbour_uln != uln

    with pytest.raises(RegistrationRefused) as refused:
        register(RegisterLearner(details, confirm_different_person=True))
    assert refused.value.outcome == "exact"
    twin = dataclasses.replace(details, given_name="Zebedee", postcode="LS1 4AP")
    with pytest.raises(RegistrationRefused) as refused:
        register(RegisterLearner(twin))
    assert refused.value.outcome == "possible"
    twin_uln = register(RegisterLearner(twin, confirm_different_person=True))

    query = dataclasses.replace(details, email=None, given_name=details.given_name.upper())
    found = find_by_demographics(query, principal=REGISTRAR, uow=uow_factory(), policy=POLICY)
    assert found.outcome is MatchOutcome.EXACT
    assert [learner.uln for learner in found.learners] == [uln]
    [read] = found.learners

    change = UpdateLearner(uln, read.version, {"postcode": "ls6 2ab", "town": "Leeds"})
    updated = update_learner(change, principal=REGISTRAR, uow=uow_factory(), policy=POLICY)
    assert (updated.version, updated.details.postcode) == (2, "LS6 2AB")
    with pytest.raises(VersionConflict):
        update_learner(change, principal=REGISTRAR, uow=uow_factory(), policy=POLICY)

    result = find_by_uln(uln, principal=REGISTRAR, uow=uow_factory())
    assert result.outcome is MatchOutcome.EXACT
    [current] = result.learners
    assert (current.version, current.details.town, current.details.family_name) == (
        2,
        "Leeds",
        details.family_name,
    )
    assert current.registered_by_ukprn == PROVIDER
    with uow_factory() as uow:
        assert [v.version for v in uow.learners.history(uln)] == [1, 2]
        assert uow.learners.count() == 3

    trail = list_audit_events(
        ukprn=None, uln=None, before_id=None, limit=50, principal=ORG_ADMIN, uow=uow_factory()
    )
    assert [(e.action, e.uln or e.detail) for e in reversed(trail)] == [
        (AuditAction.LEARNER_REGISTER, uln),
        (AuditAction.LEARNER_REGISTER, neighbour_uln),
        (AuditAction.LEARNER_REGISTER_REFUSED, uln),  # exact: refused outright
        (AuditAction.REGISTRATION_HELD, uln),  # possible: held in the exceptions queue
        (AuditAction.LEARNER_REGISTER, twin_uln),
        (AuditAction.LEARNER_SEARCH, uln),
        (AuditAction.LEARNER_UPDATE, uln),
        (AuditAction.LEARNER_READ, uln),
    ]
    names = (details.given_name, details.family_name, twin.given_name)
    assert not any(name in str(e.detail) for e in trail for name in names)


def test_an_unknown_uln_is_not_found_and_the_attempt_audited(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    unknown = "1234567899"

    with pytest.raises(LearnerNotFound):
        find_by_uln(unknown, principal=REGISTRAR, uow=uow_factory())

    with uow_factory() as uow:
        [event] = uow.audit.list(ukprn=PROVIDER, uln=unknown, before_id=None, limit=5)
    assert (event.action, event.outcome) == (AuditAction.LEARNER_READ, "not_found")
