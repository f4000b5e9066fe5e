"""Achievements through the services: ownership, VLD, merged ULNs, idempotence, state changes."""

from __future__ import annotations

import dataclasses

import pytest

from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import NotAuthorised, ValidationFailed
from openlrs.domain.learners.learner import LearnerStatus
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails, EventStatus
from openlrs.domain.plr.errors import (
    LearnerDetailsMismatch,
    LearningEventExists,
    LearningEventStateConflict,
    QualificationNotFound,
    QualificationNotOwned,
)
from openlrs.services.plr.change_achievement import (
    ChangeAchievement,
    reinstate_achievement,
    update_achievement,
    withdraw_achievement,
)
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from tests.builders import (
    AO,
    AWARDED,
    LRB,
    NOT_OWNED,
    OTHER_AO,
    OWNED,
    POLICY,
    SHARED,
    UNIT,
    achievement_command,
    learner_details,
    load_qualifications,
    store_learner,
)
from tests.unit.fakes import FakeUnitOfWork


@pytest.fixture(autouse=True)
def _register(uow: FakeUnitOfWork) -> None:
    load_qualifications(uow)


def test_an_ao_posts_an_achievement_for_a_qualification_it_owns(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())

    posted = post_achievement(achievement_command(learner), principal=AO, uow=uow, policy=POLICY)

    assert posted.created
    event = posted.event
    assert (event.uln, event.subject, event.grade, event.status) == (
        learner.uln,
        OWNED,
        "7",
        EventStatus.ACHIEVED,
    )
    assert event.subject_title == "GCSE in Mathematics"  # from the register
    with uow:
        assert uow.learning_events.record_version(learner.uln) == 1
        actions = [e.action for e in uow.audit.list(ukprn=None, uln=None, before_id=None, limit=9)]
    assert AuditAction.ACHIEVEMENT_CREATE in actions


@pytest.mark.parametrize("subject", [SHARED, UNIT])
def test_shared_qualifications_and_own_units_may_be_awarded(
    uow: FakeUnitOfWork, subject: str
) -> None:
    learner = store_learner(uow, learner_details())
    assert post_achievement(
        achievement_command(learner, subject), principal=AO, uow=uow, policy=POLICY
    ).created


def test_an_ao_cannot_post_for_a_qualification_it_does_not_own(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())

    with pytest.raises(QualificationNotOwned):
        post_achievement(
            achievement_command(learner, NOT_OWNED), principal=AO, uow=uow, policy=POLICY
        )
    with uow:
        assert uow.learning_events.for_learner(learner.uln) == []


def test_unknown_qualifications_and_non_ao_callers_are_refused(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    with pytest.raises(QualificationNotFound):
        post_achievement(
            achievement_command(learner, "999/9999/9"), principal=AO, uow=uow, policy=POLICY
        )
    with pytest.raises(NotAuthorised):
        post_achievement(achievement_command(learner), principal=LRB, uow=uow, policy=POLICY)


def test_details_that_do_not_verify_are_refused_naming_the_checks(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    wrong = dataclasses.replace(
        achievement_command(learner),
        learner=ClaimedDetails("Zebedee", "Quixote", learner.details.date_of_birth),
    )

    with pytest.raises(LearnerDetailsMismatch) as refused:
        post_achievement(wrong, principal=AO, uow=uow, policy=POLICY)

    assert "given_vs_given" in refused.value.detail
    assert learner.details.family_name not in refused.value.detail


def test_an_achievement_for_a_merged_uln_lands_on_the_master(uow: FakeUnitOfWork) -> None:
    master = store_learner(uow, learner_details())
    merged = store_learner(
        uow, learner_details(), status=LearnerStatus.MERGED, master_uln=master.uln
    )  # same person, second ULN

    posted = post_achievement(
        achievement_command(master, uln=merged.uln), principal=AO, uow=uow, policy=POLICY
    )

    assert posted.event.uln == master.uln


def test_re_sending_the_same_achievement_changes_nothing(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    first = post_achievement(achievement_command(learner), principal=AO, uow=uow, policy=POLICY)

    again = post_achievement(achievement_command(learner), principal=AO, uow=uow, policy=POLICY)

    assert not again.created and again.event == first.event
    with uow:
        assert len(uow.learning_events.for_learner(learner.uln)) == 1
        assert uow.learning_events.record_version(learner.uln) == 1
    with pytest.raises(LearningEventExists):
        post_achievement(
            achievement_command(learner, grade="9"), principal=AO, uow=uow, policy=POLICY
        )


def test_withdraw_then_reinstate_restores_the_event_exactly(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    event = post_achievement(
        achievement_command(learner), principal=AO, uow=uow, policy=POLICY
    ).event
    change = ChangeAchievement(learner.uln, event.id)

    gone = withdraw_achievement(change, principal=AO, uow=uow, policy=POLICY)
    back = reinstate_achievement(change, principal=AO, uow=uow, policy=POLICY)

    assert gone.status is EventStatus.WITHDRAWN
    ignore = {"version": 0, "updated_at": None}
    assert dataclasses.replace(back, **ignore) == dataclasses.replace(event, **ignore)
    assert back.version == 3
    with pytest.raises(LearningEventStateConflict):
        reinstate_achievement(change, principal=AO, uow=uow, policy=POLICY)
    with uow:
        history = uow.learning_events.history(event.id)
    assert [e.status for e in history] == [
        EventStatus.ACHIEVED,
        EventStatus.WITHDRAWN,
        EventStatus.ACHIEVED,
    ]


def test_an_update_corrects_the_grade(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    event = post_achievement(
        achievement_command(learner), principal=AO, uow=uow, policy=POLICY
    ).event
    change = ChangeAchievement(learner.uln, event.id, AchievementDetails(OWNED, AWARDED, "8"))

    updated = update_achievement(change, principal=AO, uow=uow, policy=POLICY)

    assert (updated.grade, updated.version) == ("8", 2)


def test_another_ao_cannot_update_or_withdraw_the_event(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    owned = post_achievement(
        achievement_command(learner), principal=AO, uow=uow, policy=POLICY
    ).event
    shared = post_achievement(
        achievement_command(learner, SHARED), principal=AO, uow=uow, policy=POLICY
    ).event

    for event in (owned, shared):
        change = ChangeAchievement(
            learner.uln, event.id, AchievementDetails(event.subject, AWARDED)
        )
        with pytest.raises(QualificationNotOwned):
            withdraw_achievement(change, principal=OTHER_AO, uow=uow, policy=POLICY)
        with pytest.raises(QualificationNotOwned):
            update_achievement(change, principal=OTHER_AO, uow=uow, policy=POLICY)


def test_bad_fields_are_all_reported(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    bad = PostAchievement(
        learner.uln,
        achievement_command(learner).learner,
        AchievementDetails("nonsense", AWARDED.replace(year=2999), "x" * 30),
    )
    with pytest.raises(ValidationFailed) as failed:
        post_achievement(bad, principal=AO, uow=uow, policy=POLICY)
    assert {e.field for e in failed.value.errors} == {"subject", "award_date", "grade"}
