"""Find, register and update learners."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from openlrs.api.deps import (
    BEARER,
    CallerDep,
    CurrentPrincipal,
    RegisterPolicyDep,
    UowFactoryDep,
    current_caller,
    requires,
)
from openlrs.api.hot_route import HotRoute, body_and_caller
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learners.change_requests import ChangeRequestOut, change_request_json
from openlrs.api.learners.knowledge import (
    HEADERS,
    DateOfBirth,
    FamilyName,
    Gender,
    GivenName,
    knowledge_of,
)
from openlrs.api.learners.schemas import (
    LearnerPatch,
    LearnerResult,
    LearnerSearchOut,
    RegisterIn,
    SearchIn,
    VerifyIn,
    VerifyOut,
)
from openlrs.api.learners.views import details_from, learner_json
from openlrs.domain.accounts.organisations import LEARNER_ROLES
from openlrs.domain.errors import VersionRequired
from openlrs.domain.learners.change_request import ChangeRequest
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.services.learners.find import find_by_uln
from openlrs.services.learners.register import RegisterLearner, register_learner
from openlrs.services.learners.search import find_by_demographics
from openlrs.services.learners.update import UpdateLearner, update_learner
from openlrs.services.learners.verify import VerifyLearner, verify_learner

router = APIRouter(prefix="/api/v1/learners", tags=["learners"], route_class=UniqueKeysRoute)

PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid access token"},
    403: {"description": "The caller's role does not allow this"},
    422: {"description": "Some details are not valid (problem+json with per-field errors)"},
}


def _result(learner: Learner, outcome: str, lrs_code: str, **extra: Any) -> dict[str, Any]:
    return learner_json(learner) | {"outcome": outcome, "lrs_code": lrs_code} | extra


@router.post(
    "/search",
    operation_id="searchLearners",
    response_model=LearnerSearchOut,
    responses=PROBLEMS,
    openapi_extra=BEARER,
    dependencies=[requires(LEARNER_ROLES)],
)
async def search(body: SearchIn, caller: CallerDep) -> Response:
    """Find by demographics: `no_match`, `too_many`, `possible`, `exact` or `linked`.

    Async, like the lookup by ULN: a search is a few milliseconds of CPU and three round trips,
    cheaper run in the event loop than handed to a thread that contends for the GIL; several
    server processes overlap the waits (docs/decisions/0004-hot-path.md)."""
    result = find_by_demographics(
        details_from(body),
        principal=caller.principal,
        uow=caller.uow_factory(),
        policy=caller.policy,
    )
    body_out = {
        "outcome": result.outcome.value,
        "lrs_code": result.outcome.lrs_code,
        "learners": [
            learner_json(learner)
            | {
                "match_weight": round(score.weight, 2),
                "match_probability": round(score.probability, 6),
                "explanation": [part.sentence for part in score.explanation],
            }
            for learner, score in zip(result.learners, result.scores, strict=True)
        ],
    }
    return Response(orjson.dumps(body_out), media_type="application/json")


@router.post("/verify", response_model=VerifyOut, responses=PROBLEMS, operation_id="verifyLearner")
def verify(
    body: VerifyIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
) -> Any:
    """Verify Learner Details: do these details belong to this ULN? The record is not disclosed."""
    claimed = ClaimedDetails(body.given_name, body.family_name, body.date_of_birth, body.gender)
    result = verify_learner(
        VerifyLearner(body.uln, claimed), principal=principal, uow=uow_factory(), policy=policy
    )
    return {
        "outcome": result.outcome,
        "lrs_code": result.lrs_code,
        "uln": result.uln,
        "linked": result.linked,
        "failed_checks": [check.value for check in result.failed],
    }


@router.get(
    "/{uln}",
    response_model=LearnerResult,
    responses=PROBLEMS,
    openapi_extra=BEARER,
    operation_id="getLearner",
)
async def get_learner(
    uln: str,
    caller: CallerDep,
    learner_given_name: GivenName = None,
    learner_family_name: FamilyName = None,
    learner_date_of_birth: DateOfBirth = None,
    learner_gender: Gender = None,
) -> Response:
    """Find by ULN. A merged ULN answers with its master and outcome `linked`. The details are
    disclosed to the service desk, to an organisation that registered the learner or has them on
    roll, and to any other organisation that sends the learner's names in the `Learner-*` headers
    (percent-encoded UTF-8) and they verify; otherwise 403 LEARNER_NOT_VERIFIED (WSEC0208).

    The hottest route: it runs in the event loop (one indexed read that appends the audit row),
    and the body is serialised with orjson, skipping a second validation of our own output
    (docs/decisions/0004-hot-path.md)."""
    knowledge = knowledge_of(
        learner_given_name, learner_family_name, learner_date_of_birth, learner_gender
    )
    result = find_by_uln(
        uln, principal=caller.principal, uow=caller.uow_factory(), knowledge=knowledge
    )
    learner = result.learners[0]
    requested = uln.strip() if learner.uln != uln.strip() else None
    body = _result(learner, result.outcome.value, result.outcome.lrs_code, requested_uln=requested)
    return Response(
        orjson.dumps(body), media_type="application/json", headers={"ETag": f'"{learner.version}"'}
    )


@router.post(
    "",
    operation_id="registerLearner",
    response_model=LearnerResult,
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEMS | {409: {"description": "The learner may already have a ULN"}},
    openapi_extra=BEARER,
    dependencies=[requires(LEARNER_ROLES)],
)
async def register(body: RegisterIn, caller: CallerDep) -> Response:
    """Register a learner and issue a ULN; refused (409, with the candidates) if a search finds them.

    Async like search (docs/decisions/0004-hot-path.md): the locks it takes are per date of birth
    and, at commit, the change feed's, each held for a few milliseconds."""
    learner = register_learner(
        RegisterLearner(details_from(body), body.confirm_different_person),
        principal=caller.principal,
        uow=caller.uow_factory(),
        policy=caller.policy,
    )
    return Response(
        orjson.dumps(_result(learner, "registered", "WSRC0005")),
        status_code=status.HTTP_201_CREATED,
        media_type="application/json",
        headers={"Location": f"/api/v1/learners/{learner.uln}", "ETag": f'"{learner.version}"'},
    )


@router.patch(
    "/{uln}",
    operation_id="updateLearner",
    response_model=LearnerResult,
    responses=PROBLEMS
    | {
        202: {
            "description": "No relationship with the learner: the change waits as a change request",
            "model": ChangeRequestOut,
        },
        409: {"description": "Stale version"},
        428: {"description": "If-Match missing"},
    },
    dependencies=[requires(LEARNER_ROLES)],
)
def update(
    uln: str,
    body: LearnerPatch,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
    response: Response,
    if_match: Annotated[str | None, Header(description='The version read, e.g. "3"')] = None,
) -> Any:
    """Change details; quote the version you read in `If-Match`. A stale version gets 409.

    Without a relationship to the learner (your organisation registered them or has them on
    roll), the change is not applied: it waits as a change request (202, `Location` its
    address) for the service desk or the registering organisation to accept or reject."""
    version = _parse_if_match(if_match)
    updated = update_learner(
        UpdateLearner(uln, version, body.model_dump(exclude_unset=True)),
        principal=principal,
        uow=uow_factory(),
        policy=policy,
    )
    if isinstance(updated, ChangeRequest):
        return JSONResponse(
            jsonable_encoder(change_request_json(updated, updated.expected_version, False)),
            status_code=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/v1/change-requests/{updated.reference}"},
        )
    response.headers["ETag"] = f'"{updated.version}"'
    return _result(updated, "updated", "WSRC0004")


def _parse_if_match(value: str | None) -> int:
    text = (value or "").strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise VersionRequired()
    return int(text)


# The load mix's endpoints, served before FastAPI's routes for them (api/hot_route.py).
async def _search(request: Request) -> Response:
    return await search(*await body_and_caller(request, SearchIn, LEARNER_ROLES))


async def _get_learner(request: Request) -> Response:
    caller = await current_caller(request)
    known = [request.headers.get(name) for name in HEADERS]
    return await get_learner(request.path_params["uln"], caller, *known)


async def _register(request: Request) -> Response:
    return await register(*await body_and_caller(request, RegisterIn, LEARNER_ROLES))


hot_routes = [
    HotRoute("/api/v1/learners/{uln}", "GET", _get_learner),  # most of the load: tried first
    HotRoute("/api/v1/learners/search", "POST", _search),
    HotRoute("/api/v1/learners", "POST", _register),
]
