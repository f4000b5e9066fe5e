"""A learner's Personal Learning Record: achievements (AOs), participation (providers), the record
itself with its version, its report, its QCF credit, and the learner's sharing choice (service
desk)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Header, Query, Request, Response, status
from pydantic import TypeAdapter

from openlrs.api.deps import (
    BEARER,
    CallerDep,
    CurrentPrincipal,
    PublicId,
    RegisterPolicyDep,
    UowFactoryDep,
    current_caller,
    requires,
)
from openlrs.api.diploma.schemas import learner_credit_json
from openlrs.api.hot_route import HotRoute, query_values
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learners.knowledge import (
    HEADERS,
    DateOfBirth,
    FamilyName,
    Gender,
    GivenName,
    knowledge_of,
)
from openlrs.api.learners.views import learner_json
from openlrs.api.openapi_document import file_responses
from openlrs.api.plr.schemas import (
    AchievementIn,
    AchievementUpdate,
    ParticipationIn,
    SharingIn,
    event_json,
)
from openlrs.domain.plr.achievements import AchievementDetails, EventType, ParticipationDetails
from openlrs.domain.plr.roles import AWARDING_ROLES, PARTICIPATION_ROLES, SHARING_ROLES
from openlrs.services.diploma.learner_credit import learner_credit
from openlrs.services.plr import change_achievement
from openlrs.services.plr.change_achievement import ChangeAchievement
from openlrs.services.plr.post_achievement import PostAchievement, Posted, post_achievement
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.services.plr.record_participation import RecordParticipation, record_participation
from openlrs.services.plr.report import plr_report
from openlrs.services.plr.sharing import SharingChoice, get_sharing, set_sharing

router = APIRouter(prefix="/api/v1/learners", tags=["learning record"], route_class=UniqueKeysRoute)


def _posted(posted: Posted, response: Response) -> dict[str, Any]:
    if not posted.created:
        response.status_code = status.HTTP_200_OK  # sent before: nothing changed
    event = posted.event
    response.headers["Location"] = f"/api/v1/learners/{event.uln}/learning-events#{event.id}"
    return event_json(event) | {"created": posted.created}


@router.post(
    "/{uln}/achievements",
    operation_id="recordAchievement",
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(AWARDING_ROLES)],
)
def post(
    uln: str,
    body: AchievementIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
    response: Response,
) -> Any:
    """Record an achievement (AO). 201 when new; 200 with the stored event when sent before.
    A merged ULN's achievement lands on the master (`uln` in the answer)."""
    details = AchievementDetails(body.subject, body.award_date, body.grade, body.credits)
    command = PostAchievement(uln, body.learner.claimed(), details)
    return _posted(
        post_achievement(command, principal=principal, uow=uow_factory(), policy=policy), response
    )


@router.put(
    "/{uln}/achievements/{event_id}",
    dependencies=[requires(AWARDING_ROLES)],
    operation_id="updateAchievement",
)
def update(
    uln: str,
    event_id: PublicId,
    body: AchievementUpdate,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
) -> Any:
    """Correct an achievement's award date, grade or credits (the AO that recorded it)."""
    details = AchievementDetails("", body.award_date, body.grade, body.credits)
    command = ChangeAchievement(uln, event_id, details)
    return event_json(
        change_achievement.update_achievement(
            command, principal=principal, uow=uow_factory(), policy=policy
        )
    )


@router.post(
    "/{uln}/achievements/{event_id}/withdraw",
    dependencies=[requires(AWARDING_ROLES)],
    operation_id="withdrawAchievement",
)
def withdraw(
    uln: str,
    event_id: PublicId,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
) -> Any:
    command = ChangeAchievement(uln, event_id)
    return event_json(
        change_achievement.withdraw_achievement(
            command, principal=principal, uow=uow_factory(), policy=policy
        )
    )


@router.post(
    "/{uln}/achievements/{event_id}/reinstate",
    dependencies=[requires(AWARDING_ROLES)],
    operation_id="reinstateAchievement",
)
def reinstate(
    uln: str,
    event_id: PublicId,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
) -> Any:
    """Restore a withdrawn achievement exactly as it was."""
    command = ChangeAchievement(uln, event_id)
    return event_json(
        change_achievement.reinstate_achievement(
            command, principal=principal, uow=uow_factory(), policy=policy
        )
    )


@router.post(
    "/{uln}/participation",
    operation_id="recordParticipation",
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(PARTICIPATION_ROLES)],
)
def participation(
    uln: str,
    body: ParticipationIn,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    policy: RegisterPolicyDep,
    response: Response,
) -> Any:
    """Report an enrolment on a learning aim (provider); send it again with `end_date` to end it."""
    details = ParticipationDetails(body.learning_aim, body.start_date, body.end_date, body.title)
    command = RecordParticipation(uln, body.learner.claimed(), details)
    posted = record_participation(command, principal=principal, uow=uow_factory(), policy=policy)
    return _posted(posted, response)


@router.get("/{uln}/learning-events", openapi_extra=BEARER, operation_id="readLearningEvents")
async def learning_events(
    uln: str,
    caller: CallerDep,
    event_type: Annotated[EventType | None, Query(alias="type")] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    if_none_match: Annotated[str | None, Header()] = None,
    learner_given_name: GivenName = None,
    learner_family_name: FamilyName = None,
    learner_date_of_birth: DateOfBirth = None,
    learner_gender: Gender = None,
) -> Any:
    """The learner and their learning events, with the record's version as the ETag; quote it in
    If-None-Match for 304 when nothing changed. Every organisation but the service desk sends the
    learner's names in the `Learner-*` headers (percent-encoded UTF-8; never in the URL): when
    they do not verify against the ULN, 403 LEARNER_NOT_VERIFIED (WSEC0208). Opted-out learners:
    403 LEARNER_OPTED_OUT (WSEC0206). An awarding organisation gets `learner` with the ULN only,
    and only the events it deposited.

    Async with an orjson body, like the other hot reads (docs/decisions/0004-hot-path.md)."""
    quoted = if_none_match.strip().removeprefix("W/").strip('"') if if_none_match else None
    knowledge = knowledge_of(
        learner_given_name, learner_family_name, learner_date_of_birth, learner_gender
    )
    query = ReadPlr(uln, event_type, since, until, quoted, knowledge)
    plr = read_plr(query, principal=caller.principal, uow=caller.uow_factory())
    headers = {"ETag": f'"{plr.version}"'}
    if plr.not_modified:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    body = {
        "learner": {"uln": plr.uln} if plr.learner is None else learner_json(plr.learner),
        "linked": plr.linked,
        "record_version": plr.version,
        "learning_events": [event_json(e) for e in plr.events],
    }
    return Response(orjson.dumps(body), media_type="application/json", headers=headers)


@router.get(
    "/{uln}/learning-events/report",
    operation_id="getLearningEventsReport",
    response_class=Response,
    responses=file_responses("application/pdf", "text/csv"),
)
def report(
    uln: str,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    fmt: Annotated[Literal["pdf", "csv"], Query(alias="format")] = "pdf",
    learner_given_name: GivenName = None,
    learner_family_name: FamilyName = None,
    learner_date_of_birth: DateOfBirth = None,
    learner_gender: Gender = None,
) -> Response:
    """The record as a printable PDF or a CSV download (audited as a read); the learner's names
    in the `Learner-*` headers as for the record itself."""
    knowledge = knowledge_of(
        learner_given_name, learner_family_name, learner_date_of_birth, learner_gender
    )
    found = plr_report(uln, fmt, principal=principal, uow=uow_factory(), knowledge=knowledge)
    disposition = f'attachment; filename="{found.filename}"'
    return Response(
        found.content, media_type=found.media_type, headers={"Content-Disposition": disposition}
    )


@router.get("/{uln}/qcf-credit", operation_id="getQcfCredit")
def qcf_credit(
    uln: str,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    qualification: Annotated[str | None, Query(max_length=12)] = None,
    learner_given_name: GivenName = None,
    learner_family_name: FamilyName = None,
    learner_date_of_birth: DateOfBirth = None,
    learner_gender: Gender = None,
) -> Any:
    """The learner's unit achievements as QCF credit: which qualifications they can claim (or,
    naming one, what is missing for it), each with an explanation. Audited as a read of the
    record; the learner's names in the `Learner-*` headers as for the record itself."""
    knowledge = knowledge_of(
        learner_given_name, learner_family_name, learner_date_of_birth, learner_gender
    )
    found = learner_credit(
        uln,
        qualification=qualification,
        principal=principal,
        uow=uow_factory(),
        knowledge=knowledge,
    )
    return learner_credit_json(found)


@router.get("/{uln}/sharing", operation_id="getSharingChoices")
def sharing(uln: str, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    choice = get_sharing(uln, principal=principal, uow=uow_factory())
    return {"uln": choice.uln, "shares": choice.shares}


@router.put(
    "/{uln}/sharing", dependencies=[requires(SHARING_ROLES)], operation_id="recordSharingChoices"
)
def record_sharing(
    uln: str, body: SharingIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Record the learner's choice about sharing their record (service desk)."""
    choice = set_sharing(SharingChoice(uln, body.shares), principal=principal, uow=uow_factory())
    return {"uln": choice.uln, "shares": choice.shares}


# The load mix's PLR read, served before FastAPI's route for it (api/hot_route.py): the query
# parameters of `learning_events`, by name, in their declared order.
_EVENTS_QUERY = (
    ("type", TypeAdapter(EventType | None)),
    ("since", TypeAdapter(dt.date | None)),
    ("until", TypeAdapter(dt.date | None)),
)


async def _learning_events(request: Request) -> Response:
    caller = await current_caller(request)
    event_type, since, until = query_values(request, _EVENTS_QUERY)
    if_none_match = request.headers.get("if-none-match")
    uln = request.path_params["uln"]
    known = [request.headers.get(name) for name in HEADERS]
    answer: Response = await learning_events(
        uln, caller, event_type, since, until, if_none_match, *known
    )
    return answer


hot_routes = [HotRoute("/api/v1/learners/{uln}/learning-events", "GET", _learning_events)]
