"""What the Learner Plans use cases need from storage (`store/learner_plans/repository.py`)."""

from __future__ import annotations

from typing import Protocol

from openlrs.domain.learner_plans.plan import LearnerPlan, ProgressNote


class LearnerPlanRepository(Protocol):
    def get(self, uln: str) -> LearnerPlan | None:
        """The learner's plan with its notes (oldest first), or None."""
        ...

    def save(self, plan: LearnerPlan, *, actor: str) -> LearnerPlan:
        """Store the plan as its next version (the first when there is none); conditional on
        `plan.version` being the stored one (VersionConflict otherwise)."""
        ...

    def add_note(self, uln: str, note: ProgressNote, *, actor: str) -> ProgressNote: ...
