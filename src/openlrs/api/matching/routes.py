"""The suspected-duplicates queue the register audit fills, for the service desk (admin only).

Read-only here: the audit runs as a CLI job (`openlrs audit-duplicates`), never in a request.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from openlrs.api.deps import CurrentPrincipal, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.domain.accounts.organisations import ADMIN_ROLES
from openlrs.domain.matching.suspected_duplicate import DuplicateStatus, SuspectedDuplicate
from openlrs.services.matching.suspected_duplicates import list_suspected_duplicates

router = APIRouter(
    prefix="/api/v1/suspected-duplicates",
    tags=["suspected duplicates"],
    route_class=UniqueKeysRoute,
)


class SuspectedDuplicateOut(BaseModel):
    id: int
    uln_a: str
    uln_b: str
    match_weight: float
    probability: float
    detail: dict[str, str] = Field(
        description="Each field's comparison level, e.g. postcode: sector"
    )
    status: DuplicateStatus
    found_by: str = Field(description="The audit run that last found the pair")
    created_at: dt.datetime | None
    updated_at: dt.datetime | None


def _out(pair: SuspectedDuplicate) -> dict[str, Any]:
    return {
        "id": pair.id,
        "uln_a": pair.uln_a,
        "uln_b": pair.uln_b,
        "match_weight": round(pair.match_weight, 3),
        "probability": pair.probability,
        "detail": dict(pair.detail),
        "status": pair.status,
        "found_by": pair.found_by,
        "created_at": pair.created_at,
        "updated_at": pair.updated_at,
    }


@router.get(
    "",
    response_model=list[SuspectedDuplicateOut],
    dependencies=[requires(ADMIN_ROLES)],
    operation_id="listSuspectedDuplicates",
)
def list_pairs(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    status: DuplicateStatus | None = DuplicateStatus.OPEN,
    after_id: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Any:
    """Suspected duplicate pairs, oldest first; page with `after_id` (the last id seen)."""
    pairs = list_suspected_duplicates(
        status=status, after_id=after_id, limit=limit, principal=principal, uow=uow_factory()
    )
    return [_out(p) for p in pairs]
