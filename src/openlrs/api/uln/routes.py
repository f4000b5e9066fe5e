"""The ULN life cycle (service desk): merge, unmerge and split ULNs; ULN data challenges raised by
registration bodies and resolved by the desk; and the change feed for MIS systems."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from fastapi.encoders import jsonable_encoder

from openlrs.api.deps import CurrentPrincipal, PublicId, RegisterPolicyDep, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learners.views import details_from
from openlrs.api.plr.schemas import challenge_json
from openlrs.api.uln.schemas import (
    MergeIn,
    SplitIn,
    UlnChallengeIn,
    UlnResolutionIn,
    changes_json,
    lifecycle_json,
)
from openlrs.domain.accounts.organisations import ADMIN_ROLES
from openlrs.domain.plr.event_challenges import ChallengeKind, Resolution
from openlrs.services.change_feed import PAGE_MAX, read_changes
from openlrs.services.uln import challenges as uln_challenges
from openlrs.services.uln import lifecycle as uln_lifecycle
from openlrs.services.uln.challenges import RaiseUlnChallenge, UlnResolution
from openlrs.services.uln.lifecycle import MergeUlns, SplitUln

router = APIRouter(prefix="/api/v1", tags=["ULN life cycle"], route_class=UniqueKeysRoute)


@router.post(
    "/learners/{uln}/merge", dependencies=[requires(ADMIN_ROLES)], operation_id="mergeLearners"
)
def merge(uln: str, body: MergeIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """Link this ULN to `master_uln` (status merged) and move its learning events there."""
    done = uln_lifecycle.merge_ulns(
        MergeUlns(uln, body.master_uln), principal=principal, uow=uow_factory()
    )
    return lifecycle_json(done)


@router.post(
    "/learners/{uln}/unmerge", dependencies=[requires(ADMIN_ROLES)], operation_id="unmergeLearners"
)
def unmerge(uln: str, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    """Undo a merge: the ULN is active again, with every event the merge moved back on it."""
    return lifecycle_json(uln_lifecycle.unmerge_uln(uln, principal=principal, uow=uow_factory()))


@router.post(
    "/learners/{uln}/split",
    operation_id="splitLearner",
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(ADMIN_ROLES)],
)
def split(
    uln: str,
    body: SplitIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
) -> Any:
    """Give the second person sharing this ULN a new ULN (`other_uln`) and move their events."""
    command = SplitUln(uln, tuple(body.event_ids), details_from(body.learner))
    done = uln_lifecycle.split_uln(command, principal=principal, uow=uow_factory(), policy=policy)
    return lifecycle_json(done)


@router.post(
    "/uln-challenges", status_code=status.HTTP_201_CREATED, operation_id="raiseUlnChallenge"
)
def raise_uln_challenge(
    body: UlnChallengeIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Tell the service desk a ULN is a duplicate, was merged wrongly, or is shared by two people.
    Read and list it with /api/v1/challenges."""
    command = RaiseUlnChallenge(ChallengeKind(body.kind), body.uln, body.reason, body.related_uln)
    found = uln_challenges.raise_uln_challenge(command, principal=principal, uow=uow_factory())
    return challenge_json(found)


@router.post(
    "/uln-challenges/{challenge_id}/resolution",
    dependencies=[requires(ADMIN_ROLES)],
    operation_id="resolveUlnChallenge",
)
def resolve(
    challenge_id: PublicId,
    body: UlnResolutionIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
) -> Any:
    """Reject, or accept and merge, unmerge or split, in one transaction with the decision."""
    decision = UlnResolution(
        challenge_id,
        body.decision == "accept",
        body.response,
        Resolution(body.resolution) if body.resolution else None,
        body.master_uln,
        tuple(body.event_ids),
        details_from(body.learner) if body.learner else None,
    )
    resolved = uln_challenges.resolve_uln_challenge(
        decision, principal=principal, uow=uow_factory(), policy=policy
    )
    body_out = challenge_json(resolved.challenge)
    if resolved.done is not None:
        body_out["outcome"] = lifecycle_json(resolved.done)
    return jsonable_encoder(body_out)


@router.get("/changes", operation_id="listUlnChanges")
def changes(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    since: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 100,
) -> Any:
    """Changes to your learners after position `since`, in commit order; pass `next_since` back."""
    return changes_json(read_changes(since, principal=principal, uow=uow_factory(), limit=limit))
