"""Learner plans: made and kept by providers with a relationship, read by the desk, audited."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import LearnerNotFound, NotAuthorised, ValidationFailed
from openlrs.domain.learner_plans.plan import (
    LearnerPlanChanged,
    LearnerPlanNotFound,
    PlannedLearning,
)
from openlrs.services.learner_plans.plans import AddNote, SavePlan, add_note, get_plan, save_plan
from tests.builders import (
    ADMIN,
    AO,
    LRB,
    OTHER_CENTRE,
    learner_details,
    store_learner,
    unissued_uln,
)
from tests.unit.fakes import FakeUnitOfWork

ENGLISH = PlannedLearning("Functional Skills English", dt.date(2027, 1, 4), dt.date(2027, 3, 26))


def _plan(uow: FakeUnitOfWork) -> str:
    learner = store_learner(uow, learner_details())
    save_plan(SavePlan(learner.uln, ("Get a job in catering",), (ENGLISH,)), principal=LRB, uow=uow)
    return learner.uln


def test_a_provider_makes_a_plan_adds_notes_and_reads_it_back(uow: FakeUnitOfWork) -> None:
    uln = _plan(uow)
    add_note(AddNote(uln, "  Passed the initial assessment "), principal=LRB, uow=uow)

    plan = get_plan(uln, principal=LRB, uow=uow)

    assert plan.goals == ("Get a job in catering",)
    assert plan.planned == (ENGLISH,)
    assert [n.text for n in plan.notes] == ["Passed the initial assessment"]
    with uow:
        actions = [e.action for e in uow.audit.list(ukprn=None, uln=uln, before_id=None, limit=9)]
    assert AuditAction.LEARNER_PLAN_SAVE in actions
    assert AuditAction.LEARNER_PLAN_NOTE in actions
    assert AuditAction.LEARNER_PLAN_READ in actions


def test_a_change_makes_a_new_version_and_a_stale_one_is_refused(uow: FakeUnitOfWork) -> None:
    uln = _plan(uow)
    changed = SavePlan(uln, ("Get a job", "Pass English"), (ENGLISH,), expected_version=1)

    assert save_plan(changed, principal=LRB, uow=uow).version == 2
    with pytest.raises(LearnerPlanChanged):
        save_plan(changed, principal=LRB, uow=uow)


def test_the_desk_reads_but_others_without_a_relationship_cannot(uow: FakeUnitOfWork) -> None:
    uln = _plan(uow)

    assert get_plan(uln, principal=ADMIN, uow=uow).version == 1
    with pytest.raises(NotAuthorised):
        get_plan(uln, principal=OTHER_CENTRE, uow=uow)
    with pytest.raises(NotAuthorised):
        get_plan(uln, principal=AO, uow=uow)
    with pytest.raises(NotAuthorised):
        add_note(AddNote(uln, "A note"), principal=ADMIN, uow=uow)


def test_every_problem_is_reported_at_once(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())
    backwards = PlannedLearning(" ", dt.date(2027, 3, 1), dt.date(2027, 1, 1))

    with pytest.raises(ValidationFailed) as refused:
        save_plan(SavePlan(learner.uln, (" ",), (backwards,)), principal=LRB, uow=uow)

    assert [e.field for e in refused.value.errors] == ["goals", "title", "end_date"]


def test_no_plan_and_no_learner_are_told_apart(uow: FakeUnitOfWork) -> None:
    learner = store_learner(uow, learner_details())

    with pytest.raises(LearnerPlanNotFound):
        get_plan(learner.uln, principal=LRB, uow=uow)
    with pytest.raises(LearnerPlanNotFound):
        add_note(AddNote(learner.uln, "A note"), principal=LRB, uow=uow)
    with pytest.raises(LearnerNotFound):
        get_plan(unissued_uln(), principal=LRB, uow=uow)
