"""Read a learner's Personal Learning Record: their details and learning events, with a version.

Every read is audited before anything is disclosed, refusals included. An organisation other
than the service desk must show it knows the learner (`knowledge`: their given and family name,
optionally date of birth and gender, verified against the ULN as Verify Learner Details compares
them, domain/matching/knowledge.py); otherwise LEARNER_NOT_VERIFIED (WSEC0208), audited as
`not_verified`, before even the sharing choice is told. What is disclosed follows
one rule (domain/plr/disclosure.py): when the learner has opted out of sharing, registration
bodies get LEARNER_OPTED_OUT instead of the events; an awarding organisation gets the ULN and the
events it deposited, never the learner's details. A caller quoting the current version
(If-None-Match) is told it has not changed, events unread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import LearnerNotFound, LearnerNotVerified
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.knowledge import Knowledge, knowledge_verifies, needs_knowledge
from openlrs.domain.plr.achievements import EventType, LearningEvent
from openlrs.domain.plr.disclosure import plr_disclosure
from openlrs.domain.plr.errors import LearnerOptedOut
from openlrs.domain.plr.roles import PLR_READ_ROLES
from openlrs.services.plr.learner import current_learner
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class ReadPlr:
    uln: str
    event_type: EventType | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    if_none_match: str | None = None
    knowledge: Knowledge | None = None
    """The learner's names (and optionally date of birth and gender) as the caller holds them:
    required of every organisation but the service desk."""


@dataclass(frozen=True)
class Plr:
    uln: str
    """The learner's current ULN (the master's when the one asked about was merged)."""
    learner: Learner | None
    """The learner with their details; None for a caller who may not see them (an awarding
    organisation), who gets the ULN and the events only."""
    events: tuple[LearningEvent, ...]
    version: str
    """Changes whenever an event, the learner's details or their sharing choice changes."""
    linked: bool = False
    not_modified: bool = False


def _when(event: LearningEvent) -> dt.date | None:
    return event.award_date or event.start_date


def _wanted(event: LearningEvent, query: ReadPlr) -> bool:
    when = _when(event)
    if query.since is not None and (when is None or when < query.since):
        return False
    return not (query.until is not None and (when is None or when > query.until))


def read_plr(
    query: ReadPlr,
    *,
    principal: Principal,
    uow: UnitOfWork,
    action: AuditAction = AuditAction.PLR_READ,
) -> Plr:
    principal.require(PLR_READ_ROLES)
    uln = parse_uln(query.uln)

    def audit(outcome: str) -> None:
        uow.audit.record(
            AuditEvent(principal.actor, principal.ukprn, action, uln=uln, outcome=outcome)
        )
        uow.commit()

    with uow:
        learner, linked = current_learner(uln, uow)
        if learner is None:
            audit("not_found")
            raise LearnerNotFound()
        if needs_knowledge(principal) and not knowledge_verifies(query.knowledge, learner.details):
            audit("not_verified")
            raise LearnerNotVerified()
        # One read for the sharing choice, the version and the events: the events are read even
        # when they will not be disclosed (opted out, not modified), to save the round trips.
        record = uow.learning_events.record_of(learner.uln, event_type=query.event_type)
        try:
            disclosure = plr_disclosure(principal, shares=record.shares)
        except LearnerOptedOut:
            audit("opted_out")
            raise
        version = f"{learner.uln}.{learner.version}.{record.version}"
        shown = learner if disclosure.details else None
        if query.if_none_match == version:
            audit("not_modified")
            return Plr(learner.uln, shown, (), version, linked, not_modified=True)
        audit("linked" if linked else "exact")
    chosen = disclosure.events(e for e in record.events if _wanted(e, query))
    return Plr(learner.uln, shown, chosen, version, linked)
