"""Change requests: changes to a learner from an organisation without a relationship to them,
decided by the service desk or the organisation that registered the learner."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from openlrs.api.deps import CurrentPrincipal, RegisterPolicyDep, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learners.schemas import Strict
from openlrs.domain.accounts.organisations import LEARNER_ROLES
from openlrs.domain.learners.change_request import ChangeRequest, ChangeRequestStatus
from openlrs.services.learners.change_requests import (
    ChangeRequestView,
    DecideChangeRequest,
    decide_change_request,
    get_change_request,
    list_change_requests,
)

router = APIRouter(
    prefix="/api/v1/change-requests", tags=["learner change requests"], route_class=UniqueKeysRoute
)

PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid access token"},
    403: {"description": "The caller's role does not allow this"},
    404: {"description": "No change request with this reference that the caller may see"},
}
Reference = Annotated[
    str, Path(min_length=36, max_length=36, description="The request's reference")
]


class ChangeRequestOut(BaseModel):
    reference: str
    uln: str
    status: ChangeRequestStatus
    requested_by_ukprn: str
    requested_at: dt.datetime | None
    changes: dict[str, Any] = Field(description="Each field to change and its proposed value")
    requested_on_version: int = Field(description="The learner's version the request was made on")
    learner_version: int | None = Field(description="The learner's version now")
    may_decide: bool = Field(description="Whether the caller may accept or reject it")
    decided_at: dt.datetime | None
    applied_version: int | None = Field(description="When accepted: the version it made")


class ChangeRequestDecisionIn(Strict):
    decision: Literal["accept", "reject"]
    version: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="With accept: the learner's version you read (default: the requested one)",
    )


def change_request_json(
    request: ChangeRequest, learner_version: int | None, may_decide: bool
) -> dict[str, Any]:
    return {
        "reference": request.reference,
        "uln": request.uln,
        "status": request.status.value,
        "requested_by_ukprn": request.ukprn,
        "requested_at": request.created_at,
        "changes": request.changes,
        "requested_on_version": request.expected_version,
        "learner_version": learner_version,
        "may_decide": may_decide,
        "decided_at": request.decided_at,
        "applied_version": request.applied_version,
    }


def _out(view: ChangeRequestView) -> dict[str, Any]:
    version = view.learner.version if view.learner else None
    return change_request_json(view.request, version, view.may_decide)


@router.get(
    "", response_model=list[ChangeRequestOut], responses=PROBLEMS, operation_id="listChangeRequests"
)
def list_requests(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    status: ChangeRequestStatus | None = ChangeRequestStatus.PENDING,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Any:
    """The service desk sees every request; an organisation those it made and those on learners
    it registered (which it may decide), oldest first."""
    found = list_change_requests(status=status, limit=limit, principal=principal, uow=uow_factory())
    return [_out(view) for view in found]


@router.get(
    "/{reference}",
    response_model=ChangeRequestOut,
    responses=PROBLEMS,
    operation_id="getChangeRequest",
)
def read_request(
    reference: Reference, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    return _out(get_change_request(reference, principal=principal, uow=uow_factory()))


@router.post(
    "/{reference}/decision",
    operation_id="decideChangeRequest",
    response_model=ChangeRequestOut,
    responses=PROBLEMS
    | {
        409: {"description": "Already decided, or the learner changed since the version given"},
        422: {"description": "The changes are no longer valid"},
    },
    dependencies=[requires(LEARNER_ROLES)],
)
def decide_request(
    reference: Reference,
    body: ChangeRequestDecisionIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
) -> Any:
    """Accept (the changes are applied as an update of the learner) or reject a pending request:
    the service desk, or the organisation that registered the learner."""
    view = decide_change_request(
        DecideChangeRequest(reference, body.decision == "accept", body.version),
        principal=principal,
        uow=uow_factory(),
        policy=policy,
    )
    return _out(view)
