"""Learner plans in SQL: the current version, every version before it, and progress notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, select, update

from openlrs.domain.learner_plans.plan import (
    LearnerPlan,
    LearnerPlanChanged,
    PlannedLearning,
    PlannedStatus,
    ProgressNote,
)
from openlrs.store.learner_plans.tables import learner_plan_notes as notes
from openlrs.store.learner_plans.tables import learner_plan_versions as versions
from openlrs.store.learner_plans.tables import learner_plans as plans
from openlrs.store.tables import utcnow


def _content(plan: LearnerPlan) -> dict[str, Any]:
    return {
        "goals": list(plan.goals),
        "planned": [
            {
                "title": item.title,
                "start_date": item.start_date.isoformat(),
                "end_date": item.end_date.isoformat(),
                "status": item.status.value,
            }
            for item in plan.planned
        ],
    }


def _planned(item: dict[str, Any]) -> PlannedLearning:
    return PlannedLearning(
        item["title"],
        dt.date.fromisoformat(item["start_date"]),
        dt.date.fromisoformat(item["end_date"]),
        PlannedStatus(item["status"]),
    )


class SqlLearnerPlanRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, uln: str) -> LearnerPlan | None:
        row = self._conn.execute(select(plans).where(plans.c.uln == uln)).first()
        if row is None:
            return None
        query = select(notes).where(notes.c.plan_id == row.id).order_by(notes.c.id)
        written = tuple(
            ProgressNote(n.text, n.written_by_ukprn, n.created_at)
            for n in self._conn.execute(query)
        )
        content = row.content
        return LearnerPlan(
            uln=row.uln,
            goals=tuple(content["goals"]),
            planned=tuple(_planned(item) for item in content["planned"]),
            version=row.version,
            notes=written,
            updated_by_ukprn=row.updated_by_ukprn,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    def save(self, plan: LearnerPlan, *, actor: str) -> LearnerPlan:
        now = utcnow()
        content = _content(plan)
        who = {"updated_by": actor, "updated_by_ukprn": plan.updated_by_ukprn}
        if plan.version == 0:
            plan_id = self._conn.execute(
                insert(plans)
                .values(uln=plan.uln, version=1, content=content, created_at=now, updated_at=now)
                .values(**who)
                .returning(plans.c.id)
            ).scalar_one()
        else:
            plan_id = self._conn.execute(
                update(plans)
                .where(plans.c.uln == plan.uln, plans.c.version == plan.version)
                .values(version=plan.version + 1, content=content, updated_at=now, **who)
                .returning(plans.c.id)
            ).scalar_one_or_none()
            if plan_id is None:
                raise LearnerPlanChanged()
        self._conn.execute(
            insert(versions).values(
                plan_id=plan_id,
                version=plan.version + 1,
                content=content,
                changed_by=actor,
                changed_by_ukprn=plan.updated_by_ukprn,
                created_at=now,
                updated_at=now,
            )
        )
        stored = self.get(plan.uln)
        assert stored is not None
        return stored

    def add_note(self, uln: str, note: ProgressNote, *, actor: str) -> ProgressNote:
        now = utcnow()
        plan_id = self._conn.execute(select(plans.c.id).where(plans.c.uln == uln)).scalar_one()
        self._conn.execute(
            insert(notes).values(
                plan_id=plan_id,
                text=note.text,
                written_by=actor,
                written_by_ukprn=note.written_by_ukprn,
                created_at=now,
                updated_at=now,
            )
        )
        return ProgressNote(note.text, note.written_by_ukprn, now)
