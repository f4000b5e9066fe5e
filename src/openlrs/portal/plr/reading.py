"""An organisation's read of a learner's learning record in the portal, and the names it needs.

A read names the learner (issue 22): the names this session showed for the ULN
(portal/learners/known.py) go with every read, and a page that has just checked the names
against the ULN (recording an achievement) remembers them, so the record opens without asking
again. Every page that reads or changes a record goes through here."""

from __future__ import annotations

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import LearnerNotVerified
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.matching.knowledge import Knowledge, needs_knowledge
from openlrs.portal.learners.known import recalled, remember
from openlrs.services.plr.read import Plr, ReadPlr, read_plr


def knowledge_for(request: Request, uln: str, principal: Principal) -> Knowledge | None:
    """The names this session showed for `uln` (a malformed ULN: InvalidIdentifier), or
    LearnerNotVerified before anything is read when `principal` must name the learner first."""
    knowledge = recalled(request, parse_uln(uln))
    if knowledge is None and needs_knowledge(principal):
        raise LearnerNotVerified()  # ask for the names first (nothing read, nothing to audit)
    return knowledge


async def read_record(request: Request, uln: str, principal: Principal) -> Plr:
    """The learner's record as `principal`'s organisation may see it (an audited read)."""
    query = ReadPlr(uln, knowledge=knowledge_for(request, uln, principal))
    uow = request.app.state.uow_factory()
    return await run_in_threadpool(read_plr, query, principal=principal, uow=uow)


def remember_names(
    request: Request, response: Response, uln: str, given_name: str, family_name: str
) -> Response:
    """Keep the names just checked against `uln` for this session's later reads."""
    remember(request, response, uln, Knowledge(given_name, family_name, None))
    return response
