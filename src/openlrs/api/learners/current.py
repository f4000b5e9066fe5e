"""An organisation's current learners (registered by it or on its roll), a page at a time, with
whether each is dual registered: also on roll at, or registered by, another organisation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from openlrs.api.deps import CurrentPrincipal, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.domain.accounts.organisations import LEARNER_ROLES
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.services.learners.current import PAGE_MAX, list_current_learners

router = APIRouter(
    prefix="/api/v1/organisations", tags=["current learners"], route_class=UniqueKeysRoute
)


class CurrentLearnerOut(BaseModel):
    uln: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    upn: str | None = Field(description="The Unique Pupil Number the register holds, if any")
    relationships: list[RelationshipKind] = Field(description="registered, on_roll or both")
    since: dt.datetime | None = Field(description="When the first relationship was recorded")
    dual_registered: bool = Field(
        description="Also on roll at, or registered by, another organisation (one learner)"
    )


class CurrentLearnersOut(BaseModel):
    learners: list[CurrentLearnerOut]
    next: str | None = Field(description="The URL of the next page, or null on the last")


@router.get(
    "/{ukprn}/learners",
    dependencies=[requires(LEARNER_ROLES)],
    response_model=CurrentLearnersOut,
    operation_id="listCurrentLearners",
)
def current_learners(
    ukprn: Annotated[str, Path(pattern=r"^[0-9]{8}$")],
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    after: Annotated[str | None, Query(pattern=r"^[0-9]{10}$", description="Last ULN seen")] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50,
) -> Any:
    """Learners your organisation registered or has on roll, in ULN order; page with `after`.
    Changes to them appear in the change feed (`GET /api/v1/changes`). The service desk may
    list any organisation's."""
    page = list_current_learners(
        ukprn, principal=principal, uow=uow_factory(), after=after, limit=limit
    )
    learners = [
        {
            "uln": c.uln,
            "given_name": c.given_name,
            "family_name": c.family_name,
            "date_of_birth": c.date_of_birth,
            "upn": c.upn,
            "relationships": sorted(c.kinds),
            "since": c.since,
            "dual_registered": c.dual_registered,
        }
        for c in page.learners
    ]
    base = f"/api/v1/organisations/{ukprn}/learners?limit={limit}"
    following = f"{base}&after={page.next_after}" if page.next_after else None
    return {"learners": learners, "next": following}
