"""Changes bound to a relationship, with fakes: related organisations and the desk change a
learner directly; anyone else's change waits as a request the registering organisation or the
desk decides (issue 21, item 11)."""

from __future__ import annotations

import pytest

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import ChangeRequestDecided, ChangeRequestNotFound, NotAuthorised
from openlrs.domain.learners.change_request import ChangeRequest, ChangeRequestStatus
from openlrs.domain.learners.learner import Learner
from openlrs.services.learners.change_requests import (
    DecideChangeRequest,
    decide_change_request,
    get_change_request,
    list_change_requests,
)
from openlrs.services.learners.update import UpdateLearner, update_learner
from tests.builders import ADMIN, LRB, POLICY, learner_details, store_learner
from tests.unit.fakes import FakeUnitOfWork

ELSEWHERE = Principal("user:elsewhere", "10000005", frozenset({Role.LRB}))
THIRD = Principal("user:third", "10000006", frozenset({Role.LRB}))


def _update(
    uow: FakeUnitOfWork, by: Principal, uln: str, version: int = 1, **changes: object
) -> Learner | ChangeRequest:
    return update_learner(
        UpdateLearner(uln, version, changes), principal=by, uow=uow, policy=POLICY
    )


def test_without_a_relationship_a_change_is_a_request_and_repeats_are_the_same(
    uow: FakeUnitOfWork,
) -> None:
    learner = store_learner(uow, learner_details())

    asked = _update(uow, ELSEWHERE, learner.uln, postcode="LS1 4AP")
    again = _update(uow, ELSEWHERE, learner.uln, postcode="ls1 4ap")

    assert isinstance(asked, ChangeRequest) and isinstance(again, ChangeRequest)
    assert asked.reference == again.reference and asked.changes == {"postcode": "LS1 4AP"}
    with uow:
        assert uow.learners.get(learner.uln).version == 1  # type: ignore[union-attr]


def test_the_registering_organisation_and_the_desk_change_directly(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    assert isinstance(_update(uow, LRB, learner.uln, email="a@example.org"), Learner)
    assert isinstance(_update(uow, ADMIN, learner.uln, 2, email="b@example.org"), Learner)


def test_a_no_op_change_asks_nobody(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    same = _update(uow, ELSEWHERE, learner.uln, postcode=learner.details.postcode)
    assert same == learner


def test_only_the_desk_or_the_registering_organisation_decides(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    asked = _update(uow, ELSEWHERE, learner.uln, postcode="LS1 4AP")
    assert isinstance(asked, ChangeRequest)
    reject = DecideChangeRequest(asked.reference, accept=False)

    with pytest.raises(NotAuthorised):
        decide_change_request(reject, principal=ELSEWHERE, uow=uow, policy=POLICY)
    with pytest.raises(ChangeRequestNotFound):
        get_change_request(asked.reference, principal=THIRD, uow=uow)
    assert list_change_requests(status=None, limit=10, principal=THIRD, uow=uow) == []

    accept = DecideChangeRequest(asked.reference, accept=True)
    decided = decide_change_request(accept, principal=LRB, uow=uow, policy=POLICY)
    assert decided.request.status is ChangeRequestStatus.ACCEPTED
    assert decided.learner is not None and decided.learner.details.postcode == "LS1 4AP"
    with pytest.raises(ChangeRequestDecided):
        decide_change_request(reject, principal=ADMIN, uow=uow, policy=POLICY)
