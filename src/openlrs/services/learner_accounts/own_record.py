"""A signed-in learner's own record: their learning events, their details, who has seen them,
the mistakes they reported, and their sharing choice. Always the learner's own ULN (from the
session), never one from a request; every read of it is audited like any other."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import LearnerNotFound, LearnerNotVerified
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learner_accounts.accounts import LEARNER_ROLES, uln_of
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.learners.learner import AbilityToShare, Learner
from openlrs.domain.matching.knowledge import Knowledge, knowledge_verifies, needs_knowledge
from openlrs.domain.plr.achievements import LearningEvent
from openlrs.domain.plr.errors import ChallengeOpen, LearningEventNotFound
from openlrs.domain.plr.event_challenges import Challenge, checked_text
from openlrs.domain.plr.event_challenges import ChallengeKind as Kind
from openlrs.domain.plr.roles import PLR_READ_ROLES
from openlrs.reports.plr_document import plr_csv, plr_pdf
from openlrs.services.change_feed import note_change
from openlrs.services.learners.update import UpdateLearner, apply_update
from openlrs.services.plr.learner import current_learner, lock_current
from openlrs.services.plr.report import MEDIA, Report
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork

SEEN_ACTIONS = {
    AuditAction.PLR_READ: "Your learning record",
    AuditAction.PLR_REPORT: "A report of your learning record",
    AuditAction.PLR_QCF_CREDIT: "Your credits towards qualifications",
    AuditAction.LEARNER_READ: "Your details",
    AuditAction.SHARE_CODE_VIEW: "What you shared with a share code",
}
REFUSED = frozenset({"not_verified", "opted_out", "not_found", "locked"})


@dataclass(frozen=True)
class OwnRecord:
    learner: Learner
    events: tuple[LearningEvent, ...]
    """Newest first."""
    shares: bool
    version: str


def _learner(principal: Principal, uow: UnitOfWork) -> Learner:
    learner, _ = current_learner(uln_of(principal), uow)
    if learner is None:
        raise LearnerNotFound()
    return learner


def _newest_first(events: list[LearningEvent]) -> tuple[LearningEvent, ...]:
    def when(e: LearningEvent) -> dt.date:
        return e.award_date or e.start_date or dt.date.min

    return tuple(sorted(events, key=when, reverse=True))


def own_record(
    principal: Principal, *, uow: UnitOfWork, action: AuditAction = AuditAction.PLR_READ
) -> OwnRecord:
    """The learner's whole record, whatever their sharing choice (it is theirs), audited."""
    principal.require(LEARNER_ROLES)
    with uow:
        learner = _learner(principal, uow)
        record = uow.learning_events.record_of(learner.uln)
        uow.audit.record(AuditEvent(principal.actor, None, action, uln=learner.uln, outcome="own"))
        uow.commit()
    version = f"{learner.uln}.{learner.version}.{record.version}"
    return OwnRecord(learner, _newest_first(list(record.events)), record.shares, version)


def own_report(principal: Principal, fmt: str, *, uow: UnitOfWork) -> Report:
    """The learner's record as the PDF or CSV report organisations get (the same documents)."""
    if fmt not in MEDIA:
        fmt = "pdf"
    record = own_record(principal, uow=uow, action=AuditAction.PLR_REPORT)
    uln = record.learner.uln
    if fmt == "csv":
        content = plr_csv(uln, record.learner, record.events)
    else:
        now = dt.datetime.now(dt.UTC)
        content = plr_pdf(uln, record.learner, record.events, version=record.version, made_at=now)
    return Report(content, MEDIA[fmt], f"learning-record-{uln}.{fmt}")


@dataclass(frozen=True)
class Seen:
    when: dt.datetime
    who: str
    """The organisation's name, or who a share code was given to."""
    ukprn: str | None
    what: str


def who_has_seen(principal: Principal, *, uow: UnitOfWork, limit: int = 200) -> list[Seen]:
    """Every read of the learner's record or details by someone else, newest first: from the
    audit trail, refusals and the learner's own reads left out."""
    principal.require(LEARNER_ROLES)
    with uow:
        learner = _learner(principal, uow)
        return _seen(uow, {learner.uln, uln_of(principal), *learner.linked_ulns}, limit)


def _seen(uow: UnitOfWork, ulns: set[str], limit: int) -> list[Seen]:
    events: list[AuditEvent] = []
    for uln in ulns:
        events += uow.audit.list(ukprn=None, uln=uln, before_id=None, limit=1000)
    names: dict[str, str] = {}
    seen: list[Seen] = []
    for event in sorted(events, key=lambda e: e.id or 0, reverse=True):
        what = SEEN_ACTIONS.get(event.action)
        if what is None or event.outcome in REFUSED or event.actor.startswith("learner:"):
            continue
        if event.action is AuditAction.SHARE_CODE_VIEW:
            who, ukprn = (
                f"Someone you gave a share code to ({event.detail or 'no label'})",
                None,
            )
        else:
            ukprn = event.ukprn or None
            if ukprn and ukprn not in names:
                found = uow.organisations.get(ukprn)
                names[ukprn] = found.name if found else "An organisation"
            who = names.get(ukprn or "", "The service")
        seen.append(Seen(event.occurred_at or dt.datetime.now(dt.UTC), who, ukprn, what))
        if len(seen) >= limit:
            break
    return seen


def organisations_seen(
    uln: str, knowledge: Knowledge | None, *, principal: Principal, uow: UnitOfWork
) -> list[Seen]:
    """The organisations' reads of a learner's record or details (the learner's "who has seen
    your record" page without the share-code views), newest first, for an organisation that
    shows it knows the learner as a PLR read requires (else LearnerNotVerified, audited)."""
    principal.require(PLR_READ_ROLES)
    wanted = parse_uln(uln)

    def audit(outcome: str) -> None:
        uow.audit.record(
            AuditEvent(
                principal.actor,
                principal.ukprn,
                AuditAction.LEARNER_READ,
                uln=wanted,
                outcome=outcome,
            )
        )
        uow.commit()

    with uow:
        learner, _linked = current_learner(wanted, uow)
        if learner is None:  # told apart from names that do not verify by nobody but the desk
            audit("not_found")
            raise LearnerNotVerified() if needs_knowledge(principal) else LearnerNotFound()
        if needs_knowledge(principal) and not knowledge_verifies(knowledge, learner.details):
            audit("not_verified")
            raise LearnerNotVerified()
        seen = _seen(uow, {learner.uln, wanted, *learner.linked_ulns}, 1000)
        audit("audit_trail")
    return [s for s in seen if not s.who.startswith("Someone you gave")]


def own_details(principal: Principal, *, uow: UnitOfWork) -> Learner:
    principal.require(LEARNER_ROLES)
    with uow:
        learner = _learner(principal, uow)
        uow.audit.record(
            AuditEvent(
                principal.actor, None, AuditAction.LEARNER_READ, uln=learner.uln, outcome="own"
            )
        )
        uow.commit()
    return learner


def own_challenges(principal: Principal, *, uow: UnitOfWork) -> list[Challenge]:
    """The mistakes the learner reported (and anyone's challenges on their record), newest first."""
    principal.require(LEARNER_ROLES)
    with uow:
        learner = _learner(principal, uow)
        return uow.challenges.list(
            owner_ukprn=None, raised_by_ukprn=None, status=None, limit=100, uln=learner.uln
        )


def _raise(uow: UnitOfWork, principal: Principal, challenge: Challenge) -> Challenge:
    stored = uow.challenges.add(challenge)
    uow.audit.record(
        AuditEvent(
            principal.actor,
            None,
            AuditAction.CHALLENGE_RAISE,
            uln=stored.uln,
            outcome=stored.status.value,
            detail=stored.id,
        )
    )
    return stored


def report_event_mistake(
    principal: Principal, event_id: str, reason: str, *, uow: UnitOfWork
) -> Challenge:
    """A learning-event challenge, routed to the awarding organisation that recorded it."""
    principal.require(LEARNER_ROLES)
    reason = checked_text("reason", reason)
    with uow:
        learner = lock_current(uln_of(principal), uow)
        if learner is None:
            raise LearnerNotFound()
        event = uow.learning_events.get(event_id)
        if event is None or event.uln != learner.uln:
            raise LearningEventNotFound()
        if uow.challenges.open_for_event(event.id) is not None:
            raise ChallengeOpen()
        challenge = _raise(
            uow,
            principal,
            Challenge(
                id=str(uuid.uuid4()),
                event_id=event.id,
                uln=learner.uln,
                raised_by=principal.actor,
                raised_by_ukprn="",
                owner_ukprn=event.ukprn,
                reason=reason,
            ),
        )
        changed = dataclasses.replace(event, under_challenge=True)
        uow.learning_events.replace(changed, actor=principal.actor, change="challenge")
        uow.learning_events.bump_record_version(event.uln)
        note_change(uow, principal, ChangeKind.EVENT_CHANGED, event.uln, event_id=event.id)
        uow.commit()
    return challenge


def report_details_mistake(principal: Principal, reason: str, *, uow: UnitOfWork) -> Challenge:
    """A challenge to the service desk about the learner's details or ULN."""
    principal.require(LEARNER_ROLES)
    reason = checked_text("reason", reason)
    with uow:
        learner = _learner(principal, uow)
        challenge = _raise(
            uow,
            principal,
            Challenge(
                id=str(uuid.uuid4()),
                event_id=None,
                uln=learner.uln,
                raised_by=principal.actor,
                raised_by_ukprn="",
                owner_ukprn=None,
                reason=reason,
                kind=Kind.ULN_OTHER,
            ),
        )
        uow.commit()
    return challenge


def set_own_sharing(
    principal: Principal,
    shares: bool,
    *,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> bool:
    """The learner's own choice: the same `ability_to_share` the registration and the desk set,
    as a new version of the learner (audited, on the change feed); effective on the next request."""
    principal.require(LEARNER_ROLES)
    with uow:
        learner = _learner(principal, uow)
        wanted = AbilityToShare.MAY_SHARE if shares else AbilityToShare.DECLINED
        current = uow.learners.lock(learner.uln)
        if current is not None and current.details.ability_to_share != wanted:
            change = UpdateLearner(current.uln, current.version, {"ability_to_share": int(wanted)})
            details = policy.validated(
                dataclasses.replace(current.details, ability_to_share=int(wanted))
            )
            apply_update(current, details, change, principal=principal, uow=uow)
        uow.audit.record(
            AuditEvent(
                principal.actor,
                None,
                AuditAction.LEARNER_SHARING,
                uln=learner.uln,
                outcome="shares" if shares else "opted_out",
            )
        )
        uow.commit()
    return shares
