"""Learning-event data challenges: raised by providers, decided by the AO that owns the event."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from openlrs.api.deps import CurrentPrincipal, PublicId, RegisterPolicyDep, UowFactoryDep
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.plr.schemas import ChallengeDecisionIn, ChallengeIn, challenge_json
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.event_challenges import ChallengeStatus, Resolution
from openlrs.services.plr import event_challenges
from openlrs.services.plr.event_challenges import Decision, RaiseChallenge

router = APIRouter(prefix="/api/v1", tags=["learning record"], route_class=UniqueKeysRoute)


@router.post(
    "/learners/{uln}/learning-events/{event_id}/challenges",
    status_code=status.HTTP_201_CREATED,
    operation_id="raiseChallenge",
)
def raise_challenge(
    uln: str,
    event_id: PublicId,
    body: ChallengeIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
) -> Any:
    """Report a problem with a learning event; it goes to the organisation that recorded it."""
    command = RaiseChallenge(uln, event_id, body.reason)
    return challenge_json(
        event_challenges.raise_challenge(command, principal=principal, uow=uow_factory())
    )


@router.get("/challenges", operation_id="listChallenges")
def list_challenges(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    status: Annotated[ChallengeStatus | None, Query()] = None,
) -> Any:
    """An AO's inbox; a provider's own challenges; every challenge for the service desk."""
    found = event_challenges.list_challenges(principal=principal, uow=uow_factory(), status=status)
    return {"challenges": [challenge_json(c) for c in found]}


@router.get("/challenges/{challenge_id}", operation_id="getChallenge")
def get_challenge(
    challenge_id: PublicId, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    return challenge_json(
        event_challenges.get_challenge(challenge_id, principal=principal, uow=uow_factory())
    )


@router.post("/challenges/{challenge_id}/decision", operation_id="decideChallenge")
def decide(
    challenge_id: PublicId,
    body: ChallengeDecisionIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
) -> Any:
    """The owning AO accepts (with `resolution` corrected or withdrawn) or rejects, with a response."""
    correction = None
    if body.correction is not None:
        c = body.correction
        correction = AchievementDetails("", c.award_date, c.grade, c.credits)
    decision = Decision(
        challenge_id,
        body.decision == "accept",
        body.response,
        Resolution(body.resolution) if body.resolution else None,
        correction,
    )
    done = event_challenges.decide_challenge(
        decision, principal=principal, uow=uow_factory(), policy=policy
    )
    return challenge_json(done)
