"""The exceptions queue: registrations held because the register may already hold the learner."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from openlrs.api.deps import CurrentPrincipal, RegisterPolicyDep, UowFactoryDep
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learners.schemas import LearnerIn, LearnerResult, Strict
from openlrs.api.learners.views import learner_json
from openlrs.domain.learners.held_registration import Decision, HeldRegistration, HeldStatus
from openlrs.services.learners.exceptions_queue import (
    ResolveHeld,
    get_held,
    list_held,
    resolve_held,
)

router = APIRouter(
    prefix="/api/v1/exceptions", tags=["exceptions queue"], route_class=UniqueKeysRoute
)


class HeldOut(BaseModel):
    id: int
    ukprn: str
    submitted_by: str
    outcome: str
    candidate_ulns: list[str]
    status: HeldStatus
    resolved_uln: str | None
    details: LearnerIn = Field(description="The details submitted (no ULN yet)")


class ResolveIn(Strict):
    decision: Literal["same_person", "different_person"]
    uln: str | None = Field(default=None, description="With same_person: the candidate chosen")


def _held(held: HeldRegistration) -> dict[str, Any]:
    details = dataclasses.asdict(held.details)
    return {
        "id": held.id,
        "ukprn": held.ukprn,
        "submitted_by": held.submitted_by,
        "outcome": held.outcome,
        "candidate_ulns": list(held.candidate_ulns),
        "status": held.status,
        "resolved_uln": held.resolved_uln,
        "details": details,
    }


@router.get("", response_model=list[HeldOut], operation_id="listExceptions")
def list_exceptions(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    status: HeldStatus | None = HeldStatus.OPEN,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Any:
    """Your organisation's held registrations (the service desk sees all), oldest first."""
    return [
        _held(h)
        for h in list_held(status=status, limit=limit, principal=principal, uow=uow_factory())
    ]


@router.get("/{held_id}", response_model=HeldOut, operation_id="getException")
def get_exception(
    held_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
) -> Any:
    return _held(get_held(held_id, principal=principal, uow=uow_factory()))


@router.post("/{held_id}/resolve", response_model=LearnerResult, operation_id="resolveException")
def resolve_exception(
    held_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: ResolveIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
) -> Any:
    """`same_person` with the chosen candidate's `uln`, or `different_person` to issue a new ULN."""
    learner = resolve_held(
        ResolveHeld(held_id, Decision(body.decision), body.uln),
        principal=principal,
        uow=uow_factory(),
        policy=policy,
    )
    outcome = "registered" if body.decision == "different_person" else "exact"
    lrs_code = "WSRC0005" if body.decision == "different_person" else "WSRC0004"
    return learner_json(learner) | {"outcome": outcome, "lrs_code": lrs_code}
