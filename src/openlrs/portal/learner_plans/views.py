"""A learner plan as a page: goals as a list, planned learning as a table, notes newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.learner_plans.plan import PLAN_WRITE_ROLES, LearnerPlan, PlannedStatus

STATUSES = {
    PlannedStatus.PLANNED: "Planned",
    PlannedStatus.STARTED: "Started",
    PlannedStatus.COMPLETED: "Completed",
    PlannedStatus.STOPPED: "Stopped",
}


def day(value: dt.date | dt.datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def planned_table(plan: LearnerPlan) -> dict[str, Any]:
    return {
        "caption": "Planned learning",
        "captionClasses": "govuk-table__caption--m",
        "firstCellIsHeader": True,
        "head": [
            {"text": "Learning"},
            {"text": "Starts"},
            {"text": "Planned end"},
            {"text": "Status"},
        ],
        "rows": [
            [
                {"text": item.title},
                {"text": day(item.start_date)},
                {"text": day(item.end_date)},
                {"text": STATUSES[item.status]},
            ]
            for item in plan.planned
        ],
    }


def plan_page(uln: str, plan: LearnerPlan | None, principal: Principal) -> dict[str, Any]:
    """The plan page's context: what it shows, and whether the viewer may change it."""
    notes = (
        [{"text": n.text, "when": day(n.written_at)} for n in reversed(plan.notes)] if plan else []
    )
    return {
        "title": "Learner plan",
        "uln": uln,
        "plan": plan,
        "table": planned_table(plan) if plan and plan.planned else None,
        "notes": notes,
        "updated": day(plan.updated_at) if plan else "",
        "may_change": bool(principal.roles & PLAN_WRITE_ROLES),
        "base": f"/portal/learners/{uln}/plan",
        "back": f"/portal/learners/{uln}",
        "width": "full",
    }
