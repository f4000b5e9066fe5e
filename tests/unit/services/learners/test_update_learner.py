"""Updating a learner: a new version from the version read, every old version kept."""

from __future__ import annotations

import pytest

from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import (
    LearnerNotActive,
    LearnerNotFound,
    ValidationFailed,
    VersionConflict,
)
from openlrs.domain.identifiers import make_uln
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.services.learners.update import UpdateLearner, update_learner
from tests.builders import LRB, POLICY, learner_details, many_learner_details, store_learner
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork


def update(uow: FakeUnitOfWork, uln: str, version: int, /, **changes: object) -> Learner:
    return update_learner(
        UpdateLearner(uln, version, changes), principal=LRB, uow=uow, policy=POLICY
    )


def test_an_update_makes_a_new_version_and_keeps_the_old_one(uow: FakeUnitOfWork) -> None:
    original = store_learner(uow, learner_details())

    updated = update(uow, original.uln, 1, postcode="ls1 4ap", email=None)

    assert updated.version == 2
    assert updated.details.postcode == "LS1 4AP"
    assert updated.details.email is None
    with uow:
        history = uow.learners.history(original.uln)
    assert [(v.version, v.details.postcode) for v in history] == [
        (1, original.details.postcode),
        (2, "LS1 4AP"),
    ]


def test_mandatory_fields_not_changed_are_kept(uow: FakeUnitOfWork) -> None:
    original = store_learner(uow, learner_details())

    updated = update(uow, original.uln, 1, middle_names="Robin")

    before, after = original.details, updated.details
    assert after.middle_names == "Robin"
    assert (after.given_name, after.family_name, after.date_of_birth) == (
        before.given_name,
        before.family_name,
        before.date_of_birth,
    )
    assert (after.gender, after.postcode) == (before.gender, before.postcode)


def test_an_update_from_a_stale_version_is_a_conflict(uow: FakeUnitOfWork) -> None:
    original = store_learner(uow, learner_details())
    update(uow, original.uln, 1, town="Leeds")

    with pytest.raises(VersionConflict):
        update(uow, original.uln, 1, town="York")

    with uow:
        current = uow.learners.get(original.uln)
    assert current is not None
    assert (current.version, current.details.town) == (2, "Leeds")


def test_a_merged_learner_cannot_be_updated(uow: FakeUnitOfWork) -> None:
    master_details, merged_details = many_learner_details(2)
    master = store_learner(uow, master_details)
    merged = store_learner(uow, merged_details, status=LearnerStatus.MERGED, master_uln=master.uln)

    with pytest.raises(LearnerNotActive):
        update(uow, merged.uln, 1, town="Leeds")


def test_an_unknown_learner_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(LearnerNotFound):
        update(uow, make_uln("123456789"), 1, town="Leeds")


def test_unknown_fields_are_refused_before_storage_is_touched(
    uow: FakeUnitOfWork, database: FakeDatabase
) -> None:
    original = store_learner(uow, learner_details())
    begun = database.units_begun

    with pytest.raises(ValidationFailed) as failed:
        update(uow, original.uln, 1, shoe_size=9, uln="1234567899", town="Leeds")

    assert [(e.field, e.code) for e in failed.value.errors] == [
        ("shoe_size", "FIELD_UNKNOWN"),
        ("uln", "FIELD_UNKNOWN"),
    ]
    assert database.units_begun == begun


def test_an_invalid_change_stores_nothing(uow: FakeUnitOfWork) -> None:
    original = store_learner(uow, learner_details())

    with pytest.raises(ValidationFailed) as failed:
        update(uow, original.uln, 1, family_name=None, email="not-an-email")

    assert {e.code for e in failed.value.errors} == {"FIELD_REQUIRED", "EMAIL_INVALID"}
    with uow:
        assert [v.version for v in uow.learners.history(original.uln)] == [1]


def test_an_update_is_audited_with_the_fields_changed_not_their_values(
    uow: FakeUnitOfWork,
) -> None:
    original = store_learner(uow, learner_details())
    update(uow, original.uln, 1, town="Leeds", middle_names="Robin")

    with uow:
        [event] = uow.audit.list(ukprn=None, uln=original.uln, before_id=None, limit=10)
    assert (event.action, event.outcome, event.detail) == (
        AuditAction.LEARNER_UPDATE,
        "version 2",
        "middle_names town",
    )
