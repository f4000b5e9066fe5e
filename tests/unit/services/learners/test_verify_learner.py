"""Verify Learner Details through the service: LRS codes, linked ULNs, roles and the audit trail."""

from __future__ import annotations

import pytest

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import NotAuthorised
from openlrs.domain.identifiers import make_uln
from openlrs.domain.learners.learner import LearnerStatus
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.services.learners.verify import VerifyLearner, verify_learner
from tests.builders import AO, LRB, POLICY, learner_details, many_learner_details, store_learner
from tests.unit.fakes import FakeUnitOfWork


def claim_of(uow: FakeUnitOfWork, uln: str, **changes: object) -> VerifyLearner:
    with uow:
        learner = uow.learners.get(uln)
    assert learner is not None
    d = learner.details
    values: dict[str, object] = {
        "given_name": d.given_name,
        "family_name": d.family_name,
        "date_of_birth": d.date_of_birth,
        "gender": d.gender,
    }
    values.update(changes)
    return VerifyLearner(uln, ClaimedDetails(**values))  # type: ignore[arg-type]


def test_matching_details_give_wsvrc001_and_the_check_is_audited(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())

    result = verify_learner(claim_of(uow, learner.uln), principal=AO, uow=uow, policy=POLICY)

    assert (result.outcome, result.lrs_code, result.uln) == ("exact", "WSVRC001", learner.uln)
    with uow:
        events = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=10)
    assert [(e.action, e.uln, e.outcome) for e in events] == [
        (AuditAction.LEARNER_VERIFY, learner.uln, "exact")
    ]


def test_a_merged_uln_is_checked_against_its_master(uow: FakeUnitOfWork) -> None:
    master_details, merged_details = many_learner_details(2)
    master = store_learner(uow, master_details)
    merged = store_learner(uow, merged_details, status=LearnerStatus.MERGED, master_uln=master.uln)
    command = claim_of(uow, master.uln)

    result = verify_learner(
        VerifyLearner(merged.uln, command.claimed), principal=LRB, uow=uow, policy=POLICY
    )

    assert (result.lrs_code, result.uln, result.linked) == ("WSVRC002", master.uln, True)


def test_a_wrong_date_of_birth_is_wsvrc005_and_an_unknown_uln_wsvrc006(
    uow: FakeUnitOfWork,
) -> None:
    learner = store_learner(uow, learner_details())
    dob = learner.details.date_of_birth
    wrong = dob.replace(year=dob.year - 1)

    mismatch = verify_learner(
        claim_of(uow, learner.uln, date_of_birth=wrong), principal=AO, uow=uow, policy=POLICY
    )
    command = claim_of(uow, learner.uln)
    unknown = verify_learner(
        VerifyLearner(make_uln("123456789"), command.claimed), principal=AO, uow=uow, policy=POLICY
    )

    assert (mismatch.lrs_code, [c.value for c in mismatch.failed]) == (
        "WSVRC005",
        [
            "given_vs_family",
            "given_vs_previous_family",
            "family_vs_given",
            "family_vs_previous_family",
            "date_of_birth",
        ],
    )
    assert unknown.lrs_code == "WSVRC006"


def test_a_caller_without_a_learner_role_is_refused(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    nobody = Principal("user:nobody", "10000001", frozenset())

    with pytest.raises(NotAuthorised):
        verify_learner(claim_of(uow, learner.uln), principal=nobody, uow=uow, policy=POLICY)


def test_every_role_that_posts_or_registers_may_verify() -> None:
    from openlrs.domain.accounts.organisations import VERIFY_ROLES

    assert {Role.AO, Role.LRB} <= VERIFY_ROLES
