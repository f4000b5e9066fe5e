"""The learner's session: its own cookie, never the organisations' session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import AuthenticationFailed
from openlrs.services.learner_accounts.sessions import learner_session

LEARNER_COOKIE = "openlrs_learner"


class LearnerSignInRequired(Exception):
    """No live learner session: the visitor is sent to the learner sign-in page."""


async def learner_signed_in(request: Request) -> Principal:
    state = request.app.state
    token = request.cookies.get(LEARNER_COOKIE)
    if not token:
        raise LearnerSignInRequired()
    try:
        principal = await run_in_threadpool(
            learner_session, token, rules=state.rules, uow=state.uow_factory()
        )
    except AuthenticationFailed as exc:
        raise LearnerSignInRequired() from exc
    request.state.learner = principal
    return principal


LearnerDep = Annotated[Principal, Depends(learner_signed_in)]
