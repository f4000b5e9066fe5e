"""Learner plans in SQL, on SQLite and PostgreSQL: versions kept, a stale version refused, notes
in order, every read and change audited."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from openlrs.domain.accounts.organisations import SYSTEM
from openlrs.domain.learner_plans.plan import LearnerPlanChanged, PlannedLearning
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.services.learner_plans.plans import AddNote, SavePlan, add_note, get_plan, save_plan
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.store.learner_plans.tables import learner_plan_versions
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders import LRB, learner_details

ENGLISH = PlannedLearning("Functional Skills English", dt.date(2027, 1, 4), dt.date(2027, 3, 26))


def test_a_plan_keeps_its_versions_and_notes(uow_factory: SqlUnitOfWorkFactory) -> None:
    learner = register_learner(
        RegisterLearner(learner_details(7)), principal=SYSTEM, uow=uow_factory()
    )
    with uow_factory() as uow:
        uow.learners.note_relationship(learner.uln, LRB.ukprn, RelationshipKind.ON_ROLL)
        uow.commit()

    save_plan(SavePlan(learner.uln, ("Get a job",), ()), principal=LRB, uow=uow_factory())
    second = save_plan(
        SavePlan(learner.uln, ("Get a job", "Read more"), (ENGLISH,), expected_version=1),
        principal=LRB,
        uow=uow_factory(),
    )
    with pytest.raises(LearnerPlanChanged):
        save_plan(SavePlan(learner.uln, ("Late",), (), 1), principal=LRB, uow=uow_factory())
    add_note(AddNote(learner.uln, "First"), principal=LRB, uow=uow_factory())
    add_note(AddNote(learner.uln, "Second"), principal=LRB, uow=uow_factory())

    plan = get_plan(learner.uln, principal=LRB, uow=uow_factory())
    assert second.version == plan.version == 2
    assert plan.planned == (ENGLISH,)
    assert [n.text for n in plan.notes] == ["First", "Second"]
    engine = uow_factory.engine
    with engine.connect() as conn:
        kept = conn.execute(sa.select(sa.func.count()).select_from(learner_plan_versions)).scalar()
    assert kept == 2
    with uow_factory() as uow:
        audited = uow.audit.list(ukprn=LRB.ukprn, uln=learner.uln, before_id=None, limit=20)
    actions = sorted(e.action.value for e in audited)
    assert actions.count("learner_plan.save") == 2
    assert actions.count("learner_plan.note") == 2
    assert actions.count("learner_plan.read") == 1
