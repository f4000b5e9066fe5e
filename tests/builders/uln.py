"""Registers of learners with random learning-event histories for the ULN life-cycle tests, stored
on any unit of work (the fakes or SQL), and the state of a register they are compared by."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from openlrs.domain.learners.learner import Learner
from openlrs.domain.plr.achievements import EventStatus, EventType, LearningEvent, SubjectKind
from openlrs.services.learners.register import issue_uln
from openlrs.services.ports import UnitOfWork
from tests.builders.learners import learner_details

AWARDERS = ("10000002", "10000003")
SUBJECTS = ("100/0001/1", "100/0002/2", "A/100/0001")
DATES = (dt.date(2024, 6, 30), dt.date(2025, 6, 30))

Sent = tuple[str, str, dt.date]
"""(awarding organisation, qualification or unit, award date): one achievement."""

histories = st.lists(
    st.tuples(st.sampled_from(AWARDERS), st.sampled_from(SUBJECTS), st.sampled_from(DATES)),
    max_size=4,
    unique=True,
)
registers = st.lists(histories, min_size=2, max_size=4)
"""Per learner, the achievements on their record (the same one may be on two learners)."""


def learning_event(uln: str, sent: Sent) -> LearningEvent:
    ukprn, subject, awarded = sent
    kind = SubjectKind.UNIT if subject.startswith("A/") else SubjectKind.QUALIFICATION
    return LearningEvent(
        id=str(uuid.uuid4()),
        uln=uln,
        event_type=EventType.ACHIEVEMENT,
        ukprn=ukprn,
        subject_kind=kind,
        subject=subject,
        subject_title="Generated",
        qualification_type="GCSE",
        level="2",
        status=EventStatus.ACHIEVED,
        grade="B",
        award_date=awarded,
    )


def stored_register(
    make_uow: Callable[[], UnitOfWork], register: list[list[Sent]], *, seed: int = 1
) -> list[str]:
    """Store one learner per history, with its events, committed; their ULNs in order."""
    ulns = []
    uow = make_uow()
    with uow:
        for index, history in enumerate(register):
            learner = Learner(issue_uln(uow), learner_details(seed + index))
            uow.learners.add(learner, actor="seed", ukprn=AWARDERS[0])
            for sent in history:
                uow.learning_events.add(learning_event(learner.uln, sent), actor="seed")
            ulns.append(learner.uln)
        uow.commit()
    return ulns


_VOLATILE = ("version", "created_at", "updated_at")


def register_state(make_uow: Callable[[], UnitOfWork], ulns: list[str]) -> dict[str, Any]:
    """What a merge must change and its undoing restore: each learner's details, status and
    master, and where each of their events is, with its content (versions and times aside)."""
    uow = make_uow()
    with uow:
        learners: dict[str, Any] = {}
        events: dict[str, Any] = {}
        for uln in ulns:
            learner = uow.learners.get(uln)
            assert learner is not None
            learners[uln] = (learner.details, learner.status, learner.master_uln)
            for event in uow.learning_events.for_learner(uln):
                kept = {k: v for k, v in dataclasses.asdict(event).items() if k not in _VOLATILE}
                events[event.id] = kept
    return {"learners": learners, "events": events}


def event_count(make_uow: Callable[[], UnitOfWork], ulns: list[str]) -> int:
    uow = make_uow()
    with uow:
        return sum(len(uow.learning_events.for_learner(uln)) for uln in ulns)
