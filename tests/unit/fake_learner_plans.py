"""In-memory learner plans, over the fakes' `Tables`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from openlrs.domain.learner_plans.plan import LearnerPlan, LearnerPlanChanged, ProgressNote

if TYPE_CHECKING:
    from tests.unit.fakes import Tables


class FakeLearnerPlanRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    @property
    def _plans(self) -> dict[str, LearnerPlan]:
        return self._tables.learner_plans

    def get(self, uln: str) -> LearnerPlan | None:
        return self._plans.get(uln)

    def save(self, plan: LearnerPlan, *, actor: str) -> LearnerPlan:
        current = self._plans.get(plan.uln)
        if (current.version if current else 0) != plan.version:
            raise LearnerPlanChanged()
        now = dt.datetime.now(dt.UTC)
        stored = dataclasses.replace(
            plan,
            version=plan.version + 1,
            notes=current.notes if current else (),
            created_at=current.created_at if current else now,
            updated_at=now,
        )
        self._plans[plan.uln] = stored
        return stored

    def add_note(self, uln: str, note: ProgressNote, *, actor: str) -> ProgressNote:
        written = dataclasses.replace(note, written_at=dt.datetime.now(dt.UTC))
        plan = self._plans[uln]
        self._plans[uln] = dataclasses.replace(plan, notes=(*plan.notes, written))
        return written
