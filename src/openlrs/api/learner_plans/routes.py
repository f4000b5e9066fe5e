"""A learner's plan (decision 0026): read it (providers with a relationship, and the desk), save
its goals and planned learning, add a progress note (providers with a relationship)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status

from openlrs.api.deps import CurrentPrincipal, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learner_plans.schemas import LearnerPlanIn, ProgressNoteIn, note_json, plan_json
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.learner_plans.plan import PLAN_READ_ROLES, PLAN_WRITE_ROLES
from openlrs.services.learner_plans.plans import AddNote, SavePlan, add_note, get_plan, save_plan

router = APIRouter(prefix="/api/v1/learners", tags=["learner plans"], route_class=UniqueKeysRoute)


def _expected(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    try:
        return int(if_match.strip().strip('"'))
    except ValueError as exc:
        message = 'If-Match must be the plan\'s version in quotes, e.g. "2"'
        raise ValidationFailed([FieldError("If-Match", "VERSION_INVALID", message)]) from exc


@router.get(
    "/{uln}/learner-plan",
    operation_id="getLearnerPlan",
    dependencies=[requires(PLAN_READ_ROLES)],
)
def get(
    uln: str, principal: CurrentPrincipal, uow_factory: UowFactoryDep, response: Response
) -> Any:
    """The learner's plan (404 `LEARNER_PLAN_NOT_FOUND` before one is made); the ETag is its
    version. Audited."""
    plan = get_plan(uln, principal=principal, uow=uow_factory())
    response.headers["ETag"] = f'"{plan.version}"'
    return plan_json(plan)


@router.put(
    "/{uln}/learner-plan",
    operation_id="saveLearnerPlan",
    dependencies=[requires(PLAN_WRITE_ROLES)],
)
def put(
    uln: str,
    body: LearnerPlanIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> Any:
    """Create the plan, or replace its goals and planned learning as a new version. With
    `If-Match` (the version read), a plan changed since is refused (409
    `LEARNER_PLAN_CHANGED`)."""
    planned = tuple(item.planned() for item in body.planned_learning)
    command = SavePlan(uln, tuple(body.goals), planned, _expected(if_match))
    plan = save_plan(command, principal=principal, uow=uow_factory())
    response.headers["ETag"] = f'"{plan.version}"'
    return plan_json(plan)


@router.post(
    "/{uln}/learner-plan/progress-notes",
    operation_id="addLearnerPlanNote",
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(PLAN_WRITE_ROLES)],
)
def post_note(
    uln: str, body: ProgressNoteIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Add a progress note to the learner's plan (notes are never changed or removed)."""
    note = add_note(AddNote(uln, body.text), principal=principal, uow=uow_factory())
    return note_json(note)
