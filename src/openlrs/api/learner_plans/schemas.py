"""Request bodies and the JSON of a learner plan."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from openlrs.api.learners.schemas import Day, Strict
from openlrs.domain.learner_plans.plan import (
    LearnerPlan,
    PlannedLearning,
    PlannedStatus,
    ProgressNote,
)


class PlannedLearningIn(Strict):
    title: str = Field(description="What the learner will study, e.g. Functional Skills English")
    start_date: Day
    end_date: Day = Field(description="When it is planned to end")
    status: PlannedStatus = PlannedStatus.PLANNED

    def planned(self) -> PlannedLearning:
        return PlannedLearning(self.title, self.start_date, self.end_date, self.status)


class LearnerPlanIn(Strict):
    goals: list[str] = Field(description="The learner's goals, one per item")
    planned_learning: list[PlannedLearningIn] = Field(default_factory=list)


class ProgressNoteIn(Strict):
    text: str = Field(description="What the learner has done, up to 2,000 characters")


def note_json(note: ProgressNote) -> dict[str, Any]:
    return {
        "text": note.text,
        "written_by_ukprn": note.written_by_ukprn,
        "written_at": note.written_at.isoformat() if note.written_at else None,
    }


def plan_json(plan: LearnerPlan) -> dict[str, Any]:
    return {
        "uln": plan.uln,
        "version": plan.version,
        "goals": list(plan.goals),
        "planned_learning": [
            {
                "title": item.title,
                "start_date": item.start_date.isoformat(),
                "end_date": item.end_date.isoformat(),
                "status": item.status.value,
            }
            for item in plan.planned
        ],
        "progress_notes": [note_json(note) for note in plan.notes],
        "updated_by_ukprn": plan.updated_by_ukprn,
        "updated_at": plan.updated_at.isoformat() if plan.updated_at else None,
    }
